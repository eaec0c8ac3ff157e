import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ME, type RunResult, addAreasAndCategories, query, snapshot, tempWorkspace, urpWith, describeSqliteOnly } from '../helpers/cli.js';
import { type OsAccount, OsFixtures, rootOnly, urpAs } from '../helpers/os-users.js';

/**
 * Issue 10, "anyone is anyone": the acting operator is the operating-system
 * account. `--operator`/URP_OPERATOR lets only an admin act for another
 * (recorded as entered_by); an account that is no operator may only ask
 * for help, the version and `db status`; a restore can neither be done
 * under a made-up name nor open a guarded register to everyone; and reads
 * of personal data in bulk are for admin and urp only, each recorded.
 *
 * The tests that need a second OS account create it (root only; skipped
 * with a printed reason otherwise).
 */

/** As the test account itself: no URP_OPERATOR (runUrp's default names an operator, which only an admin may). */
const SELF = { URP_OPERATOR: undefined };

const reportFlags = (subject: string, person: readonly string[] = ['--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '333 1234567']) => [
  'report', 'new', '--type', 'segnalazione', '--channel', 'telefono', '--subject', subject, '--category', 'rifiuti', ...person,
];

function expectOk(result: RunResult, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(0);
}

function expectNoBugWording(result: RunResult): void {
  expect(result.stderr).not.toMatch(/bug|unexpected error|at .*\.cjs:\d+/i);
}

describe('open access', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: SELF });
  afterAll(() => workspace.cleanup());

  it('says so exactly once on every command that opens the register, whatever its outcome', async () => {
    await addAreasAndCategories(urp);
    const commands: string[][] = [
      reportFlags('Buca'),
      ['report', 'list'],
      ['report', 'show', '2099/999999'], // not found: exit 2, still once
      ['citizen', 'find', 'rossi'],
      ['overdue'],
      ['stats'],
      ['db', 'status'],
      ['db', 'check'],
      ['config', 'list'],
      ['export', '--format', 'json'],
      ['report', 'new', '--type', 'nonsense'], // refused input
    ];
    for (const args of commands) {
      const result = await urp(args);
      expect(result.openAccessNotices, `${args.join(' ')}: ${result.stderr}`).toBe(1);
    }
    // Help and version never open the register.
    for (const args of [['--help'], ['--version'], ['report', '--help']]) expect((await urp(args)).openAccessNotices).toBe(0);
  });

  it('db status says that nobody is an operator yet', async () => {
    const status = JSON.parse((await urp(['db', 'status', '--json'])).stdout);
    expect(status.you).toEqual({ account: ME, operator: ME, role: null, openAccess: true });
    expect(status.counts.operators).toBe(0);
  });
});

describe('the first operator', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: SELF });
  afterAll(() => workspace.cleanup());

  it('must be an admin', async () => {
    const result = await urp(['operator', 'add', 'clerk', '--role', 'urp', '--os-user', ME]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the first operator must be an admin');
    expect(query(workspace.db, 'select * from operators')).toEqual([]);
  });

  it('must be bound to the account running urp (else it would lock them out)', async () => {
    for (const args of [['operator', 'add', 'boss', '--role', 'admin'], ['operator', 'add', 'boss', '--role', 'admin', '--os-user', 'somebody-else']]) {
      const result = await urp(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`must be bound to your own account ("${ME}")`);
    }
    expect(query(workspace.db, 'select * from operators')).toEqual([]);
  });

  it('ends open access: afterwards no notice, and db status names the admin', async () => {
    const added = await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME]);
    expectOk(added, 'operator add');
    expect(added.openAccessNotices).toBe(1);
    const status = await urp(['db', 'status', '--json']);
    expect(status.openAccessNotices).toBe(0);
    expect(JSON.parse(status.stdout).you).toEqual({ account: ME, operator: 'boss', role: 'admin', openAccess: false });
  });
});

