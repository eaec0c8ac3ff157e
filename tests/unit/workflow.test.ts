import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addArea, updateArea } from '../../src/domain/areas.js';
import { validateCitizen } from '../../src/domain/citizens.js';
import { InputError } from '../../src/domain/errors.js';
import { addOperator } from '../../src/domain/operators.js';
import { parseReportFields } from '../../src/domain/report-input.js';
import { getReport, getReportDetails } from '../../src/domain/report-queries.js';
import { registerReport } from '../../src/domain/report-registration.js';
import { ACTIONS, type Action, type ActionInput, TRANSITIONS, allowedActions, applyAction } from '../../src/domain/report-workflow.js';
import type { Status } from '../../src/domain/vocabulary.js';
import { queues } from '../../src/domain/queues.js';
import type { Store } from '../../src/storage/database.js';
import { actorAt, memoryStore, settings } from '../helpers/store.js';

let store: Store;
let clock: number;
/** Each step happens one hour after the previous one. */
const next = (operator = 'clerk') => actorAt(new Date((clock += 3_600_000)).toISOString(), operator);

beforeEach(async () => {
  store = await memoryStore();
  clock = Date.parse('2026-11-02T08:00:00Z');
  await addArea(store.db, next(), { code: 'ambiente', name: 'Ambiente' });
  await addArea(store.db, next(), { code: 'strade', name: 'Strade' });
});
afterEach(() => store.close());

async function newReport(): Promise<string> {
  const { number } = await registerReport(store.db, next(), settings, {
    fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Lampione spento' }, settings.timeZone),
    citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it' }),
  });
  return number;
}

/** The inputs each action needs to succeed. */
const inputs: Record<Action, Omit<ActionInput, 'number' | 'action'>> = {
  assign: { area: 'strade', reason: 'Competenza della squadra strade' },
  ack: {},
  return: { reason: 'Non di competenza' },
  suspend: { reason: 'In attesa di fotografie' },
  resume: {},
  reply: { text: 'Intervento eseguito', outcome: 'risolta', via: 'email' },
  note: { text: 'Sopralluogo fissato' },
  close: {},
  reject: { reason: 'Doppione della 2026/000001' },
  reopen: { reason: 'Il problema si è ripresentato' },
};

const act = (number: string, action: Action, operator = 'clerk') => applyAction(store.db, next(operator), settings, { number, action, ...inputs[action] });

/** A report brought to a status through the real state machine. */
async function reportIn(status: Status): Promise<string> {
  const number = await newReport();
  const paths: Record<Status, Action[]> = {
    registered: [],
    assigned: ['assign'],
    acknowledged: ['assign', 'ack'],
    suspended: ['assign', 'ack', 'suspend'],
    answered: ['assign', 'ack', 'reply'],
    closed: ['assign', 'ack', 'reply', 'close'],
    rejected: ['reject'],
  };
  for (const action of paths[status]) {
    await applyAction(store.db, next(), settings, { number, action, ...inputs[action], ...(action === 'assign' ? { area: 'ambiente' } : {}) });
  }
  return number;
}

function database() {
  return JSON.stringify(['reports', 'report_events', 'replies', 'report_sequences'].map((table) => store.sqlite.prepare(`select * from ${table} order by rowid`).all()));
}

describe('the transition table', () => {
  const statuses: Status[] = ['registered', 'assigned', 'acknowledged', 'suspended', 'answered', 'closed', 'rejected'];
  const expectedEvents: Partial<Record<Action, string[]>> = { reply: ['answered'] };
  for (const from of statuses) {
    for (const action of ACTIONS) {
      const transition = TRANSITIONS.find((each) => each.action === action && each.from === from);
      const allowed = action === 'note' || transition !== undefined;
      it(`${action} from ${from}: ${allowed ? `allowed${transition ? `, to ${transition.to}` : ''}` : 'refused'}`, async () => {
        const number = await reportIn(from);
        const before = database();
        const eventsBefore = (await getReportDetails(store.db, number, new Date(clock))).timeline.length;
        if (!allowed) {
          const error = await act(number, action).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(InputError);
          expect((error as InputError).key).toBe('transition.notAllowed');
          expect((error as InputError).params).toMatchObject({ status: from, action });
          expect(database()).toBe(before);
          return;
        }
        const result = await act(number, action);
        const report = await getReport(store.db, number, new Date(clock));
        const timeline = (await getReportDetails(store.db, number, new Date(clock))).timeline;
        const added = timeline.slice(eventsBefore);
        const implied = action === 'reply' && from === 'assigned' ? ['acknowledged'] : [];
        expect(added.map((event) => event.kind)).toEqual([...implied, ...(expectedEvents[action] ?? [transition?.event ?? 'note'])]);
        const main = added.at(-1)!;
        expect(main).toMatchObject({ fromStatus: implied.length > 0 ? 'acknowledged' : from, toStatus: transition?.to ?? from, operator: 'clerk' });
        expect(report.status).toBe(transition?.to ?? from);
        expect(result.to).toBe(report.status);
      });
    }
  }
});

