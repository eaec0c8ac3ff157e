/**
 * How wide text is on a terminal, and how to cut or wrap it to a width:
 * escape sequences take no room, combining accents none, East Asian wide
 * characters and emoji two columns.
 */

// urp's own colours (chalk): they take no room.
const ESCAPES = /\u001b\[[0-9;]*m/g;
const ZERO_WIDTH = /[\u0300-\u036f\u200b-\u200f\u2060\ufe00-\ufe0f\u20d0-\u20ff]/;
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u;

const NARROW = /^[\x20-\x7e\u00a0-\u00a8\u00aa-\u00ad\u00af-\u02ff\u2010-\u2027\u20ac]*$/;

function charWidth(character: string): number {
  if (ZERO_WIDTH.test(character)) return 0;
  return WIDE.test(character) ? 2 : 1;
}

export function displayWidth(text: string): number {
  // Nearly every cell: ASCII, Latin letters with their accents, dashes, quotes, … and €, each one
  // column (© and ® are left to charWidth, which counts pictographs as two).
  if (NARROW.test(text)) return text.length;
  let width = 0;
  for (const character of text.replace(ESCAPES, '')) width += charWidth(character);
  return width;
}

/** The text in at most `width` columns: whole if it fits, else cut and ended with …. */
export function fitText(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const character of text.replace(ESCAPES, '')) {
    const each = charWidth(character);
    if (used + each > width - 1) break;
    out += character;
    used += each;
  }
  return `${out.trimEnd()}…`;
}

/** The text in lines of at most `width` columns, broken between words (a word longer than a line is broken inside). */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0 || displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (displayWidth(rest) > width) {
      let part = '';
      for (const character of rest) {
        if (displayWidth(part + character) > width) break;
        part += character;
      }
      lines.push(part);
      rest = rest.slice(part.length);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}
