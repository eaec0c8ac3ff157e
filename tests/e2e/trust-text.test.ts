import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace, urpWith } from '../helpers/cli.js';
import { type PtySession, startUrpPty } from '../helpers/pty.js';

/**
 * Issue 10, item 9: zero-width (U+200B) and bidirectional (U+202E, U+2067)
 * characters in a citizen's name and in a subject are shown escaped on a
 * terminal in every view (they would make a name look like another, or text
 * read backwards), JSON included: there they are written as \uXXXX escapes,
 * the same JSON value, so a script reading it gets the text as stored.
 */

const ZWSP = '\u200b';
const RLO = '\u202e';
const RLI = '\u2067';
const FIRST_NAME = `Ma${ZWSP}rio`;
const LAST_NAME = `Ro${RLO}ssi${RLI}x`;
const SUBJECT = `Buca${RLO} in via${ZWSP} Roma${RLI}!`;
const RAW = /[\u200b\u202e\u2067]/;

describe('zero-width and bidi characters on a terminal', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  let number: string;
  let session: PtySession | undefined;
  beforeAll(async () => {
    const citizen = await urp(['citizen', 'add', '--first-name', FIRST_NAME, '--last-name', LAST_NAME, '--email', 'mario@example.it']);
    expect(citizen.code, citizen.stderr).toBe(0);
    const report = await urp(['report', 'new', '--type', 'reclamo', '--channel', 'telefono', '--subject', SUBJECT, '--citizen', '1']);
    expect(report.code, report.stderr).toBe(0);
    number = report.stdout.trim();
  });
  afterEach(() => {
    session?.dispose();
    session = undefined;
  });
  afterAll(() => workspace.cleanup());

  const views = () => [
    { args: ['report', 'show', 'NUMBER'], shows: ['subject', 'name'] },
    { args: ['report', 'show', 'NUMBER', '--json'], shows: ['subject', 'name'] },
    { args: ['report', 'list'], shows: ['subject'] },
    { args: ['report', 'list', '--json'], shows: ['subject'] },
    { args: ['citizen', 'show', '1'], shows: ['subject', 'name'] },
    { args: ['citizen', 'show', '1', '--json'], shows: ['name'] },
    { args: ['citizen', 'find', 'mario@example.it'], shows: ['name'] },
    { args: ['citizen', 'find', 'mario@example.it', '--json'], shows: ['name'] },
    { args: ['citizen', 'export', '1'], shows: ['subject', 'name'] },
    { args: ['export', '--format', 'json'], shows: ['subject', 'name'] },
    { args: ['export', '--format', 'jsonl'], shows: ['subject', 'name'] },
  ];
  const escapedName = ['Ma\\u200brio', 'Ro\\u202essi\\u2067x'];
  const escapedSubject = ['Buca\\u202e in via\\u200b Roma\\u2067!'];

  for (const view of views()) {
    it(`${view.args.join(' ')} shows them escaped, never raw`, async () => {
      session = startUrpPty(view.args.map((arg) => (arg === 'NUMBER' ? number : arg)), { db: workspace.db, env: { NO_COLOR: '1' }, cols: 200 });
      expect(await session.exit()).toBe(0);
      const raw = session.raw;
      expect(RAW.test(raw), `raw characters in: ${JSON.stringify(raw.slice(0, 400))}`).toBe(false);
      const text = session.text();
      if (view.shows.includes('name')) for (const part of escapedName) expect(text).toContain(part);
      if (view.shows.includes('subject')) for (const part of escapedSubject) expect(text).toContain(part);
    });
  }

  it('JSON keeps the value as stored: a script parsing it gets the characters back', async () => {
    const exported = await urp(['citizen', 'export', '1']);
    expect(exported.code).toBe(0);
    expect(RAW.test(exported.stdout)).toBe(false);
    const data = JSON.parse(exported.stdout);
    expect(data.citizen.firstName).toBe(FIRST_NAME);
    expect(data.citizen.lastName).toBe(LAST_NAME);
    expect(data.reports[0].subject).toBe(SUBJECT);
    const lines = (await urp(['export', '--format', 'jsonl'])).stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0].subject).toBe(SUBJECT);
  });
});