describe('effects of the transitions', () => {
  it('reply stores the text for the citizen apart from internal notes, and implies the acknowledgement', async () => {
    const number = await reportIn('assigned');
    await act(number, 'note');
    await act(number, 'reply');
    const details = await getReportDetails(store.db, number, new Date(clock));
    expect(details.replies).toEqual([{ text: 'Intervento eseguito', outcome: 'resolved', via: 'email', sentAt: new Date(clock).toISOString() }]);
    expect(details.timeline.filter((event) => event.kind === 'note').map((event) => event.text)).toEqual(['Sopralluogo fissato']);
    expect(details.report).toMatchObject({ status: 'answered', outcome: 'resolved', acknowledgedAt: new Date(clock).toISOString() });
  });

  it('return sends the report back to URP with no area and a new assignment deadline', async () => {
    const number = await reportIn('acknowledged');
    await act(number, 'return');
    const report = await getReport(store.db, number, new Date(clock));
    expect(report).toMatchObject({ status: 'registered', area: null, assignedAt: null });
    expect(report.assignDueAt).toBe(new Date(clock + 48 * 3_600_000).toISOString());
    const queue = await queues(store.db, new Date(clock));
    expect(queue.urp.returned.map((each) => each.number)).toEqual([number]);
    expect(queue.urp.toAssign).toEqual([]);
  });

  it('reassigning an acknowledged report needs a reason; the same area is refused', async () => {
    const number = await reportIn('acknowledged');
    await expect(applyAction(store.db, next(), settings, { number, action: 'assign', area: 'strade' })).rejects.toMatchObject({ key: 'field.required', field: 'reason' });
    await expect(applyAction(store.db, next(), settings, { number, action: 'assign', area: 'ambiente', reason: 'x' })).rejects.toMatchObject({ key: 'transition.sameArea' });
  });

  it('a disabled area takes no assignment', async () => {
    const number = await reportIn('registered');
    await updateArea(store.db, next(), 'strade', { active: false });
    await expect(act(number, 'assign')).rejects.toMatchObject({ key: 'area.disabled', field: 'area' });
  });

  it('suspends only once', async () => {
    const number = await reportIn('suspended');
    await act(number, 'resume');
    await expect(act(number, 'suspend')).rejects.toMatchObject({ key: 'transition.suspendedBefore' });
  });

  it('reopening a closed report goes back to the area that answered with a new reply deadline; the first answer still counts', async () => {
    const number = await reportIn('closed');
    const closed = await getReport(store.db, number, new Date(clock));
    await act(number, 'reopen');
    const reopened = await getReport(store.db, number, new Date(clock));
    expect(reopened).toMatchObject({ status: 'acknowledged', area: 'ambiente', answeredAt: null, closedAt: null, reopenCount: 1 });
    // Reopened Monday 2/11 at 15:00 Rome: 2/11 + 30 = Wednesday 2/12, end of day.
    expect(reopened.replyDueAt).toBe('2026-12-02T22:59:59.999Z');
    const row = store.sqlite.prepare('select first_answered_at from reports where number = ?').get(number) as { first_answered_at: string };
    expect(row.first_answered_at).toBe(closed.answeredAt);
  });

  it('reopening a rejected report puts it back in URP\'s queue with a new assignment deadline', async () => {
    const number = await reportIn('rejected');
    await act(number, 'reopen');
    const report = await getReport(store.db, number, new Date(clock));
    expect(report).toMatchObject({ status: 'registered', rejectedAt: null, assignDueAt: new Date(clock + 48 * 3_600_000).toISOString() });
  });
});

