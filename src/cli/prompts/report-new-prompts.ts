import { confirm, input, select } from '@inquirer/prompts';
import type { Kysely } from 'kysely';
import { listAreas } from '../../domain/areas.js';
import { listCategories } from '../../domain/categories.js';
import { type CitizenData, type CitizenInput, getCitizen, identifyCitizen } from '../../domain/citizens.js';
import { dateInputError, parseDateInput } from '../../domain/date-input.js';
import { CancelledError } from '../../domain/errors.js';
import { type ReportFieldsText, checkReceivedAt } from '../../domain/report-input.js';
import type { Settings } from '../../domain/settings.js';
import { TEXT_LIMITS, limitedText, requiredText } from '../../domain/text-fields.js';
import { channels, reportTypes } from '../../domain/vocabulary.js';
import type { Database } from '../../storage/schema.js';
import type { CliContext } from '../context.js';
import { fieldLabel } from '../field-labels.js';
import { formatInstant } from '../render/dates.js';
import { safeLine } from '../terminal-text.js';
import { completeCitizen, promptCitizen } from './citizen-prompts.js';
import { ask, validator } from './prompting.js';

export interface ReportDraft {
  fields: ReportFieldsText;
  citizen: number | CitizenData | undefined;
}

/**
 * Asks for whatever the flags left out: type and channel as selects, the
 * citizen (search or create), the received date (default now), subject and
 * description, category with its area suggested, an optional immediate
 * assignment; then a summary to confirm. Ctrl-C or "no" writes nothing.
 */
export async function promptReportDraft(
  context: CliContext,
  db: Kysely<Database>,
  settings: Settings,
  draft: ReportDraft,
  /** Citizen fields given as flags: the prompts ask only for what is missing. */
  partialCitizen?: CitizenInput,
): Promise<ReportDraft> {
  const it = context.language === 'it';
  const { language } = context;
  const fields: ReportFieldsText = { ...draft.fields };
  const now = context.clock();

  if (!fields.type) {
    fields.type = await ask(
      select({
        message: it ? 'Tipo' : 'Type',
        choices: reportTypes.codes.map((code) => ({ value: code, name: reportTypes.label(code, language) })),
      }),
    );
  }
  if (!fields.channel) {
    fields.channel = await ask(
      select({
        message: it ? 'Canale' : 'Channel',
        choices: channels.codes.map((code) => ({ value: code, name: channels.label(code, language) })),
      }),
    );
  }
  const citizen = draft.citizen ?? (partialCitizen ? await completeCitizen(context, db, partialCitizen) : await promptCitizen(context, db));

  if (!fields.receivedAt) {
    const typed = await ask(
      input({
        message: it ? 'Ricevuta il (gg/mm/aaaa hh:mm)' : 'Received on (yyyy-mm-dd hh:mm)',
        default: formatInstant(now.toISOString(), settings.timeZone, language, true),
        validate: validator(context, (value) => {
          const parsed = parseDateInput(value, settings.timeZone);
          if (!parsed) throw dateInputError(value, settings.timeZone);
          checkReceivedAt(parsed.instant, now, settings);
        }),
      }),
    );
    fields.receivedAt = typed;
  }
  if (!fields.subject) {
    fields.subject = await ask(
      input({
        message: it ? 'Oggetto' : 'Subject',
        validate: validator(context, (value) => requiredText('subject', value, TEXT_LIMITS.subject)),
      }),
    );
  }
  if (fields.description === undefined) {
    fields.description = await ask(
      input({
        message: it ? 'Descrizione (facoltativa)' : 'Description (optional)',
        validate: validator(context, (value) => limitedText('description', value, TEXT_LIMITS.description)),
      }),
    );
  }
  if (fields.location === undefined) {
    fields.location = await ask(
      input({
        message: it ? 'Luogo (via, piazza; facoltativo)' : 'Location (street, square; optional)',
        validate: validator(context, (value) => limitedText('location', value, TEXT_LIMITS.location)),
      }),
    );
  }

  const categories = (await listCategories(db)).filter((category) => category.active);
  if (fields.category === undefined && categories.length > 0) {
    fields.category = await ask(
      select({
        message: it ? 'Categoria' : 'Category',
        choices: [
          ...categories.map((category) => ({ value: category.code, name: `${safeLine(category.name)} (${category.code})` })),
          { value: '', name: it ? '— nessuna' : '— none' },
        ],
      }),
    );
  }

  if (fields.area === undefined) {
    const areas = (await listAreas(db)).filter((area) => area.active);
    const suggested = categories.find((category) => category.code === fields.category)?.area ?? undefined;
    if (areas.length > 0) {
      const ordered = [...areas].sort((a, b) => Number(b.code === suggested) - Number(a.code === suggested));
      fields.area = await ask(
        select({
          message: it ? "Assegnare subito a un'area?" : 'Assign to an area now?',
          default: suggested ?? '',
          choices: [
            ...ordered.map((area) => ({
              value: area.code,
              name: `${safeLine(area.name)} (${area.code})${area.code === suggested ? (it ? ' — suggerita dalla categoria' : ' — suggested by the category') : ''}`,
            })),
            { value: '', name: it ? 'No, la assegnerà l\'URP più tardi' : 'No, URP will assign it later' },
          ],
        }),
      );
    }
  }

  const citizenLabel = await citizenSummary(context, db, citizen);
  const summary: Array<[string, string]> = [
    // Given values were checked before the prompts: parse() cannot fail here.
    [it ? 'Tipo' : 'Type', reportTypes.label(reportTypes.parse(fields.type!)!, language)],
    [it ? 'Canale' : 'Channel', channels.label(channels.parse(fields.channel!)!, language)],
    [it ? 'Cittadino' : 'Citizen', safeLine(citizenLabel)],
    [it ? 'Ricevuta il' : 'Received', fields.receivedAt ?? ''],
    [it ? 'Oggetto' : 'Subject', safeLine(fields.subject ?? '')],
    [it ? 'Categoria' : 'Category', fields.category || '—'],
    ['Area', fields.area || (it ? '— (da assegnare)' : '— (to assign)')],
  ];
  context.output.info('');
  for (const [label, value] of summary) context.output.info(`  ${label.padEnd(12)} ${value}`);
  const confirmed = await ask(confirm({ message: it ? 'Registrare la segnalazione?' : 'Register the report?', default: true }));
  if (!confirmed) throw new CancelledError();
  return { fields, citizen };
}

/** The citizen the report will actually be filed under, as the summary shows them: the one matched, not the details typed. */
async function citizenSummary(context: CliContext, db: Kysely<Database>, citizen: number | CitizenData): Promise<string> {
  if (typeof citizen === 'number') {
    const found = await getCitizen(db, citizen);
    return `${found.lastName} ${found.firstName} (${found.id})`;
  }
  const identified = await identifyCitizen(db, citizen);
  if (identified.kind === 'new') return `${citizen.lastName} ${citizen.firstName} (${context.t('prompt.citizenNew')})`;
  const { citizen: found, additions } = identified;
  const added = additions.length > 0 ? `; ${context.t('prompt.contactsToAdd', { fields: additions.map((field) => fieldLabel(field)).join(', ') })}` : '';
  return `${found.lastName} ${found.firstName} (${found.id}, ${context.t('prompt.citizenExisting')}${added})`;
}
