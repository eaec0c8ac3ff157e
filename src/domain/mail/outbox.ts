import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from '../../storage/schema.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { normaliseEmail } from '../contacts.js';
import { InputError } from '../errors.js';
import { authorize } from '../operators.js';
import { MAIL_PERMISSIONS } from './permissions.js';

export { MAIL_PERMISSIONS };
import { parseReportNumber } from '../report-numbers.js';
import type { Settings } from '../settings.js';
import type { DocumentLanguage as Language } from '../vocabulary.js';
import { type ReportForMail, assignmentValues, receiptValues, replyValues, reportForMail } from './message-content.js';
import { type TemplateName, getTemplate, renderSubject, renderText } from './templates.js';
import { parseMailFrom } from './smtp-settings.js';

/**
 * The outbox (issue 14): every message urp sends is first a row here,
 * written in the same transaction as the event that causes it, so that a
 * message is queued if and only if its event happened. `urp mail send`
 * delivers the rows; a row is never deleted, so the outbox is also the
 * record of what was sent to whom.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'no_address' | 'cancelled';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'failed', 'no_address', 'cancelled'];
export type Recipient = 'citizen' | 'area' | 'urp';
export type MailChannel = 'email' | 'pec';

export interface Route {
  readonly channel: MailChannel;
  readonly address: string | null;
}

/**
 * How a citizen is reached: by PEC when asked (a reply `--via pec`, a report
 * that came by PEC) and they have a PEC address and PEC is set up; else by
 * e-mail; else by PEC if that is all they have; else not at all.
 */
export function citizenRoute(citizen: { email: string | null; pec: string | null; erased: boolean }, settings: Settings, preferPec: boolean): Route {
  if (citizen.erased) return { channel: 'email', address: null };
  const pecUsable = citizen.pec !== null && settings.pecSmtp !== null;
  if (preferPec && pecUsable) return { channel: 'pec', address: citizen.pec };
  if (citizen.email) return { channel: 'email', address: citizen.email };
  if (pecUsable) return { channel: 'pec', address: citizen.pec };
  return { channel: 'email', address: null };
}

/** URP's own address, when the urp-email setting holds one (it is free text, shared with the letters). */
export function urpAddress(settings: Settings): string | null {
  return settings.urpEmail ? normaliseEmail(settings.urpEmail) ?? null : null;
}

/** A Message-ID that names the sender's domain; fixed when queued, so every attempt carries the same one. */
function newMessageId(settings: Settings, channel: MailChannel): string {
  const from = channel === 'pec' ? settings.pecFrom : settings.mailFrom;
  let domain = 'urp.invalid';
  if (from) {
    try {
      domain = parseMailFrom(from, 'mail-from').address.split('@')[1]!;
    } catch {
      // A stored setting is valid; keep the placeholder domain if not.
    }
  }
  return `<${randomUUID()}@${domain}>`;
}

export interface NewMessage {
  readonly kind: TemplateName;
  readonly reportId: number | null;
  readonly citizenId: number | null;
  readonly areaId: number | null;
  readonly recipient: Recipient;
  readonly route: Route;
  readonly toName: string | null;
  readonly values: Readonly<Record<string, string>>;
  readonly dedupeKey?: string;
}

