/**
 * Issue 15 on a terminal, in a pseudo-terminal: `report reply --template`
 * opens the filled text in $EDITOR before it is recorded (an empty result
 * cancels); the menu offers the category's templates first; `stats` draws
 * on-time replies per area under a table that fits 100 columns; a PDF is
 * never written to a terminal.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { query, tempWorkspace, urpWith } from '../helpers/cli.js';
import { type PtySession, startUrpPty } from '../helpers/pty.js';

const TEST_TIMEOUT = 120_000;
const workspace = tempWorkspace();
const urp = urpWith(workspace.db);
let session: PtySession | undefined;
let number: string;

async function ok(args: string[]) {
  const result = await urp(args);
  if (result.code !== 0) throw new Error(`urp ${args.join(' ')}: ${result.stderr}`);
  return result;
}

/** An "editor" that edits the file as a person would: a script run by the shell with the file as its argument. */
function editor(name: string, script: string): string {
  const path = join(workspace.dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o700);
  return path;
}

const replies = (report: string) => query<{ text: string; outcome: string }>(workspace.db, 'select text, outcome from replies where report_id = (select id from reports where number = ?)', report);

beforeAll(async () => {
  await ok(['init', '--demo']);
  writeFileSync(join(workspace.dir, 'lampione.txt'), 'Gentile {citizenName}, il lampione della segnalazione {number} è stato riparato.');
  await ok(['reply-template', 'add', 'lampione', '--title', 'Lampione riparato', '--file', join(workspace.dir, 'lampione.txt'), '--outcome', 'resolved', '--category', 'illuminazione']);
  writeFileSync(join(workspace.dir, 'generale.txt'), 'Gentile {citizenName}, grazie della segnalazione.');
  await ok(['reply-template', 'add', 'aaa-generale', '--title', 'Generale', '--file', join(workspace.dir, 'generale.txt')]);
  number = (await ok(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Lampione spento', '--category', 'illuminazione', '--area', 'lavori-pubblici', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '333 1112223'])).stdout.trim();
}, TEST_TIMEOUT);
afterEach(() => {
  session?.dispose();
  session = undefined;
});
afterAll(() => workspace.cleanup());

describe('report reply --template on a terminal', () => {
  it('an empty text from the editor cancels: exit 130, nothing recorded', async () => {
    session = startUrpPty(['--db', workspace.db, 'report', 'reply', number, '--template', 'lampione'], { env: { EDITOR: editor('empty.sh', ': > "$1"'), VISUAL: undefined } });
    expect(await session.exit()).toBe(130);
    expect(session.text()).toContain('Cancelled: nothing was written');
    expect(replies(number)).toEqual([]);
  }, TEST_TIMEOUT);

  it('opens the filled template in $VISUAL (owner-only file); what is saved, less the # lines, is recorded with the chosen outcome', async () => {
    const visual = editor('edit.sh', [
      'stat -c %a "$1" > "$(dirname "$0")/mode.txt"',
      'cp "$1" "$(dirname "$0")/seen.txt"',
      'sed -i "s/è stato riparato/è stato riparato il 3 dicembre/" "$1"',
    ].join('\n'));
    session = startUrpPty(['--db', workspace.db, 'report', 'reply', number, '--template', 'lampione'], { env: { VISUAL: visual, EDITOR: 'false' } });
    // Shown back before it is recorded.
    await session.waitFor(/│ Gentile Mario Rossi, il lampione della segnalazione \S+ è stato riparato il 3 dicembre\./);
    await session.waitFor('? Record this reply?');
    await session.choose('Yes, record it');
    await session.waitFor('Outcome');
    // The template's outcome comes preselected.
    await session.choose('resolved');
    expect(await session.exit()).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(workspace.dir, 'mode.txt'), 'utf8').trim()).toBe('600');
    expect(readFileSync(join(workspace.dir, 'seen.txt'), 'utf8')).toContain('# The reply to the citizen: write it, save and close the editor');
    expect(replies(number)).toEqual([{ text: `Gentile Mario Rossi, il lampione della segnalazione ${number} è stato riparato il 3 dicembre.`, outcome: 'resolved' }]);
  }, TEST_TIMEOUT);

  it('report reply with neither --text nor --template offers the templates, or the editor for a text of ones own', async () => {
    const other = (await ok(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Lampione a intermittenza', '--category', 'illuminazione', '--area', 'lavori-pubblici', '--first-name', 'Carla', '--last-name', 'Bruno', '--phone', '333 9998887'])).stdout.trim();
    const write = editor('write.sh', 'printf "Sostituito il reattore.\\n# ignored line\\n" > "$1"');
    session = startUrpPty(['--db', workspace.db, 'report', 'reply', other], { env: { EDITOR: write, VISUAL: undefined } });
    const screen = await session.waitFor(/Reply template[\s\S]*None: I write the reply/);
    expect(screen.indexOf('lampione')).toBeLessThan(screen.indexOf('aaa-generale'));
    await session.choose('None: I write the reply');
    await session.waitFor('? Record this reply?');
    await session.choose('Yes, record it');
    await session.waitFor('Outcome');
    await session.choose('information');
    expect(await session.exit()).toBe(0);
    expect(replies(other)).toEqual([{ text: 'Sostituito il reattore.', outcome: 'information' }]);
  }, TEST_TIMEOUT);

  it("the menu offers the report's category templates first", async () => {
    const other = (await ok(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Lampione rotto', '--category', 'illuminazione', '--area', 'lavori-pubblici', '--first-name', 'Anna', '--last-name', 'Neri', '--phone', '333 4445556'])).stdout.trim();
    session = startUrpPty([], { db: workspace.db, env: { EDITOR: editor('keep.sh', 'true'), VISUAL: undefined } });
    await session.choose('Act on a report');
    await session.waitFor('Report number');
    session.type(other);
    session.press('enter');
    await session.choose('Reply to the citizen');
    const screen = await session.waitFor(/Reply template[\s\S]*Generale/);
    // lampione (the category's) before aaa-generale, although the codes sort the other way.
    expect(screen.indexOf('lampione')).toBeLessThan(screen.indexOf('aaa-generale'));
    await session.choose('lampione');
    await session.waitFor('? Record this reply?');
    await session.choose('Yes, record it');
    await session.waitFor('Outcome');
    await session.choose('resolved');
    await session.choose('letter');
    await session.waitFor('When');
    session.press('enter');
    await session.waitFor(/→ answered/);
    expect(replies(other)).toEqual([{ text: `Gentile Anna Neri, il lampione della segnalazione ${other} è stato riparato.`, outcome: 'resolved' }]);
    await session.waitFor('what do you want to do?');
    await session.choose('Quit');
    expect(await session.exit()).toBe(0);
  }, TEST_TIMEOUT);
});

describe('terminal output', () => {
  it('stats: the table fits 100 columns, the totals are a list, on-time replies per area as bars', async () => {
    for (const by of [['--by', 'category'], ['--by', 'month'], []]) {
      session = startUrpPty(['--db', workspace.db, '--lang', 'it', 'stats', ...by], { env: { NO_COLOR: '1' } });
      expect(await session.exit()).toBe(0);
      const lines = session.text().split('\n');
      const widest = Math.max(...lines.map((line) => [...line].length));
      expect(widest, lines.join('\n')).toBeLessThanOrEqual(100);
      const text = session.text();
      expect(text).toMatch(/^Totale$/m);
      expect(text).toMatch(/^ {2}ricevute +\d+/m);
      expect(text).toMatch(/^ {2}non di competenza +\d+/m);
      expect(text).toContain('Risposte in tempo per area (obiettivo 90%)');
      expect(text).toMatch(/^lavori-pubblici +█+[▏▎▍▌▋▊▉]? +\d+(,\d)?% \(\d+\/\d+\)$/m);
      // A table with a rule under its header, and no line between its rows.
      if (by.length) expect(text).toMatch(/^─+ {2}─+/m);
      session.dispose();
    }
  }, TEST_TIMEOUT);

  it('report letter --output - refuses a terminal', async () => {
    session = startUrpPty(['--db', workspace.db, 'report', 'letter', number, '--output', '-']);
    expect(await session.exit()).toBe(2);
    expect(session.text()).toContain('a PDF file is not for a terminal');
  }, TEST_TIMEOUT);
});
