import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taxCodeCheckCharacter } from '../../src/domain/tax-code.js';
import { ENGINE, query, serverRelationFiles, snapshot, tempWorkspace, urpWith } from '../helpers/cli.js';

/**
 * Issue 6, GDPR: `citizen export` (right of access), `citizen erase`
 * (pseudonymisation; the reports stay for the statistics) and
 * `privacy retention`. An erasure is recorded without the erased data, and
 * the data is gone from the database file itself, not only from its rows.
 */

const withCheck = (first15: string) => `${first15}${taxCodeCheckCharacter(first15)}`;

const GIANFRANCO = {
  firstName: 'Gianfranco',
  lastName: 'Zanzibarone',
  taxCode: withCheck('ZNZGFR80A01H501'),
  email: 'gianfranco.zanzibarone@example.it',
  phone: '333 7654321',
  address: 'Via Garibaldi 7, Brescia',
};
const LUCREZIA = {
  firstName: 'Lucrezia',
  lastName: 'Quartararo',
  taxCode: withCheck('QRTLRZ75M52F205'),
  email: 'lucrezia.quartararo@example.it',
  phone: '347 9182736',
  address: 'Vicolo Stretto 12, Brescia',
};
const OTHER = { firstName: 'Paolo', lastName: 'Ferrari', email: 'paolo.ferrari@example.it' };

/** Every way the personal data of a person could sit in the file: as typed, normalised, lower-cased. */
function traces(person: typeof GIANFRANCO): string[] {
  const digits = person.phone.replace(/\D/g, '');
  return [person.taxCode, person.email, person.email.split('@')[0]!, digits, digits.slice(-7), person.address, person.address.split(',')[0]!];
}

/**
 * The database as bytes, after folding the WAL in (and the WAL too, if one
 * is left); on PostgreSQL, the files of its tables and indexes (toast
 * included) in the server's data folder, where VACUUM FULL leaves only the
 * live rows (the server's WAL holds the old ones until it recycles it: README).
 */
function fileContents(db: string): string {
  if (ENGINE === 'postgres') return serverRelationFiles(db).toString('latin1').toLowerCase();
  const connection = new Database(db);
  try {
    connection.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    connection.close();
  }
  const parts = [readFileSync(db)];
  if (existsSync(`${db}-wal`)) parts.push(readFileSync(`${db}-wal`));
  return Buffer.concat(parts).toString('latin1').toLowerCase();
}

const newReport = (subject: string, description: string, citizen: string[]) => [
  'report', 'new', '--type', 'complaint', '--channel', 'email', '--subject', subject, '--description', description,
  '--location', 'Piazza Loggia', '--category', 'strade', ...citizen,
];
const citizenFlags = (person: typeof GIANFRANCO) => [
  '--first-name', person.firstName, '--last-name', person.lastName, '--tax-code', person.taxCode, '--email', person.email,
  '--phone', person.phone, '--address', person.address,
];

