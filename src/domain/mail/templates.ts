import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { InputError, echo } from '../errors.js';
import { authorize } from '../operators.js';
import type { DocumentLanguage as Language } from '../vocabulary.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { MAIL_PERMISSIONS } from './permissions.js';

/**
 * The texts of the messages (issue 14): one template per message and
 * language, with named fields written `{number}`. The defaults ship with the
 * program; an office's own versions are stored in the database. A template is
 * checked when it is set (unknown fields, an empty subject or body), never
 * only when a message is about to go out.
 */
export const TEMPLATE_NAMES = ['receipt', 'assignment', 'reply', 'digest-area', 'digest-urp'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export const TEMPLATE_LANGUAGES: readonly Language[] = ['it', 'en'];

interface FieldDefinition {
  /** Never empty when a message is rendered (an optional field may be). */
  readonly always: boolean;
}

const OFFICE_FIELDS: Record<string, FieldDefinition> = {
  organisation: { always: true },
  officeAddress: { always: false },
  officePhone: { always: false },
  officeEmail: { always: false },
  officeHours: { always: false },
};

const always = { always: true };
const optional = { always: false };

/** The fields each template may use. */
export const TEMPLATE_FIELDS: Record<TemplateName, Record<string, FieldDefinition>> = {
  receipt: {
    number: always, type: always, subject: always, receivedAt: always, replyDue: always, assignHours: always, replyDays: always,
    citizenName: always, ...OFFICE_FIELDS,
  },
  assignment: {
    number: always, type: always, subject: always, description: optional, location: optional, category: optional,
    area: always, areaName: always, manager: optional, receivedAt: always, replyDue: always, ackCommand: always,
    // Only when the setting mail-area-citizen-name is on; never the tax code or the phone.
    citizenName: optional,
    ...OFFICE_FIELDS,
  },
  reply: {
    number: always, subject: always, receivedAt: always, citizenName: always, replyText: always, outcome: always, replyDate: always,
    areaName: optional, ...OFFICE_FIELDS,
  },
  'digest-area': {
    date: always, area: always, areaName: always, manager: optional, lateCount: always, dueSoonCount: always, dueSoonDays: always,
    lateList: always, dueSoonList: always, ...OFFICE_FIELDS,
  },
  'digest-urp': {
    date: always, lateCount: always, dueSoonCount: always, dueSoonDays: always, lateList: always, dueSoonList: always, ...OFFICE_FIELDS,
  },
};

export interface Template {
  readonly name: TemplateName;
  readonly language: Language;
  readonly subject: string;
  readonly body: string;
  /** True when the office changed it; false for the shipped default. */
  readonly custom: boolean;
  readonly updatedAt: string | null;
  readonly operator: string | null;
}

export const TEMPLATE_LIMITS = { subject: 200, body: 20_000 } as const;

export function templateName(text: string): TemplateName {
  const name = text.trim().toLowerCase();
  if (!(TEMPLATE_NAMES as readonly string[]).includes(name)) {
    throw new InputError('mailTemplate.unknown', { value: echo(text), allowed: TEMPLATE_NAMES.join(', ') }, 'name');
  }
  return name as TemplateName;
}

export function templateLanguage(text: string | undefined, fallback: Language): Language {
  if (text === undefined) return fallback;
  const language = text.trim().toLowerCase();
  if (language !== 'it' && language !== 'en') throw new InputError('config.languageExpected', {}, 'language');
  return language;
}

const FIELD = /\{(\w+)\}/g;

/**
 * Fills a template's fields. A line whose fields are all empty is left out
 * ("Luogo: {location}" for a report without a place), and so are the blank
 * lines that would pile up where it was.
 */
export function renderText(template: string, values: Readonly<Record<string, string>>): string {
  const lines: string[] = [];
  for (const line of template.replace(/\r\n?/g, '\n').split('\n')) {
    const fields = [...line.matchAll(FIELD)].map((match) => match[1]!);
    if (fields.length > 0 && fields.every((field) => !values[field])) continue;
    lines.push(line.replace(FIELD, (placeholder, field: string) => (field in values ? values[field]! : placeholder)));
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** A subject is one line: line breaks and control characters in the values become spaces. */
export function renderSubject(template: string, values: Readonly<Record<string, string>>): string {
  const oneLine = Object.fromEntries(Object.entries(values).map(([field, value]) => [field, value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')]));
  return template.replace(FIELD, (placeholder, field: string) => (field in oneLine ? oneLine[field]! : placeholder)).replace(/\s+/g, ' ').trim();
}

/** `Subject: ...` (or `Oggetto: ...`), a blank line, then the body: the format `template show` prints and `template set` reads. */
export function parseTemplateFile(text: string): { subject: string; body: string } {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^(?:subject|oggetto):[ \t]*(.*)\n?([\s\S]*)$/i.exec(normalised);
  if (!match) throw new InputError('mailTemplate.subjectMissing');
  return { subject: match[1]!.trim(), body: match[2]!.replace(/^\n/, '').trimEnd() };
}

export function formatTemplateFile(template: { subject: string; body: string }, language: Language): string {
  return `${language === 'it' ? 'Oggetto' : 'Subject'}: ${template.subject}\n\n${template.body}\n`;
}

/** Refuses a template that could not be sent as it is: unknown fields, control characters in the subject, an empty subject or body. */
export function checkTemplate(name: TemplateName, subject: string, body: string): void {
  const known = TEMPLATE_FIELDS[name];
  if (subject.length > TEMPLATE_LIMITS.subject) throw new InputError('field.tooLong', { limit: TEMPLATE_LIMITS.subject, length: subject.length }, 'templateSubject');
  if (body.length > TEMPLATE_LIMITS.body) throw new InputError('field.tooLong', { limit: TEMPLATE_LIMITS.body, length: body.length }, 'templateBody');
  if (/[\u0000-\u001f\u007f-\u009f]/.test(subject)) throw new InputError('mailTemplate.subjectControl', {}, 'templateSubject');
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(body)) throw new InputError('mailTemplate.bodyControl', {}, 'templateBody');
  const unknown = [...new Set([...`${subject}\n${body}`.matchAll(FIELD)].map((match) => match[1]!).filter((field) => !(field in known)))];
  if (unknown.length > 0) {
    throw new InputError('mailTemplate.unknownField', { fields: unknown.map((field) => `{${echo(field)}}`).join(', '), known: Object.keys(known).map((field) => `{${field}}`).join(' ') });
  }
  // What the least favourable message would carry: every optional field empty.
  const sample = Object.fromEntries(Object.entries(known).map(([field, definition]) => [field, definition.always ? 'x' : '']));
  if (!renderSubject(subject, sample)) throw new InputError('mailTemplate.emptySubject', {}, 'templateSubject');
  if (!renderText(body, sample)) throw new InputError('mailTemplate.emptyBody', {}, 'templateBody');
}

/** `template show`: the template in force, for someone allowed to read it. */
export async function readTemplate(db: Kysely<Database>, actor: Actor, name: TemplateName, language: Language, { shipped = false } = {}): Promise<Template> {
  await authorize(db, actor, MAIL_PERMISSIONS.templatesRead);
  return shipped ? defaultTemplate(name, language) : getTemplate(db, name, language);
}

/** The template in force: the office's own, else the default. */
export async function getTemplate(db: Kysely<Database>, name: TemplateName, language: Language): Promise<Template> {
  const row = await db.selectFrom('message_templates').selectAll().where('name', '=', name).where('language', '=', language).executeTakeFirst();
  if (row) return { name, language, subject: row.subject, body: row.body, custom: true, updatedAt: row.updated_at, operator: row.operator };
  return defaultTemplate(name, language);
}

export function defaultTemplate(name: TemplateName, language: Language): Template {
  const shipped = DEFAULT_TEMPLATES[name][language];
  return { name, language, subject: shipped.subject, body: shipped.body, custom: false, updatedAt: null, operator: null };
}

export async function listTemplates(db: Kysely<Database>, actor: Actor): Promise<Template[]> {
  await authorize(db, actor, MAIL_PERMISSIONS.templatesRead);
  const templates: Template[] = [];
  for (const name of TEMPLATE_NAMES) for (const language of TEMPLATE_LANGUAGES) templates.push(await getTemplate(db, name, language));
  return templates;
}

/** `template set`: an admin's change, checked, stored and audited. `null` goes back to the shipped default. */
export async function setTemplate(
  db: Kysely<Database>,
  actor: Actor,
  name: TemplateName,
  language: Language,
  text: { subject: string; body: string } | null,
): Promise<Template> {
  await authorize(db, actor, MAIL_PERMISSIONS.templatesChange);
  if (text === null) {
    await db.deleteFrom('message_templates').where('name', '=', name).where('language', '=', language).execute();
    await recordAudit(db, actor, 'template_reset', `template:${name}:${language}`);
    return defaultTemplate(name, language);
  }
  checkTemplate(name, text.subject, text.body);
  const values = { subject: text.subject, body: text.body, operator: actor.operator, updated_at: actor.now.toISOString() };
  await db
    .insertInto('message_templates')
    .values({ name, language, ...values })
    .onConflict((conflict) => conflict.columns(['name', 'language']).doUpdateSet(values))
    .execute();
  await recordAudit(db, actor, 'template_changed', `template:${name}:${language}`);
  return getTemplate(db, name, language);
}
