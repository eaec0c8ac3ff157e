import { readFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE, YEAR, keptMessage, keptMessageNames, query, snapshot, tempWorkspace, urpWith } from '../helpers/cli.js';

/** Issue 14, item 5: `urp report new --from-eml FILE|-`, through bin/urp. */

const fixture = (name: string) => join(import.meta.dirname, '../fixtures/eml', name);
let workspace: ReturnType<typeof tempWorkspace>;
let urp: ReturnType<typeof urpWith>;

beforeEach(async () => {
  workspace = tempWorkspace();
  urp = urpWith(workspace.db);
  expect((await urp(['init'])).code).toBe(0);
});
afterEach(() => workspace.cleanup());

const number = (sequence: number) => `${YEAR}/${String(sequence).padStart(6, '0')}`;
const folder = () => `${workspace.db}.messages`;

describe('report new --from-eml', () => {
  it('registers the sender as the citizen, the Date as the receipt, the text as the report, and keeps the message', async () => {
    const result = await urp(['report', 'new', '--from-eml', fixture('html.eml'), '--type', 'problem', '--location', 'Via Verdi 3', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      number: number(1),
      channel: 'email',
      type: 'problem',
      subject: 'Lampione spento in via Verdi è',
      description: 'Il lampione davanti al civico 3 è spento.\n\nDa tre giorni.',
      location: 'Via Verdi 3',
      receivedAt: '2026-11-30T17:42:10.000Z',
      citizen: { id: 1, firstName: 'Nicolò', lastName: 'De Luca' },
    });
    expect(query(workspace.db, 'select email, pec from citizens')).toEqual([{ email: 'Nicolo.DeLuca@example.it', pec: null }]);
    const content = readFileSync(fixture('html.eml'));
    const [kept] = query<{ sha256: string; size: number; file_name: string }>(workspace.db, 'select sha256, size, file_name from inbound_messages');
    expect(kept!.size).toBe(content.length);
    expect(keptMessage(workspace.db, kept!.file_name)?.equals(content)).toBe(true);
    if (ENGINE === 'sqlite') {
      // Beside the database file, owner-only.
      const file = join(folder(), kept!.file_name);
      expect(statSync(folder()).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(result.stderr).toContain(`Message kept in ${file}`);
    } else {
      // In the register itself on a server, which every clerk's machine shares.
      expect(result.stderr).toContain(`Message kept in inbound_message_files: ${kept!.file_name}`);
    }
    const show = (await urp(['report', 'show', number(1)])).stdout;
    expect(show).toContain(`registered from the e-mail message — sha256 ${kept!.sha256}, ${content.length} bytes`);

    // The same message again is the same report.
    const before = snapshot(workspace.db);
    const again = await urp(['report', 'new', '--from-eml', fixture('html.eml'), '--type', 'problem']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`--from-eml: this message is already registered as report ${number(1)}`);
    expect(snapshot(workspace.db)).toBe(before);
    expect(keptMessageNames(workspace.db)).toEqual([kept!.file_name]);
  });

  it('a PEC comes in on the pec channel, its sender stored as the citizen\'s PEC address; read from standard input', async () => {
    const result = await urp(['report', 'new', '--from-eml', '-', '--type', 'segnalazione'], { input: readFileSync(fixture('pec.eml'), 'utf8') });
    expect(result.code, result.stderr).toBe(0);
    expect(query(workspace.db, 'select channel, subject, received_at from reports')).toEqual([{ channel: 'pec', subject: 'Buca in via Roma', received_at: '2026-11-30T09:15:00.000Z' }]);
    expect(query(workspace.db, 'select first_name, last_name, email, pec from citizens')).toEqual([{ first_name: 'Mario', last_name: 'Rossi', email: null, pec: 'mario.rossi@pec.example.it' }]);
    // The next PEC from the same address finds him again.
    const second = (await readFileSync(fixture('pec.eml'), 'utf8')).replace('opec1234', 'opec5678').replace('Buca in via Roma', 'Ancora la buca');
    expect((await urp(['report', 'new', '--from-eml', '-', '--type', 'complaint'], { input: second })).code).toBe(0);
    expect(query(workspace.db, 'select citizen_id from reports')).toEqual([{ citizen_id: 1 }, { citizen_id: 1 }]);
  });

  it('without a terminal, what the message lacks is required as flags: names, a usable Date, the type; --channel comes from the message', async () => {
    const before = snapshot(workspace.db);
    const noNames = await urp(['report', 'new', '--from-eml', fixture('bad-date.eml'), '--type', 'problem', '--received-at', '2026-11-30 12:00']);
    expect(noNames.code).toBe(2);
    expect(noNames.stderr).toContain('--last-name: required (urp asks only on a terminal without --no-input)');
    const badDate = await urp(['report', 'new', '--from-eml', fixture('bad-date.eml'), '--type', 'problem', '--first-name', 'Anna', '--last-name', 'Bianchi']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain("--received-at: the message's Date header cannot be read: give --received-at");
    const noType = await urp(['report', 'new', '--from-eml', fixture('html.eml')]);
    expect(noType.code).toBe(2);
    expect(noType.stderr).toContain('--type: required');
    const channel = await urp(['report', 'new', '--from-eml', fixture('html.eml'), '--type', 'problem', '--channel', 'phone']);
    expect(channel.code).toBe(2);
    expect(channel.stderr).toContain('--channel: the channel comes from the message (email): leave --channel out');
    const missing = await urp(['report', 'new', '--from-eml', join(workspace.dir, 'nowhere.eml'), '--type', 'problem']);
    expect(missing.code).toBe(2);
    expect(snapshot(workspace.db)).toBe(before);
    expect(keptMessageNames(workspace.db)).toEqual([]);

    const done = await urp(['report', 'new', '--from-eml', fixture('bad-date.eml'), '--type', 'problem', '--first-name', 'Anna', '--last-name', 'Bianchi', '--received-at', '30/11/2026 12:00']);
    expect(done.code, done.stderr).toBe(0);
    expect(query(workspace.db, 'select received_at from reports')).toEqual([{ received_at: '2026-11-30T11:00:00.000Z' }]);
    // Anna wrote before: her address finds her, names or not.
    const cleaned = readFileSync(fixture('bad-date.eml'), 'utf8').replace('yesterday at noon', 'Tue, 1 Dec 2026 08:00:00 +0100').replace('Rifiuti', 'Ancora rifiuti');
    expect((await urp(['report', 'new', '--from-eml', '-', '--type', 'complaint'], { input: cleaned })).code).toBe(0);
    expect(query(workspace.db, 'select citizen_id from reports')).toEqual([{ citizen_id: 1 }, { citizen_id: 1 }]);
  });

  it('citizen erase deletes the kept messages; citizen export lists them', async () => {
    expect((await urp(['report', 'new', '--from-eml', fixture('html.eml'), '--type', 'problem'])).code).toBe(0);
    const exported = JSON.parse((await urp(['citizen', 'export', '1'])).stdout);
    expect(exported.messages.received).toHaveLength(1);
    expect(exported.messages.received[0]).toMatchObject({ report: number(1), messageId: '<lampione-1@example.it>' });
    expect(keptMessageNames(workspace.db)).toHaveLength(1);
    const erase = await urp(['citizen', 'erase', '1', '--force', '--yes']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(keptMessageNames(workspace.db)).toEqual([]);
    expect(query(workspace.db, 'select file_name, message_id, erased_at is not null as erased from inbound_messages')).toEqual([{ file_name: null, message_id: null, erased: 1 }]);
  });
});
