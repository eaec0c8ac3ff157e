import type { InputError } from '../domain/errors.js';
import { type Language, statuses } from '../domain/vocabulary.js';
import { translate } from '../i18n/messages.js';
import { fieldLabel } from './field-labels.js';

/** An input error as one line: `--subject: required`. */
export function describeInputError(error: InputError, language: Language): string {
  // A status in a message is shown with its label in the reader's language.
  const params = typeof error.params.status === 'string' && statuses.is(error.params.status)
    ? { ...error.params, status: `"${statuses.label(error.params.status, language)}"` }
    : error.params;
  const message = translate(language, error.key, params);
  return error.field ? `${fieldLabel(error.field)}: ${message}` : message;
}
