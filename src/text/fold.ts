/**
 * Folding text for finding it again (one definition, for the search index,
 * the queries and the matching of names): lower case, accents removed
 * ("Nicolò" is found by "nicolo"), runs of blanks as one space.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
