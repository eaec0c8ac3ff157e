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

export function fieldLabel(field: string): string {
  return SPECIAL[field] ?? `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
