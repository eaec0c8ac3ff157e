import type { Kysely, RawBuilder } from 'kysely';
import { engineOf } from './engine.js';

/**
 * Whether a report's derived figure (a duration computed from two of its
 * instants) is known, written as each engine reads it cheapest. SQLite keeps
 * the figure itself in the covering index reports_received_at, so asking
 * about the expression reads it from there; PostgreSQL's index holds the
 * instants (INCLUDE), and computing julianday() twice a row for a year of
 * reports costs more than the rest of the statistics together. The figure is
 * known exactly when its later instant is (the other, the receipt, is never
 * null), so on PostgreSQL the instant's column answers the same question.
 */
export function knownFigure(db: Kysely<any>, figure: RawBuilder<number | null>, instant: RawBuilder<string | null>): RawBuilder<unknown> {
  return engineOf(db) === 'sqlite' ? figure : instant;
}
