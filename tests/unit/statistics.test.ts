import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addArea } from '../../src/domain/areas.js';
import { addCategory } from '../../src/domain/categories.js';
import { validateCitizen } from '../../src/domain/citizens.js';
import { overdue } from '../../src/domain/overdue.js';
import { parseReportFields } from '../../src/domain/report-input.js';
import { registerReport } from '../../src/domain/report-registration.js';
import { type Action, type ActionInput, applyAction } from '../../src/domain/report-workflow.js';
import { type StatsGroup, statistics } from '../../src/domain/statistics.js';
import type { Store } from '../../src/storage/database.js';
import { actorAt, memoryStore, settings } from '../helpers/store.js';

/**
 * The statistics' definitions (header of src/domain/statistics.ts) on small
 * hand-made histories, with the clock under the test's control: every
 * registration and action happens at the instant given.
 */

let store: Store;

beforeEach(async () => {
  store = await memoryStore();
  await addArea(store.db, actorAt('2026-09-01T08:00:00Z'), { code: 'ambiente', name: 'Ambiente' });
  await addArea(store.db, actorAt('2026-09-01T08:00:00Z'), { code: 'strade', name: 'Strade' });
  await addCategory(store.db, actorAt('2026-09-01T08:00:00Z'), { code: 'verde', name: 'Verde pubblico' });
});
afterEach(() => store.close());

async function report(receivedAt: string, registeredAt: string, extra: { area?: string; channel?: string; category?: string } = {}): Promise<string> {
  const { number } = await registerReport(store.db, actorAt(registeredAt), settings, {
    fields: parseReportFields({ type: 'problem', channel: extra.channel ?? 'phone', subject: 'Prova', receivedAt, area: extra.area, category: extra.category }, settings.timeZone),
    citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it' }),
  });
  return number;
}

const inputs: Partial<Record<Action, Omit<ActionInput, 'number' | 'action'>>> = {
  assign: { area: 'ambiente' },
  return: { reason: 'Non di competenza' },
  suspend: { reason: 'In attesa di documenti' },
  reply: { text: 'Risposta', outcome: 'resolved' },
  reject: { reason: 'Doppione' },
  reopen: { reason: 'Riaperta' },
};

const act = (at: string, number: string, action: Action, more: Partial<ActionInput> = {}) =>
  applyAction(store.db, actorAt(at), settings, { number, action, ...inputs[action], ...more });

const figures = async (asOf: string, by?: StatsGroup) =>
  statistics(store.db, { from: new Date('2025-12-31T23:00:00Z'), to: new Date(asOf), asOf: new Date(asOf), by, timeZone: settings.timeZone });

