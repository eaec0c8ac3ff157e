import { type CivilDate, civilDateKey, weekday } from './calendar.js';

/**
 * Italian national public holidays (L. 260/1949 and later amendments), plus
 * the local ones a municipality configures (its patron saint). A deadline
 * falling on one of them, or on a Sunday, moves to the next day (art. 2963
 * c.c., third paragraph). Saturdays are ordinary days.
 */
const NATIONAL_HOLIDAYS = new Set([
  '01-01', // Capodanno
  '01-06', // Epifania
  '04-25', // Festa della Liberazione
  '05-01', // Festa del Lavoro
  '06-02', // Festa della Repubblica
  '08-15', // Ferragosto
  '11-01', // Ognissanti
  '12-08', // Immacolata Concezione
  '12-25', // Natale
  '12-26', // Santo Stefano
]);

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

function sameDate(a: CivilDate, b: CivilDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/**
 * Local holidays are written `MM-DD` (every year, e.g. a patron saint) or
 * `YYYY-MM-DD` (once).
 */
export function isPublicHoliday(date: CivilDate, localHolidays: readonly string[] = []): boolean {
  const key = civilDateKey(date);
  const monthDay = key.slice(5);
  if (NATIONAL_HOLIDAYS.has(monthDay)) return true;
  const easter = easterSunday(date.year);
  if (sameDate(date, easter)) return true;
  const easterMonday = new Date(Date.UTC(easter.year, easter.month - 1, easter.day + 1));
  if (date.month === easterMonday.getUTCMonth() + 1 && date.day === easterMonday.getUTCDate()) return true;
  return localHolidays.includes(monthDay) || localHolidays.includes(key);
}

/** Not a Sunday and not a public holiday: a day on which a deadline may fall. */
export function isDeadlineDay(date: CivilDate, localHolidays: readonly string[] = []): boolean {
  return weekday(date) !== 0 && !isPublicHoliday(date, localHolidays);
}
