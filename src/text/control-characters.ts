/**
 * Characters that make text on a terminal or a printout differ from what is
 * stored (SPEC section 7, issue 10): C0 and C1 controls and DEL (an ESC[2J
 * that clears the screen, an OSC 8 link that hides its target, a carriage
 * return that overwrites a line), bidirectional overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069: text that reads backwards) and the
 * invisible ones (U+200B-U+200F zero-width spaces, joiners and marks,
 * U+2028/U+2029 separators, U+2060-U+2064, U+FEFF, U+061C, U+180E, U+00AD
 * soft hyphen): a name that looks like another. The one definition, for
 * every view and every message.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const ANY = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** A control character as `\x1b`, an invisible or bidirectional one as `\u202e`. */
function escaped(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x100 && code !== 0xad ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function hasUnsafeCharacters(text: string): boolean {
  return ANY.test(text);
}

/** For multi-line text (a description): line breaks and tabs kept, everything else unsafe made visible. */
export function escapeUnsafe(text: string): string {
  if (!ANY.test(text)) return text;
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, escaped).replace(INVISIBLE, escaped);
}

/** For one line (a cell, a message): line breaks made visible too. */
export function escapeUnsafeLine(text: string): string {
  if (!ANY.test(text)) return text;
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, escaped).replace(INVISIBLE, escaped);
}

/**
 * For a message (which names what the user typed: a path, a value): each of
 * its lines kept, and everything unsafe within a line made visible, a
 * carriage return included (a path may hold one).
 */
export function escapeUnsafeLines(text: string): string {
  if (!ANY.test(text)) return text;
  return text.split('\n').map(escapeUnsafeLine).join('\n');
}

/** What JSON.stringify leaves raw of the characters above (it escapes C0 controls itself). */
const RAW_IN_JSON = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * JSON text with every unsafe character written as a `\uXXXX` escape: the
 * same JSON value (a script parsing it gets the text as stored), nothing for
 * a terminal to obey or to hide. Such characters can only stand inside JSON
 * strings, so replacing them in the serialised text is always an escape.
 */
export function escapeUnsafeInJson(json: string): string {
  return json.replace(RAW_IN_JSON, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
