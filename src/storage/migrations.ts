import type { Migration, MigrationProvider } from 'kysely';
import * as initialSchema from '../../migrations/2026-11-26-001-initial-schema.js';
import * as identityAndChain from '../../migrations/2026-12-01-001-identity-and-chain.js';
import * as replyTemplates from '../../migrations/2026-12-01-003-reply-templates.js';
import * as outbox from '../../migrations/2026-12-01-004-outbox.js';
import * as textSearch from '../../migrations/2026-12-01-005-text-search.js';
import * as citizenEmailKey from '../../migrations/2026-12-01-006-citizen-email-key.js';
import * as holidayHistory from '../../migrations/2026-12-01-007-holiday-history.js';

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
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
