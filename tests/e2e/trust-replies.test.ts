import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAreasAndCategories, copyDatabase, execute, query, tempWorkspace, urpWith } from '../helpers/cli.js';

/**
 * The reply a citizen was sent is part of the legal record: its "answered"
 * event seals it (text, outcome and channel, under the event chain), so
 * that a reply changed or removed in the database afterwards is named by
 * `db check`, whether it was written by `report reply` or by an import of
 * history. An erasure with --redact-texts, which the report's timeline
 * records, blanks replies without breaking the check.
 */
const workspace = tempWorkspace();
const urp = urpWith(workspace.db);
afterAll(() => workspace.cleanup());

const reportNew = (subject: string, email: string) =>
  ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', subject, '--category', 'buche', '--first-name', 'Elena', '--last-name', 'Sigillo', '--email', email];
let replied = '';
let imported = '';

beforeAll(async () => {
  await addAreasAndCategories(urp);
  const made = await urp(reportNew('Buca in via Verdi', 'elena.sigillo@example.it'));
  expect(made.code, made.stderr).toBe(0);
  replied = made.stdout.trim();
  for (const args of [['report', 'assign', replied, '--area', 'strade'], ['report', 'reply', replied, '--text', 'La buca è stata chiusa il 12 novembre.', '--outcome', 'resolved', '--via', 'email']]) {
    const result = await urp(args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
  // An answered report from an import of history (the writer the import shares with report new).
  const file = join(workspace.dir, 'history.csv');
  writeFileSync(
    file,
    'type,channel,received_at,first_name,last_name,email,subject,status,assigned_at,answered_at,outcome,reply_text,area\n' +
      'problem,phone,2026-10-01T09:00,Bruno,Archivio,bruno.archivio@example.it,Lampione spento,answered,2026-10-01T10:00,2026-10-05T10:00,resolved,Lampada sostituita.,strade\n',
  );
  const history = await urp(['import', file]);
  expect(history.code, history.stderr).toBe(0);
  imported = query<{ number: string }>(workspace.db, "select number from reports where subject = 'Lampione spento'")[0]!.number;
  const check = await urp(['db', 'check']);
  expect(check.code, check.stdout + check.stderr).toBe(0);
});

/** A copy of the register to damage, and what db check says of it. */
async function checkAfter(damage: (db: string) => void): Promise<{ code: number | null; stdout: string }> {
  const copy = tempWorkspace({ init: false });
  try {
    const db = copy.db;
    copyDatabase(workspace.db, db);
    damage(db);
    const result = await urpWith(db)(['db', 'check']);
    return { code: result.code, stdout: result.stdout };
  } finally {
    copy.cleanup();
  }
}

describe('a reply changed or removed after it was recorded', () => {
  it('is named by db check, for a reply of report reply and one of an import', async () => {
    for (const number of [replied, imported]) {
      const id = query<{ id: number }>(workspace.db, 'select id from reports where number = ?', number)[0]!.id;
      const changed = await checkAfter((db) => execute(db, `update replies set text = 'Non ci risulta alcuna buca.' where report_id = ${id}`));
      expect(changed.code, number).toBe(1);
      expect(changed.stdout, number).toMatch(new RegExp(`^replies: report ${number}: the reply of \\S+ is not the one its "answered" event sealed \\(changed after it was recorded\\)$`, 'm'));
      const outcome = await checkAfter((db) => execute(db, `update replies set outcome = 'not_competent' where report_id = ${id}`));
      expect(outcome.stdout, number).toContain(`replies: report ${number}: the reply of`);
      const removed = await checkAfter((db) => execute(db, `delete from replies where report_id = ${id}`));
      expect(removed.code, number).toBe(1);
      expect(removed.stdout, number).toMatch(new RegExp(`^replies: report ${number}: the reply of \\S+ is missing \\(its "answered" event holds its seal\\)$`, 'm'));
    }
  });

  it('blanked by an erasure with --redact-texts is accepted: the timeline records why', async () => {
    const citizen = query<{ id: number }>(workspace.db, "select id from citizens where last_name = 'Sigillo'")[0]!.id;
    const erased = await urp(['citizen', 'erase', String(citizen), '--force', '--yes', '--redact-texts']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(query(workspace.db, 'select p.text from replies p join reports r on r.id = p.report_id where r.number = ?', replied)).toEqual([{ text: '[omissis]' }]);
    const check = await urp(['db', 'check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });
});
