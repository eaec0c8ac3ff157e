import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { query, relationsHolding, tempWorkspace, urpWith } from '../helpers/cli.js';

/**
 * Issue 13 (erasure leaves no copy in live tables): VACUUM FULL copies every
 * row version that a snapshot still open in the database may see. An
 * erasure while another session holds a snapshot begun before it would
 * rewrite the citizens table with the erased values still in it, and take
 * the step for done. urp sees that session, says the rewrite waits for it,
 * keeps the step recorded, and the first command after that session ended
 * rewrites the table: the erased e-mail is then in no file of the register.
 */
const workspace = tempWorkspace();
const urp = urpWith(workspace.db);
afterAll(() => workspace.cleanup());

const EMAIL = 'ottavia.fotogramma@example.it';
const pendingRewrites = () => query<{ task: string }>(workspace.db, `select task from maintenance where task like 'purge-vacuum:%' order by task`).map((row) => row.task);
const inFiles = () => relationsHolding(workspace.db, EMAIL).length > 0;

it('an erasure while another session holds an older snapshot waits for it, and the next command rewrites the table', async () => {
  const made = await urp([
    'report', 'new', '--type', 'complaint', '--channel', 'email', '--subject', 'Buca', '--first-name', 'Ottavia', '--last-name', 'Fotogramma', '--email', EMAIL,
  ]);
  expect(made.code, made.stderr).toBe(0);
  const citizen = query<{ id: number }>(workspace.db, 'select id from citizens where email = ?', EMAIL)[0]!.id;

  // Another session: a repeatable-read transaction whose snapshot is taken before the erasure (as a long export's is).
  const reader = new pg.Client({ connectionString: workspace.db });
  await reader.connect();
  try {
    await reader.query('begin isolation level repeatable read');
    expect((await reader.query('select email from citizens where id = $1', [citizen])).rows).toEqual([{ email: EMAIL }]);

    const erased = await urp(['citizen', 'erase', String(citizen), '--force', '--yes']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stderr).toContain('another session has been reading the register since before the erasure');
    expect(pendingRewrites()).toContain('purge-vacuum:citizens');
    // What the wait is for: the old row version is still in the table's files, and that session still sees it.
    expect(inFiles()).toBe(true);
    expect((await reader.query('select email from citizens where id = $1', [citizen])).rows).toEqual([{ email: EMAIL }]);

    // A command while that session is still open leaves the step recorded (it never waits).
    expect((await urp(['report', 'list', '--json'])).code).toBe(0);
    expect(pendingRewrites()).toContain('purge-vacuum:citizens');
    await reader.query('commit');
  } finally {
    await reader.end();
  }

  // The first command after: the tables rewritten, nothing left recorded, the e-mail in no file.
  expect((await urp(['report', 'list', '--json'])).code).toBe(0);
  expect(pendingRewrites()).toEqual([]);
  expect(relationsHolding(workspace.db, EMAIL)).toEqual([]);
  expect(query(workspace.db, 'select email from citizens where id = ?', citizen)).toEqual([{ email: null }]);
}, 120_000);

it('a session holding a lock on the table (no older snapshot) delays the rewrite, not the erasure nor the clerks', async () => {
  const email = 'ugo.lucchetto@example.it';
  const made = await urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Lampione', '--first-name', 'Ugo', '--last-name', 'Lucchetto', '--email', email]);
  expect(made.code, made.stderr).toBe(0);
  const citizen = query<{ id: number }>(workspace.db, 'select id from citizens where email = ?', email)[0]!.id;
  const holder = new pg.Client({ connectionString: workspace.db });
  await holder.connect();
  try {
    // Read committed, between statements: no snapshot, but the table's lock is held to the end of the transaction.
    await holder.query('begin');
    await holder.query('lock table citizens in access share mode');
    const started = performance.now();
    const erased = await urp(['citizen', 'erase', String(citizen), '--force', '--yes']);
    // Waited about two seconds for the lock, not the connection's 30 s (while VACUUM FULL waits, every read of the table queues behind it).
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stderr).toContain('the next urp command after that session ends will finish it');
    expect(pendingRewrites()).toContain('purge-vacuum:citizens');
    const list = await urp(['citizen', 'find', 'Fotogramma']);
    expect(list.code, list.stderr).toBe(0);
    await holder.query('commit');
  } finally {
    await holder.end();
  }
  expect((await urp(['report', 'list', '--json'])).code).toBe(0);
  expect(pendingRewrites()).toEqual([]);
  // Named, should one still hold it (seen once on a loaded machine, not since).
  expect(relationsHolding(workspace.db, email)).toEqual([]);
}, 120_000);
