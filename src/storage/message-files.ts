import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/**
 * The e-mail messages reports were registered from (issue 14) are kept as
 * files in a folder beside the database (`urp.db.messages/`), readable by
 * their owner only, named by their SHA-256. The folder is found from the
 * database's own file, so that an erasure (which has only the connection)
 * can remove them. An in-memory database has none.
 */
export async function messageFolder(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
  const file = rows.find((row) => row.name === 'main')?.file;
  return file ? `${file}.messages` : undefined;
}

/** Writes the message whole (a temporary file renamed into place), owner-only; returns the file's name in the folder. */
export function keepMessageFile(folder: string, sha256: string, content: Buffer): string {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const name = `${sha256}.eml`;
  const path = join(folder, name);
  if (existsSync(path)) return name;
  const temporary = `${path}.${process.pid}.tmp`;
  const descriptor = openSync(temporary, 'w', 0o600);
  try {
    writeSync(descriptor, content);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
  return name;
}

export function removeMessageFile(folder: string, name: string): void {
  // Only names urp gave (a hash): never a path that leads elsewhere.
  if (!/^[0-9a-f]{64}\.eml$/.test(name)) return;
  rmSync(join(folder, name), { force: true });
}

export function messageFilePath(folder: string, name: string): string {
  return join(folder, name);
}
