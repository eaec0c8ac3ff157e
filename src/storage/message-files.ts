import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { engineOf } from './engine.js';
import { registerFile } from './register-file.js';
import type { Database } from './schema.js';

/**
 * The e-mail messages reports were registered from (issue 14), kept byte
 * for byte and named by their SHA-256 (`<sha256>.eml`).
 *
 * On SQLite they are files in a folder beside the database
 * (`urp.db.messages/`), readable by their owner only; the folder is found
 * from the database's own file, so that an erasure (which has only the
 * connection) can remove them. An in-memory database has none.
 *
 * On PostgreSQL (issue 13) the register has no folder that every clerk's
 * machine shares: the messages are rows of the table inbound_message_files
 * (PostgreSQL's migration 2026-12-01-004), so they are as shared, as
 * private and as erasable as the register itself.
 */
export interface KeptMessages {
  /** Keeps a message (nothing happens if it is already kept); returns its name. */
  keep(sha256: string, content: Buffer): Promise<string>;
  read(name: string): Promise<Buffer | undefined>;
  remove(name: string): Promise<void>;
  /** Whether a message of that name is kept. */
  has(name: string): Promise<boolean>;
  /** Where it is, as it may be shown: a file path, or the table and name. */
  where(name: string): string;
}

/** Only names urp gave (a hash): never a path that leads elsewhere. */
const NAME = /^[0-9a-f]{64}\.eml$/;

export async function keptMessages(db: Kysely<Database>): Promise<KeptMessages | undefined> {
  if (engineOf(db) === 'postgres') return tableMessages(db);
  const folder = await messageFolder(db);
  return folder ? folderMessages(folder) : undefined;
}

export async function messageFolder(db: Kysely<Database>): Promise<string | undefined> {
  const file = await registerFile(db);
  return file ? `${file}.messages` : undefined;
}

function folderMessages(folder: string): KeptMessages {
  return {
    keep: async (sha256, content) => keepMessageFile(folder, sha256, content),
    read: async (name) => (NAME.test(name) && existsSync(join(folder, name)) ? readFileSync(join(folder, name)) : undefined),
    remove: async (name) => removeMessageFile(folder, name),
    has: async (name) => NAME.test(name) && existsSync(join(folder, name)),
    where: (name) => join(folder, name),
  };
}

function tableMessages(db: Kysely<Database>): KeptMessages {
  return {
    async keep(sha256, content) {
      const name = `${sha256}.eml`;
      await sql`insert into inbound_message_files (name, content) values (${name}, ${content}) on conflict (name) do nothing`.execute(db);
      return name;
    },
    async read(name) {
      const { rows } = await sql<{ content: Buffer }>`select content from inbound_message_files where name = ${name}`.execute(db);
      return rows[0]?.content;
    },
    async remove(name) {
      await sql`delete from inbound_message_files where name = ${name}`.execute(db);
    },
    async has(name) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from inbound_message_files where name = ${name}`.execute(db);
      return Number(rows[0]?.n) > 0;
    },
    where: (name) => `inbound_message_files: ${name}`,
  };
}

/** Writes the message whole (a temporary file renamed into place), owner-only; returns the file's name in the folder. */
function keepMessageFile(folder: string, sha256: string, content: Buffer): string {
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

function removeMessageFile(folder: string, name: string): void {
  if (!NAME.test(name)) return;
  rmSync(join(folder, name), { force: true });
}
