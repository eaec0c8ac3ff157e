import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunResult, addAreasAndCategories, query, snapshot, tempWorkspace, urpWith } from '../helpers/cli.js';

/**
 * Issue 10, "the round trip breaks on old dates": a receipt before the
 * register's floor (1 January 1990, Rome time, unless `config set
 * earliest-receipt` says otherwise) is refused by report new and by import;
 * the floor can be lowered; and the extremes urp accepts (the floor's first
 * minute and now) come back unchanged from export then import into an empty
 * register.
 */

const citizen = ['--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '333 1234567'];
const reportAt = (at: string, subject = `Ricevuta ${at}`) => ['report', 'new', '--type', 'segnalazione', '--channel', 'telefono', '--subject', subject, '--category', 'buche', '--received-at', at, ...citizen];

function expectOk(result: RunResult, what: string): string {
  expect(result.code, `${what}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

/** What must survive the round trip, report by report. */
const REPORT_COLUMNS = 'number, type, channel, status, subject, received_at, registered_at, assign_due_at, reply_due_at';

async function roundTrip(from: ReturnType<typeof tempWorkspace>, format: 'csv' | 'json' | 'jsonl', floor?: string): Promise<void> {
  const to = tempWorkspace();
  try {
    const target = urpWith(to.db);
    await addAreasAndCategories(target);
    if (floor) expectOk(await target(['config', 'set', 'earliest-receipt', floor]), 'floor in the copy');
    const file = join(from.dir, `export.${format}`);
    expectOk(await urpWith(from.db)(['export', '--format', format, '--output', file]), `export ${format}`);
    expectOk(await target(['import', file]), `import ${format}`);
    expect(query(to.db, `select ${REPORT_COLUMNS} from reports order by number`)).toEqual(query(from.db, `select ${REPORT_COLUMNS} from reports order by number`));
  } finally {
    to.cleanup();
  }
}

describe('the floor of the register (default 1 January 1990, Rome time)', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  afterAll(() => workspace.cleanup());

  it('report new refuses a receipt before it, with a clear message, writing nothing', async () => {
    await addAreasAndCategories(urp);
    const before = snapshot(workspace.db);
    for (const at of ['1900-01-01', '1989-12-31T23:59', '31/12/1989 23:59']) {
      const result = await urp(reportAt(at));
      expect(result.code, at).toBe(2);
      expect(result.stderr).toBe('urp: error: --received-at: is before 1990-01-01, the earliest receipt this register accepts (config set earliest-receipt)\n');
    }
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('import refuses such a row (all or nothing)', async () => {
    const file = join(workspace.dir, 'old.csv');
    writeFileSync(file, 'tipo;canale;data;nome;cognome;telefono;oggetto\nreclamo;telefono;10/05/2000 10:00;Anna;Verdi;3331112222;Recente\nreclamo;telefono;01/01/1900 10:00;Anna;Verdi;3331112222;Antica\n');
    const before = snapshot(workspace.db);
    const result = await urp(['import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('line 3, field data: is before 1990-01-01, the earliest receipt this register accepts');
    expect(snapshot(workspace.db)).toBe(before);
  });

  it("accepts the floor's first minute in Rome time and now; both come back unchanged from export and import (CSV, JSON, JSON Lines)", async () => {
    const first = expectOk(await urp(reportAt('1990-01-01T00:00', 'Il primo minuto')), 'the first minute');
    expectOk(await urp(['report', 'new', '--type', 'reclamo', '--channel', 'telefono', '--subject', 'Adesso', '--category', 'buche', ...citizen]), 'now');
    // 00:00 in Rome on 1 January is 23:00 UTC the day before.
    expect(query(workspace.db, 'select received_at from reports where number = ?', first)).toEqual([{ received_at: '1989-12-31T23:00:00.000Z' }]);
    for (const format of ['csv', 'json', 'jsonl'] as const) await roundTrip(workspace, format);
  });
});

describe('config set earliest-receipt lowers the floor', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  afterAll(() => workspace.cleanup());

  it('accepts receipts from the new floor, refuses those before it, and the extremes survive the round trip', async () => {
    await addAreasAndCategories(urp);
    expectOk(await urp(['config', 'set', 'earliest-receipt', '1980-01-01']), 'config set');
    expect(expectOk(await urp(['config', 'get', 'earliest-receipt']), 'config get')).toBe('1980-01-01');
    const before = await urp(reportAt('1979-12-31T23:59'));
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('is before 1980-01-01, the earliest receipt this register accepts');
    expectOk(await urp(reportAt('1985-06-15T10:00')), 'a receipt of 1985');
    const first = expectOk(await urp(reportAt('01/01/1980 00:00', 'Il primo minuto')), 'the first minute');
    expect(query(workspace.db, 'select received_at from reports where number = ?', first)).toEqual([{ received_at: '1979-12-31T23:00:00.000Z' }]);
    expectOk(await urp(['report', 'new', '--type', 'reclamo', '--channel', 'telefono', '--subject', 'Adesso', '--category', 'buche', ...citizen]), 'now');
    for (const format of ['csv', 'json'] as const) await roundTrip(workspace, format, '1980-01-01');
  });

  it('refuses a floor that is not a date from 1900', async () => {
    for (const value of ['1899-12-31', '1990-02-30', 'yesterday']) {
      const result = await urp(['config', 'set', 'earliest-receipt', value]);
      expect(result.code, value).toBe(2);
    }
  });
});
