import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type RowColumn, csvRowSql, jsonRowSql } from '../../storage/export-rows.js';
import { streamRows } from '../../storage/row-stream.js';
import type { Database } from '../../storage/schema.js';
import { isoWithOffset } from '../calendar.js';
import { type ReportFilters, applyReportFilters, reportQuery } from '../report-queries.js';
import { isLateToAssign, isLateToReply, lateToAssignSql, lateToReplySql } from '../report-state.js';
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
    db,
    reportQuery(db, filters)
      // The latest reply sent to the citizen.
      .leftJoin('replies as rp', (join) => join.on(sql<boolean>`rp.id = (select max(latest.id) from replies latest where latest.report_id = reports.id)`))
      .select([
        'citizens.tax_code as citizen_tax_code',
        'citizens.email as citizen_email',
        'citizens.phone as citizen_phone',
        'citizens.address as citizen_address',
        'reports.updated_at',
        'c.name as category_name',
        'a.name as area_name',
        'rp.text as reply_text',
        'rp.via as reply_via',
      ]),
    filters,
    asOf,
  )
    // Year, then sequence: the number's own order (four digits, a slash, six digits), read from its unique index, unsorted.
    .orderBy('reports.number')
    .$if(filters.limit !== undefined, (query) => query.limit(filters.limit!));
}

/**
 * Each field of a record as an expression of the export query, in the
 * records' order (the import columns, then the informational ones): what
 * toRecord computes, for SQLite to write the rows whole (storage/export-rows.ts).
 */
function exportColumns(asOf: string): RowColumn[] {
  const answered = sql<boolean>`reports.status in ('answered', 'closed')`;
  const text = (value: RawBuilder<unknown>) => ({ value, kind: 'text' as const });
  const column = (name: string) => text(sql.ref(name));
  // Codes the schema checks and instants urp writes: never quoted (the test of export-rows holds them to the JavaScript rule).
  const plain = (name: string) => ({ value: sql.ref(name), kind: 'plain' as const });
  const fields: Record<keyof ExportRecord, Omit<RowColumn, 'name'>> = {
    type: plain('reports.type'),
    channel: plain('reports.channel'),
    receivedAt: plain('reports.received_at'),
    firstName: column('citizens.first_name'),
    lastName: column('citizens.last_name'),
    taxCode: column('citizens.tax_code'),
    email: column('citizens.email'),
    phone: column('citizens.phone'),
    address: column('citizens.address'),
    subject: column('reports.subject'),
    description: text(sql`nullif(reports.description, '')`),
    category: plain('c.code'),
    area: plain('a.code'),
    location: column('reports.location'),
    externalRef: column('reports.external_ref'),
    number: plain('reports.number'),
    status: plain('reports.status'),
    registeredAt: plain('reports.registered_at'),
    assignedAt: plain('reports.assigned_at'),
    acknowledgedAt: plain('reports.acknowledged_at'),
    suspendedAt: plain('reports.suspended_at'),
    answeredAt: plain('reports.answered_at'),
    // The reply belongs with an answered (or closed) report; a reopened one awaits a new one.
    replyText: text(sql`(case when ${answered} then rp.text end)`),
    replyVia: { value: sql`(case when ${answered} then rp.via end)`, kind: 'plain' },
    outcome: plain('reports.outcome'),
    closedAt: plain('reports.closed_at'),
    rejectedAt: plain('reports.rejected_at'),
    assignDueAt: plain('reports.assign_due_at'),
    replyDueAt: plain('reports.reply_due_at'),
    suspendedDays: { value: sql.ref('reports.suspended_days'), kind: 'integer' },
    reopenCount: { value: sql.ref('reports.reopen_count'), kind: 'integer' },
    citizenId: { value: sql.ref('reports.citizen_id'), kind: 'integer' },
    lateToAssign: { value: lateToAssignSql(asOf, 'reports'), kind: 'boolean' },
    lateToReply: { value: lateToReplySql(asOf, 'reports'), kind: 'boolean' },
  };
  return EXPORT_CSV_COLUMNS.map(({ field }) => ({ name: field, ...fields[field] }));
}

