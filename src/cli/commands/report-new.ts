import { findAreaRow } from '../../domain/areas.js';
import { findCategory } from '../../domain/categories.js';
import { type CitizenInput, getCitizen, validateCitizen } from '../../domain/citizens.js';
import { InputError } from '../../domain/errors.js';
import { checkGivenReportFields, parseReportFields } from '../../domain/report-input.js';
import { getReport, publicReport } from '../../domain/report-queries.js';
import { registerReport } from '../../domain/report-registration.js';
import { citizenId, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { fieldLabel } from '../field-labels.js';
import type { CommandInput } from '../command-types.js';
import type { ReportDraft } from '../prompts/report-new-prompts.js';

const CITIZEN_FIELDS = ['firstName', 'lastName', 'taxCode', 'email', 'phone', 'address', 'pec'] as const;

function pickCitizenFields(input: CitizenInput): CitizenInput {
  return Object.fromEntries(CITIZEN_FIELDS.map((field) => [field, input[field]]));
}

/**
 * `urp report new`: registers a report from flags; on a terminal, prompts
 * for whatever is missing. Prints the new number (with --json, the report).
 */
export async function run(context: CliContext, input: CommandInput): Promise<void> {
  await register(context, input);
}

/** The work of `report new`, for the command and the menu: returns the number registered. */
export async function register(context: CliContext, { options }: CommandInput): Promise<string> {
  const input = parseOptions(
    {
      type: text,
      channel: text,
      receivedAt: text,
      subject: text,
      description: text,
      category: text,
      area: text,
      location: text,
      externalRef: text,
      citizen: text,
      firstName: text,
      lastName: text,
      taxCode: text,
      email: text,
      phone: text,
      address: text,
      pec: text,
      fromEml: text,
      json: flag,
    },
    options,
  );
  const { db } = await context.store();
  const settings = await context.settings();
  // Dates typed as clerks type them (`ieri 15:00`) are read against this moment.
  const now = context.clock();

  const citizenGiven = CITIZEN_FIELDS.some((field) => input[field] !== undefined);
  if (input.citizen !== undefined && citizenGiven) throw new InputError('citizen.eitherOr', {}, 'citizen');
  const draft: ReportDraft = {
    fields: {
      type: input.type,
      channel: input.channel,
      receivedAt: input.receivedAt,
      subject: input.subject,
      description: input.description,
      category: input.category,
      area: input.area,
      location: input.location,
      externalRef: input.externalRef,
    },
    citizen: input.citizen !== undefined ? citizenId(input.citizen, 'citizen') : undefined,
  };

  // Issue 14: the message itself gives the channel, the date, the subject, the text and the sender.
  let eml: import('./report-new-eml.js').EmlDraft | undefined;
  let partialCitizen = citizenGiven ? pickCitizenFields(input) : undefined;
  if (input.fromEml !== undefined) {
    const { draftFromEml } = await import('./report-new-eml.js');
    eml = await draftFromEml(context, db, input.fromEml, draft, { ...pickCitizenFields(input), channel: input.channel });
    if (draft.citizen === undefined && eml.knownCitizen !== undefined) draft.citizen = eml.knownCitizen;
    else if (draft.citizen === undefined) partialCitizen = eml.citizen;
  }

  if (context.interactive) {
    // What the flags did give is checked before any question, so that a bad value is refused at once.
    checkGivenReportFields(draft.fields, settings, now);
    if (draft.fields.category) await findCategory(db, draft.fields.category, { mustBeActive: true });
    if (draft.fields.area) await findAreaRow(db, draft.fields.area, { mustBeActive: true });
    if (typeof draft.citizen === 'number') await getCitizen(db, draft.citizen, 'citizen');
    const { promptReportDraft } = await import('../prompts/report-new-prompts.js');
    Object.assign(draft, await promptReportDraft(context, db, settings, draft, partialCitizen));
  } else if (draft.citizen === undefined && eml) {
    // The sender's name is needed to register someone new: without a terminal, as flags.
    parseReportFields(draft.fields, settings.timeZone, now);
    if (!eml.citizen.lastName) throw new InputError('field.missingFlag', {}, 'lastName');
    if (!eml.citizen.firstName) throw new InputError('field.missingFlag', {}, 'firstName');
    draft.citizen = validateCitizen(eml.citizen);
  } else if (citizenGiven) {
    draft.citizen = validateCitizen(input);
  } else if (draft.citizen === undefined) {
    // Without prompts: the fields' errors first (all of them), then the missing citizen.
    parseReportFields(draft.fields, settings.timeZone, now);
    throw new InputError('citizen.missing', {}, 'citizen');
  }

  const fields = parseReportFields(draft.fields, settings.timeZone, now);
  const kept = eml && (await (await import('./report-new-eml.js')).keepMessage(db, eml));
  let registered: Awaited<ReturnType<typeof registerReport>>;
  try {
    registered = await registerReport(db, context.actor(), settings, { fields, citizen: draft.citizen!, inbound: kept?.inbound });
  } catch (error) {
    await kept?.discard();
    throw error;
  }
  if (input.json) context.output.json(publicReport(await getReport(db, registered.number, context.clock())));
  else context.output.write(registered.number);
  if (registered.citizenCreated) context.output.info(context.t('citizen.added', { id: registered.citizen.id }));
  else if (draft.citizen !== undefined && typeof draft.citizen !== 'number') {
    context.output.info(context.t('citizen.reused', { id: registered.citizen.id }));
    if (registered.contactsAdded.length > 0) {
      context.output.info(context.t('citizen.contactsAdded', { id: registered.citizen.id, fields: registered.contactsAdded.map((field) => fieldLabel(field)).join(', ') }));
    }
  }
  if (kept) context.output.info(context.t('eml.kept', { path: kept.path }));
  context.output.success(context.t('report.registered', { number: registered.number }));
  return registered.number;
}
