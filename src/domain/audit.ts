import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';

/**
 * Records a change that is not about one report (a setting, an area, an
 * operator, an erasure) in the append-only audit log. `text` must never hold
 * personal data.
 */
export async function recordAudit(
  db: Kysely<Database>,
  actor: Actor,
  kind: string,
  subject: string,
  text: string | null = null,
): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({ kind, subject, text, operator: actor.operator, occurred_at: actor.now.toISOString() })
    .execute();
}
