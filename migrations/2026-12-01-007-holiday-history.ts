import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * From this version urp applies the national holidays in force in each year
 * (4 October from 2026, 6 January and 2 June as they were from 1977 on,
 * 17 March 2011), where it applied today's list to every year. Deadlines
 * already stored were computed with the old list: like a change of the
 * local-holidays setting, the change is recorded in the audit log, so that
 * `db check` verifies against the new rules only the deadlines counted from
 * now on (no stored deadline is rewritten). Nothing is recorded in an empty
 * register.
 *
 * Frozen in time: the audit event is chained with version 1 of the chain's
 * encoding, as migration 2026-12-01-001 wrote it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const any = await db.selectFrom('reports').select('id').limit(1).executeTakeFirst();
  if (!any) return;
  const last = await db.selectFrom('audit_events').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const row = {
    kind: 'setting_changed',
    subject: 'setting:national-holidays',
    text: '"national holidays of each year"',
    operator: 'urp',
    entered_by: null,
    occurred_at: new Date().toISOString(),
  };
  const fields = [row.kind, row.subject, row.text, row.operator, row.entered_by, row.occurred_at];
  const hash = createHash('sha256').update((last?.hash as string | undefined) ?? '').update(JSON.stringify(fields)).digest('hex');
  await db.insertInto('audit_events').values({ ...row, hash }).execute();
}

export async function down(): Promise<void> {
  // The record stays: the audit log is append-only.
}
