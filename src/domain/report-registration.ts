import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { writeTransaction } from '../storage/transactions.js';
import type { Actor } from './actor.js';
import { findAreaRow } from './areas.js';
import { civilDateOf } from './calendar.js';
import { findCategory } from './categories.js';
import { type Citizen, type CitizenData, type ContactField, addContacts, getCitizen, identifyCitizen, insertCitizen } from './citizens.js';
import { deadlineCalculator } from './deadlines.js';
import { InputError } from './errors.js';
import { type InboundMessage, recordRegistrationMail } from './mail/registration-mail.js';
import { authorize } from './operators.js';
import { type ReportFields, checkReceivedAt } from './report-input.js';
import { takeNextNumber } from './report-numbers.js';
import { writeReports } from './report-writer.js';
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
  /** Contacts the matched citizen did not have, added from what was given. */
  readonly contactsAdded: readonly ContactField[];
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
  checkReceivedAt(receivedAt, registeredAt, settings);

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
    let contactsAdded: readonly ContactField[] = [];
    if (typeof registration.citizen === 'number') {
      citizen = await getCitizen(trx, registration.citizen);
      if (citizen.erasedAt) throw new InputError('citizen.erased', { id: citizen.id }, 'citizen');
    } else {
      const identified = await identifyCitizen(trx, registration.citizen);
      if (identified.kind === 'existing') {
        contactsAdded = identified.additions;
        citizen = await addContacts(trx, actor, identified.citizen, registration.citizen, contactsAdded);
      } else {
        citizen = await insertCitizen(trx, actor, registration.citizen);
        citizenCreated = true;
      }
    }

    const deadlines = deadlineCalculator(settings);
    const year = civilDateOf(registeredAt, settings.timeZone).year;
    const { number, sequence } = await takeNextNumber(trx, year);
    const [id] = await writeReports(trx, actor, [
      {
        number,
        year,
        sequence,
        type: fields.type,
        channel: fields.channel,
        status: area ? 'assigned' : 'registered',
        subject: fields.subject,
        description: fields.description ?? '',
        location: fields.location ?? null,
        externalRef: fields.externalRef ?? null,
        categoryId: category?.id ?? null,
        areaId: area?.id ?? null,
        citizenId: citizen.id,
        receivedAt,
        registeredAt,
        assignDueAt: deadlines.assignDue(receivedAt),
        replyDueAt: deadlines.replyDue(receivedAt),
        milestones: { assignedAt: area ? registeredAt : undefined },
        outcome: null,
        // The timeline says which contacts the citizen's record gained (by field, not value).
        extraEvents: contactsAdded.length > 0 ? [{ kind: 'citizen_contacts_added', text: contactsAdded.join(',') }] : [],
      },
    ]);
    // The message it came from, and the receipt (and assignment) it causes: in this same transaction.
    await recordRegistrationMail(trx, actor, settings, { reportId: id!, inbound: registration.inbound });
    return { id: id!, number, citizen, citizenCreated, contactsAdded };
  });
}
