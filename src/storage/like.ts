import { type RawBuilder, sql } from 'kysely';

/**
 * `column LIKE '%text%'` with the text's own % and _ taken literally:
 * citizens type underscores and percent signs too.
 */
export function likeContains(column: string, text: string): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
