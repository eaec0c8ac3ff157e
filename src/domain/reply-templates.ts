import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { compareCodes } from '../text/compare.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { zonedParts } from './calendar.js';
import { findCategory } from './categories.js';
import { InputError, echo } from './errors.js';
import { authorize } from './operators.js';
import { getReportDetails } from './report-queries.js';
import type { Settings } from './settings.js';
import { TEXT_LIMITS, normaliseCode, optionalText, requiredText } from './text-fields.js';
import { type Outcome, outcomes } from './vocabulary.js';

/**
 * Reply templates (modelli di risposta, issue 15): the replies an office
 * writes again and again ("the lamp has been repaired"), with named fields
 * that `report reply --template` fills from the report. A template may be
 * meant for one category (offered first for its reports) and carry the
 * outcome it usually goes with. Templates hold no personal data: the fields
 * are filled only when a reply is written.
 */
export interface ReplyTemplate {
  readonly code: string;
  readonly title: string;
  readonly body: string;
  readonly outcome: Outcome | null;
  readonly category: string | null;
  readonly active: boolean;
}

export interface ReplyTemplateInput {
  readonly code: string;
  readonly title: string;
  readonly body: string;
  readonly outcome?: string | undefined;
  readonly category?: string | undefined;
}

/** The fields a template may name, as {field}: what the filled reply says in their place. */
export const TEMPLATE_FIELDS = [
  'citizenName',
  'citizenFirstName',
  'citizenLastName',
  'number',
  'receivedDate',
  'subject',
  'category',
  'location',
  'area',
  'areaManager',
  'organisation',
  'urpPhone',
  'urpEmail',
  'today',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** {name} where name is an identifier; other braces are text. */
const FIELD = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Refuses a body that names a field urp does not know (a typing error would reach the citizen). */
function checkFields(body: string): void {
  for (const [, name] of body.matchAll(FIELD)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(name!)) {
      throw new InputError('template.unknownField', { field: echo(name!), known: TEMPLATE_FIELDS.join(', ') }, 'file');
    }
  }
}

function templateQuery(db: Kysely<Database>) {
  return db
    .selectFrom('reply_templates as t')
    .leftJoin('categories as c', 'c.id', 't.category_id')
    .select(['t.id', 't.code', 't.title', 't.body', 't.outcome', 't.active', 't.category_id', 'c.code as category_code']);
}

type TemplateRow = Awaited<ReturnType<ReturnType<typeof templateQuery>['executeTakeFirstOrThrow']>>;

function toTemplate(row: TemplateRow): ReplyTemplate {
  return {
    code: row.code,
    title: row.title,
    body: row.body,
    outcome: outcomes.is(row.outcome) ? row.outcome : null,
    category: row.category_code,
    active: row.active === 1,
  };
}

/** Adds a template: an admin's change (as categories are), audited. */
export async function addReplyTemplate(db: Kysely<Database>, actor: Actor, input: ReplyTemplateInput): Promise<ReplyTemplate> {
  await authorize(db, actor, 'manage');
  const code = normaliseCode('code', input.code);
  const title = requiredText('title', input.title, TEXT_LIMITS.name);
  const body = requiredText('file', input.body.replace(/\r\n?/g, '\n'), TEXT_LIMITS.replyText);
  checkFields(body);
  let outcome: Outcome | null = null;
  if (optionalText(input.outcome)) {
    outcome = outcomes.parse(input.outcome!) ?? null;
    if (!outcome) throw new InputError('reply.outcomeUnknown', { value: echo(input.outcome!), allowed: outcomes.codes.join(', ') }, 'outcome');
  }
  const categoryId = optionalText(input.category) ? (await findCategory(db, input.category!)).id : null;
  if (await db.selectFrom('reply_templates').select('id').where('code', '=', code).executeTakeFirst()) {
    throw new InputError('template.exists', { code }, 'code');
  }
  const now = actor.now.toISOString();
  await db
    .insertInto('reply_templates')
    .values({ code, title, body, outcome, category_id: categoryId, created_at: now, updated_at: now })
    .execute();
  await recordAudit(db, actor, 'reply_template_added', `reply_template:${code}`);
  return findReplyTemplate(db, code);
}

