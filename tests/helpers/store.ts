import { openStore, type Store } from '../../src/storage/database.js';
import type { Actor } from '../../src/domain/actor.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/domain/settings.js';

/** A fresh in-memory database migrated with the real migrations. */
export async function memoryStore(): Promise<Store> {
  return openStore(':memory:');
}

export function actorAt(iso: string, operator = 'test-clerk'): Actor {
  return { operator, now: new Date(iso), source: 'cli' };
}

export const settings: Settings = DEFAULT_SETTINGS;

/**
 * Runs `work` and returns the SQL of every statement it prepared on the
 * store's connection, each with the query plan SQLite chose for it.
 */
export async function queryPlans(store: Store, work: () => Promise<unknown>): Promise<Array<{ source: string; plan: string }>> {
  const statements: string[] = [];
  const prepare = store.sqlite.prepare.bind(store.sqlite);
  store.sqlite.prepare = ((source: string) => {
    statements.push(source);
    return prepare(source);
  }) as typeof store.sqlite.prepare;
  try {
    await work();
  } finally {
    store.sqlite.prepare = prepare;
  }
  return statements.map((source) => {
    const parameters = Array.from({ length: (source.match(/\?/g) ?? []).length }, () => '2026-01-01T00:00:00.000Z');
    const rows = store.sqlite.prepare(`explain query plan ${source}`).all(...parameters) as Array<{ detail: string }>;
    return { source, plan: rows.map((row) => row.detail).join(' | ') };
  });
}
