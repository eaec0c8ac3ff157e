import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { CHAIN_TABLES, GENESIS } from './event-chain.js';
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
  const head = async (table: 'report_events' | 'audit_events') =>
    (await db.selectFrom(table).select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst())?.hash ?? GENESIS;
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
    chains: {
      report_events: { count: events, head: await head('report_events') },
      audit_events: { count: await count('audit_events'), head: await head('audit_events') },
    },
  };
}
