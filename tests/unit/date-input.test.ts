import { describe, expect, it } from 'vitest';
import { dateInputProblem, parseDateInput } from '../../src/domain/date-input.js';

// Rome is UTC+1 (CET) in winter and UTC+2 (CEST) in summer; in 2026 the clocks
// go forward on 29 March at 02:00 (01:00Z) and back on 25 October at 03:00 (01:00Z).
const ROME = 'Europe/Rome';

function instant(text: string, options?: { endOfDay?: boolean }, timeZone = ROME): string | undefined {
  return parseDateInput(text, timeZone, options)?.instant.toISOString();
}

describe('ISO 8601 input', () => {
  it('reads a date alone as the start of that day in Rome, or its end with endOfDay', () => {
    expect(parseDateInput('2026-11-26', ROME)).toEqual({ instant: new Date('2026-11-25T23:00:00.000Z'), dateOnly: true });
    expect(parseDateInput('2026-11-26', ROME, { endOfDay: true })).toEqual({
      instant: new Date('2026-11-26T22:59:59.999Z'),
      dateOnly: true,
    });
    // summer
    expect(instant('2026-07-15')).toBe('2026-07-14T22:00:00.000Z');
    expect(instant('2026-07-15', { endOfDay: true })).toBe('2026-07-15T21:59:59.999Z');
  });

  it('reads a date and time without offset as Rome wall time (winter +1, summer +2)', () => {
    expect(parseDateInput('2026-11-26T09:30', ROME)).toEqual({ instant: new Date('2026-11-26T08:30:00.000Z'), dateOnly: false });
    expect(instant('2026-07-15T09:30')).toBe('2026-07-15T07:30:00.000Z');
    expect(instant('2026-11-26 09:30')).toBe('2026-11-26T08:30:00.000Z');
    expect(instant('2026-11-26t09:30')).toBe('2026-11-26T08:30:00.000Z');
  });

  it('reads seconds and fractions of a second', () => {
    expect(instant('2026-11-26T09:30:15')).toBe('2026-11-26T08:30:15.000Z');
    expect(instant('2026-11-26T09:30:15.250')).toBe('2026-11-26T08:30:15.250Z');
    expect(instant('2026-11-26T09:30:15,5')).toBe('2026-11-26T08:30:15.500Z');
    expect(instant('2026-11-26T09:30:15.123456789')).toBe('2026-11-26T08:30:15.123Z');
  });

  it('ignores endOfDay when a time is given', () => {
    expect(parseDateInput('2026-11-26T09:30', ROME, { endOfDay: true })).toEqual({
      instant: new Date('2026-11-26T08:30:00.000Z'),
      dateOnly: false,
    });
  });

  it('honours an explicit offset: Z, +02:00, +0200, negative', () => {
    expect(instant('2026-11-26T09:30Z')).toBe('2026-11-26T09:30:00.000Z');
    expect(instant('2026-11-26T09:30:00z')).toBe('2026-11-26T09:30:00.000Z');
    expect(instant('2026-11-26T09:30:00+02:00')).toBe('2026-11-26T07:30:00.000Z');
    expect(instant('2026-11-26T09:30+0200')).toBe('2026-11-26T07:30:00.000Z');
    expect(instant('2026-11-26T09:30:00-05:00')).toBe('2026-11-26T14:30:00.000Z');
    expect(instant('2026-11-26T09:30:00+05:30')).toBe('2026-11-26T04:00:00.000Z');
    expect(instant('2026-11-26T09:30+14:00')).toBe('2026-11-25T19:30:00.000Z'); // the largest real offset
    expect(instant('2026-11-26T09:30-12:00')).toBe('2026-11-26T21:30:00.000Z');
    // an offset wins over the office time zone, even in summer
    expect(instant('2026-07-15T09:30+01:00')).toBe('2026-07-15T08:30:00.000Z');
    expect(parseDateInput('2026-11-26T00:30:00+02:00', ROME)?.dateOnly).toBe(false);
  });

  it('trims blanks around the text', () => {
    expect(instant('  2026-11-26T09:30  ')).toBe('2026-11-26T08:30:00.000Z');
  });

  it('accepts 29 February in a leap year only', () => {
    expect(instant('2028-02-29')).toBe('2028-02-28T23:00:00.000Z');
    expect(instant('2027-02-29')).toBeUndefined();
  });
});

