import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ME, query, snapshot, tempWorkspace, urpWith } from '../helpers/cli.js';

let workspace: ReturnType<typeof tempWorkspace>;
let urp: ReturnType<typeof urpWith>;

beforeEach(async () => {
  workspace = tempWorkspace();
  urp = urpWith(workspace.db);
  for (const [code, name] of [['ambiente', 'Ambiente'], ['strade', 'Strade']]) {
    expect((await urp(['area', 'add', code!, '--name', name!])).code).toBe(0);
  }
});
afterEach(() => workspace.cleanup());

async function newReport(): Promise<string> {
  const result = await urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Lampione spento', '--first-name', 'Anna', '--last-name', 'Bianchi', '--email', 'anna@example.it']);
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

const events = (number: string) =>
  query<{ kind: string; from_status: string | null; to_status: string | null; operator: string; text: string | null }>(
    workspace.db,
    'select kind, from_status, to_status, operator, text from report_events where report_id = (select id from reports where number = ?) order by id',
    number,
  );

describe('a report through its whole life, through bin/urp', () => {
  it('assign, return, reassign, ack, suspend, resume, note, reply, close, reopen, reply, close', async () => {
    const number = await newReport();
    const steps: Array<[string[], string]> = [
      [['assign', number, '--area', 'ambiente'], 'registered → assigned'],
      [['return', number, '--reason', 'Non di nostra competenza'], 'assigned → registered'],
      [['assign', number, '--area', 'strade'], 'registered → assigned'],
      [['ack', number], 'assigned → acknowledged'],
      [['suspend', number, '--reason', 'In attesa di foto'], 'acknowledged → suspended'],
      [['resume', number], 'suspended → acknowledged'],
      [['note', number, '--text', 'Sopralluogo il 3/12'], 'Note added'],
      [['reply', number, '--text', 'Lampione riparato', '--outcome', 'risolta', '--via', 'lettera'], 'acknowledged → answered'],
      [['close', number], 'answered → closed'],
      [['reopen', number, '--reason', 'Di nuovo spento'], 'closed → acknowledged'],
      [['reply', number, '--text', 'Sostituita la lampada', '--outcome', 'resolved'], 'acknowledged → answered'],
      [['close', number], 'answered → closed'],
    ];
    for (const [args, message] of steps) {
      const result = await urp(['report', ...args]);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.code).toBe(0);
    }
    expect(events(number).map((event) => event.kind)).toEqual([
      'registered', 'assigned', 'returned', 'assigned', 'acknowledged', 'suspended', 'resumed', 'note', 'answered', 'closed', 'reopened', 'answered', 'closed',
    ]);
    expect(events(number).every((event) => event.operator === 'test-clerk')).toBe(true);
    expect(query(workspace.db, 'select text, outcome, via from replies order by id')).toEqual([
      { text: 'Lampione riparato', outcome: 'resolved', via: 'letter' },
      { text: 'Sostituita la lampada', outcome: 'resolved', via: null },
    ]);

    const show = await urp(['report', 'show', number]);
    expect(show.stdout).toMatch(/Reply to the citizen \([^)]*letter, resolved\)\n  Lampione riparato/);
    // The timeline shows the answer's outcome and channel as words, in the reader's language.
    expect(show.stdout).toMatch(/answered — resolved, letter/);
    expect((await urp(['--lang', 'it', 'report', 'show', number])).stdout).toMatch(/— risolta, lettera/);
    expect(show.stdout).toMatch(/Internal notes \(never shown to the citizen\)\n\s+\S+\s+test-clerk: Sopralluogo il 3\/12/);
    const json = JSON.parse((await urp(['report', 'show', number, '--json'])).stdout);
    expect(json.status).toBe('closed');
    expect(json.timeline).toHaveLength(13);
    expect(json.timeline[2]).toMatchObject({ kind: 'returned', fromStatus: 'assigned', toStatus: 'registered', area: 'ambiente', text: 'Non di nostra competenza' });
    expect(json.replies).toHaveLength(2);
  });

  it('records an action that happened earlier with --at', async () => {
    const number = await newReport();
    await urp(['report', 'assign', number, '--area', 'strade']);
    const tooEarly = await urp(['report', 'ack', number, '--at', '2020-01-01']);
    expect(tooEarly.code).toBe(2);
    // The receipt's moment in the office's time, to the second, as a clerk can type it back.
    expect(tooEarly.stderr).toMatch(/--at: cannot be before the report was received \(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00\)\n$/);
    // After the receipt but before the assignment, the previous step.
    const received = await urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--received-at', 'yesterday', '--subject', 'Buca', '--citizen', '1']);
    expect(received.code, received.stderr).toBe(0);
    expect((await urp(['report', 'assign', received.stdout.trim(), '--area', 'strade'])).code).toBe(0);
    const beforeStep = await urp(['report', 'ack', received.stdout.trim(), '--at', 'yesterday 12:00']);
    expect(beforeStep.code).toBe(2);
    expect(beforeStep.stderr).toMatch(/--at: cannot be before the report's previous step \(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00\)\n$/);
    const future = await urp(['report', 'ack', number, '--at', '2099-01-01']);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('--at: cannot be in the future');
  });
});

