import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addArea } from '../../src/domain/areas.js';
import { addCategory } from '../../src/domain/categories.js';
import { addCitizen, findCitizens, identifyCitizen, validateCitizen } from '../../src/domain/citizens.js';
import { InputError, ValidationErrors } from '../../src/domain/errors.js';
import { parseReportFields } from '../../src/domain/report-input.js';
import { getReport, getReportDetails, listReports } from '../../src/domain/report-queries.js';
import { registerReport } from '../../src/domain/report-registration.js';
import { LATEST_SCHEMA_VERSION } from '../../src/storage/schema-version.js';
import { migrations } from '../../src/storage/migrations.js';
import type { Store } from '../../src/storage/database.js';
import { actorAt, memoryStore, settings } from '../helpers/store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
  const actor = actorAt('2026-11-01T08:00:00Z');
  await addArea(store.db, actor, { code: 'ambiente', name: 'Ambiente' });
  await addCategory(store.db, actor, { code: 'rifiuti', name: 'Rifiuti', area: 'ambiente' });
});
afterEach(() => store.close());

const fields = (overrides: Record<string, string | undefined> = {}) =>
  parseReportFields({ type: 'reclamo', channel: 'E-mail', subject: 'Cassonetto rotto', category: 'rifiuti', ...overrides }, settings.timeZone);

const mario = () => validateCitizen({ firstName: 'Mario', lastName: 'Rossi', email: 'Mario.Rossi@example.it' });

function errorKey(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof ValidationErrors) return error.errors.map((each) => `${each.field}:${each.key}`).join(' ');
    if (error instanceof InputError) return `${error.field}:${error.key}`;
    throw error;
  }
  return 'no error';
}

it('knows as many schema versions as there are migrations', () => {
  expect(LATEST_SCHEMA_VERSION).toBe(Object.keys(migrations).length);
});

describe('report fields', () => {
  it('accept codes or Italian labels, case-insensitive', () => {
    expect(fields()).toMatchObject({ type: 'complaint', channel: 'email', subject: 'Cassonetto rotto' });
    expect(fields({ type: 'SUGGERIMENTO', channel: 'sportello' })).toMatchObject({ type: 'suggestion', channel: 'counter' });
  });

  it('report every bad field at once', () => {
    expect(errorKey(() => fields({ type: 'boh', channel: 'fax', subject: '', receivedAt: '32/01/2026' }))).toBe(
      'type:report.typeUnknown channel:report.channelUnknown receivedAt:date.noSuchDay subject:field.required',
    );
  });
});

