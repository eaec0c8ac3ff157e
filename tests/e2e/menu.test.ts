/**
 * `urp` alone on a terminal: the clerk's menu, driven in a pseudo-terminal
 * against a temporary database prepared through the CLI. Quit, acting on a
 * report (assign, reply), only the allowed actions offered per operator,
 * Ctrl-C in the middle of an action, finding a report, and an error that
 * brings the menu back (SPEC sections 3, 5 and 11).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ME, query, snapshot, tempWorkspace, urpWith, YEAR } from '../helpers/cli.js';
import { type PtySession, startUrpPty, stripAnsi } from '../helpers/pty.js';

// Every test prepares a database with several subprocesses and drives many prompts.
const TEST_TIMEOUT = 120_000;

const MENU = '? URP — what do you want to do?';
const BACK = '← Back to the menu';

let workspace: ReturnType<typeof tempWorkspace>;
let session: PtySession | undefined;

beforeEach(() => {
  workspace = tempWorkspace();
});

afterEach(() => {
  session?.dispose();
  session = undefined;
  workspace.cleanup();
});

/** Runs `urp --db <db> ...args` as a subprocess (as `operator`), and insists that it succeeds. */
async function urp(args: string[], operator = 'test-clerk') {
  const result = await urpWith(workspace.db)(args, { env: { URP_OPERATOR: operator } });
  expect(result.code, `urp ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

/** Two areas and one registered report; returns its number as printed by `report new`. */
async function prepare(subject = 'Lampione spento in via Roma'): Promise<string> {
  await urp(['area', 'add', 'lavori', '--name', 'Lavori pubblici']);
  await urp(['area', 'add', 'tributi', '--name', 'Tributi']);
  return registerReport(subject);
}

async function registerReport(subject: string, lastName = 'Rossi'): Promise<string> {
  const result = await urp([
    'report', 'new',
    '--type', 'problem',
    '--channel', 'phone',
    '--subject', subject,
    '--first-name', 'Mario',
    '--last-name', lastName,
    '--email', `mario.${lastName.toLowerCase()}@example.it`,
  ]);
  const number = result.stdout.trim();
  expect(number).toMatch(new RegExp(String.raw`^${YEAR}\/\d{6}$`));
  return number;
}

/** `urp` with no arguments in a terminal, on this test's database (URP_DB), as `operator`. */
function menu(operator = 'anna'): PtySession {
  session = startUrpPty([], { db: workspace.db, env: { URP_OPERATOR: operator } });
  return session;
}

/** Waits for a select prompt and picks the choice with the arrow keys. */
async function pick(term: PtySession, message: string, choice: string | RegExp): Promise<void> {
  await term.waitFor(`? ${message}`);
  await term.choose(choice);
}

/** Waits for an input prompt, types the answer (nothing: just enter) and presses enter. */
async function answer(term: PtySession, message: string, text = ''): Promise<void> {
  await term.waitFor(`? ${message}`);
  if (text) term.type(text);
  term.press('enter');
}

/** From the menu: "Act on a report", then the number. */
async function actOn(term: PtySession, typed: string): Promise<void> {
  await pick(term, 'URP — what do you want to do?', 'Act on a report');
  await answer(term, 'Report number', typed);
}

/** Waits for the menu to be drawn (again), chooses Quit, and expects exit 0. */
async function quit(term: PtySession): Promise<void> {
  await pick(term, 'URP — what do you want to do?', /^Quit$/);
  expect(await term.exit()).toBe(0);
}

/**
 * The choices of the last select prompt with this message, as drawn on the
 * screen (all of them: the lists here are shorter than a page), without the
 * pointer. Waits until the last one (`lastChoice`) has been drawn.
 */
async function choicesOf(term: PtySession, message: string, lastChoice: string): Promise<string[]> {
  await term.waitFor(new RegExp(`\\? ${escape(message)}[^]*${escape(lastChoice)}`));
  const text = term.text();
  const screen = text.slice(text.lastIndexOf(`? ${message}`));
  const lines = screen.split('\n').slice(1);
  const end = lines.findIndex((line) => line.includes(lastChoice));
  return lines.slice(0, end + 1).map((line) => line.replace(/^\s*❯?\s*/, '').trimEnd());
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface EventRow {
  kind: string;
  from_status: string | null;
  to_status: string | null;
  area: string | null;
  text: string | null;
  operator: string;
  source: string;
  occurred_at: string;
}

function reportRow(number: string) {
  return query<{ status: string; area: string | null; outcome: string | null; assigned_at: string | null; answered_at: string | null }>(
    workspace.db,
    `select r.status, a.code as area, r.outcome, r.assigned_at, r.answered_at
       from reports r left join areas a on a.id = r.area_id where r.number = ?`,
    number,
  )[0];
}

function eventsOf(number: string): EventRow[] {
  return query<EventRow>(
    workspace.db,
    `select e.kind, e.from_status, e.to_status, a.code as area, e.text, e.operator, e.source, e.occurred_at
       from report_events e join reports r on r.id = e.report_id left join areas a on a.id = e.area_id
      where r.number = ? order by e.id`,
    number,
  );
}

describe('urp alone on a terminal: the menu', () => {
  test('opens with its entries; Quit exits 0 and changes nothing', { timeout: TEST_TIMEOUT }, async () => {
    await prepare();
    const before = snapshot(workspace.db);
    const term = menu();

    const entries = await choicesOf(term, 'URP — what do you want to do?', 'Quit');
    expect(entries).toEqual([
      'Register a report',
      'Find a report',
      'Act on a report (assign, reply...)',
      'Work queues',
      'Late and due soon',
      'Statistics',
      'Quit',
    ]);
    await quit(term);
    expect(snapshot(workspace.db)).toBe(before);
  });

  test('"Act on a report": assign to an area, now; the menu comes back', { timeout: TEST_TIMEOUT }, async () => {
    const number = await prepare();
    const sequence = Number(number.slice(5));
    const term = menu('anna');

    // Typed the short way: 2026/1 for 2026/000001.
    await actOn(term, `${YEAR}/${sequence}`);
    await term.waitFor(new RegExp(`Number +${number}`));
    await term.waitFor(/Subject +Lampione spento in via Roma/);
    const startedAt = new Date();
    await pick(term, 'Action', 'Assign to an area');
    await pick(term, 'Area', 'Lavori pubblici (lavori)');
    await answer(term, 'When it happened');
    await term.waitFor(`Report ${number}: registered → assigned`);
    await term.waitFor(MENU);
    const finishedAt = new Date();

    expect(reportRow(number)).toMatchObject({ status: 'assigned', area: 'lavori' });
    const events = eventsOf(number);
    expect(events.map((event) => event.kind)).toEqual(['registered', 'assigned']);
    expect(events[1]).toMatchObject({ kind: 'assigned', from_status: 'registered', to_status: 'assigned', area: 'lavori', operator: 'anna', source: 'menu' });
    // "When" left empty: now.
    const at = new Date(events[1]!.occurred_at).getTime();
    expect(at).toBeGreaterThanOrEqual(startedAt.getTime() - 1_000);
    expect(at).toBeLessThanOrEqual(finishedAt.getTime() + 1_000);

    await quit(term);
  });

  test('reply through the menu on an assigned report: answered, the reply stored, the acknowledgement implied', { timeout: TEST_TIMEOUT }, async () => {
    const number = await prepare();
    await urp(['report', 'assign', number, '--area', 'lavori']);
    // The reply is written in the editor: here a script that writes two lines, as a clerk would.
    const editor = join(workspace.dir, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nprintf '%s\\n' 'Il lampione è stato riparato ieri.' 'Cordiali saluti' > "$1"\n`, { mode: 0o700 });
    session = startUrpPty([], { db: workspace.db, env: { URP_OPERATOR: 'anna', EDITOR: editor, VISUAL: undefined } });
    const term = session;

    await actOn(term, number);
    await term.waitFor(new RegExp(`Status +assigned`));
    await pick(term, 'Action', 'Reply to the citizen');
    // Shown back as the citizen will read it, then confirmed.
    await term.waitFor('The reply as the citizen will read it:');
    await term.waitFor(/│ Il lampione è stato riparato ieri\.\n\s+│ Cordiali saluti/);
    await pick(term, 'Record this reply?', 'Yes, record it');
    await pick(term, 'Outcome', /^information$/);
    await pick(term, 'Sent via', /^letter$/);
    await answer(term, 'When it happened');
    await term.waitFor(`Report ${number}: assigned → answered`);
    await term.waitFor(MENU);

    expect(reportRow(number)).toMatchObject({ status: 'answered', area: 'lavori', outcome: 'information' });
    const replies = query<{ text: string; outcome: string; via: string | null }>(
      workspace.db,
      'select p.text, p.outcome, p.via from replies p join reports r on r.id = p.report_id where r.number = ?',
      number,
    );
    expect(replies).toEqual([{ text: 'Il lampione è stato riparato ieri.\nCordiali saluti', outcome: 'information', via: 'letter' }]);
    const events = eventsOf(number);
    expect(events.map((event) => event.kind)).toEqual(['registered', 'assigned', 'acknowledged', 'answered']);
    expect(events[2]).toMatchObject({ from_status: 'assigned', to_status: 'acknowledged', operator: 'anna', source: 'menu' });
    expect(events[3]).toMatchObject({ to_status: 'answered', operator: 'anna', source: 'menu' });
    // The citizen's text is in replies, not in the timeline.
    expect(events[3]!.text ?? '').not.toContain('riparato');

    await quit(term);
  });

  test('only the actions allowed for the operator\'s role and areas are offered', { timeout: TEST_TIMEOUT }, async () => {
    const number = await prepare();
    await urp(['report', 'assign', number, '--area', 'lavori']);
    await urp(['operator', 'add', 'admin', '--role', 'admin', '--os-user', ME], 'admin');
    await urp(['operator', 'add', 'carla', '--role', 'area', '--area', 'lavori'], 'admin');
    await urp(['operator', 'add', 'bruno', '--role', 'urp'], 'admin');
    const before = snapshot(workspace.db);

    // The area operator, on a report of her area.
    const carla = menu('carla');
    await actOn(carla, number);
    const carlaChoices = await choicesOf(carla, 'Action', BACK);
    expect(carlaChoices).toEqual(['Take in charge', 'Return to URP (not our competence)', 'Reply to the citizen', 'Add an internal note', BACK]);
    expect(carlaChoices.join('\n')).not.toMatch(/Assign|Close|Reject/);
    await carla.choose(BACK);
    await quit(carla);
    carla.dispose();

    // The URP clerk, on the same report.
    const bruno = menu('bruno');
    await actOn(bruno, number);
    const brunoChoices = await choicesOf(bruno, 'Action', BACK);
    expect(brunoChoices).toEqual(['Assign to an area', 'Add an internal note', BACK]);
    expect(brunoChoices.join('\n')).not.toMatch(/Take in charge|Reply|Return/);
    await bruno.choose(BACK);
    await quit(bruno);

    expect(snapshot(workspace.db)).toBe(before);
  });

  test('Ctrl-C at the reason of "Return to URP" exits 130 and writes nothing', { timeout: TEST_TIMEOUT }, async () => {
    const number = await prepare();
    await urp(['report', 'assign', number, '--area', 'lavori']);
    const before = snapshot(workspace.db);
    const term = menu();

    await actOn(term, number);
    await pick(term, 'Action', 'Return to URP');
    await term.waitFor('? Reason');
    term.type('Non di nostra competenza');
    await term.waitFor('Non di nostra competenza');
    term.press('ctrl-c');

    expect(await term.exit()).toBe(130);
    expect(term.text()).toContain('Cancelled: nothing was written');
    expect(term.text()).not.toContain('→ registered');
    expect(snapshot(workspace.db)).toBe(before);
    expect(reportRow(number)).toMatchObject({ status: 'assigned', area: 'lavori' });
  });

  test('"Find a report": a word of the subject lists the match; chosen, it is shown with its timeline', { timeout: TEST_TIMEOUT }, async () => {
    const number = await prepare('Buca pericolosa in via Garibaldi');
    const other = await registerReport('Rifiuti abbandonati al parco', 'Bianchi');
    const before = snapshot(workspace.db);
    const term = menu();

    await pick(term, 'URP — what do you want to do?', 'Find a report');
    await answer(term, 'Text, number or reference to find', 'Garibaldi');
    const found = await choicesOf(term, '1 report found', 'Buca pericolosa in via Garibaldi');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${number} +registered +Buca pericolosa in via Garibaldi$`));
    expect(term.text()).not.toContain(other);
    await term.choose(number);

    await term.waitFor(new RegExp(`Number +${number}`));
    await term.waitFor('Timeline');
    await term.waitFor(new RegExp(`registered +\\[${ME} for test-clerk\\]`));
    await pick(term, 'Action', BACK);
    await quit(term);
    expect(snapshot(workspace.db)).toBe(before);
  });

  test('an error inside the menu is shown and the menu comes back', { timeout: TEST_TIMEOUT }, async () => {
    await prepare();
    const before = snapshot(workspace.db);
    const term = menu();

    await actOn(term, `${YEAR}/999`);
    await term.waitFor(`no report ${YEAR}/000999`);
    await term.waitFor(MENU);
    expect(term.exited).toBe(false);
    await quit(term);
    expect(snapshot(workspace.db)).toBe(before);
    expect(stripAnsi(term.raw)).not.toMatch(/unexpected|at .*\.c?js:\d+/i);
  });
});
