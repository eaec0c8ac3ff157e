import { type CivilDate, addCivilDays, civilDateKey, isRealDate, weekday } from './calendar.js';
import { compareCodes } from '../text/compare.js';

/**
 * Italian national public holidays, year by year, plus the local ones a
 * municipality configures (its patron saint). A deadline falling on one of
 * them, or on a Sunday, moves to the next day (art. 2963 c.c., third
 * paragraph); Saturdays are ordinary days.
 *
 * The list is the law's, with its history, because imported registers go
 * back decades:
 * - L. 260/1949 art. 2: the list in force until 1976, which also had
 *   San Giuseppe (19 March), Ascension, Corpus Domini, Saints Peter and Paul
 *   (29 June) and 4 November (National Unity).
 * - L. 54/1977 (5 March 1977) abolished those five and Epiphany, and moved the
 *   celebration of 2 June to the first Sunday of June (and of 4 November to the
 *   first Sunday of November, not listed here: a Sunday is already no
 *   deadline day, and neither SPEC nor the usual calendars count it). Epiphany
 *   1977 had already passed under the old law, so it is a holiday; it is not
 *   one from 1978 (SPEC section 4 says "1977-1985"; the law, and Python's
 *   `holidays`, say 1978-1985).
 * - D.P.R. 792/1985 restored Epiphany from 1986; L. 336/2000 restored 2 June
 *   from 2001.
 * - D.L. 5/2011 made 17 March 2011 (150 years of the unified Italy) a holiday, once.
 * - L. 151/2025 made 4 October (San Francesco d'Assisi, patron saint of Italy)
 *   a holiday from 2026.
 *
 * A table of our own rather than the `date-holidays` package: its whole
 * world's data would be loaded for one country, and it knows none of the
 * history before 2011. tests/unit/holidays.test.ts compares the two day by day
 * for 1970-2100 and names every day on which they legitimately differ.
 * Years before 1950 (before L. 260/1949) get the 1950 list.
 */
export type NationalHolidayCode =
  | 'new_year'
  | 'epiphany'
  | 'saint_joseph'
  | 'easter'
  | 'easter_monday'
  | 'unification_150'
  | 'liberation'
  | 'labour'
  | 'ascension'
  | 'republic'
  | 'corpus_domini'
  | 'saints_peter_and_paul'
  | 'assumption'
  | 'saint_francis'
  | 'all_saints'
  | 'national_unity'
  | 'immaculate_conception'
  | 'christmas'
  | 'saint_stephen';

export interface Holiday {
  readonly date: CivilDate;
  /** The national holiday's code, or `local` for one from the `local-holidays` setting. */
  readonly code: NationalHolidayCode | 'local';
}

interface HolidayRule {
  readonly code: NationalHolidayCode;
  /** The day in a year, or undefined in the years the holiday is not in force. */
  readonly on: (year: number) => CivilDate | undefined;
}

const fixed =
  (month: number, day: number, inForce: (year: number) => boolean = () => true) =>
  (year: number): CivilDate | undefined =>
    inForce(year) ? { year, month, day } : undefined;

const fromEaster =
  (days: number, inForce: (year: number) => boolean = () => true) =>
  (year: number): CivilDate | undefined =>
    inForce(year) ? addCivilDays(easterSunday(year), days) : undefined;

const until1976 = (year: number) => year <= 1976;

/** The first Sunday of June. */
function firstSundayOfJune(year: number): CivilDate {
  const first = { year, month: 6, day: 1 };
  return addCivilDays(first, (7 - weekday(first)) % 7);
}

/** In the order of the calendar (Easter moves, so the order is settled by sorting). */
const RULES: readonly HolidayRule[] = [
  { code: 'new_year', on: fixed(1, 1) },
  { code: 'epiphany', on: fixed(1, 6, (year) => year <= 1977 || year >= 1986) },
  { code: 'saint_joseph', on: fixed(3, 19, until1976) },
  { code: 'unification_150', on: fixed(3, 17, (year) => year === 2011) },
  { code: 'easter', on: fromEaster(0) },
  { code: 'easter_monday', on: fromEaster(1) },
  { code: 'liberation', on: fixed(4, 25) },
  { code: 'labour', on: fixed(5, 1) },
  { code: 'ascension', on: fromEaster(39, until1976) },
  { code: 'republic', on: (year) => (year >= 1977 && year <= 2000 ? firstSundayOfJune(year) : { year, month: 6, day: 2 }) },
  { code: 'corpus_domini', on: fromEaster(60, until1976) },
  { code: 'saints_peter_and_paul', on: fixed(6, 29, until1976) },
  { code: 'assumption', on: fixed(8, 15) },
  { code: 'saint_francis', on: fixed(10, 4, (year) => year >= 2026) },
  { code: 'all_saints', on: fixed(11, 1) },
  { code: 'national_unity', on: fixed(11, 4, until1976) },
  { code: 'immaculate_conception', on: fixed(12, 8) },
  { code: 'christmas', on: fixed(12, 25) },
  { code: 'saint_stephen', on: fixed(12, 26) },
];

const easterCache = new Map<number, CivilDate>();

/** Easter Sunday in the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): CivilDate {
  const cached = easterCache.get(year);
  if (cached) return cached;
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  const easter = { year, month, day };
  easterCache.set(year, easter);
  return easter;
}

const byDate = (a: Holiday, b: Holiday) => compareCodes(civilDateKey(a.date), civilDateKey(b.date));

const nationalCache = new Map<number, { list: readonly Holiday[]; keys: ReadonlySet<string> }>();

function nationalYear(year: number) {
  let entry = nationalCache.get(year);
  if (!entry) {
    const list = RULES.flatMap((rule) => {
      const date = rule.on(year);
      return date ? [{ date, code: rule.code }] : [];
    }).sort(byDate);
    entry = { list, keys: new Set(list.map((holiday) => civilDateKey(holiday.date))) };
    nationalCache.set(year, entry);
  }
  return entry;
}

/** The national holidays in force in a year, in date order. */
export function nationalHolidays(year: number): readonly Holiday[] {
  return nationalYear(year).list;
}

/**
 * Local holidays are written `MM-DD` (every year, e.g. a patron saint) or
 * `YYYY-MM-DD` (once). The days they give in a year (a recurring 02-29 only in leap years).
 */
export function localHolidaysIn(year: number, localHolidays: readonly string[]): Holiday[] {
  return localHolidays.flatMap((text) => {
    const match = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(text);
    if (!match || (match[1] !== undefined && Number(match[1]) !== year)) return [];
    const [month, day] = [Number(match[2]), Number(match[3])];
    return isRealDate(year, month, day) ? [{ date: { year, month, day }, code: 'local' as const }] : [];
  });
}

/** Every holiday urp applies in a year, national and local, in date order. */
export function holidaysIn(year: number, localHolidays: readonly string[] = []): Holiday[] {
  return [...nationalHolidays(year), ...localHolidaysIn(year, localHolidays)].sort(byDate);
}

export function isPublicHoliday(date: CivilDate, localHolidays: readonly string[] = []): boolean {
  const key = civilDateKey(date);
  if (nationalYear(date.year).keys.has(key)) return true;
  return localHolidays.includes(key.slice(5)) || localHolidays.includes(key);
}

/** Not a Sunday and not a public holiday: a day on which a deadline may fall. */
export function isDeadlineDay(date: CivilDate, localHolidays: readonly string[] = []): boolean {
  return weekday(date) !== 0 && !isPublicHoliday(date, localHolidays);
}
