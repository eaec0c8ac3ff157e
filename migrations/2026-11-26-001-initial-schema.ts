import { type Kysely, sql } from 'kysely';

/**
 * The whole schema of SPEC: settings, areas, categories, citizens, operators,
 * reports with their timeline (append-only events) and replies, the yearly
 * number sequence, and an audit log for changes that are not about a report.
 *
 * Frozen in time: typed Kysely<any>, imports nothing from the application.
 * Instants are ISO 8601 UTC text (`2026-11-26T08:30:00.000Z`, always 24
 * characters, so text order is time order); booleans are 0/1.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('areas')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('manager', 'text')
    .addColumn('email', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('categories')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('area_id', 'integer', (c) => c.references('areas.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('citizens')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('tax_code', 'text', (c) => c.unique())
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('phone', 'text')
    .addColumn('address', 'text')
    // Lower-case, accent-free "last first" for finding people by part of the name.
    .addColumn('search_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // Set when the personal data was replaced by a pseudonym (GDPR erasure).
    .addColumn('erased_at', 'text')
    .execute();
  await db.schema.createIndex('citizens_phone').on('citizens').column('phone').execute();
  await db.schema.createIndex('citizens_search_name').on('citizens').column('search_name').execute();

  await db.schema
    .createTable('operators')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('full_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'urp', 'area')`))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('operator_areas')
    .addColumn('operator_id', 'integer', (c) => c.notNull().references('operators.id'))
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id'))
    .addPrimaryKeyConstraint('operator_areas_pk', ['operator_id', 'area_id'])
    .execute();

  // One row per year: the last number given. Incremented inside the write
  // transaction that inserts the report, so numbers are gap-free.
  await db.schema
    .createTable('report_sequences')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last_value', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('complaint', 'problem', 'suggestion')`))
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(sql`channel in ('phone', 'paper', 'email', 'pec', 'counter', 'web')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status in ('registered', 'assigned', 'acknowledged', 'suspended', 'answered', 'closed', 'rejected')`,
        ),
    )
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('location', 'text')
    .addColumn('external_ref', 'text', (c) => c.unique())
    .addColumn('category_id', 'integer', (c) => c.references('categories.id'))
    .addColumn('area_id', 'integer', (c) => c.references('areas.id'))
    .addColumn('citizen_id', 'integer', (c) => c.notNull().references('citizens.id'))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    // Deadlines, stored so that lists and the printout can use indexes. The
    // clocks start at receipt, or at a reopening.
    .addColumn('assign_counted_from', 'text', (c) => c.notNull())
    .addColumn('assign_due_at', 'text', (c) => c.notNull())
    .addColumn('reply_counted_from', 'text', (c) => c.notNull())
    .addColumn('reply_due_at', 'text', (c) => c.notNull())
    .addColumn('suspended_at', 'text')
    .addColumn('suspended_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suspension_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Milestones. first_* keep the first assignment and answer for the
    // statistics when a report is returned, reassigned or reopened.
    .addColumn('assigned_at', 'text')
    .addColumn('first_assigned_at', 'text')
    .addColumn('first_assign_due_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('first_answered_at', 'text')
    .addColumn('first_reply_due_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('rejected_at', 'text')
    .addColumn('outcome', 'text', (c) =>
      c.check(sql`outcome is null or outcome in ('resolved', 'unresolved', 'information', 'not_competent')`),
    )
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The printout reads only open reports: partial indexes keep it independent
  // of how many closed ones years of history hold. They hold every column the
  // printout shows (covering), in the order it sorts (deadline, then number).
  await sql`create index reports_open_assign_due on reports (
    assign_due_at, number, status, type, channel, area_id, category_id, received_at, reply_due_at, citizen_id, subject
  ) where status = 'registered'`.execute(db);
  await sql`create index reports_open_reply_due on reports (
    reply_due_at, number, status, type, channel, area_id, category_id, received_at, assign_due_at, citizen_id, subject
  ) where status in ('registered', 'assigned', 'acknowledged', 'suspended')`.execute(db);
  await sql`create index reports_open_area on reports (area_id, status)
    where status in ('registered', 'assigned', 'acknowledged', 'suspended', 'answered')`.execute(db);
  // Lists and statistics by period. It covers everything the statistics read,
  // the derived figures as expressions (written exactly as the statistics
  // query writes them), so a year of a ten-year register is summed from the
  // index alone, without reading a row or parsing a date.
  await sql`create index reports_received_at on reports (
    received_at, status, area_id, category_id, type, channel, outcome,
    first_assign_due_at, assign_due_at, reply_due_at,
    (first_assigned_at <= first_assign_due_at),
    (first_answered_at <= first_reply_due_at),
    (julianday(first_answered_at) - julianday(received_at)),
    ((julianday(first_assigned_at) - julianday(received_at)) * 24)
  )`.execute(db);
  await db.schema.createIndex('reports_citizen').on('reports').column('citizen_id').execute();

  await db.schema
    .createTable('report_events')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('area_id', 'integer', (c) => c.references('areas.id'))
    .addColumn('text', 'text')
    .addColumn('operator', 'text', (c) => c.notNull())
    // When it happened (may be earlier than recorded: a letter sent yesterday).
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    // cli, menu, import or demo.
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_events_report').on('report_events').columns(['report_id', 'id']).execute();

  // The timeline is a legal record: the database itself refuses to rewrite it.
  await sql`create trigger report_events_no_update before update on report_events
    begin select raise(abort, 'report_events is append-only'); end`.execute(db);
  await sql`create trigger report_events_no_delete before delete on report_events
    begin select raise(abort, 'report_events is append-only'); end`.execute(db);

  // What was sent to the citizen, kept apart from the events so that a GDPR
  // erasure with redaction can blank it while the timeline stays append-only.
  await db.schema
    .createTable('replies')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
    .addColumn('event_id', 'integer', (c) => c.notNull().unique().references('report_events.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('via', 'text')
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('replies_report').on('replies').column('report_id').execute();

  // Changes that are not about one report: settings, areas, operators, erasures.
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create trigger audit_events_no_update before update on audit_events
    begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
  await sql`create trigger audit_events_no_delete before delete on audit_events
    begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_events',
    'replies',
    'report_events',
    'reports',
    'report_sequences',
    'operator_areas',
    'operators',
    'citizens',
    'categories',
    'areas',
    'settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
