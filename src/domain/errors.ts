import { escapeUnsafeLine } from '../text/control-characters.js';
import type { MessageKey, MessageParams } from '../i18n/messages.js';

/**
 * Something the user can fix: bad input, an unknown record, a transition the
 * state machine does not allow, a missing permission. Exit code 2.
 *
 * Errors carry a message key and parameters rather than text, so the domain
 * stays free of language choices; the entry point renders them. `field` names
 * the input field at fault (a domain name such as `subject`); the command line
 * maps it to its flag, the importer to its column.
 */
export class InputError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    readonly field?: string,
  ) {
    super(key);
    this.name = 'InputError';
  }
}

/**
 * The user cancelled (Ctrl-C at a prompt, "no" at a confirmation). Exit code
 * 130. Its message says what was (not) written: by default nothing; the
 * menu says what its session did save.
 */
export class CancelledError extends Error {
  constructor(
    readonly key: MessageKey = 'prompt.cancelled',
    readonly params: MessageParams = {},
  ) {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** Several input errors at once (one per field or per imported line). */
export class ValidationErrors extends InputError {
  constructor(readonly errors: InputError[]) {
    super('validation.several', { count: errors.length });
    this.name = 'ValidationErrors';
  }
}

/**
 * A value the user typed, fit to be quoted back in an error message: short,
 * and never anything that looks like personal data (an e-mail address, a
 * phone number, a tax code), which must not reach messages or logs.
 */
export function echo(value: string): string {
  const text = value.trim();
  const personal = text.includes('@') || /\d[\d\s./-]{5,}/.test(text) || /[A-Za-z]{6}\d{2}[A-Za-z]\d{2}/.test(text);
  if (personal) return '…';
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  // Control characters shown, not obeyed, as everywhere else.
  return escapeUnsafeLine(short);
}
