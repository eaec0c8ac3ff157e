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
import type { MessageKey, MessageParams } from '../../i18n/messages.js';
import type { Database } from '../../storage/schema.js';
import type { CliContext } from '../context.js';
import { contactsForPeople } from '../render/citizens.js';
import { formatInstant } from '../render/dates.js';
import { safeLine } from '../terminal-text.js';
import { displayWidth } from '../text-width.js';
import { completeCitizen, promptCitizen } from './citizen-prompts.js';
import { ask, prompts, validator } from './prompting.js';

export interface ReportDraft {
  fields: ReportFieldsText;
  citizen: number | CitizenData | undefined;
}

/** What the summary lists, in order; each can be asked again from it. */
const FIELDS = ['type', 'channel', 'citizen', 'receivedAt', 'externalRef', 'subject', 'description', 'location', 'category', 'area'] as const;
type Field = (typeof FIELDS)[number];

/** Paper and PEC reports carry the office's protocol number (--external-ref): asked for them. */
const PROTOCOL_CHANNELS = new Set(['paper', 'pec']);

/**
 * Asks for whatever the flags left out: type and channel as selects, the
 * protocol number of a letter or a PEC, the citizen (search or create), the
 * date of receipt (default now), subject and description, place, category
 * with its area suggested, an optional immediate assignment. Then a summary
 * of everything that will be stored, the citizen as actually matched; "no"
 * asks which field to correct, and only that one is asked again. Ctrl-C
 * writes nothing.
 */
export async function promptReportDraft(
  context: CliContext,
  db: Kysely<Database>,
  settings: Settings,
  draft: ReportDraft,
  /** Citizen fields given as flags: the prompts ask only for what is missing. */
  partialCitizen?: CitizenInput,
): Promise<ReportDraft> {
  const { language } = context;
  const { select, input, confirm } = prompts(context);
  const t = (key: MessageKey, params?: MessageParams) => context.t(key, params);
  const fields: ReportFieldsText = { ...draft.fields };
  let citizen = draft.citizen;
  const now = context.clock();
  const categories = (await listCategories(db)).filter((category) => category.active);
  const areas = (await listAreas(db)).filter((area) => area.active);
  const none = (value: string | null | undefined) => (value ? value : undefined);

  const askers: Record<Field, () => Promise<void>> = {
    async type() {
      fields.type = await ask(
        select({
          message: t('prompt.report.type'),
          choices: reportTypes.codes.map((code) => ({ value: code, name: reportTypes.label(code, language) })),
          ...(fields.type ? { default: reportTypes.parse(fields.type) } : {}),
        }),
      );
    },
    async channel() {
      fields.channel = await ask(
        select({
          message: t('prompt.report.channel'),
          choices: channels.codes.map((code) => ({ value: code, name: channels.label(code, language) })),
          ...(fields.channel ? { default: channels.parse(fields.channel) } : {}),
        }),
      );
    },
    async externalRef() {
      fields.externalRef = await ask(
        input({
          message: t('prompt.report.protocol'),
          default: none(fields.externalRef),
          validate: validator(context, (value) => limitedText('externalRef', value, TEXT_LIMITS.externalRef)),
        }),
      );
    },
    async citizen() {
      citizen = partialCitizen && citizen === undefined ? await completeCitizen(context, db, partialCitizen) : await promptCitizen(context, db);
    },
    async receivedAt() {
      fields.receivedAt = await ask(
        input({
          message: t('prompt.report.receivedAt'),
          default: fields.receivedAt ?? formatInstant(now.toISOString(), settings.timeZone, language, true),
          validate: validator(context, (value) => {
            const parsed = parseDateInput(value, settings.timeZone, { now });
            if (!parsed) throw dateInputError(value, settings.timeZone, undefined, { now });
            checkReceivedAt(parsed.instant, now, settings);
          }),
        }),
      );
    },
    async subject() {
      fields.subject = await ask(
        input({ message: t('prompt.report.subject'), default: none(fields.subject), validate: validator(context, (value) => requiredText('subject', value, TEXT_LIMITS.subject)) }),
      );
    },
    async description() {
      fields.description = await ask(
        input({
          message: t('prompt.report.description'),
          default: none(fields.description),
          validate: validator(context, (value) => limitedText('description', value, TEXT_LIMITS.description)),
        }),
      );
    },
    async location() {
      fields.location = await ask(
        input({ message: t('prompt.report.location'), default: none(fields.location), validate: validator(context, (value) => limitedText('location', value, TEXT_LIMITS.location)) }),
      );
    },
    async category() {
      if (categories.length === 0) return;
      fields.category = await ask(
        select({
          message: t('prompt.report.category'),
          choices: [...categories.map((category) => ({ value: category.code, name: `${safeLine(category.name)} (${category.code})` })), { value: '', name: t('prompt.report.noCategory') }],
          default: fields.category ?? '',
        }),
      );
    },
    async area() {
      if (areas.length === 0) return;
      const suggested = categories.find((category) => category.code === fields.category)?.area ?? undefined;
      const ordered = [...areas].sort((a, b) => Number(b.code === suggested) - Number(a.code === suggested));
      fields.area = await ask(
        select({
          message: t('prompt.report.area'),
          default: fields.area ?? suggested ?? '',
          choices: [
            ...ordered.map((area) => ({
              value: area.code,
              name: `${safeLine(area.name)} (${area.code})${area.code === suggested ? t('prompt.report.suggested') : ''}`,
            })),
            { value: '', name: t('prompt.report.assignLater') },
          ],
        }),
      );
    },
  };

  // First pass: what the flags left out (the protocol number only for a letter or a PEC).
  for (const field of FIELDS) {
    if (field === 'citizen') {
      if (citizen === undefined) await askers.citizen();
      continue;
    }
    if (field === 'externalRef' && !PROTOCOL_CHANNELS.has(channels.parse(fields.channel ?? '') ?? '')) continue;
    if (fields[field] === undefined) await askers[field]();
  }

  for (;;) {
    const summary = await summaryLines(context, db, settings, fields, citizen!, { categories, areas, now });
    context.output.info('');
    const width = Math.max(...summary.map(([label]) => displayWidth(label)));
    for (const [label, value] of summary) context.output.info(`  ${label}${' '.repeat(width - displayWidth(label))}  ${value}`);
    if (await ask(confirm({ message: t('prompt.report.confirm'), default: true }))) return { fields, citizen };
    const CANCEL = 'cancel' as const;
    const shown = FIELDS.filter((field) => field !== 'externalRef' || PROTOCOL_CHANNELS.has(channels.parse(fields.channel ?? '') ?? '') || fields.externalRef);
    const chosen = await ask(
      select<Field | typeof CANCEL>({
        message: t('prompt.report.which'),
        choices: [...shown.map((field) => ({ value: field, name: t(`prompt.report.field.${field}`) })), { value: CANCEL, name: t('prompt.report.cancel') }],
      }),
    );
    if (chosen === CANCEL) throw new CancelledError();
    await askers[chosen]();
  }
}

