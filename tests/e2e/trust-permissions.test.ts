import { chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_ACCESS } from '../../src/cli/command-access.js';
import { ME, tempWorkspace, describeSqliteOnly } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';
import { type OsAccount, OsFixtures, rootOnly, runUrpAs } from '../helpers/os-users.js';

/**
 * Issue 10, deliver 2: the command × role table in README.md is the
 * contract. This file reads that table and walks every row as every role
 * (admin, urp, area in process, the admin acting for the others; and, as
 * root, an OS account that is no operator through a subprocess): a role the
 * table allows is never refused for its role, a role it does not allow
 * always is. A second test checks that the table and COMMAND_ACCESS
 * (src/cli/command-access.ts) say the same.
 *
 * Every run gets a fresh copy of one prepared register, so each command can
 * do its real work (restore, erase, disable) without disturbing the next.
 */

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

type Role = 'admin' | 'urp' | 'area';
const ROLES: readonly Role[] = ['admin', 'urp', 'area'];

interface TableRow {
  /** As written: `report new`, `overdue --with-citizen`, `urp` (the menu). */
  readonly label: string;
  /** The COMMAND_ACCESS key it belongs to. */
  readonly command: string;
  readonly allowed: Record<Role | 'nobody', boolean>;
  readonly areaScoped: boolean;
  readonly store: string;
}

