import { parseOneAddress } from 'email-addresses';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  emailForPeople,
  emailMatchKey,
  emailProblem,
  findStoredEmail,
  normaliseEmail,
  normalisePhone,
  phoneForPeople,
  phoneProblem,
} from '../../src/domain/contacts.js';

// ---------------------------------------------------------------------------
// E-mail. Expected stored forms are written by hand (the punycode of the
// internationalised domains is the well-known one: münchen.de is
// xn--mnchen-3ya.de, пример.рф is xn--e1afmkfd.xn--p1ai). The oracle for the
// syntax is the npm package email-addresses (an RFC 5322 parser, with RFC 6532
// for UTF-8): whatever urp accepts it must accept too, and whatever it refuses
// urp must refuse.

/** RFC 5322 (with RFC 6532) as the oracle reads it: the whole text is one bare addr-spec (no display name, no comments). */
function rfc5322(address: string): boolean {
  const parsed = parseOneAddress({ input: address, rfc6532: true, strict: true });
  if (parsed === null || !('local' in parsed) || parsed.name !== null || parsed.parts.comments.length > 0) return false;
  return `${parsed.parts.local.tokens}@${parsed.parts.domain.tokens}` === address;
}

const LOCAL_PARTS = [
  'mario',
  'mario.rossi',
  'Mario.Rossi',
  'MARIO',
  'm.rossi-1985',
  'anna+urp',
  "o'brien",
  'first_last',
  'a',
  'x'.repeat(64),
  '!#$%&*+/=?^_`{|}~-',
  'ufficio.relazioni.pubblico',
  '1234',
  'a-b.c_d',
  'Segreteria.URP',
];

