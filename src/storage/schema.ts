import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * One interface per table, combined into the database type (as kysely's
 * example does). Instants are ISO 8601 UTC text; booleans are 0/1.
 */

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface AreasTable {
  id: Generated<number>;
  code: string;
  name: string;
  manager: string | null;
  email: string | null;
  active: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface CategoriesTable {
  id: Generated<number>;
  code: string;
  name: string;
  area_id: number | null;
  active: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface CitizensTable {
  id: Generated<number>;
  first_name: string;
  last_name: string;
  tax_code: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  search_name: string;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
  /** A PEC (certified e-mail) address (issue 14). */
  pec: Generated<string | null>;
}

export interface OperatorsTable {
  id: Generated<number>;
  name: string;
  full_name: string | null;
  role: 'admin' | 'urp' | 'area';
  /** The operating-system account that acts as this operator. */
  os_user: string | null;
  active: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface OperatorAreasTable {
  operator_id: number;
  area_id: number;
}

export interface ReportSequencesTable {
  year: number;
  last_value: number;
}

export interface ReportsTable {
  id: Generated<number>;
  number: string;
  year: number;
  sequence: number;
  type: string;
  channel: string;
  status: string;
  subject: string;
  description: string;
  location: string | null;
  external_ref: string | null;
  category_id: number | null;
  area_id: number | null;
  citizen_id: number;
  received_at: string;
  registered_at: string;
  assign_counted_from: string;
  assign_due_at: string;
  reply_counted_from: string;
  reply_due_at: string;
  suspended_at: string | null;
  suspended_days: Generated<number>;
  suspension_count: Generated<number>;
  assigned_at: string | null;
  first_assigned_at: string | null;
  first_assign_due_at: string;
  acknowledged_at: string | null;
  answered_at: string | null;
  first_answered_at: string | null;
  first_reply_due_at: string | null;
  closed_at: string | null;
  rejected_at: string | null;
  outcome: string | null;
  reopen_count: Generated<number>;
  updated_at: string;
}

export interface ReportEventsTable {
  id: Generated<number>;
  report_id: number;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  area_id: number | null;
  text: string | null;
  operator: string;
  /** The admin who recorded it on the operator's behalf. */
  entered_by: string | null;
  occurred_at: string;
  recorded_at: string;
  source: string;
  /** SHA-256 chained to the previous event (src/domain/event-chain.ts). */
  hash: string;
}

export interface RepliesTable {
  id: Generated<number>;
  report_id: number;
  event_id: number;
  text: string;
  outcome: string;
  via: string | null;
  sent_at: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  kind: string;
  subject: string;
  text: string | null;
  operator: string;
  entered_by: string | null;
  occurred_at: string;
  hash: string;
}

export interface MaintenanceTable {
  task: string;
  requested_at: string;
}

export interface ReplyTemplatesTable {
  id: Generated<number>;
  code: string;
  title: string;
  body: string;
  outcome: string | null;
  category_id: number | null;
  active: Generated<number>;
  created_at: string;
  updated_at: string;
}

// Messages that reach people (issue 14).
export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  report_id: number | null;
  citizen_id: number | null;
  area_id: number | null;
  recipient: string;
  channel: string;
  to_address: string | null;
  to_name: string | null;
  language: string;
  subject: string;
  body: string;
  message_id: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  sent_event_id: number | null;
  erased_at: string | null;
}

export interface MessageTemplatesTable {
  name: string;
  language: string;
  subject: string;
  body: string;
  operator: string;
  updated_at: string;
}

export interface InboundMessagesTable {
  id: Generated<number>;
  report_id: number;
  sha256: string;
  size: number;
  message_id: string | null;
  file_name: string | null;
  received_at: string;
  erased_at: string | null;
}

export interface Database {
  settings: SettingsTable;
  areas: AreasTable;
  categories: CategoriesTable;
  citizens: CitizensTable;
  operators: OperatorsTable;
  operator_areas: OperatorAreasTable;
  report_sequences: ReportSequencesTable;
  reports: ReportsTable;
  report_events: ReportEventsTable;
  replies: RepliesTable;
  audit_events: AuditEventsTable;
  maintenance: MaintenanceTable;
  reply_templates: ReplyTemplatesTable;
  outbox: OutboxTable;
  message_templates: MessageTemplatesTable;
  inbound_messages: InboundMessagesTable;
}

export type AreaRow = Selectable<AreasTable>;
export type CategoryRow = Selectable<CategoriesTable>;
export type CitizenRow = Selectable<CitizensTable>;
export type NewCitizenRow = Insertable<CitizensTable>;
export type CitizenUpdate = Updateable<CitizensTable>;
export type ReportRow = Selectable<ReportsTable>;
export type NewReportRow = Insertable<ReportsTable>;
export type ReportUpdate = Updateable<ReportsTable>;
export type ReportEventRow = Selectable<ReportEventsTable>;
export type NewReportEventRow = Insertable<ReportEventsTable>;
export type OperatorRow = Selectable<OperatorsTable>;
export type OutboxRow = Selectable<OutboxTable>;
