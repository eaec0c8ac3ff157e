import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSI, BOX_DRAWING, type RunResult, query, tempWorkspace, urpWith } from '../helpers/cli.js';

/**
 * `urp overdue` and `urp stats` end to end, through bin/urp, on fixtures with
 * hand-computed deadlines and figures.
 *
 * Why a fake clock for building fixtures: a report is registered at the
 * program's "now", the `registered` event is recorded then, and `--at` may be
 * neither before the report's previous event nor in the future (checked in
 * the first test below). With the real clock every action would happen "now",
 * so report numbers (year of registration), hours to assign, days to answer,
 * on-time figures and the deadline of a reopened report would all depend on
 * the day the tests run. So fixture-building commands run bin/urp with a
 * preloaded module (NODE_OPTIONS=--import, written into the temporary folder)
 * that makes `new Date()`/`Date.now()` start at a chosen instant; nothing else
 * in the program changes. The commands under test (overdue, stats) run on the
 * real clock and pin the moment with --as-of.
 *
 * Rome is UTC+2 until Sun 25/10/2026 03:00 CEST (01:00Z), UTC+1 after.
 * Weekdays of 2026: Fri 23/10, Sun 25/10, Fri 30/10, Sun 1/11 (All Saints),
 * Tue 8/12 (Immacolata), Fri 25/12, Sat 26/12, Sun 27/12, Mon 28/12.
 */

const CLOCK_MODULE = `
const RealDate = Date;
const shift = RealDate.parse(process.env.URP_FAKE_NOW) - RealDate.now();
class FakeDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }
  static now() {
    return RealDate.now() + shift;
  }
}
globalThis.Date = FakeDate;
`;

const CITIZEN = ['--first-name', 'Giuseppina', '--last-name', 'Verdi', '--email', 'giuseppina.verdi@example.it'];