describe('answered on time', () => {
  it('counts the suspended days in the deadline then in force; days to answer include them', async () => {
    // Both received Mon 2/11/2026 09:00 CET, assigned 2 h later, answered Thu 10/12 09:00 CET (38 days).
    // Reply due: 2/11 + 30 = Wed 2/12. The first was suspended Thu 5/11 - Sun 15/11 (10 days):
    // due 2/11 + 40 = Sat 12/12, so it was answered on time; the second was answered late.
    const suspended = await report('2026-11-02T08:00:00Z', '2026-11-02T08:30:00Z');
    await act('2026-11-02T10:00:00Z', suspended, 'assign');
    await act('2026-11-02T10:30:00Z', suspended, 'ack');
    await act('2026-11-05T08:00:00Z', suspended, 'suspend');
    await act('2026-11-15T08:00:00Z', suspended, 'resume');
    await act('2026-12-10T08:00:00Z', suspended, 'reply');
    const plain = await report('2026-11-02T08:00:00Z', '2026-11-02T08:30:00Z');
    await act('2026-11-02T10:00:00Z', plain, 'assign');
    await act('2026-12-10T08:00:00Z', plain, 'reply');

    const first = store.sqlite.prepare('select first_reply_due_at from reports where number = ?').get(suspended) as { first_reply_due_at: string };
    expect(first.first_reply_due_at).toBe('2026-12-12T22:59:59.999Z');
    const { total } = await figures('2026-12-31T12:00:00Z');
    expect(total.answeredOnTime).toEqual({ count: 1, of: 2, percent: 50 });
    expect(total.medianDaysToAnswer).toBe(38);
    expect(total.p90DaysToAnswer).toBe(38);
    expect(total.medianHoursToAssign).toBe(2);
  });

  it('a reopened report keeps its first answer (time and punctuality); the outcome is the latest', async () => {
    // Received Mon 2/11 09:00 CET, answered after 10 days (resolved), closed, reopened Fri 20/11 and
    // answered again on Fri 25/12, past the new deadline (20/11 + 30 = Sun 20/12 -> Mon 21/12): unresolved.
    const number = await report('2026-11-02T08:00:00Z', '2026-11-02T08:30:00Z');
    await act('2026-11-02T09:00:00Z', number, 'assign');
    await act('2026-11-12T08:00:00Z', number, 'reply');
    await act('2026-11-13T08:00:00Z', number, 'close');
    await act('2026-11-20T08:00:00Z', number, 'reopen');
    await act('2026-12-25T08:00:00Z', number, 'reply', { outcome: 'unresolved' });
    const { total } = await figures('2026-12-31T12:00:00Z');
    expect(total).toMatchObject({ answered: 1, open: 0, lateNow: 0, medianDaysToAnswer: 10, p90DaysToAnswer: 10 });
    expect(total.answeredOnTime).toEqual({ count: 1, of: 1, percent: 100 });
    expect(total.outcomes).toEqual({ resolved: 0, unresolved: 1, information: 0, not_competent: 0 });
  });

  it('a report late to reply now is counted against; a suspended one is not, nor is it late', async () => {
    // Both received Thu 1/10 10:00 CEST, reply due Sat 31/10; as of 30/11 one is late, the other suspended.
    const lateOne = await report('2026-10-01T08:00:00Z', '2026-10-01T08:30:00Z');
    await act('2026-10-01T09:00:00Z', lateOne, 'assign');
    const suspended = await report('2026-10-01T08:00:00Z', '2026-10-01T08:30:00Z');
    await act('2026-10-01T09:00:00Z', suspended, 'assign');
    await act('2026-10-01T09:30:00Z', suspended, 'ack');
    await act('2026-10-02T09:00:00Z', suspended, 'suspend');
    const { total } = await figures('2026-11-30T12:00:00Z');
    expect(total).toMatchObject({ received: 2, answered: 0, open: 2, lateNow: 1, medianDaysToAnswer: null, p90DaysToAnswer: null });
    expect(total.answeredOnTime).toEqual({ count: 0, of: 1, percent: 0 });
    const printout = await overdue(store.db, new Date('2026-11-30T12:00:00Z'), { soonDays: 5 });
    expect(printout.lateToReply.map((entry) => entry.number)).toEqual([lateOne]);
  });
});

describe('assigned on time and hours to assign', () => {
  it('the first assignment counts, also after a return and a late reassignment', async () => {
    // Received Mon 2/11 09:00 CET, assigned 4 h later (due Wed 4/11 08:00Z), returned 3/11
    // (new deadline Thu 5/11 09:00Z), reassigned Mon 9/11: still on time, 4 hours.
    const number = await report('2026-11-02T08:00:00Z', '2026-11-02T08:30:00Z');
    await act('2026-11-02T12:00:00Z', number, 'assign');
    await act('2026-11-03T09:00:00Z', number, 'return');
    await act('2026-11-09T09:00:00Z', number, 'assign', { area: 'strade' });
    const { total } = await figures('2026-11-30T12:00:00Z');
    expect(total.assignedOnTime).toEqual({ count: 1, of: 1, percent: 100 });
    expect(total.medianHoursToAssign).toBe(4);
  });

  it('a rejected report is left out of percentages and times, even one assigned (late) before', async () => {
    // The rejected one was assigned after 100 hours, returned and rejected; the other assigned after 2 hours.
    const rejected = await report('2026-11-02T08:00:00Z', '2026-11-02T08:30:00Z');
    await act('2026-11-06T12:00:00Z', rejected, 'assign');
    await act('2026-11-06T13:00:00Z', rejected, 'return');
    await act('2026-11-06T14:00:00Z', rejected, 'reject');
    const other = await report('2026-11-02T08:00:00Z', '2026-11-02T08:30:00Z');
    await act('2026-11-02T10:00:00Z', other, 'assign');
    const { total } = await figures('2026-11-30T12:00:00Z');
    expect(total).toMatchObject({ received: 2, rejected: 1, open: 1, lateNow: 0, medianHoursToAssign: 2 });
    expect(total.assignedOnTime).toEqual({ count: 1, of: 1, percent: 100 });
    expect(total.answeredOnTime).toEqual({ count: 0, of: 0, percent: null });
  });

  it('a report assigned exactly at its deadline is on time; one never assigned counts only once past it', async () => {
    // Received Mon 2/11 09:00 CET: due Wed 4/11 09:00 CET (08:00Z).
    const exact = await report('2026-11-02T08:00:00Z', '2026-11-02T08:30:00Z');
    await act('2026-11-04T08:00:00Z', exact, 'assign');
    await report('2026-11-02T08:00:00Z', '2026-11-02T08:30:00Z');
    const atDeadline = await figures('2026-11-04T08:00:00Z');
    expect(atDeadline.total.assignedOnTime).toEqual({ count: 1, of: 1, percent: 100 });
    expect(atDeadline.total.lateNow).toBe(0);
    const later = await figures('2026-11-04T08:00:01Z');
    expect(later.total.assignedOnTime).toEqual({ count: 1, of: 2, percent: 50 });
    expect(later.total.lateNow).toBe(1);
    expect(later.total.medianHoursToAssign).toBe(48);
  });
});

