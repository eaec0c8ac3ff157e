import { type Kysely, sql } from 'kysely';

/**
 * Reply templates (modelli di risposta, issue 15): canned replies with named
 * fields ({citizenName}, {number}...), optionally meant for one category and
 * with a default outcome. Disabled rather than deleted, as areas and
 * categories are.
 *
 * Frozen in time: typed Kysely<any>, imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reply_templates')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) =>
      c.check(sql`outcome is null or outcome in ('resolved', 'unresolved', 'information', 'not_competent')`),
    )
    .addColumn('category_id', 'integer', (c) => c.references('categories.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reply_templates').execute();
}