/** A database built through bin/urp, with a clock that can be set per command. */
function fixtureDatabase() {
  const workspace = tempWorkspace();
  const clock = join(workspace.dir, 'fake-clock.mjs');
  writeFileSync(clock, CLOCK_MODULE);
  const urp = urpWith(workspace.db);
  /** Runs a command that must succeed, as if the clock read `now` (UTC). */
  const at = async (now: string, args: string[]): Promise<RunResult> => {
    const result = await urp(args, { env: { URP_FAKE_NOW: now, NODE_OPTIONS: `--import ${pathToFileURL(clock).href}` } });
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  const register = async (now: string, fields: string[]): Promise<string> =>
    (await at(now, ['report', 'new', ...fields, ...CITIZEN])).stdout.trim();
  /** Runs a read command, which must succeed, and parses its JSON. */
  const json = async (args: string[]) => {
    const result = await urp([...args, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };
  return { workspace, urp, at, register, json };
}

async function office(db: ReturnType<typeof fixtureDatabase>) {
  await db.at('2026-09-01T08:00:00Z', ['area', 'add', 'lavori', '--name', 'Lavori pubblici']);
  await db.at('2026-09-01T08:00:00Z', ['area', 'add', 'ambiente', '--name', 'Ambiente']);
  await db.at('2026-09-01T08:00:00Z', ['category', 'add', 'strade', '--name', 'Strade']);
  await db.at('2026-09-01T08:00:00Z', ['config', 'set', 'organisation-name', 'Comune di Prova']);
}

/** A subject of exactly 180 characters, ending with a marker. */
const LONG_SUBJECT = 'Marciapiede dissestato in via Garibaldi, lato dei numeri pari, dal civico 2 al civico 48, con radici degli alberi che sollevano le lastre e grave pericolo per i pedoni anziani FINE';
const FORMULA_SUBJECT = '=1+1 rimborso TARI';

// ---------------------------------------------------------------------------------------------
// The overdue fixture. Numbers follow the order of registration.
//
//  n   status (final)  area      received (Rome)      assign due (UTC)            reply due (UTC)
//  1   registered      -         Fri 23/10 09:00 CEST 2026-10-26T07:00:00.000Z    2026-11-23T22:59:59.999Z
//      23/10 09:00 CEST = 07:00Z, +48 elapsed hours = Sun 25/10 07:00Z = 08:00 CET (the clocks went
//      back that night: 47 hours of wall clock); Sunday -> Mon 26/10 keeping 08:00 CET = 07:00Z.
//      Reply: 23/10 + 30 = Sun 22/11 -> Mon 23/11, 23:59:59.999 CET.
//  2   acknowledged    lavori    Fri 30/10 10:00 CET  (2026-11-02T09:00Z)         2026-11-30T22:59:59.999Z
//      Reply: 30/10 + 30 = Sun 29/11 -> Mon 30/11. (Assign: Sun 1/11, also All Saints -> Mon 2/11 10:00.)
//  3   assigned        ambiente  Sun 8/11 11:00 CET                               2026-12-09T22:59:59.999Z
//      Reply: 8/11 + 30 = Tue 8/12 (Immacolata) -> Wed 9/12.
//  4   registered      -         Wed 25/11 15:00 CET  2026-11-27T14:00:00.000Z    2026-12-28T22:59:59.999Z
//      Assign: 14:00Z + 48 h = Fri 27/11 14:00Z. Reply: 25/11 + 30 = Fri 25/12 (Christmas), Sat 26/12
//      (St Stephen), Sun 27/12 -> Mon 28/12.
//  5   assigned        ambiente  Sat 21/11 09:00 CET                              2026-12-21T22:59:59.999Z
//      Reply: 21/11 + 30 = Mon 21/12. Subject starts with "=".
//  6   suspended       lavori    Mon 12/10 10:00 CEST                             2026-11-11T22:59:59.999Z
//      Suspended on 20/10 and never resumed: its clock is stopped, it is never late.
//  7   registered      -         Mon 2/11 09:00 CET   2026-11-09T11:00:00.000Z    2026-12-02T22:59:59.999Z
//      Rejected, then the rejection withdrawn (reopen --at Fri 6/11 12:00 CET = 11:00Z): new
//      assignment deadline 11:00Z + 48 h = Sun 8/11 -> Mon 9/11 12:00 CET = 11:00Z (the first one,
//      Wed 4/11 08:00Z, no longer counts). Reply deadline unchanged: 2/11 + 30 = Wed 2/12.
//  8   rejected        -         Thu 1/10 10:00       never listed
//  9   closed          lavori    Mon 5/10 10:00       never listed
//  10  registered      -         Sat 24/10 09:30 CEST 2026-10-26T07:30:00.000Z    2026-11-23T22:59:59.999Z
//      07:30Z + 48 h = Mon 26/10 07:30Z = 08:30 CET (not 09:30: the DST change); reply 24/10 + 30 = Mon 23/11.
// ---------------------------------------------------------------------------------------------

async function buildOverdueFixture(db: ReturnType<typeof fixtureDatabase>) {
  await office(db);
  const numbers = [
    await db.register('2026-10-23T08:00:00Z', ['--type', 'problem', '--channel', 'phone', '--received-at', '23/10/2026 09:00', '--subject', 'Buca in via Roma', '--category', 'strade']),
    await db.register('2026-10-30T09:30:00Z', ['--type', 'complaint', '--channel', 'email', '--received-at', '2026-10-30T10:00', '--subject', LONG_SUBJECT, '--area', 'lavori']),
    await db.register('2026-11-08T10:30:00Z', ['--type', 'problem', '--channel', 'counter', '--received-at', '08/11/2026 11:00', '--subject', 'Lampione spento in piazza Garibaldi', '--category', 'strade']),
    await db.register('2026-11-25T14:30:00Z', ['--type', 'suggestion', '--channel', 'web', '--received-at', '25/11/2026 15:00', '--subject', 'Più panchine al parco']),
    await db.register('2026-11-21T08:30:00Z', ['--type', 'complaint', '--channel', 'pec', '--received-at', '21/11/2026 09:00', '--subject', FORMULA_SUBJECT, '--area', 'ambiente']),
    await db.register('2026-10-12T09:00:00Z', ['--type', 'problem', '--channel', 'phone', '--received-at', '12/10/2026 10:00', '--subject', 'Rifiuti abbandonati in via Po', '--area', 'lavori']),
    await db.register('2026-11-02T08:30:00Z', ['--type', 'problem', '--channel', 'email', '--received-at', '02/11/2026 09:00', '--subject', 'Segnale stradale divelto']),
    await db.register('2026-10-01T09:00:00Z', ['--type', 'suggestion', '--channel', 'paper', '--received-at', '01/10/2026 10:00', '--subject', 'Proposta respinta']),
    await db.register('2026-10-05T09:00:00Z', ['--type', 'problem', '--channel', 'phone', '--received-at', '05/10/2026 10:00', '--subject', 'Pratica chiusa', '--area', 'lavori']),
    await db.register('2026-10-24T08:00:00Z', ['--type', 'problem', '--channel', 'phone', '--received-at', '24/10/2026 09:30', '--subject', 'Semaforo guasto']),
  ];
  expect(numbers).toEqual(Array.from({ length: 10 }, (_, index) => `2026/${String(index + 1).padStart(6, '0')}`));
  await db.at('2026-11-02T10:00:00Z', ['report', 'ack', '2026/000002']);
  await db.at('2026-11-09T08:00:00Z', ['report', 'assign', '2026/000003', '--area', 'ambiente']);
  await db.at('2026-10-13T09:00:00Z', ['report', 'ack', '2026/000006']);
  await db.at('2026-10-20T08:00:00Z', ['report', 'suspend', '2026/000006', '--reason', 'In attesa di fotografie']);
  await db.at('2026-11-02T09:00:00Z', ['report', 'reject', '2026/000007', '--reason', 'Doppione']);
  await db.at('2026-11-26T08:00:00Z', ['report', 'reopen', '2026/000007', '--reason', 'Non era un doppione', '--at', '2026-11-06T12:00']);
  await db.at('2026-10-01T10:00:00Z', ['report', 'reject', '2026/000008', '--reason', 'Non di competenza del Comune']);
  await db.at('2026-10-06T09:00:00Z', ['report', 'reply', '2026/000009', '--text', 'Fatto', '--outcome', 'resolved']);
  await db.at('2026-10-06T10:00:00Z', ['report', 'close', '2026/000009']);
}

// ---------------------------------------------------------------------------------------------
// The statistics fixture (report: type, final status, area; received in Rome time; first
// assignment and first answer, elapsed). Assignment due = receipt + 48 h; reply due = end of the
// 30th day after the day of receipt.
//
//  S0 suggestion closed   ambiente  Wed 30/09 23:59:59 CEST (21:59:59Z)  assigned at registration +2 h;
//     answered +30 d (30/10 21:59:59Z, due 30/10 23:59:59.999 CET: on time), information.
//  S1 complaint  closed   lavori    Thu 01/10 00:30 CEST (30/09 22:30Z: September in UTC, October in
//     Rome)  assigned +24 h; answered +10 d, resolved.
//  S2 problem    answered ambiente  Mon 05/10 10:00 CEST  assigned at registration +6 h; answered +20 d
//     (across the DST change: elapsed time), unresolved.
//  S3 problem    acknowledged lavori Wed 07/10 09:00 CEST  assigned +72 h (due +48 h: late); answered
//     +35 d (due Fri 6/11: late), information; closed; reopened 15/11 (new reply due Tue 15/12):
//     it keeps its first answer, its outcome no longer counts.
//  S4 suggestion rejected -         Mon 12/10 12:00 CEST  rejected: counted in received and rejected only.
//  S5 complaint  suspended ambiente Thu 15/10 09:00 CEST  assigned +12 h; suspended 20/10, reply due
//     Sat 14/11 is past but the clock is stopped: not late, not counted in answered on time.
//  S6 problem    registered -       Mon 19/10 09:00 CEST  never assigned (due Wed 21/10: late), reply
//     due Wed 18/11: late to reply from 19/11.
//  S7 problem    answered lavori    Mon 02/11 10:00 CET   assigned at registration +0.5 h; answered +3 d,
//     not_competent.
//  S8 complaint  answered ambiente  Sun 01/11 00:30 CET (31/10 23:30Z: October in UTC, November in
//     Rome)  assigned --at exactly its deadline (+48 h, Tue 3/11 00:30 CET): on time; answered +8 d,
//     resolved.
//  S9 problem    acknowledged lavori Fri 20/11 10:00 CET  assigned +4 h; reply due Sun 20/12 -> Mon 21/12.
// ---------------------------------------------------------------------------------------------

async function buildStatsFixture(db: ReturnType<typeof fixtureDatabase>) {
  await office(db);
  const report = (now: string, type: string, channel: string, received: string, subject: string, ...extra: string[]) =>
    db.register(now, ['--type', type, '--channel', channel, '--received-at', received, '--subject', subject, ...extra]);
  const S0 = await report('2026-09-30T23:59:59Z', 'suggestion', 'web', '30/09/2026 23:59:59', 'S0 orari biblioteca', '--area', 'ambiente');
  await db.at('2026-10-30T21:59:59Z', ['report', 'reply', S0, '--text', 'Orari estesi', '--outcome', 'information']);
  await db.at('2026-10-31T08:00:00Z', ['report', 'close', S0]);

  const S1 = await report('2026-09-30T23:00:00Z', 'complaint', 'phone', '2026-10-01T00:30', 'S1 rumore notturno');
  await db.at('2026-10-01T22:30:00Z', ['report', 'assign', S1, '--area', 'lavori']);
  await db.at('2026-10-10T22:30:00Z', ['report', 'reply', S1, '--text', 'Controlli eseguiti', '--outcome', 'resolved']);
  await db.at('2026-10-11T08:00:00Z', ['report', 'close', S1]);

  const S2 = await report('2026-10-05T14:00:00Z', 'problem', 'email', '2026-10-05T10:00', 'S2 cestino rotto', '--area', 'ambiente');
  await db.at('2026-10-25T08:00:00Z', ['report', 'reply', S2, '--text', 'Non sostituibile per ora', '--outcome', 'unresolved']);

  const S3 = await report('2026-10-07T07:30:00Z', 'problem', 'counter', '2026-10-07T09:00', 'S3 tombino');
  await db.at('2026-10-10T07:00:00Z', ['report', 'assign', S3, '--area', 'lavori']);
  await db.at('2026-10-10T08:00:00Z', ['report', 'ack', S3]);
  await db.at('2026-11-11T07:00:00Z', ['report', 'reply', S3, '--text', 'Intervento programmato', '--outcome', 'information']);
  await db.at('2026-11-12T08:00:00Z', ['report', 'close', S3]);
  await db.at('2026-11-15T10:00:00Z', ['report', 'reopen', S3, '--reason', 'Intervento mai eseguito']);

  const S4 = await report('2026-10-12T10:30:00Z', 'suggestion', 'paper', '2026-10-12T12:00', 'S4 doppione');
  await db.at('2026-10-12T11:00:00Z', ['report', 'reject', S4, '--reason', 'Doppione']);

  const S5 = await report('2026-10-15T07:10:00Z', 'complaint', 'pec', '2026-10-15T09:00', 'S5 mensa scolastica');
  await db.at('2026-10-15T19:00:00Z', ['report', 'assign', S5, '--area', 'ambiente']);
  await db.at('2026-10-16T08:00:00Z', ['report', 'ack', S5]);
  await db.at('2026-10-20T07:00:00Z', ['report', 'suspend', S5, '--reason', 'Servono i dati del contratto']);

  await report('2026-10-19T07:20:00Z', 'problem', 'phone', '2026-10-19T09:00', 'S6 mai assegnata');

  const S7 = await report('2026-11-02T09:30:00Z', 'problem', 'web', '2026-11-02T10:00', 'S7 non nostra', '--area', 'lavori');
  await db.at('2026-11-05T09:00:00Z', ['report', 'reply', S7, '--text', 'Competenza della Provincia', '--outcome', 'not_competent']);

  const S8 = await report('2026-10-31T23:45:00Z', 'complaint', 'email', '2026-11-01T00:30', 'S8 alberi');
  await db.at('2026-11-03T09:00:00Z', ['report', 'assign', S8, '--area', 'ambiente', '--at', '2026-11-03T00:30']);
  await db.at('2026-11-08T23:30:00Z', ['report', 'reply', S8, '--text', 'Potatura eseguita', '--outcome', 'resolved']);

  const S9 = await report('2026-11-20T09:05:00Z', 'problem', 'phone', '2026-11-20T10:00', 'S9 in lavorazione');
  await db.at('2026-11-20T13:00:00Z', ['report', 'assign', S9, '--area', 'lavori']);
  await db.at('2026-11-20T14:00:00Z', ['report', 'ack', S9]);
}

let late: ReturnType<typeof fixtureDatabase>;
let stats: ReturnType<typeof fixtureDatabase>;

beforeAll(async () => {
  late = fixtureDatabase();
  stats = fixtureDatabase();
  await Promise.all([buildOverdueFixture(late), buildStatsFixture(stats)]);
}, 240_000);

afterAll(() => {
  late?.workspace.cleanup();
  stats?.workspace.cleanup();
});

describe('building fixtures', () => {
  it('--at may go back before the registration (backlog entry), not before the receipt', async () => {
    const workspace = tempWorkspace();
    try {
      const urp = urpWith(workspace.db);
      const created = await urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--received-at', '2026-10-01T09:00', '--subject', 'x', ...CITIZEN]);
      expect(created.code).toBe(0);
      const number = created.stdout.trim();
      const refused = await urp(['report', 'reject', number, '--reason', 'Doppione', '--at', '2026-09-30T09:00']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/--at: cannot be before the report was received \(2026-10-01T09:00:00\+02:00\)/);
      const rejected = await urp(['report', 'reject', number, '--reason', 'Doppione', '--at', '2026-10-02T09:00', '--json']);
      expect(rejected.code, rejected.stderr).toBe(0);
      const shown = JSON.parse((await urp(['report', 'show', number, '--json'])).stdout);
      const event = shown.timeline.find((each: { kind: string }) => each.kind === 'rejected');
      // When it happened, and when it was recorded (now, after the registration).
      expect(event.occurredAt).toBe('2026-10-02T07:00:00.000Z');
      expect(Date.parse(event.recordedAt)).toBeGreaterThan(Date.parse(shown.registeredAt) - 1000);
      const text = (await urp(['report', 'show', number])).stdout;
      expect(text).toMatch(/2026-10-02T09:00:00\+02:00  rejected — Doppione  \[[^\]]*\] \(entered \S+\)/);
    } finally {
      workspace.cleanup();
    }
  });

  it('the fixture has the deadlines computed by hand', () => {
    const rows = query<{ number: string; status: string; assign_due_at: string; reply_due_at: string }>(
      late.workspace.db,
      'select number, status, assign_due_at, reply_due_at from reports order by number',
    );
    expect(rows.map((row) => [row.number.slice(-2), row.status, row.assign_due_at, row.reply_due_at])).toEqual([
      ['01', 'registered', '2026-10-26T07:00:00.000Z', '2026-11-23T22:59:59.999Z'],
      ['02', 'acknowledged', '2026-11-02T09:00:00.000Z', '2026-11-30T22:59:59.999Z'],
      ['03', 'assigned', '2026-11-10T10:00:00.000Z', '2026-12-09T22:59:59.999Z'],
      ['04', 'registered', '2026-11-27T14:00:00.000Z', '2026-12-28T22:59:59.999Z'],
      ['05', 'assigned', '2026-11-23T08:00:00.000Z', '2026-12-21T22:59:59.999Z'],
      ['06', 'suspended', '2026-10-14T08:00:00.000Z', '2026-11-11T22:59:59.999Z'],
      ['07', 'registered', '2026-11-09T11:00:00.000Z', '2026-12-02T22:59:59.999Z'],
      ['08', 'rejected', '2026-10-03T08:00:00.000Z', '2026-10-31T22:59:59.999Z'],
      ['09', 'closed', '2026-10-07T08:00:00.000Z', '2026-11-04T22:59:59.999Z'],
      ['10', 'registered', '2026-10-26T07:30:00.000Z', '2026-11-23T22:59:59.999Z'],
    ]);
  });
});

/** The fields overdue --json gives for each entry (no citizen unless asked). */
const entry = (
  n: number,
  fields: { type: string; channel: string; status: string; area?: [string, string]; category?: string; subject: string; receivedAt: string },
  deadline: 'assign' | 'reply',
  dueAt: string,
  lateSeconds: number,
) => ({
  number: `2026/${String(n).padStart(6, '0')}`,
  type: fields.type,
  channel: fields.channel,
  status: fields.status,
  area: fields.area?.[0] ?? null,
  areaName: fields.area?.[1] ?? null,
  category: fields.category ?? null,
  subject: fields.subject,
  receivedAt: fields.receivedAt,
  deadline,
  dueAt,
  lateSeconds,
});

const R = {
  1: { type: 'problem', channel: 'phone', status: 'registered', category: 'strade', subject: 'Buca in via Roma', receivedAt: '2026-10-23T07:00:00.000Z' },
  2: { type: 'complaint', channel: 'email', status: 'acknowledged', area: ['lavori', 'Lavori pubblici'] as [string, string], subject: LONG_SUBJECT, receivedAt: '2026-10-30T09:00:00.000Z' },
  3: { type: 'problem', channel: 'counter', status: 'assigned', area: ['ambiente', 'Ambiente'] as [string, string], category: 'strade', subject: 'Lampione spento in piazza Garibaldi', receivedAt: '2026-11-08T10:00:00.000Z' },
  4: { type: 'suggestion', channel: 'web', status: 'registered', subject: 'Più panchine al parco', receivedAt: '2026-11-25T14:00:00.000Z' },
  5: { type: 'complaint', channel: 'pec', status: 'assigned', area: ['ambiente', 'Ambiente'] as [string, string], subject: FORMULA_SUBJECT, receivedAt: '2026-11-21T08:00:00.000Z' },
  7: { type: 'problem', channel: 'email', status: 'registered', subject: 'Segnale stradale divelto', receivedAt: '2026-11-02T08:00:00.000Z' },
  10: { type: 'problem', channel: 'phone', status: 'registered', subject: 'Semaforo guasto', receivedAt: '2026-10-24T07:30:00.000Z' },
};

const numbersOf = (entries: Array<{ number: string; deadline: string; lateSeconds: number }>) =>
  entries.map((each) => `${each.number.slice(-2)} ${each.deadline} ${each.lateSeconds}`);

// Main as-of: Mon 30/11/2026 12:00 CET = 11:00Z; due-soon window (default 5 days) up to 5/12 11:00Z.
const AS_OF = '2026-11-30T12:00:00+01:00';

describe('overdue --json', () => {
  it('lists late to assign, late to reply and due soon with exact deadlines and lateness, most late first', async () => {
    const result = await late.json(['overdue', '--as-of', AS_OF]);
    expect(result).toEqual({
      asOf: '2026-11-30T11:00:00.000Z',
      // Registered reports past their assignment deadline, earliest deadline (most late) first:
      // 1: 26/10 07:00Z -> 30/11 11:00Z = 35 d 4 h = 3 038 400 s; 10: 35 d 3.5 h = 3 036 600 s;
      // 7 (reopened): 9/11 11:00Z -> 21 d = 1 814 400 s; 4: 27/11 14:00Z -> 2 d 21 h = 248 400 s.
      lateToAssign: [
        entry(1, R[1], 'assign', '2026-10-26T07:00:00.000Z', 3_038_400),
        entry(10, R[10], 'assign', '2026-10-26T07:30:00.000Z', 3_036_600),
        entry(7, R[7], 'assign', '2026-11-09T11:00:00.000Z', 1_814_400),
        entry(4, R[4], 'assign', '2026-11-27T14:00:00.000Z', 248_400),
      ],
      // Registered reports are late to reply too. 23/11 23:00 CET -> 30/11 12:00 CET = 6 d 12 h = 561 600 s
      // (plus 1 ms, floored); same deadline for 1 and 10: by number. 6 (suspended, due 11/11) is not here.
      lateToReply: [
        entry(1, R[1], 'reply', '2026-11-23T22:59:59.999Z', 561_600),
        entry(10, R[10], 'reply', '2026-11-23T22:59:59.999Z', 561_600),
      ],
      // 2: reply due tonight, 11:59:59.999 left -> floor(-43 199.999) = -43 200;
      // 7: reply due Wed 2/12, 2 d 11:59:59.999 left -> -216 000. 3 (9/12) is beyond the window.
      dueSoon: [
        entry(2, R[2], 'reply', '2026-11-30T22:59:59.999Z', -43_200),
        entry(7, R[7], 'reply', '2026-12-02T22:59:59.999Z', -216_000),
      ],
    });
  });

  it('at exactly a reply deadline nothing is late; a second later it is (fractional --as-of)', async () => {
    // 5: reply due Mon 21/12 23:59:59.999 CET; 3: due Wed 9/12 (8/12 is a holiday), 12 days earlier.
    const atDeadline = await late.json(['overdue', '--area', 'ambiente', '--as-of', '2026-12-21T23:59:59.999+01:00']);
    expect(atDeadline.asOf).toBe('2026-12-21T22:59:59.999Z');
    expect(atDeadline.lateToAssign).toEqual([]);
    expect(atDeadline.lateToReply).toEqual([entry(3, R[3], 'reply', '2026-12-09T22:59:59.999Z', 1_036_800)]);
    expect(atDeadline.dueSoon).toEqual([entry(5, R[5], 'reply', '2026-12-21T22:59:59.999Z', 0)]);

    const secondLater = await late.json(['overdue', '--area', 'ambiente', '--as-of', '2026-12-22T00:00:00.999+01:00']);
    expect(secondLater.asOf).toBe('2026-12-21T23:00:00.999Z');
    expect(numbersOf(secondLater.lateToReply)).toEqual(['03 reply 1036801', '05 reply 1']);
    expect(secondLater.dueSoon).toEqual([]);
  });

  it('assignment deadlines across the daylight-saving change: exact instant not late, one second later late', async () => {
    // 1 is due Mon 26/10 08:00 CET (48 elapsed hours from Fri 09:00 CEST, off the Sunday); 10 at 08:30 CET.
    const atDeadline = await late.json(['overdue', '--as-of', '2026-10-26T08:00:00+01:00']);
    expect(atDeadline.lateToAssign).toEqual([]);
    expect(atDeadline.lateToReply).toEqual([]);
    expect(atDeadline.dueSoon).toEqual([
      entry(1, R[1], 'assign', '2026-10-26T07:00:00.000Z', 0),
      entry(10, R[10], 'assign', '2026-10-26T07:30:00.000Z', -1800),
    ]);
    const secondLater = await late.json(['overdue', '--as-of', '2026-10-26T08:00:01+01:00']);
    expect(secondLater.lateToAssign).toEqual([entry(1, R[1], 'assign', '2026-10-26T07:00:00.000Z', 1)]);
    expect(numbersOf(secondLater.dueSoon)).toEqual(['10 assign -1799']);
  });

  it('a report reopened from rejected is judged against its new assignment deadline', async () => {
    // As of Sat 7/11 12:00 CET: 7's first deadline (Wed 4/11) has passed, its new one is Mon 9/11 12:00 CET.
    const before = await late.json(['overdue', '--as-of', '2026-11-07T12:00:00+01:00']);
    expect(numbersOf(before.lateToAssign)).toEqual(['01 assign 1051200', '10 assign 1049400']);
    expect(before.dueSoon).toEqual([entry(7, R[7], 'assign', '2026-11-09T11:00:00.000Z', -172_800)]);
    const after = await late.json(['overdue', '--as-of', '2026-11-09T12:00:01+01:00']);
    expect(numbersOf(after.lateToAssign)).toEqual(['01 assign 1224001', '10 assign 1222201', '07 assign 1']);
  });

  it('a suspended report past its reply deadline is not late (its clock is stopped)', async () => {
    // 6 was due Wed 11/11; as of Thu 12/11 noon nothing else is past a reply deadline.
    const result = await late.json(['overdue', '--as-of', '2026-11-12T12:00:00+01:00']);
    expect(result.lateToReply).toEqual([]);
    expect(result.dueSoon).toEqual([]);
    expect(numbersOf(result.lateToAssign)).toEqual(['01 assign 1483200', '10 assign 1481400', '07 assign 259200']);
    const all = await late.json(['overdue', '--as-of', '2027-06-01']);
    expect(JSON.stringify(all)).not.toContain('2026/000006');
  });

  it('rejected and closed reports never appear; every open one past Christmas is late, most late first', async () => {
    // As of Mon 28/12 23:59:59.999 CET with --soon 0: 4's reply deadline (25/12, 26/12, Sun 27/12 -> 28/12)
    // is exactly now, so it is the only one due "within 0 days".
    const result = await late.json(['overdue', '--soon', '0', '--as-of', '2026-12-28T23:59:59.999+01:00']);
    expect(numbersOf(result.lateToAssign).map((each) => each.slice(0, 9))).toEqual(['01 assign', '10 assign', '07 assign', '04 assign']);
    expect(result.lateToReply.map((each: { number: string; dueAt: string }) => [each.number.slice(-2), each.dueAt])).toEqual([
      ['01', '2026-11-23T22:59:59.999Z'],
      ['10', '2026-11-23T22:59:59.999Z'],
      ['02', '2026-11-30T22:59:59.999Z'],
      ['07', '2026-12-02T22:59:59.999Z'],
      ['03', '2026-12-09T22:59:59.999Z'],
      ['05', '2026-12-21T22:59:59.999Z'],
    ]);
    expect(result.dueSoon).toEqual([entry(4, R[4], 'reply', '2026-12-28T22:59:59.999Z', 0)]);
    const listed = JSON.stringify(result);
    for (const never of ['2026/000006', '2026/000008', '2026/000009']) expect(listed).not.toContain(never);
  });

  it('--soon N includes a deadline exactly N days ahead and not one a millisecond beyond', async () => {
    // 3 is due 9/12 23:59:59.999 CET: exactly 5 days after 4/12 23:59:59.999 CET.
    const edge = await late.json(['overdue', '--area', 'ambiente', '--soon', '5', '--as-of', '2026-12-04T23:59:59.999+01:00']);
    expect(edge.dueSoon).toEqual([entry(3, R[3], 'reply', '2026-12-09T22:59:59.999Z', -432_000)]);
    const justBefore = await late.json(['overdue', '--area', 'ambiente', '--soon', '5', '--as-of', '2026-12-04T23:59:59.998+01:00']);
    expect(justBefore.dueSoon).toEqual([]);
    const shorter = await late.json(['overdue', '--area', 'ambiente', '--soon', '4', '--as-of', '2026-12-04T23:59:59.999+01:00']);
    expect(shorter.dueSoon).toEqual([]);
  });

  it('--as-of with today\'s date means now, not tonight (a later day keeps its end)', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
    const before = Date.now();
    const result = await late.json(['overdue', '--as-of', today]);
    expect(Date.parse(result.asOf)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(result.asOf)).toBeLessThanOrEqual(Date.now());
    const past = await late.json(['overdue', '--as-of', '2026-11-20']);
    expect(past.asOf).toBe('2026-11-20T22:59:59.999Z');
  });

  it('--with-citizen adds the citizen, and only then', async () => {
    const result = await late.json(['overdue', '--with-citizen', '--area', 'lavori', '--as-of', AS_OF]);
    expect(result.dueSoon).toEqual([
      { ...entry(2, R[2], 'reply', '2026-11-30T22:59:59.999Z', -43_200), citizen: { id: 1, firstName: 'Giuseppina', lastName: 'Verdi', email: 'giuseppina.verdi@example.it', phone: null } },
    ]);
  });
});

describe('overdue printout, piped', () => {
  let plain: string;
  beforeAll(async () => {
    const result = await late.urp(['overdue', '--as-of', AS_OF]);
    expect(result.code).toBe(0);
    plain = result.stdout;
  });

  it('has the header, the counts, three sections with their counts and the rows, plain', () => {
    const lines = plain.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Comune di Prova — URP: late and due reports',
      'As of 2026-11-30 12:00 (Europe/Rome)',
      'Late to assign: 4 · Late to reply: 2 · Due soon: 2',
    ]);
    expect(plain).toContain('\nLate to assign (past 48 hours) (4)\n');
    expect(plain).toContain('\nLate to reply (past 30 days) (2)\n');
    expect(plain).toContain('\nDue within 5 days (2)\n');
    expect(plain).not.toMatch(ANSI);
    expect(plain).not.toMatch(BOX_DRAWING);
    // Sections in order, rows in order within them; due times in Rome time.
    const order = ['Late to assign (past', '2026/000001', '2026/000010', '2026/000007', '2026/000004', 'Late to reply (past', '2026/000001', '2026/000010', 'Due within', '2026/000002', '2026/000007'];
    let from = 0;
    for (const marker of order) {
      const found = plain.indexOf(marker, from);
      expect(found, marker).toBeGreaterThanOrEqual(0);
      from = found + marker.length;
    }
    // An A4 page of 80 columns: the row, then its subject on the lines below, indented.
    const below = (number: string, match: (line: string) => boolean = () => true) => {
      const index = lines.findIndex((line) => line.startsWith(number) && match(line));
      return { row: lines[index]!, subject: lines[index + 1]! };
    };
    const first = below('2026/000001', (line) => line.includes('2026-10-26 08:00'));
    expect(first.row).toMatch(/problem report\s+—\s+2026-10-23\s+2026-10-26 08:00\s+35 days$/);
    expect(first.subject).toBe('    Buca in via Roma');
    const fourth = below('2026/000004');
    expect(fourth.row).toMatch(/2026-11-25\s+2026-11-27 15:00\s+2 days$/);
    expect(fourth.subject).toBe('    Più panchine al parco');
    expect(below('2026/000002').row).toMatch(/lavori\s+2026-10-30\s+2026-11-30 23:59\s+12 hours$/);
  });

  it('fits an A4 page of 80 columns, and wraps a long subject whole, never cut', () => {
    const lines = plain.split('\n');
    const widest = lines.reduce((wide, line) => ([...line].length > [...wide].length ? line : wide), '');
    expect([...widest].length, widest).toBeLessThanOrEqual(80);
    expect(LONG_SUBJECT).toHaveLength(180);
    const index = lines.findIndex((line) => line.startsWith('2026/000002'));
    const wrapped: string[] = [];
    for (let at = index + 1; lines[at]?.startsWith('    '); at++) wrapped.push(lines[at]!.trim());
    expect(wrapped.length).toBeGreaterThan(2);
    expect(wrapped.join(' ')).toBe(LONG_SUBJECT);
  });

  it('shows no citizen data unless --with-citizen', async () => {
    for (const personal of ['Giuseppina', 'Verdi', 'giuseppina.verdi']) expect(plain).not.toContain(personal);
    const withCitizen = await late.urp(['overdue', '--with-citizen', '--as-of', AS_OF]);
    expect(withCitizen.code).toBe(0);
    const lines = withCitizen.stdout.split('\n');
    const index = lines.findIndex((line) => line.startsWith('2026/000004'));
    expect(lines[index]).toMatch(/Verdi Giuseppina, giuseppina\.verdi@example\.it$/);
    expect(lines[index + 1]).toBe('    Più panchine al parco');
  });

  it('--area restricts to one area', async () => {
    const result = await late.urp(['overdue', '--area', 'lavori', '--as-of', AS_OF]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Late to assign: 0 · Late to reply: 0 · Due soon: 1');
    expect(result.stdout.match(/^2026\/\d{6}/gm)).toEqual(['2026/000002']);
  });

  it('--by-area prints one page per area, separated by form feeds', async () => {
    // As of Thu 10/12 noon: unassigned 1, 10, 7, 4 (late to assign) and 1, 10, 7 (late to reply);
    // ambiente: 3 (due 9/12); lavori: 2 (due 30/11). 5 (21/12) is beyond the 5-day window.
    const result = await late.urp(['overdue', '--by-area', '--as-of', '2026-12-10T12:00']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(ANSI);
    const pages = result.stdout.split('\f');
    expect(pages).toHaveLength(3);
    const header = (page: string) => page.trim().split('\n').slice(0, 4);
    expect(header(pages[0]!)).toEqual([
      'Comune di Prova — URP: late and due reports',
      'URP — not yet assigned',
      'As of 2026-12-10 12:00 (Europe/Rome)',
      'Late to assign: 4 · Late to reply: 3 · Due soon: 0',
    ]);
    expect(header(pages[1]!)).toEqual([
      'Comune di Prova — URP: late and due reports',
      'Ambiente (ambiente)',
      'As of 2026-12-10 12:00 (Europe/Rome)',
      'Late to assign: 0 · Late to reply: 1 · Due soon: 0',
    ]);
    expect(header(pages[2]!)).toEqual([
      'Comune di Prova — URP: late and due reports',
      'Lavori pubblici (lavori)',
      'As of 2026-12-10 12:00 (Europe/Rome)',
      'Late to assign: 0 · Late to reply: 1 · Due soon: 0',
    ]);
    expect(pages[0]!.match(/^2026\/\d{6}/gm)).toEqual(['2026/000001', '2026/000010', '2026/000007', '2026/000004', '2026/000001', '2026/000010', '2026/000007']);
    expect(pages[1]!.match(/^2026\/\d{6}/gm)).toEqual(['2026/000003']);
    expect(pages[2]!.match(/^2026\/\d{6}/gm)).toEqual(['2026/000002']);
  });
});

describe('overdue --check and --csv', () => {
  it('--check exits 3 when something is late, 0 when nothing is', async () => {
    const [lateNow, beforeAnyDeadline, quietArea] = await Promise.all([
      late.urp(['overdue', '--check', '--as-of', AS_OF]),
      // Before 26/10 07:00Z no open report is past a deadline (6, due to be assigned 14/10, was assigned).
      late.urp(['overdue', '--check', '--as-of', '2026-10-26T07:59:59+01:00']),
      // ambiente: 3 due 9/12, 5 due 21/12.
      late.urp(['overdue', '--check', '--area', 'ambiente', '--as-of', AS_OF]),
    ]);
    expect(lateNow.code).toBe(3);
    expect(lateNow.stdout).toContain('Late to assign: 4');
    expect(beforeAnyDeadline.code).toBe(0);
    expect(beforeAnyDeadline.stdout).toContain('Late to assign: 0 · Late to reply: 0 · Due soon: 2');
    expect(quietArea.code).toBe(0);
  });

  it('--check with --json still exits 3', async () => {
    const result = await late.urp(['overdue', '--check', '--json', '--as-of', AS_OF]);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).lateToAssign).toHaveLength(4);
  });

  it('--csv has a header row and neutralises a subject that a spreadsheet would run', async () => {
    const result = await late.urp(['overdue', '--csv', '--area', 'ambiente', '--as-of', '2026-12-22T00:00:00.999+01:00']);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      'section,number,type,status,area,category,received_at,deadline,due_at,late_seconds,subject',
      'lateToReply,2026/000003,problem,assigned,ambiente,strade,2026-11-08T10:00:00.000Z,reply,2026-12-09T22:59:59.999Z,1036801,Lampione spento in piazza Garibaldi',
      `lateToReply,2026/000005,complaint,assigned,ambiente,,2026-11-21T08:00:00.000Z,reply,2026-12-21T22:59:59.999Z,1,"'${FORMULA_SUBJECT}"`,
    ]);
  });

  it('--csv keeps late_seconds a plain number when it is negative (time left)', async () => {
    // "-43200" is a number to a spreadsheet, not a formula: neutralising it into "'-43200" breaks the
    // column for scripts. (2, due tonight: 11:59:59.999 left -> -43 200.)
    const result = await late.urp(['overdue', '--csv', '--area', 'lavori', '--as-of', AS_OF]);
    expect(result.code).toBe(0);
    const { data } = Papa.parse<Record<string, string>>(result.stdout.trim(), { header: true });
    expect(data.map((row) => [row.section, row.number, row.late_seconds, row.subject])).toEqual([['dueSoon', '2026/000002', '-43200', LONG_SUBJECT]]);
  });

  it('--csv --with-citizen adds the citizen columns', async () => {
    const result = await late.urp(['overdue', '--csv', '--with-citizen', '--area', 'lavori', '--as-of', AS_OF]);
    expect(result.code).toBe(0);
    const [header, row] = result.stdout.trimEnd().split('\n');
    expect(header).toBe('section,number,type,status,area,category,received_at,deadline,due_at,late_seconds,subject,citizen_id,citizen_name,citizen_email,citizen_phone');
    expect(row).toMatch(/^dueSoon,2026\/000002,.*,1,Verdi Giuseppina,giuseppina\.verdi@example\.it,$/);
  });
});

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

