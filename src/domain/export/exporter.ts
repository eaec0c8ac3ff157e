import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { isoWithOffset } from '../calendar.js';
import { type ReportFilters, applyReportFilters, reportQuery } from '../report-queries.js';
import { isLateToAssign, isLateToReply } from '../report-state.js';
import { COLUMNS, CSV_NAME, type ImportField } from '../import/columns.js';

/**
 * `urp export` (SPEC section 6, issue 5): reports with every milestone and
 * the reply, streamed row by row. The flat record uses the same fields as
 * import, so that an export imported into an empty database gives back the
 * same reports, numbers, statuses and milestones; a few informational fields
 * (deadlines, flags) follow, which import reads past.
 */
export type ExportRecord = Record<ImportField, string | null> & {
  assignDueAt: string;
  replyDueAt: string;
  suspendedDays: number;
  reopenCount: number;
  citizenId: number;
  lateToAssign: boolean;
  lateToReply: boolean;
};

export const INFORMATIONAL_FIELDS = ['assignDueAt', 'replyDueAt', 'suspendedDays', 'reopenCount', 'citizenId', 'lateToAssign', 'lateToReply'] as const;

/** CSV header names, in order: the import columns, then the informational ones. */
export const EXPORT_CSV_COLUMNS: Array<{ field: keyof ExportRecord; header: string }> = [
  ...COLUMNS.map(([field]) => ({ field: field as keyof ExportRecord, header: CSV_NAME[field] })),
  ...INFORMATIONAL_FIELDS.map((field) => ({ field, header: field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) })),
];

function exportQuery(db: Kysely<Database>, filters: ReportFilters, asOf: Date) {
  return applyReportFilters(
    reportQuery(db, filters).select((eb) => [
      'citizens.tax_code as citizen_tax_code',
      'citizens.email as citizen_email',
      'citizens.phone as citizen_phone',
      'citizens.address as citizen_address',
      'reports.updated_at',
      'c.name as category_name',
      'a.name as area_name',
      // The latest reply sent to the citizen.
      eb.selectFrom('replies').select('replies.text').whereRef('replies.report_id', '=', 'reports.id').orderBy('replies.id', 'desc').limit(1).as('reply_text'),
      eb.selectFrom('replies').select('replies.via').whereRef('replies.report_id', '=', 'reports.id').orderBy('replies.id', 'desc').limit(1).as('reply_via'),
    ]),
    filters,
    asOf,
  )
    .orderBy('reports.year')
    .orderBy('reports.sequence')
    .$if(filters.limit !== undefined, (query) => query.limit(filters.limit!));
}

type ExportRow = Awaited<ReturnType<ReturnType<typeof exportQuery>['executeTakeFirstOrThrow']>>;

function toRecord(row: ExportRow, asOf: string): ExportRecord {
  const answered = row.status === 'answered' || row.status === 'closed';
  return {
    type: row.type,
    channel: row.channel,
    receivedAt: row.received_at,
    firstName: row.citizen_first_name,
    lastName: row.citizen_last_name,
    taxCode: row.citizen_tax_code,
    email: row.citizen_email,
    phone: row.citizen_phone,
    address: row.citizen_address,
    subject: row.subject,
    description: row.description || null,
    category: row.category_code,
    area: row.area_code,
    location: row.location,
    externalRef: row.external_ref,
    number: row.number,
    status: row.status,
    registeredAt: row.registered_at,
    assignedAt: row.assigned_at,
    acknowledgedAt: row.acknowledged_at,
    suspendedAt: row.suspended_at,
    answeredAt: row.answered_at,
    // The reply belongs with an answered (or closed) report; a reopened one awaits a new one.
    replyText: answered ? (row.reply_text ?? null) : null,
    replyVia: answered ? (row.reply_via ?? null) : null,
    outcome: row.outcome,
    closedAt: row.closed_at,
    rejectedAt: row.rejected_at,
    assignDueAt: row.assign_due_at,
    replyDueAt: row.reply_due_at,
    suspendedDays: row.suspended_days,
    reopenCount: row.reopen_count,
    citizenId: row.citizen_id,
    lateToAssign: isLateToAssign(row.status, row.assign_due_at, asOf),
    lateToReply: isLateToReply(row.status, row.reply_due_at, asOf),
  };
}

/** The reports matching the filters, oldest number first, one record at a time. */
export async function* exportRecords(db: Kysely<Database>, filters: ReportFilters, asOf: Date): AsyncGenerator<ExportRecord> {
  const now = asOf.toISOString();
  for await (const row of exportQuery(db, filters, asOf).stream(500)) yield toRecord(row, now);
}

/**
 * Open311 GeoReport v2 service requests, for civic platforms and dashboards:
 * no personal data (no names, contacts or tax codes).
 */
export interface ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

export async function* openServiceRequests(db: Kysely<Database>, filters: ReportFilters, asOf: Date, timeZone: string): AsyncGenerator<ServiceRequest> {
  const when = (iso: string) => isoWithOffset(new Date(iso), timeZone);
  for await (const row of exportQuery(db, filters, asOf).stream(500)) {
    const finished = row.status === 'answered' || row.status === 'closed' || row.status === 'rejected';
    yield {
      service_request_id: row.number,
      status: finished ? 'closed' : 'open',
      status_notes: row.status === 'answered' || row.status === 'closed' ? (row.reply_text ?? null) : null,
      service_name: row.category_name,
      service_code: row.category_code,
      description: [row.subject, row.description].filter(Boolean).join('\n\n'),
      agency_responsible: row.area_name,
      service_notice: null,
      requested_datetime: when(row.received_at),
      updated_datetime: when(row.updated_at),
      expected_datetime: when(row.reply_due_at),
      address: row.location,
      address_id: null,
      zipcode: null,
      lat: null,
      long: null,
      media_url: null,
    };
  }
}
