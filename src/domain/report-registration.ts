import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { writeTransaction } from '../storage/transactions.js';
import type { Actor } from './actor.js';
import { findAreaRow } from './areas.js';
import { civilDateOf } from './calendar.js';
import { findCategory } from './categories.js';
import { type Citizen, type CitizenData, getCitizen, insertCitizen, matchCitizen } from './citizens.js';
import { deadlineCalculator } from './deadlines.js';
import { InputError } from './errors.js';
import { type InboundMessage, recordRegistrationMail } from './mail/registration-mail.js';
import { authorize } from './operators.js';
import { appendEvent } from './report-events.js';
import type { ReportFields } from './report-input.js';
import { takeNextNumber } from './report-numbers.js';
import type { Settings } from './settings.js';

export interface Registration {
  readonly fields: ReportFields;
  /** An existing citizen's id, or validated details to match or create. */
  readonly citizen: number | CitizenData;
  /** The e-mail message the report was registered from (report new --from-eml). */
  readonly inbound?: InboundMessage | undefined;
}

export interface Registered {
  readonly id: number;
  readonly number: string;
  readonly citizen: Citizen;
  readonly citizenCreated: boolean;
}

/**
 * Registers a report (SPEC 3.1-3.4): an identified citizen (found again or
 * created), a number from the year's sequence, both deadlines, and the
 * `registered` event, plus `assigned` when an area is given at once. All in
 * one write transaction: a refusal writes nothing.
 */
export async function registerReport(
  db: Kysely<Database>,
  actor: Actor,
  settings: Settings,
  registration: Registration,
): Promise<Registered> {
  const { fields } = registration;
  const registeredAt = actor.now;
  const receivedAt = fields.receivedAt ?? registeredAt;
  if (receivedAt.getTime() > registeredAt.getTime()) throw new InputError('report.receivedInFuture', {}, 'receivedAt');

  return writeTransaction(db, async (trx) => {
    await authorize(trx, actor, 'register');
    const category = fields.category ? await findCategory(trx, fields.category, { mustBeActive: true }) : undefined;
    const area = fields.area ? await findAreaRow(trx, fields.area, { mustBeActive: true }) : undefined;
    if (fields.externalRef) {
      const duplicate = await trx.selectFrom('reports').select('number').where('external_ref', '=', fields.externalRef).executeTakeFirst();
      if (duplicate) throw new InputError('report.externalRefExists', { number: duplicate.number }, 'externalRef');
    }

    let citizen: Citizen;
    let citizenCreated = false;
    if (typeof registration.citizen === 'number') {
      citizen = await getCitizen(trx, registration.citizen);
      if (citizen.erasedAt) throw new InputError('citizen.erased', { id: citizen.id }, 'citizen');
    } else {
      const found = await matchCitizen(trx, registration.citizen);
      citizen = found ?? (await insertCitizen(trx, actor, registration.citizen));
      citizenCreated = !found;
    }

    const deadlines = deadlineCalculator(settings);
    const assignDue = deadlines.assignDue(receivedAt).toISOString();
    const replyDue = deadlines.replyDue(receivedAt).toISOString();
    const year = civilDateOf(registeredAt, settings.timeZone).year;
    const { number, sequence } = await takeNextNumber(trx, year);
    const now = registeredAt.toISOString();
    const received = receivedAt.toISOString();

    const { id } = await trx
      .insertInto('reports')
      .values({
        number,
        year,
        sequence,
        type: fields.type,
        channel: fields.channel,
        status: area ? 'assigned' : 'registered',
        subject: fields.subject,
        description: fields.description ?? '',
        location: fields.location ?? null,
        external_ref: fields.externalRef ?? null,
        category_id: category?.id ?? null,
        area_id: area?.id ?? null,
        citizen_id: citizen.id,
        received_at: received,
        registered_at: now,
        assign_counted_from: received,
        assign_due_at: assignDue,
        first_assign_due_at: assignDue,
        reply_counted_from: received,
        reply_due_at: replyDue,
        assigned_at: area ? now : null,
        first_assigned_at: area ? now : null,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    await appendEvent(trx, actor, { reportId: id, kind: 'registered', toStatus: 'registered', occurredAt: registeredAt });
    if (area) {
      await appendEvent(trx, actor, {
        reportId: id,
        kind: 'assigned',
        fromStatus: 'registered',
        toStatus: 'assigned',
        areaId: area.id,
        occurredAt: registeredAt,
      });
    }
    // The message it came from, and the receipt (and assignment) it causes: in this same transaction.
    await recordRegistrationMail(trx, actor, settings, { reportId: id, inbound: registration.inbound });
    return { id, number, citizen, citizenCreated };
  });
}
