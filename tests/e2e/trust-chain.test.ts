import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, type Migration, Migrator, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as initialSchema from '../../migrations/2026-11-26-001-initial-schema.js';
import { deadlineCalculator } from '../../src/domain/deadlines.js';
import { DEFAULT_SETTINGS } from '../../src/domain/settings.js';
import { ME, type RunResult, addAreasAndCategories, query, snapshot, tempWorkspace, urpWith, describeSqliteOnly } from '../helpers/cli.js';

/**
 * Issue 10, "the timeline can be rewritten unnoticed": someone with the
 * sqlite3 shell drops the append-only triggers and edits, deletes or
 * inserts events. `db check` must then fail naming the missing guards and
 * the first event that does not verify; urp must refuse to write to such a
 * register (reading goes on); `db restore` must refuse such a backup; `db
 * status` prints the heads of both chains; and a register made before the
 * chain existed is chained by its migration and verifies.
 */

const SELF = { URP_OPERATOR: undefined };
const GUARDS = ['report_events_no_update', 'report_events_no_delete', 'report_events_hash_required', 'report_events_no_replace', 'audit_events_no_update', 'audit_events_no_delete', 'audit_events_hash_required', 'audit_events_no_replace'];

/** Runs statements on the file directly, as a hostile user with the sqlite3 shell would. */
function tamper(db: string, ...statements: string[]): void {
  const connection = new Database(db);
  try {
    for (const statement of statements) connection.exec(statement);
  } finally {
    connection.close();
  }
}

const dropGuards = GUARDS.map((name) => `drop trigger ${name}`);

function expectOk(result: RunResult, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(0);
}

/** The chain as version 1 defines it, computed here independently: SHA-256(previous hash, JSON of the fields in order). */
function expectedHeads(db: string): { events: { count: number; head: string }; audit: { count: number; head: string } } {
  const chain = (rows: unknown[][]) => {
    let previous = '';
    for (const fields of rows) previous = createHash('sha256').update(previous).update(JSON.stringify(fields)).digest('hex');
    return { count: rows.length, head: previous };
  };
  const events = query<Record<string, unknown>>(db, 'select * from report_events order by id').map((row) => [
    row.report_id, row.kind, row.from_status, row.to_status, row.area_id, row.text, row.operator, row.entered_by, row.occurred_at, row.recorded_at, row.source,
  ]);
  const audit = query<Record<string, unknown>>(db, 'select * from audit_events order by id').map((row) => [row.kind, row.subject, row.text, row.operator, row.entered_by, row.occurred_at]);
  return { events: chain(events), audit: chain(audit) };
}

