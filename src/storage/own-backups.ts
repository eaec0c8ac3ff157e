import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The copies urp itself wrote beside the database (before a migration,
 * before a restore): they hold whatever the register held then, erased
 * citizens included, until someone removes them.
 */
export interface OwnBackup {
  readonly path: string;
  readonly sizeBytes: number;
  readonly writtenAt: string;
}

export function ownBackups(databasePath: string): OwnBackup[] {
  if (databasePath === ':memory:') return [];
  const folder = dirname(databasePath);
  const prefix = `${basename(databasePath)}.before-`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix))
    .sort()
    .map((name) => {
      const path = join(folder, name);
      const stat = statSync(path);
      return { path, sizeBytes: stat.size, writtenAt: stat.mtime.toISOString() };
    });
}