describe('an admin acting for another operator', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: SELF });
  let number: string;
  beforeAll(async () => {
    expectOk(await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME]), 'admin');
    await addAreasAndCategories(urp);
    expectOk(await urp(['operator', 'add', 'clerk', '--role', 'urp', '--os-user', 'clerk-account']), 'clerk');
    expectOk(await urp(['operator', 'add', 'ferretti', '--role', 'area', '--area', 'ambiente', '--os-user', 'ferretti-account']), 'ferretti');
    expectOk(await urp(['operator', 'add', 'gone', '--role', 'urp', '--os-user', 'gone-account']), 'gone');
    expectOk(await urp(['operator', 'disable', 'gone']), 'disable');
  });
  afterAll(() => workspace.cleanup());

  it('is recorded as both: the operator acted for, entered by the admin (--operator and URP_OPERATOR alike)', async () => {
    const registered = await urp(['--operator', 'clerk', ...reportFlags('Cassonetto rotto')]);
    expectOk(registered, 'report new');
    number = registered.stdout.trim();
    expectOk(await urp(['report', 'assign', number, '--area', 'ambiente'], { env: { URP_OPERATOR: 'clerk' } }), 'assign');
    expectOk(await urp(['report', 'ack', number], { env: { URP_OPERATOR: 'ferretti' } }), 'ack');
    expectOk(await urp(['report', 'note', number, '--text', 'In person'], {}), 'note by the admin');
    const events = query<{ kind: string; operator: string; entered_by: string | null }>(
      workspace.db,
      'select e.kind, e.operator, e.entered_by from report_events e join reports r on r.id = e.report_id where r.number = ? order by e.id',
      number,
    );
    expect(events).toEqual([
      { kind: 'registered', operator: 'clerk', entered_by: 'boss' },
      { kind: 'assigned', operator: 'clerk', entered_by: 'boss' },
      { kind: 'acknowledged', operator: 'ferretti', entered_by: 'boss' },
      { kind: 'note', operator: 'boss', entered_by: null },
    ]);
    const timeline = (await urp(['report', 'show', number])).stdout;
    expect(timeline).toMatch(/registered\s+\[boss for clerk\]/);
    expect(timeline).toMatch(/note\s+\[boss\]/);
  });

  it("acts with that operator's role, not the admin's", async () => {
    const before = snapshot(workspace.db);
    const result = await urp(['area', 'add', 'verde', '--name', 'Verde'], { env: { URP_OPERATOR: 'clerk' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"urp area add" is not allowed to operator "clerk"');
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('may not name an unknown or a disabled operator', async () => {
    const before = snapshot(workspace.db);
    const ghost = await urp(['--operator', 'ghost', 'report', 'note', number, '--text', 'x']);
    expect(ghost.code).toBe(2);
    expect(ghost.stderr).toContain('no operator "ghost"');
    const gone = await urp(['report', 'note', number, '--text', 'x'], { env: { URP_OPERATOR: 'gone' } });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('gone');
    expect(gone.stderr).toMatch(/disabled/);
    expect(snapshot(workspace.db)).toBe(before);
  });
});

describeSqliteOnly('it edits backups as SQLite files')('db restore can neither be done under a made-up name nor open a guarded register', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: SELF });
  const open = tempWorkspace();
  const locked = tempWorkspace();
  const good = join(workspace.dir, 'good.db');
  const withoutOperators = join(workspace.dir, 'without-operators.db');
  const withoutMe = join(workspace.dir, 'without-me.db');
  beforeAll(async () => {
    expectOk(await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME]), 'admin');
    await addAreasAndCategories(urp);
    expectOk(await urp(['operator', 'add', 'ferretti', '--role', 'area', '--area', 'ambiente', '--os-user', 'ferretti-account']), 'ferretti');
    expectOk(await urp(reportFlags('Prima della copia')), 'report');
    expectOk(await urp(['db', 'backup', good]), 'backup');
    expectOk(await urp(reportFlags('Dopo la copia')), 'report');

    // A register in open access (same schema), backed up as it is.
    const openUrp = urpWith(open.db, { env: SELF });
    await addAreasAndCategories(openUrp);
    expectOk(await openUrp(reportFlags('Registro aperto')), 'open report');
    expectOk(await openUrp(['db', 'backup', withoutOperators]), 'open backup');

    // A register whose admin bound to this account was disabled by another admin: copied with SQLite's own backup.
    const lockedUrp = urpWith(locked.db, { env: SELF });
    expectOk(await lockedUrp(['operator', 'add', 'me', '--role', 'admin', '--os-user', ME]), 'me');
    expectOk(await lockedUrp(['operator', 'add', 'other', '--role', 'admin', '--os-user', 'other-account']), 'other');
    expectOk(await lockedUrp(['operator', 'disable', 'me']), 'disable me');
    const connection = new Database(locked.db);
    try {
      await connection.backup(withoutMe);
    } finally {
      connection.close();
    }
  });
  afterAll(() => {
    workspace.cleanup();
    open.cleanup();
    locked.cleanup();
  });

  it('refuses --operator ghost (an unknown name), changing nothing', async () => {
    const before = snapshot(workspace.db);
    const result = await urp(['db', 'restore', good, '--yes', '--operator', 'ghost']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no operator "ghost"');
    expectNoBugWording(result);
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('refuses a backup without operators: it would switch a guarded register to open access', async () => {
    const before = snapshot(workspace.db);
    const result = await urp(['db', 'restore', withoutOperators, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no active admin bound to your account');
    expect(snapshot(workspace.db)).toBe(before);
    expect(query(workspace.db, 'select count(*) as n from operators')).toEqual([{ n: 2 }]);
  });

  it('refuses a backup in which no active admin is bound to this account: it would lock the restorer out', async () => {
    const before = snapshot(workspace.db);
    const result = await urp(['db', 'restore', withoutMe, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no active admin bound to your account ("${ME}")`);
    expect(snapshot(workspace.db)).toBe(before);
  });

  it("restores the register's own backup for its admin (the control)", async () => {
    const restored = await urp(['db', 'restore', good, '--yes']);
    expectOk(restored, 'restore');
    expect(query(workspace.db, 'select subject from reports order by id')).toEqual([{ subject: 'Prima della copia' }]);
    // Operators and their areas came back whole.
    expect(query(workspace.db, 'select o.name, a.code from operator_areas oa join operators o on o.id = oa.operator_id join areas a on a.id = oa.area_id')).toEqual([
      { name: 'ferretti', code: 'ambiente' },
    ]);
    expectOk(await urp(['db', 'check']), 'db check after the restore');
  });
});

describe('reads of personal data in bulk', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: SELF });
  const out = (name: string) => join(workspace.dir, name);
  const reads: Array<{ name: string; args: string[]; subject: string; count: number }> = [];
  let rossi: number;
  beforeAll(async () => {
    expectOk(await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME]), 'admin');
    await addAreasAndCategories(urp);
    expectOk(await urp(['operator', 'add', 'clerk', '--role', 'urp', '--os-user', 'clerk-account']), 'clerk');
    expectOk(await urp(['operator', 'add', 'ferretti', '--role', 'area', '--area', 'ambiente', '--os-user', 'ferretti-account']), 'ferretti');
    // Three reports of Rossi, one of Bianchi; two received long ago, so late.
    for (const [subject, at] of [['Uno', '2026-01-10T09:00'], ['Due', '2026-01-11T09:00'], ['Tre', undefined]] as const) {
      expectOk(await urp([...reportFlags(subject), ...(at ? ['--received-at', at] : [])]), subject);
    }
    expectOk(await urp(reportFlags('Quattro', ['--first-name', 'Anna', '--last-name', 'Bianchi', '--email', 'anna.bianchi@example.it'])), 'Bianchi');
    rossi = query<{ id: number }>(workspace.db, "select id from citizens where last_name = 'Rossi'")[0]!.id;
    reads.push(
      { name: 'citizen export', args: ['citizen', 'export', String(rossi)], subject: `citizen:${rossi}`, count: 3 },
      { name: 'export csv', args: ['export', '--output', out('all.csv')], subject: 'export --format csv', count: 4 },
      { name: 'export json', args: ['export', '--format', 'json'], subject: 'export --format json', count: 4 },
      { name: 'export jsonl', args: ['export', '--format', 'jsonl', '--to', '2026-01-31'], subject: 'export --format jsonl', count: 2 },
      // The entries printed: the two January reports are both late to assign and late to reply; the others due soon.
      { name: 'overdue --with-citizen', args: ['overdue', '--with-citizen', '--json'], subject: 'overdue --with-citizen', count: 6 },
      { name: 'db backup', args: ['db', 'backup', out('copy.db')], subject: 'db backup', count: 2 },
    );
  });
  afterAll(() => workspace.cleanup());

  it('are refused to an area operator, before anything is shown or recorded', async () => {
    for (const read of reads) {
      const before = snapshot(workspace.db);
      const result = await urp(read.args, { env: { URP_OPERATOR: 'ferretti' } });
      expect(result.code, `${read.name}: ${result.stderr}`).toBe(2);
      expect(result.stderr, read.name).toMatch(/is not allowed to operator "ferretti" \(area office\)|an area operator exports only without personal data/);
      expect(result.stdout, read.name).toBe('');
      expect(snapshot(workspace.db), read.name).toBe(before);
    }
  });

  it('are recorded for urp and admin: kind, who, what and how many, never the data', async () => {
    for (const [operator, env] of [['clerk', { URP_OPERATOR: 'clerk' }], ['boss', SELF]] as const) {
      for (const read of reads) {
        const last = query<{ id: number }>(workspace.db, 'select max(id) as id from audit_events')[0]!.id;
        const result = await urp(read.name === 'db backup' ? ['db', 'backup', out(`copy-${operator}.db`)] : read.args, { env });
        expect(result.code, `${read.name} as ${operator}: ${result.stderr}`).toBe(0);
        const recorded = query(workspace.db, 'select kind, subject, text, operator, entered_by from audit_events where id > ?', last);
        expect(recorded, `${read.name} as ${operator}`).toEqual([
          { kind: 'personal_data_read', subject: read.subject, text: `${read.count} records`, operator, entered_by: operator === 'clerk' ? 'boss' : null },
        ]);
      }
    }
    // None of the data itself in the audit log.
    const log = JSON.stringify(query(workspace.db, 'select * from audit_events'));
    for (const value of ['Rossi', 'Bianchi', '3331234567', 'anna.bianchi']) expect(log).not.toContain(value);
  });

  it('an area operator may still export without personal data and print its own overdue list, unrecorded', async () => {
    const last = query<{ id: number }>(workspace.db, 'select max(id) as id from audit_events')[0]!.id;
    const open311 = await urp(['export', '--format', 'open311'], { env: { URP_OPERATOR: 'ferretti' } });
    expectOk(open311, 'open311');
    expect(open311.stdout).not.toMatch(/Rossi|Bianchi|333/);
    expectOk(await urp(['overdue'], { env: { URP_OPERATOR: 'ferretti' } }), 'overdue');
    expect(query(workspace.db, "select kind from audit_events where id > ? and kind = 'personal_data_read'", last)).toEqual([]);
  });

  it('citizen find: a lookup of a page is not recorded; more citizens than a page (a raised --limit) is, with how many', async () => {
    // Sixty more people named Rossi, each with an e-mail of their own.
    const rows = Array.from({ length: 60 }, (_, index) => `problem,phone,2026-11-20T09:30,Persona${index},Rossi,rossi${index}@example.it,Segnalazione ${index}`);
    writeFileSync(out('rossi.csv'), ['type,channel,received_at,first_name,last_name,email,subject', ...rows, ''].join('\n'));
    expectOk(await urp(['import', out('rossi.csv')]), 'import');
    const recorded = async (args: string[]) => {
      const last = query<{ id: number }>(workspace.db, 'select max(id) as id from audit_events')[0]!.id;
      const result = await urp(args, { env: { URP_OPERATOR: 'clerk' } });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return { lines: result.stdout.trim().split('\n').length, audit: query(workspace.db, 'select kind, subject, text, operator from audit_events where id > ?', last) };
    };
    // The page a clerk looks through: 50 of the 61, unrecorded.
    expect(await recorded(['citizen', 'find', 'Rossi', '--csv'])).toEqual({ lines: 51, audit: [] });
    // All of them, as a file: a bulk read.
    expect(await recorded(['citizen', 'find', 'Rossi', '--csv', '--limit', '1000'])).toEqual({
      lines: 62,
      audit: [{ kind: 'personal_data_read', subject: 'citizen find', text: '61 records', operator: 'clerk' }],
    });
  });
});

describe.skipIf(rootOnly('identity tests with other OS accounts'))('other OS accounts', () => {
  const os = new OsFixtures();
  let workspace: ReturnType<typeof tempWorkspace>;
  let db: string;
  let group: { name: string; gid: number };
  let clerk: OsAccount;
  let stranger: OsAccount;
  let urp: ReturnType<typeof urpWith>;
  let number: string;

  beforeAll(async () => {
    workspace = tempWorkspace({ init: false });
    chmodSync(workspace.dir, 0o755);
    group = os.group('id');
    clerk = os.user('clk', { group: group.name });
    stranger = os.user('str', { group: group.name });
    // One register shared by the group, so that the accounts reach it: only the register decides who they are.
    db = join(workspace.dir, 'shared', 'urp.db');
    urp = urpWith(db, { env: SELF });
    expectOk(await urp(['init', '--group', group.name]), 'init');
    expectOk(await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME]), 'admin');
    await addAreasAndCategories(urp);
    expectOk(await urp(['operator', 'add', 'clerk', '--role', 'urp', '--os-user', clerk.name]), 'clerk');
    const registered = await urp(reportFlags('Lampione'));
    expectOk(registered, 'report');
    number = registered.stdout.trim();
    expectOk(await urp(['db', 'backup', join(workspace.dir, 'shared', 'backup.db')]), 'backup');
  });
  afterAll(() => {
    try {
      os.cleanup();
    } finally {
      workspace?.cleanup();
    }
  });

  it('a non-admin account naming another operator is refused (--operator and URP_OPERATOR)', async () => {
    const asClerk = urpAs(clerk, db);
    const before = snapshot(db);
    for (const options of [{ args: ['--operator', 'boss'], env: {} }, { args: [], env: { URP_OPERATOR: 'boss' } }]) {
      const result = await asClerk([...options.args, 'report', 'note', number, '--text', 'as the boss'], { env: options.env });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('only an admin may act on behalf of another operator (you are "clerk")');
    }
    expect(snapshot(db)).toBe(before);
    // Naming oneself is no request for someone else.
    expectOk(await asClerk(['--operator', 'clerk', 'report', 'note', number, '--text', 'mine']), 'own name');
    expect(query(db, "select operator, entered_by from report_events where kind = 'note'")).toEqual([{ operator: 'clerk', entered_by: null }]);
  });

  it('an account that is no operator gets --help, --version and db status (which says who it is), nothing else', async () => {
    const asStranger = urpAs(stranger, db);
    expectOk(await asStranger(['--help']), '--help');
    expect((await asStranger(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const status = await asStranger(['db', 'status']);
    expectOk(status, 'db status');
    expect(status.stdout).toMatch(new RegExp(`You\\s+account ${stranger.name}: not an operator of this register`));
    expect(JSON.parse((await asStranger(['db', 'status', '--json'])).stdout).you).toEqual({ account: stranger.name, operator: null, role: null, openAccess: false });

    const before = snapshot(db);
    for (const args of [
      ['report', 'list'],
      ['report', 'show', number],
      reportFlags('Di nascosto'),
      ['citizen', 'find', 'rossi'],
      ['overdue'],
      ['export', '--format', 'open311'],
      ['stats'],
      ['db', 'check'],
      ['config', 'list'],
      ['report', 'note', number, '--text', 'x', '--operator', 'boss'],
    ]) {
      const result = await asStranger(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`the account "${stranger.name}" is not an urp operator of this register`);
      expect(result.stdout).toBe('');
    }
    expect(snapshot(db)).toBe(before);
  });

  it('db restore --yes --operator ghost by an account that is no operator is refused, changing nothing', async () => {
    const before = snapshot(db);
    const result = await urpAs(stranger, db)(['db', 'restore', join(workspace.dir, 'shared', 'backup.db'), '--yes', '--operator', 'ghost']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the account "${stranger.name}"`);
    expectNoBugWording(result);
    expect(snapshot(db)).toBe(before);
  });
});

describeSqliteOnly('operating-system accounts; on PostgreSQL logins are bound by db grant')('an operator bound to another account (a register upgraded from when operators were names)', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: SELF });
  afterAll(() => workspace.cleanup());

  it('is rebound by an admin with operator update --os-user; the account that was not an operator then acts as it', async () => {
    expectOk(await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME]), 'first admin');
    // As the migration binds them: each operator to the account of the same name, here one that does not log in.
    expectOk(await urp(['operator', 'add', 'anna', '--role', 'admin', '--os-user', 'anna-old-name']), 'anna');
    expectOk(await urp(['operator', 'disable', 'boss']), 'boss disabled');
    // Now the test account is nobody's: locked out but for db status, which says what to do.
    const locked = await urp(['report', 'list']);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toContain(`the operator of account "${ME}" is disabled`);
    // The register's file is the office's: the owner rebinds with the sqlite3 shell (what README says for this case).
    const raw = new Database(workspace.db);
    raw.prepare('update operators set os_user = ? where name = ?').run(`${ME}-spare`, 'boss');
    raw.prepare('update operators set os_user = ? where name = ?').run(ME, 'anna');
    raw.close();
    expectOk(await urp(['operator', 'update', 'boss', '--os-user', 'boss-login', '--enable', '--full-name', 'Il capo']), 'boss rebound by anna');
    const list = JSON.parse((await urp(['operator', 'list', '--json'])).stdout) as Array<{ name: string; osUser: string; active: boolean; fullName: string | null }>;
    expect(list.find((operator) => operator.name === 'boss')).toMatchObject({ osUser: 'boss-login', active: true, fullName: 'Il capo' });
    const taken = await urp(['operator', 'update', 'boss', '--os-user', ME]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain(`the account "${ME}" already acts as operator "anna"`);
    expect(query(workspace.db, "select kind, text from audit_events where kind = 'operator_updated'")).toEqual([{ kind: 'operator_updated', text: 'account boss-login, full name, enabled' }]);
  });
});