interface Lists {
  readonly categories: ReadonlyArray<{ code: string; name: string }>;
  readonly areas: ReadonlyArray<{ code: string; name: string }>;
  readonly now: Date;
}

/** Every field that will be stored, as it will be: the date read, the citizen matched, their contacts. */
async function summaryLines(context: CliContext, db: Kysely<Database>, settings: Settings, fields: ReportFieldsText, citizen: number | CitizenData, lists: Lists): Promise<Array<[string, string]>> {
  const { language } = context;
  const t = (key: MessageKey, params?: MessageParams) => context.t(key, params);
  const received = fields.receivedAt ? parseDateInput(fields.receivedAt, settings.timeZone, { now: lists.now }) : undefined;
  const named = (list: Lists['categories'], code: string | null | undefined) => {
    if (!code) return undefined;
    const found = list.find((each) => each.code === code);
    return found ? `${code} (${safeLine(found.name)})` : code;
  };
  const person = await citizenSummary(context, db, citizen);
  // Given values were checked before the prompts: parse() cannot fail here.
  const lines: Array<[string, string]> = [
    [t('prompt.report.field.type'), reportTypes.label(reportTypes.parse(fields.type!)!, language)],
    [t('prompt.report.field.channel'), channels.label(channels.parse(fields.channel!)!, language)],
    [t('prompt.report.field.citizen'), safeLine(person.name)],
  ];
  if (person.taxCode) lines.push([t('prompt.report.taxCode'), person.taxCode]);
  lines.push([t('prompt.report.contacts'), safeLine(person.contacts.join(', ') || '—')]);
  lines.push([t('prompt.report.field.receivedAt'), received ? formatInstant(received.instant.toISOString(), settings.timeZone, language, true) : t('prompt.report.now')]);
  if (fields.externalRef) lines.push([t('prompt.report.field.externalRef'), safeLine(fields.externalRef)]);
  lines.push(
    [t('prompt.report.field.subject'), safeLine(fields.subject ?? '')],
    [t('prompt.report.field.description'), safeLine(fields.description || '—')],
    [t('prompt.report.field.location'), safeLine(fields.location || '—')],
    [t('prompt.report.field.category'), named(lists.categories, fields.category) ?? '—'],
    [t('prompt.report.field.area'), named(lists.areas, fields.area) ?? t('prompt.report.toAssign')],
  );
  return lines;
}

/**
 * The citizen the report will actually be filed under, as the summary shows
 * them: the one matched, not the details typed, with the contacts their
 * record will hold (theirs, and those this report adds).
 */
async function citizenSummary(context: CliContext, db: Kysely<Database>, citizen: number | CitizenData): Promise<{ name: string; taxCode: string | null; contacts: string[] }> {
  const contacts = (person: { email: string | null; phone: string | null; address: string | null; pec?: string | null | undefined }) =>
    [contactsForPeople(person).email, person.pec ? `PEC ${person.pec}` : null, contactsForPeople(person).phone, person.address].filter((each): each is string => Boolean(each));
  if (typeof citizen === 'number') {
    const found = await getCitizen(db, citizen);
    return { name: `${found.lastName} ${found.firstName} (${found.id}, ${context.t('prompt.citizenExisting')})`, taxCode: found.taxCode, contacts: contacts(found) };
  }
  const identified = await identifyCitizen(db, citizen);
  if (identified.kind === 'new') return { name: `${citizen.lastName} ${citizen.firstName} (${context.t('prompt.citizenNew')})`, taxCode: citizen.taxCode, contacts: contacts(citizen) };
  const { citizen: found, additions } = identified;
  const added = additions.length > 0 ? `; ${context.t('prompt.contactsToAdd', { fields: additions.map((field) => context.t(`field.name.${field}` as MessageKey)).join(', ') })}` : '';
  const merged = { ...found, ...Object.fromEntries(additions.map((field) => [field, citizen[field]])) };
  return { name: `${found.lastName} ${found.firstName} (${found.id}, ${context.t('prompt.citizenExisting')}${added})`, taxCode: found.taxCode ?? citizen.taxCode, contacts: contacts(merged) };
}
