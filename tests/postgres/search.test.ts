import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, tempWorkspace, testServer, urpWith } from '../helpers/cli.js';
import { psql } from '../helpers/postgres-cluster.mjs';

/**
 * Issue 12 on PostgreSQL: searches read trigram indexes (pg_trgm) on the
 * folded texts, and find what a search on SQLite finds. Without the
 * indexes (a server where the extension could not be created) the same
 * conditions are read row by row: the same reports, in the same order.
 */
let workspace: ReturnType<typeof tempWorkspace>;
let urp: ReturnType<typeof urpWith>;
let folder: string;
let fileUrp: ReturnType<typeof urpWith>;
const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

beforeAll(async () => {
  workspace = tempWorkspace({ init: false });
  urp = urpWith(workspace.db);
  folder = mkdtempSync(join(tmpdir(), 'urp-search-'));
  fileUrp = urpWith(join(folder, 'urp.db'));
  expect((await fileUrp(['init', '--demo'])).code).toBe(0);
  expect((await fileUrp(['db', 'copy', '--to', workspace.db])).code).toBe(0);
}, 120_000);
afterAll(() => {
  workspace.cleanup();
  rmSync(folder, { recursive: true, force: true });
});

const SEARCHES = ['lampion', 'LAMPIONE', 'Rossi', 'rossi, alessandro', 'via', '44', '2026/44', 'ab', 'zzzz'];
const CITIZENS = ['ros', 'Rossi Alessandro', 'posta.valdoria', 'xyzw'];

async function results(run: ReturnType<typeof urpWith>) {
  const found: Record<string, string[]> = {};
  for (const text of SEARCHES) {
    const listed = await run(['report', 'list', '--search', text, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    found[`report ${text}`] = JSON.parse(listed.stdout).map((report: { number: string }) => report.number);
    // With a limit, a server first looks among the newest reports, then gathers the matches when too few were there.
    for (const limit of ['2', '20']) {
      const first = await run(['report', 'list', '--search', text, '--limit', limit, '--json']);
      found[`report ${text} --limit ${limit}`] = JSON.parse(first.stdout).map((report: { number: string }) => report.number);
    }
  }
  for (const text of CITIZENS) {
    const citizens = await run(['citizen', 'find', text, '--json']);
    found[`citizen ${text}`] = citizens.code === 0 && citizens.stdout.trim() ? JSON.parse(citizens.stdout).map((citizen: { id: number }) => citizen.id) : [];
  }
  return found;
}

describe('search on PostgreSQL', () => {
  it('has its trigram indexes, which the server uses for a search', () => {
    const indexes = query<{ name: string }>(workspace.db, `select indexname as name from pg_indexes where indexname like '%trigram' order by 1`).map((row) => row.name);
    expect(indexes).toEqual(['citizens_email_trigram', 'citizens_name_trigram', 'citizens_phone_trigram', 'reports_text_trigram']);
    const plan = psql(testServer(), databaseOf(workspace.db), `set enable_seqscan = off; explain select id from reports where urp_report_text(subject, description, location) like '%lampion%'`);
    expect(plan).toContain('reports_text_trigram');
  });

  it('finds what SQLite finds, in the same order, with the indexes and without them', async () => {
    const onFile = await results(fileUrp);
    expect(onFile['report lampion']!.length).toBeGreaterThan(0);
    expect(onFile['report 44']).toContain('2026/000044');
    expect(await results(urp)).toEqual(onFile);
    psql(testServer(), databaseOf(workspace.db), 'drop index reports_text_trigram, citizens_name_trigram, citizens_email_trigram, citizens_phone_trigram');
    expect(await results(urp)).toEqual(onFile);
  }, 120_000);

  it('lists the newest matches of all when the newest reports hold too few of them', async () => {
    // 2,100 reports: a citizen's 100 oldest, then 2,000 newer of others. The server's first look (the newest
    // 2,000) finds none of the name; the matches are then gathered, put in order and cut to the limit.
    const server = tempWorkspace({ init: false });
    const file = join(folder, 'many.db');
    try {
      const lines = ['tipo;canale;data;nome;cognome;email;oggetto'];
      for (let index = 1; index <= 2_100; index++) {
        const day = new Date(Date.UTC(2025, 0, 1) + index * 3_600_000);
        const when = `${String(day.getUTCDate()).padStart(2, '0')}/${String(day.getUTCMonth() + 1).padStart(2, '0')}/${day.getUTCFullYear()} ${String(day.getUTCHours()).padStart(2, '0')}:00`;
        const [first, last] = index <= 100 ? ['Ottavio', 'Zaccaria'] : ['Anna', `Verdi${index % 50}`];
        lines.push(`segnalazione;telefono;${when};${first};${last};${last.toLowerCase()}@example.it;Buca ${index}`);
      }
      writeFileSync(join(folder, 'many.csv'), `${lines.join('\n')}\n`);
      const onFile = urpWith(file);
      expect((await onFile(['init'])).code).toBe(0);
      const imported = await onFile(['import', join(folder, 'many.csv')]);
      expect(imported.code, imported.stderr).toBe(0);
      expect((await onFile(['db', 'copy', '--to', server.db])).code).toBe(0);
      const onServer = urpWith(server.db);
      const numbers = async (run: ReturnType<typeof urpWith>, args: string[]) => {
        const listed = await run(['report', 'list', ...args, '--json']);
        expect(listed.code, listed.stderr).toBe(0);
        return JSON.parse(listed.stdout).map((report: { number: string }) => report.number);
      };
      const year = new Date().getUTCFullYear();
      // The citizen's newest 20, newest first (numbered in the file's order, which is that of receipt).
      const newest = Array.from({ length: 20 }, (_, index) => `${year}/${String(100 - index).padStart(6, '0')}`);
      for (const args of [['--search', 'Zaccaria Ottavio', '--limit', '20'], ['--search', 'zaccaria', '--limit', '20'], ['--search', 'Buca 7', '--limit', '20'], ['--search', 'Zaccaria', '--status', 'registered', '--to', '2025-01-04', '--limit', '5']]) {
        const found = await numbers(onServer, args);
        expect(found, args.join(' ')).toEqual(await numbers(onFile, args));
        if (args[1] === 'Zaccaria Ottavio') expect(found).toEqual(newest);
      }
    } finally {
      server.cleanup();
    }
  }, 180_000);
});
