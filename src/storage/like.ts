import { type RawBuilder, sql } from 'kysely';
import { fold as searchable } from '../text/fold.js';
import { FOLD_TEXT_FUNCTION, containsPattern } from './text-search.js';

/**
 * `column LIKE '%text%'` with the text's own % and _ taken literally:
 * citizens type underscores and percent signs too. Whatever the case of
 * ASCII letters, on both engines: SQLite's LIKE ignores it, PostgreSQL's
 * does not, and lower() folds ASCII alike on both (PostgreSQL's columns are
 * collated "C"), so both sides are lowered.
 */
export function likeContains(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like lower(${containsPattern(text)}) escape '\\'`;
}

/** The SQL function (registered on every connection, text-search.ts) that folds text for searching: lower case, no accents. */
export const FOLD_FUNCTION = FOLD_TEXT_FUNCTION;

/** Like likeContains, ignoring case and accents: "velocita" finds "Velocità", "VIA ROMA" finds "via Roma". */
export function likeContainsFolded(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.raw(FOLD_FUNCTION)}(${sql.ref(column)}) like ${containsPattern(searchable(text))} escape '\\'`;
}