const outcomes = (resolved: number, unresolved: number, information: number, notCompetent: number) => ({
  resolved,
  unresolved,
  information,
  not_competent: notCompetent,
});
const ratio = (count: number, of: number, percent: number | null) => ({ count, of, percent });

const EMPTY = {
  received: 0,
  rejected: 0,
  answered: 0,
  open: 0,
  lateNow: 0,
  assignedOnTime: ratio(0, 0, null),
  answeredOnTime: ratio(0, 0, null),
  medianDaysToAnswer: null,
  p90DaysToAnswer: null,
  medianHoursToAssign: null,
  outcomes: outcomes(0, 0, 0, 0),
};

// All ten reports, as of Mon 30/11/2026 12:00 CET.
const TOTAL = {
  received: 10, // S0-S9
  rejected: 1, // S4
  answered: 6, // S0, S1, S2, S3 (its first answer), S7, S8
  open: 4, // S3 (reopened), S5 (suspended), S6 (registered), S9
  lateNow: 1, // S6 (late to assign and to reply: counted once); S5 is suspended
  // Of the 9 not rejected: on time S0 2 h, S1 24 h, S2 6 h, S5 12 h, S7 0.5 h, S8 48 h exactly, S9 4 h;
  // S3 (72 h) late, S6 never assigned and past its deadline. 7/9 = 77.8 %.
  assignedOnTime: ratio(7, 9, 77.8),
  // Answered: S0, S1, S2, S7, S8 on time, S3 late; plus S6 late to reply now (S5 suspended, S9 not yet due).
  // 5/7 = 71.4 %.
  answeredOnTime: ratio(5, 7, 71.4),
  // Days to the first answer: 3 (S7), 8 (S8), 10 (S1), 20 (S2), 30 (S0), 35 (S3): median (10+20)/2,
  // 90th percentile rank ceil(0.9 × 6) = 6 -> 35.
  medianDaysToAnswer: 15,
  p90DaysToAnswer: 35,
  // Hours to the first assignment: 0.5, 2, 4, 6, 12, 24, 48, 72: median (6+12)/2.
  medianHoursToAssign: 9,
  // Answered or closed now: S0 information, S1 resolved, S2 unresolved, S7 not competent, S8 resolved
  // (S3 was reopened: no outcome now).
  outcomes: outcomes(2, 1, 1, 1),
};

