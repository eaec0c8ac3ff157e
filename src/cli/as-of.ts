import { parseDateInput } from '../domain/date-input.js';
import { InputError } from '../domain/errors.js';
import type { CliContext } from './context.js';

/** --as-of: compute as of another moment (reprints, tests); a date alone means the end of that day. */
export function asOfOption(context: CliContext, text: string | undefined, timeZone: string): Date {
  if (text === undefined) return context.clock();
  const parsed = parseDateInput(text, timeZone, { endOfDay: true });
  if (!parsed) throw new InputError('date.invalid', {}, 'asOf');
  return parsed.instant;
}
