import type { Kysely } from 'kysely';

/**
 * Messages that reach people (issue 14): the outbox, the message templates an
 * office has changed, the e-mail messages reports were registered from, and
 * a citizen's PEC address.
 *
 * Frozen in time: typed Kysely<any>, imports nothing from the application.
 * Plain tables and portable column types only (the outbox must work on any
 * engine urp supports): no triggers, no partial indexes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A citizen may have both an e-mail and a PEC (certified e-mail) address.
  await db.schema.alterTable('citizens').addColumn('pec', 'text').execute();

  // One row per message, written in the same transaction as the event that
  // causes it. Subject and body are rendered when queued, so that what is sent
  // is what the event said; the address is resolved then too (null: none).
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    // receipt, assignment, reply, digest-area, digest-urp
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('report_id', 'integer', (c) => c.references('reports.id'))
    // The citizen the message is about (recipient or not): erasure and export find it by this.
    .addColumn('citizen_id', 'integer', (c) => c.references('citizens.id'))
    .addColumn('area_id', 'integer', (c) => c.references('areas.id'))
    // citizen, area or urp
    .addColumn('recipient', 'text', (c) => c.notNull())
    // email or pec
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text')
    .addColumn('to_name', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // Stable across attempts: a resend after a crash carries the same one.
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    // pending, sending, sent, failed, no_address, cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    // While sending: who holds it (host:pid:token) and until when.
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    // A message that must be queued once only (a day's digest for an area).
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    // The "message sent" event on the report's timeline.
    .addColumn('sent_event_id', 'integer', (c) => c.references('report_events.id'))
    .addColumn('erased_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_status_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_report').on('outbox').column('report_id').execute();
  await db.schema.createIndex('outbox_citizen').on('outbox').column('citizen_id').execute();

  // Templates the office changed; the defaults ship with the program.
  await db.schema
    .createTable('message_templates')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_templates_pk', ['name', 'language'])
    .execute();

  // The e-mail (or PEC) message a report was registered from: the file is
  // kept in a folder beside the database, named by its SHA-256.
  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('report_id', 'integer', (c) => c.notNull().unique().references('reports.id'))
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('size', 'integer', (c) => c.notNull())
    // The Message-ID header, to refuse the same message registered twice.
    .addColumn('message_id', 'text', (c) => c.unique())
    .addColumn('file_name', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbound_messages').execute();
  await db.schema.dropTable('message_templates').execute();
  await db.schema.dropTable('outbox').execute();
  await db.schema.alterTable('citizens').dropColumn('pec').execute();
}