describe('stats --json', () => {
  it('computes the figures for this year as of a moment', async () => {
    const result = await stats.json(['stats', '--as-of', AS_OF]);
    expect(result).toEqual({
      from: '2025-12-31T23:00:00.000Z', // 1/1/2026 00:00 in Rome
      to: '2026-11-30T11:00:00.000Z',
      asOf: '2026-11-30T11:00:00.000Z',
      by: null,
      total: TOTAL,
      groups: [],
    });
  });

  it('--by area: one group per area, unassigned ones apart, largest first', async () => {
    const result = await stats.json(['stats', '--by', 'area', '--as-of', AS_OF]);
    expect(result.total).toEqual(TOTAL);
    expect(result.groups).toEqual([
      {
        group: 'ambiente', // S0, S2, S5, S8
        figures: {
          received: 4,
          rejected: 0,
          answered: 3,
          open: 1,
          lateNow: 0,
          assignedOnTime: ratio(4, 4, 100),
          answeredOnTime: ratio(3, 3, 100), // S5 suspended: not counted
          medianDaysToAnswer: 20, // 8, 20, 30
          p90DaysToAnswer: 30,
          medianHoursToAssign: 9, // 2, 6, 12, 48
          outcomes: outcomes(1, 1, 1, 0),
        },
      },
      {
        group: 'lavori', // S1, S3, S7, S9
        figures: {
          received: 4,
          rejected: 0,
          answered: 3,
          open: 2,
          lateNow: 0,
          assignedOnTime: ratio(3, 4, 75),
          answeredOnTime: ratio(2, 3, 66.7),
          medianDaysToAnswer: 10, // 3, 10, 35
          p90DaysToAnswer: 35,
          medianHoursToAssign: 14, // 0.5, 4, 24, 72
          outcomes: outcomes(1, 0, 0, 1),
        },
      },
      {
        group: null, // S4 (rejected), S6 (never assigned)
        figures: {
          ...EMPTY,
          received: 2,
          rejected: 1,
          open: 1,
          lateNow: 1,
          assignedOnTime: ratio(0, 1, 0),
          answeredOnTime: ratio(0, 1, 0),
        },
      },
    ]);
  });

  it('--by type', async () => {
    const result = await stats.json(['stats', '--by', 'type', '--as-of', AS_OF]);
    expect(result.groups).toEqual([
      {
        group: 'problem', // S2, S3, S6, S7, S9
        figures: {
          received: 5,
          rejected: 0,
          answered: 3,
          open: 3,
          lateNow: 1,
          assignedOnTime: ratio(3, 5, 60), // S2, S7, S9 on time; S3 late; S6 unassigned past due
          answeredOnTime: ratio(2, 4, 50), // S2, S7 on time; S3 late; S6 late now
          medianDaysToAnswer: 20, // 3, 20, 35
          p90DaysToAnswer: 35,
          medianHoursToAssign: 5, // 0.5, 4, 6, 72
          outcomes: outcomes(0, 1, 0, 1),
        },
      },
      {
        group: 'complaint', // S1, S5, S8
        figures: {
          received: 3,
          rejected: 0,
          answered: 2,
          open: 1,
          lateNow: 0,
          assignedOnTime: ratio(3, 3, 100),
          answeredOnTime: ratio(2, 2, 100),
          medianDaysToAnswer: 9, // 8, 10
          p90DaysToAnswer: 10, // rank ceil(1.8) = 2
          medianHoursToAssign: 24, // 12, 24, 48
          outcomes: outcomes(2, 0, 0, 0),
        },
      },
      {
        group: 'suggestion', // S0, S4 (rejected: out of percentages and times)
        figures: {
          received: 2,
          rejected: 1,
          answered: 1,
          open: 0,
          lateNow: 0,
          assignedOnTime: ratio(1, 1, 100),
          answeredOnTime: ratio(1, 1, 100),
          medianDaysToAnswer: 30,
          p90DaysToAnswer: 30,
          medianHoursToAssign: 2,
          outcomes: outcomes(0, 0, 1, 0),
        },
      },
    ]);
  });

  it('--by month: Rome months, every month of the period, empty ones with zeros', async () => {
    // As of Fri 15/1/2027: S3 (reply due 15/12 after its reopening) and S9 (due 21/12) are now late too.
    const result = await stats.json(['stats', '--by', 'month', '--from', '2026-08-01', '--to', '2026-12-31', '--as-of', '2027-01-15T12:00']);
    expect(result.from).toBe('2026-07-31T22:00:00.000Z');
    expect(result.to).toBe('2026-12-31T22:59:59.999Z');
    expect(result.by).toBe('month');
    expect(result.groups).toEqual([
      { group: '2026-08', figures: EMPTY },
      {
        group: '2026-09', // S0 only (S1, received 30/09 22:30Z, is 1 October in Rome)
        figures: {
          ...EMPTY,
          received: 1,
          answered: 1,
          assignedOnTime: ratio(1, 1, 100),
          answeredOnTime: ratio(1, 1, 100),
          medianDaysToAnswer: 30,
          p90DaysToAnswer: 30,
          medianHoursToAssign: 2,
          outcomes: outcomes(0, 0, 1, 0),
        },
      },
      {
        group: '2026-10', // S1-S6 (not S8, received 31/10 23:30Z = 1 November in Rome)
        figures: {
          received: 6,
          rejected: 1,
          answered: 3,
          open: 3,
          lateNow: 2, // S3, S6
          assignedOnTime: ratio(3, 5, 60), // S1, S2, S5 / + S3, S6
          answeredOnTime: ratio(2, 4, 50), // S1, S2 / + S3 (answered late), S6 (late now)
          medianDaysToAnswer: 20, // 10, 20, 35
          p90DaysToAnswer: 35,
          medianHoursToAssign: 18, // 6, 12, 24, 72
          outcomes: outcomes(1, 1, 0, 0),
        },
      },
      {
        group: '2026-11', // S7, S8, S9
        figures: {
          received: 3,
          rejected: 0,
          answered: 2,
          open: 1,
          lateNow: 1, // S9
          assignedOnTime: ratio(3, 3, 100),
          answeredOnTime: ratio(2, 3, 66.7),
          medianDaysToAnswer: 5.5, // 3, 8
          p90DaysToAnswer: 8,
          medianHoursToAssign: 4, // 0.5, 4, 48
          outcomes: outcomes(1, 0, 0, 1),
        },
      },
      { group: '2026-12', figures: EMPTY },
    ]);
    expect(result.total).toEqual({
      ...TOTAL,
      lateNow: 3, // S3, S6, S9
      answeredOnTime: ratio(5, 8, 62.5), // + S9 late now
    });
  });

  it('--from/--to are inclusive, by received date in Rome', async () => {
    // 1/10 00:00 CEST to 1/11 23:59:59.999 CET: S1 (1/10 00:30) to S8 (1/11 00:30); not S0 (30/09 23:59:59),
    // S7 (2/11), S9.
    const result = await stats.json(['stats', '--from', '2026-10-01', '--to', '01/11/2026', '--as-of', AS_OF]);
    expect(result.from).toBe('2026-09-30T22:00:00.000Z');
    expect(result.to).toBe('2026-11-01T22:59:59.999Z');
    expect(result.total).toEqual({
      received: 7, // S1, S2, S3, S4, S5, S6, S8
      rejected: 1,
      answered: 4, // S1, S2, S3, S8
      open: 3, // S3, S5, S6
      lateNow: 1, // S6
      assignedOnTime: ratio(4, 6, 66.7), // S1, S2, S5, S8 / + S3, S6
      answeredOnTime: ratio(3, 5, 60), // S1, S2, S8 / + S3, S6
      medianDaysToAnswer: 15, // 8, 10, 20, 35
      p90DaysToAnswer: 35, // rank ceil(3.6) = 4
      medianHoursToAssign: 24, // 6, 12, 24, 48, 72
      outcomes: outcomes(2, 1, 0, 0),
    });
    // October in Rome ends at 31/10 23:59:59.999 CET: S8 (1/11 00:30 CET, 31/10 in UTC) is out.
    const october = await stats.json(['stats', '--from', '2026-10-01', '--to', '2026-10-31', '--as-of', AS_OF]);
    expect(october.total.received).toBe(6);
  });
});

