import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/domain/audit.js';
import { validateCitizen } from '../../src/domain/citizens.js';
import { checkDatabase } from '../../src/domain/integrity.js';
import { parseReportFields } from '../../src/domain/report-input.js';
import { registerReport } from '../../src/domain/report-registration.js';
import type { Store } from '../../src/storage/database.js';
import { actorAt, memoryStore, settings } from '../helpers/store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

/** A report received on 5 January 1980, whose reply deadline is stored as the old fixed holiday list computed it. */
async function reportOfTheOldRules(): Promise<string> {
  const actor = actorAt('2026-11-20T08:00:00Z');
  const { number } = await registerReport(store.db, actor, { ...settings, earliestReceipt: '1970-01-01' }, {
    fields: parseReportFields({ type: 'problem', channel: 'paper', subject: 'Buca', receivedAt: '1980-01-05T10:00' }, settings.timeZone),
    citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@esempio.it' }),
  });
  // 1980: 6 January was no holiday (law 54/1977); the old list moved a deadline off it all the same.
  await store.db.updateTable('reports').set({ reply_due_at: '2099-01-01T00:00:00.000Z' }).where('number', '=', number).execute();
  return number;
}

describe('db check and the rules of deadlines', () => {
  it('names a stored deadline that does not follow from its clock under the rules in force', async () => {
    const number = await reportOfTheOldRules();
    const problems = await checkDatabase(store.db, settings, new Date('2026-11-21T00:00:00Z'));
    expect(problems.map((problem) => problem.detail)).toContainEqual(expect.stringContaining(`report ${number}: reply deadline`));
  });

  it('verifies only the deadlines counted after the rules changed (migration 2026-12-01-007 records the change)', async () => {
    const number = await reportOfTheOldRules();
    await recordAudit(store.db, actorAt('2026-11-20T09:00:00Z', 'urp'), 'setting_changed', 'setting:national-holidays', null);
    const problems = await checkDatabase(store.db, settings, new Date('2026-11-21T00:00:00Z'));
    expect(problems.map((problem) => problem.detail).filter((detail) => detail.includes(`report ${number}: reply deadline`))).toEqual([]);
  });
});
