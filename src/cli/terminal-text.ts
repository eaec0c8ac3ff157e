import { escapeUnsafe, escapeUnsafeLine } from '../text/control-characters.js';

/**
 * Text written by citizens (a subject, a description) may hold control,
 * bidirectional or invisible characters (src/text/control-characters.ts).
 * Before such text reaches a terminal or a printout they are shown as
 * visible escapes (`\x1b`, `\u202e`), never obeyed.
 */

/** For multi-line text (a description): keeps line breaks, neutralises the rest. */
export function safeText(text: string): string {
  return escapeUnsafe(text);
}

/** For a table cell or a line of a printout: line breaks become ↵, tabs blanks. */
export function safeLine(text: string): string {
  const escaped = escapeUnsafe(text);
  return escaped === text && !/[\n\t]/.test(text) ? text : escaped.replace(/\n/g, ' ↵ ').replace(/\t/g, ' ');
}

export { escapeUnsafeLine };