describe('Italian input', () => {
  it('reads dd/mm/yyyy as the start (or end) of the day in Rome', () => {
    expect(parseDateInput('26/11/2026', ROME)).toEqual({ instant: new Date('2026-11-25T23:00:00.000Z'), dateOnly: true });
    expect(instant('26/11/2026', { endOfDay: true })).toBe('2026-11-26T22:59:59.999Z');
    expect(instant('15/07/2026')).toBe('2026-07-14T22:00:00.000Z');
  });

  it('reads day first, not month first', () => {
    // 03/04/2026 is 3 April (CEST), not 4 March
    expect(instant('03/04/2026')).toBe('2026-04-02T22:00:00.000Z');
  });

  it('reads dd/mm/yyyy hh:mm and hh:mm:ss', () => {
    expect(parseDateInput('26/11/2026 09:30', ROME)).toEqual({ instant: new Date('2026-11-26T08:30:00.000Z'), dateOnly: false });
    expect(instant('26/11/2026 09:30:45')).toBe('2026-11-26T08:30:45.000Z');
    expect(instant('15/07/2026 09:30')).toBe('2026-07-15T07:30:00.000Z');
  });

  it('accepts one-digit days, months and hours, dots and dashes', () => {
    expect(instant('1/7/2026 9:05')).toBe('2026-07-01T07:05:00.000Z');
    expect(instant('26.11.2026')).toBe('2026-11-25T23:00:00.000Z');
    expect(instant('26-11-2026 09.30')).toBe('2026-11-26T08:30:00.000Z');
  });

  it('accepts 29/02 in a leap year only', () => {
    expect(instant('29/02/2028')).toBe('2028-02-28T23:00:00.000Z');
    expect(instant('29/02/2027')).toBeUndefined();
  });
});

describe('invalid input', () => {
  it.each([
    '',
    '   ',
    'garbage',
    'ieri',
    '31/02/2026', // no 31 February
    '31/04/2026', // no 31 April
    '00/11/2026',
    '26/13/2026',
    '11/26/2026', // month-first (US) is not Italian
    '2026-13-01',
    '2026-00-10',
    '2026-11-31',
    '2026-11-00',
    '2026-11-26T24:00',
    '26/11/2026 24:00',
    '2026-11-26T23:60',
    '26/11/2026 09:60',
    '2026-11-26T09:30:60',
    '2026-11-26T9:30', // ISO needs two-digit hours
    '2026-11-26T09', // hours without minutes
    '2026-11-26T09:30+15:00', // no such offset
    '2026-11-26T09:30+02:99', // offset minutes over 59
    '2026-11-26T09:30+0260',
    '2026-11-26+02:00', // an offset needs a time
    '26/11/26', // two-digit year
    '1899-12-31', // before 1900
    '2026/11/26',
    '2026-11-26T09:30:00 Europe/Rome',
    '20261126',
  ])('%j is refused', (text) => {
    expect(parseDateInput(text, ROME)).toBeUndefined();
    expect(parseDateInput(text, ROME, { endOfDay: true })).toBeUndefined();
  });
});