/** Every template, by code; disabled ones only when asked. */
export async function listReplyTemplates(db: Kysely<Database>, { includeDisabled = false } = {}): Promise<ReplyTemplate[]> {
  let query = templateQuery(db).orderBy('t.code');
  if (!includeDisabled) query = query.where('t.active', '=', 1);
  return (await query.execute()).map(toTemplate);
}

/**
 * The active templates offered for a report of this category: the
 * category's own first, then those meant for no category, then the others.
 */
export async function templatesFor(db: Kysely<Database>, category: string | null): Promise<ReplyTemplate[]> {
  const rank = (template: ReplyTemplate) => (category !== null && template.category === category ? 0 : template.category === null ? 1 : 2);
  return (await listReplyTemplates(db)).sort((a, b) => rank(a) - rank(b) || compareCodes(a.code, b.code));
}

export async function findReplyTemplate(db: Kysely<Database>, text: string, { mustBeActive = false } = {}): Promise<ReplyTemplate> {
  const row = await templateQuery(db).where('t.code', '=', text.trim().toLowerCase()).executeTakeFirst();
  if (!row) throw new InputError('template.unknown', { value: echo(text) }, 'template');
  if (mustBeActive && row.active !== 1) throw new InputError('template.disabled', { code: row.code }, 'template');
  return toTemplate(row);
}

export async function disableReplyTemplate(db: Kysely<Database>, actor: Actor, code: string): Promise<void> {
  await authorize(db, actor, 'manage');
  const template = await findReplyTemplate(db, code);
  await db.updateTable('reply_templates').set({ active: 0, updated_at: actor.now.toISOString() }).where('code', '=', template.code).execute();
  await recordAudit(db, actor, 'reply_template_disabled', `reply_template:${template.code}`);
}

export interface FilledReply {
  readonly template: ReplyTemplate;
  readonly text: string;
}

/**
 * A template's text with the fields of one report filled in: the citizen's
 * name, the number, the date of receipt (dd/mm/yyyy in the office's zone),
 * the names of category and area, the area's manager, the office's contacts.
 * A field with no value (no area yet) becomes empty.
 */
export async function fillReplyTemplate(
  db: Kysely<Database>,
  templateCode: string,
  reportNumber: string,
  settings: Settings,
  now: Date,
): Promise<FilledReply> {
  const template = await findReplyTemplate(db, templateCode, { mustBeActive: true });
  const details = await getReportDetails(db, reportNumber, now);
  const { report, citizen } = details;
  const manager = report.area
    ? ((await db.selectFrom('areas').select('manager').where('code', '=', report.area).executeTakeFirst())?.manager ?? '')
    : '';
  const date = (iso: string) => {
    const { date: day } = zonedParts(new Date(iso), settings.timeZone);
    return `${String(day.day).padStart(2, '0')}/${String(day.month).padStart(2, '0')}/${day.year}`;
  };
  const values: Record<TemplateField, string> = {
    citizenName: `${citizen.firstName} ${citizen.lastName}`,
    citizenFirstName: citizen.firstName,
    citizenLastName: citizen.lastName,
    number: report.number,
    receivedDate: date(report.receivedAt),
    subject: report.subject,
    category: details.categoryName ?? '',
    location: report.location ?? '',
    area: details.areaName ?? '',
    areaManager: manager,
    organisation: settings.organisationName,
    urpPhone: settings.urpPhone,
    urpEmail: settings.urpEmail,
    today: date(now.toISOString()),
  };
  const text = template.body.replace(FIELD, (whole, name: string) => (name in values ? values[name as TemplateField] : whole));
  return { template, text };
}
