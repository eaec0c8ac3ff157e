import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
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

/** Appends one event to a report's timeline (append-only: the database refuses changes). */
export async function appendEvent(db: Kysely<Database>, actor: Actor, event: NewEvent): Promise<number> {
  const { id } = await db
    .insertInto('report_events')
    .values({
      report_id: event.reportId,
      kind: event.kind,
      from_status: event.fromStatus ?? null,
      to_status: event.toStatus ?? null,
      area_id: event.areaId ?? null,
      text: event.text ?? null,
      operator: actor.operator,
      occurred_at: (event.occurredAt ?? actor.now).toISOString(),
      recorded_at: actor.now.toISOString(),
      source: actor.source,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export interface TimelineEvent {
  readonly id: number;
  readonly kind: EventKind;
  readonly fromStatus: Status | null;
  readonly toStatus: Status | null;
  readonly area: string | null;
  readonly text: string | null;
  readonly operator: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly source: string;
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
    .select(['e.id', 'e.kind', 'e.from_status', 'e.to_status', 'a.code as area', 'e.text', 'e.operator', 'e.occurred_at', 'e.recorded_at', 'e.source'])
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
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    source: row.source,
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
