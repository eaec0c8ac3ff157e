import type { Language } from '../domain/vocabulary.js';
import { translateOptional } from '../i18n/messages.js';

/**
 * How a domain field is named on the command line: its flag, or the argument
 * it comes from. Importer messages name CSV columns instead.
 */
const SPECIAL: Record<string, string> = {
  contact: '--email/--phone/--address',
  number: 'number',
  code: 'code',
  searchText: 'text',
  key: 'key',
  value: 'value',
  id: 'id',
  file: 'file',
  // The two parts of a message template file (issue 14).
  templateSubject: 'subject',
  templateBody: 'body',
};

/**
 * A flag as it is typed (`--subject`, the same in every language); an
 * argument as the help names it, in the reader's language when given
 * (`number` is `numero` in Italian: `urp report show <numero>`).
 */
export function fieldLabel(field: string, language?: Language): string {
  const special = SPECIAL[field];
  if (special === undefined) return `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  return (language !== undefined && !special.startsWith('-') && translateOptional(language, `help.placeholder.${special}`)) || special;
}
