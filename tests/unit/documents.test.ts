import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addArea } from '../../src/domain/areas.js';
import { addCategory } from '../../src/domain/categories.js';
import { validateCitizen } from '../../src/domain/citizens.js';
import { postalLines } from '../../src/domain/letters.js';
import { addOperator } from '../../src/domain/operators.js';
import { addReplyTemplate, fillReplyTemplate, templatesFor } from '../../src/domain/reply-templates.js';
import { parseReportFields } from '../../src/domain/report-input.js';
import { registerReport } from '../../src/domain/report-registration.js';
import { type Action, type ActionInput, applyAction } from '../../src/domain/report-workflow.js';
import { pareto, previousPeriod, review } from '../../src/domain/review.js';
import { SETTING_KEYS, loadSettings, setSetting } from '../../src/domain/settings.js';
import { frequentPlaces, openBacklog, receivedVolumes, reopenedReports, repeatCitizens, statistics } from '../../src/domain/statistics.js';
import { placeOf } from '../../src/documents/letter.js';
import type { Store } from '../../src/storage/database.js';
import { actorAt, memoryStore, queryPlans, settings } from '../helpers/store.js';

/** Issue 15 in the domain: the settings of the documents, reply templates, and the review's figures on hand-made histories. */
let store: Store;
const admin = actorAt('2026-09-01T08:00:00Z');

beforeEach(async () => {
  store = await memoryStore();
  await addArea(store.db, admin, { code: 'ambiente', name: 'Ambiente', manager: 'Dott.ssa Verdi' });
  await addCategory(store.db, admin, { code: 'verde', name: 'Verde pubblico', area: 'ambiente' });
  await addCategory(store.db, admin, { code: 'rifiuti', name: 'Rifiuti', area: 'ambiente' });
});
afterEach(() => store.close());

let citizenCount = 0;
async function report(receivedAt: string, registeredAt: string, extra: { citizen?: string; location?: string; category?: string; area?: string } = {}) {
  const email = extra.citizen ?? `c${++citizenCount}@example.it`;
  const existing = store.sqlite.prepare('select id from citizens where email = ?').get(email) as { id: number } | undefined;
  const { number } = await registerReport(store.db, actorAt(registeredAt), settings, {
    fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Prova', receivedAt, location: extra.location, category: extra.category, area: extra.area }, settings.timeZone),
    citizen: existing ? existing.id : validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email }),
  });
  return number;
}
const act = (at: string, number: string, action: Action, more: Partial<ActionInput> = {}) =>
  applyAction(store.db, actorAt(at), settings, { number, action, reason: 'Motivo', text: 'Risposta', outcome: 'resolved', area: 'ambiente', ...more });

