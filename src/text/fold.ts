const ASCII = /^[\x00-\x7f]*$/;

/**
 * Folding text for finding it again (one definition, for the search index,
 * the queries and the matching of names): lower case, accents removed
 * ("Nicolò" is found by "nicolo"), runs of blanks as one space.
 *
 * The search index (migration 2026-12-01-005) stores what these functions
 * return, through the SQL functions urp registers on every connection, and
 * removes an entry by folding the old values again: changing either rule
 * needs a migration that rebuilds the index.
 */
export function fold(text: string): string {
  // ASCII has neither accents nor compositions: NFD and the removal of combining marks would change nothing
  // (an import folds four texts a row).
  return (ASCII.test(text) ? text : text.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A person's name folded for finding them: as fold(), apostrophes dropped
 * ("D'Angelo" is found by "dangelo" and by "d'angelo") and any other
 * punctuation a word boundary ("Rossi, Mario" is "rossi mario").
 */
export function foldName(text: string): string {
  return fold(text)
    .replace(/['\u2019\u02bc`\u00b4\u2018]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
