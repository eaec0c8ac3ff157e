import type { Channel, Outcome, ReportType, Status } from './vocabulary.js';
import { isLateToAssign, isLateToReply } from './report-state.js';

/**
 * A report (segnalazione) as the rest of the program sees it: camelCase,
 * codes in English, instants as ISO 8601 UTC strings, with the deadlines'
 * state computed as of a given moment.
 */
export interface Report {
  readonly number: string;
  readonly type: ReportType;
  readonly channel: Channel;
  readonly status: Status;
  readonly subject: string;
  readonly description: string;
  readonly location: string | null;
  readonly category: string | null;
  readonly area: string | null;
  readonly citizen: { readonly id: number; readonly firstName: string; readonly lastName: string };
  readonly receivedAt: string;
  readonly registeredAt: string;
  readonly assignDueAt: string;
  readonly replyDueAt: string;
  readonly assignedAt: string | null;
  readonly acknowledgedAt: string | null;
  readonly suspendedAt: string | null;
  readonly suspendedDays: number;
  readonly answeredAt: string | null;
  readonly closedAt: string | null;
  readonly rejectedAt: string | null;
  readonly outcome: Outcome | null;
  readonly externalRef: string | null;
  readonly reopenCount: number;
  readonly lateToAssign: boolean;
  readonly lateToReply: boolean;
  /** The first answer came after the reply deadline then in force. */
  readonly answeredLate: boolean;
}

/** The columns a Report is built from (reports joined with areas, categories, citizens). */
export interface ReportSource {
  number: string;
  type: string;
  channel: string;
  status: string;
  subject: string;
  description: string;
  location: string | null;
  category_code: string | null;
  area_code: string | null;
  citizen_id: number;
  citizen_first_name: string;
  citizen_last_name: string;
  received_at: string;
  registered_at: string;
  assign_due_at: string;
  reply_due_at: string;
  assigned_at: string | null;
  acknowledged_at: string | null;
  suspended_at: string | null;
  suspended_days: number;
  answered_at: string | null;
  first_answered_at: string | null;
  first_reply_due_at: string | null;
  closed_at: string | null;
  rejected_at: string | null;
  outcome: string | null;
  external_ref: string | null;
  reopen_count: number;
}

export function toReport(row: ReportSource, asOf: Date): Report {
  const now = asOf.toISOString();
  return {
    number: row.number,
    type: row.type as ReportType,
    channel: row.channel as Channel,
    status: row.status as Status,
    subject: row.subject,
    description: row.description,
    location: row.location,
    category: row.category_code,
    area: row.area_code,
    citizen: { id: row.citizen_id, firstName: row.citizen_first_name, lastName: row.citizen_last_name },
    receivedAt: row.received_at,
    registeredAt: row.registered_at,
    assignDueAt: row.assign_due_at,
    replyDueAt: row.reply_due_at,
    assignedAt: row.assigned_at,
    acknowledgedAt: row.acknowledged_at,
    suspendedAt: row.suspended_at,
    suspendedDays: row.suspended_days,
    answeredAt: row.answered_at,
    closedAt: row.closed_at,
    rejectedAt: row.rejected_at,
    outcome: row.outcome as Outcome | null,
    externalRef: row.external_ref,
    reopenCount: row.reopen_count,
    lateToAssign: isLateToAssign(row.status, row.assign_due_at, now),
    lateToReply: isLateToReply(row.status, row.reply_due_at, now),
    answeredLate:
      row.first_answered_at !== null && row.first_reply_due_at !== null && row.first_answered_at > row.first_reply_due_at,
  };
}
