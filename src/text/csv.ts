import { FORMULA } from './spreadsheet-formula.js';

/**
 * One CSV cell as urp writes it (comma-separated, RFC 4180), exactly as
 * papaparse's unparse writes it with escapeFormulae set to FORMULA, without
 * its per-call set-up: the export writes a million rows of thirty-odd cells.
 * Text that a spreadsheet would run as a formula gets a leading `'` and
 * quotes; text with a comma, a quote, a line break or a byte-order mark, or
 * with a blank at either end, is quoted, its quotes doubled. Numbers and
 * booleans are written as they are; null and undefined as nothing.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  if (value === '') return '';
  let text = value;
  let quote = false;
  if (FORMULA.test(text)) {
    text = `'${text}`;
    quote = true;
  }
  if (text.includes('"')) {
    text = text.replace(/"/g, '""');
    quote = true;
  }
  if (quote || NEEDS_QUOTES.test(text) || text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32) return `"${text}"`;
  return text;
}

const NEEDS_QUOTES = /[,\r\n\ufeff]/;

/** A CSV line (without its line break). */
export function csvLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  let line = '';
  for (let index = 0; index < values.length; index++) line += (index === 0 ? '' : ',') + csvCell(values[index]);
  return line;
}
