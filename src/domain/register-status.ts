import type { Kysely } from 'kysely';
import { chainSummary } from '../storage/chain-head.js';
import type { Database } from '../storage/schema.js';
import { CHAIN_TABLES } from './event-chain.js';
import { openSql } from './report-state.js';

/**
 * What the register holds, and the heads of its two chains (events and
 * audit log): the count and the last hash that an office copies daily into
 * its own records, so that a rewritten or shortened record shows later
 * against what was written down (issue 10).
 */
export interface RegisterStatus {
  readonly counts: {
    readonly areas: number;
    readonly categories: number;
    readonly citizens: number;
    readonly reports: number;
    readonly openReports: number;
    readonly events: number;
    readonly operators: number;
  };
  readonly chains: Record<(typeof CHAIN_TABLES)[number], { readonly count: number; readonly head: string }>;
}

export async function registerStatus(db: Kysely<Database>): Promise<RegisterStatus> {
  const count = async (table: 'areas' | 'categories' | 'citizens' | 'reports' | 'report_events' | 'audit_events') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const openReports = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(openSql())
    .executeTakeFirstOrThrow();
  const operators = await db.selectFrom('operators').select((eb) => eb.fn.countAll().as('n')).where('active', '=', 1).executeTakeFirstOrThrow();
  const events = await count('report_events');
  return {
    counts: {
      areas: await count('areas'),
      categories: await count('categories'),
      citizens: await count('citizens'),
      reports: await count('reports'),
      openReports: Number(openReports.n),
      events,
      operators: Number(operators.n),
    },
    // The whole chains, also for an area login on PostgreSQL, which reads only its own areas' events.
    chains: {
      report_events: await chainSummary(db, 'report_events'),
      audit_events: await chainSummary(db, 'audit_events'),
    },
  };
}
