import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { addCivilDays, civilDateKey, weekday } from '../../src/domain/calendar.js';
import { holidaysIn, isPublicHoliday, nationalHolidays } from '../../src/domain/holidays.js';

// The oracle: the npm package date-holidays (pinned as a dev dependency),
// Italy's days of type 'public'. It lists today's holidays for every year,
// with only two pieces of history (17 March 2011, 4 October from 2026), so on
// some days urp and the library differ, legitimately, by law; each such day
// is named by `explained` below, and no other difference is allowed.
const oracle = new Holidays('IT', { types: ['public'] });

function oracleDays(year: number): Set<string> {
  return new Set(oracle.getHolidays(year).filter((holiday) => holiday.type === 'public').map((holiday) => holiday.date.slice(0, 10)));
}

function urpDays(year: number): Set<string> {
  return new Set(nationalHolidays(year).map((holiday) => civilDateKey(holiday.date)));
}

const firstSundayOfJune = (year: number) => {
  const first = { year, month: 6, day: 1 };
  return civilDateKey(addCivilDays(first, (7 - weekday(first)) % 7));
};

/** Why urp and date-holidays disagree on a day, or undefined when they must agree. */
function explained(key: string, inUrp: boolean): string | undefined {
  const year = Number(key.slice(0, 4));
  const monthDay = key.slice(5);
  if (year <= 1976 && inUrp) {
    // L. 260/1949 art. 2, until L. 54/1977 abolished them: the library has no history before 2011.
    if (['03-19', '06-29', '11-04'].includes(monthDay)) return 'holiday until 1976 (San Giuseppe, Santi Pietro e Paolo, 4 novembre)';
    const ascensionOrCorpusDomini = nationalHolidays(year).some(
      (holiday) => civilDateKey(holiday.date) === key && (holiday.code === 'ascension' || holiday.code === 'corpus_domini'),
    );
    if (ascensionOrCorpusDomini) return 'Ascension and Corpus Domini were holidays until 1976';
  }
  if (year >= 1978 && year <= 1985 && monthDay === '01-06' && !inUrp) return 'Epiphany abolished by L. 54/1977, restored from 1986 by D.P.R. 792/1985';
  if (year >= 1977 && year <= 2000) {
    // L. 54/1977 moved the Festa della Repubblica to the first Sunday of June; L. 336/2000 brought it back to 2 June.
    if (monthDay === '06-02' && !inUrp) return 'Festa della Repubblica on the first Sunday of June, 1977-2000';
    if (key === firstSundayOfJune(year) && inUrp) return 'Festa della Repubblica on the first Sunday of June, 1977-2000';
  }
  return undefined;
}

describe('national holidays against date-holidays, day by day, 1970-2100', () => {
  it('agrees on every day except those the law explains', () => {
    const unexplained: string[] = [];
    const explainedDays = new Map<string, number>();
    for (let year = 1970; year <= 2100; year++) {
      const ours = urpDays(year);
      const theirs = oracleDays(year);
      for (let date = { year, month: 1, day: 1 }; date.year === year; date = addCivilDays(date, 1)) {
        const key = civilDateKey(date);
        // isPublicHoliday is what deadlines use: it must agree with the year's list.
        expect(isPublicHoliday(date), key).toBe(ours.has(key));
        if (ours.has(key) === theirs.has(key)) continue;
        const why = explained(key, ours.has(key));
        if (why) explainedDays.set(why, (explainedDays.get(why) ?? 0) + 1);
        else unexplained.push(`${key}: ${ours.has(key) ? 'urp only' : 'date-holidays only'}`);
      }
    }
    expect(unexplained).toEqual([]);
    // The explanations are each used (none of them is a blanket excuse that never fires).
    expect(Object.fromEntries(explainedDays)).toEqual({
      'holiday until 1976 (San Giuseppe, Santi Pietro e Paolo, 4 novembre)': 7 * 3,
      'Ascension and Corpus Domini were holidays until 1976': 7 * 2,
      'Epiphany abolished by L. 54/1977, restored from 1986 by D.P.R. 792/1985': 8,
      // 24 years, both ways, except 1985 and 1991 and 1996, when 2 June was the first Sunday of June.
      'Festa della Repubblica on the first Sunday of June, 1977-2000': (24 - 3) * 2,
    });
  });

  it('knows the days the issue names', () => {
    expect(isPublicHoliday({ year: 2026, month: 10, day: 4 })).toBe(true); // from 2026 (a Sunday that year)
    expect(isPublicHoliday({ year: 2027, month: 10, day: 4 })).toBe(true);
    expect(isPublicHoliday({ year: 2025, month: 10, day: 4 })).toBe(false);
    expect(isPublicHoliday({ year: 1977, month: 1, day: 6 })).toBe(true); // before L. 54/1977 of 5 March 1977
    expect(isPublicHoliday({ year: 1978, month: 1, day: 6 })).toBe(false);
    expect(isPublicHoliday({ year: 1985, month: 1, day: 6 })).toBe(false);
    expect(isPublicHoliday({ year: 1986, month: 1, day: 6 })).toBe(true);
    expect(isPublicHoliday({ year: 1995, month: 6, day: 2 })).toBe(false); // a Friday; the Repubblica was on Sunday 4 June
    expect(isPublicHoliday({ year: 1995, month: 6, day: 4 })).toBe(true);
    expect(isPublicHoliday({ year: 2001, month: 6, day: 2 })).toBe(true);
    expect(isPublicHoliday({ year: 2011, month: 3, day: 17 })).toBe(true);
    expect(isPublicHoliday({ year: 2012, month: 3, day: 17 })).toBe(false);
    expect(isPublicHoliday({ year: 2010, month: 3, day: 17 })).toBe(false);
  });
});