describe('citizen export and erase', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  const asOf = new Date(Date.now() + 3_600_000).toISOString();
  const stats = async () => {
    const results = await Promise.all(
      [[], ['--by', 'area'], ['--by', 'category'], ['--by', 'type']].map((by) => urp(['stats', '--json', '--from', '2026-01-01', '--as-of', asOf, ...by])),
    );
    for (const result of results) expect(result.code).toBe(0);
    return results.map((result) => JSON.parse(result.stdout));
  };
  let gianfranco: number;
  let lucrezia: number;
  let closedNumber: string;
  let openNumber: string;
  let lucreziaNumber: string;
  let otherNumber: string;

  async function answerAndClose(number: string, text: string) {
    for (const args of [
      ['report', 'assign', number, '--area', 'lavori'],
      ['report', 'ack', number],
      ['report', 'reply', number, '--text', text, '--outcome', 'resolved', '--via', 'email'],
      ['report', 'close', number],
    ]) {
      const result = await urp(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  }

  beforeAll(async () => {
    expect((await urp(['area', 'add', 'lavori', '--name', 'Lavori pubblici'])).code).toBe(0);
    expect((await urp(['category', 'add', 'strade', '--name', 'Strade', '--area', 'lavori'])).code).toBe(0);
    const first = await urp(newReport('Buca in via Garibaldi', 'Davanti al civico 7, scrive il sig. Zanzibarone', citizenFlags(GIANFRANCO)));
    expect(first.code).toBe(0);
    closedNumber = first.stdout.trim();
    gianfranco = (query<{ id: number }>(workspace.db, 'select id from citizens where email = ?', GIANFRANCO.email)[0]!).id;
    await answerAndClose(closedNumber, 'Gentile sig. Zanzibarone, la buca è stata chiusa.');
    const second = await urp(newReport('Lampione spento', 'Via Garibaldi, sera', ['--citizen', String(gianfranco)]));
    expect(second.code).toBe(0);
    openNumber = second.stdout.trim();
    // A change of address: an audit entry naming the field, not the value.
    expect((await urp(['citizen', 'update', String(gianfranco), '--address', GIANFRANCO.address.replace('7', '9')])).code).toBe(0);
    expect((await urp(['citizen', 'update', String(gianfranco), '--address', GIANFRANCO.address])).code).toBe(0);

    const third = await urp(newReport('Rumore dal locale di Quartararo', 'La signora Lucrezia Quartararo segnala musica alta', citizenFlags(LUCREZIA)));
    expect(third.code).toBe(0);
    lucreziaNumber = third.stdout.trim();
    lucrezia = (query<{ id: number }>(workspace.db, 'select id from citizens where email = ?', LUCREZIA.email)[0]!).id;
    await answerAndClose(lucreziaNumber, 'Gentile sig.ra Quartararo, abbiamo avvisato la polizia locale.');

    const other = await urp(newReport('Erba alta', 'Parco Ducos', ['--first-name', OTHER.firstName, '--last-name', OTHER.lastName, '--email', OTHER.email]));
    expect(other.code).toBe(0);
    otherNumber = other.stdout.trim();
  });
  afterAll(() => workspace.cleanup());

  it('citizen export prints everything held on the person as JSON: record, reports, replies, timelines, changes', async () => {
    const result = await urp(['citizen', 'export', String(gianfranco)]);
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout);
    expect(data.citizen).toMatchObject({
      id: gianfranco,
      firstName: GIANFRANCO.firstName,
      lastName: GIANFRANCO.lastName,
      taxCode: GIANFRANCO.taxCode,
      email: GIANFRANCO.email,
      phone: '+393337654321',
      address: GIANFRANCO.address,
      erasedAt: null,
    });
    expect(data.reports.map((report: { number: string }) => report.number).sort()).toEqual([closedNumber, openNumber].sort());
    const closed = data.reports.find((report: { number: string }) => report.number === closedNumber);
    expect(closed).toMatchObject({ subject: 'Buca in via Garibaldi', description: 'Davanti al civico 7, scrive il sig. Zanzibarone', status: 'closed', location: 'Piazza Loggia' });
    expect(closed.replies).toEqual([expect.objectContaining({ text: 'Gentile sig. Zanzibarone, la buca è stata chiusa.', outcome: 'resolved', via: 'email' })]);
    expect(closed.timeline.map((event: { kind: string }) => event.kind)).toEqual(['registered', 'assigned', 'acknowledged', 'answered', 'closed']);
    const open = data.reports.find((report: { number: string }) => report.number === openNumber);
    expect(open.timeline.map((event: { kind: string }) => event.kind)).toEqual(['registered']);
    expect(data.changes).toEqual([
      expect.objectContaining({ kind: 'citizen_updated', fields: 'address' }),
      expect.objectContaining({ kind: 'citizen_updated', fields: 'address' }),
    ]);
    // Only this person: nobody else's reports or data.
    expect(result.stdout).not.toContain(otherNumber);
    expect(result.stdout).not.toContain(lucreziaNumber);
    expect(result.stdout).not.toMatch(/Quartararo|Ferrari/);
  });

  it('citizen export of an unknown person is refused (exit 2)', async () => {
    const result = await urp(['citizen', 'export', '999']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('citizen erase is refused without --yes off a terminal, and while the person has open reports without --force (nothing changed)', async () => {
    const before = snapshot(workspace.db);
    const noYes = await urp(['citizen', 'erase', String(gianfranco)]);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('--yes');
    const open = await urp(['citizen', 'erase', String(gianfranco), '--yes']);
    expect(open.code).toBe(2);
    expect(open.stderr).toBe(`urp: error: citizen ${gianfranco} has an open report: erase them later, or use --force\n`);
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('citizen erase --force --yes pseudonymises the person; the reports stay, statistics unchanged; the erasure is recorded without the data', async () => {
    const statsBefore = await stats();
    const reportsBefore = query(workspace.db, 'select id, number, status, citizen_id, subject, description from reports order by id');
    const result = await urp(['citizen', 'erase', String(gianfranco), '--force', '--yes']);
    expect(result.stderr).toBe(`Citizen ${gianfranco} erased: 2 reports kept under pseudonym ANON-${String(gianfranco).padStart(6, '0')}\n`);
    expect(result.code).toBe(0);

    expect(query(workspace.db, 'select first_name, last_name, search_name, tax_code, email, phone, address, erased_at is not null as erased from citizens where id = ?', gianfranco)).toEqual([
      {
        first_name: '—',
        last_name: `ANON-${String(gianfranco).padStart(6, '0')}`,
        search_name: `anon-${String(gianfranco).padStart(6, '0')}`,
        tax_code: null,
        email: null,
        phone: null,
        address: null,
        erased: 1,
      },
    ]);
    // The reports are all there, unchanged (texts were not asked to be redacted), the open one still open.
    expect(query(workspace.db, 'select id, number, status, citizen_id, subject, description from reports order by id')).toEqual(reportsBefore);
    expect(await stats()).toEqual(statsBefore);

    // One event per report and one audit entry, saying that the data was erased, not what it was.
    const events = query<{ number: string; text: string | null; from_status: string | null; to_status: string | null }>(
      workspace.db,
      `select r.number, e.text, e.from_status, e.to_status from report_events e join reports r on r.id = e.report_id where e.kind = 'citizen_erased' order by r.number`,
    );
    expect(events).toEqual([closedNumber, openNumber].sort().map((number) => ({ number, text: null, from_status: null, to_status: null })));
    expect(query(workspace.db, `select subject, text from audit_events where kind = 'citizen_erased'`)).toEqual([{ subject: `citizen:${gianfranco}`, text: null }]);
    const recorded = JSON.stringify([
      query(workspace.db, 'select * from report_events'),
      query(workspace.db, 'select * from audit_events'),
    ]).toLowerCase();
    for (const trace of [...traces(GIANFRANCO), GIANFRANCO.lastName]) expect(recorded).not.toContain(trace.toLowerCase());

    // Nowhere in the database file, not even in the free space of its pages.
    const contents = fileContents(workspace.db);
    for (const trace of traces(GIANFRANCO)) expect(contents.includes(trace.toLowerCase()), `"${trace}" still in the file`).toBe(false);

    // What the office sees now.
    const show = await urp(['report', 'show', openNumber]);
    expect(show.stdout).toContain(`ANON-${String(gianfranco).padStart(6, '0')}`);
    expect(show.stdout).not.toContain(GIANFRANCO.email);
    const find = await urp(['citizen', 'find', 'zanzibarone']);
    expect(find.stdout).not.toContain(String(GIANFRANCO.email));
    const exported = JSON.parse((await urp(['citizen', 'export', String(gianfranco)])).stdout);
    expect(exported.citizen).toMatchObject({ lastName: `ANON-${String(gianfranco).padStart(6, '0')}`, taxCode: null, email: null, phone: null, address: null });
    expect(exported.changes.at(-1)).toMatchObject({ kind: 'citizen_erased', fields: null });
    expect((await urp(['db', 'check'])).code).toBe(0);
  });

  it('an erased citizen cannot be erased again nor given new reports', async () => {
    const before = snapshot(workspace.db);
    expect((await urp(['citizen', 'erase', String(gianfranco), '--yes'])).code).toBe(2);
    const again = await urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'x', '--citizen', String(gianfranco)]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('erased');
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('--redact-texts also blanks subjects, descriptions, places and replies; nothing of the person is left in the file', async () => {
    const statsBefore = await stats();
    const result = await urp(['citizen', 'erase', String(lucrezia), '--redact-texts', '--yes']);
    expect(result.code).toBe(0);
    expect(query(workspace.db, 'select subject, description, location, status from reports where citizen_id = ?', lucrezia)).toEqual([
      { subject: '[omissis]', description: '', location: null, status: 'closed' },
    ]);
    expect(query(workspace.db, 'select p.text from replies p join reports r on r.id = p.report_id where r.citizen_id = ?', lucrezia)).toEqual([{ text: '[omissis]' }]);
    expect(query(workspace.db, `select e.text from report_events e join reports r on r.id = e.report_id where e.kind = 'citizen_erased' and r.citizen_id = ?`, lucrezia)).toEqual([
      { text: 'texts redacted' },
    ]);
    expect(await stats()).toEqual(statsBefore);
    // Her name was in the subject, the description and the reply: now nowhere.
    const contents = fileContents(workspace.db);
    for (const trace of [...traces(LUCREZIA), LUCREZIA.lastName, LUCREZIA.firstName, 'musica alta', 'polizia locale']) {
      expect(contents.includes(trace.toLowerCase()), `"${trace}" still in the file`).toBe(false);
    }
    // The other people are untouched.
    expect(query(workspace.db, 'select first_name, last_name, email from citizens where email = ?', OTHER.email)).toEqual([
      { first_name: OTHER.firstName, last_name: OTHER.lastName, email: OTHER.email },
    ]);
    expect(query(workspace.db, 'select subject from reports where number = ?', otherNumber)).toEqual([{ subject: 'Erba alta' }]);
    expect((await urp(['db', 'check'])).code).toBe(0);
  });
});

describe('privacy retention', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    expect((await urp(['area', 'add', 'manut', '--name', 'Manutenzione'])).code).toBe(0);
    // A previous register, with its history (import keeps the dates).
    const file = join(workspace.dir, 'history.csv');
    writeFileSync(
      file,
      [
        'type,channel,received_at,first_name,last_name,email,subject,status,registered_at,assigned_at,acknowledged_at,answered_at,reply_text,outcome,closed_at,rejected_at,area,external_ref',
        // closed in 2019: past a 5-year limit
        'problem,phone,2019-01-10,Primo,Chiuso,primo@example.it,Old closed,closed,2019-01-10,2019-01-11,2019-01-12,2019-02-10,Risolto,resolved,2019-02-20,,manut,H1',
        // rejected in 2019: past it too
        'complaint,email,2019-02-10,Secondo,Respinto,secondo@example.it,Old rejected,rejected,2019-02-10,,,,,,,2019-03-01,,H2',
        // one closed in 2019, the last one closed in 2025: not yet
        'problem,phone,2019-01-10,Terzo,Recente,terzo@example.it,Old closed,closed,2019-01-10,2019-01-11,2019-01-12,2019-02-10,Risolto,resolved,2019-02-20,,manut,H3',
        'problem,phone,2025-05-10,Terzo,Recente,terzo@example.it,New closed,closed,2025-05-10,2025-05-11,2025-05-12,2025-06-10,Risolto,resolved,2025-06-20,,manut,H4',
        // an old report still open: never, whatever the limit
        'problem,phone,2019-01-10,Quarto,Aperto,quarto@example.it,Old closed,closed,2019-01-10,2019-01-11,2019-01-12,2019-02-10,Risolto,resolved,2019-02-20,,manut,H5',
        'problem,phone,2019-03-10,Quarto,Aperto,quarto@example.it,Still open,registered,2019-03-10,,,,,,,,,H6',
        // answered but never closed: not finished
        'problem,phone,2019-01-10,Quinto,Risposto,quinto@example.it,Answered only,answered,2019-01-10,2019-01-11,2019-01-12,2019-02-10,Risolto,resolved,,,manut,H7',
      ].join('\n') + '\n',
    );
    const imported = await urp(['import', file]);
    expect(imported.code).toBe(0);
    for (const row of query<{ id: number; email: string }>(workspace.db, 'select id, email from citizens')) ids[row.email.split('@')[0]!] = row.id;
    expect(Object.keys(ids).sort()).toEqual(['primo', 'quarto', 'quinto', 'secondo', 'terzo']);
  });
  afterAll(() => workspace.cleanup());

  const erasedIds = () => query<{ id: number }>(workspace.db, 'select id from citizens where erased_at is not null order by id').map((row) => row.id);

  it('--dry-run lists the citizens whose reports are all closed or rejected, the last before the limit, and changes nothing', async () => {
    const before = snapshot(workspace.db);
    const result = await urp(['privacy', 'retention', '--older-than', '5y', '--dry-run', '--json']);
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout);
    expect(data).toMatchObject({ dryRun: true, citizens: [ids.primo, ids.secondo].sort((a, b) => a - b), reports: 2 }); // the reports the real run keeps, anonymised
    expect(data.before.slice(0, 10)).toBe(new Date(Date.now()).getUTCFullYear() - 5 + new Date().toISOString().slice(4, 10));
    expect(result.stderr).toBe('2 citizens are past retention (dry run: nothing erased)\n');
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('needs --yes off a terminal (exit 2, nothing changed)', async () => {
    const before = snapshot(workspace.db);
    const result = await urp(['privacy', 'retention', '--older-than', '5y']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect(snapshot(workspace.db)).toBe(before);
    const bad = await urp(['privacy', 'retention', '--older-than', '5 years', '--yes']);
    expect(bad.code).toBe(2);
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('--yes erases exactly those citizens, keeping their reports, recording each erasure without the data', async () => {
    const reportsBefore = query(workspace.db, 'select number, status, citizen_id from reports order by number');
    const result = await urp(['privacy', 'retention', '--older-than', '5y', '--yes']);
    expect(result.stderr).toBe('2 citizens past retention erased (2 reports kept)\n');
    expect(result.code).toBe(0);
    expect(erasedIds()).toEqual([ids.primo!, ids.secondo!].sort((a, b) => a - b));
    expect(query(workspace.db, 'select number, status, citizen_id from reports order by number')).toEqual(reportsBefore);
    expect(query(workspace.db, 'select email, tax_code, phone from citizens where erased_at is not null')).toEqual([
      { email: null, tax_code: null, phone: null },
      { email: null, tax_code: null, phone: null },
    ]);
    expect(query(workspace.db, `select count(*) as n from report_events where kind = 'citizen_erased' and text is null`)).toEqual([{ n: 2 }]);
    expect(query(workspace.db, `select subject from audit_events where kind = 'citizen_erased' order by subject`)).toEqual(
      [ids.primo, ids.secondo].sort((a, b) => a! - b!).map((id) => ({ subject: `citizen:${id}` })),
    );
    const contents = fileContents(workspace.db);
    for (const trace of ['primo@example.it', 'secondo@example.it', 'chiuso', 'respinto']) expect(contents.includes(trace), trace).toBe(false);
    // The others keep their data.
    expect(query(workspace.db, `select count(*) as n from citizens where erased_at is null and email is not null`)).toEqual([{ n: 3 }]);
    expect((await urp(['db', 'check'])).code).toBe(0);
  });

  it('a second run finds nobody; a shorter limit reaches the citizen whose last report closed in 2025, never the one with an open report', async () => {
    const again = await urp(['privacy', 'retention', '--older-than', '5y', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('0 citizens past retention erased (0 reports kept)\n');
    const shorter = await urp(['privacy', 'retention', '--older-than', '1y', '--dry-run', '--json']);
    expect(JSON.parse(shorter.stdout).citizens).toEqual([ids.terzo]);
    const result = await urp(['privacy', 'retention', '--older-than', '90d', '--redact-texts', '--yes']);
    expect(result.code).toBe(0);
    expect(erasedIds()).toEqual([ids.primo!, ids.secondo!, ids.terzo!].sort((a, b) => a - b));
    expect(query(workspace.db, 'select subject from reports where citizen_id = ? order by number', ids.terzo)).toEqual([{ subject: '[omissis]' }, { subject: '[omissis]' }]);
    // Open or unfinished reports keep their people, whatever the limit.
    expect(erasedIds()).not.toContain(ids.quarto);
    expect(erasedIds()).not.toContain(ids.quinto);
  });
});
