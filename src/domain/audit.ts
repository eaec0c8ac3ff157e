import type { Kysely } from 'kysely';
import { chainHead } from '../storage/chain-head.js';
import type { Database } from '../storage/schema.js';
import { writeTransaction } from '../storage/transactions.js';
import type { Actor } from './actor.js';
import { chainHash } from './event-chain.js';

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
  const fields = { kind, subject, text, operator: actor.operator, entered_by: actor.enteredBy ?? null, occurred_at: actor.now.toISOString() };
  // Joins the caller's transaction; alone, it takes the write lock (see appendEvent).
  await writeTransaction(db, async (trx) => {
    const hash = chainHash('audit_events', await chainHead(trx, 'audit_events'), fields);
    await trx.insertInto('audit_events').values({ ...fields, hash }).execute();
  });
}

/**
 * A read of personal data in bulk (issue 10): a citizen's whole file, an
 * export with contacts, the printout with citizens, a backup. Recorded with
 * who, when, what and how many, never the data itself.
 */
export async function recordPersonalDataRead(db: Kysely<Database>, actor: Actor, what: string, count: number): Promise<void> {
  await recordAudit(db, actor, 'personal_data_read', what, `${count} records`);
}