describe('settings of the documents', () => {
  it('contact texts: line breaks only where the text is a block, none clears, control characters refused', () => {
    expect(SETTING_KEYS['organisation-address'].parse('Piazza Libertà 1\r\n21100 Valdoria  ')).toBe('Piazza Libertà 1\n21100 Valdoria');
    expect(() => SETTING_KEYS['organisation-address'].parse('Piazza\u001b[2J')).toThrow(expect.objectContaining({ key: 'config.blockExpected' }));
    expect(() => SETTING_KEYS['organisation-address'].parse('x'.repeat(501))).toThrow();
    expect(() => SETTING_KEYS['urp-hours'].parse('lun-ven\n9-12')).toThrow(expect.objectContaining({ key: 'config.textExpected' }));
    expect(SETTING_KEYS['urp-phone'].parse('none')).toBe('');
    expect(SETTING_KEYS['target-on-time-reply'].parse('95')).toBe(95);
    expect(() => SETTING_KEYS['target-on-time-reply'].parse('101')).toThrow();
  });

  it('the logo must be a readable PNG or JPEG by its first bytes, and is stored as an absolute path', async () => {
    const png = join(tmpdir(), `urp-logo-${process.pid}.png`);
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    const fake = join(tmpdir(), `urp-logo-${process.pid}.jpg`);
    writeFileSync(fake, 'GIF89a not a jpeg');
    expect(SETTING_KEYS['letterhead-logo'].parse(png)).toBe(png);
    expect(() => SETTING_KEYS['letterhead-logo'].parse(fake)).toThrow(expect.objectContaining({ key: 'config.logoNotImage' }));
    expect(() => SETTING_KEYS['letterhead-logo'].parse(join(tmpdir(), 'no-such-logo.png'))).toThrow(expect.objectContaining({ key: 'config.logoUnreadable' }));
    expect(() => SETTING_KEYS['letterhead-logo'].parse(tmpdir())).toThrow(expect.objectContaining({ key: 'config.logoUnreadable' }));
    await setSetting(store.db, 'letterhead-logo', png, new Date());
    expect((await loadSettings(store.db)).letterheadLogo).toBe(png);
  });

  it('the place of the date line comes from the organisation; a one-line address breaks before the postcode', () => {
    expect(placeOf('Comune di Valdoria')).toBe('Valdoria');
    expect(placeOf('Città di Sesto San Giovanni')).toBe('Sesto San Giovanni');
    expect(placeOf('URP')).toBe('');
    expect(postalLines('Via Roma 12, 21100 Valdoria VA')).toEqual(['Via Roma 12', '21100 Valdoria VA']);
    expect(postalLines('Fraz. Monte, Via Alta 3\n21100 Valdoria')).toEqual(['Fraz. Monte, Via Alta 3', '21100 Valdoria']);
    expect(postalLines(null)).toEqual([]);
  });
});

describe('reply templates', () => {
  it("fills the named fields from the report; the category's templates come first, then the general ones", async () => {
    const body = 'Gentile {citizenName}, la segnalazione {number} del {receivedDate} ({subject}) è stata trattata da {area} ({areaManager}). {unknownBrace } {organisation}';
    await addReplyTemplate(store.db, admin, { code: 'generale', title: 'Generale', body: 'Grazie {citizenFirstName}.' });
    await addReplyTemplate(store.db, admin, { code: 'verde-ok', title: 'Verde', body, outcome: 'risolta', category: 'verde' });
    await addReplyTemplate(store.db, admin, { code: 'altro', title: 'Rifiuti', body: 'x', category: 'rifiuti' });
    await expect(addReplyTemplate(store.db, admin, { code: 'bad', title: 'x', body: 'Ciao {nome}' })).rejects.toMatchObject({ key: 'template.unknownField' });
    await expect(addReplyTemplate(store.db, admin, { code: 'generale', title: 'x', body: 'x' })).rejects.toMatchObject({ key: 'template.exists' });
    expect((await templatesFor(store.db, 'verde')).map((template) => template.code)).toEqual(['verde-ok', 'generale', 'altro']);
    expect((await templatesFor(store.db, null)).map((template) => template.code)).toEqual(['generale', 'altro', 'verde-ok']);

    const number = await report('2026-11-20T08:30:00Z', '2026-11-20T09:00:00Z', { category: 'verde', area: 'ambiente' });
    const filled = await fillReplyTemplate(store.db, 'verde-ok', number, { ...settings, organisationName: 'Comune di Valdoria' }, new Date('2026-11-25T10:00:00Z'));
    expect(filled.template.outcome).toBe('resolved');
    expect(filled.text).toBe(`Gentile Anna Bianchi, la segnalazione ${number} del 20/11/2026 (Prova) è stata trattata da Ambiente (Dott.ssa Verdi). {unknownBrace } Comune di Valdoria`);
  });

  it('adding and disabling is an admin\'s change', async () => {
    await addOperator(store.db, admin, { name: 'capo', role: 'admin' }, 'capo');
    await addOperator(store.db, actorAt('2026-09-01T08:00:00Z', 'capo'), { name: 'sportello', role: 'urp' }, 'capo');
    await expect(addReplyTemplate(store.db, actorAt('2026-09-02T08:00:00Z', 'sportello'), { code: 'x', title: 'x', body: 'x' })).rejects.toMatchObject({ key: 'permission.denied' });
    await addReplyTemplate(store.db, actorAt('2026-09-02T08:00:00Z', 'capo'), { code: 'x', title: 'x', body: 'x' });
  });
});

