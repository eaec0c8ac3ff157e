import { tzOffset } from '@date-fns/tz';

/**
 * Civil dates and wall-clock times in a time zone. Deadlines are computed on
 * civil dates (the day of receipt, the 30th day after it) and turned back into
 * instants; doing that with plain UTC arithmetic on dates keeps daylight-saving
 * changes out of day counting. tzOffset from @date-fns/tz gives the zone's
 * offset at an instant (cached Intl data, a few microseconds a call: TZDate
 * objects cost ten times more, which matters when importing 100,000 rows).
 */

export interface CivilDate {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
}

export interface WallTime {
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly milliseconds: number;
}

const MINUTE = 60_000;
export const DAY_MS = 86_400_000;

/** A stretch of time during which a zone keeps one offset. */
interface Segment {
  readonly start: number;
  readonly offset: number;
}

const yearSegments = new Map<string, Map<number, Segment[]>>();

/**
 * The offsets a zone uses during one UTC year, as segments: the offset on the
 * first of each month, and where two months differ the exact minute of the
 * change, found by bisection. About sixty questions to Intl per zone and
 * year, after which every lookup is a comparison.
 */
function segmentsOf(timeZone: string, year: number): Segment[] {
  let zone = yearSegments.get(timeZone);
  if (!zone) yearSegments.set(timeZone, (zone = new Map()));
  let segments = zone.get(year);
  if (segments) return segments;
  // When the process runs in this zone (bin/urp sets TZ to the office's zone),
  // Date knows the offsets without Intl, whose first use costs ~25 ms.
  const at =
    timeZone === process.env.TZ
      ? (instant: number) => -new Date(instant).getTimezoneOffset() * MINUTE
      : (instant: number) => tzOffset(timeZone, new Date(instant)) * MINUTE;
  const monthStarts = Array.from({ length: 13 }, (_, month) => Date.UTC(year, month, 1));
  const offsets = monthStarts.map(at);
  segments = [{ start: monthStarts[0]!, offset: offsets[0]! }];
  for (let month = 0; month < 12; month++) {
    if (offsets[month] === offsets[month + 1]) continue;
    // The first minute of the month with the new offset.
    let low = monthStarts[month]! / MINUTE;
    let high = monthStarts[month + 1]! / MINUTE;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (at(middle * MINUTE) === offsets[month]) low = middle;
      else high = middle;
    }
    segments.push({ start: high * MINUTE, offset: offsets[month + 1]! });
  }
  zone.set(year, segments);
  return segments;
}

/** The segment the last lookup fell in: the next instant is usually near (a row's receipt and deadlines). */
const lastHit = { timeZone: '', start: 0, end: 0, offset: 0 };

/** The zone's offset at an instant, in milliseconds, from the year's segments. */
function offsetMilliseconds(timeZone: string, instant: number): number {
  if (instant >= lastHit.start && instant < lastHit.end && timeZone === lastHit.timeZone) return lastHit.offset;
  const year = new Date(instant).getUTCFullYear();
  const segments = segmentsOf(timeZone, year);
  let index = 0;
  while (index + 1 < segments.length && segments[index + 1]!.start <= instant) index++;
  lastHit.timeZone = timeZone;
  lastHit.start = segments[index]!.start;
  lastHit.end = index + 1 < segments.length ? segments[index + 1]!.start : Date.UTC(year + 1, 0, 1);
  lastHit.offset = segments[index]!.offset;
  return lastHit.offset;
}

/** The zone's offset from UTC at an instant, in minutes (+60 for Rome in winter). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  return offsetMilliseconds(timeZone, instant.getTime()) / MINUTE;
}

/** The civil date and wall time that an instant shows in a time zone. */
export function zonedParts(instant: Date, timeZone: string): { date: CivilDate; time: WallTime } {
  const shifted = new Date(instant.getTime() + offsetMilliseconds(timeZone, instant.getTime()));
  return {
    date: { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() },
    time: {
      hours: shifted.getUTCHours(),
      minutes: shifted.getUTCMinutes(),
      seconds: shifted.getUTCSeconds(),
      milliseconds: shifted.getUTCMilliseconds(),
    },
  };
}

/**
 * The day an instant falls on in a time zone, as a count of days since
 * 1970-01-01 there: equal for two instants exactly when they show the same
 * civil date. No objects made: a printout asks it for every row.
 */
export function localDayNumber(instant: number, timeZone: string): number {
  return Math.floor((instant + offsetMilliseconds(timeZone, instant)) / DAY_MS);
}