describe('the queue', () => {
  it('gives each pile its size and its first ten (the answered ones to close: the oldest), every report when asked', async () => {
    const answered: string[] = [];
    for (let index = 0; index < 12; index++) answered.push(await reportIn('answered'));
    const open: string[] = [];
    for (let index = 0; index < 11; index++) open.push(await reportIn('acknowledged'));
    const registered = await reportIn('registered');
    const queue = await queues(store.db, new Date(clock));
    expect(queue.urp.counts).toEqual({ toAssign: 1, returned: 0, toClose: 12 });
    // Oldest first: the order they were registered in.
    expect(queue.urp.toClose.map((report) => report.number)).toEqual(answered.slice(0, 10));
    expect(queue.urp.toAssign.map((report) => report.number)).toEqual([registered]);
    const ambiente = queue.areas.find((area) => area.area === 'ambiente')!;
    expect(ambiente.counts).toEqual({ toAcknowledge: 0, toReply: 11, suspended: 0 });
    // The most urgent first: by reply deadline (the order they were received in).
    expect(ambiente.toReply.map((report) => report.number)).toEqual(open.slice(0, 10));
    const all = await queues(store.db, new Date(clock), { all: true });
    expect(all.urp.toClose.map((report) => report.number)).toEqual(answered);
    expect(all.areas.find((area) => area.area === 'ambiente')!.toReply.map((report) => report.number)).toEqual(open);
    expect(all.urp.counts).toEqual(queue.urp.counts);
    // An area's own queue has no URP piles.
    const id = (store.sqlite.prepare(`select id from areas where code = 'ambiente'`).get() as { id: number }).id;
    const own = await queues(store.db, new Date(clock), { areaIds: [id] });
    expect(own.urp).toEqual({ toAssign: [], returned: [], toClose: [], counts: { toAssign: 0, returned: 0, toClose: 0 } });
    expect(own.areas.map((area) => [area.area, area.toReply.length, area.counts.toReply])).toEqual([['ambiente', 10, 11]]);
  });
});

describe('suspension arithmetic', () => {
  it('moves the reply deadline by the suspended days, rounded up, then off a holiday', async () => {
    // Received Friday 6/11/2026 10:00 Rome: due Sunday 6/12 -> Monday 7/12, end of day.
    const { number } = await registerReport(store.db, actorAt('2026-11-06T09:00:00Z'), settings, {
      fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Buca', receivedAt: '2026-11-06T10:00' }, settings.timeZone),
      citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it' }),
    });
    expect((await getReport(store.db, number, new Date())).replyDueAt).toBe('2026-12-07T22:59:59.999Z');
    await applyAction(store.db, actorAt('2026-11-06T10:00:00Z'), settings, { number, action: 'assign', area: 'strade' });
    await applyAction(store.db, actorAt('2026-11-06T11:00:00Z'), settings, { number, action: 'ack' });
    await applyAction(store.db, actorAt('2026-11-09T08:00:00Z'), settings, { number, action: 'suspend', reason: 'Foto' });
    // Suspended while the deadline passes: never late while the clock is stopped.
    expect((await getReport(store.db, number, new Date('2026-12-20T00:00:00Z'))).lateToReply).toBe(false);
    // Resumed 9 hours after 1 day: 1 day 9 hours rounds up to 2 days. 6/11 + 30 + 2 = Tuesday 8/12, a holiday
    // (Immacolata): the deadline moves to Wednesday 9/12.
    await applyAction(store.db, actorAt('2026-11-10T17:00:00Z'), settings, { number, action: 'resume' });
    const report = await getReport(store.db, number, new Date('2026-12-09T12:00:00Z'));
    expect(report).toMatchObject({ status: 'acknowledged', suspendedDays: 2, replyDueAt: '2026-12-09T22:59:59.999Z', lateToReply: false });
    expect((await getReport(store.db, number, new Date('2026-12-09T23:00:00.000Z'))).lateToReply).toBe(true);
  });
});

