import type { Kysely } from 'kysely';
import { firstFreeId, insertMany, moveSequencePast } from '../storage/bulk.js';
import { chainHead } from '../storage/chain-head.js';
import { indexNewReports } from '../storage/text-search.js';
import type { Database, NewReportRow } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { chainHash, replySeal } from './event-chain.js';
import type { EventKind } from './report-events.js';
import type { Outcome, ReplyChannel, Status } from './vocabulary.js';

/**
 * The one writer of new reports (issue 11): `report new` hands it one
 * report, the import thousands; both describe a report the same way (its
 * fields, its milestones, the events they imply and the reply) and it
 * writes the rows in batches, giving them their ids and chaining each event
 * to the one before. Call it inside the write transaction that took the
 * numbers: it reads the ids and the chain head under that lock.
 */
export interface Milestones {
  readonly assignedAt?: Date | undefined;
  readonly acknowledgedAt?: Date | undefined;
  readonly suspendedAt?: Date | undefined;
  readonly answeredAt?: Date | undefined;
  readonly closedAt?: Date | undefined;
  readonly rejectedAt?: Date | undefined;
}

export interface NewReport {
  readonly number: string;
  readonly year: number;
  readonly sequence: number;
  readonly type: string;
  readonly channel: string;
  readonly status: Status;
  readonly subject: string;
  readonly description: string;
  readonly location: string | null;
  readonly externalRef: string | null;
  readonly categoryId: number | null;
  /** The area it is (or was last) assigned to; kept only when the history has an assignment. */
  readonly areaId: number | null;
  readonly citizenId: number;
  readonly receivedAt: Date;
  readonly registeredAt: Date;
  readonly assignDueAt: Date;
  readonly replyDueAt: Date;
  readonly milestones: Milestones;
  readonly outcome: Outcome | null;
  readonly reply?: { readonly text: string; readonly via: ReplyChannel | null } | undefined;
  /** Events recorded after its history (a note that contacts were added to the citizen). */
  readonly extraEvents?: ReadonlyArray<{ readonly kind: EventKind; readonly text: string }>;
}

interface EventSpec {
  readonly kind: EventKind;
  readonly from: Status | null;
  readonly to: Status | null;
  /** When it happened, as the report's row holds the instant (ISO text). */
  readonly at: string;
  readonly areaId: number | null;
  readonly text: string | null;
}

const iso = (instant: Date | undefined) => instant?.toISOString() ?? null;

/** The columns of a new report's row, derived from its fields and milestones. */
export function reportRow(report: NewReport): NewReportRow {
  const { milestones: m } = report;
  const assigned = report.status !== 'registered' && report.status !== 'rejected';
  const assignedAt = assigned ? (m.assignedAt ?? report.registeredAt) : undefined;
  const acknowledgedAt = m.acknowledgedAt ?? (m.answeredAt && assignedAt ? m.answeredAt : undefined);
  // Last changed at its latest milestone (Open311's updated_datetime), not when it was written.
  let latest = report.registeredAt;
  for (const instant of [assignedAt, acknowledgedAt, m.suspendedAt, m.answeredAt, m.closedAt, m.rejectedAt]) if (instant !== undefined && instant > latest) latest = instant;
  const received = report.receivedAt.toISOString();
  const registered = report.registeredAt.toISOString();
  const assignDue = report.assignDueAt.toISOString();
  const replyDue = report.replyDueAt.toISOString();
  return {
    number: report.number,
    year: report.year,
    sequence: report.sequence,
    type: report.type,
    channel: report.channel,
    status: report.status,
    subject: report.subject,
    description: report.description,
    location: report.location,
    external_ref: report.externalRef,
    category_id: report.categoryId,
    area_id: assignedAt ? report.areaId : null,
    citizen_id: report.citizenId,
    received_at: received,
    registered_at: registered,
    assign_counted_from: received,
    assign_due_at: assignDue,
    first_assign_due_at: assignDue,
    reply_counted_from: received,
    reply_due_at: replyDue,
    suspended_at: iso(m.suspendedAt),
    suspended_days: 0,
    suspension_count: m.suspendedAt ? 1 : 0,
    assigned_at: iso(assignedAt),
    first_assigned_at: iso(assignedAt),
    acknowledged_at: iso(acknowledgedAt),
    answered_at: iso(m.answeredAt),
    first_answered_at: iso(m.answeredAt),
    first_reply_due_at: m.answeredAt ? replyDue : null,
    closed_at: iso(m.closedAt),
    rejected_at: iso(m.rejectedAt),
    outcome: m.answeredAt ? report.outcome : null,
    reopen_count: 0,
    updated_at: latest === report.registeredAt ? registered : latest.toISOString(),
  };
}

/** The reply row's own values of an answered report (the same that its event seals). */
function replyOf(report: NewReport): { text: string; outcome: string; via: string | null } {
  return { text: report.reply?.text ?? '', outcome: report.outcome!, via: report.reply?.via ?? null };
}

