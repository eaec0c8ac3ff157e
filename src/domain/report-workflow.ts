import type { Kysely } from 'kysely';
import type { Database, ReportRow, ReportUpdate } from '../storage/schema.js';
import { writeTransaction } from '../storage/transactions.js';
import type { Actor } from './actor.js';
import { findAreaRow } from './areas.js';
import { queueActionMessages } from './mail/outbox.js';
import { deadlineCalculator, suspendedCalendarDays } from './deadlines.js';
import { echo, InputError } from './errors.js';
import { replySeal } from './event-chain.js';
import { type Permission, authorize } from './operators.js';
import { type EventKind, appendEvent } from './report-events.js';
import { currentYearOf, parseReportNumber } from './report-numbers.js';
import type { Settings } from './settings.js';
import { TEXT_LIMITS, limitedText, optionalText, requiredText } from './text-fields.js';
import { type Outcome, type ReplyChannel, type Status, outcomes, replyChannels } from './vocabulary.js';

/**
 * The state machine of a report (SPEC sections 3 and 5, issue 3), in one
 * table: for each action, from which status to which, the event it records,
 * the permission it needs, and whether a reason is required. Anything not in
 * the table is refused, naming the current status and what is allowed.
 */
export type Action = 'assign' | 'ack' | 'return' | 'suspend' | 'resume' | 'reply' | 'close' | 'reject' | 'reopen' | 'note';

export interface Transition {
  readonly action: Action;
  readonly from: Status;
  readonly to: Status;
  readonly event: EventKind;
  readonly permission: Permission;
  readonly reasonRequired: boolean;
}

const row = (action: Action, from: Status, to: Status, event: EventKind, permission: Permission, reasonRequired = false): Transition => ({
  action,
  from,
  to,
  event,
  permission,
  reasonRequired,
});

export const TRANSITIONS: readonly Transition[] = [
  row('assign', 'registered', 'assigned', 'assigned', 'assign'),
  row('assign', 'assigned', 'assigned', 'reassigned', 'assign'),
  // Once an area has taken it in charge, moving it elsewhere needs a reason.
  row('assign', 'acknowledged', 'assigned', 'reassigned', 'assign', true),
  row('ack', 'assigned', 'acknowledged', 'acknowledged', 'acknowledge'),
  row('return', 'assigned', 'registered', 'returned', 'return', true),
  row('return', 'acknowledged', 'registered', 'returned', 'return', true),
  row('suspend', 'acknowledged', 'suspended', 'suspended', 'suspend', true),
  row('resume', 'suspended', 'acknowledged', 'resumed', 'resume'),
  // A reply given before the acknowledgement implies it (and records it).
  row('reply', 'assigned', 'answered', 'answered', 'reply'),
  row('reply', 'acknowledged', 'answered', 'answered', 'reply'),
  row('close', 'answered', 'closed', 'closed', 'close'),
  row('reject', 'registered', 'rejected', 'rejected', 'reject', true),
  row('reopen', 'closed', 'acknowledged', 'reopened', 'reopen', true),
  row('reopen', 'rejected', 'registered', 'reopened', 'reopen', true),
];

export const ACTIONS: readonly Action[] = ['assign', 'ack', 'return', 'suspend', 'resume', 'reply', 'close', 'reject', 'reopen', 'note'];

/** The transition for an action from a status, or undefined when the state machine does not allow it. */
export function transitionFor(action: Action, from: Status): Transition | undefined {
  return TRANSITIONS.find((transition) => transition.action === action && transition.from === from);
}

/** Actions allowed from a status (notes always are). */
export function actionsFrom(status: Status): Action[] {
  return [...new Set(TRANSITIONS.filter((transition) => transition.from === status).map((transition) => transition.action)), 'note'];
}

export interface ActionInput {
  readonly action: Action;
  readonly number: string;
  /** When it happened, if earlier than now (a letter sent yesterday). */
  readonly at?: Date | undefined;
  readonly reason?: string | undefined;
  /** assign: the area. */
  readonly area?: string | undefined;
  /** reply and note: the text. */
  readonly text?: string | undefined;
  readonly outcome?: string | undefined;
  readonly via?: string | undefined;
}

export interface ActionResult {
  readonly number: string;
  readonly action: Action;
  readonly from: Status;
  readonly to: Status;
  readonly events: EventKind[];
}

/**
 * Applies one action to a report, in one write transaction: checks the state
 * machine, the permission, the inputs and `at`, updates the report and
 * appends its events. A refusal changes nothing.
 */
