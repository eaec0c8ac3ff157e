import * as z from 'zod/mini';
import { echo, InputError, ValidationErrors } from './errors.js';
import type { MessageKey } from '../i18n/messages.js';

/**
 * Runs a zod schema whose error messages are message keys, and turns its
 * issues into InputErrors naming their field: one error, or all of them.
 */
export function parseFields<Schema extends z.ZodMiniType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || undefined;
    const key = (issue.message.includes('.') && !issue.message.includes(' ') ? issue.message : 'field.invalid') as MessageKey;
    const params = (issue as { params?: Record<string, string | number> }).params ?? {};
    return new InputError(key, params, field);
  });
  throw errors.length === 1 ? errors[0]! : new ValidationErrors(errors);
}

/** A trimmed text; empty counts as absent. */
export const optionalTrimmed = z.pipe(
  z.optional(z.nullable(z.string({ error: 'field.invalid' }))),
  z.transform((value) => {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
  }),
);

/** Pushes an issue with a message key and parameters from inside a transform. */
export function fail(context: { issues: unknown[]; value: unknown }, key: MessageKey, params: Record<string, string | number> = {}): never {
  context.issues.push({ code: 'custom', message: key, input: context.value, params });
  return z.NEVER as never;
}

/** An optional text of at most `limit` characters. */
export function optionalLimited(limit: number) {
  return z.pipe(
    optionalTrimmed,
    z.transform((value, context) =>
      value !== undefined && value.length > limit ? fail(context, 'field.tooLong', { limit, length: value.length }) : value,
    ),
  );
}

/** A required text of at most `limit` characters. */
export function requiredLimited(limit: number) {
  return z.pipe(
    optionalTrimmed,
    z.transform((value, context) => {
      if (value === undefined) return fail(context, 'field.required');
      if (value.length > limit) return fail(context, 'field.tooLong', { limit, length: value.length });
      return value;
    }),
  );
}

/** A code from a vocabulary, given as code or label (SPEC section 2). */
export function vocabularyCode<Code extends string>(
  vocabulary: { parse(text: string): Code | undefined; codes: readonly Code[] },
  unknownKey: MessageKey,
) {
  return z.pipe(
    optionalTrimmed,
    z.transform((value, context): Code => {
      if (value === undefined) return fail(context, 'field.required');
      return vocabulary.parse(value) ?? fail(context, unknownKey, { value: echo(value), allowed: vocabulary.codes.join(', ') });
    }),
  );
}
