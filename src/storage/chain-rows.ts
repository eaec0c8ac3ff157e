import { type Kysely, sql } from 'kysely';
import { sqliteConnection } from './database.js';
import { streamRows } from './row-stream.js';
import type { Database } from './schema.js';

/**
 * The events of a hash-chained table in id order, each with the canonical
 * encoding its hash covers, written by SQLite (json_array of the fields):
 * a million events cross into JavaScript as two strings each instead of a
 * dozen values. The encoding is version 1 of the chain, field for field as
 * src/domain/event-chain.ts encodes it (ids as numbers); a test holds the two
 * to each other on every kind of text. Undefined on another engine, whose
 * encoding the domain then computes itself.
 */
export interface EncodedEvent {
  readonly id: number;
  readonly encoded: string;
  readonly hash: string | null;
}

const ENCODINGS = {
  report_events: sql`json_array(cast(report_id as integer), kind, from_status, to_status, cast(area_id as integer), text, operator, entered_by, occurred_at, recorded_at, source)`,
  audit_events: sql`json_array(kind, subject, text, operator, entered_by, occurred_at)`,
};

export function encodedEvents(db: Kysely<Database>, table: keyof typeof ENCODINGS): AsyncGenerator<EncodedEvent[]> | undefined {
  if (!sqliteConnection(db)) return undefined;
  return streamRows(db, db.selectFrom(table).select(['id', ENCODINGS[table].as('encoded'), 'hash']).orderBy('id') as never, 2000);
}
