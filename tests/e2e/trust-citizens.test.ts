import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTaxCode } from '../../src/domain/tax-code.js';
import { type RunResult, query, snapshot, tempWorkspace, urpWith } from '../helpers/cli.js';
import { type PtySession, startUrpPty } from '../helpers/pty.js';

/**
 * Issue 10, "a report can be filed under the wrong person": a tax code,
 * e-mail or phone that belongs to a citizen of another name is refused on
 * flags and in an import (exit 2, naming that citizen by id only), and in
 * the prompts offered as "use that citizen, or enter another"; the summary
 * names the citizen the report is actually filed under. Contacts given for a
 * matched citizen are added to that citizen, and the timeline says so.
 */

const GIUSEPPE = {
  firstName: 'Giuseppe',
  lastName: 'Verdi',
  taxCode: buildTaxCode({ firstName: 'Giuseppe', lastName: 'Verdi', birthDate: { year: 1953, month: 10, day: 10 }, female: false, birthplaceCode: 'H501' }),
  email: 'giuseppe.verdi@example.it',
  phone: '3331112222',
};
const PAOLO_EMAIL = 'paolo.neri@example.it';

const paoloNeri = (...contact: string[]) => [
  'report', 'new', '--type', 'reclamo', '--channel', 'sportello', '--subject', 'Marciapiede rotto', '--first-name', 'Paolo', '--last-name', 'Neri', ...contact,
];

function expectNoPersonalData(result: RunResult): void {
  for (const value of [GIUSEPPE.firstName, GIUSEPPE.lastName, GIUSEPPE.taxCode, GIUSEPPE.email, GIUSEPPE.phone, PAOLO_EMAIL]) expect(result.stderr).not.toContain(value);
}

