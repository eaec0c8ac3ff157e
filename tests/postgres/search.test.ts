import { mkdtempSync, rmSync } from 'node:fs';
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
});