describe('medians and 90th percentile (nearest rank)', () => {
  it('ten answers: median of the two middle ones, 90th percentile the 9th; eleven: the 6th and the 10th', async () => {
    // Received Thu 1/10 10:00 CEST, assigned on registration (1 h, 2 h, ... later), answered after 7, 1, 10, ... days.
    const days = [7, 1, 10, 3, 5, 2, 9, 4, 8, 6];
    for (const [index, day] of days.entries()) {
      const registered = new Date(Date.parse('2026-10-01T08:00:00Z') + (index + 1) * 3_600_000).toISOString();
      const number = await report('2026-10-01T08:00:00Z', registered, { area: 'ambiente' });
      await act(new Date(Date.parse('2026-10-01T08:00:00Z') + day * 86_400_000).toISOString(), number, 'reply');
    }
    const ten = (await figures('2026-11-30T12:00:00Z')).total;
    expect([ten.medianDaysToAnswer, ten.p90DaysToAnswer, ten.medianHoursToAssign]).toEqual([5.5, 9, 5.5]);
    expect(ten.answeredOnTime).toEqual({ count: 10, of: 10, percent: 100 });

    const eleventh = await report('2026-10-01T08:00:00Z', '2026-10-01T19:00:00Z', { area: 'ambiente' });
    await act('2026-10-21T08:00:00Z', eleventh, 'reply');
    const eleven = (await figures('2026-11-30T12:00:00Z')).total;
    // Days 1..10, 20: median the 6th (6), 90th percentile rank ceil(9.9) = 10 -> 10. Hours 1..11: median 6.
    expect([eleven.medianDaysToAnswer, eleven.p90DaysToAnswer, eleven.medianHoursToAssign]).toEqual([6, 10, 6]);
  });

  it('rounds to one decimal', async () => {
    // Answered after 1 day 8 hours = 1.333... days; assigned after 20 minutes = 0.333... hours.
    const number = await report('2026-10-01T08:00:00Z', '2026-10-01T08:20:00Z', { area: 'ambiente' });
    await act('2026-10-02T16:00:00Z', number, 'reply');
    const { total } = await figures('2026-11-30T12:00:00Z');
    expect([total.medianDaysToAnswer, total.p90DaysToAnswer, total.medianHoursToAssign]).toEqual([1.3, 1.3, 0.3]);
  });
});

describe('groups', () => {
  it('by channel and by category, largest first, ties by code', async () => {
    await report('2026-10-01T08:00:00Z', '2026-10-01T08:30:00Z', { channel: 'email', category: 'verde' });
    await report('2026-10-01T08:00:00Z', '2026-10-01T08:30:00Z', { channel: 'phone' });
    await report('2026-10-01T08:00:00Z', '2026-10-01T08:30:00Z', { channel: 'phone' });
    await report('2026-10-01T08:00:00Z', '2026-10-01T08:30:00Z', { channel: 'counter', category: 'verde' });
    const channel = await figures('2026-11-30T12:00:00Z', 'channel');
    expect(channel.groups.map((group) => [group.group, group.figures.received])).toEqual([['phone', 2], ['counter', 1], ['email', 1]]);
    const category = await figures('2026-11-30T12:00:00Z', 'category');
    // (Where the group without a category falls among ties is not defined: compare as a set.)
    expect(new Set(category.groups.map((group) => `${group.group}:${group.figures.received}`))).toEqual(new Set(['verde:2', 'null:2']));
    expect(category.total.received).toBe(4);
  });
});
