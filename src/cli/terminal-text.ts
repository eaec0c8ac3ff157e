/**
 * Text written by citizens (a subject, a description) may hold control
 * characters: an ESC[2J that clears the screen, an OSC 8 link that hides its
 * target, a carriage return that overwrites a line. Before such text reaches a
 * terminal or a printout, every control character except tab is shown as a
 * visible escape (`\x1b`) and line breaks as a visible mark where one line is
 * expected.
 */
// C0 controls, DEL, and C1 controls (U+0080-U+009F, which some terminals obey as ESC sequences).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Bidirectional overrides can make text read differently from how it is stored.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** Anything that needs neutralising: most text has none, and is returned as it is. */
const NEEDS_WORK = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function visible(character: string): string {
  return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** For multi-line text (a description): keeps line breaks, neutralises the rest. */
export function safeText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, visible).replace(BIDI, (character) => `\\u${character.charCodeAt(0).toString(16)}`);
}

/** For a table cell or a line of a printout: line breaks become ↵. */
export function safeLine(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return safeText(text).replace(/\n/g, ' ↵ ').replace(/\t/g, ' ');
}
