/**
 * `urp report new` driven through its prompts in a pseudo-terminal, against a
 * demo database: the whole flow with a new citizen, an existing citizen found
 * again, Ctrl-C, "no" at the confirmation, validation messages, and flags that
 * are not asked again (SPEC 3.1-3.4, section 5).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { query, runUrp, snapshot, tempWorkspace } from '../helpers/cli.js';
import { type PtySession, startUrpPty } from '../helpers/pty.js';

// Every test starts a database and several prompts: room for a slow 2-core box.
const TEST_TIMEOUT = 120_000;

interface ReportRow {
  number: string;
  type: string;
  channel: string;
  status: string;
  subject: string;
  description: string;
  location: string | null;
  category: string | null;
  area: string | null;
  citizen_id: number;
  received_at: string;
  registered_at: string;
}

interface CitizenRow {
  id: number;
  first_name: string;
  last_name: string;
  tax_code: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
}

let workspace: ReturnType<typeof tempWorkspace>;
let session: PtySession | undefined;

beforeEach(async () => {
  workspace = tempWorkspace();
  const init = await runUrp(['--db', workspace.db, 'init', '--demo']);
  expect(init.code, init.stderr).toBe(0);
});

afterEach(() => {
  session?.dispose();
  session = undefined;
  workspace.cleanup();
});

/** `urp report new ...` in a terminal, on this test's database (URP_DB). */
function reportNew(...args: string[]): PtySession {
  session = startUrpPty(['report', 'new', ...args], { db: workspace.db });
  return session;
}

