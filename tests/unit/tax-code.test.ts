import { describe, expect, it } from 'vitest';
import {
  buildTaxCode,
  isValidTaxCode,
  normaliseTaxCode,
  taxCodeBase,
  taxCodeCheckCharacter,
  taxCodeProblem,
} from '../../src/domain/tax-code.js';

// Expected codes were computed by hand-written Python following D.M. 23/12/1976
// (odd/even value tables, sum mod 26), independently of the code under test.
// (The 29 February codes of the leap-year tests were checked the same way.)

describe('valid tax codes', () => {
  it.each([
    'RSSMRA85T10A562S', // Mario Rossi, 10 Dec 1985, Bagnolo Cremasco
    'MRTMTT25D09F205Z', // Matteo Moretti, 9 Apr 1925, Milano (the textbook example)
    'RSSMRA85T50A562W', // Maria Rossi, same day: female day 10 + 40 = 50
    'VRDNNA76B69H501H', // Anna Verdi, 29 Feb 1976 (female, 29 + 40), a leap year
    'SPSGPP50H15F839Z', // Giuseppe Esposito, 15 Jun 1950, Napoli
    'RSSLCU78D30Z112L', // Luca Russo, 30 Apr 1978, born abroad (Z code)
    'RSSMRA85A31A562G', // 31 January
  ])('%s is valid', (code) => {
    expect(taxCodeProblem(code)).toBeUndefined();
    expect(isValidTaxCode(code)).toBe(true);
  });

  it('computes the check character of the first 15 characters', () => {
    expect(taxCodeCheckCharacter('RSSMRA85T10A562')).toBe('S');
    expect(taxCodeCheckCharacter('MRTMTT25D09F205')).toBe('Z');
    expect(taxCodeCheckCharacter('RSSMRA85T10A56N')).toBe('H');
  });
});

describe('normalisation', () => {
  it('upper-cases and removes blanks', () => {
    expect(normaliseTaxCode(' rssmra85t10a562s ')).toBe('RSSMRA85T10A562S');
    expect(normaliseTaxCode('RSS MRA 85T10 A562S')).toBe('RSSMRA85T10A562S');
    expect(normaliseTaxCode('rss\tmra85t10\na562s')).toBe('RSSMRA85T10A562S');
  });

  it('accepts lower case and spaces in isValidTaxCode', () => {
    expect(isValidTaxCode('rssmra85t10a562s')).toBe(true);
    expect(isValidTaxCode('RSS MRA 85T10 A562S')).toBe(true);
    expect(isValidTaxCode('  mrtmtt25d09f205z  ')).toBe(true);
  });

  it('does not accept a lower-case code in taxCodeProblem (it expects a normalised code)', () => {
    expect(taxCodeProblem('rssmra85t10a562s')).toBe('format');
  });
});

describe('wrong check character', () => {
  it.each(['RSSMRA85T10A562A', 'RSSMRA85T10A562T', 'MRTMTT25D09F205Y', 'RSSMRA85T50A562S'])(
    '%s is refused for its check character',
    (code) => {
      expect(taxCodeProblem(code)).toBe('check');
      expect(isValidTaxCode(code)).toBe(false);
    },
  );

  it('catches a single mistyped character elsewhere (transposed digits)', () => {
    // 10 -> 01: a real date, but the check character no longer matches
    expect(taxCodeProblem('RSSMRA85T01A562S')).toBe('check');
    // surname letter changed
    expect(taxCodeProblem('RSSMRB85T10A562S')).toBe('check');
  });
});

