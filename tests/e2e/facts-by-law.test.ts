import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { query, snapshot, tempWorkspace, urpWith, YEAR } from '../helpers/cli.js';

// What a user sees of the facts urp takes from the law and from well-kept
// libraries (issue 11): the holidays of a year, tax-code dates, phones,
// internationalised e-mail, times the clocks skip or repeat.

let workspace: ReturnType<typeof tempWorkspace>;
let urp: ReturnType<typeof urpWith>;

beforeEach(() => {
  workspace = tempWorkspace();
  urp = urpWith(workspace.db);
});
afterEach(() => workspace.cleanup());

const rows = (stdout: string) => stdout.trim().split('\n').map((line) => line.split('\t'));

describe('urp config holidays', () => {
  it('lists the holidays of 2027 in English, 4 October included, and the local ones', async () => {
    expect((await urp(['config', 'set', 'local-holidays', '06-13,2027-11-30'])).code).toBe(0);
    const result = await urp(['config', 'holidays', '--year', '2027']);
    expect(result.code).toBe(0);
    expect(rows(result.stdout)).toEqual([
      ['date', 'day', 'holiday', 'kind'],
      ['2027-01-01', 'Friday', "New Year's Day", 'national'],
      ['2027-01-06', 'Wednesday', 'Epiphany', 'national'],
      ['2027-03-28', 'Sunday', 'Easter Sunday', 'national'],
      ['2027-03-29', 'Monday', 'Easter Monday', 'national'],
      ['2027-04-25', 'Sunday', 'Liberation Day', 'national'],
      ['2027-05-01', 'Saturday', 'Labour Day', 'national'],
      ['2027-06-02', 'Wednesday', 'Republic Day', 'national'],
      ['2027-06-13', 'Sunday', 'Local holiday', 'local (patron saint)'],
      ['2027-08-15', 'Sunday', 'Assumption (Ferragosto)', 'national'],
      ['2027-10-04', 'Monday', 'Saint Francis of Assisi, patron saint of Italy', 'national'],
      ['2027-11-01', 'Monday', "All Saints' Day", 'national'],
      ['2027-11-30', 'Tuesday', 'Local holiday', 'local (patron saint)'],
      ['2027-12-08', 'Wednesday', 'Immaculate Conception', 'national'],
      ['2027-12-25', 'Saturday', 'Christmas Day', 'national'],
      ['2027-12-26', 'Sunday', "Saint Stephen's Day", 'national'],
    ]);
  });

  it('names them as Italians write them', async () => {
    const result = await urp(['--lang', 'it', 'config', 'holidays', '--year', '2027']);
    expect(result.code).toBe(0);
    expect(rows(result.stdout).map(([date, day, name, kind]) => `${date} ${day} ${name} ${kind}`)).toEqual([
      'data giorno festività tipo',
      '2027-01-01 venerdì Capodanno nazionale',
      '2027-01-06 mercoledì Epifania nazionale',
      '2027-03-28 domenica Pasqua nazionale',
      "2027-03-29 lunedì Lunedì dell'Angelo nazionale",
      '2027-04-25 domenica Festa della Liberazione nazionale',
      '2027-05-01 sabato Festa del Lavoro nazionale',
      '2027-06-02 mercoledì Festa della Repubblica nazionale',
      '2027-08-15 domenica Ferragosto nazionale',
      "2027-10-04 lunedì San Francesco d'Assisi patrono d'Italia nazionale",
      '2027-11-01 lunedì Ognissanti nazionale',
      '2027-12-08 mercoledì Immacolata Concezione nazionale',
      '2027-12-25 sabato Natale nazionale',
      '2027-12-26 domenica Santo Stefano nazionale',
    ]);
  });

  it('knows the years when the list was different', async () => {
    const codes = async (year: number) => JSON.parse((await urp(['config', 'holidays', '--year', String(year), '--json'])).stdout) as Array<{ date: string; code: string; kind: string }>;
    const in1980 = await codes(1980);
    expect(in1980.find((holiday) => holiday.code === 'epiphany')).toBeUndefined();
    expect(in1980.find((holiday) => holiday.code === 'republic')).toEqual({ date: '1980-06-01', code: 'republic', kind: 'national' }); // the first Sunday of June
    expect((await codes(2011)).find((holiday) => holiday.date === '2011-03-17')).toEqual({ date: '2011-03-17', code: 'unification_150', kind: 'national' });
    expect((await codes(2025)).find((holiday) => holiday.code === 'saint_francis')).toBeUndefined();
  });

  it('defaults to this year and refuses a year that is not one', async () => {
    const thisYear = JSON.parse((await urp(['config', 'holidays', '--json'])).stdout) as Array<{ date: string }>;
    expect(thisYear[0]).toEqual({ date: `${YEAR}-01-01`, code: 'new_year', kind: 'national' });
    const refused = await urp(['config', 'holidays', '--year', '27']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--year: a year from 1900 to 9999 is expected');
  });
});

describe('tax codes', () => {
  it('refuses 29 February of a year that is never a leap year, and writes nothing', async () => {
    expect((await urp(['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Neri', '--email', 'anna.neri@example.it'])).code).toBe(0);
    const before = snapshot(workspace.db);
    const result = await urp(['citizen', 'add', '--first-name', 'Alessandro', '--last-name', 'Negri', '--tax-code', 'NGXLSN11B29B955V', '--email', 'a.negri@example.it']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--tax-code: the birth date it encodes does not exist');
    expect(result.stderr).not.toContain('NGXLSN11B29B955V');
    expect(snapshot(workspace.db)).toBe(before);
    // 1976 was a leap year
    expect((await urp(['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Verdi', '--tax-code', 'VRDNNA76B69H501H', '--phone', '333 765 4321'])).code).toBe(0);
  });
});

describe('phones', () => {
  it('stores a UK number without its trunk 0 and shows it in international style; scripts get E.164', async () => {
    const added = await urp(['citizen', 'add', '--first-name', 'John', '--last-name', 'Smith', '--phone', '+44 (0) 20 7946 0958', '--json']);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).phone).toBe('+442079460958');
    expect(query(workspace.db, 'select phone from citizens')).toEqual([{ phone: '+442079460958' }]);
    const show = await urp(['citizen', 'show', '1']);
    expect(show.stdout).toMatch(/^Phone\s+\+44 20 7946 0958$/m);
    expect(JSON.parse((await urp(['citizen', 'show', '1', '--json'])).stdout).phone).toBe('+442079460958');
    // Found again however it is typed, listed for people and as data.
    for (const typed of ['+44 20 7946 0958', '0044 20 7946 0958', '+44 020 7946 0958']) {
      const found = await urp(['citizen', 'find', typed]);
      expect(found.stdout, typed).toContain('+44 20 7946 0958');
    }
    expect((await urp(['citizen', 'find', 'Smith', '--csv'])).stdout).toContain('+442079460958');
  });

  it('shows Italian numbers in the national style in report show and the printout', async () => {
    const number = (
      await urp([
        'report', 'new', '--type', 'problem', '--channel', 'phone', '--received-at', '20/11/2026 09:30', '--subject', 'Buca',
        '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '+39 333 1234567',
      ])
    ).stdout.trim();
    expect(query(workspace.db, 'select phone from citizens')).toEqual([{ phone: '+393331234567' }]);
    expect((await urp(['report', 'show', number])).stdout).toContain('Rossi Mario (1), 333 123 4567');
    const printout = await urp(['overdue', '--with-citizen', '--as-of', '2026-11-26T10:00']);
    expect(printout.stdout).toContain('Rossi Mario, 333 123 4567');
    expect(JSON.parse((await urp(['overdue', '--with-citizen', '--as-of', '2026-11-26T10:00', '--json'])).stdout).lateToAssign[0].citizen.phone).toBe('+393331234567');
    expect((await urp(['overdue', '--with-citizen', '--as-of', '2026-11-26T10:00', '--csv'])).stdout).toContain('+393331234567');
    // A landline, through citizen update
    expect((await urp(['citizen', 'update', '1', '--phone', '0331/467816'])).code).toBe(0);
    expect((await urp(['citizen', 'show', '1'])).stdout).toMatch(/^Phone\s+0331 467816$/m);
  });

  it('refuses numbers impossible for their plan, saying why', async () => {
    for (const [phone, why] of [
      ['3001234567', 'not a number in use in the +39 numbering plan'],
      ['80012345', 'not a number in use in the +39 numbering plan'],
      ['+999 123456', 'no country has this international prefix'],
      ['0331', 'too short for a phone number'],
      ['333 123 456 789 0', 'too long for a phone number'],
    ]) {
      const result = await urp(['citizen', 'add', '--first-name', 'A', '--last-name', 'B', '--phone', phone!]);
      expect(result.code, phone).toBe(2);
      expect(result.stderr, phone).toContain(`--phone: ${why}`);
    }
    const italian = await urp(['--lang', 'it', 'citizen', 'add', '--first-name', 'A', '--last-name', 'B', '--phone', '3001234567']);
    expect(italian.stderr).toContain('--phone: non è un numero in uso nel piano di numerazione +39');
    expect(query(workspace.db, 'select count(*) as n from citizens')).toEqual([{ n: 0 }]);
  });
});

