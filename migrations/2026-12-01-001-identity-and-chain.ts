import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

/**
 * Real identities and a tamper-evident record (issue 10).
 *
 * - operators.os_user binds an operator to the operating-system account that
 *   acts as them (until now the name was taken as the account).
 * - report_events and audit_events get `entered_by` (an admin recording on
 *   another operator's behalf: "anna for ferretti") and `hash`: SHA-256 over
 *   the previous event's hash and a canonical encoding of the event, so that
 *   a changed, inserted or missing event breaks the chain. Existing events
 *   are chained here, in id order.
 * - maintenance: steps of an erasure that another process prevented (a WAL
 *   that could not be truncated), finished by the next command that can.
 * - An insert without a well-formed hash is refused by the database itself.
 *
 * Frozen in time: the canonical encoding below is version 1 of the chain and
 * must never change (src/domain/event-chain.ts holds the same encoding, and a
 * test checks that what this migration chains verifies there).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operators').addColumn('os_user', 'text').execute();
  await sql`update operators set os_user = name`.execute(db);
  await db.schema.createIndex('operators_os_user').unique().on('operators').column('os_user').execute();

  for (const table of ['report_events', 'audit_events']) {
    await sql`drop trigger if exists ${sql.raw(`${table}_no_update`)}`.execute(db);
    await sql`drop trigger if exists ${sql.raw(`${table}_no_delete`)}`.execute(db);
    await db.schema.alterTable(table).addColumn('entered_by', 'text').execute();
    await db.schema.alterTable(table).addColumn('hash', 'text').execute();
  }

  await chain(db, 'report_events', (row) => [
    Number(row.report_id), row.kind, row.from_status, row.to_status, row.area_id == null ? null : Number(row.area_id), row.text,
    row.operator, row.entered_by, row.occurred_at, row.recorded_at, row.source,
  ]);
  await chain(db, 'audit_events', (row) => [row.kind, row.subject, row.text, row.operator, row.entered_by, row.occurred_at]);

  for (const table of ['report_events', 'audit_events']) {
    await sql.raw(`create trigger ${table}_no_update before update on ${table}
    begin select raise(abort, '${table} is append-only'); end`).execute(db);
    await sql.raw(`create trigger ${table}_no_delete before delete on ${table}
    begin select raise(abort, '${table} is append-only'); end`).execute(db);
    await sql.raw(`create trigger ${table}_hash_required before insert on ${table}
    when new.hash is null or length(new.hash) != 64
    begin select raise(abort, '${table} rows carry their chain hash'); end`).execute(db);
  }

  await db.schema
    .createTable('maintenance')
    .addColumn('task', 'text', (c) => c.primaryKey())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .execute();
}

/** Chains a table's rows in id order, a batch at a time (a large register holds millions of events). */
async function chain(db: Kysely<any>, table: string, fields: (row: Record<string, unknown>) => unknown[]): Promise<void> {
  let previous = '';
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom(table).selectAll().where('id', '>', after).orderBy('id').limit(5000).execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      previous = createHash('sha256').update(previous).update(JSON.stringify(fields(row))).digest('hex');
      await db.updateTable(table).set({ hash: previous }).where('id', '=', row.id).execute();
      after = row.id as number;
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('maintenance').execute();
  for (const table of ['report_events', 'audit_events']) {
    await sql.raw(`drop trigger if exists ${table}_hash_required`).execute(db);
  }
  await db.schema.dropIndex('operators_os_user').execute();
}