/** Renders the message with the template in force and writes its outbox row (in the caller's transaction). */
export async function queueMessage(db: Kysely<Database>, actor: Actor, settings: Settings, message: NewMessage): Promise<number> {
  const language: Language = settings.mailLanguage;
  const template = await getTemplate(db, message.kind, language);
  const now = actor.now.toISOString();
  const { id } = await db
    .insertInto('outbox')
    .values({
      kind: message.kind,
      report_id: message.reportId,
      citizen_id: message.citizenId,
      area_id: message.areaId,
      recipient: message.recipient,
      channel: message.route.channel,
      to_address: message.route.address,
      to_name: message.toName,
      language,
      subject: renderSubject(template.subject, message.values),
      body: renderText(template.body, message.values),
      message_id: newMessageId(settings, message.route.channel),
      status: message.route.address ? 'pending' : 'no_address',
      dedupe_key: message.dedupeKey ?? null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Imports and demo data register history, not news: their citizens get no messages. */
function sendsMessages(actor: Actor, settings: Settings): boolean {
  return settings.mailSmtp !== null && actor.source !== 'import' && actor.source !== 'demo';
}

function areaRoute(report: ReportForMail): Route {
  return { channel: 'email', address: report.areaEmail };
}

async function queueReceipt(db: Kysely<Database>, actor: Actor, settings: Settings, report: ReportForMail): Promise<void> {
  await queueMessage(db, actor, settings, {
    kind: 'receipt',
    reportId: report.id,
    citizenId: report.citizen.id,
    areaId: null,
    recipient: 'citizen',
    // A report that came by PEC is answered by PEC.
    route: citizenRoute(report.citizen, settings, report.channel === 'pec'),
    toName: `${report.citizen.firstName} ${report.citizen.lastName}`,
    values: receiptValues(report, settings, settings.mailLanguage),
  });
}

async function queueAssignment(db: Kysely<Database>, actor: Actor, settings: Settings, report: ReportForMail): Promise<void> {
  await queueMessage(db, actor, settings, {
    kind: 'assignment',
    reportId: report.id,
    citizenId: report.citizen.id,
    areaId: report.areaId,
    recipient: 'area',
    route: areaRoute(report),
    toName: report.areaManager,
    values: assignmentValues(report, settings, settings.mailLanguage),
  });
}

/**
 * Called by registerReport inside its transaction, after the report's
 * events: the receipt to the citizen and, for a report assigned at once, the
 * assignment to the area.
 */
export async function queueRegistrationMessages(db: Kysely<Database>, actor: Actor, settings: Settings, reportId: number): Promise<void> {
  if (!sendsMessages(actor, settings)) return;
  const report = await reportForMail(db, reportId);
  if (settings.mailReceipt) await queueReceipt(db, actor, settings, report);
  if (settings.mailAssignment && report.areaId !== null) await queueAssignment(db, actor, settings, report);
}

/**
 * Called by applyAction inside its transaction, after the action's event:
 * an assignment or reassignment tells the area; a reply goes to the citizen,
 * by e-mail or by PEC (`--via pec`); a reply given by letter, phone or at the
 * counter went another way and is not mailed.
 */
export async function queueActionMessages(
  db: Kysely<Database>,
  actor: Actor,
  settings: Settings,
  event: { reportId: number; eventId: number; kind: string },
): Promise<void> {
  if (!sendsMessages(actor, settings)) return;
  if ((event.kind === 'assigned' || event.kind === 'reassigned') && settings.mailAssignment) {
    await queueAssignment(db, actor, settings, await reportForMail(db, event.reportId));
  }
  if (event.kind === 'answered' && settings.mailReply) {
    const reply = await db.selectFrom('replies').select(['text', 'outcome', 'via', 'sent_at']).where('event_id', '=', event.eventId).executeTakeFirst();
    if (!reply || (reply.via !== null && reply.via !== 'email' && reply.via !== 'pec')) return;
    const report = await reportForMail(db, event.reportId);
    await queueMessage(db, actor, settings, {
      kind: 'reply',
      reportId: report.id,
      citizenId: report.citizen.id,
      areaId: report.areaId,
      recipient: 'citizen',
      route: citizenRoute(report.citizen, settings, reply.via === 'pec'),
      toName: `${report.citizen.firstName} ${report.citizen.lastName}`,
      values: replyValues(report, { text: reply.text, outcome: reply.outcome, sentAt: reply.sent_at }, settings, settings.mailLanguage),
    });
  }
}

/** One outbox row as the record shows it. */
export interface OutboxMessage {
  readonly id: number;
  readonly kind: string;
  readonly report: string | null;
  readonly area: string | null;
  readonly recipient: Recipient;
  readonly channel: MailChannel;
  readonly toAddress: string | null;
  readonly toName: string | null;
  readonly subject: string;
  readonly messageId: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
  readonly sentEventId: number | null;
}

function toMessage(row: OutboxRow & { report_number: string | null; area_code: string | null }): OutboxMessage {
  return {
    id: row.id,
    kind: row.kind,
    report: row.report_number,
    area: row.area_code,
    recipient: row.recipient as Recipient,
    channel: row.channel as MailChannel,
    toAddress: row.to_address,
    toName: row.to_name,
    subject: row.subject,
    messageId: row.message_id,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    sentEventId: row.sent_event_id,
  };
}

function outboxQuery(db: Kysely<Database>) {
  return db
    .selectFrom('outbox as o')
    .leftJoin('reports as r', 'r.id', 'o.report_id')
    .leftJoin('areas as a', 'a.id', 'o.area_id')
    .selectAll('o')
    .select(['r.number as report_number', 'a.code as area_code']);
}

export interface OutboxFilters {
  readonly status?: OutboxStatus | undefined;
  readonly report?: string | undefined;
  readonly limit?: number | undefined;
}

export function outboxStatus(text: string): OutboxStatus {
  const status = text.trim().toLowerCase().replace('-', '_');
  if (!(OUTBOX_STATUSES as readonly string[]).includes(status)) throw new InputError('outbox.statusUnknown', { allowed: OUTBOX_STATUSES.join(', ') }, 'status');
  return status as OutboxStatus;
}

/** `outbox list`: newest first. */
export async function listOutbox(db: Kysely<Database>, actor: Actor, filters: OutboxFilters): Promise<OutboxMessage[]> {
  await authorize(db, actor, MAIL_PERMISSIONS.outbox);
  let query = outboxQuery(db).orderBy('o.id', 'desc');
  if (filters.status) query = query.where('o.status', '=', filters.status);
  if (filters.report) {
    const { number } = parseReportNumber(filters.report);
    const report = await db.selectFrom('reports').select('id').where('number', '=', number).executeTakeFirst();
    if (!report) throw new InputError('report.unknown', { number }, 'report');
    query = query.where('o.report_id', '=', report.id);
  }
  if (filters.limit !== undefined) query = query.limit(filters.limit);
  return (await query.execute()).map(toMessage);
}

/** The messages of one report, oldest first (for `report show`). */
export async function reportMessages(db: Kysely<Database>, reportId: number): Promise<OutboxMessage[]> {
  return (await outboxQuery(db).where('o.report_id', '=', reportId).orderBy('o.id').execute()).map(toMessage);
}

/**
 * `outbox retry <id>`: a failed message (or one that had no address, or one
 * waiting for its next attempt) is made due now. The address is looked up
 * again, so a corrected e-mail is used. A sent one is refused: resending
 * would reach the person twice.
 */
export async function retryMessage(db: Kysely<Database>, actor: Actor, settings: Settings, idText: string): Promise<OutboxMessage> {
  await authorize(db, actor, MAIL_PERMISSIONS.outbox);
  const id = /^\d{1,12}$/.test(idText.trim()) ? Number(idText.trim()) : undefined;
  const row = id === undefined ? undefined : await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new InputError('outbox.unknown', { id: idText.trim().slice(0, 12) }, 'id');
  if (row.status === 'sent' || row.status === 'sending' || row.status === 'cancelled') throw new InputError('outbox.cannotRetry', { id: row.id, status: row.status }, 'id');
  let route: Route = { channel: row.channel as MailChannel, address: row.to_address };
  if (row.report_id !== null && row.recipient !== 'urp') {
    const report = await reportForMail(db, row.report_id);
    if (row.recipient === 'citizen') route = citizenRoute(report.citizen, settings, row.channel === 'pec');
    else if (row.area_id !== null) {
      const area = await db.selectFrom('areas').select('email').where('id', '=', row.area_id).executeTakeFirstOrThrow();
      route = { channel: 'email', address: area.email };
    }
  } else if (row.recipient === 'area' && row.area_id !== null) {
    const area = await db.selectFrom('areas').select('email').where('id', '=', row.area_id).executeTakeFirstOrThrow();
    route = { channel: 'email', address: area.email };
  } else if (row.recipient === 'urp') {
    route = { channel: 'email', address: urpAddress(settings) };
  }
  if (!route.address) throw new InputError('outbox.stillNoAddress', { id: row.id }, 'id');
  await db
    .updateTable('outbox')
    .set({ status: 'pending', channel: route.channel, to_address: route.address, next_attempt_at: null, last_error: null, updated_at: actor.now.toISOString() })
    .where('id', '=', row.id)
    .execute();
  await recordAudit(db, actor, 'outbox_retry', `outbox:${row.id}`);
  const [message] = (await outboxQuery(db).where('o.id', '=', row.id).execute()).map(toMessage);
  return message!;
}
