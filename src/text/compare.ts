/**
 * Order of texts by their code units: for codes, numbers and ISO instants
 * (`2026/000301`, `2026-11-26T07:00:00.000Z`), which sort the same this way
 * as by any collation. Not for names or words in a language: those use
 * localeCompare, which wakes ICU's collator (milliseconds of a command's
 * start-up, the first time).
 */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