export function civilDateOf(instant: Date, timeZone: string): CivilDate {
  return zonedParts(instant, timeZone).date;
}

/**
 * The instant at which a time zone shows this date and wall time. In the hour
 * skipped when clocks go forward, the time is read with the offset in force
 * before the change (02:30 on the last Sunday of March is 03:30 summer time).
 */
export function zonedInstant(date: CivilDate, time: WallTime, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, time.hours, time.minutes, time.seconds, time.milliseconds);
  // First guess with the offset in force at the wall time read as UTC, then
  // corrected with the offset in force at that guess: exact except in the
  // skipped hour, where it yields the pre-change reading.
  return new Date(wall - offsetMilliseconds(timeZone, wall - offsetMilliseconds(timeZone, wall)));
}

/**
 * The instants at which a time zone shows this date and wall time, earliest
 * first: one as a rule, none in the hour skipped when clocks go forward, two
 * in the hour repeated when they go back. (zonedInstant gives one instant
 * always; people's input needs to know.)
 */
export function wallTimeInstants(date: CivilDate, time: WallTime, timeZone: string): Date[] {
  const wall = Date.UTC(date.year, date.month - 1, date.day, time.hours, time.minutes, time.seconds, time.milliseconds);
  // The offsets in force a day before and a day after: zones change at most once in two days.
  const before = offsetMilliseconds(timeZone, wall - DAY_MS);
  const after = offsetMilliseconds(timeZone, wall + DAY_MS);
  // Nearly always no change near that day: one reading (an import parses every row's dates).
  if (before === after) return [new Date(wall - before)];
  // Readings with either offset that the zone really shows (the earlier offset first: the earlier instant when both are).
  return [before, after]
    .filter((offset) => offsetMilliseconds(timeZone, wall - offset) === offset)
    .map((offset) => wall - offset)
    .sort((a, b) => a - b)
    .map((instant) => new Date(instant));
}

/** The wall-clock jump around a date and time that does not exist: the clocks went from `from` to `to`. */
export interface ClockGap {
  readonly from: WallTime;
  readonly to: WallTime;
  /** The zone's offset before the jump, in minutes. */
  readonly offsetBefore: number;
  /** How far the clocks jumped, in minutes. */
  readonly minutes: number;
}

/** For a wall time that wallTimeInstants finds nowhere: the jump that skipped it. */
export function clockGap(date: CivilDate, time: WallTime, timeZone: string): ClockGap | undefined {
  const wall = Date.UTC(date.year, date.month - 1, date.day, time.hours, time.minutes, time.seconds, time.milliseconds);
  const before = offsetMilliseconds(timeZone, wall - DAY_MS);
  const after = offsetMilliseconds(timeZone, wall + DAY_MS);
  if (after <= before) return undefined;
  // The change is between the two readings of the wall time; find its minute.
  let low = Math.floor((wall - after) / MINUTE);
  let high = Math.ceil((wall - before) / MINUTE);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetMilliseconds(timeZone, middle * MINUTE) === before) low = middle;
    else high = middle;
  }
  const change = high * MINUTE;
  const wallTime = (instant: number): WallTime => {
    const shifted = new Date(instant);
    return { hours: shifted.getUTCHours(), minutes: shifted.getUTCMinutes(), seconds: shifted.getUTCSeconds(), milliseconds: 0 };
  };
  return { from: wallTime(change + before), to: wallTime(change + after), offsetBefore: before / MINUTE, minutes: (after - before) / MINUTE };
}

export function addCivilDays(date: CivilDate, days: number): CivilDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** 0 = Sunday ... 6 = Saturday */
export function weekday(date: CivilDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function civilDateKey(date: CivilDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** A real calendar date? (31/02 is not.) */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const START_OF_DAY: WallTime = { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 };
export const END_OF_DAY: WallTime = { hours: 23, minutes: 59, seconds: 59, milliseconds: 999 };

const pad = (value: number) => String(value).padStart(2, '0');

/** ISO 8601 with the zone's offset: `2026-11-20T09:30:00+01:00` (for people and for Open311). */
export function isoWithOffset(instant: Date, timeZone: string): string {
  const { date, time } = zonedParts(instant, timeZone);
  const offset = offsetMinutes(instant, timeZone);
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${date.year}-${pad(date.month)}-${pad(date.day)}T${pad(time.hours)}:${pad(time.minutes)}:${pad(time.seconds)}${zone}`;
}
