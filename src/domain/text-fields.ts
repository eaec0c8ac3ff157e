import { InputError } from './errors.js';

/**
 * Length limits of free-text fields. Long enough for any honest use, short
 * enough that a pasted file or a hostile input cannot bloat the register.
 */
export const TEXT_LIMITS = {
  code: 32,
  name: 200,
  subject: 200,
  description: 10_000,
  location: 500,
  externalRef: 100,
  reason: 2_000,
  replyText: 20_000,
  note: 10_000,
  address: 500,
  personName: 100,
} as const;

/** Trims; empty becomes undefined. */
export function optionalText(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** A required text within its limit, or an InputError naming the field. */
export function requiredText(field: string, value: string | null | undefined, limit: number): string {
  const text = optionalText(value);
  if (text === undefined) throw new InputError('field.required', {}, field);
  return limitedText(field, text, limit);
}

export function limitedText(field: string, text: string, limit: number): string {
  if (text.length > limit) throw new InputError('field.tooLong', { limit, length: text.length }, field);
  return text;
}

/** Codes of areas and categories: lower-case letters, digits, dashes and underscores. */
export function normaliseCode(field: string, value: string): string {
  const code = value.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(code) || code.length > TEXT_LIMITS.code) {
    throw new InputError('field.codeFormat', { limit: TEXT_LIMITS.code }, field);
  }
  return code;
}

/** Lower case without accents, for finding "Nicolò" by typing "nicolo" (src/text/fold.ts). */
export { fold as searchable } from '../text/fold.js';
