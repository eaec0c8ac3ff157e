import {
  type CivilDate,
  DAY_MS,
  END_OF_DAY,
  addCivilDays,
  civilDateKey,
  zonedInstant,
  zonedParts,
} from './calendar.js';
import { isDeadlineDay } from './holidays.js';

/**
 * The one place where deadlines are computed (SPEC section 4).
 *
 * - Assignment: receipt + 48 elapsed hours (so a daylight-saving change makes
 *   it 47 or 49 hours of wall clock).
 * - Reply: the 30th calendar day after the day of receipt, to the end of that
 *   day; the day of receipt is not counted, the last one is (art. 2963 c.c.).
 *   Days the reply clock was suspended are added.
 * - A deadline falling on a Sunday or public holiday moves to the next day that
 *   is neither (art. 2963 c.c., third paragraph). The assignment deadline keeps
 *   its wall-clock time, the reply deadline stays at the end of its day.
 */
export interface DeadlineSettings {
  readonly assignHours: number;
  readonly replyDays: number;
  readonly timeZone: string;
  readonly localHolidays: readonly string[];
}

export interface DeadlineCalculator {
  /** When a report received at `receivedAt` must be assigned. */
  assignDue(receivedAt: Date): Date;
  /** When a reply is due for a clock started at `countedFrom` (receipt, or reopening), after `suspendedDays`. */
  replyDue(countedFrom: Date, suspendedDays?: number): Date;
  /** The first day at or after `date` on which a deadline may fall. */
  nextDeadlineDay(date: CivilDate): CivilDate;
}

/**
 * A calculator for one set of settings. Results are memoised per civil date,
 * since an import computes the same few hundred days over and over.
 */
export function deadlineCalculator(settings: DeadlineSettings): DeadlineCalculator {
  const { timeZone, localHolidays } = settings;
  const deadlineDays = new Map<string, CivilDate>();
  const replyDues = new Map<string, Date>();

  function nextDeadlineDay(date: CivilDate): CivilDate {
    const key = civilDateKey(date);
    let day = deadlineDays.get(key);
    if (!day) {
      day = date;
      while (!isDeadlineDay(day, localHolidays)) day = addCivilDays(day, 1);
      deadlineDays.set(key, day);
    }
    return day;
  }

  return {
    nextDeadlineDay,

    assignDue(receivedAt) {
      const due = new Date(receivedAt.getTime() + settings.assignHours * 3_600_000);
      const { date, time } = zonedParts(due, timeZone);
      const day = nextDeadlineDay(date);
      return day.day === date.day && day.month === date.month ? due : zonedInstant(day, time, timeZone);
    },

    replyDue(countedFrom, suspendedDays = 0) {
      const start = zonedParts(countedFrom, timeZone).date;
      const key = `${civilDateKey(start)}+${suspendedDays}`;
      let due = replyDues.get(key);
      if (!due) {
        const lastDay = nextDeadlineDay(addCivilDays(start, settings.replyDays + suspendedDays));
        due = zonedInstant(lastDay, END_OF_DAY, timeZone);
        replyDues.set(key, due);
      }
      return due;
    },
  };
}

/**
 * Calendar days a suspension lasted, rounded up: a suspension of a few hours costs a day.
 * With `timeZone`, days are measured on that zone's wall clock, so a suspension from
 * Saturday 10:00 to Sunday 10:00 is one day even across a daylight-saving change (25 h).
 */
export function suspendedCalendarDays(suspendedAt: Date, resumedAt: Date, timeZone?: string): number {
  if (resumedAt.getTime() <= suspendedAt.getTime()) return 0;
  const wallClock = (instant: Date) => {
    if (!timeZone) return instant.getTime();
    const { date, time } = zonedParts(instant, timeZone);
    return Date.UTC(date.year, date.month - 1, date.day, time.hours, time.minutes, time.seconds, time.milliseconds);
  };
  return Math.max(1, Math.ceil((wallClock(resumedAt) - wallClock(suspendedAt)) / DAY_MS));
}
