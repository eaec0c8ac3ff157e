import type { Store } from './database.js';
import { schemaVersion } from './database.js';
import { type MigrationState, migrationStates } from './migrate.js';
import type { Database } from './schema.js';

export interface DatabaseStatus {
  readonly schemaVersion: number;
  readonly journalMode: string;
  readonly migrations: MigrationState[];
  readonly counts: {
    readonly areas: number;
    readonly categories: number;
    readonly citizens: number;
    readonly reports: number;
    readonly openReports: number;
    readonly events: number;
    readonly operators: number;
  };
}

export async function databaseStatus(store: Store): Promise<DatabaseStatus> {
  const { db } = store;
  const count = async (table: keyof Database) =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const openReports = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', 'in', ['registered', 'assigned', 'acknowledged', 'suspended'])
    .executeTakeFirstOrThrow();
  const operators = await db
    .selectFrom('operators')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return {
    schemaVersion: schemaVersion(store.sqlite),
    journalMode: store.sqlite.pragma('journal_mode', { simple: true }) as string,
    migrations: await migrationStates(store),
    counts: {
      areas: await count('areas'),
      categories: await count('categories'),
      citizens: await count('citizens'),
      reports: await count('reports'),
      openReports: Number(openReports.n),
      events: await count('report_events'),
      operators: Number(operators.n),
    },
  };
}
