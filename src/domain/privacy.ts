import { type Kysely, sql } from 'kysely';
import type { Database } from '../storage/schema.js';
import { rewriteTables } from '../storage/purge.js';
import { writeTransaction } from '../storage/transactions.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { getCitizen } from './citizens.js';
import { InputError } from './errors.js';
import { citizenMessages, eraseCitizenMessages } from './mail/personal-data.js';
import { authorize } from './operators.js';
import { appendEvent, replies, timeline } from './report-events.js';
import { listReports } from './report-queries.js';
import { isOpen } from './report-state.js';

/**
 * GDPR (issue 6): access (everything held on one person) and erasure
 * (the person's data replaced by a pseudonym; the reports stay, for the
 * statistics). Erasures are recorded as events that do not contain the
 * erased data.
 */
export async function citizenDataExport(db: Kysely<Database>, id: number, asOf: Date) {
  const citizen = await getCitizen(db, id, 'id');
  const reports = await listReports(db, { citizenId: id }, asOf);
  const withHistory = [];
  for (const report of reports) {
    const row = await db.selectFrom('reports').select('id').where('number', '=', report.number).executeTakeFirstOrThrow();
    withHistory.push({ ...report, replies: await replies(db, row.id), timeline: await timeline(db, row.id) });
  }
  const audit = await db.selectFrom('audit_events').selectAll().where('subject', '=', `citizen:${id}`).orderBy('id').execute();
  return {
    exportedAt: asOf.toISOString(),
    citizen,
    reports: withHistory,
    messages: await citizenMessages(db, id),
    changes: audit.map((event) => ({ kind: event.kind, operator: event.operator, occurredAt: event.occurred_at, fields: event.text })),
  };
}

export interface ErasureOptions {
  /** Erase even with open reports (they stay open, with a pseudonym). */
  readonly force?: boolean;
  /** Also blank the texts of the person's reports: subject, description, place and replies. */
  readonly redactTexts?: boolean;
}

export const PSEUDONYM_FIRST_NAME = '—';
export const REDACTED_SUBJECT = '[omissis]';
/** The text of the "citizen_erased" event of a report whose texts were blanked (db check accepts its reply so). */
export const TEXTS_REDACTED = 'texts redacted';

export function pseudonym(id: number): string {
  return `ANON-${String(id).padStart(6, '0')}`;
}

/** Erases one citizen (in the caller's transaction). Returns the number of reports touched. */
async function eraseOne(db: Kysely<Database>, actor: Actor, id: number, options: ErasureOptions): Promise<number> {
  const citizen = await getCitizen(db, id, 'id');
  if (citizen.erasedAt) throw new InputError('citizen.erased', { id }, 'id');
  const reports = await db.selectFrom('reports').select(['id', 'status']).where('citizen_id', '=', id).execute();
  const open = reports.filter((report) => isOpen(report.status));
  if (open.length > 0 && !options.force) throw new InputError('privacy.openReports', { id, count: open.length });
  const now = actor.now.toISOString();
  await db
    .updateTable('citizens')
    .set({
      first_name: PSEUDONYM_FIRST_NAME,
      last_name: pseudonym(id),
      search_name: pseudonym(id).toLowerCase(),
      tax_code: null,
      email: null,
      pec: null,
      phone: null,
      address: null,
      erased_at: now,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  await eraseCitizenMessages(db, id, actor.now);
  for (const report of reports) {
    if (options.redactTexts) {
      await db.updateTable('reports').set({ subject: REDACTED_SUBJECT, description: '', location: null, updated_at: now }).where('id', '=', report.id).execute();
      await db.updateTable('replies').set({ text: REDACTED_SUBJECT }).where('report_id', '=', report.id).execute();
    }
    // The event says that the data was erased, not what it was.
    await appendEvent(db, actor, { reportId: report.id, kind: 'citizen_erased', text: options.redactTexts ? TEXTS_REDACTED : null });
  }
  await recordAudit(db, actor, 'citizen_erased', `citizen:${id}`, options.redactTexts ? TEXTS_REDACTED : null);
  return reports.length;
}

/**
 * The tables whose pages held the erased values, rewritten into fresh pages
 * before the commit (src/storage/purge.ts says why). Redacted report texts
 * need the whole file rebuilt after the commit: `deep`.
 */
const PERSONAL_TABLES = ['citizens', 'outbox', 'inbound_messages'];

export interface Erasure {
  readonly reports: number;
  /** The caller must rebuild the whole file (texts were redacted), not only truncate the log. */
  readonly deep: boolean;
}

export async function eraseCitizen(db: Kysely<Database>, actor: Actor, id: number, options: ErasureOptions): Promise<Erasure> {
  return writeTransaction(db, async (trx) => {
    await authorize(trx, actor, 'erase');
    const reports = await eraseOne(trx, actor, id, options);
    await rewriteTables(trx, PERSONAL_TABLES);
    return { reports, deep: options.redactTexts === true };
  });
}

/**
 * Citizens past retention: not yet erased, every report finished (closed or
 * rejected), the last one finished before `before`.
 */
export async function citizensPastRetention(db: Kysely<Database>, before: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('citizens as c')
    .innerJoin('reports as r', 'r.citizen_id', 'c.id')
    .select('c.id')
    .where('c.erased_at', 'is', null)
    .groupBy('c.id')
    .having(sql<boolean>`count(case when r.status not in ('closed', 'rejected') then 1 end) = 0`)
    .having(sql<boolean>`max(coalesce(r.closed_at, r.rejected_at)) < ${before.toISOString()}`)
    .orderBy('c.id')
    .execute();
  return rows.map((row) => row.id);
}

export async function applyRetention(
  db: Kysely<Database>,
  actor: Actor,
  before: Date,
  options: { dryRun: boolean; redactTexts?: boolean },
): Promise<{ citizens: number[]; reports: number; deep: boolean }> {
  return writeTransaction(db, async (trx) => {
    await authorize(trx, actor, 'erase');
    const citizens = await citizensPastRetention(trx, before);
    let reports = 0;
    if (options.dryRun) {
      // What the real run would keep (anonymised): the reports of these citizens.
      for (const id of citizens) {
        const row = await trx.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('count')).where('citizen_id', '=', id).executeTakeFirstOrThrow();
        reports += Number(row.count);
      }
    } else {
      for (const id of citizens) reports += await eraseOne(trx, actor, id, { redactTexts: options.redactTexts ?? false });
      if (citizens.length > 0) await rewriteTables(trx, PERSONAL_TABLES);
    }
    return { citizens, reports, deep: !options.dryRun && citizens.length > 0 && options.redactTexts === true };
  });
}

/** `5y`, `18m`, `90d` (years, months, days) before `now`. */
export function retentionLimit(text: string, now: Date): Date {
  const match = /^(\d{1,3})\s*([ymd])$/i.exec(text.trim());
  if (!match || Number(match[1]) === 0) throw new InputError('privacy.durationFormat', {}, 'olderThan');
  const amount = Number(match[1]);
  const limit = new Date(now);
  const unit = match[2]!.toLowerCase();
  if (unit === 'y') limit.setUTCFullYear(limit.getUTCFullYear() - amount);
  else if (unit === 'm') limit.setUTCMonth(limit.getUTCMonth() - amount);
  else limit.setUTCDate(limit.getUTCDate() - amount);
  return limit;
}