// [as typed, as stored]
const DOMAINS: Array<[string, string]> = [
  ['example.it', 'example.it'],
  ['Comune.Legnano.MI.IT', 'comune.legnano.mi.it'],
  ['sub-domain.example.co.uk', 'sub-domain.example.co.uk'],
  ['gmail.com', 'gmail.com'],
  ['pec.comune.milano.it', 'pec.comune.milano.it'],
  ['università.it', 'xn--universit-y1a.it'],
  ['UNIVERSITÀ.IT', 'xn--universit-y1a.it'],
  ['xn--universit-y1a.it', 'xn--universit-y1a.it'],
  ['XN--UNIVERSIT-Y1A.IT', 'xn--universit-y1a.it'],
  ['münchen.de', 'xn--mnchen-3ya.de'],
  ['xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
  ['пример.рф', 'xn--e1afmkfd.xn--p1ai'],
  ['straße.de', 'xn--strae-oqa.de'],
  ['café.fr', 'xn--caf-dma.fr'],
  ['a1.b2.c3.museum', 'a1.b2.c3.museum'],
];

describe('e-mail: valid addresses (local parts x domains)', () => {
  const cases = LOCAL_PARTS.flatMap((local) => DOMAINS.map(([typed, stored]) => [`${local}@${typed}`, `${local}@${stored}`] as const));
  it(`has a corpus of ${cases.length} addresses`, () => expect(cases.length).toBeGreaterThanOrEqual(200));

  it.each(cases)('%s is stored as %s', (typed, stored) => {
    expect(normaliseEmail(typed)).toBe(stored);
    expect(emailProblem(typed)).toBeUndefined();
    // The oracle agrees it is an RFC 5322 address.
    expect(rfc5322(typed)).toBe(true);
  });

  it('keeps the local part as typed, lower-cases the domain only, trims blanks', () => {
    expect(normaliseEmail('  Mario.Rossi@Comune.Legnano.MI.IT  ')).toBe('Mario.Rossi@comune.legnano.mi.it');
    expect(normaliseEmail('URP@COMUNE.EXAMPLE.IT')).toBe('URP@comune.example.it');
  });

  it('stores an internationalised domain in one form, however it was typed', () => {
    const forms = ['mario@università.it', 'mario@UNIVERSITÀ.it', 'mario@xn--universit-y1a.it', 'mario@XN--universit-Y1A.IT', 'mario@universita\u0300.it'];
    expect(new Set(forms.map(normaliseEmail))).toEqual(new Set(['mario@xn--universit-y1a.it']));
  });

  it('matches the same address whatever the case of its local part', () => {
    expect(emailMatchKey(normaliseEmail('Mario.Rossi@Example.IT')!)).toBe(emailMatchKey(normaliseEmail('mario.rossi@example.it')!));
    expect(emailMatchKey(normaliseEmail('MARIO@università.it')!)).toBe(emailMatchKey(normaliseEmail('mario@xn--universit-y1a.it')!));
  });

  it('shows people the Unicode domain', () => {
    expect(emailForPeople('Mario@xn--universit-y1a.it')).toBe('Mario@università.it');
    expect(emailForPeople('a@xn--e1afmkfd.xn--p1ai')).toBe('a@пример.рф');
    expect(emailForPeople('mario.rossi@example.it')).toBe('mario.rossi@example.it');
  });
});

describe('e-mail: invalid syntax', () => {
  // [address, the message key urp gives]
  const cases: Array<[string, string]> = [
    ['', 'email.syntax'],
    ['   ', 'email.syntax'],
    ['mario.rossi', 'email.syntax'],
    ['mario.rossi@', 'email.syntax'],
    ['@example.it', 'email.syntax'],
    ['mario@@example.it', 'email.syntax'],
    ['mario@ex@ample.it', 'email.syntax'],
    ['mario.rossi@example.it, anna@example.it', 'email.syntax'],
    ['mario rossi@example.it', 'email.localPart'],
    ['mario..rossi@example.it', 'email.localPart'],
    ['.mario.rossi@example.it', 'email.localPart'],
    ['mario.rossi.@example.it', 'email.localPart'],
    ['mario,rossi@example.it', 'email.localPart'],
    ['mario(rossi)@example.it', 'email.localPart'],
    ['mario<rossi>@example.it', 'email.localPart'],
    ['mario[1]@example.it', 'email.localPart'],
    ['mario:rossi@example.it', 'email.localPart'],
    ['mario;rossi@example.it', 'email.localPart'],
    ['mario\\rossi@example.it', 'email.localPart'],
    ['mario\trossi@example.it', 'email.localPart'],
    ['màrio@example.it', 'email.localNonAscii'],
    ['пример@example.it', 'email.localNonAscii'],
    ['"mario rossi"@example.it', 'email.quoted'],
    ['"mario"@example.it', 'email.quoted'],
    ['"a@b"@example.it', 'email.quoted'],
    ['mario@example', 'email.domain'],
    ['mario@localhost2', 'email.domain'],
    ['mario@example .it', 'email.domain'],
    ['mario@example..it', 'email.domain'],
    ['mario@.example.it', 'email.domain'],
    ['mario@example.it.', 'email.domain'],
    ['mario@-example.it', 'email.domain'],
    ['mario@example-.it', 'email.domain'],
    ['mario@ex_ample.it', 'email.domain'],
    ['mario@ex!ample.it', 'email.domain'],
    ['mario@example.i', 'email.domain'],
    ['mario@example.123', 'email.domain'],
    ['mario@192.168.0.1', 'email.domain'],
    ['mario@[192.168.0.1]', 'email.domain'],
    ['mario@[IPv6:2001:db8::1]', 'email.domain'],
    [`mario@${'a'.repeat(64)}.it`, 'email.domain'], // a label of 64 characters
    [`${'a'.repeat(65)}@example.it`, 'email.tooLong'],
    [`mario@${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.it`, 'email.tooLong'], // 307 characters
    [`${'a'.repeat(64)}@${Array.from({ length: 3 }, () => 'b'.repeat(60)).join('.')}.example.it`, 'email.tooLong'],
  ];

  it.each(cases)('%j is refused (%s)', (address, key) => {
    expect(normaliseEmail(address)).toBeUndefined();
    expect(emailProblem(address)?.key).toBe(key);
  });

  // Addresses RFC 5322 allows that urp refuses by choice: citizens do not have
  // them, and mail programs mishandle them (quoted and non-ASCII local parts,
  // address literals, dotless or numeric domains, labels outside LDH, RFC 5321's lengths).
  const allowedByTheRfc = new Set([
    '"mario rossi"@example.it',
    '"mario"@example.it',
    '"a@b"@example.it',
    'màrio@example.it',
    'пример@example.it',
    'mario@example',
    'mario@localhost2',
    'mario@ex_ample.it',
    'mario@ex!ample.it',
    'mario@example.i',
    'mario@example.123',
    'mario@192.168.0.1',
    'mario@[192.168.0.1]',
    'mario@[IPv6:2001:db8::1]',
    'mario@-example.it',
    'mario@example-.it',
    `mario@${'a'.repeat(64)}.it`,
    `${'a'.repeat(65)}@example.it`,
    `mario@${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.it`,
    `${'a'.repeat(64)}@${Array.from({ length: 3 }, () => 'b'.repeat(60)).join('.')}.example.it`,
  ]);

  it.each(cases.filter(([address]) => address.trim() !== ''))('the RFC 5322 oracle on %j', (address) => {
    expect(rfc5322(address)).toBe(allowedByTheRfc.has(address));
  });
});

describe('e-mail: special-use domains that never receive mail (RFC 6761, 6762, 7686, 9476, .arpa)', () => {
  const cases: Array<[string, string, string]> = [];
  const hosts = ['mail', 'host', 'comune.valdoria', 'a.b.c'];
  for (const [suffix, key] of [
    ['test', 'email.reservedTest'],
    ['example', 'email.reservedExample'],
    ['invalid', 'email.reservedInvalid'],
    ['localhost', 'email.reservedLocalhost'],
    ['local', 'email.reservedLocal'],
    ['onion', 'email.reservedOnion'],
    ['alt', 'email.reservedAlt'],
    ['arpa', 'email.reservedArpa'],
  ] as const) {
    for (const host of hosts) cases.push([`mario@${host}.${suffix}`, key, `.${suffix}`]);
    cases.push([`MARIO@HOST.${suffix.toUpperCase()}`, key, `.${suffix}`]);
  }
  for (const domain of ['example.com', 'example.net', 'example.org']) {
    cases.push([`mario@${domain}`, 'email.reservedExample', domain]);
    cases.push([`mario@www.${domain}`, 'email.reservedExample', domain]);
    cases.push([`mario@${domain.toUpperCase()}`, 'email.reservedExample', domain]);
  }
  cases.push(['mario@example.arpa', 'email.reservedArpa', '.arpa']);
  cases.push(['mario@home.arpa', 'email.reservedArpa', '.arpa']);
  cases.push(['mario@1.168.192.in-addr.arpa', 'email.reservedArpa', '.arpa']);
  cases.push(['mario@3g2upl4pq6kufc4m.onion', 'email.reservedOnion', '.onion']);
  cases.push(['mario@xn--tst-qla.test', 'email.reservedTest', '.test']); // an IDN under .test
  cases.push(['mario@täst.test', 'email.reservedTest', '.test']);

  it.each(cases)('%s is refused (%s, %s)', (address, key, suffix) => {
    expect(normaliseEmail(address)).toBeUndefined();
    expect(emailProblem(address)).toEqual({ key, params: { suffix } });
  });

  it.each([
    'mario@example.it', // only .example and example.com/.net/.org are reserved
    'mario@examples.com',
    'mario@myexample.com',
    'mario@example.com.it',
    'mario@test.it',
    'mario@local.it',
    'mario@onion.it',
    'mario@localhost.it',
    'mario@arpa.it',
    'mario@comune.invalidi.it',
  ])('%s is not special-use', (address) => {
    expect(normaliseEmail(address)).toBe(address);
  });
});

describe('e-mail: internationalised domains (IDNA)', () => {
  it.each([
    'mario@ab--cd.it', // -- in the third and fourth places, not xn--
    'mario@zz--comune.it',
    'mario@comune.a1--b.it',
    'mario@xn--.it', // empty punycode
    'mario@xn--abc.it', // not valid punycode
    'mario@xn--a.it',
    'mario@xn--ss-.it', // decodes to plain ASCII "ss"
    'mario@xn--zca.it.xn--abc', // valid then invalid
    'mario@xn--53h.it', // ☕: a symbol, not IDNA2008
    'mario@☃.it',
    'mario@xn--ls8h.la', // an emoji
    'mario@a\u200db.it', // a joiner out of context
    'mario@xn--UNIVERSIT-Y1A-.it',
  ])('%j is refused as invalid IDNA', (address) => {
    expect(normaliseEmail(address)).toBeUndefined();
    expect(emailProblem(address)?.key).toBe('email.idna');
  });

  it.each([
    ['mario@xn--zca.it', 'mario@xn--zca.it'], // ß
    ['mario@ß.it', 'mario@xn--zca.it'],
    ['mario@Bücher.de', 'mario@xn--bcher-kva.de'],
    ['mario@comune.forlì-cesena.it', 'mario@comune.xn--forl-cesena-fcb.it'],
    ['mario@例え.jp', 'mario@xn--r8jz45g.jp'],
    ['mario@ελληνικά.gr', 'mario@xn--hxargifdar.gr'],
    ['mario@ａｂｃ.it', 'mario@abc.it'], // full-width letters are mapped (UTS #46)
  ])('%s is stored as %s', (typed, stored) => {
    expect(normaliseEmail(typed)).toBe(stored);
  });
});

describe('e-mail: finding a stored address whatever its case, with a skip scan over a sorted index', () => {
  /** A sorted column, as SQLite's index orders it (UTF-8 bytes, i.e. code points). */
  function index(addresses: string[]) {
    const sorted = [...addresses].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
    let seeks = 0;
    const seek = (from: string) => {
      seeks++;
      return sorted.find((each) => Buffer.compare(Buffer.from(each), Buffer.from(from)) >= 0);
    };
    return { seek, seeks: () => seeks };
  }

  const register = [
    'anna@example.it',
    'Anna.Bianchi@example.it',
    'MARIO.ROSSI@xn--universit-y1a.it',
    'mario.rossi@example.it',
    'Mario.Verdi@example.it',
    'mario@example.it',
    'maria@example.it',
    'MARIA.B@example.it',
    'zeta@example.it',
    'Zeta.Z@example.it',
    ...Array.from({ length: 200 }, (_, n) => `persona${n}@example.it`),
    ...Array.from({ length: 50 }, (_, n) => `Persona${n}.X@example.it`),
  ];

  it.each([
    ['mario.rossi@example.it', 'mario.rossi@example.it'],
    ['Mario.Rossi@example.it', 'mario.rossi@example.it'],
    ['MARIO.ROSSI@example.it', 'mario.rossi@example.it'],
    ['mario.rossi@xn--universit-y1a.it', 'MARIO.ROSSI@xn--universit-y1a.it'],
    ['mario.verdi@example.it', 'Mario.Verdi@example.it'],
    ['MARIO.VERDI@example.it', 'Mario.Verdi@example.it'],
    ['anna.bianchi@example.it', 'Anna.Bianchi@example.it'],
    ['maria.b@example.it', 'MARIA.B@example.it'],
    ['zeta.z@example.it', 'Zeta.Z@example.it'],
    ['PERSONA7@example.it', 'persona7@example.it'],
    ['persona7.x@example.it', 'Persona7.X@example.it'],
    ['mario.rossi@example.com', undefined],
    ['mario.rossi@example.i', undefined],
    ['mario.ross@example.it', undefined],
    ['mario.rossii@example.it', undefined],
    ['maria.c@example.it', undefined],
    ['persona999@example.it', undefined],
    ['aaa@example.it', undefined],
    ['zzz@example.it', undefined],
  ])('%s finds %s', (email, expected) => {
    const { seek, seeks } = index(register);
    expect(findStoredEmail(email, seek)).toBe(expected);
    // Never a scan of the index: about one question per letter, at most.
    expect(seeks()).toBeLessThanOrEqual(2 + 2 * email.length);
  });

  it('agrees with a plain case-insensitive search on every address of a register and its case variants', () => {
    const { seek } = index(register);
    for (const stored of register) {
      for (const typed of [stored, stored.toLowerCase(), stored.toUpperCase().replace(/@.*/, (domain) => domain.toLowerCase())]) {
        expect(findStoredEmail(typed, seek), typed).toBe(stored);
      }
    }
  });
});

// ---------------------------------------------------------------------------
// Phones. Expected E.164 forms are written by hand for the corpus of real
// numbering plans below, then every typed form of them is also checked
// against libphonenumber's own verdict (the oracle); mutations of each
// number are checked against the oracle alone.

function oracle(text: string): string | undefined {
  try {
    const phone = parsePhoneNumberWithError(text.trim(), { defaultCountry: 'IT', extract: false });
    // urp refuses voicemail service numbers on purpose (see contacts.ts); and extensions.
    return phone.isValid() && phone.getType() !== 'VOICEMAIL' && !phone.ext ? phone.number : undefined;
  } catch {
    return undefined;
  }
}

interface Base {
  /** As written in its country, trunk prefix included. */
  readonly national: string;
  readonly countryCode: string;
  readonly e164: string;
  /** The trunk prefix dropped after the country code (0 in the UK, France, Germany, Switzerland), if any. */
  readonly trunk?: string;
  readonly people: string;
}

const italian = (national: string, e164: string, people = national): Base => ({ national, countryCode: '39', e164, people });
const foreign = (countryCode: string, national: string, e164: string, people: string): Base => ({ national, countryCode, e164, trunk: '0', people });

const BASES: Base[] = [
  // Italian landlines (the 0 is part of the number)
  italian('0331 467816', '+390331467816'),
  italian('02 1234 5678', '+390212345678'),
  italian('011 561 2345', '+390115612345'),
  italian('055 234 5678', '+390552345678'),
  italian('081 551 2345', '+390815512345'),
  italian('06 6982', '+39066982'), // a short Rome (Vatican) number
  italian('0549 882000', '+390549882000'), // San Marino dialled through the Italian plan
  // Vatican City shares the Italian plan (+39 06 698)
  italian('06 6988 3000', '+390669883000'),
  // mobiles
  italian('333 123 4567', '+393331234567'),
  italian('347 123 4567', '+393471234567'),
  italian('320 123 4567', '+393201234567'),
  italian('351 123 4567', '+393511234567'),
  italian('366 123 4567', '+393661234567'),
  italian('380 123 4567', '+393801234567'),
  italian('391 123 4567', '+393911234567'),
  italian('333 123456', '+39333123456', '333 123 456'), // an older 9-digit mobile
  // toll-free, shared cost, premium, personal numbers
  italian('800 123 456', '+39800123456'),
  italian('803 116', '+39803116'),
  italian('840 123 456', '+39840123456'),
  italian('848 123 456', '+39848123456'),
  italian('892 123', '+39892123'),
  italian('899 123 456', '+39899123456'),
  italian('199 123 456', '+39199123456'),
  italian('178 123 4567', '+391781234567'),
  // San Marino with its own code (its numbers keep the 0549)
  { national: '0549 882000', countryCode: '378', e164: '+3780549882000', people: '+378 0549 882000' },
  // abroad, with trunk prefixes
  foreign('44', '020 7946 0958', '+442079460958', '+44 20 7946 0958'),
  foreign('44', '0161 496 0000', '+441614960000', '+44 161 496 0000'),
  foreign('44', '07911 123456', '+447911123456', '+44 7911 123456'),
  foreign('33', '01 42 68 53 00', '+33142685300', '+33 1 42 68 53 00'),
  foreign('33', '06 12 34 56 78', '+33612345678', '+33 6 12 34 56 78'),
  foreign('49', '030 901820', '+4930901820', '+49 30 901820'),
  foreign('49', '089 12345678', '+498912345678', '+49 89 12345678'),
  foreign('49', '01512 3456789', '+4915123456789', '+49 1512 3456789'),
  foreign('41', '044 668 18 00', '+41446681800', '+41 44 668 18 00'),
  foreign('41', '079 123 45 67', '+41791234567', '+41 79 123 45 67'),
  foreign('43', '01 2345678', '+4312345678', '+43 1 2345678'),
  { national: '912 34 56 78', countryCode: '34', e164: '+34912345678', people: '+34 912 34 56 78' },
  { national: '212 555 0123', countryCode: '1', e164: '+12125550123', people: '+1 212 555 0123' },
];

/** The ways people type a number: with the country code or not, spaced, dotted, dashed, bracketed. */
function typedForms(base: Base): string[] {
  const digits = base.national.replace(/\D/g, '');
  const groups = base.national.split(' ');
  const withoutTrunk = base.trunk && digits.startsWith(base.trunk) ? digits.slice(base.trunk.length) : digits;
  const groupsWithoutTrunk = [groups[0]!.slice(base.trunk && groups[0]!.startsWith(base.trunk) ? base.trunk.length : 0), ...groups.slice(1)].filter(Boolean);
  const forms = [
    `+${base.countryCode} ${groupsWithoutTrunk.join(' ')}`,
    `+${base.countryCode}${withoutTrunk}`,
    `00${base.countryCode} ${groupsWithoutTrunk.join(' ')}`,
    `+${base.countryCode}.${groupsWithoutTrunk.join('.')}`,
    `+${base.countryCode}-${groupsWithoutTrunk.join('-')}`,
    `  +${base.countryCode} ${groupsWithoutTrunk.join('')}  `,
  ];
  if (base.trunk) {
    // The trunk prefix written in brackets, or left in after the country code: both dropped.
    forms.push(`+${base.countryCode} (${base.trunk})${groupsWithoutTrunk.join(' ')}`, `+${base.countryCode} (${base.trunk}) ${groupsWithoutTrunk.join(' ')}`);
    if (base.countryCode !== '33') forms.push(`+${base.countryCode} ${base.national}`);
  }
  if (base.countryCode === '39') {
    // Italian numbers are usually typed without +39.
    forms.push(base.national, digits, groups.join('.'), groups.join('-'), groups.join('/'), `(${groups[0]}) ${groups.slice(1).join(' ')}`);
  }
  return forms;
}

describe('phones: a corpus of numbers in use, in the ways people type them', () => {
  const cases = BASES.flatMap((base) => typedForms(base).map((typed) => [typed, base.e164] as const));
  it(`has a corpus of ${cases.length} typed numbers`, () => expect(cases.length).toBeGreaterThanOrEqual(250));

  it.each(cases)('%j -> %s', (typed, e164) => {
    expect(normalisePhone(typed)).toBe(e164);
    expect(oracle(typed)).toBe(e164);
    expect(phoneProblem(typed)).toBeUndefined();
  });

  it.each(BASES.map((base) => [base.e164, base.people] as const))('%s is shown to people as %j', (e164, people) => {
    expect(phoneForPeople(e164)).toBe(people);
  });
});

describe('phones: numbers not in use, checked against the oracle', () => {
  // Each number of the corpus with a digit less, three digits more, and its first digits changed.
  const mutations = BASES.flatMap((base) => {
    const [head, ...rest] = base.national.split(' ');
    const country = base.countryCode === '39' ? '' : `+${base.countryCode} `;
    const trunkless = (text: string) => (base.trunk && text.startsWith(base.trunk) ? text.slice(base.trunk.length) : text);
    return [
      `${country}${trunkless(base.national.slice(0, -1))}`,
      `${country}${trunkless(base.national)}999`,
      `${country}${trunkless(`${head!.slice(0, -1)}${(Number(head!.at(-1)) + 5) % 10}`)} ${rest.join(' ')}`,
    ];
  });
  const unique = [...new Set(mutations)];
  it(`has ${unique.length} mutated numbers`, () => expect(unique.length).toBeGreaterThanOrEqual(100));

  it.each(unique)('%j: as libphonenumber says', (typed) => {
    expect(normalisePhone(typed)).toBe(oracle(typed));
    expect(phoneProblem(typed) === undefined).toBe(oracle(typed) !== undefined);
  });
});

describe('phones: the cases of the issue and the reasons given', () => {
  it('drops the UK trunk 0 written in brackets', () => {
    expect(normalisePhone('+44 (0) 20 7946 0958')).toBe('+442079460958');
  });

  it.each([
    ['3001234567', 'phone.notInUse', '39'], // no Italian mobile begins 300
    ['80012345', 'phone.notInUse', '39'], // a toll-free number has 6 digits after 800
    ['+999 123456', 'phone.unknownCountry', '?'],
    ['+39 1234567', 'phone.notInUse', '39'], // Italian numbers do not begin with 1 but 1xx services
    ['1234567890', 'phone.notInUse', '39'],
    ['12125550100', 'phone.notInUse', '39'], // a US number without its +
    ['5551234', 'phone.notInUse', '39'],
    ['333 1234', 'phone.notInUse', '39'],
    ['0331', 'phone.tooShort', '39'],
    ['033', 'phone.tooShort', '39'],
    ['+39 3331', 'phone.tooShort', '39'],
    ['+44 123', 'phone.tooShort', '44'],
    ['333 123 456 789 0', 'phone.tooLong', '39'],
    ['+44 1234 5678 9012 345', 'phone.tooLong', '44'],
    ['333 123 4567 / 0331 467816', 'phone.tooLong', '39'], // two numbers
    ['333 1234 5678', 'phone.voicemail', '39'], // a mobile with a digit too many is a voicemail service number
    ['+0 123 456 789', 'phone.unknownCountry', '?'],
    ['abc', 'phone.notANumber', '39'],
    ['tel. 0331 467816', 'phone.notANumber', '39'],
    ['0331 46781x', 'phone.notANumber', '39'],
    ['333 123 456a', 'phone.notANumber', '39'],
    ['++39 333 1234567', 'phone.notANumber', '?'],
    ['+39 333 123 4567 ext 2', 'phone.extension', '?'],
    ['0331 467816 ext. 12', 'phone.extension', '39'],
    ['', 'phone.notANumber', '39'],
    ['+', 'phone.notANumber', '?'],
  ])('%j is refused: %s', (typed, key, code) => {
    expect(normalisePhone(typed)).toBeUndefined();
    expect(phoneProblem(typed)).toEqual({ key, params: { code } });
  });

  it('finds the same number typed in different ways', () => {
    const forms = ['0331 467816', '+39 0331 467816', '0039 0331-467816', '0331.467.816', '(0331) 467816', '+39 (0)331 467816'];
    expect(new Set(forms.map(normalisePhone))).toEqual(new Set(['+390331467816']));
  });

  it('shows a stored value that is not a valid number as it is (an older register)', () => {
    expect(phoneForPeople('+4402079460958')).toBe('+4402079460958');
    expect(phoneForPeople('not a number')).toBe('not a number');
  });
});
