import { describe, expect, it } from 'vitest';
import {
  END_OF_DAY,
  START_OF_DAY,
  addCivilDays,
  civilDateKey,
  civilDateOf,
  isRealDate,
  isValidTimeZone,
  weekday,
  zonedInstant,
  zonedParts,
} from '../../src/domain/calendar.js';
import { easterSunday, isDeadlineDay, isPublicHoliday } from '../../src/domain/holidays.js';
import { deadlineCalculator, suspendedCalendarDays } from '../../src/domain/deadlines.js';

// Expected values below are worked out by hand (weekdays checked with a calendar),
// never with the code under test. Rome is UTC+1 in winter (CET) and UTC+2 in summer
// (CEST); in 2026 clocks go forward on Sun 29 March at 01:00Z and back on Sun 25
// October at 01:00Z.

const ROME = 'Europe/Rome';

function calculator(localHolidays: string[] = []) {
  return deadlineCalculator({ assignHours: 48, replyDays: 30, timeZone: ROME, localHolidays });
}

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();
const d = (year: number, month: number, day: number) => ({ year, month, day });

describe('calendar helpers', () => {
  it('reads the Rome civil date and wall time of an instant, winter and summer', () => {
    // 26 Nov 2026 08:30Z is 09:30 CET
    expect(zonedParts(at('2026-11-26T08:30:00Z'), ROME)).toEqual({
      date: d(2026, 11, 26),
      time: { hours: 9, minutes: 30, seconds: 0, milliseconds: 0 },
    });
    // 15 Jul 2026 22:15Z is already 16 Jul 00:15 CEST
    expect(zonedParts(at('2026-07-15T22:15:00.250Z'), ROME)).toEqual({
      date: d(2026, 7, 16),
      time: { hours: 0, minutes: 15, seconds: 0, milliseconds: 250 },
    });
    // 31 Dec 2026 23:30Z is 1 Jan 2027 00:30 CET: the Rome date changes year
    expect(civilDateOf(at('2026-12-31T23:30:00Z'), ROME)).toEqual(d(2027, 1, 1));
  });

  it('turns a Rome date and wall time back into the UTC instant', () => {
    expect(iso(zonedInstant(d(2026, 11, 26), START_OF_DAY, ROME))).toBe('2026-11-25T23:00:00.000Z');
    expect(iso(zonedInstant(d(2026, 11, 26), END_OF_DAY, ROME))).toBe('2026-11-26T22:59:59.999Z');
    expect(iso(zonedInstant(d(2026, 7, 15), END_OF_DAY, ROME))).toBe('2026-07-15T21:59:59.999Z');
    // The days of the changes themselves: both ends of each day have their own offset.
    expect(iso(zonedInstant(d(2026, 3, 29), START_OF_DAY, ROME))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(zonedInstant(d(2026, 3, 29), END_OF_DAY, ROME))).toBe('2026-03-29T21:59:59.999Z');
    expect(iso(zonedInstant(d(2026, 10, 25), START_OF_DAY, ROME))).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(zonedInstant(d(2026, 10, 25), END_OF_DAY, ROME))).toBe('2026-10-25T22:59:59.999Z');
  });

  it('reads a wall time in the hour skipped on 29 March 2026 with the winter offset (02:30 -> 03:30 CEST)', () => {
    const time = { hours: 2, minutes: 30, seconds: 0, milliseconds: 0 };
    expect(iso(zonedInstant(d(2026, 3, 29), time, ROME))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('adds civil days across month, year and leap-day boundaries', () => {
    expect(addCivilDays(d(2026, 1, 31), 30)).toEqual(d(2026, 3, 2));
    expect(addCivilDays(d(2028, 1, 31), 30)).toEqual(d(2028, 3, 1));
    expect(addCivilDays(d(2026, 12, 31), 1)).toEqual(d(2027, 1, 1));
    expect(addCivilDays(d(2027, 1, 1), -1)).toEqual(d(2026, 12, 31));
  });

  it('knows weekdays, real dates, keys and time zones', () => {
    expect(weekday(d(2026, 11, 26))).toBe(4); // Thursday
    expect(weekday(d(2026, 11, 29))).toBe(0); // Sunday
    expect(weekday(d(2026, 11, 28))).toBe(6); // Saturday
    expect(isRealDate(2028, 2, 29)).toBe(true);
    expect(isRealDate(2027, 2, 29)).toBe(false);
    expect(isRealDate(2026, 2, 31)).toBe(false);
    expect(isRealDate(2026, 13, 1)).toBe(false);
    expect(isRealDate(2026, 0, 1)).toBe(false);
    expect(isRealDate(2026, 4, 0)).toBe(false);
    expect(civilDateKey(d(2026, 3, 7))).toBe('2026-03-07');
    expect(isValidTimeZone('Europe/Rome')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
  });
});

describe('Italian public holidays', () => {
  it.each([
    [2024, d(2024, 3, 31)],
    [2025, d(2025, 4, 20)],
    [2026, d(2026, 4, 5)],
    [2027, d(2027, 3, 28)],
    [2038, d(2038, 4, 25)], // the latest possible date
    [2000, d(2000, 4, 23)],
    [2008, d(2008, 3, 23)],
    [2019, d(2019, 4, 21)],
    [2285, d(2285, 3, 22)], // the earliest possible date
  ])('Easter Sunday %i', (year, expected) => {
    expect(easterSunday(year)).toEqual(expected);
  });

  it.each([
    '2026-01-01',
    '2026-01-06',
    '2026-04-05', // Easter Sunday
    '2026-04-06', // Easter Monday
    '2026-04-25',
    '2026-05-01',
    '2026-06-02',
    '2026-08-15',
    '2026-11-01',
    '2026-12-08',
    '2026-12-25',
    '2026-12-26',
    '2024-04-01', // Easter Monday in the month after Easter Sunday (31 March 2024)
    '2027-03-29', // Easter Monday 2027
  ])('%s is a national holiday', (key) => {
    const [year, month, day] = key.split('-').map(Number) as [number, number, number];
    expect(isPublicHoliday(d(year, month, day))).toBe(true);
    expect(isDeadlineDay(d(year, month, day))).toBe(false);
  });

  it.each([
    '2026-11-02', // All Souls: not a public holiday
    '2026-12-24',
    '2026-12-31',
    '2026-03-19',
    '2026-04-07', // the day after Easter Monday
    '2026-03-29', // Easter Monday's date in 2027; in 2026 a plain Sunday (not a holiday as such)
    '2025-04-06', // Easter Monday's date in 2026, in another year
    '2027-04-06', // likewise
  ])('%s is not a public holiday', (key) => {
    const [year, month, day] = key.split('-').map(Number) as [number, number, number];
    expect(isPublicHoliday(d(year, month, day))).toBe(false);
  });

  it('treats Saturdays as ordinary days and Sundays as non-deadline days', () => {
    expect(isDeadlineDay(d(2026, 11, 28))).toBe(true); // Sat 28 Nov 2026
    expect(isDeadlineDay(d(2026, 11, 29))).toBe(false); // Sun 29 Nov 2026
    expect(isDeadlineDay(d(2026, 11, 30))).toBe(true); // Mon 30 Nov 2026
  });

  it("applies local holidays: 'MM-DD' every year, 'YYYY-MM-DD' once", () => {
    const local = ['12-07', '2026-11-30'];
    expect(isPublicHoliday(d(2026, 12, 7), local)).toBe(true);
    expect(isPublicHoliday(d(2031, 12, 7), local)).toBe(true);
    expect(isPublicHoliday(d(2026, 11, 30), local)).toBe(true);
    expect(isPublicHoliday(d(2027, 11, 30), local)).toBe(false);
    expect(isPublicHoliday(d(2026, 12, 7))).toBe(false);
  });
});

describe('assignment deadline: receipt + 48 elapsed hours', () => {
  it('is 48 hours later on ordinary days', () => {
    // Tue 24 Nov 2026 09:15 CET (08:15Z) -> Thu 26 Nov 08:15Z
    expect(iso(calculator().assignDue(at('2026-11-24T08:15:00Z')))).toBe('2026-11-26T08:15:00.000Z');
  });

  it('counts elapsed hours across the spring change: the wall clock moves one hour later', () => {
    // Sat 28 Mar 2026 10:00 CET (09:00Z) + 48 h = Mon 30 Mar 09:00Z = 11:00 CEST
    const due = calculator().assignDue(at('2026-03-28T09:00:00Z'));
    expect(iso(due)).toBe('2026-03-30T09:00:00.000Z');
    expect(zonedParts(due, ROME).time.hours).toBe(11);
  });

  it('counts elapsed hours across the autumn change: the wall clock moves one hour earlier', () => {
    // Sat 24 Oct 2026 10:00 CEST (08:00Z) + 48 h = Mon 26 Oct 08:00Z = 09:00 CET
    const due = calculator().assignDue(at('2026-10-24T08:00:00Z'));
    expect(iso(due)).toBe('2026-10-26T08:00:00.000Z');
    expect(zonedParts(due, ROME).time.hours).toBe(9);
  });

  it('moves from the Sunday of the spring change to Monday at the same wall time', () => {
    // Fri 27 Mar 2026 10:00 CET (09:00Z) + 48 h = Sun 29 Mar 09:00Z (11:00 CEST)
    // -> Mon 30 Mar 11:00 CEST = 09:00Z
    expect(iso(calculator().assignDue(at('2026-03-27T09:00:00Z')))).toBe('2026-03-30T09:00:00.000Z');
  });

  it('moves from the Sunday of the autumn change to Monday at the same wall time', () => {
    // Fri 23 Oct 2026 10:00 CEST (08:00Z) + 48 h = Sun 25 Oct 08:00Z (09:00 CET)
    // -> Mon 26 Oct 09:00 CET = 08:00Z
    expect(iso(calculator().assignDue(at('2026-10-23T08:00:00Z')))).toBe('2026-10-26T08:00:00.000Z');
    // Fri 23 Oct 02:30 CEST (00:30Z) + 48 h = Sun 25 Oct 00:30Z (02:30 CEST, before the change)
    // -> Mon 26 Oct 02:30 CET = 01:30Z
    expect(iso(calculator().assignDue(at('2026-10-23T00:30:00Z')))).toBe('2026-10-26T01:30:00.000Z');
  });

  it('moves off a Sunday keeping the wall-clock time; a Saturday stays', () => {
    // Fri 6 Nov 2026 14:00 CET (13:00Z) -> Sun 8 Nov -> Mon 9 Nov 14:00 CET
    expect(iso(calculator().assignDue(at('2026-11-06T13:00:00Z')))).toBe('2026-11-09T13:00:00.000Z');
    // Thu 5 Nov 2026 14:00 CET -> Sat 7 Nov 14:00 CET: Saturday is ordinary
    expect(iso(calculator().assignDue(at('2026-11-05T13:00:00Z')))).toBe('2026-11-07T13:00:00.000Z');
  });

  it('moves off a public holiday', () => {
    // Sun 6 Dec 2026 11:00 CET (10:00Z) -> Tue 8 Dec (Immacolata) -> Wed 9 Dec 11:00 CET
    expect(iso(calculator().assignDue(at('2026-12-06T10:00:00Z')))).toBe('2026-12-09T10:00:00.000Z');
  });

  it('moves over several consecutive non-deadline days (25 Dec, 26 Dec, Sunday)', () => {
    // Wed 23 Dec 2026 16:00 CET (15:00Z) -> Fri 25 Dec -> Sat 26 Dec (holiday) -> Sun 27 -> Mon 28 Dec 16:00 CET
    expect(iso(calculator().assignDue(at('2026-12-23T15:00:00Z')))).toBe('2026-12-28T15:00:00.000Z');
  });

  it('moves off Easter Sunday and Easter Monday', () => {
    // Fri 3 Apr 2026 09:00 CEST (07:00Z) -> Sun 5 Apr (Easter) -> Mon 6 Apr (Easter Monday) -> Tue 7 Apr 09:00 CEST
    expect(iso(calculator().assignDue(at('2026-04-03T07:00:00Z')))).toBe('2026-04-07T07:00:00.000Z');
    // Sat 4 Apr 2026 09:00 CEST -> Mon 6 Apr (Easter Monday) -> Tue 7 Apr 09:00 CEST
    expect(iso(calculator().assignDue(at('2026-04-04T07:00:00Z')))).toBe('2026-04-07T07:00:00.000Z');
  });

  it('moves off 1 January into the next year (to a Saturday, which stays)', () => {
    // Wed 30 Dec 2026 12:00 CET (11:00Z) -> Fri 1 Jan 2027 -> Sat 2 Jan 2027 12:00 CET
    expect(iso(calculator().assignDue(at('2026-12-30T11:00:00Z')))).toBe('2027-01-02T11:00:00.000Z');
  });

  it('moves off a configured local holiday', () => {
    // Sat 5 Dec 2026 10:00 CET (09:00Z) -> Mon 7 Dec 10:00 CET
    expect(iso(calculator().assignDue(at('2026-12-05T09:00:00Z')))).toBe('2026-12-07T09:00:00.000Z');
    // with 7 Dec (Sant'Ambrogio) local: Mon 7 Dec -> Tue 8 Dec (national) -> Wed 9 Dec 10:00 CET
    expect(iso(calculator(['12-07']).assignDue(at('2026-12-05T09:00:00Z')))).toBe('2026-12-09T09:00:00.000Z');
  });

  it('decides Sunday by the Rome date, not the UTC date', () => {
    // Thu 5 Nov 2026 23:30 CET (22:30Z) -> Sat 7 Nov 22:30Z = Sat 23:30 Rome: stays
    expect(iso(calculator().assignDue(at('2026-11-05T22:30:00Z')))).toBe('2026-11-07T22:30:00.000Z');
    // Fri 6 Nov 2026 00:30 CET (Thu 5 Nov 23:30Z) -> Sat 7 Nov 23:30Z = Sun 8 Nov 00:30 Rome
    // -> Mon 9 Nov 00:30 CET = Sun 8 Nov 23:30Z
    expect(iso(calculator().assignDue(at('2026-11-05T23:30:00Z')))).toBe('2026-11-08T23:30:00.000Z');
  });

  it('uses the configured number of hours', () => {
    const calc = deadlineCalculator({ assignHours: 24, replyDays: 30, timeZone: ROME, localHolidays: [] });
    // Tue 24 Nov 2026 09:15 CET + 24 h = Wed 25 Nov 09:15 CET
    expect(iso(calc.assignDue(at('2026-11-24T08:15:00Z')))).toBe('2026-11-25T08:15:00.000Z');
  });
});

describe('reply deadline: end of the day of receipt + 30 calendar days', () => {
  it('does not count the day of receipt and ends at 23:59:59.999 Rome time', () => {
    // received Mon 2 Nov 2026 10:00 CET -> +30 = Wed 2 Dec 2026, 23:59:59.999 CET = 22:59:59.999Z
    expect(iso(calculator().replyDue(at('2026-11-02T09:00:00Z')))).toBe('2026-12-02T22:59:59.999Z');
  });

  it('uses the offset of the deadline day, not of the receipt day', () => {
    // received Thu 1 Oct 2026 (CEST) -> +30 = Sat 31 Oct 2026 (CET, ordinary Saturday) -> 22:59:59.999Z
    expect(iso(calculator().replyDue(at('2026-10-01T08:00:00Z')))).toBe('2026-10-31T22:59:59.999Z');
    // received Sat 7 Mar 2026 (CET) -> +30 = Mon 6 Apr (Easter Monday) -> Tue 7 Apr (CEST) -> 21:59:59.999Z
    expect(iso(calculator().replyDue(at('2026-03-07T10:00:00Z')))).toBe('2026-04-07T21:59:59.999Z');
  });

  it('keeps a Saturday deadline', () => {
    // received Thu 3 Sep 2026 -> +30 = Sat 3 Oct 2026 (CEST) -> 21:59:59.999Z
    expect(iso(calculator().replyDue(at('2026-09-03T08:00:00Z')))).toBe('2026-10-03T21:59:59.999Z');
  });

  it('moves off a Sunday', () => {
    // received Thu 29 Oct 2026 -> +30 = Sat 28 Nov (stays)
    // received Fri 30 Oct 2026 -> +30 = Sun 29 Nov -> Mon 30 Nov
    expect(iso(calculator().replyDue(at('2026-10-29T10:00:00Z')))).toBe('2026-11-28T22:59:59.999Z');
    expect(iso(calculator().replyDue(at('2026-10-30T10:00:00Z')))).toBe('2026-11-30T22:59:59.999Z');
  });

  it('rolls over 25 Dec, 26 Dec and a Sunday', () => {
    // received Wed 25 Nov 2026 -> +30 = Fri 25 Dec -> Sat 26 Dec (holiday) -> Sun 27 Dec -> Mon 28 Dec
    expect(iso(calculator().replyDue(at('2026-11-25T10:00:00Z')))).toBe('2026-12-28T22:59:59.999Z');
  });

  it('rolls off Easter Sunday and Easter Monday', () => {
    // received Fri 6 Mar 2026 -> +30 = Sun 5 Apr (Easter) -> Mon 6 Apr (Easter Monday) -> Tue 7 Apr (CEST)
    expect(iso(calculator().replyDue(at('2026-03-06T10:00:00Z')))).toBe('2026-04-07T21:59:59.999Z');
    // received Sat 27 Feb 2027 -> +30 (Feb 2027 has 28 days) = Mon 29 Mar 2027, Easter Monday
    // -> Tue 30 Mar 2027 (CEST since 28 Mar 2027) -> 21:59:59.999Z
    expect(iso(calculator().replyDue(at('2027-02-27T10:00:00Z')))).toBe('2027-03-30T21:59:59.999Z');
  });

  it('rolls off 1 November', () => {
    // received Sat 2 Oct 2027 -> +30 = Mon 1 Nov 2027 (Ognissanti) -> Tue 2 Nov 2027 (CET)
    expect(iso(calculator().replyDue(at('2027-10-02T08:00:00Z')))).toBe('2027-11-02T22:59:59.999Z');
  });

  it('rolls off 15 August even when it is a Saturday', () => {
    // received Thu 16 Jul 2026 -> +30 = Sat 15 Aug (Ferragosto) -> Sun 16 Aug -> Mon 17 Aug (CEST)
    expect(iso(calculator().replyDue(at('2026-07-16T08:00:00Z')))).toBe('2026-08-17T21:59:59.999Z');
  });

  it("rolls off a recurring local holiday ('MM-DD') every year", () => {
    // received Sat 7 Nov 2026 -> +30 = Mon 7 Dec 2026: ordinary without local holidays
    expect(iso(calculator().replyDue(at('2026-11-07T10:00:00Z')))).toBe('2026-12-07T22:59:59.999Z');
    // with '12-07': Mon 7 Dec (local) -> Tue 8 Dec (national) -> Wed 9 Dec
    expect(iso(calculator(['12-07']).replyDue(at('2026-11-07T10:00:00Z')))).toBe('2026-12-09T22:59:59.999Z');
    // next year: received Sun 7 Nov 2027 -> Tue 7 Dec 2027 (local) -> Wed 8 Dec (national) -> Thu 9 Dec
    expect(iso(calculator(['12-07']).replyDue(at('2027-11-07T10:00:00Z')))).toBe('2027-12-09T22:59:59.999Z');
  });

  it("rolls off a one-off local holiday ('YYYY-MM-DD') only in its year", () => {
    const calc = calculator(['2026-11-30']);
    // received Sat 31 Oct 2026 -> +30 = Mon 30 Nov 2026 (one-off holiday) -> Tue 1 Dec
    expect(iso(calc.replyDue(at('2026-10-31T10:00:00Z')))).toBe('2026-12-01T22:59:59.999Z');
    // received Sun 31 Oct 2027 -> +30 = Tue 30 Nov 2027: not a holiday that year
    expect(iso(calc.replyDue(at('2027-10-31T10:00:00Z')))).toBe('2027-11-30T22:59:59.999Z');
  });

  it('counts across month ends', () => {
    // received Sat 31 Jan 2026 -> +28 = 28 Feb, +30 = Mon 2 Mar 2026
    expect(iso(calculator().replyDue(at('2026-01-31T10:00:00Z')))).toBe('2026-03-02T22:59:59.999Z');
    // received Mon 31 Jan 2028 (leap year) -> +29 = 29 Feb, +30 = Wed 1 Mar 2028
    expect(iso(calculator().replyDue(at('2028-01-31T10:00:00Z')))).toBe('2028-03-01T22:59:59.999Z');
    // received Tue 31 Mar 2026 -> +30 = Thu 30 Apr 2026 (CEST)
    expect(iso(calculator().replyDue(at('2026-03-31T10:00:00Z')))).toBe('2026-04-30T21:59:59.999Z');
  });

  it('handles 29 February in a leap year and its absence in 2027', () => {
    // received Sun 30 Jan 2028 -> +1 = 31 Jan, +30 = Tue 29 Feb 2028
    expect(iso(calculator().replyDue(at('2028-01-30T10:00:00Z')))).toBe('2028-02-29T22:59:59.999Z');
    // received Tue 29 Feb 2028 -> +1 = 1 Mar, +30 = Thu 30 Mar 2028 (CEST since 26 Mar 2028)
    expect(iso(calculator().replyDue(at('2028-02-29T10:00:00Z')))).toBe('2028-03-30T21:59:59.999Z');
    // received Sat 30 Jan 2027 -> +29 = 28 Feb, +30 = Mon 1 Mar 2027 (no 29 Feb)
    expect(iso(calculator().replyDue(at('2027-01-30T10:00:00Z')))).toBe('2027-03-01T22:59:59.999Z');
  });

  it('takes the day of receipt from the Rome date around midnight', () => {
    const calc = calculator();
    // 1 Nov 2026 22:30Z = Sun 1 Nov 23:30 Rome -> +30 = Tue 1 Dec
    expect(iso(calc.replyDue(at('2026-11-01T22:30:00Z')))).toBe('2026-12-01T22:59:59.999Z');
    // 1 Nov 2026 22:59:59.999Z = the last instant of 1 Nov in Rome -> Tue 1 Dec
    expect(iso(calc.replyDue(at('2026-11-01T22:59:59.999Z')))).toBe('2026-12-01T22:59:59.999Z');
    // 1 Nov 2026 23:00Z = Mon 2 Nov 00:00 Rome exactly -> +30 = Wed 2 Dec
    expect(iso(calc.replyDue(at('2026-11-01T23:00:00Z')))).toBe('2026-12-02T22:59:59.999Z');
    // 1 Nov 2026 23:30Z = Mon 2 Nov 00:30 Rome, previous UTC day -> Wed 2 Dec
    expect(iso(calc.replyDue(at('2026-11-01T23:30:00Z')))).toBe('2026-12-02T22:59:59.999Z');
    // summer: 2 Sep 2026 22:30Z = Thu 3 Sep 00:30 CEST -> +30 = Sat 3 Oct
    expect(iso(calc.replyDue(at('2026-09-02T22:30:00Z')))).toBe('2026-10-03T21:59:59.999Z');
    // 2 Sep 2026 21:30Z = Wed 2 Sep 23:30 CEST -> +30 = Fri 2 Oct
    expect(iso(calc.replyDue(at('2026-09-02T21:30:00Z')))).toBe('2026-10-02T21:59:59.999Z');
  });

  it('adds suspended days, then rolls off Sundays and holidays', () => {
    const calc = calculator();
    const received = at('2026-11-02T09:00:00Z'); // Mon 2 Nov 2026
    expect(iso(calc.replyDue(received, 0))).toBe('2026-12-02T22:59:59.999Z');
    // +30 +3 = Sat 5 Dec (ordinary)
    expect(iso(calc.replyDue(received, 3))).toBe('2026-12-05T22:59:59.999Z');
    // +30 +4 = Sun 6 Dec -> Mon 7 Dec
    expect(iso(calc.replyDue(received, 4))).toBe('2026-12-07T22:59:59.999Z');
    // +30 +6 = Tue 8 Dec (Immacolata) -> Wed 9 Dec
    expect(iso(calc.replyDue(received, 6))).toBe('2026-12-09T22:59:59.999Z');
    // +30 +23 = Fri 25 Dec -> 26 Dec -> Sun 27 -> Mon 28 Dec
    expect(iso(calc.replyDue(received, 23))).toBe('2026-12-28T22:59:59.999Z');
    // the memo must not mix up different suspensions of the same day of receipt
    expect(iso(calc.replyDue(received))).toBe('2026-12-02T22:59:59.999Z');
  });

  it('uses the configured number of days and time zone', () => {
    const calc = deadlineCalculator({ assignHours: 48, replyDays: 60, timeZone: 'UTC', localHolidays: [] });
    // received Mon 2 Nov 2026 -> +60 = Fri 1 Jan 2027 (holiday) -> Sat 2 Jan 2027, end of day UTC
    expect(iso(calc.replyDue(at('2026-11-02T09:00:00Z')))).toBe('2027-01-02T23:59:59.999Z');
  });
});

describe('the holidays in force in the year of the deadline', () => {
  it('skips 4 October from 2026 (San Francesco d\'Assisi): received 3 Sep 2027, the reply is due Tuesday 5 Oct', () => {
    // received Fri 3 Sep 2027 -> +30 = Sun 3 Oct -> Mon 4 Oct (San Francesco) -> Tue 5 Oct 2027 (CEST)
    expect(iso(calculator().replyDue(at('2027-09-03T08:00:00Z')))).toBe('2027-10-05T21:59:59.999Z');
    // 2026: Fri 4 Sep -> +30 = Sun 4 Oct (a Sunday anyway) -> Mon 5 Oct: no deadline stored before 2027 moves
    expect(iso(calculator().replyDue(at('2026-09-04T08:00:00Z')))).toBe('2026-10-05T21:59:59.999Z');
  });

  it('does not skip 6 January from 1978 to 1985, and does again from 1986', () => {
    // received Mon 7 Dec 1981 -> +30 = Wed 6 Jan 1982: an ordinary day then (CET)
    expect(iso(calculator().replyDue(at('1981-12-07T10:00:00Z')))).toBe('1982-01-06T22:59:59.999Z');
    // received Mon 4 Jan 1982 10:00 CET + 48 h = Wed 6 Jan 1982 10:00: stays
    expect(iso(calculator().assignDue(at('1982-01-04T09:00:00Z')))).toBe('1982-01-06T09:00:00.000Z');
    // received Sat 7 Dec 1985 -> +30 = Mon 6 Jan 1986 (Epifania again, D.P.R. 792/1985) -> Tue 7 Jan
    expect(iso(calculator().replyDue(at('1985-12-07T10:00:00Z')))).toBe('1986-01-07T22:59:59.999Z');
    // received Sat 4 Jan 1986 10:00 CET + 48 h = Mon 6 Jan 1986 10:00 (holiday) -> Tue 7 Jan 10:00
    expect(iso(calculator().assignDue(at('1986-01-04T09:00:00Z')))).toBe('1986-01-07T09:00:00.000Z');
    // received Tue 7 Dec 1976 -> +30 = Thu 6 Jan 1977: still a holiday (L. 54/1977 came on 5 March) -> Fri 7 Jan
    expect(iso(calculator().replyDue(at('1976-12-07T10:00:00Z')))).toBe('1977-01-07T22:59:59.999Z');
  });

  it('does not skip 2 June from 1977 to 2000 (the Repubblica was on the first Sunday of June), and does from 2001', () => {
    // received Wed 3 May 1995 -> +30 = Fri 2 Jun 1995: an ordinary day (CEST)
    expect(iso(calculator().replyDue(at('1995-05-03T08:00:00Z')))).toBe('1995-06-02T21:59:59.999Z');
    // received Thu 3 May 2001 -> +30 = Sat 2 Jun 2001 (holiday, L. 336/2000) -> Sun 3 Jun -> Mon 4 Jun
    expect(iso(calculator().replyDue(at('2001-05-03T08:00:00Z')))).toBe('2001-06-04T21:59:59.999Z');
  });

  it('skips 17 March in 2011 only', () => {
    // received Tue 15 Feb 2011 -> +30 = Thu 17 Mar 2011 (one-off national holiday) -> Fri 18 Mar (CET)
    expect(iso(calculator().replyDue(at('2011-02-15T10:00:00Z')))).toBe('2011-03-18T22:59:59.999Z');
    // received Thu 16 Feb 2012 -> +30 (February 2012 has 29 days) = Sat 17 Mar 2012: an ordinary Saturday
    expect(iso(calculator().replyDue(at('2012-02-16T10:00:00Z')))).toBe('2012-03-17T22:59:59.999Z');
  });

  it('skips the holidays abolished in 1977 in the years before', () => {
    // received Mon 17 Feb 1975 -> +30 (February 1975 has 28 days) = Wed 19 Mar 1975 (San Giuseppe) -> Thu 20 Mar (CET)
    expect(iso(calculator().replyDue(at('1975-02-17T10:00:00Z')))).toBe('1975-03-20T22:59:59.999Z');
    // received Sat 17 Feb 1979 -> +30 = Mon 19 Mar 1979: no longer a holiday (CET)
    expect(iso(calculator().replyDue(at('1979-02-17T10:00:00Z')))).toBe('1979-03-19T22:59:59.999Z');
  });
});

describe('nextDeadlineDay', () => {
  it('keeps a deadline day and skips Sundays and holidays', () => {
    const calc = calculator();
    expect(calc.nextDeadlineDay(d(2026, 11, 28))).toEqual(d(2026, 11, 28)); // Saturday stays
    expect(calc.nextDeadlineDay(d(2026, 11, 29))).toEqual(d(2026, 11, 30)); // Sunday -> Monday
    expect(calc.nextDeadlineDay(d(2026, 12, 25))).toEqual(d(2026, 12, 28)); // Fri 25, Sat 26, Sun 27
    expect(calc.nextDeadlineDay(d(2027, 1, 1))).toEqual(d(2027, 1, 2)); // New Year -> Saturday
    expect(calc.nextDeadlineDay(d(2026, 4, 5))).toEqual(d(2026, 4, 7)); // Easter Sun + Mon
  });
});

describe('suspendedCalendarDays', () => {
  it('counts whole days, rounding any part of a day up', () => {
    const start = at('2026-11-02T09:00:00Z');
    expect(suspendedCalendarDays(start, start)).toBe(0);
    expect(suspendedCalendarDays(start, at('2026-11-01T09:00:00Z'))).toBe(0); // resumed before: nothing
    expect(suspendedCalendarDays(start, at('2026-11-02T12:00:00Z'))).toBe(1); // three hours cost a day
    expect(suspendedCalendarDays(start, at('2026-11-03T09:00:00Z'))).toBe(1); // exactly one day
    expect(suspendedCalendarDays(start, at('2026-11-03T09:00:00.001Z'))).toBe(2); // just over a day
    expect(suspendedCalendarDays(start, at('2026-11-12T09:00:00Z'))).toBe(10);
  });

  it('measures days on the Rome wall clock when given the time zone (DST weekends)', () => {
    // Sat 24 Oct 2026 10:00 CEST (08:00Z) to Sun 25 Oct 10:00 CET (09:00Z): 25 elapsed hours,
    // but one calendar day
    expect(suspendedCalendarDays(at('2026-10-24T08:00:00Z'), at('2026-10-25T09:00:00Z'), ROME)).toBe(1);
    // Sat 28 Mar 2026 10:00 CET (09:00Z) to Sun 29 Mar 10:00 CEST (08:00Z): 23 hours, one day
    expect(suspendedCalendarDays(at('2026-03-28T09:00:00Z'), at('2026-03-29T08:00:00Z'), ROME)).toBe(1);
    // ... and to Sun 29 Mar 10:30 CEST: more than one calendar day, two
    expect(suspendedCalendarDays(at('2026-03-28T09:00:00Z'), at('2026-03-29T08:30:00Z'), ROME)).toBe(2);
    // a few minutes across the repeated hour (02:50 CEST -> 02:10 CET, 20 min) still cost a day
    expect(suspendedCalendarDays(at('2026-10-25T00:50:00Z'), at('2026-10-25T01:10:00Z'), ROME)).toBe(1);
    // ordinary days are the same with or without the zone
    expect(suspendedCalendarDays(at('2026-11-02T09:00:00Z'), at('2026-11-12T09:00:00Z'), ROME)).toBe(10);
    expect(suspendedCalendarDays(at('2026-11-02T09:00:00Z'), at('2026-11-02T08:00:00Z'), ROME)).toBe(0);
  });

  it('feeds replyDue: a 3-hour suspension moves the reply deadline by one day', () => {
    const calc = calculator();
    const days = suspendedCalendarDays(at('2026-11-10T08:00:00Z'), at('2026-11-10T11:00:00Z'));
    // received Tue 3 Nov 2026 -> +30 = Thu 3 Dec, +1 = Fri 4 Dec
    expect(iso(calc.replyDue(at('2026-11-03T08:00:00Z'), days))).toBe('2026-12-04T22:59:59.999Z');
  });
});

describe('time-zone offsets without Intl', () => {
  it('agree with Intl when the process runs in the office zone (as bin/urp does)', async () => {
    const previous = process.env.TZ;
    const instants = Array.from({ length: 400 }, (_, index) => new Date(Date.UTC(2019, 0, 1) + index * 9.7 * 86_400_000 + index * 3_600_000));
    // Fresh module instances, so that each computes its own cached segments.
    const intl = await import('../../src/domain/calendar.js?intl' as string);
    const expected = instants.map((instant) => intl.zonedParts(instant, 'Europe/Rome'));
    process.env.TZ = 'Europe/Rome';
    try {
      const local = await import('../../src/domain/calendar.js?local' as string);
      expect(instants.map((instant) => local.zonedParts(instant, 'Europe/Rome'))).toEqual(expected);
      // Around both 2026 changes, minute by minute.
      for (const start of [Date.UTC(2026, 2, 29, 0, 30), Date.UTC(2026, 9, 25, 0, 30)]) {
        for (let minute = 0; minute < 60; minute++) {
          const instant = new Date(start + minute * 60_000);
          expect(local.offsetMinutes(instant, 'Europe/Rome')).toBe(intl.offsetMinutes(instant, 'Europe/Rome'));
        }
      }
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });
});