async function urp(...args: string[]) {
  const result = await runUrp(['--db', workspace.db, ...args]);
  expect(result.code, `urp ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

function reportByNumber(number: string): ReportRow | undefined {
  return query<ReportRow>(
    workspace.db,
    `select r.number, r.type, r.channel, r.status, r.subject, r.description, r.location,
            c.code as category, a.code as area, r.citizen_id, r.received_at, r.registered_at
       from reports r left join categories c on c.id = r.category_id left join areas a on a.id = r.area_id
      where r.number = ?`,
    number,
  )[0];
}

function citizenById(id: number): CitizenRow | undefined {
  return query<CitizenRow>(workspace.db, 'select id, first_name, last_name, tax_code, email, phone, address from citizens where id = ?', id)[0];
}

const count = (table: string) => query<{ n: number }>(workspace.db, `select count(*) as n from ${table}`)[0]!.n;

/** Waits for an input prompt, types the answer (nothing: accept the default) and presses enter. */
async function answer(term: PtySession, message: string, text = ''): Promise<void> {
  await term.waitFor(`? ${message}`);
  if (text) term.type(text);
  term.press('enter');
}

/** Waits for a select prompt and picks the choice with the arrow keys. */
async function pick(term: PtySession, message: string, choice: string | RegExp): Promise<void> {
  await term.waitFor(`? ${message}`);
  await term.choose(choice);
}

/** The number printed on stdout: a line of its own, YYYY/NNNNNN. */
function printedNumber(term: PtySession): string {
  const found = /^(\d{4}\/\d{6})$/m.exec(term.text());
  expect(found, term.text()).not.toBeNull();
  return found![1]!;
}

/** "YYYY-MM-DD HH:mm" of an instant in Rome (the office's time zone). */
function romeMinute(instant: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
}

/** Completes a tax code with its check character (the public algorithm, independent of src/). */
function withCheckCharacter(first15: string): string {
  const odd: Record<string, number> = {
    0: 1, 1: 0, 2: 5, 3: 7, 4: 9, 5: 13, 6: 15, 7: 17, 8: 19, 9: 21,
    A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18,
    N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
  };
  let sum = 0;
  [...first15].forEach((character, index) => {
    // Positions are counted from 1: odd positions are the even indexes.
    if (index % 2 === 0) sum += odd[character]!;
    else sum += /\d/.test(character) ? Number(character) : character.charCodeAt(0) - 65;
  });
  return first15 + String.fromCharCode(65 + (sum % 26));
}

describe('urp report new, interactively', () => {
  test('the whole flow with a new citizen registers the report and the citizen', { timeout: TEST_TIMEOUT }, async () => {
    const reportsBefore = count('reports');
    const citizensBefore = count('citizens');
    const startedAt = Date.now();
    const term = reportNew();

    await pick(term, 'Type', 'suggestion');
    await pick(term, 'Channel', 'e-mail');
    await answer(term, 'Citizen: search', 'Quaglierini Ottorino');
    await pick(term, 'Nobody found', '+ New citizen');
    // The search words are offered as last and first name.
    await term.waitFor('? Last name (Quaglierini)');
    term.press('enter');
    await term.waitFor('? First name (Ottorino)');
    term.press('enter');
    await answer(term, 'Tax code (optional)');
    await answer(term, 'E-mail (optional)', 'Ottorino.Quaglierini@Example.it');
    await answer(term, 'Phone (optional)', '333 123 4567');
    await answer(term, 'Postal address (optional)');
    // Received: the default is now.
    await answer(term, 'Received on');
    await answer(term, 'Subject', 'Buca profonda in via Roma');
    await answer(term, 'Description (optional)', 'Davanti al civico 12, pericolosa per i motorini');
    await answer(term, 'Location', 'Via Roma 12');
    await pick(term, 'Category', '(strade)');
    // The category's area comes first, highlighted and marked as suggested.
    await term.waitFor('? Assign to an area now?');
    await term.waitFor(/❯ Lavori pubblici e manutenzioni \(lavori-pubblici\) — suggested by the category/);
    term.press('enter');

    // The summary, then the confirmation.
    const summary = await term.waitFor(/Type +suggestion[\s\S]*Area +lavori-pubblici \(Lavori pubblici e manutenzioni\)\n/);
    expect(summary).toMatch(/Channel +e-mail/);
    expect(summary).toMatch(/Citizen +Quaglierini Ottorino \(new\)/);
    expect(summary).toMatch(/Subject +Buca profonda in via Roma/);
    expect(summary).toMatch(/Category +strade/);
    // Every field that will be stored: the contacts as the record will hold them, the texts, the date read.
    expect(summary).toMatch(/Contacts +Ottorino\.Quaglierini@example\.it, 333 123 4567/);
    expect(summary).toMatch(/Description +Davanti al civico 12, pericolosa per i motorini/);
    expect(summary).toMatch(/Location +Via Roma 12/);
    expect(summary).toMatch(/Received +\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await term.waitFor('? Register the report?');
    term.type('y');
    term.press('enter');

    await term.waitFor(/Report \d{4}\/\d{6} registered/);
    expect(await term.exit()).toBe(0);
    const number = printedNumber(term);
    expect(term.text()).toContain(`Report ${number} registered`);

    expect(count('reports')).toBe(reportsBefore + 1);
    expect(count('citizens')).toBe(citizensBefore + 1);
    const report = reportByNumber(number);
    expect(report).toMatchObject({
      type: 'suggestion',
      channel: 'email',
      status: 'assigned',
      subject: 'Buca profonda in via Roma',
      description: 'Davanti al civico 12, pericolosa per i motorini',
      location: 'Via Roma 12',
      category: 'strade',
      area: 'lavori-pubblici',
    });
    // Received "now": the default, to the minute.
    const received = Date.parse(report!.received_at);
    expect(received).toBeGreaterThanOrEqual(Math.floor(startedAt / 60_000) * 60_000 - 60_000);
    expect(received).toBeLessThanOrEqual(Date.parse(report!.registered_at));

    const citizen = citizenById(report!.citizen_id);
    expect(citizen).toMatchObject({
      first_name: 'Ottorino',
      last_name: 'Quaglierini',
      tax_code: null,
      email: 'Ottorino.Quaglierini@example.it', // the local part as typed, the domain in lower case
      phone: '+393331234567',
    });
    expect(term.text()).toContain(`Citizen ${citizen!.id} registered`);

    const events = query<{ kind: string; operator: string }>(
      workspace.db,
      'select e.kind, e.operator from report_events e join reports r on r.id = e.report_id where r.number = ? order by e.id',
      number,
    );
    expect(events).toEqual([
      { kind: 'registered', operator: 'test-clerk' },
      { kind: 'assigned', operator: 'test-clerk' },
    ]);
  });

  test('an existing citizen is found by part of the surname and reused', { timeout: TEST_TIMEOUT }, async () => {
    await urp('citizen', 'add', '--first-name', 'Ottavia', '--last-name', 'Zanardelli', '--email', 'ottavia.zanardelli@example.it');
    await urp('citizen', 'add', '--first-name', 'Bruno', '--last-name', 'Zanardelli', '--phone', '3471112233');
    const [ottavia] = query<{ id: number }>(workspace.db, `select id from citizens where first_name = 'Ottavia' and last_name = 'Zanardelli'`);
    const citizensBefore = count('citizens');
    const term = reportNew();

    await pick(term, 'Type', 'problem report');
    await pick(term, 'Channel', 'phone');
    // Nobody by that name: search again.
    await answer(term, 'Citizen: search', 'Xyzzyq');
    await pick(term, 'Nobody found', '↺ Search again');
    await answer(term, 'Citizen: search', 'zanard');
    await pick(term, '2 found: choose', /^Zanardelli Ottavia/);
    await answer(term, 'Received on');
    await answer(term, 'Subject', 'Lampione spento');
    await answer(term, 'Description (optional)');
    await answer(term, 'Location');
    await pick(term, 'Category', '— none');
    // No category, no suggestion: another area chosen by hand.
    await pick(term, 'Assign to an area now?', 'Tributi (tributi)');
    const summary = await term.waitFor(/Citizen +.*\n/);
    expect(summary).toContain(`Zanardelli Ottavia (${ottavia!.id}, already registered)`);
    await answer(term, 'Register the report?');

    await term.waitFor(/Report \d{4}\/\d{6} registered/);
    expect(await term.exit()).toBe(0);
    const number = printedNumber(term);

    expect(count('citizens')).toBe(citizensBefore);
    expect(term.text()).not.toMatch(/Citizen \d+ registered/);
    expect(reportByNumber(number)).toMatchObject({
      type: 'problem',
      channel: 'phone',
      status: 'assigned',
      subject: 'Lampione spento',
      description: '',
      category: null,
      area: 'tributi',
      citizen_id: ottavia!.id,
    });
  });

  test('Ctrl-C at the subject exits 130 and writes nothing (not even the new citizen)', { timeout: TEST_TIMEOUT }, async () => {
    const before = snapshot(workspace.db);
    const term = reportNew();

    await pick(term, 'Type', 'complaint');
    await pick(term, 'Channel', 'counter');
    await answer(term, 'Citizen: search', 'Pellegrinotti');
    await pick(term, 'Nobody found', '+ New citizen');
    await answer(term, 'Last name');
    await answer(term, 'First name', 'Adelina');
    await answer(term, 'Tax code (optional)');
    await answer(term, 'E-mail (optional)', 'adelina.pellegrinotti@example.it');
    await answer(term, 'Phone (optional)');
    await answer(term, 'Postal address (optional)');
    await answer(term, 'Received on');
    await term.waitFor('? Subject');
    term.type('Half a sub');
    await term.waitFor('Half a sub');
    term.press('ctrl-c');

    expect(await term.exit()).toBe(130);
    expect(term.text()).toContain('Cancelled: nothing was written');
    expect(term.text()).not.toMatch(/registered/);
    expect(snapshot(workspace.db)).toBe(before);
  });

  test('"no" at the final confirmation exits 130 and writes nothing', { timeout: TEST_TIMEOUT }, async () => {
    const before = snapshot(workspace.db);
    const term = reportNew();

    await pick(term, 'Type', 'complaint');
    await pick(term, 'Channel', 'paper');
    await answer(term, 'Citizen: search', 'Mastrangelini Ugo');
    await pick(term, 'Nobody found', '+ New citizen');
    await answer(term, 'Last name');
    await answer(term, 'First name');
    await answer(term, 'Tax code (optional)');
    await answer(term, 'E-mail (optional)');
    await answer(term, 'Phone (optional)');
    await answer(term, 'Postal address (optional)', 'Via Verdi 3, Valdoria');
    await answer(term, 'Received on');
    // A letter: its protocol number is asked.
    await answer(term, 'Protocol number (optional)', 'PROT-2026-77');
    await answer(term, 'Subject', 'Rumore notturno');
    await answer(term, 'Description (optional)');
    await answer(term, 'Location');
    await pick(term, 'Category', '(rumore)');
    await pick(term, 'Assign to an area now?', 'No, URP will assign it later');
    await term.waitFor(/Citizen +Mastrangelini Ugo \(new\)/);
    await term.waitFor(/Protocol no\. +PROT-2026-77/);
    await term.waitFor('? Register the report? (Y/n)');
    term.type('n');
    term.press('enter');
    // "No" asks what to correct; cancelling writes nothing.
    await pick(term, 'Which field to correct?', 'None: cancel, register nothing');

    expect(await term.exit()).toBe(130);
    expect(term.text()).toContain('Cancelled: nothing was written');
    expect(term.text()).not.toMatch(/^\d{4}\/\d{6}$/m);
    expect(snapshot(workspace.db)).toBe(before);
  });

  test('a wrong received date is explained at the prompt and can be corrected', { timeout: TEST_TIMEOUT }, async () => {
    await urp('citizen', 'add', '--first-name', 'Ermenegildo', '--last-name', 'Castrocaro', '--phone', '0543 123456');
    const [someone] = query<{ id: number }>(workspace.db, `select id from citizens where last_name = 'Castrocaro'`);
    const term = reportNew('--type', 'complaint', '--channel', 'phone');

    await answer(term, 'Citizen: search', 'castrocaro ermen');
    await pick(term, '1 found: choose', /^Castrocaro Ermenegildo/);

    await answer(term, 'Received on', '31/02/2026 10:00');
    await term.waitFor('31/02/2026 does not exist: that month has 28 days');
    // Still the same prompt, with the text kept for correction.
    term.press('ctrl-u');
    const future = romeMinute(new Date(Date.now() + 48 * 3_600_000)).slice(0, 10);
    term.type(`${future} 10:30`);
    term.press('enter');
    await term.waitFor('cannot be in the future');

    term.press('ctrl-u');
    // Three days ago at 10:30 Rome time, typed the Italian way.
    const pastDay = romeMinute(new Date(Date.now() - 3 * 86_400_000)).slice(0, 10);
    const [year, month, day] = pastDay.split('-');
    term.type(`${day}/${month}/${year} 10:30`);
    term.press('enter');

    await answer(term, 'Subject', 'Telefonata di tre giorni fa');
    await answer(term, 'Description (optional)');
    await answer(term, 'Location');
    await pick(term, 'Category', '(verde)');
    await pick(term, 'Assign to an area now?', 'No, URP will assign it later');
    await answer(term, 'Register the report?', 'y');
    await term.waitFor(/Report \d{4}\/\d{6} registered/);
    expect(await term.exit()).toBe(0);

    const report = reportByNumber(printedNumber(term));
    expect(report).toMatchObject({ status: 'registered', category: 'verde', area: null, citizen_id: someone!.id });
    expect(romeMinute(new Date(report!.received_at))).toBe(`${pastDay} 10:30`);
  });

  test('an invalid tax code and a citizen without contacts are explained and corrected', { timeout: TEST_TIMEOUT }, async () => {
    const term = reportNew('--type', 'suggestion', '--channel', 'web');
    const taxCode = withCheckCharacter('QGLSVN80A41H501');
    const wrongCheck = taxCode.slice(0, 15) + (taxCode.endsWith('A') ? 'B' : 'A');

    await answer(term, 'Citizen: search', 'Quagliotti Silvana');
    await pick(term, 'Nobody found', '+ New citizen');
    await answer(term, 'Last name');
    await answer(term, 'First name');
    await answer(term, 'Tax code (optional)', wrongCheck);
    await term.waitFor('wrong check character');
    term.press('ctrl-u');
    term.type('QGLSVN');
    term.press('enter');
    await term.waitFor('not a tax code');
    term.press('ctrl-u');
    term.type(taxCode.toLowerCase());
    term.press('enter');

    // No contact at all: a warning and the contacts are asked again.
    await answer(term, 'E-mail (optional)');
    await answer(term, 'Phone (optional)');
    await answer(term, 'Postal address (optional)');
    await term.waitFor('At least one contact is needed');
    await answer(term, 'E-mail (optional)', 'not-an-email');
    await term.waitFor('> not an e-mail address');
    term.press('ctrl-u');
    term.type('silvana.quagliotti@example.it');
    term.press('enter');
    await answer(term, 'Phone (optional)');
    await answer(term, 'Postal address (optional)');

    await answer(term, 'Received on');
    await answer(term, 'Subject', 'Più panchine nel parco');
    await answer(term, 'Description (optional)');
    await answer(term, 'Location');
    await pick(term, 'Category', '(verde)');
    await term.waitFor(/❯ Ambiente ed ecologia \(ambiente\) — suggested by the category/);
    term.press('enter');
    await answer(term, 'Register the report?');
    await term.waitFor(/Report \d{4}\/\d{6} registered/);
    expect(await term.exit()).toBe(0);

    const report = reportByNumber(printedNumber(term));
    expect(report).toMatchObject({ type: 'suggestion', channel: 'web', category: 'verde', area: 'ambiente' });
    expect(citizenById(report!.citizen_id)).toMatchObject({
      first_name: 'Silvana',
      last_name: 'Quagliotti',
      tax_code: taxCode,
      email: 'silvana.quagliotti@example.it',
      phone: null,
      address: null,
    });
  });
});

describe('urp report new, flags and prompts together', () => {
  test('--type and --channel are not asked: the prompts start at the citizen search', { timeout: TEST_TIMEOUT }, async () => {
    const term = reportNew('--type', 'complaint', '--channel', 'phone');
    await term.waitFor('? Citizen: search');
    expect(term.text()).not.toMatch(/\? Type|\? Channel/);

    term.type('Ferraguti Lorena');
    term.press('enter');
    await pick(term, 'Nobody found', '+ New citizen');
    await answer(term, 'Last name');
    await answer(term, 'First name');
    await answer(term, 'Tax code (optional)');
    await answer(term, 'E-mail (optional)');
    await answer(term, 'Phone (optional)', '+39 06 1234567');
    await answer(term, 'Postal address (optional)');
    await answer(term, 'Received on');
    await answer(term, 'Subject', 'Sportello chiuso in orario di apertura');
    await answer(term, 'Description (optional)');
    await answer(term, 'Location');
    await pick(term, 'Category', '(tributi)');
    await pick(term, 'Assign to an area now?', 'No, URP will assign it later');
    await answer(term, 'Register the report?');
    await term.waitFor(/Report \d{4}\/\d{6} registered/);
    expect(await term.exit()).toBe(0);

    expect(term.text()).not.toMatch(/\? Type|\? Channel/);
    const report = reportByNumber(printedNumber(term));
    expect(report).toMatchObject({ type: 'complaint', channel: 'phone', status: 'registered', category: 'tributi', area: null });
    expect(citizenById(report!.citizen_id)).toMatchObject({ first_name: 'Lorena', last_name: 'Ferraguti' });
  });

  test('with the citizen and the texts given, only the area is asked, the category\'s one suggested', { timeout: TEST_TIMEOUT }, async () => {
    const [someone] = query<{ id: number }>(workspace.db, 'select id from citizens where erased_at is null order by id desc limit 1');
    const citizensBefore = count('citizens');
    const receivedAt = romeMinute(new Date(Date.now() - 86_400_000)).replace(' ', 'T');
    const term = reportNew(
      '--type', 'problem',
      '--channel', 'counter',
      '--citizen', String(someone!.id),
      '--received-at', receivedAt,
      '--subject', 'Cassonetto rotto',
      '--description', 'Il coperchio non si chiude',
      '--location', 'Piazza Garibaldi',
      '--category', 'rifiuti',
    );

    await term.waitFor('? Assign to an area now?');
    await term.waitFor(/❯ Ambiente ed ecologia \(ambiente\) — suggested by the category/);
    expect(term.text()).not.toMatch(/\? (Type|Channel|Citizen|Received|Subject|Description|Location|Category)/);
    term.press('enter');
    await term.waitFor(/Subject +Cassonetto rotto/);
    await answer(term, 'Register the report?');
    await term.waitFor(/Report \d{4}\/\d{6} registered/);
    expect(await term.exit()).toBe(0);

    expect(count('citizens')).toBe(citizensBefore);
    const report = reportByNumber(printedNumber(term));
    expect(report).toMatchObject({
      type: 'problem',
      channel: 'counter',
      status: 'assigned',
      subject: 'Cassonetto rotto',
      description: 'Il coperchio non si chiude',
      location: 'Piazza Garibaldi',
      category: 'rifiuti',
      area: 'ambiente',
      citizen_id: someone!.id,
    });
    expect(romeMinute(new Date(report!.received_at))).toBe(receivedAt.replace('T', ' '));
  });

  test('a citizen given only in part on the command line is completed at the prompts, not refused', { timeout: TEST_TIMEOUT }, async () => {
    // SPEC 5: on a terminal `report new` prompts for what is missing; only
    // without a terminal is a missing value an error naming the flag.
    const before = snapshot(workspace.db);
    const term = reportNew('--type', 'complaint', '--channel', 'phone', '--last-name', 'Bonfiglioli', '--email', 'bonfiglioli@example.it');

    await term.waitFor(/\? First name/i);
    expect(term.text()).not.toMatch(/\? Last name/);
    term.press('ctrl-c');
    expect(await term.exit()).toBe(130);
    expect(snapshot(workspace.db)).toBe(before);
  });

  test('an invalid flag is refused (or asked again) before the summary, never shown as something else', { timeout: TEST_TIMEOUT }, async () => {
    const [someone] = query<{ id: number }>(workspace.db, 'select id from citizens where erased_at is null order by id limit 1');
    const before = snapshot(workspace.db);
    const term = reportNew(
      '--type', 'bogus',
      '--channel', 'phone',
      '--citizen', String(someone!.id),
      '--received-at', romeMinute(new Date(Date.now() - 3_600_000)).replace(' ', 'T'),
      '--subject', 'Prova',
      '--description', 'Prova di un tipo sbagliato',
      '--location', 'Via Roma 1',
      '--category', 'strade',
      '--area', 'lavori-pubblici',
    );

    // Either the program stops at once with exit 2 naming --type, or it asks for the type;
    // what it must not do is summarise the report as a "complaint" and ask to register it.
    const outcome = await Promise.race([
      term.exit().then((code) => ({ exited: code })),
      // (rejects when the program ends first: then it is up to exit() to win the race)
      term.waitFor(/\? Type|\? Register the report\?/).then(
        (seen) => ({ seen }),
        () => new Promise<never>(() => {}),
      ),
    ]);
    if ('exited' in outcome) {
      expect(outcome.exited, term.text()).toBe(2);
      expect(term.text()).toMatch(/--type/);
    } else {
      expect(outcome.seen, term.text()).toBe('? Type');
      term.press('ctrl-c');
      expect(await term.exit()).toBe(130);
    }
    expect(term.text()).not.toMatch(/Type +complaint/);
    expect(snapshot(workspace.db)).toBe(before);
  });
});