describe('registration', () => {
  it('numbers per year of registration, computes both deadlines and records the event', async () => {
    const first = await registerReport(store.db, actorAt('2026-12-31T22:30:00Z'), settings, { fields: fields({ receivedAt: '2026-12-31T20:00:00Z' }), citizen: mario() });
    // 22:30Z is 23:30 on 31/12 in Rome: still 2026.
    expect(first.number).toBe('2026/000001');
    const second = await registerReport(store.db, actorAt('2026-12-31T23:30:00Z'), settings, { fields: fields(), citizen: first.citizen.id });
    // 23:30Z is 00:30 on 1 January in Rome: the 2027 sequence starts.
    expect(second.number).toBe('2027/000001');

    const report = await getReport(store.db, '2026/1', new Date('2027-01-01T00:00:00Z'));
    expect(report).toMatchObject({
      status: 'registered',
      category: 'rifiuti',
      area: null,
      receivedAt: '2026-12-31T20:00:00.000Z',
      // +48 h = Saturday 2 January 21:00 Rome.
      assignDueAt: '2027-01-02T20:00:00.000Z',
      // 31/12 + 30 = Saturday 30 January 2027, end of day.
      replyDueAt: '2027-01-30T22:59:59.999Z',
      lateToAssign: false,
      lateToReply: false,
    });
    const details = await getReportDetails(store.db, '2026/000001', new Date());
    expect(details.timeline.map((event) => [event.kind, event.operator, event.occurredAt])).toEqual([
      ['registered', 'test-clerk', '2026-12-31T22:30:00.000Z'],
    ]);
  });

  it('finds the citizen again by tax code, e-mail or phone with the same name; refuses them for another name', async () => {
    const created = await addCitizen(store.db, actorAt('2026-11-01T08:00:00Z'), { firstName: 'Anna', lastName: 'Bianchi', phone: '333 1112222', taxCode: 'BNCNNA80A41F205U' });
    const identify = (input: Parameters<typeof validateCitizen>[0]) => identifyCitizen(store.db, validateCitizen(input));
    expect(await identify({ firstName: 'anna', lastName: 'BIANCHI', email: 'x@y.it', taxCode: 'bncnna80a41f205u' })).toMatchObject({ kind: 'existing', citizen: { id: created.id }, additions: ['email'] });
    expect(await identify({ firstName: 'Anna', lastName: 'bianchi', phone: '+39 333 111 2222' })).toMatchObject({ kind: 'existing', citizen: { id: created.id }, additions: [] });
    // The tax code, e-mail or phone of a person of another name: refused, naming that citizen by number.
    await expect(identify({ firstName: 'A.', lastName: 'X', email: 'x@y.it', taxCode: 'bncnna80a41f205u' })).rejects.toMatchObject({ key: 'citizen.belongsTo.taxCode', params: { id: created.id }, field: 'taxCode' });
    await expect(identify({ firstName: 'Luca', lastName: 'Verdi', phone: '3331112222' })).rejects.toMatchObject({ key: 'citizen.belongsTo.phone', params: { id: created.id } });
    await expect(identify({ firstName: 'Luca', lastName: 'Bianchi', phone: '3331112222' })).rejects.toMatchObject({ key: 'citizen.belongsTo.phone' });
    // The same name and phone but another tax code: her namesake mother, someone else; without a tax code, her.
    expect(await identify({ firstName: 'Anna', lastName: 'Bianchi', phone: '3331112222', taxCode: 'BNCNNA55A41F205T' })).toEqual({ kind: 'new' });
    expect(await identify({ firstName: 'Anna', lastName: 'Bianchi', phone: '3331112222' })).toMatchObject({ kind: 'existing', citizen: { id: created.id } });
    expect((await findCitizens(store.db, 'bianchi an')).map((citizen) => citizen.id)).toEqual([created.id]);
    expect(await findCitizens(store.db, '100%_')).toEqual([]);
    // An e-mail of one person and the tax code of another (both named alike): which one is meant is not guessed.
    await addCitizen(store.db, actorAt('2026-11-01T08:00:00Z'), { firstName: 'Anna', lastName: 'Bianchi', email: 'anna.b@example.it' });
    await expect(identify({ firstName: 'Anna', lastName: 'Bianchi', taxCode: 'BNCNNA80A41F205U', email: 'anna.b@example.it' })).rejects.toMatchObject({ key: 'citizen.twoPeople' });
  });

  it('refuses a received date after registration, an unknown category, a disabled area; writes nothing', async () => {
    const actor = actorAt('2026-11-10T08:00:00Z');
    const attempts = [
      () => registerReport(store.db, actor, settings, { fields: fields({ receivedAt: '2026-11-10T09:00:00Z' }), citizen: mario() }),
      () => registerReport(store.db, actor, settings, { fields: fields({ category: 'nope' }), citizen: mario() }),
      () => registerReport(store.db, actor, settings, { fields: fields({ area: 'nope' }), citizen: mario() }),
      () => registerReport(store.db, actor, settings, { fields: fields(), citizen: 42 }),
    ];
    const keys = [];
    for (const attempt of attempts) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputError);
      keys.push((error as InputError).key);
    }
    expect(keys).toEqual(['report.receivedInFuture', 'category.unknown', 'area.unknown', 'citizen.unknown']);
    expect(await listReports(store.db, {}, new Date())).toEqual([]);
    expect(await store.db.selectFrom('citizens').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('report_sequences').selectAll().execute()).toEqual([]);
  });

  it('refuses an external reference already used', async () => {
    const actor = actorAt('2026-11-10T08:00:00Z');
    await registerReport(store.db, actor, settings, { fields: fields({ externalRef: 'PROT-1' }), citizen: mario() });
    const error = await registerReport(store.db, actor, settings, { fields: fields({ externalRef: 'PROT-1' }), citizen: mario() }).catch((caught) => caught);
    expect(error).toMatchObject({ key: 'report.externalRefExists', params: { number: '2026/000001' }, field: 'externalRef' });
  });

  it('refuses to rewrite the timeline: events are append-only in the database itself', async () => {
    await registerReport(store.db, actorAt('2026-11-10T08:00:00Z'), settings, { fields: fields(), citizen: mario() });
    expect(() => store.sqlite.prepare(`update report_events set operator = 'someone else'`).run()).toThrow(/append-only/);
    expect(() => store.sqlite.prepare('delete from report_events').run()).toThrow(/append-only/);
    expect(store.sqlite.prepare('select operator from report_events').pluck().all()).toEqual(['test-clerk']);
  });
});
