import type { MessageKey, MessageParams } from '../i18n/messages.js';
import { type CivilDate, END_OF_DAY, START_OF_DAY, type WallTime, addCivilDays, civilDateOf, clockGap, isRealDate, wallTimeInstants, zonedInstant } from './calendar.js';
import { InputError } from './errors.js';

/**
 * Dates typed by people and found in spreadsheets (SPEC section 5): ISO 8601
 * (`2026-11-26`, `2026-11-26T09:30`, with or without seconds and offset) or
 * Italian (`26/11/2026`, `26/11/2026 09:30`). Without an offset the time is
 * wall-clock time in the office's time zone. A time the clocks skip (02:30 on
 * the last Sunday of March in Rome) is refused, saying why and what to type;
 * a time they show twice (02:30 on the last Sunday of October) is its first
 * occurrence (summer time), unless an offset says otherwise.
 *
 * Typed by a person (issue 16: the caller gives `now`), also as clerks write
 * them: a two-digit year (`27/11/26`), no year (`27/11`: this year), and the
 * words `oggi`, `ieri`, `today`, `yesterday`, each with an optional time
 * (`ieri 15:00`). Files never get these: "yesterday" in an imported row
 * would mean the day it was imported.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const ITALIAN = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/;
/** Typed only: `27/11/26`, `27/11` (the year left out or in two digits), with an optional time. */
const TYPED = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}))?(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/;
/** Typed only: a day by its name, with an optional time (`ieri 15:00`, `oggi alle 9.30`). */
const NAMED = /^(oggi|ieri|today|yesterday)(?:[ ,]+(?:alle |at )?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/i;
const DAYS_BACK: Record<string, number> = { oggi: 0, today: 0, ieri: 1, yesterday: 1 };

export interface ParsedDateInput {
  readonly instant: Date;
  /** True when only a date was given (no time): ranges then take the whole day. */
  readonly dateOnly: boolean;
}

/** Why a text is not a date urp can read: a message key with its parameters. */
export interface DateInputProblem {
  readonly key: MessageKey;
  readonly params: MessageParams;
}

type Reading = ParsedDateInput | DateInputProblem;

const pad = (value: number) => String(value).padStart(2, '0');
const clock = (time: WallTime) => `${pad(time.hours)}:${pad(time.minutes)}`;

/**
 * Parses a date-time, or returns undefined when the text is not one of the
 * accepted forms, names a day or time that does not exist (31/02, 24:30), or
 * a wall time the clocks skip. A date alone stands for the start of that day,
 * or its end with `endOfDay`. dateInputProblem says which.
 */
export interface DateInputOptions {
  /** A date alone stands for the end of its day (`--to`). */
  readonly endOfDay?: boolean;
  /** Typed by a person, now: the forms of a clerk are read too (`ieri`, `27/11`, `27/11/26`). */
  readonly now?: Date;
}

export function parseDateInput(text: string, timeZone: string, options: DateInputOptions = {}): ParsedDateInput | undefined {
  const reading = readDateInput(text, timeZone, options);
  return 'instant' in reading ? reading : undefined;
}

/** Why parseDateInput refused a text (`date.invalid`; `date.noSuchDay`, `date.noSuchDate`: 31/02; or `date.skipped` with what to type instead). */
export function dateInputProblem(text: string, timeZone: string, options: { now?: Date } = {}): DateInputProblem {
  const reading = readDateInput(text, timeZone, options);
  return 'key' in reading ? reading : { key: options.now ? 'date.invalidTyped' : 'date.invalid', params: {} };
}

/** The error for a date option or field that parseDateInput refused. */
export function dateInputError(text: string, timeZone: string, field?: string, options: { now?: Date } = {}): InputError {
  const { key, params } = dateInputProblem(text, timeZone, options);
  return new InputError(key, params, field);
}

function readDateInput(text: string, timeZone: string, { endOfDay = false, now }: DateInputOptions): Reading {
  const invalid: DateInputProblem = { key: now ? 'date.invalidTyped' : 'date.invalid', params: {} };
  const trimmed = text.trim();
  let year: number, month: number, day: number;
  let hours: string | undefined, minutes: string | undefined, seconds: string | undefined;
  let fraction: string | undefined, offset: string | undefined;

  const iso = ISO.exec(trimmed);
  const italian = iso ? null : ITALIAN.exec(trimmed);
  const typed = iso || italian || !now ? null : TYPED.exec(trimmed);
  const named = iso || italian || typed || !now ? null : NAMED.exec(trimmed);
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
  } else if (typed) {
    const thisYear = civilDateOf(now!, timeZone).year;
    day = Number(typed[1]);
    month = Number(typed[2]);
    // Two digits: this century, unless that is a year still to come (`27/11/95` is 1995).
    year = typed[3] === undefined ? thisYear : 2000 + Number(typed[3]) > thisYear ? 1900 + Number(typed[3]) : 2000 + Number(typed[3]);
    [hours, minutes, seconds] = [typed[4], typed[5], typed[6]];
  } else if (named) {
    ({ year, month, day } = addCivilDays(civilDateOf(now!, timeZone), -DAYS_BACK[named[1]!.toLowerCase()]!));
    [hours, minutes, seconds] = [named[2], named[3], named[4]];
  } else return invalid;

  if (year < 1900) return invalid;
  if (!isRealDate(year, month, day)) {
    // Written as a date, but no calendar has it (31/02, month 13): said so, with what that month has.
    const written = trimmed.split(/[ T]/)[0]!;
    if (month < 1 || month > 12 || day < 1) return { key: 'date.noSuchDate', params: { date: written } };
    return { key: 'date.noSuchDay', params: { date: written, days: new Date(Date.UTC(year, month, 0)).getUTCDate() } };
  }
  const dateOnly = hours === undefined;
  const time = dateOnly
    ? endOfDay ? END_OF_DAY : START_OF_DAY
    : {
        hours: Number(hours),
        minutes: Number(minutes),
        seconds: Number(seconds ?? 0),
        milliseconds: Math.floor(Number(`0.${fraction ?? '0'}`) * 1000),
      };
  if (time.hours > 23 || time.minutes > 59 || time.seconds > 59) return invalid;

  if (offset) {
    let offsetMinutes = 0;
    if (offset.toUpperCase() !== 'Z') {
      const digits = offset.replace(':', '');
      offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
      if (Number(digits.slice(3, 5)) > 59 || Math.abs(offsetMinutes) > 14 * 60) return invalid;
    }
    const wall = Date.UTC(year, month - 1, day, time.hours, time.minutes, time.seconds, time.milliseconds);
    return { instant: new Date(wall - offsetMinutes * 60_000), dateOnly };
  }
  const date: CivilDate = { year, month, day };
  const instants = wallTimeInstants(date, time, timeZone);
  // A day starts at the first of two midnights and ends at the second 23:59; a time typed is its first occurrence.
  if (instants.length > 0) return { instant: (dateOnly && endOfDay ? instants.at(-1) : instants[0])!, dateOnly };
  // A date alone in a zone whose clocks skip midnight starts when the clocks say it does.
  if (dateOnly) return { instant: zonedInstant(date, time, timeZone), dateOnly };
  const gap = clockGap(date, time, timeZone);
  if (!gap) return invalid;
  const later = new Date(Date.UTC(2000, 0, 1, time.hours, time.minutes + gap.minutes));
  const before = Math.abs(gap.offsetBefore);
  const withOffset = `${year}-${pad(month)}-${pad(day)}T${clock(time)}${gap.offsetBefore < 0 ? '-' : '+'}${pad(Math.floor(before / 60))}:${pad(before % 60)}`;
  return {
    key: 'date.skipped',
    params: {
      date: `${year}-${pad(month)}-${pad(day)}`,
      dateIt: `${pad(day)}/${pad(month)}/${year}`,
      time: clock(time),
      zone: timeZone,
      from: clock(gap.from),
      to: clock(gap.to),
      later: clock({ hours: later.getUTCHours(), minutes: later.getUTCMinutes(), seconds: 0, milliseconds: 0 }),
      withOffset,
    },
  };
}
