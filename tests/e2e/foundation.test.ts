import { existsSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src/storage/schema-version.js';
import { ANSI, BOX_DRAWING, ME, query, runUrp, snapshot, tempWorkspace, urpWith, YEAR } from '../helpers/cli.js';

let workspace: ReturnType<typeof tempWorkspace>;
let urp: ReturnType<typeof urpWith>;

beforeEach(() => {
  workspace = tempWorkspace();
  urp = urpWith(workspace.db);
});
afterEach(() => workspace.cleanup());

/** An office with one area, one category and one citizen, as a clerk would set it up. */
async function smallOffice() {
  expect((await urp(['area', 'add', 'lavori-pubblici', '--name', 'Lavori pubblici', '--manager', 'Ing. Rossi'])).code).toBe(0);
  expect((await urp(['category', 'add', 'strade', '--name', 'Strade', '--area', 'lavori-pubblici'])).code).toBe(0);
}

const PHONE_REPORT = [
  'report', 'new', '--type', 'segnalazione', '--channel', 'telefono', '--received-at', '20/11/2026 09:30',
  '--subject', 'Buca in via Roma', '--description', 'Buca profonda davanti al civico 12', '--category', 'strade',
  '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '333 123 4567', '--location', 'Via Roma 12',
];

describe('database', () => {
  it('is created by urp init, owner-only, in WAL mode, with the folder created', async () => {
    const result = await runUrp(['init'], { env: { XDG_DATA_HOME: `${workspace.dir}/data` } });
    expect(result.code).toBe(0);
    const path = `${workspace.dir}/data/urp/urp.db`;
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${workspace.dir}/data/urp`).mode & 0o777).toBe(0o700);
    expect(query(path, 'pragma journal_mode')[0]).toEqual({ journal_mode: 'wal' });
  });

  it('is created by no other command: a mistyped --db is an error, not an empty printout nor a second register', async () => {
    const typo = `${workspace.dir}/typo/urp.db`;
    const reads = [['overdue', '--check'], ['stats'], ['queue'], ['report', 'list'], ['report', 'show', `${YEAR}/1`], ['export'], ['citizen', 'find', 'Rossi'], ['db', 'status']];
    const writes = [
      ['report', 'new', '--type', 'reclamo', '--channel', 'telefono', '--subject', 'Buca', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '3331234567'],
      ['area', 'add', 'strade', '--name', 'Strade'],
      ['citizen', 'add', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '3331234567'],
      ['config', 'set', 'reply-days', '20'],
      ['operator', 'add', 'boss', '--role', 'admin'],
      ['import', `${workspace.dir}/none.csv`],
      ['db', 'migrate'],
      ['db', 'backup', `${workspace.dir}/copy.db`],
    ];
    for (const args of [...reads, ...writes]) {
      const result = await runUrp(['--db', typo, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toBe(`urp: error: --db: there is no database at ${typo}: check --db or URP_DB, or create it with urp init\n`);
    }
    expect(existsSync(`${workspace.dir}/typo`)).toBe(false);
    expect(existsSync(`${workspace.dir}/copy.db`)).toBe(false);
  });

  it('takes its path from URP_DB when --db is absent', async () => {
    const result = await runUrp(['db', 'status', '--json'], { env: { URP_DB: workspace.db } });
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status.path).toBe(workspace.db);
    expect(status.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(status.migrations.every((migration: { appliedAt: string | null }) => migration.appliedAt)).toBe(true);
  });

  it('db status says when no operator is defined (open access) and db migrate is idempotent', async () => {
    const status = await urp(['db', 'status']);
    expect(status.stdout).toMatch(/Operators\s+none: open access/);
    const migrate = await urp(['db', 'migrate']);
    expect(migrate.code).toBe(0);
    expect(migrate.stderr).toContain('already up to date');
  });
});

describe('init --demo', () => {
  it('loads a demo that report list shows', async () => {
    const init = await urp(['init', '--demo']);
    expect(init.code).toBe(0);
    expect(init.stderr).toMatch(/Demo data loaded: 6 areas, 10 categories, 60 citizens, \d+ reports/);
    const list = await urp(['report', 'list', '--json']);
    const reports = JSON.parse(list.stdout);
    expect(reports.length).toBeGreaterThan(250);
    // Every status is represented, reopened reports too.
    expect(new Set(reports.map((report: { status: string }) => report.status))).toEqual(
      new Set(['registered', 'assigned', 'acknowledged', 'suspended', 'answered', 'closed', 'rejected']),
    );
    expect(reports.some((report: { reopenCount: number }) => report.reopenCount > 0)).toBe(true);
    expect(reports.some((report: { lateToReply: boolean }) => report.lateToReply)).toBe(true);
    expect(reports.some((report: { lateToAssign: boolean }) => report.lateToAssign)).toBe(true);
    // Every demo tax code is valid: registering a citizen with one of them is refused only as another person's.
    const [citizen] = query<{ id: number; tax_code: string }>(workspace.db, 'select id, tax_code from citizens where tax_code is not null limit 1');
    const duplicate = await urp(['citizen', 'add', '--first-name', 'A', '--last-name', 'B', '--email', 'a@b.it', '--tax-code', citizen!.tax_code]);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain(`this tax code belongs to citizen ${citizen!.id}, registered under another name`);
  });

  it('refuses to load the demo twice', async () => {
    await urp(['init', '--demo']);
    const before = snapshot(workspace.db);
    const again = await urp(['init', '--demo']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds reports');
    expect(snapshot(workspace.db)).toBe(before);
  });
});

describe('a phone report from entry to show', () => {
  it('registers, prints the number, and shows it with deadlines and timeline', async () => {
    await smallOffice();
    const created = await urp(PHONE_REPORT);
    expect(created.stderr).toBe(`Citizen 1 registered\nReport ${YEAR}/000001 registered\n`);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(`${YEAR}/000001\n`);

    const [row] = query(workspace.db, 'select * from reports');
    expect(row).toMatchObject({
      number: `${YEAR}/000001`,
      type: 'problem',
      channel: 'phone',
      status: 'registered',
      subject: 'Buca in via Roma',
      received_at: '2026-11-20T08:30:00.000Z',
      // 48 elapsed hours: Sunday 22/11 09:30 moves to Monday 23/11 09:30.
      assign_due_at: '2026-11-23T08:30:00.000Z',
      // 20/11 + 30 days = 20/12, a Sunday: Monday 21/12 at the end of the day, Rome time.
      reply_due_at: '2026-12-21T22:59:59.999Z',
    });
    const [citizen] = query(workspace.db, 'select first_name, last_name, phone from citizens');
    expect(citizen).toEqual({ first_name: 'Mario', last_name: 'Rossi', phone: '+393331234567' });
    const events = query(workspace.db, 'select kind, to_status, operator from report_events');
    expect(events).toEqual([{ kind: 'registered', to_status: 'registered', operator: 'test-clerk' }]);

    const show = await urp(['report', 'show', `${YEAR}/1`, '--as-of', '2026-11-26T10:00']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`${YEAR}/000001`);
    expect(show.stdout).toMatch(/Assign by\s+2026-11-23T09:30:00\+01:00\s+\(3 days late\)/);
    expect(show.stdout).toMatch(/Reply by\s+2026-12-21T23:59:59\+01:00\s+\(25 days left\)/);
    expect(show.stdout).toContain('Rossi Mario (1), 333 123 4567'); // for people in the national style; --json keeps E.164
    // Open access: the name asked for (URP_OPERATOR), entered by the account that ran urp.
    expect(show.stdout).toMatch(new RegExp(`Timeline\\n\\s+\\S+\\s+registered\\s+\\[${ME} for test-clerk\\]`));
    expect(show.stdout).not.toMatch(ANSI);
  });

  it('refuses a tax code, e-mail or phone that is another person\'s, naming that citizen by number only; writes nothing', async () => {
    await smallOffice();
    await urp(['citizen', 'add', '--first-name', 'Giuseppe', '--last-name', 'Verdi', '--tax-code', 'VRDGPP80A01F205X', '--email', 'giuseppe.verdi@example.it', '--phone', '0331 467816']);
    const before = snapshot(workspace.db);
    const paolo = ['report', 'new', '--type', 'problem', '--channel', 'email', '--subject', 'x', '--first-name', 'Paolo', '--last-name', 'Neri'];
    for (const [given, field] of [
      [['--tax-code', 'VRDGPP80A01F205X', '--email', 'paolo.neri@example.it'], 'tax code'],
      [['--email', 'giuseppe.verdi@example.it'], 'e-mail'],
      [['--phone', '+39 0331 467816'], 'phone'],
    ] as const) {
      const result = await urp([...paolo, ...given]);
      expect(result.code, given.join(' ')).toBe(2);
      expect(result.stderr).toContain(`this ${field} belongs to citizen 1, registered under another name`);
      expect(result.stderr).not.toMatch(/Verdi|Giuseppe|VRDGPP|467816|giuseppe\.verdi/);
    }
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('adds the contacts a matched citizen did not have, and the timeline says so', async () => {
    await smallOffice();
    await urp(['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Bianchi', '--email', 'anna@example.it']);
    const result = await urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'x', '--first-name', 'anna', '--last-name', 'BIANCHI', '--email', 'anna@example.it', '--phone', '333 111 2222', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Citizen 1 already registered');
    expect(result.stderr).toContain('Citizen 1: --phone added');
    expect(query(workspace.db, 'select count(*) as n, max(phone) as phone from citizens')).toEqual([{ n: 1, phone: '+393331112222' }]);
    const number = JSON.parse(result.stdout).number as string;
    const show = await urp(['report', 'show', number]);
    expect(show.stdout).toMatch(/contacts added to the citizen's record — phone/);
  });

  it('reuses the citizen found by phone and assigns at once with --area', async () => {
    await smallOffice();
    await urp(PHONE_REPORT);
    const second = await urp([...PHONE_REPORT.slice(0, 10), '--subject', 'Ancora la buca', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '+39 333 1234567', '--area', 'lavori-pubblici', '--json']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('Citizen 1 already registered');
    const report = JSON.parse(second.stdout);
    expect(report).toMatchObject({ number: `${YEAR}/000002`, status: 'assigned', area: 'lavori-pubblici', citizen: { id: 1 } });
    for (const field of ['number', 'type', 'channel', 'status', 'subject', 'description', 'category', 'area', 'citizen', 'receivedAt', 'registeredAt', 'assignDueAt', 'replyDueAt', 'assignedAt', 'acknowledgedAt', 'answeredAt', 'closedAt', 'outcome', 'externalRef', 'lateToAssign', 'lateToReply']) {
      expect(report).toHaveProperty(field);
    }
    expect(query(workspace.db, 'select count(*) as n from citizens')[0]).toEqual({ n: 1 });
    expect(query(workspace.db, `select kind from report_events where report_id = 2 order by id`)).toEqual([{ kind: 'registered' }, { kind: 'assigned' }]);
  });
});

describe('bad input exits 2, names the field and writes nothing', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no citizen', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x'], /--citizen: no citizen: anonymous reports are not accepted/],
    ['a citizen with no contact', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--first-name', 'A', '--last-name', 'B'], /--email\/--phone\/--address: at least one way to reach/],
    ['an invalid tax code', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--first-name', 'A', '--last-name', 'B', '--email', 'a@b.it', '--tax-code', 'RSSMRA85T10A562T'], /--tax-code: wrong check character/],
    ['a received date in the future', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--citizen', '1', '--received-at', '2099-01-01'], /--received-at: cannot be in the future/],
    ['an unparseable received date', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--citizen', '1', '--received-at', 'next tuesday'], /--received-at: not a date urp can read: 27\/11\/2026, 27\/11\/26, 27\/11, 2026-11-27, today or yesterday/],
    ['a received date no calendar has', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--citizen', '1', '--received-at', '31/02/2026'], /--received-at: 31\/02\/2026 does not exist: that month has 28 days/],
    ['an unknown type', ['--type', 'lamentela', '--channel', 'phone', '--subject', 'x', '--citizen', '1'], /--type: "lamentela" is not a report type/],
    ['an unknown channel', ['--type', 'complaint', '--channel', 'fax', '--subject', 'x', '--citizen', '1'], /--channel: "fax" is not a channel/],
    ['an unknown area', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--citizen', '1', '--area', 'nowhere'], /--area: no area "nowhere"/],
    ['an unknown category', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--citizen', '1', '--category', 'nothing'], /--category: no category "nothing"/],
    ['an empty subject', ['--type', 'complaint', '--channel', 'phone', '--subject', '  ', '--citizen', '1'], /--subject: required/],
    ['a subject over 200 characters', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x'.repeat(201), '--citizen', '1'], /--subject: too long \(201 characters, at most 200\)/],
    ['a description over 10,000 characters', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--description', 'y'.repeat(10_001), '--citizen', '1'], /--description: too long/],
    ['an unknown citizen', ['--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--citizen', '99'], /--citizen: no citizen number 99/],
    ['a missing type without a terminal', ['--channel', 'phone', '--subject', 'x', '--citizen', '1'], /--type: required/],
    ['an unknown option', ['--colour', 'red'], /unknown option '--colour'/],
    // An unset variable in a script: refused, not recorded as the system's user.
    ['an empty --operator', ['--operator', '', '--type', 'complaint', '--channel', 'phone', '--subject', 'x', '--citizen', '1'], /^urp: error: --operator: required\n$/],
  ];

  for (const [name, args, message] of cases) {
    it(name, async () => {
      await smallOffice();
      await urp(['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Bianchi', '--email', 'anna@example.it']);
      const before = snapshot(workspace.db);
      const result = await urp(['report', 'new', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(result.stdout).toBe('');
      expect(snapshot(workspace.db)).toBe(before);
    });
  }

  it('an unknown report number', async () => {
    expect((await urp(['init'])).code).toBe(0);
    const result = await urp(['report', 'show', `${YEAR}/999`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no report ${YEAR}/000999`);
  });

  it('does not echo personal data typed in the wrong place', async () => {
    expect((await urp(['init'])).code).toBe(0);
    const asId = await urp(['citizen', 'show', 'RSSMRA85T10A562S']);
    expect(asId.code).toBe(2);
    expect(asId.stderr).toBe('urp: error: id: not a citizen number (citizens are numbered 1, 2, 3...: see urp citizen find)\n');
    const asType = await urp(['report', 'new', '--type', 'mario.rossi@example.it', '--channel', '+39 333 1234567', '--subject', 'x', '--citizen', '1']);
    expect(asType.code).toBe(2);
    expect(asType.stderr).not.toMatch(/mario|1234567/);
    expect(asType.stderr).toContain('--type: "…" is not a report type');
  });

  it('does not echo a rejected tax code or e-mail', async () => {
    const result = await urp(['citizen', 'add', '--first-name', 'A', '--last-name', 'B', '--email', 'mario@', '--tax-code', 'RSSMRA85T10A562T']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('RSSMRA85T10A562T');
    expect(result.stderr).not.toContain('mario@');
  });
});

describe('report list', () => {
  beforeEach(async () => {
    await smallOffice();
    await urp(['area', 'add', 'ambiente', '--name', 'Ambiente']);
    await urp(PHONE_REPORT);
    await urp(['report', 'new', '--type', 'complaint', '--channel', 'email', '--received-at', '2026-11-25T10:00', '--subject', 'Rifiuti non raccolti', '--citizen', '1', '--area', 'ambiente']);
    await urp(['report', 'new', '--type', 'suggestion', '--channel', 'counter', '--received-at', '2026-10-01', '--subject', '=SUM(A1) più panchine', '--citizen', '1']);
  });

  it('prints plain tab-separated lines when piped, most recent first', async () => {
    const result = await urp(['report', 'list', '--as-of', '2026-11-26T12:00']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(ANSI);
    expect(result.stdout).not.toMatch(BOX_DRAWING);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('number\tstatus\ttype\tarea\treceived\tdue\tsubject\tcitizen');
    expect(lines.slice(1).map((line) => line.split('\t')[0])).toEqual([`${YEAR}/000002`, `${YEAR}/000001`, `${YEAR}/000003`]);
    // Received 1/10, due Saturday 31/10 at the end of the day: 25 days and 12 hours ago.
    expect(lines[3]).toContain('reply: 25 days late');
  });

  it('filters by status, area, type, channel, category, dates, search and lateness', async () => {
    const numbers = async (...args: string[]) =>
      JSON.parse((await urp(['report', 'list', '--json', '--as-of', '2026-11-26T12:00', ...args])).stdout).map((report: { number: string }) => report.number);
    expect(await numbers('--status', 'assegnata')).toEqual([`${YEAR}/000002`]);
    expect(await numbers('--status', 'registered,assigned')).toHaveLength(3);
    expect(await numbers('--area', 'ambiente')).toEqual([`${YEAR}/000002`]);
    expect(await numbers('--type', 'reclamo')).toEqual([`${YEAR}/000002`]);
    expect(await numbers('--channel', 'sportello')).toEqual([`${YEAR}/000003`]);
    expect(await numbers('--category', 'strade')).toEqual([`${YEAR}/000001`]);
    expect(await numbers('--from', '2026-11-01', '--to', '20/11/2026')).toEqual([`${YEAR}/000001`]);
    expect(await numbers('--search', 'rifiuti')).toEqual([`${YEAR}/000002`]);
    // Whatever the case and the accents typed: "PIU" finds "più".
    expect(await numbers('--search', 'PIU PANCHINE')).toEqual([`${YEAR}/000003`]);
    expect(await numbers('--search', 'più')).toEqual([`${YEAR}/000003`]);
    expect(await numbers('--late')).toEqual([`${YEAR}/000001`, `${YEAR}/000003`]);
    expect(await numbers('--limit', '1')).toEqual([`${YEAR}/000002`]);
  });

  it('writes CSV with formulas neutralised', async () => {
    const result = await urp(['report', 'list', '--csv']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^number,type,channel,status,subject/);
    expect(result.stdout).toContain("'=SUM(A1) più panchine");
  });

  it('refuses a bad filter', async () => {
    const result = await urp(['report', 'list', '--from', 'the day before']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--from: not a date urp can read');
  });
});

describe('areas, categories, citizens, settings', () => {
  it('manages areas: add, list, update, disable (no new assignments, history kept)', async () => {
    await smallOffice();
    expect((await urp(['area', 'add', 'lavori-pubblici', '--name', 'Doppione'])).code).toBe(2);
    await urp(PHONE_REPORT.concat(['--area', 'lavori-pubblici']));
    expect((await urp(['area', 'update', 'lavori-pubblici', '--manager', 'Arch. Verdi', '--email', 'LLPP@Comune.IT'])).code).toBe(0);
    expect((await urp(['area', 'disable', 'lavori-pubblici'])).code).toBe(0);
    const areas = JSON.parse((await urp(['area', 'list', '--json'])).stdout);
    expect(areas).toEqual([{ code: 'lavori-pubblici', name: 'Lavori pubblici', manager: 'Arch. Verdi', email: 'LLPP@comune.it', active: false }]);
    const refused = await urp([...PHONE_REPORT, '--area', 'lavori-pubblici']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('area "lavori-pubblici" is disabled');
    expect(query(workspace.db, 'select area_id from reports')).toEqual([{ area_id: 1 }]);
    expect((await urp(['area', 'update', 'lavori-pubblici', '--enable'])).code).toBe(0);
  });

  it('manages categories with their default area', async () => {
    await smallOffice();
    expect((await urp(['category', 'add', 'verde', '--name', 'Verde pubblico', '--area', 'nowhere'])).code).toBe(2);
    await urp(['category', 'update', 'strade', '--name', 'Strade e marciapiedi']);
    const list = await urp(['category', 'list']);
    expect(list.stdout).toBe('code\tname\tdefault area\tactive\nstrade\tStrade e marciapiedi\tlavori-pubblici\tyes\n');
  });

  it('adds, finds, shows and updates citizens; refuses a duplicate e-mail naming the existing one', async () => {
    const added = await urp(['citizen', 'add', '--first-name', 'Nicolò', '--last-name', 'De Luca', '--email', 'Nicolo.DeLuca@Example.it', '--phone', '0331 467816', '--tax-code', 'dlcncl80a01f205x']);
    expect(added.stderr).toContain('--tax-code');
    expect(added.code).toBe(2);
    const ok = await urp(['citizen', 'add', '--first-name', 'Nicolò', '--last-name', 'De Luca', '--email', 'Nicolo.DeLuca@Example.it', '--phone', '0331 467816']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('1\n');
    const duplicate = await urp(['citizen', 'add', '--first-name', 'N', '--last-name', 'D', '--email', 'nicolo.deluca@example.it']);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('this e-mail belongs to citizen 1, registered under another name');
    // The same person (same name) is named as already registered.
    const again = await urp(['citizen', 'add', '--first-name', 'nicolo', '--last-name', 'de luca', '--email', 'nicolo.deluca@example.it']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('this person is already registered as citizen 1');
    // The same name and phone: the same person, whatever the spelling of either.
    const samePerson = await urp(['citizen', 'add', '--first-name', 'nicolò', '--last-name', 'DE LUCA', '--phone', '+39 0331 467 816']);
    expect(samePerson.code).toBe(2);
    expect(samePerson.stderr).toBe('urp: error: this person is already registered as citizen 1 (urp citizen show 1)\n');
    // Whole or in part: the name in any order, the phone's digits, the e-mail.
    for (const text of ['nicolo', 'NICOLÒ', 'de luca', 'luca nic', '0331467816', '+39 0331 467816', '0331', '467 816', 'nicolo.deluca@example.it', 'nicolo.deluca', 'example.it']) {
      const found = JSON.parse((await urp(['citizen', 'find', text, '--json'])).stdout);
      expect(found.map((citizen: { id: number }) => citizen.id), text).toEqual([1]);
    }
    expect(JSON.parse((await urp(['citizen', 'find', 'bianchi', '--json'])).stdout)).toEqual([]);
    // One citizen, one identity: Nicolò's phone is not given to another person (his brother gives a contact of his own).
    const brother = await urp(['citizen', 'add', '--first-name', 'Marco', '--last-name', 'De Luca', '--phone', '0331 467816']);
    expect(brother.code).toBe(2);
    expect(brother.stderr).toBe('urp: error: --phone: this phone belongs to citizen 1, registered under another name: use --citizen 1 if it is them, or give another contact\n');
    expect((await urp(['citizen', 'add', '--first-name', 'Marco', '--last-name', 'De Luca', '--email', 'marco@example.it'])).stdout).toBe('2\n');
    const updated = await urp(['citizen', 'update', '1', '--phone', '', '--address', 'Via Roma 1', '--json']);
    expect(JSON.parse(updated.stdout)).toMatchObject({ phone: null, address: 'Via Roma 1', email: 'Nicolo.DeLuca@example.it' });
    const show = await urp(['citizen', 'show', '1']);
    expect(show.stdout).toMatch(/Name\s+De Luca Nicolò/);
    const removeAll = await urp(['citizen', 'update', '1', '--email', '', '--address', '']);
    expect(removeAll.code).toBe(2);
    expect(removeAll.stderr).toContain('at least one way to reach');
  });

  it('lists, gets and sets validated settings', async () => {
    expect((await urp(['config', 'get', 'reply-days'])).stdout).toBe('30\n');
    expect((await urp(['config', 'set', 'local-holidays', '12-07,2026-06-13'])).code).toBe(0);
    expect((await urp(['config', 'get', 'local-holidays'])).stdout).toBe('12-07,2026-06-13\n');
    const cleared = await urp(['config', 'set', 'local-holidays', 'none']);
    expect(cleared.stderr).toBe('local-holidays set to none\n');
    expect((await urp(['config', 'get', 'local-holidays'])).stdout).toBe('\n');
    expect((await urp(['config', 'set', 'local-holidays', '12-07,2026-06-13'])).code).toBe(0);
    for (const [key, value] of [['reply-days', '0'], ['time-zone', 'Mars/Olympus'], ['local-holidays', '02-30'], ['due-soon-days', 'five'], ['colour', 'red'], ['organisation-name', 'Comune\u001b[2J di Prova']] as const) {
      const before = snapshot(workspace.db);
      const result = await urp(['config', 'set', key, value]);
      expect(result.code, `${key}=${value}`).toBe(2);
      expect(snapshot(workspace.db)).toBe(before);
    }
    const all = JSON.parse((await urp(['config', 'list', '--json'])).stdout);
    // (Other settings, with their defaults, belong to the features that use them.)
    expect(all).toMatchObject({
      assignHours: 48,
      replyDays: 30,
      timeZone: 'Europe/Rome',
      localHolidays: ['12-07', '2026-06-13'],
      dueSoonDays: 5,
      organisationName: 'Comune',
      earliestReceipt: '1990-01-01',
      // Issue 14: mail, off until mail-smtp is set.
      mailSmtp: null,
      mailFrom: null,
      pecSmtp: null,
      pecFrom: null,
      mailReceipt: true,
      mailAssignment: true,
      mailReply: true,
      mailDigest: true,
      mailAreaCitizenName: false,
      mailLanguage: 'it',
    });
  });
});

describe('language and help', () => {
  it('speaks Italian with --lang it or LANG=it_IT', async () => {
    expect((await urp(['init'])).code).toBe(0);
    const flag = await urp(['--lang', 'it', 'report', 'show', `${YEAR}/1`]);
    expect(flag.stderr).toContain(`nessuna pratica ${YEAR}/000001`);
    const env = await urp(['report', 'show', `${YEAR}/1`], { env: { LANG: 'it_IT.UTF-8' } });
    expect(env.stderr).toContain('nessuna pratica');
    const help = await urp(['--help'], { env: { LANG: 'it_IT.UTF-8' } });
    expect(help.stdout).toContain('Codici di uscita');
    // commander's own usage errors too, with urp's prefix and the help to read.
    const usage = await urp(['--lang', 'it', 'review', '--format', 'docx']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe("urp: errore: 'docx' non è ammesso per '--format' (ammessi: pdf, html)\n(vedere: urp review --help)\n");
    const grouping = await urp(['--lang', 'it', 'stats', '--by', 'settimana']);
    expect(grouping.code).toBe(2);
    expect(grouping.stderr).toBe('urp: errore: --by: "settimana" non è un raggruppamento: area, tipo, canale, categoria o mese\n');
    const unknown = await urp(['--lang', 'it', 'report', 'list', '--stato', 'x']);
    expect(unknown.stderr).toBe("urp: errore: opzione sconosciuta '--stato' (forse --status?)\n(vedere: urp report list --help)\n");
  });

  it('prints help and exit codes with no arguments when not on a terminal', async () => {
    const result = await runUrp([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: urp');
    expect(result.stdout).toContain('Exit codes: 0 done');
  });

  it('refuses an unknown command with exit 2', async () => {
    const result = await urp(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
