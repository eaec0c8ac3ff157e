import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { query, snapshot, tempWorkspace, urpWith } from '../helpers/cli.js';
import { type PtySession, startUrpPty } from '../helpers/pty.js';

/**
 * A desk that speaks Italian (issue 16), at a terminal: the confirmation that
 * takes s, si, sì; correcting one field from the summary; the menu that
 * offers only what may be done, asks a refused value again in place and says
 * what it saved; tables no wider than the terminal at 80 and 120 columns;
 * the first screen of a list and the pager.
 */
const TEST_TIMEOUT = 120_000;

let demo: ReturnType<typeof tempWorkspace>;
let urp: ReturnType<typeof urpWith>;
let session: PtySession | undefined;

beforeAll(async () => {
  demo = tempWorkspace({ init: false });
  urp = urpWith(demo.db);
  expect((await urp(['init', '--demo'])).code).toBe(0);
}, TEST_TIMEOUT);
afterEach(() => {
  session?.dispose();
  session = undefined;
});
afterAll(() => demo.cleanup());

async function ok(args: string[]) {
  const result = await urp(args);
  expect(result.code, `urp ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

function start(args: string[], options: { cols?: number; rows?: number; env?: Record<string, string | undefined> } = {}): PtySession {
  session = startUrpPty(['--db', demo.db, ...args], options);
  return session;
}

/** Every flag but the confirmation: the prompts go straight to the summary. */
const WHOLE_REPORT = ['report', 'new', '--type', 'reclamo', '--channel', 'telefono', '--received-at', 'ieri 10:00', '--subject', 'Rumore dal cantiere', '--description', 'Dalle 6 del mattino', '--location', 'Via Manzoni 3', '--category', 'rumore', '--area', 'ambiente', '--citizen', '1'];

const subjectOf = (number: string) => query<{ subject: string; location: string; channel: string }>(demo.db, 'select subject, location, channel from reports where number = ?', number)[0];
const printed = (term: PtySession) => /^(\d{4}\/\d{6})$/m.exec(term.text())?.[1];

describe('the confirmation in Italian', () => {
  test('takes "si" (and refuses what is neither yes nor no, saying what to type)', { timeout: TEST_TIMEOUT }, async () => {
    const term = start(['--lang', 'it', ...WHOLE_REPORT]);
    // The summary: every field that will be stored, the citizen as matched.
    const summary = await term.waitFor(/Tipo +reclamo[\s\S]*Area +ambiente \(Ambiente ed ecologia\)\n/);
    expect(summary).toMatch(/Cittadino +\S+ \S+ \(1, già registrato\)/);
    expect(summary).toMatch(/Recapiti +\S/);
    expect(summary).toMatch(/Descrizione +Dalle 6 del mattino/);
    expect(summary).toMatch(/Luogo +Via Manzoni 3/);
    expect(summary).toMatch(/Ricevuta il +\d{2}\/\d{2}\/\d{4} 10:00/);
    await term.waitFor('? Registrare la pratica? (S/n)');
    term.type('forse');
    term.press('enter');
    await term.waitFor('> rispondere sì o no (s o n)');
    term.press('ctrl-u');
    term.type('si');
    term.press('enter');
    await term.waitFor(/Pratica \d{4}\/\d{6} registrata/);
    expect(await term.exit()).toBe(0);
    expect(subjectOf(printed(term)!)).toMatchObject({ subject: 'Rumore dal cantiere', channel: 'phone' });
  });

  test('takes "sì" and "s"; "n" asks which field to correct', { timeout: TEST_TIMEOUT }, async () => {
    for (const answer of ['sì', 'S']) {
      const term = start(['--lang', 'it', ...WHOLE_REPORT]);
      await term.waitFor('? Registrare la pratica? (S/n)');
      term.type(answer);
      term.press('enter');
      expect(await term.exit(), answer).toBe(0);
      session?.dispose();
    }
    const term = start(['--lang', 'it', ...WHOLE_REPORT]);
    await term.waitFor('? Registrare la pratica? (S/n)');
    term.type('no');
    term.press('enter');
    await term.waitFor('? Quale dato correggere?');
    term.press('ctrl-c');
    expect(await term.exit()).toBe(130);
  });
});

describe('correcting a field from the summary', () => {
  test('only that field is asked again; the rest is kept and stored', { timeout: TEST_TIMEOUT }, async () => {
    const before = query<{ n: number }>(demo.db, 'select count(*) as n from reports')[0]!.n;
    const term = start(['--lang', 'it', ...WHOLE_REPORT]);
    await term.waitFor('? Registrare la pratica? (S/n)');
    term.type('n');
    term.press('enter');
    await term.waitFor('? Quale dato correggere?');
    await term.choose(/^Oggetto$/);
    // The current value is offered, to be changed.
    await term.waitFor('? Oggetto (Rumore dal cantiere)');
    term.press('ctrl-u');
    term.type('Rumore notturno dal cantiere');
    term.press('enter');
    // The summary again, with the new subject, then the confirmation.
    await term.waitFor(/Oggetto +Rumore notturno dal cantiere[\s\S]*Registrare la pratica\?/);
    term.type('s');
    term.press('enter');
    expect(await term.exit()).toBe(0);
    expect(query<{ n: number }>(demo.db, 'select count(*) as n from reports')[0]!.n).toBe(before + 1);
    expect(subjectOf(printed(term)!)).toEqual({ subject: 'Rumore notturno dal cantiere', location: 'Via Manzoni 3', channel: 'phone' });
  });

  test('a paper report asks for its protocol number', { timeout: TEST_TIMEOUT }, async () => {
    const args = WHOLE_REPORT.map((arg) => (arg === 'telefono' ? 'posta' : arg));
    const term = start(['--lang', 'it', ...args]);
    await term.waitFor('? Numero di protocollo (facoltativo)');
    term.type('PROT 2026/0815');
    term.press('enter');
    await term.waitFor(/Protocollo +PROT 2026\/0815/);
    await term.waitFor('? Registrare la pratica?');
    term.press('enter');
    expect(await term.exit()).toBe(0);
    expect(query<{ external_ref: string; channel: string }>(demo.db, 'select external_ref, channel from reports where number = ?', printed(term)!)[0]).toEqual({ external_ref: 'PROT 2026/0815', channel: 'paper' });
  });
});

describe('the menu', () => {
  test('offers only what may be done (the clock stops only once), asks a refused value again in place, and says what it saved', { timeout: TEST_TIMEOUT }, async () => {
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const number = (await ok(['report', 'new', '--type', 'problem', '--channel', 'phone', '--received-at', threeDaysAgo, '--subject', 'Tombino rumoroso', '--area', 'lavori-pubblici', '--citizen', '2'])).stdout.trim();
    const suspended = (await ok(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Panchina rotta', '--area', 'lavori-pubblici', '--citizen', '2'])).stdout.trim();
    await ok(['report', 'ack', suspended]);
    await ok(['report', 'suspend', suspended, '--reason', 'In attesa di foto']);
    await ok(['report', 'resume', suspended]);

    const term = start(['--lang', 'it'], { env: { PAGER: 'cat' } });
    await term.waitFor('? URP — cosa vuole fare?');
    await term.choose('Lavorare una pratica');
    await term.waitFor('? Numero della pratica');
    term.type(suspended);
    term.press('enter');
    await term.waitFor(/\? Azione[\s\S]*← Tornare al menu/);
    const actions = term.text().slice(term.text().lastIndexOf('? Azione'));
    expect(actions).toContain('Rispondere al cittadino');
    // Suspended once already: a second suspension would be refused, so it is not offered.
    expect(actions).not.toContain('Sospendere');
    await term.choose('← Tornare al menu');

    await term.waitFor('? URP — cosa vuole fare?');
    await term.choose('Lavorare una pratica');
    await term.waitFor('? Numero della pratica');
    term.type(number);
    term.press('enter');
    await term.waitFor('? Azione');
    await term.choose('Prendere in carico');
    // Yesterday at noon: after the receipt, before the assignment (now): refused, and asked again.
    await term.waitFor('? Quando è avvenuto');
    term.type('ieri 12:00');
    term.press('enter');
    await term.waitFor('non può precedere il passaggio precedente della pratica');
    await term.waitFor('? Quando è avvenuto');
    term.press('enter');
    await term.waitFor(`${number}: assegnata → presa in carico`);
    await term.waitFor('? URP — cosa vuole fare?');
    await term.choose(/^Esci$/);
    await term.waitFor(`Salvato in questa sessione: ${number} presa in carico`);
    expect(await term.exit()).toBe(0);
    expect(query<{ status: string }>(demo.db, 'select status from reports where number = ?', number)[0]!.status).toBe('acknowledged');
  });

  test('Ctrl-C after a save says what the session saved, not "nothing was written"', { timeout: TEST_TIMEOUT }, async () => {
    const number = (await ok(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Buca', '--citizen', '3'])).stdout.trim();
    const term = start([], { env: { PAGER: 'cat' } });
    await term.waitFor('? URP — what do you want to do?');
    await term.choose('Act on a report');
    await term.waitFor('? Report number');
    term.type(number);
    term.press('enter');
    await term.waitFor('? Action');
    await term.choose('Add an internal note');
    await term.waitFor('? Internal note');
    term.type('Telefonato al cittadino');
    term.press('enter');
    await term.waitFor(`Note added to report ${number}`);
    await term.waitFor('? URP — what do you want to do?');
    await term.choose('Register a report');
    await term.waitFor('? Type');
    term.press('ctrl-c');
    expect(await term.exit()).toBe(130);
    expect(term.text()).toContain(`Cancelled: what was being entered was not saved. Saved in this session: a note on ${number}`);
    expect(term.text()).not.toContain('nothing was written');
  });
});

describe('tables that fit the terminal', () => {
  const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
  for (const cols of [80, 120]) {
    test(`at ${cols} columns no line is wider than the terminal`, { timeout: TEST_TIMEOUT }, async () => {
      for (const args of [['report', 'list', '--limit', '30'], ['overdue'], ['overdue', '--by-area'], ['stats', '--by', 'category'], ['queue'], ['citizen', 'find', 'a'], ['area', 'list'], ['--lang', 'it', 'report', 'list', '--limit', '30'], ['--lang', 'it', 'overdue']]) {
        const term = start(args, { cols, rows: 300, env: { PAGER: 'cat', NO_COLOR: '1' } });
        expect(await term.exit(), args.join(' ')).toBe(0);
        const text = term.text();
        expect(widest(text), `${args.join(' ')} at ${cols}\n${text}`).toBeLessThanOrEqual(cols);
        session?.dispose();
      }
    });
  }

  test('a list shows the first screen and says how many more there are; --all goes through the pager', { timeout: TEST_TIMEOUT }, async () => {
    const total = query<{ n: number }>(demo.db, 'select count(*) as n from reports')[0]!.n;
    const term = start(['report', 'list'], { rows: 20, env: { NO_COLOR: '1' } });
    expect(await term.exit()).toBe(0);
    const rows = term.text().match(/^\d{4}\/\d{6}/gm)!;
    expect(rows).toHaveLength(16);
    expect(term.text()).toContain(`… and ${total - 16} more: urp report list --all, or --limit N`);
    session?.dispose();

    const pager = join(demo.dir, 'pager.sh');
    writeFileSync(pager, `#!/bin/sh\ntouch "${join(demo.dir, 'paged')}"\ncat\n`, { mode: 0o700 });
    const all = start(['report', 'list', '--all'], { rows: 20, env: { PAGER: pager, NO_COLOR: '1' } });
    expect(await all.exit()).toBe(0);
    expect(existsSync(join(demo.dir, 'paged'))).toBe(true);
    expect(all.text().match(/^\d{4}\/\d{6}/gm)).toHaveLength(total);
    session?.dispose();
    // --no-pager: straight to the terminal.
    const plain = start(['--no-pager', 'help', 'deadlines'], { rows: 20, env: { PAGER: join(demo.dir, 'missing-pager') } });
    expect(await plain.exit()).toBe(0);
    expect(plain.text()).toContain('DEADLINES');
  });

  test('a spreadsheet is refused on a terminal, naming --output', { timeout: TEST_TIMEOUT }, async () => {
    const before = snapshot(demo.db);
    const term = start(['report', 'list', '--xlsx']);
    expect(await term.exit()).toBe(2);
    expect(term.text()).toContain('a XLSX file is not for a terminal: give --output FILE');
    expect(snapshot(demo.db)).toBe(before);
  });
});

