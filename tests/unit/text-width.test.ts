import { describe, expect, it } from 'vitest';
import { displayWidth, fitText, wrapText } from '../../src/cli/text-width.js';

describe('displayWidth', () => {
  it('counts Italian text, dashes and the euro sign a column each, and wide characters two', () => {
    expect(displayWidth('Perché è già così — 10 €…')).toBe(25);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('\u001b[1mbold\u001b[22m')).toBe(4);
  });

  it('gives every character of the quick path the width the character-by-character count gives', () => {
    // A combining accent (no width) sends the text down the slow path: the two must agree.
    const disagreements: string[] = [];
    for (let code = 0x20; code < 0x3000; code++) {
      if (code >= 0x7f && code < 0xa0) continue;
      const character = String.fromCodePoint(code);
      if (displayWidth(character) !== displayWidth(`${character}\u0301`)) disagreements.push(code.toString(16));
    }
    expect(disagreements).toEqual([]);
  });

  it('wraps and cuts by columns, not by code units', () => {
    expect(wrapText('città più bella', 9)).toEqual(['città più', 'bella']);
    expect(fitText('Perché no', 6)).toBe('Perch…');
  });
});