describe('refusals exit 2, name the status and the allowed actions, and change nothing', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['ack of a registered report', ['ack'], /report \S+ is "registered": "ack" is not allowed \(allowed: assign, reject, note\)/],
    ['close of a registered report', ['close'], /"close" is not allowed/],
    ['resume of a report never suspended', ['resume'], /"resume" is not allowed/],
    ['reject without a reason', ['reject'], /--reason: required/],
    ['assign to an unknown area', ['assign', '--area', 'nowhere'], /--area: no area "nowhere"/],
    ['assign without an area', ['assign'], /--area: required/],
    ['reply from registered', ['reply', '--text', 'x', '--outcome', 'resolved'], /"reply" is not allowed/],
    ['a note without text', ['note'], /--text: required/],
  ];
  for (const [name, [action, ...args], message] of cases) {
    it(name, async () => {
      const number = await newReport();
      const before = snapshot(workspace.db);
      const result = await urp(['report', action!, number, ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(snapshot(workspace.db)).toBe(before);
    });
  }

  it('speaks Italian, with the status label', async () => {
    const number = await newReport();
    const result = await urp(['--lang', 'it', 'report', 'close', number]);
    expect(result.stderr).toContain(`la pratica ${number} è "registrata": "close" non è consentito`);
  });

  it('reply with an unknown outcome or channel', async () => {
    const number = await newReport();
    await urp(['report', 'assign', number, '--area', 'strade']);
    const before = snapshot(workspace.db);
    const outcome = await urp(['report', 'reply', number, '--text', 'x', '--outcome', 'boh']);
    expect(outcome.stderr).toContain('--outcome: "boh" is not an outcome');
    const via = await urp(['report', 'reply', number, '--text', 'x', '--outcome', 'resolved', '--via', 'piccione']);
    expect(via.stderr).toContain('--via: "piccione" is not a way to reply');
    expect(snapshot(workspace.db)).toBe(before);
  });
});