/**
 * The export as lines of text, a batch at a time: CSV lines (the cells as
 * csvCell writes them) or JSON records (as JSON.stringify writes a record),
 * each made by the database engine.
 */
export async function* exportLines(db: Kysely<Database>, filters: ReportFilters, asOf: Date, format: 'csv' | 'json'): AsyncGenerator<string[]> {
  const columns = exportColumns(asOf.toISOString());
  const line = format === 'csv' ? csvRowSql(columns) : jsonRowSql(columns);
  const query = exportQuery(db, filters, asOf).clearSelect().select(line.as('line'));
  for await (const rows of streamRows(db, query, 256)) yield rows.map((row) => row.line);
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

/** The reports matching the filters, oldest number first, a batch of records at a time (never all in memory). */
export async function* exportRecordBatches(db: Kysely<Database>, filters: ReportFilters, asOf: Date): AsyncGenerator<ExportRecord[]> {
  const now = asOf.toISOString();
  for await (const rows of streamRows(db, exportQuery(db, filters, asOf))) yield rows.map((row) => toRecord(row, now));
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

/**
 * The same, as JSON text a batch at a time, the engine writing each object
 * but its three instants, which are in the office's time zone (with their
 * offset) and written here, in their place among the keys.
 */
export async function* openServiceRequestLines(db: Kysely<Database>, filters: ReportFilters, asOf: Date, timeZone: string): AsyncGenerator<string[]> {
  const finished = sql<boolean>`reports.status in ('answered', 'closed', 'rejected')`;
  const answered = sql<boolean>`reports.status in ('answered', 'closed')`;
  const text = (name: string, value: RawBuilder<unknown>): RowColumn => ({ name, value, kind: 'text' });
  const none = sql`null`;
  const before = jsonRowSql([
    text('service_request_id', sql.ref('reports.number')),
    text('status', sql`(case when ${finished} then 'closed' else 'open' end)`),
    text('status_notes', sql`(case when ${answered} then rp.text end)`),
    text('service_name', sql.ref('c.name')),
    text('service_code', sql.ref('c.code')),
    text('description', sql`(case when reports.description = '' then reports.subject when reports.subject = '' then reports.description
      else reports.subject || char(10, 10) || reports.description end)`),
    text('agency_responsible', sql.ref('a.name')),
    text('service_notice', none),
  ]);
  const after = jsonRowSql([
    text('address', sql.ref('reports.location')),
    ...['address_id', 'zipcode', 'lat', 'long', 'media_url'].map((name) => text(name, none)),
  ]);
  const query = exportQuery(db, filters, asOf)
    .clearSelect()
    .select([before.as('before'), after.as('after'), 'reports.received_at', 'reports.updated_at', 'reports.reply_due_at']);
  const when = (iso: string) => JSON.stringify(isoWithOffset(new Date(iso), timeZone));
  for await (const rows of streamRows(db, query, 256)) {
    yield rows.map(
      (row) =>
        `${row.before.slice(0, -1)},"requested_datetime":${when(row.received_at)},"updated_datetime":${when(row.updated_at)},"expected_datetime":${when(row.reply_due_at)},${row.after.slice(1)}`,
    );
  }
}

/** The same requests as objects, a batch at a time (the JavaScript statement of what the lines above hold; tests hold the two together). */
export async function* openServiceRequests(db: Kysely<Database>, filters: ReportFilters, asOf: Date, timeZone: string): AsyncGenerator<ServiceRequest[]> {
  const when = (iso: string) => isoWithOffset(new Date(iso), timeZone);
  for await (const rows of streamRows(db, exportQuery(db, filters, asOf))) yield rows.map((row) => serviceRequest(row, when));
}

function serviceRequest(row: ExportRow, when: (iso: string) => string): ServiceRequest {
  const finished = row.status === 'answered' || row.status === 'closed' || row.status === 'rejected';
  return {
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
