/**
 * Italian tax code (codice fiscale) of a natural person, as defined by
 * D.M. 23/12/1976: 6 letters from surname and name, birth year, month letter,
 * birth day (+40 for women), the Belfiore code of the birthplace, and a check
 * character. When two people would get the same code, the Agenzia delle
 * Entrate replaces digits with letters from the right (omocodia): such codes
 * are valid too, with their own check character.
 *
 * Hand-written rather than taken from a package: the maintained one
 * (codice-fiscale-js) ships a 300 KB table of municipalities that costs ~26 ms
 * to load, and we only need the structure and the check character.
 */

const MONTH_LETTERS = 'ABCDEHLMPRST';
/** Letters that stand for the digits 0-9 in omocodia variants. */
const OMOCODIA_LETTERS = 'LMNPQRSTUV';
/** Positions (0-based) that hold digits in a regular code and may be letters in a variant. */
const DIGIT_POSITIONS = [6, 7, 9, 10, 12, 13, 14] as const;

// Values of characters in odd positions (1st, 3rd, ... counting from 1), for 0-9 then A-Z.
const ODD_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23, // A-Z
];

const SHAPE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

function characterIndex(character: string): number {
  const code = character.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65 + 10;
}

/** The check character for the first 15 characters of a code (upper case). */
export function taxCodeCheckCharacter(first15: string): string {
  let sum = 0;
  for (let position = 0; position < 15; position++) {
    const index = characterIndex(first15[position]!);
    // Position 0 is the 1st character, an "odd" one in the decree's counting.
    sum += position % 2 === 0 ? ODD_VALUES[index]! : index < 10 ? index : index - 10;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** The regular code behind an omocodia variant (letters in digit positions back to digits). */
export function taxCodeBase(code: string): string {
  const characters = code.split('');
  for (const position of DIGIT_POSITIONS) {
    const letterIndex = OMOCODIA_LETTERS.indexOf(characters[position]!);
    if (letterIndex >= 0) characters[position] = String(letterIndex);
  }
  return characters.slice(0, 15).join('');
}

export type TaxCodeProblem = 'format' | 'date' | 'check';

/** Upper-cases and removes blanks; does not validate. */
export function normaliseTaxCode(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/**
 * Why a (normalised) code is not valid, or undefined when it is. Checks the
 * shape, the birth date it encodes (month letter, day 1-31 or 41-71, a day
 * that exists in that month, 29 February only in a possible leap year) and
 * the check character.
 *
 * The birthplace (Belfiore code) is checked for its shape only, not against
 * the list of municipalities and foreign states. The lists that npm packages
 * carry (codice-fiscale-js, @marketto/belfiore-connector-embedded) must be
 * complete back to the oldest citizen's birth, suppressed and merged
 * municipalities and former states included, and kept up to date as
 * municipalities merge every year: a gap refuses a real person's code, which
 * is worse than accepting a mistyped one (the check character already catches
 * most typing errors), and the table costs start-up time (~300 KB, ~26 ms).
 */
export function taxCodeProblem(code: string): TaxCodeProblem | undefined {
  if (!SHAPE.test(code)) return 'format';
  const base = taxCodeBase(code);
  const month = MONTH_LETTERS.indexOf(base[8]!) + 1;
  const encodedDay = Number(base.slice(9, 11));
  const day = encodedDay > 40 ? encodedDay - 40 : encodedDay;
  // The year has two digits (letters of an omocodia variant already turned back
  // into digits). 29 February exists only where the year can be a leap year: a
  // multiple of 4 is one in both centuries (19xx and 20xx), except 00, which is
  // 2000 (leap) or 1900 (not): accepted; any other two digits are never one.
  const twoDigitYear = Number(base.slice(6, 8));
  const daysInMonth = [31, twoDigitYear % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > daysInMonth || (encodedDay > 31 && encodedDay < 41)) return 'date';
  if (taxCodeCheckCharacter(code.slice(0, 15)) !== code[15]) return 'check';
  return undefined;
}

export function isValidTaxCode(code: string): boolean {
  return taxCodeProblem(normaliseTaxCode(code)) === undefined;
}

function letters(text: string): { consonants: string; vowels: string } {
  const clean = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  return { consonants: clean.replace(/[AEIOU]/g, ''), vowels: clean.replace(/[^AEIOU]/g, '') };
}

/**
 * Builds the regular code for a person (used for demo data and tests): three
 * letters of the surname, three of the name (1st, 3rd and 4th consonant when
 * there are more than three), birth year, month letter, day (+40 for women),
 * Belfiore code of the birthplace, check character.
 */
export function buildTaxCode(person: {
  lastName: string;
  firstName: string;
  birthDate: { year: number; month: number; day: number };
  female: boolean;
  birthplaceCode: string;
}): string {
  const surname = letters(person.lastName);
  const name = letters(person.firstName);
  const nameConsonants =
    name.consonants.length > 3 ? name.consonants[0]! + name.consonants[2]! + name.consonants[3]! : name.consonants;
  const part = (text: string) => (text + 'XXX').slice(0, 3);
  const first15 =
    part(surname.consonants + surname.vowels) +
    part(nameConsonants.length >= 3 ? nameConsonants : name.consonants + name.vowels) +
    String(person.birthDate.year % 100).padStart(2, '0') +
    MONTH_LETTERS[person.birthDate.month - 1] +
    String(person.birthDate.day + (person.female ? 40 : 0)).padStart(2, '0') +
    person.birthplaceCode.toUpperCase();
  return first15 + taxCodeCheckCharacter(first15);
}
