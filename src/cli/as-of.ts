import type { CliContext } from './context.js';
import { dateOption } from './report-filter-options.js';

/** --as-of: compute as of another moment (reprints, tests); a date alone means the end of that day. */
export function asOfOption(context: CliContext, text: string | undefined, timeZone: string): Date {
  return dateOption(text, 'asOf', timeZone, true) ?? context.clock();
}