describe('stats printouts', () => {
  it('--csv has a header row and plain numbers', async () => {
    const result = await stats.urp(['stats', '--csv', '--by', 'area', '--as-of', AS_OF]);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      'area,received,rejected,answered,open,assigned_on_time_percent,answered_on_time_percent,median_days_to_answer,p90_days_to_answer,median_hours_to_assign,late_now,resolved,unresolved,information,not_competent',
      'ambiente,4,0,3,1,100,100,20,30,9,0,1,1,1,0',
      'lavori,4,0,3,2,75,66.7,10,35,14,0,1,0,0,1',
      // Codes, not labels: no area is an empty cell, the total row is "total".
      ',2,1,0,1,0,0,,,,1,0,0,0,0',
      'total,10,1,6,4,77.8,71.4,15,35,9,1,2,1,1,1',
    ]);
  });

  it('piped, prints a plain header and tab-separated rows, no colour, no box drawing', async () => {
    const result = await stats.urp(['stats', '--by', 'type', '--as-of', AS_OF]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(ANSI);
    expect(result.stdout).not.toMatch(BOX_DRAWING);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Comune di Prova — URP statistics, received 2026-01-01 – 2026-11-30');
    expect(lines[1]!.split('\t').slice(0, 5)).toEqual(['type', 'received', 'rejected', 'answered', 'open']);
    expect(lines.slice(2).map((line) => line.split('\t'))).toEqual([
      ['problem report', '5', '0', '3', '3', '60%', '50%', '20', '35', '5', '1', '0', '1', '0', '1'],
      ['complaint', '3', '0', '2', '1', '100%', '100%', '9', '10', '24', '0', '2', '0', '0', '0'],
      ['suggestion', '2', '1', '1', '0', '100%', '100%', '30', '30', '2', '0', '0', '0', '1', '0'],
      ['Total', '10', '1', '6', '4', '77.8%', '71.4%', '15', '35', '9', '1', '2', '1', '1', '1'],
    ]);
  });
});