describe('--at: actions that happened earlier', () => {
  it('records the given instant; refuses one in the future, before the receipt or before the previous step', async () => {
    const number = await reportIn('assigned');
    const now = next();
    const { report: assigned } = await getReportDetails(store.db, number, now.now);
    await expect(applyAction(store.db, now, settings, { number, action: 'ack', at: new Date(now.now.getTime() + 60_000) })).rejects.toMatchObject({ key: 'action.atInFuture' });
    await expect(applyAction(store.db, now, settings, { number, action: 'ack', at: new Date('2026-11-01T00:00:00Z') })).rejects.toMatchObject({ key: 'action.atBeforeReceipt' });
    // After the receipt but before the assignment, the step before it.
    await expect(applyAction(store.db, now, settings, { number, action: 'ack', at: new Date(Date.parse(assigned.assignedAt!) - 60_000) })).rejects.toMatchObject({ key: 'action.atBeforePrevious' });
    const earlier = new Date(now.now.getTime() - 30 * 60_000);
    await applyAction(store.db, now, settings, { number, action: 'ack', at: earlier });
    const { timeline, report } = await getReportDetails(store.db, number, now.now);
    expect(timeline.at(-1)).toMatchObject({ kind: 'acknowledged', occurredAt: earlier.toISOString(), recordedAt: now.now.toISOString() });
    expect(report.acknowledgedAt).toBe(earlier.toISOString());
  });
});

