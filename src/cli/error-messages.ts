import type { InputError } from '../domain/errors.js';
import { type Language, statuses } from '../domain/vocabulary.js';
import { translate } from '../i18n/messages.js';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone.js';
import { fieldLabel } from './field-labels.js';
import { formatInstant } from './render/dates.js';

const PERMISSIONS: Record<string, readonly [string, string]> = {
  register: ['to register reports', 'di registrare segnalazioni'],
  assign: ['to assign reports', 'di assegnare segnalazioni'],
  close: ['to close reports', 'di chiudere segnalazioni'],
  reject: ['to reject reports', 'di respingere segnalazioni'],
  reopen: ['to reopen reports', 'di riaprire segnalazioni'],
  import: ['to import reports', 'di importare segnalazioni'],
  citizens: ["to change citizens' details", 'di modificare i dati dei cittadini'],
  acknowledge: ['to acknowledge reports', 'di prendere in carico segnalazioni'],
  return: ['to return reports to URP', "di restituire segnalazioni all'URP"],
  suspend: ['to suspend reports', 'di sospendere segnalazioni'],
  resume: ['to resume reports', 'di riprendere segnalazioni'],
  reply: ['to reply to citizens', 'di rispondere ai cittadini'],
  note: ['to add notes', 'di aggiungere note'],
  manage: ['to manage areas, categories, operators and settings', 'di gestire aree, categorie, operatori e impostazioni'],
  erase: ['to erase personal data', 'di cancellare dati personali'],
};

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** An input error as one line: `--subject: required`. */
export function describeInputError(error: InputError, language: Language): string {
  const params = Object.fromEntries(
    Object.entries(error.params).map(([name, value]) => {
      // A status is shown with its label in the reader's language.
      if (name === 'status' && typeof value === 'string' && statuses.is(value)) return [name, `"${statuses.label(value, language)}"`];
      // A permission, as what it lets one do.
      if (name === 'permission' && typeof value === 'string' && value in PERMISSIONS) return [name, PERMISSIONS[value]![language === 'it' ? 1 : 0]];
      // An instant in the office's time (the process runs in it), as the rest of urp shows them.
      if (typeof value === 'string' && UTC_INSTANT.test(value)) return [name, formatInstant(value, process.env.TZ ?? DEFAULT_TIME_ZONE, language, false)];
      return [name, value];
    }),
  );
  const message = translate(language, error.key, params);
  return error.field ? `${fieldLabel(error.field)}: ${message}` : message;
}
