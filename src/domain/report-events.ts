import type { Kysely } from 'kysely';
import { chainHead } from '../storage/chain-head.js';
import type { Database } from '../storage/schema.js';
import { writeTransaction } from '../storage/transactions.js';
import type { Actor } from './actor.js';
import { chainHash } from './event-chain.js';
import type { Status } from './vocabulary.js';

/** What can happen to a report; each is one event in its timeline. */
export type EventKind =
  | 'registered'
  | 'assigned'
  | 'reassigned'
  | 'acknowledged'
  | 'returned'
  | 'suspended'
  | 'resumed'
  | 'answered'
  | 'closed'
  | 'rejected'
  | 'reopened'
  | 'note'
  | 'citizen_erased'
  /** Registration added contacts to the citizen's record (the text names the fields). */
  | 'citizen_contacts_added'
  // Issue 14: a message delivered (outbox id, recipient kind, channel, Message-ID; never an address or a body),
  // and the e-mail message a report was registered from (its hash and size).
  | 'message_sent'
  | 'message_received';

export interface NewEvent {
  readonly reportId: number;
  readonly kind: EventKind;
  readonly fromStatus?: Status | null;
  readonly toStatus?: Status | null;
  readonly areaId?: number | null;
  readonly text?: string | null;
  /** When it happened; defaults to the actor's now. */
  readonly occurredAt?: Date;
}

/**
 * Appends one event to a report's timeline, chained to the last event of the
 * register (append-only: the database refuses changes). Call it inside the
 * write transaction that makes the change it records.
 */
export async function appendEvent(db: Kysely<Database>, actor: Actor, event: NewEvent): Promise<number> {
  const fields = {
    report_id: event.reportId,
    kind: event.kind,
    from_status: event.fromStatus ?? null,
    to_status: event.toStatus ?? null,
    area_id: event.areaId ?? null,
    text: event.text ?? null,
    operator: actor.operator,
    entered_by: actor.enteredBy ?? null,
    occurred_at: (event.occurredAt ?? actor.now).toISOString(),
    recorded_at: actor.now.toISOString(),
    source: actor.source,
  };
  // Joins the caller's transaction; alone, it takes the write lock so that no other process appends between the read of the head and the insert.
  return writeTransaction(db, async (trx) => {
    const hash = chainHash('report_events', await chainHead(trx, 'report_events'), fields);
    const { id } = await trx.insertInto('report_events').values({ ...fields, hash }).returning('id').executeTakeFirstOrThrow();
    return id;
  });
}

export interface TimelineEvent {
  readonly id: number;
  readonly kind: EventKind;
  readonly fromStatus: Status | null;
  readonly toStatus: Status | null;
  readonly area: string | null;
  readonly text: string | null;
  readonly operator: string;
  /** The admin who entered it on the operator's behalf, if any. */
  readonly enteredBy: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly source: string;
  /** An answer's outcome and channel, from its reply. */
  readonly outcome: string | null;
  readonly via: string | null;
}

export interface Reply {
  readonly text: string;
  readonly outcome: string;
  readonly via: string | null;
  readonly sentAt: string;
}

/** A report's events in the order they were recorded. */
export async function timeline(db: Kysely<Database>, reportId: number): Promise<TimelineEvent[]> {
  const rows = await db
    .selectFrom('report_events as e')
    .leftJoin('areas as a', 'a.id', 'e.area_id')
    .leftJoin('replies as r', 'r.event_id', 'e.id')
    .select(['e.id', 'e.kind', 'e.from_status', 'e.to_status', 'a.code as area', 'e.text', 'e.operator', 'e.entered_by', 'e.occurred_at', 'e.recorded_at', 'e.source', 'r.outcome', 'r.via'])
    .where('e.report_id', '=', reportId)
    .orderBy('e.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as EventKind,
    fromStatus: row.from_status as Status | null,
    toStatus: row.to_status as Status | null,
    area: row.area,
    text: row.text,
    operator: row.operator,
    enteredBy: row.entered_by,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    source: row.source,
    outcome: row.outcome,
    via: row.via,
  }));
}

/** The replies sent to the citizen, oldest first (a reopened report may have several). */
export async function replies(db: Kysely<Database>, reportId: number): Promise<Reply[]> {
  const rows = await db
    .selectFrom('replies')
    .select(['text', 'outcome', 'via', 'sent_at'])
    .where('report_id', '=', reportId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ text: row.text, outcome: row.outcome, via: row.via, sentAt: row.sent_at }));
}
