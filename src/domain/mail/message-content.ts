import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Settings } from '../settings.js';
import { type DocumentLanguage as Language, outcomes, reportTypes } from '../vocabulary.js';

/**
 * The values a message's fields take, from the report as it stands inside
 * the transaction that queues the message. Dates are written for people, in
 * the message's language and the office's time zone.
 */
export function formatMailDate(iso: string, language: Language, timeZone: string, withTime = false): string {
  return new Intl.DateTimeFormat(language === 'it' ? 'it-IT' : 'en-GB', {
    dateStyle: 'long',
    ...(withTime && { timeStyle: 'short' }),
    timeZone,
  }).format(new Date(iso));
}

/** Text on its way into a message: control characters other than line breaks and tabs become spaces. */
export function mailText(text: string | null | undefined): string {
  return (text ?? '').replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');
}

export function officeValues(settings: Settings): Record<string, string> {
  return {
    organisation: mailText(settings.organisationName),
    officeAddress: mailText(settings.organisationAddress),
    officePhone: mailText(settings.urpPhone),
    officeEmail: mailText(settings.urpEmail),
    officeHours: mailText(settings.urpHours),
  };
}

export interface ReportForMail {
  readonly id: number;
  readonly number: string;
  readonly type: string;
  readonly channel: string;
  readonly subject: string;
  readonly description: string;
  readonly location: string | null;
  readonly receivedAt: string;
  readonly replyDueAt: string;
  readonly categoryName: string | null;
  readonly areaId: number | null;
  readonly areaCode: string | null;
  readonly areaName: string | null;
  readonly areaManager: string | null;
  readonly areaEmail: string | null;
  readonly citizen: {
    readonly id: number;
    readonly firstName: string;
    readonly lastName: string;
    readonly email: string | null;
    readonly pec: string | null;
    readonly erased: boolean;
  };
}

export async function reportForMail(db: Kysely<Database>, reportId: number): Promise<ReportForMail> {
  const row = await db
    .selectFrom('reports as r')
    .innerJoin('citizens as c', 'c.id', 'r.citizen_id')
    .leftJoin('areas as a', 'a.id', 'r.area_id')
    .leftJoin('categories as k', 'k.id', 'r.category_id')
    .select([
      'r.id', 'r.number', 'r.type', 'r.channel', 'r.subject', 'r.description', 'r.location', 'r.received_at', 'r.reply_due_at',
      'k.name as category_name', 'r.area_id', 'a.code as area_code', 'a.name as area_name', 'a.manager as area_manager', 'a.email as area_email',
      'c.id as citizen_id', 'c.first_name', 'c.last_name', 'c.email', 'c.pec', 'c.erased_at',
    ])
    .where('r.id', '=', reportId)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    number: row.number,
    type: row.type,
    channel: row.channel,
    subject: row.subject,
    description: row.description,
    location: row.location,
    receivedAt: row.received_at,
    replyDueAt: row.reply_due_at,
    categoryName: row.category_name,
    areaId: row.area_id,
    areaCode: row.area_code,
    areaName: row.area_name,
    areaManager: row.area_manager,
    areaEmail: row.area_email,
    citizen: { id: row.citizen_id, firstName: row.first_name, lastName: row.last_name, email: row.email, pec: row.pec, erased: row.erased_at !== null },
  };
}

const citizenName = (report: ReportForMail) => mailText(`${report.citizen.firstName} ${report.citizen.lastName}`);

/** What every message about a report says of it: the office, the number, the type and the subject. */
function reportValues(report: ReportForMail, settings: Settings, language: Language): Record<string, string> {
  return {
    ...officeValues(settings),
    number: report.number,
    type: reportTypes.is(report.type) ? reportTypes.label(report.type, language) : report.type,
    subject: mailText(report.subject),
  };
}

export function receiptValues(report: ReportForMail, settings: Settings, language: Language): Record<string, string> {
  const zone = settings.timeZone;
  return {
    ...reportValues(report, settings, language),
    receivedAt: formatMailDate(report.receivedAt, language, zone, true),
    replyDue: formatMailDate(report.replyDueAt, language, zone),
    assignHours: String(settings.assignHours),
    replyDays: String(settings.replyDays),
    citizenName: citizenName(report),
  };
}

/** What the area reads: never the citizen's tax code, phone or addresses; the name only if the setting says so. */
export function assignmentValues(report: ReportForMail, settings: Settings, language: Language): Record<string, string> {
  const zone = settings.timeZone;
  return {
    ...reportValues(report, settings, language),
    description: mailText(report.description),
    location: mailText(report.location),
    category: mailText(report.categoryName),
    area: report.areaCode ?? '',
    areaName: mailText(report.areaName ?? report.areaCode),
    manager: mailText(report.areaManager),
    receivedAt: formatMailDate(report.receivedAt, language, zone, true),
    replyDue: formatMailDate(report.replyDueAt, language, zone),
    ackCommand: `urp report ack ${report.number}`,
    citizenName: settings.mailAreaCitizenName ? citizenName(report) : '',
  };
}

export function replyValues(
  report: ReportForMail,
  reply: { text: string; outcome: string; sentAt: string },
  settings: Settings,
  language: Language,
): Record<string, string> {
  const zone = settings.timeZone;
  return {
    ...officeValues(settings),
    number: report.number,
    subject: mailText(report.subject),
    receivedAt: formatMailDate(report.receivedAt, language, zone),
    citizenName: citizenName(report),
    replyText: mailText(reply.text),
    outcome: outcomes.is(reply.outcome) ? outcomes.label(reply.outcome, language) : reply.outcome,
    replyDate: formatMailDate(reply.sentAt, language, zone),
    areaName: mailText(report.areaName),
  };
}