describe('omocodia variants', () => {
  // Digits replaced by L M N P Q R S T U V (for 0-9) from the right: positions
  // 15, 14, 13, 11, 10, 8, 7 (1-based), each variant with its own check character.
  it.each([
    ['RSSMRA85T10A56NH', 1],
    ['RSSMRA85T10A5SNT', 2],
    ['RSSMRA85T10ARSNO', 3],
    ['RSSMRA85T1LARSNR', 4],
    ['RSSMRA85TMLARSNC', 5],
    ['RSSMRA8RTMLARSNO', 6],
    ['RSSMRAURTMLARSNL', 7],
    ['VRDNNA76B69HRLMF', 3],
    ['GLLLRI00B69L7PSK', 2],
  ])('%s (%i digits replaced) is valid', (code) => {
    expect(taxCodeProblem(code)).toBeUndefined();
    expect(isValidTaxCode(code.toLowerCase())).toBe(true);
  });

  it('maps a variant back to its regular code', () => {
    expect(taxCodeBase('RSSMRAURTMLARSNL')).toBe('RSSMRA85T10A562');
    expect(taxCodeBase('RSSMRA85T10A56NH')).toBe('RSSMRA85T10A562');
  });

  it('refuses a variant carrying the check character of the regular code', () => {
    expect(taxCodeProblem('RSSMRA85T10A56NS')).toBe('check');
    expect(taxCodeProblem('RSSMRAURTMLARSNS')).toBe('check');
  });

  it('checks the date behind the letters of a variant', () => {
    // day letters P N = 3 2 -> day 32; P L = 3 0 -> 30 December, fine
    expect(taxCodeProblem('RSSMRA85TPNA562Z')).toBe('date');
    expect(taxCodeProblem('RSSMRA85TPLA562J')).toBeUndefined();
  });

  it('refuses letters that do not stand for digits in a digit position', () => {
    // A, B, ... are not in LMNPQRSTUV
    expect(taxCodeProblem('RSSMRA85T10A56AH')).toBe('format');
    expect(taxCodeProblem('RSSMRA8ATMLARSNO')).toBe('format');
  });
});

describe('impossible dates and bad shapes', () => {
  it.each([
    ['RSSMRA85T32A562Y', 'day 32'],
    ['RSSMRA85T00A562R', 'day 00'],
    ['RSSMRA85T35A562G', 'day 35 (neither a man nor a woman)'],
    ['RSSMRA85T72A562C', 'day 72 (woman, 32)'],
    ['RSSMRA85B30A562G', '30 February'],
    ['RSSMRA85B70A562K', '30 February (woman)'],
    ['RSSMRA85D31A562M', '31 April'],
    ['RSSMRA85D71A562Q', '31 April (woman)'],
  ])('%s is refused: %s', (code) => {
    // the check characters are right: only the date is wrong
    expect(taxCodeProblem(code)).toBe('date');
    expect(isValidTaxCode(code)).toBe(false);
  });

  it.each(['F', 'G', 'I', 'J', 'K', 'N', 'O', 'Q', 'U', 'V', 'W', 'X', 'Y', 'Z'])(
    'month letter %s is not a month',
    (letter) => {
      const first15 = `RSSMRA85${letter}10A562`;
      const code = first15 + taxCodeCheckCharacter(first15);
      expect(taxCodeProblem(code)).not.toBeUndefined();
      expect(isValidTaxCode(code)).toBe(false);
    },
  );

  it('accepts 29 February in a year that can be a leap year: multiples of 4, and 00 (2000 was one, 1900 was not)', () => {
    for (const year of ['00', '04', '76', '84', '96']) {
      for (const day of ['29', '69']) {
        const first15 = `RSSMRA${year}B${day}A562`;
        expect(taxCodeProblem(first15 + taxCodeCheckCharacter(first15)), first15).toBeUndefined();
      }
    }
    expect(taxCodeProblem('VRDNNA76B69H501H')).toBeUndefined(); // Anna Verdi, born 29/02/1976
  });

  it('refuses 29 February in a year that is never a leap year, whatever the century', () => {
    // The case of the issue: 2011 and 1911 alike had no 29 February (the check character V is right).
    expect(taxCodeCheckCharacter('NGXLSN11B29B955')).toBe('V');
    expect(taxCodeProblem('NGXLSN11B29B955V')).toBe('date');
    for (const year of ['01', '11', '25', '75', '99']) {
      for (const day of ['29', '69']) {
        const first15 = `RSSMRA${year}B${day}A562`;
        expect(taxCodeProblem(first15 + taxCodeCheckCharacter(first15)), first15).toBe('date');
      }
    }
    // 28 February is in every year
    expect(taxCodeProblem('RSSMRA01B28A562B')).toBeUndefined();
  });

  it('reads the year and the day through omocodia letters before deciding (L=0 M=1 N=2 ... U=8 V=9)', () => {
    expect(taxCodeProblem('NGXLSNMMB29B955Y')).toBe('date'); // year MM = 11
    expect(taxCodeProblem('RSSMRAMMBNVA562F')).toBe('date'); // year 11, day NV = 29
    expect(taxCodeProblem('RSSMRAUQB29A562H')).toBeUndefined(); // year UQ = 84
    expect(taxCodeProblem('RSSMRAUQBNVA562H')).toBeUndefined(); // year 84, day 29
    expect(taxCodeProblem('RSSMRALLB29A562Q')).toBeUndefined(); // year LL = 00
  });

  it.each([
    '',
    'RSSMRA85T10A562', // 15 characters
    'RSSMRA85T10A562SS', // 17 characters
    'RSSMR185T10A562S', // digit among the name letters
    'RSSMRA85T10256S2', // shuffled
    '1234567890123456',
    'RSSMRA85T10A562-',
    'RSSMRA85T10A562Ș', // a non-ASCII letter
  ])('%j has the wrong shape', (code) => {
    expect(taxCodeProblem(code)).toBe('format');
    expect(isValidTaxCode(code)).toBe(false);
  });
});

