import type { Migration, MigrationProvider } from 'kysely';
import * as initialSchema from '../../migrations/2026-11-26-001-initial-schema.js';
import * as identityAndChain from '../../migrations/2026-12-01-001-identity-and-chain.js';
import * as replyTemplates from '../../migrations/2026-12-01-003-reply-templates.js';
import * as outbox from '../../migrations/2026-12-01-004-outbox.js';
import * as textSearch from '../../migrations/2026-12-01-005-text-search.js';
import * as citizenEmailKey from '../../migrations/2026-12-01-006-citizen-email-key.js';
import * as holidayHistory from '../../migrations/2026-12-01-007-holiday-history.js';
import * as queueIndexes from '../../migrations/2026-12-02-001-queue-indexes.js';
import * as guardsAndPolicies from '../../migrations/2026-12-02-002-guards-and-policies.js';
import * as postgresInitialSchema from '../../migrations/postgres/2026-11-26-001-initial-schema.js';
import * as postgresIdentityAndChain from '../../migrations/postgres/2026-12-01-001-identity-and-chain.js';
import * as postgresReplyTemplates from '../../migrations/postgres/2026-12-01-003-reply-templates.js';
import * as postgresOutbox from '../../migrations/postgres/2026-12-01-004-outbox.js';
import * as postgresTextSearch from '../../migrations/postgres/2026-12-01-005-text-search.js';
import * as postgresCitizenEmailKey from '../../migrations/postgres/2026-12-01-006-citizen-email-key.js';
import * as postgresQueueIndexes from '../../migrations/postgres/2026-12-02-001-queue-indexes.js';
import * as postgresGuardsAndPolicies from '../../migrations/postgres/2026-12-02-002-guards-and-policies.js';
import type { Engine } from './engine.js';

/**
 * The migrations, registered statically rather than read from a folder, so
 * they work compiled, bundled and under vitest alike. Names sort in order of
 * application (date prefix).
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26-001-initial-schema': initialSchema,
  '2026-12-01-001-identity-and-chain': identityAndChain,
  '2026-12-01-003-reply-templates': replyTemplates,
  '2026-12-01-004-outbox': outbox,
  '2026-12-01-005-text-search': textSearch,
  '2026-12-01-006-citizen-email-key': citizenEmailKey,
  '2026-12-01-007-holiday-history': holidayHistory,
  '2026-12-02-001-queue-indexes': queueIndexes,
  '2026-12-02-002-guards-and-policies': guardsAndPolicies,
};

/**
 * PostgreSQL's (issue 13), under the same names: a register at schema
 * version N holds the same tables on either engine. A migration whose SQL is
 * the same on both may be registered here too; one that differs has its own
 * file in migrations/postgres/ (a test checks that the names agree).
 */
export const postgresMigrations: Record<string, Migration> = {
  '2026-11-26-001-initial-schema': postgresInitialSchema,
  '2026-12-01-001-identity-and-chain': postgresIdentityAndChain,
  '2026-12-01-003-reply-templates': postgresReplyTemplates,
  '2026-12-01-004-outbox': postgresOutbox,
  '2026-12-01-005-text-search': postgresTextSearch,
  '2026-12-01-006-citizen-email-key': postgresCitizenEmailKey,
  // The same on both engines (an audit event written through kysely).
  '2026-12-01-007-holiday-history': holidayHistory,
  '2026-12-02-001-queue-indexes': postgresQueueIndexes,
  '2026-12-02-002-guards-and-policies': postgresGuardsAndPolicies,
};

export function migrationsFor(engine: Engine): Record<string, Migration> {
  return engine === 'postgres' ? postgresMigrations : migrations;
}

export function migrationProviderFor(engine: Engine): MigrationProvider {
  return { getMigrations: async () => migrationsFor(engine) };
}

export const migrationProvider: MigrationProvider = migrationProviderFor('sqlite');
