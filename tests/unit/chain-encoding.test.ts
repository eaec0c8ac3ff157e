import { afterEach, beforeEach, expect, it } from 'vitest';
import { recordAudit } from '../../src/domain/audit.js';
import { validateCitizen } from '../../src/domain/citizens.js';
import { chainEncoding, verifyChain } from '../../src/domain/event-chain.js';
import { chainState } from '../../src/domain/integrity.js';
import { appendEvent } from '../../src/domain/report-events.js';
import { parseReportFields } from '../../src/domain/report-input.js';
import { registerReport } from '../../src/domain/report-registration.js';
import { encodedEvents } from '../../src/storage/chain-rows.js';
import type { Store } from '../../src/storage/database.js';
import { actorAt, memoryStore, settings } from '../helpers/store.js';

/**
 * Issue 12, item 4: db check verifies the chains from the encoding SQLite
 * writes for each event. It must be, byte for byte, the encoding the hash
 * was computed over (src/domain/event-chain.ts), whatever the text holds.
 */
let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

const TEXTS = ['plain', 'più città', '"quoted" \\ back', 'line\nbreak\ttab', 'ctrl \u001b[31m \u0007', '\u2028 \u2029', 'emoji 🎉', 'ﬁ', '', null];

it('is, for every event and audit event, the encoding their hashes cover, and the chains verify alike', async () => {
  const actor = actorAt('2026-11-02T08:00:00Z');
  const { id } = await registerReport(store.db, actor, settings, {
    fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Lampione' }, settings.timeZone),
    citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it' }),
  });
  for (const text of TEXTS) {
    await appendEvent(store.db, { ...actor, enteredBy: text === null ? null : 'admin' }, { reportId: id, kind: 'note', text });
    await recordAudit(store.db, actor, 'setting_changed', `setting:${String(text)}`, text);
  }
  for (const table of ['report_events', 'audit_events'] as const) {
    const rows = store.sqlite.prepare(`select * from ${table} order by id`).all() as Array<Record<string, never> & { id: number }>;
    const encoded = [];
    for await (const batch of encodedEvents(store.db, table)!) encoded.push(...batch);
    expect(encoded.map((row) => row.id)).toEqual(rows.map((row) => row.id));
    expect(encoded.map((row) => row.encoded)).toEqual(rows.map((row) => chainEncoding(table, row)));
    const reference = await verifyChain(table, (async function* () {
      yield* rows as never[];
    })());
    expect(await chainState(store.db, table)).toEqual(reference);
    expect(reference.broken).toBeUndefined();
    expect(reference.count).toBeGreaterThanOrEqual(TEXTS.length);
  }
  // A changed text breaks the chain at that event, for both.
  store.sqlite.exec('drop trigger report_events_no_update');
  const changed = store.sqlite.prepare(`select id from report_events where text = 'più città'`).get() as { id: number };
  store.sqlite.prepare('update report_events set text = ? where id = ?').run('piu citta', changed.id);
  expect((await chainState(store.db, 'report_events')).broken).toEqual({ id: changed.id, reason: 'hash' });
});