describe('daylight-saving changes in Rome', () => {
  it('reads times around the spring change of 29 March 2026', () => {
    expect(instant('2026-03-29T01:59')).toBe('2026-03-29T00:59:00.000Z'); // last minute of CET
    expect(instant('2026-03-29T03:00')).toBe('2026-03-29T01:00:00.000Z'); // first minute of CEST
    expect(instant('29/03/2026 12:00')).toBe('2026-03-29T10:00:00.000Z');
    // the day of the change is 23 hours long
    expect(instant('2026-03-29')).toBe('2026-03-28T23:00:00.000Z');
    expect(instant('2026-03-29', { endOfDay: true })).toBe('2026-03-29T21:59:59.999Z');
  });

  it('refuses a time in the skipped hour (02:00-02:59 on 29 March 2026), saying why and what to type', () => {
    for (const text of ['2026-03-29T02:30', '29/03/2026 02:30', '29/03/2026 02:00', '2026-03-29T02:59:59']) {
      expect(parseDateInput(text, ROME), text).toBeUndefined();
    }
    expect(dateInputProblem('29/03/2026 02:30', ROME)).toEqual({
      key: 'date.skipped',
      params: {
        date: '2026-03-29',
        dateIt: '29/03/2026',
        time: '02:30',
        zone: ROME,
        from: '02:00',
        to: '03:00',
        later: '03:30',
        withOffset: '2026-03-29T02:30+01:00',
      },
    });
    // What the message suggests is accepted, and is one and the same moment.
    expect(instant('29/03/2026 03:30')).toBe('2026-03-29T01:30:00.000Z');
    expect(instant('2026-03-29T02:30+01:00')).toBe('2026-03-29T01:30:00.000Z');
    // A date no calendar has is said to be one, with what its month has.
    expect(dateInputProblem('31/02/2026', ROME)).toEqual({ key: 'date.noSuchDay', params: { date: '31/02/2026', days: 28 } });
    expect(dateInputProblem('2025-02-29T10:00', ROME)).toEqual({ key: 'date.noSuchDay', params: { date: '2025-02-29', days: 28 } });
    expect(dateInputProblem('31/04/2026', ROME, { now: new Date('2026-12-01T10:00:00Z') })).toEqual({ key: 'date.noSuchDay', params: { date: '31/04/2026', days: 30 } });
    expect(dateInputProblem('26/13/2026', ROME)).toEqual({ key: 'date.noSuchDate', params: { date: '26/13/2026' } });
    // Any other malformed text is simply not a date.
    expect(dateInputProblem('garbage', ROME)).toEqual({ key: 'date.invalid', params: {} });
    // The skipped hour of another year, and of another zone (New York skips 02:00-02:59 on 8 March 2026).
    expect(dateInputProblem('2027-03-28T02:15', ROME).params).toMatchObject({ from: '02:00', to: '03:00', later: '03:15' });
    expect(dateInputProblem('2026-03-08T02:30', 'America/New_York').params).toMatchObject({ from: '02:00', to: '03:00', later: '03:30', withOffset: '2026-03-08T02:30-05:00' });
  });

  it('keeps the date of a skipped day as a date: a day alone is never refused', () => {
    expect(instant('29/03/2026')).toBe('2026-03-28T23:00:00.000Z');
  });

  it('reads times around the autumn change of 25 October 2026', () => {
    expect(instant('2026-10-25T01:30')).toBe('2026-10-24T23:30:00.000Z'); // still CEST
    expect(instant('2026-10-25T03:30')).toBe('2026-10-25T02:30:00.000Z'); // CET
    // the day of the change is 25 hours long
    expect(instant('2026-10-25')).toBe('2026-10-24T22:00:00.000Z');
    expect(instant('2026-10-25', { endOfDay: true })).toBe('2026-10-25T22:59:59.999Z');
  });

  it('reads a time in the repeated hour (02:00-02:59 on 25 October 2026) as its first occurrence, summer time, unless an offset is given', () => {
    expect(instant('2026-10-25T02:30')).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(instant('25/10/2026 02:30')).toBe('2026-10-25T00:30:00.000Z');
    expect(instant('25/10/2026 02:00')).toBe('2026-10-25T00:00:00.000Z');
    expect(instant('25/10/2026 02:59')).toBe('2026-10-25T00:59:00.000Z');
    // the second occurrence, with its offset
    expect(instant('2026-10-25T02:30+01:00')).toBe('2026-10-25T01:30:00.000Z');
    expect(instant('2026-10-25T02:30+02:00')).toBe('2026-10-25T00:30:00.000Z');
    // the hours around it exist once
    expect(instant('25/10/2026 01:59')).toBe('2026-10-24T23:59:00.000Z');
    expect(instant('25/10/2026 03:00')).toBe('2026-10-25T02:00:00.000Z');
  });
});