describe('e-mail', () => {
  it('accepts an internationalised domain in Unicode or punycode as one address, the local part as typed', async () => {
    const added = await urp(['citizen', 'add', '--first-name', 'Mario', '--last-name', 'Rossi', '--email', 'Mario.Rossi@Università.it']);
    expect(added.code).toBe(0);
    expect(query(workspace.db, 'select email from citizens')).toEqual([{ email: 'Mario.Rossi@xn--universit-y1a.it' }]);
    expect((await urp(['citizen', 'show', '1'])).stdout).toMatch(/^E-mail\s+Mario\.Rossi@università\.it$/m);
    // The same address in punycode and in another case is the same citizen.
    const again = await urp([
      'report', 'new', '--type', 'complaint', '--channel', 'email', '--received-at', '20/11/2026 09:30', '--subject', 'Rumore',
      '--first-name', 'Mario', '--last-name', 'Rossi', '--email', 'mario.rossi@xn--universit-y1a.it',
    ]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Citizen 1 already registered');
    const duplicate = await urp(['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Rossi', '--email', 'MARIO.ROSSI@università.it']);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('--email: this e-mail belongs to citizen 1, registered under another name');
    expect((await urp(['citizen', 'find', 'mario.rossi@università.it'])).stdout).toContain('Mario.Rossi@università.it');
  });

  it('refuses special-use domains and invalid IDNA, saying why', async () => {
    for (const [email, why] of [
      ['mario@mail.test', '.test is reserved for tests and never receives mail (RFC 6761)'],
      ['mario@host.local', '.local names devices on a local network'],
      ['mario@x.invalid', '.invalid is reserved for names that must never exist'],
      ['mario@example.arpa', '.arpa is reserved for the infrastructure of the Internet'],
      ['mario@example.com', 'example.com is reserved for examples in documentation'],
      ['mario@abcdefghijklmnop.onion', '.onion addresses are Tor onion services'],
      ['mario@ab--cd.it', 'the domain is not a valid internationalised name'],
      ['"mario rossi"@example.it', 'a quoted name before the @'],
    ]) {
      const result = await urp(['citizen', 'add', '--first-name', 'A', '--last-name', 'B', '--email', email!]);
      expect(result.code, email).toBe(2);
      expect(result.stderr, email).toContain(`--email: ${why}`);
    }
  });
});

describe('times the clocks skip or repeat', () => {
  const report = (receivedAt: string) => [
    'report', 'new', '--type', 'problem', '--channel', 'counter', '--received-at', receivedAt, '--subject', 'Lampione',
    '--first-name', 'Anna', '--last-name', 'Neri', '--email', 'anna.neri@example.it',
  ];

  it('refuses 29/03/2026 02:30, which does not exist in Rome, saying why and what to type', async () => {
    expect((await urp(['init'])).code).toBe(0);
    const before = snapshot(workspace.db);
    const result = await urp(report('29/03/2026 02:30'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--received-at: 2026-03-29 02:30 does not exist in Europe/Rome: that night the clocks went from 02:00 to 03:00. Type 03:30 (the same moment), or give the offset (2026-03-29T02:30+01:00)',
    );
    const italian = await urp(['--lang', 'it', ...report('29/03/2026 02:30')]);
    expect(italian.stderr).toContain('29/03/2026 02:30 non esiste nel fuso Europe/Rome');
    expect(snapshot(workspace.db)).toBe(before);
    // What it suggests is accepted.
    expect((await urp(report('29/03/2026 03:30'))).code).toBe(0);
    expect(query(workspace.db, 'select received_at from reports')).toEqual([{ received_at: '2026-03-29T01:30:00.000Z' }]);
  });

  it('reads 25/10/2026 02:30, which happens twice, as the first (summer time) unless an offset is given', async () => {
    expect((await urp(report('25/10/2026 02:30'))).code).toBe(0);
    expect((await urp(report('2026-10-25T02:30+01:00'))).code).toBe(0);
    expect(query(workspace.db, 'select received_at from reports order by id')).toEqual([
      { received_at: '2026-10-25T00:30:00.000Z' },
      { received_at: '2026-10-25T01:30:00.000Z' },
    ]);
    // The same rule for the other date options, and their help says so.
    expect((await urp(['report', 'list', '--from', '29/03/2026 02:30'])).stderr).toContain('--from: 2026-03-29 02:30 does not exist');
    for (const args of [['report', 'new'], ['report', 'list'], ['report', 'ack'], ['stats'], ['overdue']]) {
      expect((await urp([...args, '--help'])).stdout.replace(/\s+/g, ' '), args.join(' ')).toContain("an hour the clocks show twice is the first");
    }
  });
});
