import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/text/csv.js';
import { FORMULA } from '../../src/text/spreadsheet-formula.js';

describe('CSV cells', () => {
  it('are written exactly as papaparse writes them with the formula rule, for every kind of text', () => {
    const pieces = ['', 'a', ' ', ',', '"', "'", '\n', '\r', '\t', '\ufeff', '=', '+', '-', '@', '1', '-162000', '+3.5', '3,5', 'è', 'SUM(A1)', ';'];
    const values: Array<string | number | boolean | null> = [null, 0, -1.5, 42, true, false];
    for (const a of pieces) for (const b of pieces) for (const c of ['', 'x', ' ']) values.push(a + b + c);
    for (const value of values) {
      const expected = Papa.unparse([[value]], { escapeFormulae: FORMULA, newline: '\n' });
      expect(csvCell(value), JSON.stringify(value)).toBe(expected);
    }
    // A whole line: cells of every kind side by side.
    expect(csvLine(values)).toBe(Papa.unparse([values], { escapeFormulae: FORMULA, newline: '\n' }));
  });
});