export async function applyAction(db: Kysely<Database>, actor: Actor, settings: Settings, input: ActionInput): Promise<ActionResult> {
  // A number without its year is this year's (the clerk's own year, in the office's zone).
  const { number } = parseReportNumber(input.number, 'number', currentYearOf(actor.now, settings.timeZone));
  return writeTransaction(db, async (trx) => {
    const report = await trx.selectFrom('reports').selectAll().where('number', '=', number).executeTakeFirst();
    if (!report) throw new InputError('report.unknown', { number }, 'number');
    const from = report.status as Status;
    const at = await actionInstant(trx, actor, report, input.at);

    if (input.action === 'note') {
      await authorize(trx, actor, 'note', report.area_id);
      const text = requiredText('text', input.text, TEXT_LIMITS.note);
      await appendEvent(trx, actor, { reportId: report.id, kind: 'note', fromStatus: from, toStatus: from, areaId: report.area_id, text, occurredAt: at });
      return { number, action: 'note', from, to: from, events: ['note'] };
    }

    const transition = transitionFor(input.action, from);
    if (!transition) {
      throw new InputError('transition.notAllowed', { number, action: input.action, status: from, allowed: actionsFrom(from).join(', ') });
    }
    await authorize(trx, actor, transition.permission, report.area_id);
    const reason = transition.reasonRequired
      ? requiredText('reason', input.reason, TEXT_LIMITS.reason)
      : optionalText(input.reason) && limitedText('reason', optionalText(input.reason)!, TEXT_LIMITS.reason);

    const effect = await effects[transition.action as Exclude<Action, 'note'>](trx, { actor, settings, report, at, input, transition });
    // The events first, then the report: on PostgreSQL an area's login may append events only to
    // reports it can see (row-level security), and returning one to URP takes it out of its sight.
    const events: EventKind[] = [];
    for (const extra of effect.before ?? []) {
      await appendEvent(trx, actor, { reportId: report.id, occurredAt: at, ...extra });
      events.push(extra.kind);
    }
    const eventId = await appendEvent(trx, actor, {
      reportId: report.id,
      kind: transition.event,
      // After an implied step (the acknowledgement a reply implies) the statuses chain on from it.
      fromStatus: effect.before?.at(-1)?.toStatus ?? from,
      toStatus: transition.to,
      areaId: effect.areaId === undefined ? report.area_id : effect.areaId,
      text: effect.text ?? reason ?? null,
      occurredAt: at,
    });
    events.push(transition.event);
    await trx
      .updateTable('reports')
      .set({ ...effect.changes, status: transition.to, updated_at: actor.now.toISOString() })
      .where('id', '=', report.id)
      .execute();
    await effect.after?.(eventId);
    // The assignment or reply message it causes, queued in this same transaction.
    await queueActionMessages(trx, actor, settings, { reportId: report.id, eventId, kind: transition.event });
    return { number, action: transition.action, from, to: transition.to, events };
  });
}

/** The events of the workflow's steps: `at` orders itself after these (not after notes, messages, the registration). */
const STEP_EVENTS: readonly EventKind[] = [...new Set([...TRANSITIONS.map((transition) => transition.event), 'acknowledged' as const])];

/**
 * When an action happened (backlog entry, issue 16): now, or `at`, which
 * cannot be in the future, nor before the citizen made the report (its
 * receipt), nor before the report's previous step. It may precede the
 * registration: a letter received on Saturday, registered on Monday, was
 * assigned on Saturday. The event keeps both times (occurred, recorded).
 */
async function actionInstant(db: Kysely<Database>, actor: Actor, report: ReportRow, at: Date | undefined): Promise<Date> {
  if (!at) return actor.now;
  if (at.getTime() > actor.now.getTime()) throw new InputError('action.atInFuture', {}, 'at');
  if (at.toISOString() < report.received_at) throw new InputError('action.atBeforeReceipt', { received: report.received_at }, 'at');
  const last = await db
    .selectFrom('report_events')
    .select((eb) => eb.fn.max('occurred_at').as('last'))
    .where('report_id', '=', report.id)
    .where('kind', 'in', STEP_EVENTS)
    .executeTakeFirst();
  if (last?.last && at.toISOString() < last.last) throw new InputError('action.atBeforePrevious', { previous: last.last }, 'at');
  return at;
}

interface EffectContext {
  readonly actor: Actor;
  readonly settings: Settings;
  readonly report: ReportRow;
  readonly at: Date;
  readonly input: ActionInput;
  readonly transition: Transition;
}

interface Effect {
  readonly changes: ReportUpdate;
  /** The area recorded on the event, when it is not the report's current one. */
  readonly areaId?: number | null;
  /** The event's text, when it is not the reason. */
  readonly text?: string;
  /** Events recorded before the main one (an implied acknowledgement). */
  readonly before?: ReadonlyArray<{ kind: EventKind; fromStatus: Status; toStatus: Status; areaId: number | null }>;
  /** Work that needs the main event's id (the reply row). */
  readonly after?: (eventId: number) => Promise<void>;
}

type EffectFunction = (db: Kysely<Database>, context: EffectContext) => Promise<Effect>;

const iso = (instant: Date) => instant.toISOString();

