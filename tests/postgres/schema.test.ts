import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresStore, type SqliteStore, openStore } from '../../src/storage/database.js';
import { POSTGRES_GUARDS, missingGuards } from '../../src/storage/guards.js';
import { migrations, postgresMigrations } from '../../src/storage/migrations.js';
import { LATEST_SCHEMA_VERSION } from '../../src/storage/schema-version.js';
import { registerTables } from '../../src/storage/register-copy.js';
import { OPEN_STATUSES } from '../../src/domain/report-state.js';
import { runUrp, tempWorkspace } from '../helpers/cli.js';
import { psql, } from '../helpers/postgres-cluster.mjs';
import { testServer } from '../helpers/cli.js';

/**
 * Issue 13: PostgreSQL's schema is written apart from SQLite's where the
 * engines differ, and must still be the same register: the same migration
 * names and count, the same tables and columns, the same predicates in the
 * partial indexes the printout reads, and guards that urp recognises (and
 * misses when someone disables one).
 */
let workspace: ReturnType<typeof tempWorkspace>;
let server: PostgresStore;
let file: SqliteStore;

beforeAll(async () => {
  workspace = tempWorkspace();
  server = (await openStore(workspace.db)) as PostgresStore;
  file = (await openStore(':memory:')) as SqliteStore;
});
afterAll(async () => {
  await server.close();
  await file.close();
  workspace.cleanup();
});

describe('the two schemas', () => {
  it('have the same migrations, as many as LATEST_SCHEMA_VERSION', () => {
    expect(Object.keys(postgresMigrations)).toEqual(Object.keys(migrations));
    expect(Object.keys(postgresMigrations)).toHaveLength(LATEST_SCHEMA_VERSION);
  });

  it('have the same tables and columns (PostgreSQL keeps the kept e-mail messages in a table of its own)', async () => {
    const shape = async (db: typeof server.db) =>
      Object.fromEntries((await registerTables(db)).map((table) => [table.name, [...table.columns].sort()]));
    const onServer = await shape(server.db);
    const inFile = await shape(file.db);
    expect(onServer.inbound_message_files).toEqual(['content', 'name']);
    delete onServer.inbound_message_files;
    expect(onServer).toEqual(inFile);
  });

  it("have the same predicates in the printout's partial indexes: the open statuses", async () => {
    const { rows } = await sql<{ name: string; definition: string }>`
      select indexname as name, indexdef as definition from pg_indexes where tablename = 'reports' and indexdef like '%WHERE%' order by indexname`.execute(server.db);
    const statuses = (definition: string) => [...definition.slice(definition.indexOf('WHERE')).matchAll(/'(\w+)'::text/g)].map((match) => match[1]).sort();
    const byName = Object.fromEntries(rows.map((row) => [row.name, statuses(row.definition)]));
    const sqlite = file.sqlite.prepare(`select name, sql from sqlite_master where type = 'index' and sql like '%where%'`).all() as Array<{ name: string; sql: string }>;
    for (const index of sqlite) {
      const expected = [...index.sql.slice(index.sql.toLowerCase().lastIndexOf('where')).matchAll(/'(\w+)'/g)].map((match) => match[1]).sort();
      expect(byName[index.name], index.name).toEqual(expected);
    }
    expect(byName.reports_open_reply_due).toEqual([...OPEN_STATUSES].sort());
    // And two of PostgreSQL's own, which hold each report's id for the queue (SQLite's indexes hold it already).
    expect(byName.reports_open_by_area).toEqual([...OPEN_STATUSES].sort());
    expect(byName.reports_answered_by_id).toEqual(['answered']);
    expect(Object.keys(byName).sort()).toEqual([...sqlite.map((index) => index.name), 'reports_answered_by_id', 'reports_open_by_area'].sort());
  });
});

describe('the guards on PostgreSQL', () => {
  it('are all in place after the migrations, as urp defines them', async () => {
    expect(await missingGuards(server.db)).toEqual([]);
    expect(POSTGRES_GUARDS.size).toBe(8);
  });

  it('a disabled trigger or a replaced function is a missing guard: urp refuses to write, db check names it', async () => {
    const second = tempWorkspace();
    try {
      const database = decodeURIComponent(new URL(second.db).pathname.slice(1));
      psql(testServer(), database, 'alter table report_events disable trigger report_events_no_update');
      psql(testServer(), database, `create or replace function urp_hash_required() returns trigger language plpgsql as $$ begin return new; end $$`);
      const write = await runUrp(['--db', second.db, 'area', 'add', 'strade', '--name', 'Strade']);
      expect(write.code).toBe(1);
      expect(write.stderr).toContain("the register's append-only guards are missing or changed");
      expect(write.stderr).toContain('report_events_no_update');
      expect(write.stderr).toContain('report_events_hash_required');
      const check = await runUrp(['--db', second.db, 'db', 'check']);
      expect(check.code).toBe(1);
      expect(check.stdout).toContain('guards: the append-only guard report_events_no_update is missing or changed');
      expect(check.stdout).toContain('guards: the append-only guard audit_events_hash_required is missing or changed');
    } finally {
      second.cleanup();
    }
  });

  it("db check runs amcheck's verification of every index where the extension is installed", async () => {
    const checked = tempWorkspace();
    try {
      const database = decodeURIComponent(new URL(checked.db).pathname.slice(1));
      expect((await runUrp(['--db', checked.db, 'init', '--demo'])).code).toBe(0);
      psql(testServer(), database, 'create extension amcheck');
      const result = await runUrp(['--db', checked.db, 'db', 'check']);
      expect(result.code, result.stdout).toBe(0);
      // What amcheck finds is listed: its function replaced by one that finds every index damaged.
      psql(testServer(), database, `alter extension amcheck drop function bt_index_check(regclass, boolean);
        create or replace function bt_index_check(index regclass, heapallindexed boolean) returns void language plpgsql as $$
          begin raise exception 'item order invariant violated for index "%"', index; end $$`);
      const damaged = await runUrp(['--db', checked.db, 'db', 'check']);
      expect(damaged.code).toBe(1);
      expect(damaged.stdout).toMatch(/^integrity: index areas_code_key: item order invariant violated for index "areas_code_key"$/m);
    } finally {
      checked.cleanup();
    }
  });

  it('refuse UPDATE, DELETE and TRUNCATE of events, and an event without its hash', () => {
    const database = decodeURIComponent(new URL(workspace.db).pathname.slice(1));
    for (const statement of ['update audit_events set text = null', 'delete from audit_events', 'truncate audit_events']) {
      expect(() => psql(testServer(), database, `insert into audit_events (kind, subject, operator, occurred_at, hash) values ('x', 'y', 'z', '2026-01-01T00:00:00.000Z', '${'0'.repeat(64)}'); ${statement}`)).toThrow(/append-only/);
    }
    expect(() => psql(testServer(), database, `insert into audit_events (kind, subject, operator, occurred_at) values ('x', 'y', 'z', '2026-01-01T00:00:00.000Z')`)).toThrow(/carry their chain hash/);
  });
});