/** The table under "Operators and roles" whose header starts with `| command | admin |`. */
function readmeTable(): TableRow[] {
  const lines = README.split('\n');
  const start = lines.findIndex((line) => /^\| command \| admin \| urp \| area \| not an operator \| register \|$/.test(line));
  if (start < 0) throw new Error('README.md has no command × role table (| command | admin | urp | area | not an operator | register |)');
  const rows: TableRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    // Cells split on | not escaped as \|.
    const cells = line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
    if (cells.length !== 6) throw new Error(`README table row with ${cells.length} cells: ${line}`);
    const [name, admin, urp, area, nobody, store] = cells as [string, string, string, string, string, string];
    const label = /`([^`]+)`/.exec(name)?.[1];
    if (!label) throw new Error(`README table row without a command: ${line}`);
    const yes = (cell: string) => {
      if (cell === 'yes' || cell === 'own areas') return true;
      if (cell === '—') return false;
      throw new Error(`README table cell "${cell}" is neither yes, own areas nor —: ${line}`);
    };
    const command = label === 'urp' ? 'menu' : label.split(' --')[0]!;
    rows.push({ label, command, allowed: { admin: yes(admin), urp: yes(urp), area: yes(area), nobody: yes(nobody) }, areaScoped: area === 'own areas', store });
  }
  return rows;
}

const TABLE = readmeTable();

describe('the command × role table in README.md', () => {
  it('says what src/cli/command-access.ts says, row by row, and nothing more', () => {
    const commandRows = TABLE.filter((row) => !row.label.includes(' --'));
    expect(commandRows.map((row) => row.command).sort()).toEqual(Object.keys(COMMAND_ACCESS).sort());
    for (const row of commandRows) {
      const access = COMMAND_ACCESS[row.command as keyof typeof COMMAND_ACCESS];
      const roles = access.roles === 'anyone' ? ['admin', 'urp', 'area'] : access.roles;
      expect({ command: row.command, admin: row.allowed.admin, urp: row.allowed.urp, area: row.allowed.area, nobody: row.allowed.nobody, areaScoped: row.areaScoped, store: row.store }).toEqual({
        command: row.command,
        admin: roles.includes('admin'),
        urp: roles.includes('urp'),
        area: roles.includes('area'),
        nobody: access.roles === 'anyone',
        areaScoped: 'areaScoped' in access && access.areaScoped === true,
        store: access.store,
      });
    }
    // A finer rule (an option) only narrows its command's rule.
    for (const row of TABLE.filter((each) => each.label.includes(' --'))) {
      const base = TABLE.find((each) => each.label === row.command)!;
      expect(base, `the row of ${row.command}`).toBeDefined();
      for (const role of [...ROLES, 'nobody'] as const) if (row.allowed[role]) expect(base.allowed[role], `${row.label} for ${role}`).toBe(true);
    }
  });
});

/** Operators of the prepared register: boss is the test account; clerk and ferretti are acted for (an admin acting takes their role). */
const AS: Record<Role, Record<string, string>> = {
  admin: { URP_OPERATOR: 'boss' },
  urp: { URP_OPERATOR: 'clerk' },
  area: { URP_OPERATOR: 'ferretti' },
};

/** What each row runs (valid for commander and for the command, so that an allowed role gets its work done). */
function argumentsFor(label: string, dir: string, numbers: Record<string, string>): { args: string[]; codes?: readonly number[] } {
  const out = (name: string) => join(dir, name);
  const table: Record<string, { args: string[]; codes?: readonly number[] }> = {
    init: { args: ['init'] },
    urp: { args: ['menu'], codes: [2] /* no terminal here: after the register was opened and the role admitted */ },
    'area add': { args: ['area', 'add', 'verde', '--name', 'Verde pubblico'] },
    'area list': { args: ['area', 'list'] },
    'area update': { args: ['area', 'update', 'ambiente', '--manager', 'Dott.ssa Lombardi'] },
    'area disable': { args: ['area', 'disable', 'strade'] },
    'category add': { args: ['category', 'add', 'alberi', '--name', 'Alberi', '--area', 'ambiente'] },
    'category list': { args: ['category', 'list'] },
    'category update': { args: ['category', 'update', 'rifiuti', '--name', 'Rifiuti urbani'] },
    'category disable': { args: ['category', 'disable', 'buche'] },
    'citizen add': { args: ['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Bianchi', '--email', 'anna.bianchi@example.it'] },
    'citizen find': { args: ['citizen', 'find', 'rossi'] },
    'citizen show': { args: ['citizen', 'show', '1'] },
    'citizen update': { args: ['citizen', 'update', '1', '--address', 'Via Roma 1'] },
    'citizen export': { args: ['citizen', 'export', '1'] },
    'citizen erase': { args: ['citizen', 'erase', '1', '--force', '--yes'] },
    'report new': { args: ['report', 'new', '--type', 'reclamo', '--channel', 'telefono', '--subject', 'Cassonetto rotto', '--category', 'rifiuti', '--citizen', '1'] },
    'report show': { args: ['report', 'show', numbers.assigned!] },
    'report list': { args: ['report', 'list'] },
    'report assign': { args: ['report', 'assign', numbers.registered!, '--area', 'ambiente'] },
    'report ack': { args: ['report', 'ack', numbers.assigned!] },
    'report return': { args: ['report', 'return', numbers.assigned!, '--reason', 'Non di competenza'] },
    'report suspend': { args: ['report', 'suspend', numbers.acknowledged!, '--reason', 'In attesa di foto'] },
    'report resume': { args: ['report', 'resume', numbers.suspended!] },
    'report reply': { args: ['report', 'reply', numbers.acknowledged!, '--text', 'Svuotato.', '--outcome', 'risolta', '--via', 'lettera'] },
    'report note': { args: ['report', 'note', numbers.assigned!, '--text', 'Sopralluogo fatto'] },
    'report close': { args: ['report', 'close', numbers.answered!] },
    'report reject': { args: ['report', 'reject', numbers.registered!, '--reason', 'Doppione'] },
    'report reopen': { args: ['report', 'reopen', numbers.closed!, '--reason', 'Si è ripresentato'] },
    'report letter': { args: ['report', 'letter', numbers.answered!, '--output', out('letter.pdf')] },
    'reply-template add': { args: ['reply-template', 'add', 'svuotato', '--title', 'Svuotato', '--file', join(dir, '..', 'template.txt')] },
    'reply-template list': { args: ['reply-template', 'list'] },
    'reply-template show': { args: ['reply-template', 'show', 'lampione'] },
    'reply-template disable': { args: ['reply-template', 'disable', 'lampione'] },
    review: { args: ['review', '--format', 'html', '--output', out('review.html')] },
    queue: { args: ['queue'] },
    overdue: { args: ['overdue'] },
    'overdue --with-citizen': { args: ['overdue', '--with-citizen'] },
    stats: { args: ['stats'] },
    import: { args: ['import', join(dir, '..', 'import.csv')] },
    export: { args: ['export', '--format', 'open311', '--output', out('open311.json')] },
    'export --format csv|json|jsonl': { args: ['export', '--output', out('export.csv')] },
    // The mail server of the prepared register does not answer: the messages stay pending (exit 3).
    'mail send': { args: ['mail', 'send'], codes: [3] },
    'mail digest': { args: ['mail', 'digest'] },
    'outbox list': { args: ['outbox', 'list'] },
    // The message is pending, not failed: refused by the outbox's own rule (exit 2), after the role was admitted.
    'outbox retry': { args: ['outbox', 'retry', '1'], codes: [0, 2] },
    'template list': { args: ['template', 'list'] },
    'template show': { args: ['template', 'show', 'receipt'] },
    'template set': { args: ['template', 'set', 'receipt', '--default'] },
    'template preview': { args: ['template', 'preview', 'receipt', numbers.assigned!] },
    'privacy retention': { args: ['privacy', 'retention', '--older-than', '5y', '--yes'] },
    'privacy backups': { args: ['privacy', 'backups'] },
    'operator add': { args: ['operator', 'add', 'nuovo', '--role', 'urp', '--os-user', 'urp-walk-nuovo'] },
    'operator list': { args: ['operator', 'list'] },
    'operator disable': { args: ['operator', 'disable', 'clerk'] },
    'config list': { args: ['config', 'list'] },
    'config get': { args: ['config', 'get', 'due-soon-days'] },
    'config set': { args: ['config', 'set', 'due-soon-days', '4'] },
    'config holidays': { args: ['config', 'holidays', '--year', '2027'] },
    'operator update': { args: ['operator', 'update', 'boss', '--full-name', 'Capo'] },
    'db status': { args: ['db', 'status'] },
    // Neither opens the register: anyone may ask.
    help: { args: ['help', 'deadlines'] },
    completion: { args: ['completion', 'bash'] },
    'db check': { args: ['db', 'check'] },
    'db backup': { args: ['db', 'backup', out('backup.db')] },
    'db restore': { args: ['db', 'restore', join(dir, '..', 'backup.db'), '--yes'] },
    'db migrate': { args: ['db', 'migrate'] },
    'db copy': { args: ['db', 'copy', '--to', out('copy.db')] },
    // PostgreSQL only: on a file register it is refused by its own rule (exit 2), after the role was admitted.
    'db grant': { args: ['db', 'grant', 'anna', '--role', 'urp'], codes: [2] },
  };
  const entry = table[label];
  if (!entry) throw new Error(`no arguments for the README row "${label}": add them to this test`);
  return entry;
}

/** The refusal of a role (identity.roleRefused, and export's own for area operators). */
const ROLE_REFUSED = /is not allowed to operator "[^"]+" \(|an area operator exports only without personal data/;
/** The refusal of an account that is no operator (identity.unknownAccount). */
const NOT_AN_OPERATOR = /the account "[^"]+" is not an urp operator of this register/;

describeSqliteOnly("each row runs on a copy of the register's file")('every row of the table, as every role', () => {
  const workspace = tempWorkspace();
  const template = workspace.db;
  const numbers: Record<string, string> = {};
  let run = 0;

  /** A fresh copy of the prepared register in a folder of its own. */
  function copy(): { db: string; dir: string } {
    const dir = join(workspace.dir, `run-${++run}`);
    mkdirSync(dir);
    const db = join(dir, 'urp.db');
    copyFileSync(template, db);
    return { db, dir };
  }

  beforeAll(async () => {
    const ok = async (args: string[], env: Record<string, string> = AS.admin) => {
      const result = await runMain(['--db', template, ...args], env);
      if (result.code !== 0) throw new Error(`${args.join(' ')}: ${result.stderr}`);
      return result.stdout.trim();
    };
    await ok(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME], {});
    for (const [code, name] of [['ambiente', 'Ambiente'], ['strade', 'Strade']]) await ok(['area', 'add', code!, '--name', name!]);
    await ok(['category', 'add', 'rifiuti', '--name', 'Rifiuti', '--area', 'ambiente']);
    await ok(['category', 'add', 'buche', '--name', 'Buche', '--area', 'strade']);
    await ok(['operator', 'add', 'clerk', '--role', 'urp', '--os-user', 'urp-walk-clerk']);
    await ok(['operator', 'add', 'ferretti', '--role', 'area', '--area', 'ambiente', '--os-user', 'urp-walk-ferretti']);
    // A mail server that does not answer: messages are queued, and stay pending.
    await ok(['config', 'set', 'mail-smtp', 'smtp://127.0.0.1:9?timeout=2']);
    await ok(['config', 'set', 'mail-from', 'urp@comune.valdoria.it']);
    const report = (subject: string) =>
      ok(['report', 'new', '--type', 'segnalazione', '--channel', 'telefono', '--subject', subject, '--category', 'rifiuti',
        '--first-name', 'Mario', '--last-name', 'Rossi', '--email', 'mario.rossi@example.it', '--address', 'Via Garibaldi 3, 21100 Valdoria']);
    numbers.registered = await report('Da assegnare');
    for (const state of ['assigned', 'acknowledged', 'suspended', 'answered', 'closed']) {
      const number = (numbers[state] = await report(`Stato ${state}`));
      await ok(['report', 'assign', number, '--area', 'ambiente']);
      if (state === 'assigned') continue;
      await ok(['report', 'ack', number]);
      if (state === 'suspended') await ok(['report', 'suspend', number, '--reason', 'Attesa']);
      if (state === 'answered' || state === 'closed') await ok(['report', 'reply', number, '--text', 'Fatto.', '--outcome', 'risolta', '--via', 'lettera']);
      if (state === 'closed') await ok(['report', 'close', number]);
    }
    writeFileSync(join(workspace.dir, 'template.txt'), 'Gentile {citizenName}, il cassonetto è stato svuotato.\n');
    await ok(['reply-template', 'add', 'lampione', '--title', 'Lampione', '--file', join(workspace.dir, 'template.txt')]);
    writeFileSync(
      join(workspace.dir, 'import.csv'),
      'tipo;canale;data;nome;cognome;email;oggetto;categoria\nsegnalazione;telefono;20/11/2026 09:30;Luigi;Verdi;luigi.verdi@example.it;Cestino pieno;rifiuti\n',
    );
    await ok(['db', 'backup', join(workspace.dir, 'backup.db')]);
  });
  afterAll(() => workspace.cleanup());

  it('lists a runnable line for every row', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(Object.keys(COMMAND_ACCESS).length);
    for (const row of TABLE) expect(() => argumentsFor(row.label, workspace.dir, numbers)).not.toThrow();
  });

  for (const role of ROLES) {
    it(`as ${role}: allowed exactly where the table says yes`, async () => {
      const wrong: string[] = [];
      for (const row of TABLE) {
        const { db, dir } = copy();
        const { args, codes = [0] } = argumentsFor(row.label, dir, numbers);
        const result = await runMain(['--db', db, ...args], AS[role]);
        const refused = result.code === 2 && ROLE_REFUSED.test(result.stderr);
        if (row.allowed[role] && (refused || !codes.includes(result.code))) wrong.push(`${row.label}: allowed, but exit ${result.code}: ${result.stderr.trim()}`);
        if (!row.allowed[role] && !refused) wrong.push(`${row.label}: not for ${role}, but exit ${result.code}: ${result.stderr.trim().slice(0, 200)}`);
      }
      expect(wrong).toEqual([]);
    }, 300_000);
  }

  describe.skipIf(rootOnly('the table walked as an OS account that is no operator'))('as an OS account that is no operator', () => {
    const os = new OsFixtures();
    let stranger: OsAccount;
    beforeAll(() => {
      stranger = os.user('nobody');
      // The stranger must be able to reach the copies: only the register decides who it is.
      chmodSync(workspace.dir, 0o755);
    });
    afterAll(() => os.cleanup());

    it('runs db status only; everything else is refused naming the account', async () => {
      const jobs = TABLE.map((row) => async () => {
        const { db, dir } = copy();
        for (const path of [dir, db]) chownSync(path, stranger.uid, stranger.gid);
        const { args } = argumentsFor(row.label, dir, numbers);
        const result = await runUrpAs(stranger, ['--db', db, ...args]);
        const refused = result.code === 2 && NOT_AN_OPERATOR.test(result.stderr) && result.stderr.includes(`"${stranger.name}"`);
        if (row.allowed.nobody && (refused || result.code !== 0)) return `${row.label}: allowed, but exit ${result.code}: ${result.stderr.trim()}`;
        if (!row.allowed.nobody && !refused) return `${row.label}: refused to a stranger, but exit ${result.code}: ${result.stderr.trim().slice(0, 200)}`;
        return undefined;
      });
      const wrong: string[] = [];
      // Four at a time: subprocesses on a 2-core machine.
      for (let index = 0; index < jobs.length; index += 4) {
        for (const problem of await Promise.all(jobs.slice(index, index + 4).map((job) => job()))) if (problem) wrong.push(problem);
      }
      expect(wrong).toEqual([]);
    }, 300_000);
  });
});
