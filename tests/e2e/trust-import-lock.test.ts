import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the benchmark, without type declarations
import { writeImportFile } from '../bench/import-file.mjs';
import { URP_BIN, type RunResult, query, tempWorkspace, urpWith, withoutNotice } from '../helpers/cli.js';

/**
 * Issue 10, "a long import locks clerks out": a 200,000-row import runs
 * while three clerks keep registering reports with `report new`. Every one
 * of their commands succeeds (no "database is locked", no exit 1), the
 * numbers stay gap-free, and `db check` passes afterwards.
 */

const ROWS = 200_000;
const CLERKS = 3;
const CATEGORIES = ['strade', 'illuminazione', 'rifiuti', 'verde', 'viabilita', 'rumore'];

interface Timed extends RunResult {
  readonly startedAt: number;
  readonly endedAt: number;
}

function timedUrp(db: string, args: readonly string[], operator: string): Promise<Timed> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [URP_BIN, '--db', db, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', URP_OPERATOR: operator },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, ...withoutNotice(stderr), startedAt, endedAt: performance.now() }));
  });
}

describe(`a ${ROWS.toLocaleString('en')}-row import while ${CLERKS} clerks register reports`, () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  const file = join(workspace.dir, 'history.csv');
  beforeAll(async () => {
    expect((await urp(['area', 'add', 'manutenzione', '--name', 'Manutenzione'])).code).toBe(0);
    for (const code of CATEGORIES) expect((await urp(['category', 'add', code, '--name', code, '--area', 'manutenzione'])).code).toBe(0);
    await writeImportFile(file, ROWS);
  }, 120_000);
  afterAll(() => workspace.cleanup());

  it('every registration succeeds, numbers stay gap-free, db check passes', async () => {
    const importing = timedUrp(workspace.db, ['import', file], 'import-clerk');
    let importDone = false;
    void importing.then(() => (importDone = true));
    const registrations: Timed[] = [];
    const clerk = async (index: number) => {
      for (let round = 0; !importDone || round < 3; round++) {
        registrations.push(
          await timedUrp(
            workspace.db,
            ['report', 'new', '--type', 'segnalazione', '--channel', 'telefono', '--subject', `Sportello ${index}-${round}`, '--category', 'strade',
              '--first-name', 'Carla', '--last-name', `Sportello${index}`, '--phone', `0331 ${String(100_000 + index).slice(-6)}`],
            `clerk-${index}`,
          ),
        );
      }
    };
    const [imported] = await Promise.all([importing, ...Array.from({ length: CLERKS }, (_, index) => clerk(index))]);

    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(new RegExp(`read ${ROWS}, imported ${ROWS}, skipped 0, rejected 0`));
    const failed = registrations.filter((run) => run.code !== 0);
    expect(failed.map((run) => `exit ${run.code}: ${run.stderr.trim()}`)).toEqual([]);
    expect(registrations.map((run) => run.stderr).join('\n')).not.toMatch(/locked|busy|held the register/i);
    // The clerks worked during the import, not only before or after it.
    const during = registrations.filter((run) => run.startedAt > imported.startedAt && run.endedAt < imported.endedAt);
    expect(during.length, `registrations during the import (${Math.round(imported.endedAt - imported.startedAt)} ms)`).toBeGreaterThanOrEqual(CLERKS * 3);
    const slowest = Math.max(...registrations.map((run) => run.endedAt - run.startedAt));
    console.info(`import ${Math.round(imported.endedAt - imported.startedAt)} ms; ${registrations.length} registrations, ${during.length} during it, the slowest ${Math.round(slowest)} ms`);

    // Every number given once, each year's gap-free from 1, its sequence at the highest.
    const numbers = registrations.map((run) => run.stdout.trim());
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const { year, n, highest } of query<{ year: number; n: number; highest: number }>(workspace.db, 'select year, count(*) as n, max(sequence) as highest from reports group by year')) {
      expect(highest, `numbers of ${year}`).toBe(n);
      expect(query(workspace.db, 'select last_value from report_sequences where year = ?', year), `sequence of ${year}`).toEqual([{ last_value: n }]);
    }
    expect(query(workspace.db, 'select count(*) as n from reports')).toEqual([{ n: ROWS + registrations.length }]);
    const check = await urp(['db', 'check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  }, 300_000);
});