describe('one citizen, one identity: flags and import', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  let giuseppe: number;
  beforeAll(async () => {
    const added = await urp(['citizen', 'add', '--first-name', GIUSEPPE.firstName, '--last-name', GIUSEPPE.lastName, '--tax-code', GIUSEPPE.taxCode, '--email', GIUSEPPE.email, '--phone', GIUSEPPE.phone]);
    expect(added.code, added.stderr).toBe(0);
    giuseppe = Number(added.stdout.trim());
  });
  afterAll(() => workspace.cleanup());

  it("refuses Paolo Neri with Giuseppe Verdi's tax code (and keeps Paolo's e-mail out of Giuseppe's record)", async () => {
    const before = snapshot(workspace.db);
    const result = await urp(paoloNeri('--tax-code', GIUSEPPE.taxCode, '--email', PAOLO_EMAIL));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`urp: error: --tax-code: this tax code belongs to citizen ${giuseppe}, registered under another name: use --citizen ${giuseppe} if it is them, or check the code\n`);
    expect(result.stdout).toBe('');
    expectNoPersonalData(result);
    expect(snapshot(workspace.db)).toBe(before);
  });

  it("refuses Paolo Neri with Giuseppe Verdi's e-mail or phone", async () => {
    const before = snapshot(workspace.db);
    const byEmail = await urp(paoloNeri('--email', GIUSEPPE.email));
    expect(byEmail.code).toBe(2);
    expect(byEmail.stderr).toContain(`--email: this e-mail belongs to citizen ${giuseppe}, registered under another name`);
    const byPhone = await urp(paoloNeri('--phone', '333 111 2222'));
    expect(byPhone.code).toBe(2);
    expect(byPhone.stderr).toContain(`--phone: this phone belongs to citizen ${giuseppe}, registered under another name`);
    for (const result of [byEmail, byPhone]) expectNoPersonalData(result);
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('refuses the same rows in an import, naming the line and the citizen by id; all or nothing', async () => {
    const file = join(workspace.dir, 'rows.csv');
    writeFileSync(
      file,
      [
        'tipo;canale;data;nome;cognome;codice_fiscale;email;telefono;oggetto',
        'reclamo;sportello;20/11/2026 10:00;Anna;Bianchi;;anna.bianchi@example.it;;Buca',
        `reclamo;sportello;20/11/2026 10:00;Paolo;Neri;${GIUSEPPE.taxCode};${PAOLO_EMAIL};;Marciapiede rotto`,
        `reclamo;sportello;20/11/2026 10:00;Paolo;Neri;;${GIUSEPPE.email};;Marciapiede rotto`,
        'reclamo;sportello;20/11/2026 10:00;Paolo;Neri;;;333 1112222;Marciapiede rotto',
      ].join('\n'),
    );
    const before = snapshot(workspace.db);
    const result = await urp(['import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`line 3, field codice_fiscale: this tax code belongs to citizen ${giuseppe}, registered under another name`);
    expect(result.stderr).toContain(`line 4, field email: this e-mail belongs to citizen ${giuseppe}, registered under another name`);
    expect(result.stderr).toContain(`line 5, field telefono: this phone belongs to citizen ${giuseppe}, registered under another name`);
    expectNoPersonalData(result);
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('adds the new contacts given for a matched citizen, with report new (the timeline says so) and with import (the audit log does)', async () => {
    const registered = await urp([
      'report', 'new', '--type', 'reclamo', '--channel', 'sportello', '--subject', 'Lampione', '--first-name', 'Giuseppe', '--last-name', 'Verdi',
      '--tax-code', GIUSEPPE.taxCode, '--pec', 'giuseppe.verdi@pec.example.it',
    ]);
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stderr).toContain(`Citizen ${giuseppe}: --pec added`);
    const number = registered.stdout.trim();
    expect(query(workspace.db, 'select citizen_id from reports where number = ?', number)).toEqual([{ citizen_id: giuseppe }]);
    expect((await urp(['report', 'show', number])).stdout).toContain("contacts added to the citizen's record");

    const file = join(workspace.dir, 'more.csv');
    writeFileSync(file, `tipo;canale;data;nome;cognome;email;indirizzo;oggetto\nreclamo;pec;20/11/2026 10:00;Giuseppe;Verdi;${GIUSEPPE.email};Via Busseto 3, 43011 Busseto;Rumore\n`);
    const imported = await urp(['import', file]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(query(workspace.db, 'select count(*) as n from citizens')).toEqual([{ n: 1 }]);
    expect(query(workspace.db, 'select address, pec, email, phone from citizens where id = ?', giuseppe)).toEqual([
      { address: 'Via Busseto 3, 43011 Busseto', pec: 'giuseppe.verdi@pec.example.it', email: GIUSEPPE.email, phone: `+39${GIUSEPPE.phone}` },
    ]);
    // The import records the addition in the audit log, by field name, and on the imported report's timeline, as report new does.
    expect(query(workspace.db, "select kind, subject, text from audit_events where kind = 'citizen_updated' order by id")).toEqual([
      { kind: 'citizen_updated', subject: `citizen:${giuseppe}`, text: 'pec' },
      { kind: 'citizen_updated', subject: `citizen:${giuseppe}`, text: 'address' },
    ]);
    expect(
      query(workspace.db, "select e.kind, e.text from report_events e join reports r on r.id = e.report_id where r.subject = 'Rumore' and e.kind = 'citizen_contacts_added'"),
    ).toEqual([{ kind: 'citizen_contacts_added', text: 'address' }]);
  });
});

describe('one citizen, one identity: the prompts', () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  let session: PtySession | undefined;
  let giuseppe: number;
  const TIMEOUT = 120_000;

  const start = async () => {
    workspace = tempWorkspace();
    const added = await urpWith(workspace.db)(['citizen', 'add', '--first-name', GIUSEPPE.firstName, '--last-name', GIUSEPPE.lastName, '--email', GIUSEPPE.email]);
    expect(added.code, added.stderr).toBe(0);
    giuseppe = Number(added.stdout.trim());
    session = startUrpPty(['report', 'new', '--type', 'reclamo', '--channel', 'sportello', '--subject', 'Marciapiede rotto', '--received-at', '20/11/2026 10:00'], { db: workspace.db });
    return session;
  };
  afterEach(() => {
    session?.dispose();
    session = undefined;
    workspace?.cleanup();
  });

  /** Paolo Neri, a new citizen, typed with Giuseppe Verdi's e-mail: the prompt that follows. */
  async function typePaoloWithGiuseppesEmail(term: PtySession): Promise<void> {
    await term.waitFor('? Citizen: search');
    term.type('Neri Paolo');
    term.press('enter');
    await term.waitFor('? Nobody found');
    await term.choose('+ New citizen');
    for (const prompt of ['? Last name (Neri)', '? First name (Paolo)', '? Tax code (optional)']) {
      await term.waitFor(prompt);
      term.press('enter');
    }
    await term.waitFor('? E-mail (optional)');
    term.type(GIUSEPPE.email);
    term.press('enter');
    for (const prompt of ['? Phone (optional)', '? Postal address (optional)']) {
      await term.waitFor(prompt);
      term.press('enter');
    }
    await term.waitFor(`this e-mail belongs to citizen ${giuseppe} (Verdi G.): use that citizen, or enter another e-mail`);
  }

  async function finish(term: PtySession): Promise<string> {
    for (const prompt of ['? Description (optional)', '? Location']) {
      await term.waitFor(prompt);
      term.press('enter');
    }
    const summary = await term.waitFor(/Citizen +[^\n]+\n/);
    await term.waitFor('? Register the report?');
    term.type('y');
    term.press('enter');
    expect(await term.exit()).toBe(0);
    return summary;
  }

  it('"use that citizen": the summary names Giuseppe Verdi, and the report is his, his e-mail untouched', { timeout: TIMEOUT }, async () => {
    const term = await start();
    await typePaoloWithGiuseppesEmail(term);
    await term.choose(`Use citizen ${giuseppe} (Verdi G.)`);
    const summary = await finish(term);
    expect(summary).toMatch(new RegExp(`Citizen +Verdi Giuseppe \\(${giuseppe}, already registered\\)\n`));
    expect(summary).not.toContain('Neri');
    expect(query(workspace.db, 'select citizen_id from reports')).toEqual([{ citizen_id: giuseppe }]);
    expect(query(workspace.db, 'select id, first_name, last_name, email from citizens')).toEqual([{ id: giuseppe, first_name: 'Giuseppe', last_name: 'Verdi', email: GIUSEPPE.email }]);
  });

  it('"enter another e-mail": only the e-mail is asked again; the summary says Neri Paolo (new)', { timeout: TIMEOUT }, async () => {
    const term = await start();
    await typePaoloWithGiuseppesEmail(term);
    await term.choose('Enter another e-mail');
    await term.waitFor('? E-mail');
    term.type(PAOLO_EMAIL);
    term.press('enter');
    const summary = await finish(term);
    expect(summary).toMatch(/Citizen +Neri Paolo \(new\)/);
    const paolo = query<{ id: number }>(workspace.db, "select id from citizens where last_name = 'Neri'")[0]!.id;
    expect(query(workspace.db, 'select citizen_id from reports')).toEqual([{ citizen_id: paolo }]);
    expect(query(workspace.db, 'select email from citizens order by id')).toEqual([{ email: GIUSEPPE.email }, { email: PAOLO_EMAIL }]);
  });
});
