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