describe('other time zones', () => {
  it('reads wall time in the time zone it is given', () => {
    expect(instant('2026-11-26T09:30', undefined, 'UTC')).toBe('2026-11-26T09:30:00.000Z');
    expect(instant('26/11/2026', undefined, 'America/New_York')).toBe('2026-11-26T05:00:00.000Z');
    expect(instant('2026-07-15T09:30', undefined, 'Europe/London')).toBe('2026-07-15T08:30:00.000Z');
  });
});

describe('as clerks type them (issue 16: only when typed, read against now)', () => {
  // Monday 30 March 2026, 10:15 in Rome (summer time since Sunday 29 at 02:00).
  const now = new Date('2026-03-30T08:15:00.000Z');
  const typed = (text: string, options: { endOfDay?: boolean } = {}) => parseDateInput(text, ROME, { ...options, now })?.instant.toISOString();

  it('reads today and yesterday, in Italian and English, with an optional time', () => {
    expect(typed('oggi')).toBe('2026-03-29T22:00:00.000Z');
    expect(typed('today')).toBe('2026-03-29T22:00:00.000Z');
    expect(typed('oggi', { endOfDay: true })).toBe('2026-03-30T21:59:59.999Z');
    expect(typed('ieri 15:00')).toBe('2026-03-29T13:00:00.000Z');
    expect(typed('Ieri alle 9.30')).toBe('2026-03-29T07:30:00.000Z');
    expect(typed('yesterday at 09:30')).toBe('2026-03-29T07:30:00.000Z');
    expect(parseDateInput('ieri', ROME, { now })?.dateOnly).toBe(true);
    expect(parseDateInput('ieri 15:00', ROME, { now })?.dateOnly).toBe(false);
  });

  it('keeps the rules of the clocks: yesterday at 02:30 was skipped, and says what to type', () => {
    expect(typed('ieri 02:30')).toBeUndefined();
    expect(dateInputProblem('ieri 02:30', ROME, { now })).toMatchObject({ key: 'date.skipped', params: { dateIt: '29/03/2026', later: '03:30' } });
    // Yesterday began at a midnight of winter time.
    expect(typed('ieri')).toBe('2026-03-28T23:00:00.000Z');
  });

  it('reads a date without its year as this year, and a two-digit year in this century unless that is still to come', () => {
    expect(typed('27/11')).toBe('2026-11-26T23:00:00.000Z');
    expect(typed('27/11 09:30')).toBe('2026-11-27T08:30:00.000Z');
    expect(typed('27/11/26')).toBe('2026-11-26T23:00:00.000Z');
    expect(typed('27.11.26 9:30')).toBe('2026-11-27T08:30:00.000Z');
    expect(typed('27/11/95')).toBe('1995-11-26T23:00:00.000Z');
    expect(typed('31/02')).toBeUndefined();
  });

  it('refuses these forms in files (an import has no now: "yesterday" would be the day of the import)', () => {
    for (const text of ['oggi', 'ieri', 'yesterday 15:00', '27/11', '27/11/26']) {
      expect(parseDateInput(text, ROME), text).toBeUndefined();
      expect(dateInputProblem(text, ROME).key).toBe('date.invalid');
    }
    expect(dateInputProblem('domani', ROME, { now }).key).toBe('date.invalidTyped');
  });

  it('reads the full forms as before', () => {
    expect(typed('2026-11-26T09:30')).toBe('2026-11-26T08:30:00.000Z');
    expect(typed('26/11/2026 09:30')).toBe('2026-11-26T08:30:00.000Z');
  });
});