const effects: Record<Exclude<Action, 'note'>, EffectFunction> = {
  async assign(db, { report, at, input, transition }) {
    if (!optionalText(input.area)) throw new InputError('field.required', {}, 'area');
    const area = await findAreaRow(db, input.area!, { mustBeActive: true });
    if (transition.from !== 'registered' && area.id === report.area_id) throw new InputError('transition.sameArea', { area: area.code }, 'area');
    return {
      areaId: area.id,
      changes: {
        area_id: area.id,
        assigned_at: iso(at),
        first_assigned_at: report.first_assigned_at ?? iso(at),
        acknowledged_at: null,
      },
    };
  },

  async ack(_db, { at }) {
    return { changes: { acknowledged_at: iso(at) } };
  },

  async return(_db, { report, at, settings }) {
    // Back in URP's queue, with a new assignment deadline counted from the return.
    return {
      areaId: report.area_id,
      changes: {
        area_id: null,
        assigned_at: null,
        acknowledged_at: null,
        assign_counted_from: iso(at),
        assign_due_at: iso(deadlineCalculator(settings).assignDue(at)),
      },
    };
  },

  async suspend(_db, { report, at }) {
    if (report.suspension_count > 0) throw new InputError('transition.suspendedBefore', { number: report.number });
    return { changes: { suspended_at: iso(at), suspension_count: report.suspension_count + 1 } };
  },

  async resume(_db, { report, at, settings }) {
    // The reply deadline moves by the suspended calendar days, then off Sundays and holidays.
    const days = report.suspended_days + suspendedCalendarDays(new Date(report.suspended_at!), at, settings.timeZone);
    const replyDue = deadlineCalculator(settings).replyDue(new Date(report.reply_counted_from), days);
    return { changes: { suspended_at: null, suspended_days: days, reply_due_at: iso(replyDue) } };
  },

  async reply(db, { report, at, input, transition }) {
    const text = requiredText('text', input.text, TEXT_LIMITS.replyText);
    const outcome: Outcome | undefined = input.outcome === undefined ? undefined : outcomes.parse(input.outcome);
    if (!outcome) {
      throw new InputError(input.outcome === undefined ? 'field.required' : 'reply.outcomeUnknown', { value: echo(String(input.outcome)), allowed: outcomes.codes.join(', ') }, 'outcome');
    }
    let via: ReplyChannel | undefined;
    if (optionalText(input.via)) {
      via = replyChannels.parse(input.via!);
      if (!via) throw new InputError('reply.viaUnknown', { value: echo(input.via!), allowed: replyChannels.codes.join(', ') }, 'via');
    }
    const implied = transition.from === 'assigned';
    // What the citizen is sent: its row, and the seal its event holds, from the same values.
    const reply = { text, outcome, via: via ?? null };
    return {
      // The reply, its outcome and channel are stored apart (replies): the event holds their seal (event-chain.ts).
      text: replySeal(reply),
      before: implied ? [{ kind: 'acknowledged', fromStatus: 'assigned', toStatus: 'acknowledged', areaId: report.area_id }] : [],
      changes: {
        acknowledged_at: implied ? iso(at) : report.acknowledged_at,
        answered_at: iso(at),
        first_answered_at: report.first_answered_at ?? iso(at),
        first_reply_due_at: report.first_reply_due_at ?? report.reply_due_at,
        outcome,
      },
      after: async (eventId) => {
        await db.insertInto('replies').values({ report_id: report.id, event_id: eventId, ...reply, sent_at: iso(at) }).execute();
      },
    };
  },

  async close(_db, { at }) {
    return { changes: { closed_at: iso(at) } };
  },

  async reject(_db, { at }) {
    return { changes: { rejected_at: iso(at) } };
  },

  async reopen(_db, { report, at, settings, transition }) {
    const deadlines = deadlineCalculator(settings);
    if (transition.from === 'closed') {
      // Back to the area that answered, with a new reply deadline counted from the reopening.
      return {
        changes: {
          acknowledged_at: iso(at),
          answered_at: null,
          closed_at: null,
          outcome: null,
          reply_counted_from: iso(at),
          reply_due_at: iso(deadlines.replyDue(at)),
          suspended_days: 0,
          reopen_count: report.reopen_count + 1,
        },
      };
    }
    // A rejection withdrawn: back in URP's queue with a new assignment deadline.
    return {
      changes: {
        rejected_at: null,
        assign_counted_from: iso(at),
        assign_due_at: iso(deadlines.assignDue(at)),
        reopen_count: report.reopen_count + 1,
      },
    };
  },
};

/**
 * The actions this actor may take on a report now: allowed by the state
 * machine from its status, and by the actor's role (for the menu).
 */
export async function allowedActions(db: Kysely<Database>, actor: Actor, report: { status: Status; areaId: number | null; number?: string }): Promise<Action[]> {
  const allowed: Action[] = [];
  // The reply clock stops only once (effects.suspend refuses a second time): not offered again.
  const suspendedBefore = report.number !== undefined && ((await db.selectFrom('reports').select('suspension_count').where('number', '=', report.number).executeTakeFirst())?.suspension_count ?? 0) > 0;
  for (const action of actionsFrom(report.status)) {
    if (action === 'suspend' && suspendedBefore) continue;
    const permission = action === 'note' ? 'note' : transitionFor(action, report.status)!.permission;
    try {
      await authorize(db, actor, permission, report.areaId);
      allowed.push(action);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
  }
  return allowed;
}
