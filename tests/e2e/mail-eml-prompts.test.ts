import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { query, runUrp, tempWorkspace } from '../helpers/cli.js';
import { type PtySession, startUrpPty } from '../helpers/pty.js';

/** Issue 14: on a terminal, `report new --from-eml` asks for what the message does not say. */

let workspace: ReturnType<typeof tempWorkspace>;
let session: PtySession | undefined;

beforeEach(async () => {
  workspace = tempWorkspace();
  expect((await runUrp(['--db', workspace.db, 'init'])).code).toBe(0);
});
afterEach(() => {
  session?.dispose();
  workspace.cleanup();
});

test('asks the type, the sender\'s names and the moment of receipt the message could not give', { timeout: 120_000 }, async () => {
  const term = (session = startUrpPty(['report', 'new', '--from-eml', join(import.meta.dirname, '../fixtures/eml/bad-date.eml')], { db: workspace.db }));
  await term.waitFor("the message's Date header cannot be read");
  await term.waitFor('? Type');
  await term.choose('complaint');
  await term.waitFor('? Last name');
  term.type('Bianchi');
  term.press('enter');
  await term.waitFor('? First name');
  term.type('Anna');
  term.press('enter');
  await term.waitFor('? Tax code');
  term.press('enter');
  await term.waitFor('? Received on');
  term.press('ctrl-u');
  term.type('2026-11-30 12:00');
  term.press('enter');
  await term.waitFor('? Location');
  term.press('enter');
  await term.waitFor('? Register the report?');
  term.press('enter');
  expect(await term.exit()).toBe(0);
  expect(query(workspace.db, 'select r.type, r.channel, r.subject, r.received_at, c.first_name, c.last_name, c.email from reports r join citizens c on c.id = r.citizen_id')).toEqual([
    { type: 'complaint', channel: 'email', subject: 'Rifiuti non raccolti', received_at: '2026-11-30T11:00:00.000Z', first_name: 'Anna', last_name: 'Bianchi', email: 'anna.bianchi@example.it' },
  ]);
  expect(query(workspace.db, 'select size from inbound_messages')).toHaveLength(1);
});