/** The events a report's history implies, in the order they happened. */
function historyEvents(report: NewReport, row: NewReportRow): EventSpec[] {
  const areaId = (row.area_id as number | null) ?? null;
  const registered = row.registered_at as string;
  const at = (text: unknown) => text as string;
  const events: EventSpec[] = [{ kind: 'registered', from: null, to: 'registered', at: registered, areaId: null, text: null }];
  if (report.status === 'rejected') events.push({ kind: 'rejected', from: 'registered', to: 'rejected', at: at(row.rejected_at), areaId: null, text: null });
  if (row.assigned_at) events.push({ kind: 'assigned', from: 'registered', to: 'assigned', at: at(row.assigned_at), areaId, text: null });
  if (row.acknowledged_at) events.push({ kind: 'acknowledged', from: 'assigned', to: 'acknowledged', at: at(row.acknowledged_at), areaId, text: null });
  if (row.suspended_at) events.push({ kind: 'suspended', from: 'acknowledged', to: 'suspended', at: at(row.suspended_at), areaId, text: null });
  // The reply, its outcome and channel are in its reply row; the event holds their seal (event-chain.ts).
  if (row.answered_at) events.push({ kind: 'answered', from: 'acknowledged', to: 'answered', at: at(row.answered_at), areaId, text: replySeal(replyOf(report)) });
  if (row.closed_at) events.push({ kind: 'closed', from: 'answered', to: 'closed', at: at(row.closed_at), areaId, text: null });
  for (const extra of report.extraEvents ?? []) events.push({ kind: extra.kind, from: null, to: null, at: registered, areaId: null, text: extra.text });
  return events;
}

/** Writes new reports with their events and replies; returns their ids, in order. */
export async function writeReports(trx: Kysely<Database>, actor: Actor, reports: readonly NewReport[]): Promise<number[]> {
  if (reports.length === 0) return [];
  const writer = await reportWriter(trx, actor);
  const batch = writer.prepare(reports);
  await writer.write(batch);
  await writer.finish();
  return [...batch.ids];
}

/** The rows of a batch of new reports, ids given and events chained, ready to be written. */
export interface PreparedReports {
  readonly ids: readonly number[];
  readonly reports: ReadonlyArray<Record<string, string | number | null>>;
  readonly events: ReadonlyArray<Record<string, string | number | null>>;
  readonly replies: ReadonlyArray<Record<string, string | number | null>>;
}

export interface ReportWriter {
  /** The rows of these reports, following those prepared before: no database work. */
  prepare(reports: readonly NewReport[]): PreparedReports;
  /** Writes a prepared batch (batches in the order they were prepared). */
  write(batch: PreparedReports): Promise<void>;
  /** After the last batch: PostgreSQL's id sequences moved past the ids given. */
  finish(): Promise<void>;
}

/**
 * A writer for many batches in one write transaction (the import): the
 * first free ids and the chain head are read once, and each batch's rows
 * are prepared in memory, so that a caller may prepare the next batch while
 * the server writes the one before.
 */
export async function reportWriter(trx: Kysely<Database>, actor: Actor): Promise<ReportWriter> {
  let reportId = await firstFreeId(trx, 'reports');
  let eventId = await firstFreeId(trx, 'report_events');
  let replyId = await firstFreeId(trx, 'replies');
  let head = await chainHead(trx, 'report_events');
  const recorded = actor.now.toISOString();
  const first = { reports: reportId, report_events: eventId, replies: replyId };
  return {
    prepare(reports) {
      const reportRows: Array<Record<string, string | number | null>> = [];
      const eventRows: Array<Record<string, string | number | null>> = [];
      const replyRows: Array<Record<string, string | number | null>> = [];
      const ids: number[] = [];
      for (const report of reports) {
        const row = reportRow(report);
        const id = reportId++;
        ids.push(id);
        reportRows.push({ id, ...(row as Record<string, string | number | null>) });
        for (const event of historyEvents(report, row)) {
          const fields = {
            report_id: id,
            kind: event.kind,
            from_status: event.from,
            to_status: event.to,
            area_id: event.areaId,
            text: event.text,
            operator: actor.operator,
            entered_by: actor.enteredBy ?? null,
            occurred_at: event.at,
            recorded_at: recorded,
            source: actor.source,
          };
          head = chainHash('report_events', head, fields);
          const ownId = eventId++;
          eventRows.push({ id: ownId, ...fields, hash: head });
          if (event.kind === 'answered') replyRows.push({ id: replyId++, report_id: id, event_id: ownId, ...replyOf(report), sent_at: event.at });
        }
      }
      return { ids, reports: reportRows, events: eventRows, replies: replyRows };
    },
    async write(batch) {
      if (batch.ids.length === 0) return;
      await insertMany(trx, 'reports', batch.reports, { sequence: 'later' });
      await insertMany(trx, 'report_events', batch.events, { sequence: 'later' });
      await insertMany(trx, 'replies', batch.replies, { sequence: 'later' });
    },
    async finish() {
      // Searchable when the transaction commits: indexed in one statement for every batch
      // (storage/text-search.ts). One large write to SQLite's FTS5 index costs a fraction of
      // many small ones, each of which the next statement's savepoint would flush as a segment.
      if (reportId > first.reports) await indexNewReports(trx, first.reports, reportId - 1);
      const next = { reports: reportId, report_events: eventId, replies: replyId };
      for (const table of ['reports', 'report_events', 'replies'] as const) if (next[table] > first[table]) await moveSequencePast(trx, table, next[table] - 1);
    },
  };
}
