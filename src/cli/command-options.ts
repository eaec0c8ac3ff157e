import * as z from 'zod/mini';
import { InputError } from '../domain/errors.js';
import { parseFields } from '../domain/validation.js';

/**
 * Small zod pieces for command options, whose values arrive from commander
 * as strings, booleans or string arrays. Parsed inside each action
 * (parseOptions), errors name the flag.
 */
export const flag = z.optional(z.boolean());
export const text = z.optional(z.string());
export const texts = z.optional(z.array(z.string()));

/** A positive whole number given as text (--limit 20). */
export const count = z.optional(
  z.pipe(
    z.string(),
    z.transform((value, context) => {
      const number = Number(value);
      if (!/^\d+$/.test(value.trim()) || number < 1 || number > 1_000_000) {
        context.issues.push({ code: 'custom', message: 'field.integerExpected', input: value, params: { min: 1, max: 1_000_000 } });
        return z.NEVER;
      }
      return number;
    }),
  ),
);

export function parseOptions<Shape extends z.core.$ZodLooseShape>(shape: Shape, options: unknown) {
  return parseFields(z.object(shape), options);
}

/** The one positional argument a command expects, required. */
export function argument(args: readonly string[], index: number, field: string): string {
  const value = args[index];
  if (value === undefined || value.trim() === '') throw new InputError('field.required', {}, field);
  return value;
}

/** A citizen id typed on the command line. */
export function citizenId(value: string, field = 'id'): number {
  const trimmed = value.trim();
  // Whatever was typed is not repeated: it may be a tax code or an e-mail typed in the wrong place.
  if (!/^\d{1,12}$/.test(trimmed)) throw new InputError('citizen.idFormat', {}, field);
  return Number(trimmed);
}
