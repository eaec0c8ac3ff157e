import { dateInputError, parseDateInput } from '../domain/date-input.js';
import type { CliContext } from './context.js';

/**
 * --as-of: compute as of another moment (reprints, tests). A date alone means
 * the end of that day, or now when the day is today: `--as-of $(date +%F)`
 * is today's printout so far, not tonight's.
 */
export function asOfOption(context: CliContext, text: string | undefined, timeZone: string): Date {
  const now = context.clock();
  if (text === undefined) return now;
  const parsed = parseDateInput(text, timeZone, { endOfDay: true, now });
  if (!parsed) throw dateInputError(text, timeZone, 'asOf', { now });
  const today = parsed.dateOnly && parsed.instant.getTime() > now.getTime() && parseDateInput(text, timeZone, { now })!.instant.getTime() <= now.getTime();
  return today ? now : parsed.instant;
}