describeSqliteOnly('the sqlite3 shell rewrites the file; on PostgreSQL tests/postgres checks the PL/pgSQL guards')('a register whose timeline was rewritten with the sqlite3 shell', () => {
  const workspace = tempWorkspace();
  const template = workspace.db;
  const urp = urpWith(template, { env: SELF });
  let numbers: string[] = [];
  let copies = 0;

  /** A copy of the sound register, tampered with these statements. */
  function tampered(...statements: string[]): { db: string; urp: ReturnType<typeof urpWith> } {
    const db = join(workspace.dir, `tampered-${++copies}.db`);
    copyFileSync(template, db);
    tamper(db, ...statements);
    return { db, urp: urpWith(db, { env: SELF }) };
  }

  beforeAll(async () => {
    expectOk(await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME]), 'admin');
    await addAreasAndCategories(urp);
    for (const subject of ['Buca in via Roma', 'Lampione spento', 'Cassonetto rotto']) {
      const result = await urp(['report', 'new', '--type', 'segnalazione', '--channel', 'telefono', '--subject', subject, '--category', 'buche', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '333 1234567']);
      expectOk(result, subject);
      numbers.push(result.stdout.trim());
    }
    for (const number of numbers) {
      expectOk(await urp(['report', 'assign', number, '--area', 'strade']), 'assign');
      expectOk(await urp(['report', 'ack', number]), 'ack');
    }
    expectOk(await urp(['db', 'check']), 'the sound register');
    // A tidy file: the copies below are taken from the database file alone.
    tamper(template, 'pragma wal_checkpoint(TRUNCATE)');
  });
  afterAll(() => workspace.cleanup());

  it('db status prints the heads of both chains: the count and the last hash, which is the last row\'s', async () => {
    const status = await urp(['db', 'status']);
    expectOk(status, 'db status');
    const lastEvent = query<{ hash: string; n: number }>(template, 'select hash, (select count(*) from report_events) as n from report_events order by id desc limit 1')[0]!;
    const lastAudit = query<{ hash: string; n: number }>(template, 'select hash, (select count(*) from audit_events) as n from audit_events order by id desc limit 1')[0]!;
    expect(status.stdout).toMatch(new RegExp(`Event chain\\s+${lastEvent.n} events, head ${lastEvent.hash}\\n`));
    expect(status.stdout).toMatch(new RegExp(`Audit chain\\s+${lastAudit.n} events, head ${lastAudit.hash}`));
    expect(lastEvent.n).toBe(9);
    const { chains } = JSON.parse((await urp(['db', 'status', '--json'])).stdout);
    expect(chains).toEqual({ report_events: { count: lastEvent.n, head: lastEvent.hash }, audit_events: { count: lastAudit.n, head: lastAudit.hash } });
    // Computed here, independently of urp: the hashes chain as version 1 says.
    const expected = expectedHeads(template);
    expect(chains.report_events).toEqual(expected.events);
    expect(chains.audit_events).toEqual(expected.audit);
  });

  it('db check names the missing guards, even when no event was touched', async () => {
    const { urp: broken } = tampered(...dropGuards);
    const result = await broken(['db', 'check']);
    expect(result.code).toBe(1);
    for (const guard of GUARDS) expect(result.stdout).toContain(`guards: the append-only guard ${guard} is missing or changed`);
    expect(result.stdout).not.toContain('chain:');
  });

  it('the guards refuse INSERT OR REPLACE of an event or an audit event, which fires no DELETE trigger', async () => {
    const db = join(workspace.dir, `tampered-${++copies}.db`);
    copyFileSync(template, db);
    const connection = new Database(db);
    try {
      for (const table of ['report_events', 'audit_events']) {
        const last = connection.prepare(`select * from ${table} order by id desc limit 1`).get() as Record<string, unknown>;
        const columns = Object.keys(last);
        const replace = connection.prepare(`insert or replace into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
        expect(() => replace.run(...columns.map((column) => (column === 'text' ? 'rewritten' : last[column])))).toThrow(`${table} is append-only`);
        // The same row under a new id is an insert like any other (its hash then breaks the chain: db check says so).
        expect(connection.prepare(`select count(*) as n from ${table} where text = 'rewritten'`).get()).toEqual({ n: 0 });
      }
    } finally {
      connection.close();
    }
    expectOk(await urpWith(db, { env: SELF })(['db', 'check']), 'nothing was replaced');
  });

  it('db check names a guard replaced by one that does nothing', async () => {
    const { urp: broken } = tampered('drop trigger report_events_no_update', 'create trigger report_events_no_update before update on report_events begin select 1; end');
    const result = await broken(['db', 'check']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('the append-only guard report_events_no_update is missing or changed');
  });

  it('db check names the first event that does not verify: an edited one', async () => {
    const target = query<{ id: number }>(template, "select id from report_events where kind = 'assigned' order by id limit 1 offset 1")[0]!.id;
    const { urp: broken } = tampered(...dropGuards, `update report_events set operator = 'someone-else' where id = ${target}`);
    const result = await broken(['db', 'check', '--json']);
    expect(result.code).toBe(1);
    const { sound, problems } = JSON.parse(result.stdout);
    expect(sound).toBe(false);
    expect(problems).toContainEqual({ check: 'chain', detail: expect.stringContaining(`event ${target} ("assigned" of report ${numbers[1]}) does not verify`) });
  });

  it('db check names the first event that does not verify: the one after a deleted event', async () => {
    const deleted = query<{ id: number }>(template, "select id from report_events where kind = 'registered' order by id limit 1 offset 2")[0]!.id;
    const next = query<{ id: number }>(template, 'select min(id) as id from report_events where id > ?', deleted)[0]!.id;
    const { urp: broken } = tampered(...dropGuards, `delete from report_events where id = ${deleted}`);
    const result = await broken(['db', 'check']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`chain: event ${next} \\("[a-z_]+" of report \\d{4}/\\d{6}\\) does not verify`));
  });

  it('db check names an inserted event: without a hash, and with a made-up one', async () => {
    const last = query<Record<string, unknown>>(template, 'select * from report_events order by id desc limit 1')[0]!;
    const insert = (hash: string) =>
      `insert into report_events (report_id, kind, from_status, to_status, text, operator, occurred_at, recorded_at, source, hash)
       values (${last.report_id}, 'note', 'acknowledged', 'acknowledged', 'added later', 'boss', '${last.occurred_at}', '${last.recorded_at}', 'cli', ${hash})`;
    for (const hash of ['null', `'${'0'.repeat(64)}'`]) {
      const { urp: broken } = tampered(...dropGuards, insert(hash));
      const result = await broken(['db', 'check']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`chain: event ${Number(last.id) + 1} ("note" of report ${numbers[2]}) does not verify (${hash === 'null' ? 'it has no hash' : 'it was changed'}`);
    }
  });

  it('db check names an edited audit event, even with the guards put back as they were', async () => {
    const audit = query<{ id: number }>(template, "select id from audit_events where kind = 'operator_added'")[0]!.id;
    const guardsSql = query<{ sql: string }>(template, "select sql from sqlite_master where type = 'trigger' and name like 'audit_events%'").map((row) => row.sql);
    const { urp: broken } = tampered(
      ...dropGuards.filter((statement) => statement.includes('audit_events')),
      `update audit_events set text = 'urp account nobody' where id = ${audit}`,
      ...guardsSql,
    );
    const result = await broken(['db', 'check']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`chain: audit event ${audit} does not verify`);
    expect(result.stdout).not.toContain('guards:');
  });

  it('every writing command refuses, saying to run db check; reading commands still work', async () => {
    const { db, urp: broken } = tampered(...dropGuards);
    const before = snapshot(db);
    const number = numbers[0]!;
    const writes: string[][] = [
      ['report', 'new', '--type', 'segnalazione', '--channel', 'telefono', '--subject', 'Nuova', '--first-name', 'Anna', '--last-name', 'Verdi', '--email', 'anna@example.it'],
      ['report', 'note', number, '--text', 'nota'],
      ['report', 'reply', number, '--text', 'Fatto', '--outcome', 'risolta'],
      ['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Verdi', '--email', 'anna@example.it'],
      ['citizen', 'update', '1', '--address', 'Via Roma 1'],
      ['citizen', 'erase', '1', '--force', '--yes'],
      ['area', 'add', 'verde', '--name', 'Verde'],
      ['config', 'set', 'due-soon-days', '3'],
      ['operator', 'add', 'clerk', '--role', 'urp', '--os-user', 'clerk-account'],
      ['privacy', 'retention', '--older-than', '1d', '--yes'],
      ['import', join(workspace.dir, 'does-not-matter.csv')],
      ['db', 'restore', join(workspace.dir, 'does-not-matter.db'), '--yes'],
      // Reads of personal data are recorded, so they write too.
      ['citizen', 'export', '1'],
      ['export', '--format', 'json'],
      ['overdue', '--with-citizen'],
      ['db', 'backup', join(workspace.dir, 'from-tampered.db')],
    ];
    for (const args of writes) {
      const result = await broken(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(/append-only guards are missing or changed \(.*report_events_no_update.*\): nothing is written\. Run urp db check/);
      expect(result.stderr).not.toMatch(/bug|unexpected/i);
      expect(result.stdout, args.join(' ')).toBe('');
    }
    expect(snapshot(db)).toBe(before);
    expect(existsSync(join(workspace.dir, 'from-tampered.db'))).toBe(false);
    for (const args of [['report', 'list'], ['report', 'show', number], ['overdue'], ['stats'], ['queue'], ['citizen', 'find', 'rossi'], ['export', '--format', 'open311'], ['db', 'status']]) {
      expectOk(await broken(args), args.join(' '));
    }
  });

  it('db restore refuses a backup whose guards are gone, or whose chain is broken, and lists why', async () => {
    const live = urpWith(template, { env: SELF });
    const backups = {
      guards: tampered(...dropGuards).db,
      chain: tampered(
        ...dropGuards,
        "update report_events set text = 'rewritten' where kind = 'assigned'",
        // The guards put back (the search index's triggers were never dropped).
        ...query<{ sql: string }>(template, `select sql from sqlite_master where type = 'trigger' and name in (${GUARDS.map((name) => `'${name}'`).join(', ')})`).map((row) => row.sql),
      ).db,
    };
    for (const [what, backup] of Object.entries(backups)) {
      const before = snapshot(template);
      const result = await live(['db', 'restore', backup, '--yes']);
      expect(result.code, `${what}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain('the backup fails its check');
      expect(result.stdout).toContain(what === 'guards' ? 'guards: the append-only guard report_events_no_update is missing' : 'chain: event');
      expect(snapshot(template), what).toBe(before);
    }
  });
});

describeSqliteOnly('it builds a file of the first schema')('a register made before the chain existed', () => {
  const workspace = tempWorkspace({ init: false });
  const db = workspace.db;
  afterAll(() => workspace.cleanup());

  /** The register as the first schema left it: migration 2026-11-26-001 alone, rows inserted as urp then did (no hash, no entered_by). */
  beforeAll(async () => {
    const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(db) }) });
    try {
      const migrator = new Migrator({ db: kysely, provider: { getMigrations: async () => ({ '2026-11-26-001-initial-schema': initialSchema as Migration }) } });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;
    } finally {
      await kysely.destroy();
    }
    const sqlite = new Database(db);
    try {
      sqlite.pragma('user_version = 1');
      sqlite.pragma('journal_mode = WAL');
      const deadlines = deadlineCalculator(DEFAULT_SETTINGS);
      const now = '2026-11-20T10:00:00.000Z';
      sqlite.prepare('insert into areas (code, name, created_at, updated_at) values (?, ?, ?, ?)').run('strade', 'Strade', now, now);
      // Operators were names then; the migration binds each to the account of that name (here the test's own).
      sqlite.prepare('insert into operators (name, role, created_at, updated_at) values (?, ?, ?, ?)').run(ME, 'admin', now, now);
      sqlite.prepare("insert into audit_events (kind, subject, text, operator, occurred_at) values ('operator_added', ?, 'admin', ?, ?)").run(`operator:${ME}`, ME, now);
      sqlite
        .prepare('insert into citizens (first_name, last_name, phone, search_name, created_at, updated_at) values (?, ?, ?, ?, ?, ?)')
        .run('Mario', 'Rossi', '+393331234567', 'rossi mario', now, now);
      for (let sequence = 1; sequence <= 3; sequence++) {
        const received = new Date(Date.parse('2026-11-16T08:00:00.000Z') + sequence * 3_600_000);
        const assignDue = deadlines.assignDue(received).toISOString();
        const replyDue = deadlines.replyDue(received).toISOString();
        const { lastInsertRowid: id } = sqlite
          .prepare(
            `insert into reports (number, year, sequence, type, channel, status, subject, citizen_id, received_at, registered_at,
               assign_counted_from, assign_due_at, reply_counted_from, reply_due_at, first_assign_due_at, area_id, assigned_at, first_assigned_at, updated_at)
             values (?, 2026, ?, 'problem', 'phone', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            `2026/${String(sequence).padStart(6, '0')}`, sequence, sequence === 3 ? 'registered' : 'assigned', `Segnalazione ${sequence}`,
            received.toISOString(), now, received.toISOString(), assignDue, received.toISOString(), replyDue, assignDue,
            sequence === 3 ? null : 1, sequence === 3 ? null : now, sequence === 3 ? null : now, now,
          );
        const event = sqlite.prepare(
          `insert into report_events (report_id, kind, from_status, to_status, area_id, text, operator, occurred_at, recorded_at, source) values (?, ?, ?, ?, ?, null, ?, ?, ?, 'cli')`,
        );
        event.run(id, 'registered', null, 'registered', null, ME, now, now);
        if (sequence !== 3) event.run(id, 'assigned', 'registered', 'assigned', 1, ME, now, now);
      }
      sqlite.prepare('insert into report_sequences (year, last_value) values (2026, 3)').run();
      // As urp then did: the triggers of the first schema refuse rewriting the record.
      expect(() => sqlite.prepare("update report_events set text = 'x' where id = 1").run()).toThrow(/append-only/);
    } finally {
      sqlite.close();
    }
  });

  it('is migrated by urp (a backup written beside it first), then passes db check with its chain verified', async () => {
    const urp = urpWith(db, { env: { URP_OPERATOR: undefined } });
    const check = await urp(['db', 'check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stderr).toContain('sound');
    // Every event got its hash, chained in id order as version 1 says (computed here, independently).
    expect(query(db, 'select count(*) as n from report_events where hash is null or length(hash) != 64')).toEqual([{ n: 0 }]);
    const expected = expectedHeads(db);
    expect(expected.events.count).toBe(5);
    const { chains } = JSON.parse((await urp(['db', 'status', '--json'])).stdout);
    expect(chains).toEqual({ report_events: expected.events, audit_events: expected.audit });
    // The migration took its backup first (it holds reports).
    expect(readdirSync(workspace.dir).some((name) => name.startsWith('urp.db.before-migration-v1-'))).toBe(true);
    // And the guards are the new ones: an event without a hash is refused by the database itself.
    const connection = new Database(db);
    try {
      expect(() =>
        connection.prepare("insert into report_events (report_id, kind, operator, occurred_at, recorded_at, source) values (1, 'note', 'x', 'x', 'x', 'cli')").run(),
      ).toThrow(/carry their chain hash/);
    } finally {
      connection.close();
    }
  });
});