describe('holidaysIn', () => {
  it('lists the year in date order, with Easter and its Monday computed', () => {
    expect(holidaysIn(2027).map((holiday) => `${civilDateKey(holiday.date)} ${holiday.code}`)).toEqual([
      '2027-01-01 new_year',
      '2027-01-06 epiphany',
      '2027-03-28 easter',
      '2027-03-29 easter_monday',
      '2027-04-25 liberation',
      '2027-05-01 labour',
      '2027-06-02 republic',
      '2027-08-15 assumption',
      '2027-10-04 saint_francis',
      '2027-11-01 all_saints',
      '2027-12-08 immaculate_conception',
      '2027-12-25 christmas',
      '2027-12-26 saint_stephen',
    ]);
  });

  it('has the pre-1977 list and 17 March 2011 in their years', () => {
    expect(holidaysIn(1975).map((holiday) => `${civilDateKey(holiday.date)} ${holiday.code}`)).toEqual([
      '1975-01-01 new_year',
      '1975-01-06 epiphany',
      '1975-03-19 saint_joseph',
      '1975-03-30 easter',
      '1975-03-31 easter_monday',
      '1975-04-25 liberation',
      '1975-05-01 labour',
      '1975-05-08 ascension', // Easter + 39 days, a Thursday
      '1975-05-29 corpus_domini', // Easter + 60 days, a Thursday
      '1975-06-02 republic',
      '1975-06-29 saints_peter_and_paul',
      '1975-08-15 assumption',
      '1975-11-01 all_saints',
      '1975-11-04 national_unity',
      '1975-12-08 immaculate_conception',
      '1975-12-25 christmas',
      '1975-12-26 saint_stephen',
    ]);
    expect(holidaysIn(2011).filter((holiday) => holiday.date.month === 3).map((holiday) => holiday.code)).toEqual(['unification_150']);
    // 2011: Easter Monday fell on 25 April, two holidays on one day.
    expect(holidaysIn(2011).filter((holiday) => civilDateKey(holiday.date) === '2011-04-25').map((holiday) => holiday.code)).toEqual(['easter_monday', 'liberation']);
  });

  it('adds the local holidays of the year: recurring ones, and one-off ones only in their year', () => {
    const local = ['06-13', '2027-11-30', '2028-01-31', '02-29'];
    const locals = (year: number) => holidaysIn(year, local).filter((holiday) => holiday.code === 'local').map((holiday) => civilDateKey(holiday.date));
    expect(locals(2027)).toEqual(['2027-06-13', '2027-11-30']);
    expect(locals(2028)).toEqual(['2028-01-31', '2028-02-29', '2028-06-13']);
    // Between the national ones, in date order.
    const year2027 = holidaysIn(2027, local).map((holiday) => civilDateKey(holiday.date));
    expect(year2027.indexOf('2027-06-13')).toBe(year2027.indexOf('2027-06-02') + 1);
  });
});