describe('operators and roles', () => {
  it('runs open until an operator exists, then checks every writing command', async () => {
    expect((await urp(['db', 'status'])).stdout).toMatch(/Operators\s+none: open access/);
    const first = await urp(['operator', 'add', 'bruno', '--role', 'urp']);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('the first operator must be an admin');
    // The first admin is bound to the account running the tests; it then acts for the others (URP_OPERATOR).
    expect((await urp(['operator', 'add', 'admin', '--role', 'admin', '--os-user', ME])).code).toBe(0);
    const as = (operator: string) => (args: string[]) => urp(args, { env: { URP_OPERATOR: operator } });
    expect((await as('admin')(['operator', 'add', 'bruno', '--role', 'urp', '--full-name', 'Bruno Neri'])).code).toBe(0);
    expect((await as('admin')(['operator', 'add', 'carla', '--role', 'area', '--area', 'strade'])).code).toBe(0);
    expect((await urp(['db', 'status'], { env: { URP_OPERATOR: undefined } })).stdout).toMatch(/Operators\s+3 active: roles enforced/);

    const stranger = await as('mallory')(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'x', '--first-name', 'A', '--last-name', 'B', '--email', 'a@b.it']);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain('no operator "mallory"');

    const number = (await as('bruno')(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'x', '--first-name', 'A', '--last-name', 'B', '--email', 'a@b.it'])).stdout.trim();
    const denied = await as('carla')(['report', 'assign', number, '--area', 'strade']);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain('"urp report assign" is not allowed to operator "carla" (area office)');
    expect((await as('bruno')(['report', 'assign', number, '--area', 'strade'])).code).toBe(0);
    const clerkAck = await as('bruno')(['report', 'ack', number]);
    expect(clerkAck.stderr).toContain('"urp report ack" is not allowed to operator "bruno" (URP clerk)');
    expect((await as('carla')(['report', 'ack', number])).code).toBe(0);
    const settings = await as('bruno')(['config', 'set', 'reply-days', '20']);
    expect(settings.stderr).toContain('"urp config set" is not allowed to operator "bruno" (URP clerk); it is for: administrator');
    expect((await as('admin')(['config', 'set', 'reply-days', '20'])).code).toBe(0);

    const list = JSON.parse((await as('admin')(['operator', 'list', '--json'])).stdout);
    expect(list).toEqual([
      { name: 'admin', fullName: null, role: 'admin', osUser: ME, areas: [], active: true },
      { name: 'bruno', fullName: 'Bruno Neri', role: 'urp', osUser: 'bruno', areas: [], active: true },
      { name: 'carla', fullName: null, role: 'area', osUser: 'carla', areas: ['strade'], active: true },
    ]);
    expect((await as('admin')(['operator', 'disable', 'bruno'])).code).toBe(0);
    const disabled = await as('bruno')(['report', 'note', number, '--text', 'x']);
    expect(disabled.stderr).toContain('operator "bruno" is disabled');
    // Each change records who entered it: the admin, for the operator named.
    const events = query(workspace.db, `select operator, entered_by from report_events where kind = 'acknowledged'`);
    expect(events).toEqual([{ operator: 'carla', entered_by: 'admin' }]);
  });
});

describe('queue', () => {
  it('lists what URP and each area must do, by deadline', async () => {
    const [a, b, c, d] = [await newReport(), await newReport(), await newReport(), await newReport()];
    await urp(['report', 'assign', b!, '--area', 'strade']);
    await urp(['report', 'assign', c!, '--area', 'ambiente']);
    await urp(['report', 'return', c!, '--reason', 'no']);
    await urp(['report', 'assign', d!, '--area', 'ambiente']);
    await urp(['report', 'reply', d!, '--text', 'ok', '--outcome', 'information']);
    const queue = JSON.parse((await urp(['queue', '--json'])).stdout);
    const numbers = (reports: Array<{ number: string }>) => reports.map((report) => report.number);
    expect(numbers(queue.urp.toAssign)).toEqual([a]);
    expect(numbers(queue.urp.returned)).toEqual([c]);
    expect(numbers(queue.urp.toClose)).toEqual([d]);
    expect(queue.areas.map((area: { area: string; toAcknowledge: Array<{ number: string }> }) => [area.area, numbers(area.toAcknowledge)])).toEqual([['strade', [b]]]);
    const text = await urp(['queue', '--area', 'strade']);
    expect(text.stdout).toContain('Strade (strade) — to acknowledge (1)');
    expect(text.stdout).not.toContain('URP —');
    // CSV for scripts: one row per report, its queue first.
    const csv = (await urp(['queue', '--csv'])).stdout.trim().split('\n');
    expect(csv[0]).toMatch(/^queue,number,type,channel,status,/);
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([`urp:to_assign,${a}`, `urp:returned,${c}`, `urp:to_close,${d}`, `strade:to_acknowledge,${b}`]);
  });
});
