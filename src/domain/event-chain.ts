import { hash } from 'node:crypto';

/**
 * The tamper-evident record (issue 10, SPEC 3.11): every report event and
 * every audit event carries SHA-256(previous hash ‖ canonical encoding). A
 * changed event no longer matches its hash; a removed or inserted one breaks
 * the link of the next; a removed tail shows against the head an office
 * copies daily from `urp db status` into its own register.
 *
 * The encoding is version 1 of the chain, the same as the migration that
 * chained existing registers: a JSON array of the fields in a fixed order,
 * ids as numbers (PostgreSQL may hand them back as strings).
 */
export const CHAIN_TABLES = ['report_events', 'audit_events'] as const;
export type ChainTable = (typeof CHAIN_TABLES)[number];

/** The hash before the first event. */
export const GENESIS = '';

export interface ReportEventFields {
  readonly report_id: number | string;
  readonly kind: string;
  readonly from_status: string | null;
  readonly to_status: string | null;
  readonly area_id: number | string | null;
  readonly text: string | null;
  readonly operator: string;
  readonly entered_by: string | null;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly source: string;
}

export interface AuditEventFields {
  readonly kind: string;
  readonly subject: string;
  readonly text: string | null;
  readonly operator: string;
  readonly entered_by: string | null;
  readonly occurred_at: string;
}

const ENCODINGS = {
  report_events: (row: ReportEventFields) => [
    Number(row.report_id), row.kind, row.from_status, row.to_status, row.area_id == null ? null : Number(row.area_id), row.text,
    row.operator, row.entered_by, row.occurred_at, row.recorded_at, row.source,
  ],
  audit_events: (row: AuditEventFields) => [row.kind, row.subject, row.text, row.operator, row.entered_by, row.occurred_at],
} as const;

export function chainHash<Table extends ChainTable>(
  table: Table,
  previous: string,
  row: Table extends 'report_events' ? ReportEventFields : AuditEventFields,
): string {
  const fields = (ENCODINGS[table] as (row: unknown) => unknown[])(row);
  // One call (the verifier's own, below): half the cost of a hash object per event.
  return hash('sha256', previous + JSON.stringify(fields), 'hex');
}

export interface ChainState {
  readonly count: number;
  /** The last event's hash (GENESIS when there is none). */
  readonly head: string;
  /** The id of the first event that does not verify, and the reason. */
  readonly broken?: { readonly id: number; readonly reason: 'hash' | 'missing' };
}

/**
 * Walks a chain in id order. Stops counting trust at the first event whose
 * hash does not follow from the previous one (an edit, a removal or an
 * insertion just before it); counts go on to the end.
 */
export async function verifyChain<Table extends ChainTable>(
  table: Table,
  rows: AsyncIterable<(Table extends 'report_events' ? ReportEventFields : AuditEventFields) & { id: number; hash: string | null }>,
): Promise<ChainState> {
  let previous = GENESIS;
  let count = 0;
  let broken: ChainState['broken'];
  for await (const row of rows) {
    count++;
    if (!broken) {
      if (!row.hash) broken = { id: row.id, reason: 'missing' };
      else if (chainHash(table, previous, row) !== row.hash) broken = { id: row.id, reason: 'hash' };
    }
    previous = row.hash ?? '';
  }
  return { count, head: previous, ...(broken && { broken }) };
}

/**
 * verifyChain for events whose canonical encoding the storage has already
 * written (storage/chain-rows.ts), a batch at a time: the same hash,
 * SHA-256(previous hash ‖ encoding), in one call per event.
 */
export async function verifyEncodedChain(batches: AsyncIterable<ReadonlyArray<{ id: number; encoded: string; hash: string | null }>>): Promise<ChainState> {
  let previous = GENESIS;
  let count = 0;
  let broken: ChainState['broken'];
  for await (const batch of batches) {
    for (const row of batch) {
      count++;
      if (!broken) {
        if (!row.hash) broken = { id: row.id, reason: 'missing' };
        else if (hash('sha256', previous + row.encoded, 'hex') !== row.hash) broken = { id: row.id, reason: 'hash' };
      }
      previous = row.hash ?? '';
    }
  }
  return { count, head: previous, ...(broken && { broken }) };
}

/** The canonical encoding of an event (what its hash covers, after the previous hash). */
export function chainEncoding<Table extends ChainTable>(table: Table, row: Table extends 'report_events' ? ReportEventFields : AuditEventFields): string {
  return JSON.stringify((ENCODINGS[table] as (row: unknown) => unknown[])(row));
}

/**
 * A reply's seal, the text of its "answered" event: the reply the citizen
 * was sent (its text, outcome and channel) is kept in its own row, and the
 * seal puts it under the chain, so that a reply changed afterwards no
 * longer matches the event that recorded it (db check says so). Registers
 * of before the seal hold answered events without text: their replies are
 * not covered.
 */
export const REPLY_SEAL_PREFIX = 'reply-sha256:';

export function replySeal(reply: { readonly text: string; readonly outcome: string; readonly via: string | null }): string {
  return `${REPLY_SEAL_PREFIX}${hash('sha256', JSON.stringify([reply.text, reply.outcome, reply.via]), 'hex')}`;
}