describe('bad input exits 2 and names the flag', () => {
  const cases: Array<[string[], RegExp]> = [
    [['overdue', '--soon', 'x'], /--soon/],
    [['stats', '--by', 'week'], /--by/],
    [['stats', '--from', '31/02/2026'], /--from: 31\/02\/2026 does not exist: that month has 28 days/],
    [['stats', '--from', '2026-12-01', '--to', '2026-11-01'], /--to: must not be before --from/],
    // Only --from given: the period would end now (or at --as-of), so --from is the one to blame.
    [['stats', '--from', '2099-01-01'], /^urp: error: --from: in the future\n$/],
    [['stats', '--from', '2026-12-01', '--as-of', '2026-11-01'], /^urp: error: --from: is after --as-of/],
    [['overdue', '--area', 'nowhere'], /--area: no area "nowhere"/],
    [['overdue', '--json', '--csv'], /^urp: error: option '--json' cannot be used with '--csv'\n/],
    [['report', 'list', '--citizen', '99'], /^urp: error: --citizen: no citizen number 99\n$/],
    [['report', 'list', '--from', '2026-12-01', '--to', '2026-11-01'], /^urp: error: --to: must not be before --from\n$/],
    [['overdue', '--as-of', 'the day before'], /--as-of: not a date urp can read/],
    [['stats', '--as-of', '2026-13-01'], /--as-of: 2026-13-01 does not exist: months go from 1 to 12/],
  ];
  it.each(cases)('%j', async (args, message) => {
    const result = await late.urp(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe('');
  });
});

describe('codes in order', () => {
  it('overdue --by-area and stats --by area list areas in the order area list gives their codes', async () => {
    // Codes that a language's collation orders otherwise (it puts "_" and "-" before digits):
    // by their characters, as the register sorts them, "lavori-x" < "lavori2" < "lavori_pubblici".
    const db = fixtureDatabase();
    try {
      const codes = ['lavori_pubblici', 'lavori2', 'lavori-x'];
      for (const code of codes) await db.at('2026-09-01T08:00:00Z', ['area', 'add', code, '--name', `Area ${code}`]);
      for (const code of codes) {
        await db.register('2026-10-01T08:00:00Z', ['--type', 'problem', '--channel', 'phone', '--received-at', '01/10/2026 10:00', '--subject', `Buca ${code}`, '--area', code]);
      }
      const listed = (await db.json(['area', 'list'])).map((area: { code: string }) => area.code);
      expect(listed).toEqual(['lavori-x', 'lavori2', 'lavori_pubblici']);
      const printed = await db.urp(['overdue', '--by-area', '--as-of', '2026-12-10T12:00']);
      expect(printed.code, printed.stderr).toBe(0);
      const titles = printed.stdout.split('\f').map((page) => page.trim().split('\n')[1]);
      expect(titles).toEqual(listed.map((code: string) => `Area ${code} (${code})`));
      const grouped = await db.json(['stats', '--by', 'area', '--as-of', '2026-12-10T12:00']);
      expect(grouped.groups.map((group: { group: string }) => group.group)).toEqual(listed);
    } finally {
      db.workspace.cleanup();
    }
  });
});