describe('backlog entry (issue 16)', () => {
  it('a letter received on Saturday and registered on Monday is assigned and taken in charge on Saturday; statistics count when it happened', async () => {
    // Received Saturday 21/11 at 09:00 Rome, registered Monday 23/11 at 08:00 Rome.
    clock = Date.parse('2026-11-23T07:00:00Z');
    const { number } = await registerReport(store.db, actorAt('2026-11-23T07:00:00Z'), settings, {
      fields: parseReportFields({ type: 'complaint', channel: 'paper', subject: 'Lettera del sabato', receivedAt: '2026-11-21T09:00' }, settings.timeZone),
      citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it' }),
    });
    const monday = actorAt('2026-11-23T08:00:00Z');
    await applyAction(store.db, monday, settings, { number, action: 'note', text: 'Protocollata lunedì' });
    // Before the registration, after the receipt (and after Monday's note, which is no step): accepted.
    await applyAction(store.db, monday, settings, { number, action: 'assign', area: 'strade', at: new Date('2026-11-21T10:00:00Z') });
    await applyAction(store.db, actorAt('2026-11-23T08:05:00Z'), settings, { number, action: 'ack', at: new Date('2026-11-21T11:00:00Z') });
    const { report, timeline } = await getReportDetails(store.db, number, new Date('2026-11-23T09:00:00Z'));
    expect(report).toMatchObject({ assignedAt: '2026-11-21T10:00:00.000Z', acknowledgedAt: '2026-11-21T11:00:00.000Z', lateToAssign: false });
    expect(timeline.find((event) => event.kind === 'assigned')).toMatchObject({ occurredAt: '2026-11-21T10:00:00.000Z', recordedAt: '2026-11-23T08:00:00.000Z' });
    // Assigned two hours after the receipt (09:00 Rome is 08:00Z), as it happened: on time, though registered two days later.
    const { statistics } = await import('../../src/domain/statistics.js');
    const { columnReader } = await import('../../src/storage/column-reader.js');
    const stats = await statistics(store.db, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z'), asOf: new Date('2026-11-23T09:00:00Z'), timeZone: settings.timeZone }, columnReader(store));
    expect(stats.total.assignedOnTime).toMatchObject({ count: 1, of: 1 });
    expect(stats.total.medianHoursToAssign).toBe(2);
    // The event chain still verifies: the events were appended, not rewritten.
    const { chainState } = await import('../../src/domain/integrity.js');
    const chain = await chainState(store.db, 'report_events');
    expect(chain.broken).toBeUndefined();
    expect(chain.count).toBeGreaterThan(0);
  });
});

describe('operators and roles', () => {
  beforeEach(async () => {
    // The first operator must be an admin; then the admin adds the others.
    // The first operator must be an admin bound to the account defining it; then the admin adds the others.
    await expect(addOperator(store.db, next('anyone'), { name: 'bruno', role: 'urp' }, 'bruno')).rejects.toMatchObject({ key: 'operator.firstMustBeAdmin' });
    await expect(addOperator(store.db, next('anyone'), { name: 'admin', role: 'admin' }, 'someone-else')).rejects.toMatchObject({ key: 'operator.firstMustBeYou' });
    await addOperator(store.db, next('anyone'), { name: 'admin', role: 'admin' }, 'admin');
    await addOperator(store.db, next('admin'), { name: 'bruno', role: 'urp' }, 'admin');
    await addOperator(store.db, next('admin'), { name: 'carla', role: 'area', areas: ['strade'] }, 'admin');
    await addOperator(store.db, next('admin'), { name: 'dario', role: 'area', areas: ['ambiente'] }, 'admin');
  });

  const refuse = (promise: Promise<unknown>, key: string) => expect(promise).rejects.toMatchObject({ key });

  it('only admins manage operators and areas; unknown operators may do nothing', async () => {
    await refuse(addOperator(store.db, next('bruno'), { name: 'eva', role: 'urp' }, 'bruno'), 'permission.denied');
    await refuse(addOperator(store.db, next('admin'), { name: 'eva', role: 'urp', osUser: 'carla' }, 'admin'), 'operator.accountTaken');
    await refuse(addArea(store.db, next('carla'), { code: 'tributi', name: 'Tributi' }), 'permission.denied');
    await refuse(addArea(store.db, next('nobody'), { code: 'tributi', name: 'Tributi' }), 'permission.unknownOperator');
    await addArea(store.db, next('admin'), { code: 'tributi', name: 'Tributi' });
  });

  it('urp registers, assigns, closes, rejects, reopens; area operators act only on their own areas', async () => {
    const number = await registerReport(store.db, next('bruno'), settings, {
      fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Buca' }, settings.timeZone),
      citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it' }),
    }).then((registered) => registered.number);
    await refuse(registerReport(store.db, next('carla'), settings, {
      fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Buca' }, settings.timeZone),
      citizen: 1,
    }), 'permission.denied');
    await refuse(act(number, 'assign', 'carla'), 'permission.denied');
    await act(number, 'assign', 'bruno');
    await refuse(act(number, 'ack', 'bruno'), 'permission.denied');
    await refuse(act(number, 'ack', 'dario'), 'permission.notYourArea');
    await act(number, 'ack', 'carla');
    await refuse(act(number, 'note', 'dario'), 'permission.notYourArea');
    await act(number, 'note', 'bruno');
    await act(number, 'reply', 'carla');
    await refuse(act(number, 'close', 'carla'), 'permission.denied');
    await act(number, 'close', 'admin');
    const report = await getReport(store.db, number, new Date(clock));
    expect(report.status).toBe('closed');
  });

  it('offers only the actions the operator may take', async () => {
    const number = await registerReport(store.db, next('bruno'), settings, {
      fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Buca' }, settings.timeZone),
      citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it' }),
    }).then((registered) => registered.number);
    await act(number, 'assign', 'bruno');
    const strade = (store.sqlite.prepare(`select id from areas where code = 'strade'`).get() as { id: number }).id;
    expect(await allowedActions(store.db, next('bruno'), { status: 'assigned', areaId: strade })).toEqual(['assign', 'note']);
    expect(await allowedActions(store.db, next('carla'), { status: 'assigned', areaId: strade })).toEqual(['ack', 'return', 'reply', 'note']);
    expect(await allowedActions(store.db, next('dario'), { status: 'assigned', areaId: strade })).toEqual([]);
    expect(await allowedActions(store.db, next('admin'), { status: 'assigned', areaId: strade })).toEqual(['assign', 'ack', 'return', 'reply', 'note']);
  });

  it('a disabled operator can no longer act; the last admin cannot be disabled', async () => {
    const { disableOperator } = await import('../../src/domain/operators.js');
    await refuse(disableOperator(store.db, next('admin'), 'admin'), 'operator.lastAdmin');
    await disableOperator(store.db, next('admin'), 'bruno');
    await refuse(newReportAs('bruno'), 'permission.disabledOperator');
  });
});

function newReportAs(operator: string) {
  return registerReport(store.db, next(operator), settings, {
    fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Buca' }, settings.timeZone),
    citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it' }),
  });
}