describe('buildTaxCode', () => {
  const build = (
    lastName: string,
    firstName: string,
    year: number,
    month: number,
    day: number,
    female: boolean,
    birthplaceCode: string,
  ) => buildTaxCode({ lastName, firstName, birthDate: { year, month, day }, female, birthplaceCode });

  it.each([
    // surname consonants, then vowels, then X; name: 1st, 3rd, 4th consonant if more than 3
    [['Rossi', 'Mario', 1985, 12, 10, false, 'A562'], 'RSSMRA85T10A562S'],
    [['Moretti', 'Matteo', 1925, 4, 9, false, 'F205'], 'MRTMTT25D09F205Z'],
    [['Bianchi', 'Francesco', 1990, 1, 1, false, 'F205'], 'BNCFNC90A01F205M'], // Francesco -> F N C
    [['Conti', 'Christian', 1988, 1, 20, false, 'C933'], 'CNTCRS88A20C933U'], // C H R S T N -> C R S
    [['Esposito', 'Giuseppe', 1950, 6, 15, false, 'F839'], 'SPSGPP50H15F839Z'],
    [['Verdi', 'Anna', 1976, 2, 29, true, 'H501'], 'VRDNNA76B69H501H'], // female: 29 + 40, in a leap year
    [['Bo', 'Ugo', 2001, 7, 31, false, 'L219'], 'BOXGUO01L31L219S'], // short: padded with X
    [['Fò', 'Bo', 1960, 5, 5, true, 'D612'], 'FOXBOX60E45D612W'], // accent dropped, day 05 + 40
    [['Ma', 'Li', 1990, 8, 8, true, 'Z210'], 'MAXLIX90M48Z210I'],
    [['Nicolò', 'Niccolò', 1999, 3, 15, false, 'F704'], 'NCLNCL99C15F704F'],
    [['Lù', 'Zoë', 2004, 9, 9, true, 'Z404'], 'LUXZOE04P49Z404J'],
    [["D'Angelo", 'Gianmaria', 1982, 11, 30, false, 'B157'], 'DNGGMR82S30B157G'], // apostrophe ignored
    [['Andreà', 'Élise', 1970, 10, 22, true, 'a944'], 'NDRLSE70R62A944Y'], // lower-case Belfiore code
  ] as const)('%j -> %s', (args, expected) => {
    const [lastName, firstName, year, month, day, female, birthplaceCode] = args;
    const code = build(lastName, firstName, year, month, day, female, birthplaceCode);
    expect(code).toBe(expected);
    expect(isValidTaxCode(code)).toBe(true);
  });

  it('produces codes that pass validation for every month and both sexes', () => {
    for (let month = 1; month <= 12; month++) {
      for (const female of [false, true]) {
        const code = build('Gallo', 'Ilaria', 2000, month, 28, female, 'L736');
        expect(taxCodeProblem(code), code).toBeUndefined();
      }
    }
  });
});
