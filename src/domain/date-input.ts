import { END_OF_DAY, START_OF_DAY, isRealDate, zonedInstant } from './calendar.js';

/**
 * Dates typed by people and found in spreadsheets (SPEC section 5): ISO 8601
 * (`2026-11-26`, `2026-11-26T09:30`, with or without seconds and offset) or
 * Italian (`26/11/2026`, `26/11/2026 09:30`). Without an offset the time is
 * wall-clock time in the office's time zone.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const ITALIAN = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/;

export interface ParsedDateInput {
  readonly instant: Date;
  /** True when only a date was given (no time): ranges then take the whole day. */
  readonly dateOnly: boolean;
}

/**
 * Parses a date-time, or returns undefined when the text is not one of the
 * accepted forms or names a day or time that does not exist (31/02, 24:30).
 * A date alone stands for the start of that day, or its end with `endOfDay`.
 */
export function parseDateInput(
  text: string,
  timeZone: string,
  { endOfDay = false }: { endOfDay?: boolean } = {},
): ParsedDateInput | undefined {
  const trimmed = text.trim();
  let year: number, month: number, day: number;
  let hours: string | undefined, minutes: string | undefined, seconds: string | undefined;
  let fraction: string | undefined, offset: string | undefined;

  const iso = ISO.exec(trimmed);
  const italian = iso ? null : ITALIAN.exec(trimmed);
  if (iso) {
    year = Number(iso[1]);
    month = Number(iso[2]);
    day = Number(iso[3]);
    [hours, minutes, seconds, fraction, offset] = [iso[4], iso[5], iso[6], iso[7], iso[8]];
  } else if (italian) {
    day = Number(italian[1]);
    month = Number(italian[2]);
    year = Number(italian[3]);
    [hours, minutes, seconds] = [italian[4], italian[5], italian[6]];
  } else return undefined;

  if (!isRealDate(year, month, day) || year < 1900) return undefined;
  const dateOnly = hours === undefined;
  const time = dateOnly
    ? endOfDay ? END_OF_DAY : START_OF_DAY
    : {
        hours: Number(hours),
        minutes: Number(minutes),
        seconds: Number(seconds ?? 0),
        milliseconds: Math.floor(Number(`0.${fraction ?? '0'}`) * 1000),
      };
  if (time.hours > 23 || time.minutes > 59 || time.seconds > 59) return undefined;

  if (offset) {
    let offsetMinutes = 0;
    if (offset.toUpperCase() !== 'Z') {
      const digits = offset.replace(':', '');
      offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
      if (Number(digits.slice(3, 5)) > 59 || Math.abs(offsetMinutes) > 14 * 60) return undefined;
    }
    const wall = Date.UTC(year, month - 1, day, time.hours, time.minutes, time.seconds, time.milliseconds);
    return { instant: new Date(wall - offsetMinutes * 60_000), dateOnly };
  }
  return { instant: zonedInstant({ year, month, day }, time, timeZone), dateOnly };
}