describe('the review figures (statistics.ts)', () => {
  const period = { from: new Date('2026-09-30T22:00:00Z'), to: new Date('2026-12-31T22:59:59.999Z') };

  it('backlog by whole days since receipt, adding up to the open figure of statistics', async () => {
    const asOf = new Date('2026-12-10T12:00:00Z');
    // Ages at the as-of moment: 1, 7.9, 8, 30, 31, 45, 61 days; one answered (not in the backlog).
    for (const days of [1, 7.9, 8, 30, 31, 45, 61]) {
      const received = new Date(asOf.getTime() - days * 86_400_000).toISOString();
      await report(received, received);
    }
    const answered = await report('2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z');
    await act('2026-12-01T09:00:00Z', answered, 'assign');
    await act('2026-12-02T09:00:00Z', answered, 'reply');
    const backlog = await openBacklog(store.db, { ...period, asOf });
    expect(backlog).toEqual({ days0to7: 2, days8to30: 2, days31to60: 2, over60: 1 });
    const { total } = await statistics(store.db, { ...period, asOf, timeZone: settings.timeZone });
    expect(backlog.days0to7 + backlog.days8to30 + backlog.days31to60 + backlog.over60).toBe(total.open);
  });

  it('reopened reports and reopenings; citizens with three or more reports, counted not named', async () => {
    const reopened = await report('2026-10-05T08:00:00Z', '2026-10-05T08:00:00Z', { citizen: 'frequent@example.it' });
    await act('2026-10-05T09:00:00Z', reopened, 'assign');
    await act('2026-10-06T09:00:00Z', reopened, 'reply');
    await act('2026-10-06T10:00:00Z', reopened, 'close');
    await act('2026-10-07T10:00:00Z', reopened, 'reopen');
    await act('2026-10-08T10:00:00Z', reopened, 'reply');
    await act('2026-10-08T11:00:00Z', reopened, 'close');
    await act('2026-10-09T11:00:00Z', reopened, 'reopen');
    const rejected = await report('2026-10-05T08:00:00Z', '2026-10-05T08:00:00Z', { citizen: 'frequent@example.it' });
    await act('2026-10-05T09:00:00Z', rejected, 'reject');
    await act('2026-10-05T10:00:00Z', rejected, 'reopen');
    await report('2026-10-06T08:00:00Z', '2026-10-06T08:00:00Z', { citizen: 'frequent@example.it' });
    await report('2026-10-06T08:00:00Z', '2026-10-06T08:00:00Z', { citizen: 'twice@example.it' });
    await report('2026-10-06T08:00:00Z', '2026-10-06T08:00:00Z', { citizen: 'twice@example.it' });
    // Outside the period: does not count.
    await report('2026-09-06T08:00:00Z', '2026-09-06T08:00:00Z', { citizen: 'twice@example.it' });
    expect(await reopenedReports(store.db, period)).toEqual({ reports: 2, reopenings: 3 });
    expect(await repeatCitizens(store.db, { ...period, minimum: 3 })).toEqual({ citizens: 1, reports: 3 });
  });

  it('places: one street whatever the case, accents, punctuation and house number', async () => {
    for (const location of ['Via Roma, 12', 'via roma 14', 'VIA ROMA n. 3', 'Piazza Libertà', 'piazza liberta', 'Via Roma 12/A', '']) {
      await report('2026-10-05T08:00:00Z', '2026-10-05T08:00:00Z', { location: location || undefined });
    }
    expect(await frequentPlaces(store.db, period)).toEqual([
      { place: 'Via Roma', reports: 4 },
      { place: 'Piazza Libertà', reports: 2 },
    ]);
  });

  it('the previous period: whole months back when the period is whole months (a leap year too), else as many days', () => {
    const zone = settings.timeZone;
    // Winter (CET) and summer (CEST) dates of the examples.
    const summer = new Set(['2026-04-01', '2026-06-30', '2026-03-31']);
    const rome = (date: string, end = false) => new Date(`${date}T${end ? '23:59:59.999' : '00:00:00'}${summer.has(date) ? '+02:00' : '+01:00'}`);
    const year = previousPeriod(rome('2025-01-01'), rome('2025-12-31', true), zone);
    expect(year).toEqual({ from: rome('2024-01-01'), to: rome('2024-12-31', true), wholeMonths: true });
    const quarter = previousPeriod(rome('2026-04-01'), rome('2026-06-30', true), zone);
    expect(quarter).toEqual({ from: rome('2026-01-01'), to: rome('2026-03-31', true), wholeMonths: true });
    // 1 January to 1 December at noon: 335 days, so the 335 days before.
    const toDate = previousPeriod(rome('2026-01-01'), new Date('2026-12-01T11:00:00Z'), zone);
    expect(toDate).toEqual({ from: rome('2025-01-31'), to: rome('2025-12-31', true), wholeMonths: false });
  });

  it('Pareto: most frequent first, ten shown and the rest as one, shares and running shares', () => {
    const items = Array.from({ length: 12 }, (_, index) => ({ label: `c${index}`, count: 12 - index }));
    const result = pareto(items, 'altre');
    expect(result).toHaveLength(11);
    expect(result[0]).toEqual({ label: 'c0', count: 12, percent: 15.4, cumulativePercent: 15.4 });
    expect(result[10]).toEqual({ label: 'altre', count: 3, percent: 3.8, cumulativePercent: 100 });
  });

  it("the review's figures are statistics' own, for the same period; the previous period's volumes beside them", async () => {
    await report('2025-10-05T08:00:00Z', '2025-10-05T08:00:00Z', { category: 'verde' });
    const current = await report('2026-10-05T08:00:00Z', '2026-10-05T08:00:00Z', { category: 'verde', location: 'Via Roma 1' });
    await act('2026-10-05T09:00:00Z', current, 'assign');
    await act('2026-10-20T09:00:00Z', current, 'reply');
    await report('2026-11-05T08:00:00Z', '2026-11-05T08:00:00Z', { category: 'rifiuti' });
    const asOf = new Date('2026-12-31T12:00:00Z');
    const year = { from: new Date('2025-12-31T23:00:00Z'), to: new Date('2026-12-31T22:59:59.999Z'), asOf, timeZone: settings.timeZone };
    const figures = await review(store.db, year, settings, { other: 'altre', none: '(nessuna)' });
    const stats = await statistics(store.db, year);
    expect(figures.total).toEqual(stats.total);
    expect(figures.byCategory.map((row) => [row.group, row.name, row.figures.received, row.previous])).toEqual([
      ['rifiuti', 'Rifiuti', 1, 0],
      ['verde', 'Verde pubblico', 1, 1],
    ]);
    expect(figures.previous).toMatchObject({ received: 1, wholeMonths: true });
    expect(figures.byMonth).toHaveLength(12);
    expect(figures.byMonth[9]!.previous).toBe(1);
    expect(figures.p90HoursToAssign).toBe(1);
    expect(figures.targets.find((target) => target.key === 'target-on-time-reply')).toEqual({ key: 'target-on-time-reply', target: 90, result: stats.total.answeredOnTime.percent, met: false });
    expect(await receivedVolumes(store.db, { ...year, by: 'month' })).toHaveLength(12);
  });

  it('reads from indexes: the range of receipt from reports_received_at, open reports from the partial indexes', async () => {
    const plans = await queryPlans(store, async () => {
      const options = { ...period, asOf: new Date('2026-12-31T12:00:00Z'), timeZone: settings.timeZone };
      await review(store.db, options, settings, { other: 'altre', none: '(nessuna)' });
    });
    const onReports = plans.filter(({ source }) => /from "?reports"? (as )?"?r"?/i.test(source));
    expect(onReports.length).toBeGreaterThanOrEqual(20);
    for (const { source, plan } of onReports) expect(plan, source).toMatch(/USING (COVERING )?INDEX (reports_received_at|reports_open_\w+)/);
  });
});
