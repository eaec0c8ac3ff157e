import type { InputError } from '../domain/errors.js';
import { type Language, statuses } from '../domain/vocabulary.js';
import { translate } from '../i18n/messages.js';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone.js';
import { fieldLabel } from './field-labels.js';
import { formatInstant } from './render/dates.js';

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** An input error as one line: `--subject: required`. */
export function describeInputError(error: InputError, language: Language): string {
  const params = Object.fromEntries(
    Object.entries(error.params).map(([name, value]) => {
      // A status is shown with its label in the reader's language.
      if (name === 'status' && typeof value === 'string' && statuses.is(value)) return [name, `"${statuses.label(value, language)}"`];
      // An instant in the office's time (the process runs in it), as the rest of urp shows them.
      if (typeof value === 'string' && UTC_INSTANT.test(value)) return [name, formatInstant(value, process.env.TZ ?? DEFAULT_TIME_ZONE, language, false)];
      return [name, value];
    }),
  );
  const message = translate(language, error.key, params);
  return error.field ? `${fieldLabel(error.field)}: ${message}` : message;
}
