/**
 * Cells a spreadsheet would run as a formula (SPEC section 6): starting with
 * = + - @, a tab or a carriage return. A plain number (-162000, +3.5) is a
 * number, not a formula, and stays readable as one. urp's CSV writes such a
 * cell with a leading `'` (papaparse's escapeFormulae with this pattern), and
 * its import takes the `'` away again: one rule for both directions.
 */
export const FORMULA = /^(?![-+]?\d+(?:[.,]\d+)?$)[=+\-@\t\r]/;

/** A cell urp's own export neutralised (`'=...`), read back as it was. */
export function restoreFormula(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA.test(text.slice(1)) ? text.slice(1) : text;
}
