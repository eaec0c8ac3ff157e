import type { Report } from '../../domain/reports.js';
import type { OutboxMessage } from '../../domain/mail/outbox.js';
import type { Reply, TimelineEvent } from '../../domain/report-events.js';
import type { Settings } from '../../domain/settings.js';
import { channels, outcomes, replyChannels, reportTypes, statuses, type Status } from '../../domain/vocabulary.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import { safeLine, safeText } from '../terminal-text.js';
import { formatDate, formatInstant, formatTimeLeft } from './dates.js';
import type { Language } from '../../i18n/language.js';
import { type MessageKey, type MessageParams, translate, translateOptional } from '../../i18n/messages.js';
import type { SheetColumn } from '../spreadsheet.js';
import { displayWidth } from '../text-width.js';
import { contactsForPeople } from './citizens.js';

/** The deadline that matters now for a report, or undefined once answered, closed or rejected. */
export function currentDeadline(report: Report): { kind: 'assign' | 'reply'; dueAt: string } | undefined {
  if (report.status === 'registered') {
    // Both clocks run; the one that comes first is the one to watch.
    return report.assignDueAt < report.replyDueAt && !report.lateToReply
      ? { kind: 'assign', dueAt: report.assignDueAt }
      : { kind: 'reply', dueAt: report.replyDueAt };
  }
  if (report.status === 'assigned' || report.status === 'acknowledged' || report.status === 'suspended') {
    return { kind: 'reply', dueAt: report.replyDueAt };
  }
  return undefined;
}

export function reportColumns(
  context: CliContext,
  settings: Settings,
  asOf: Date,
  { citizen = true }: { citizen?: boolean } = {},
): Column<Report>[] {
  const { language } = context;
  const t = (key: MessageKey, params?: MessageParams) => context.t(key, params);
  const rich = context.output.rich;
  // On a narrow terminal the columns of least use go first: the receipt, the type, the citizen, the area, the status.
  const columns: Column<Report>[] = [
    { header: t('column.number'), value: (report) => report.number },
    { header: t('column.status'), value: (report) => statuses.label(report.status, language), drop: 1 },
    { header: t('column.type'), value: (report) => reportTypes.label(report.type, language), drop: 4 },
    { header: t('column.area'), value: (report) => report.area ?? '', drop: 2 },
    { header: t('column.received'), value: (report) => (rich ? formatDate : formatInstant)(report.receivedAt, settings.timeZone, language, rich), drop: 5 },
    {
      header: t('column.due'),
      value: (report) => {
        const deadline = currentDeadline(report);
        if (!deadline) return '';
        if (report.status === 'suspended') return t('due.suspended');
        return t(deadline.kind === 'assign' ? 'due.assign' : 'due.reply', { left: formatTimeLeft(deadline.dueAt, asOf, language) });
      },
      style: (report, text) => (report.lateToAssign || report.lateToReply ? context.output.colour.red(text) : text),
    },
    { header: t('column.subject'), value: (report) => report.subject, shrink: true },
  ];
  if (citizen) {
    columns.push({ header: t('column.citizen'), value: (report) => `${report.citizen.lastName} ${report.citizen.firstName}`, shrink: true, drop: 3 });
  }
  return columns;
}

/** Report lists as a spreadsheet (--xlsx, --csv-excel): labels in the user's language, typed cells. */
export function reportSheetColumns(context: CliContext): SheetColumn<Report>[] {
  const { language } = context;
  const t = (key: MessageKey) => context.t(key);
  return [
    { header: t('column.number'), value: (r) => r.number, kind: 'code', width: 13 },
    { header: t('column.type'), value: (r) => reportTypes.label(r.type, language) },
    { header: t('column.channel'), value: (r) => channels.label(r.channel, language) },
    { header: t('column.status'), value: (r) => statuses.label(r.status, language) },
    { header: t('column.subject'), value: (r) => r.subject, width: 50 },
    { header: t('column.category'), value: (r) => r.category ?? '', kind: 'code' },
    { header: t('column.area'), value: (r) => r.area ?? '', kind: 'code' },
    { header: t('column.citizen'), value: (r) => `${r.citizen.lastName} ${r.citizen.firstName}`, width: 28 },
    { header: t('column.citizenId'), value: (r) => r.citizen.id, kind: 'integer' },
    { header: t('column.receivedAt'), value: (r) => r.receivedAt, kind: 'instant' },
    { header: t('column.registeredAt'), value: (r) => r.registeredAt, kind: 'instant' },
    { header: t('column.assignDueAt'), value: (r) => r.assignDueAt, kind: 'instant' },
    { header: t('column.replyDueAt'), value: (r) => r.replyDueAt, kind: 'instant' },
    { header: t('column.assignedAt'), value: (r) => r.assignedAt, kind: 'instant' },
    { header: t('column.acknowledgedAt'), value: (r) => r.acknowledgedAt, kind: 'instant' },
    { header: t('column.answeredAt'), value: (r) => r.answeredAt, kind: 'instant' },
    { header: t('column.closedAt'), value: (r) => r.closedAt, kind: 'instant' },
    { header: t('column.outcome'), value: (r) => (r.outcome ? outcomes.label(r.outcome, language) : '') },
    { header: t('column.externalRef'), value: (r) => r.externalRef ?? '', kind: 'code' },
    { header: t('column.lateToAssign'), value: (r) => r.lateToAssign, kind: 'boolean' },
    { header: t('column.lateToReply'), value: (r) => r.lateToReply, kind: 'boolean' },
  ];
}

/** Flat rows for --csv of report lists: codes and ISO instants, like the JSON. */
export function reportCsvColumns(): Column<Report>[] {
  const iso = (value: string | null) => value ?? '';
  return [
    { header: 'number', value: (r) => r.number },
    { header: 'type', value: (r) => r.type },
    { header: 'channel', value: (r) => r.channel },
    { header: 'status', value: (r) => r.status },
    { header: 'subject', value: (r) => r.subject },
    { header: 'category', value: (r) => r.category ?? '' },
    { header: 'area', value: (r) => r.area ?? '' },
    { header: 'citizen_id', value: (r) => String(r.citizen.id) },
    { header: 'received_at', value: (r) => r.receivedAt },
    { header: 'registered_at', value: (r) => r.registeredAt },
    { header: 'assign_due_at', value: (r) => r.assignDueAt },
    { header: 'reply_due_at', value: (r) => r.replyDueAt },
    { header: 'assigned_at', value: (r) => iso(r.assignedAt) },
    { header: 'acknowledged_at', value: (r) => iso(r.acknowledgedAt) },
    { header: 'answered_at', value: (r) => iso(r.answeredAt) },
    { header: 'closed_at', value: (r) => iso(r.closedAt) },
    { header: 'outcome', value: (r) => r.outcome ?? '' },
    { header: 'external_ref', value: (r) => r.externalRef ?? '' },
    { header: 'late_to_assign', value: (r) => String(r.lateToAssign) },
    { header: 'late_to_reply', value: (r) => String(r.lateToReply) },
  ];
}

export interface ReportDetails {
  readonly report: Report;
  readonly citizen: { id: number; firstName: string; lastName: string; email: string | null; phone: string | null; address: string | null };
  readonly categoryName: string | null;
  readonly areaName: string | null;
  readonly timeline: readonly TimelineEvent[];
  readonly replies: readonly Reply[];
  readonly messages?: readonly OutboxMessage[];
}

function eventLabel(event: TimelineEvent, language: Language): string {
  return translateOptional(language, `event.${event.kind}`) ?? event.kind;
}

/** `report show`: the fields, both deadlines with time left or late, the reply, the notes, the timeline. */
export function renderReportDetails(context: CliContext, details: ReportDetails, settings: Settings, asOf: Date): string {
  const { report } = details;
  const { language } = context;
  const t = (key: MessageKey, params?: MessageParams) => context.t(key, params);
  const rich = context.output.rich;
  const zone = settings.timeZone;
  const when = (iso: string | null) => formatInstant(iso, zone, language, rich);
  const { colour } = context.output;

  const deadlineLine = (dueAt: string, done: string | null, late: boolean, stopped = false) => {
    if (done) return `${when(dueAt)}  (${t(done > dueAt ? 'show.doneLate' : 'show.done', { at: when(done) })})`;
    if (stopped) return `${when(dueAt)}  (${t('show.clockStopped')})`;
    const left = formatTimeLeft(dueAt, asOf, language);
    return `${when(dueAt)}  (${late ? colour.red(left) : left})`;
  };
  const closedStatus = (['closed', 'rejected'] as Status[]).includes(report.status);

  const pairs: Array<[string, string]> = [
    [t('show.number'), colour.bold(report.number)],
    [t('show.status'), statuses.label(report.status, language)],
    [t('show.type'), reportTypes.label(report.type, language)],
    [t('show.channel'), channels.label(report.channel, language)],
    [t('show.subject'), safeLine(report.subject)],
    [t('show.category'), report.category ? `${report.category} (${safeLine(details.categoryName ?? '')})` : '—'],
    [t('show.area'), report.area ? `${report.area} (${safeLine(details.areaName ?? '')})` : '—'],
    [t('show.location'), safeLine(report.location ?? '—')],
    [
      t('show.citizen'),
      safeLine(
        [
          `${details.citizen.lastName} ${details.citizen.firstName} (${details.citizen.id})`,
          contactsForPeople(details.citizen).email,
          contactsForPeople(details.citizen).phone,
          details.citizen.address,
        ]
          .filter(Boolean)
          .join(', '),
      ),
    ],
    [t('show.received'), when(report.receivedAt)],
    [t('show.registered'), when(report.registeredAt)],
    [t('show.assignBy'), deadlineLine(report.assignDueAt, report.assignedAt ?? (report.status === 'registered' ? null : report.registeredAt), report.lateToAssign)],
    [
      t('show.replyBy'),
      closedStatus && !report.answeredAt
        ? when(report.replyDueAt)
        : deadlineLine(report.replyDueAt, report.answeredAt, report.lateToReply, report.status === 'suspended'),
    ],
  ];
  if (report.suspendedDays > 0) pairs.push([t('show.daysSuspended'), String(report.suspendedDays)]);
  if (report.outcome) pairs.push([t('show.outcome'), outcomes.label(report.outcome, language)]);
  if (report.externalRef) pairs.push([t('show.externalRef'), safeLine(report.externalRef)]);

  const width = Math.max(...pairs.map(([label]) => displayWidth(label)));
  const lines = pairs.map(([label, value]) => `${colour.bold(label + ' '.repeat(width - displayWidth(label)))}  ${value}`);

  if (report.description) {
    lines.push('', colour.bold(t('show.description')), indent(safeText(report.description)));
  }
  for (const reply of details.replies) {
    const via = reply.via ? `, ${replyChannels.label(reply.via as never, language)}` : '';
    lines.push('', colour.bold(t('show.reply', { at: when(reply.sentAt), via, outcome: outcomes.label(reply.outcome as never, language) })), indent(safeText(reply.text)));
  }
  const notes = details.timeline.filter((event) => event.kind === 'note');
  if (notes.length > 0) {
    lines.push('', colour.bold(t('show.notes')));
    for (const note of notes) lines.push(`  ${when(note.occurredAt)}  ${safeLine(note.operator)}: ${safeLine(note.text ?? '')}`);
  }

  // Issue 14: every message about the report, sent or not, and why not.
  if (details.messages && details.messages.length > 0) {
    lines.push('', colour.bold(t('show.messages')));
    for (const message of details.messages) {
      const state =
        message.status === 'sent'
          ? t('message.sentAt', { at: when(message.sentAt) })
          : message.status === 'pending' && message.nextAttemptAt
            ? t('message.nextAttempt', { at: when(message.nextAttemptAt) })
            : t(`message.status.${message.status}` as MessageKey);
      const error = message.lastError && message.status !== 'sent' ? `: ${safeLine(message.lastError)}` : '';
      lines.push(`  ${when(message.createdAt)}  ${messageLine(message, language)} — ${state}${error}`);
    }
  }

  lines.push('', colour.bold(t('show.timeline')));
  for (const event of details.timeline) {
    const parts = [eventLabel(event, language)];
    // The area matters where it changes hands.
    if (event.area && ['assigned', 'reassigned', 'returned'].includes(event.kind)) parts.push(event.kind === 'returned' ? `← ${event.area}` : `→ ${event.area}`);
    const message = event.kind === 'message_sent' ? details.messages?.find((each) => each.sentEventId === event.id) : undefined;
    if (message) parts.push(`— ${messageLine(message, language)}, Message-ID ${safeLine(message.messageId)}`);
    else if (event.kind === 'answered' && event.outcome) parts.push(`— ${answeredText(event.outcome, event.via, language)}`);
    else if (event.text && event.kind !== 'note') parts.push(`— ${safeLine(event.text)}`);
    // Entered later than it happened (a backlog, a letter of Saturday registered on Monday): both times.
    const recorded = event.recordedAt !== event.occurredAt && Math.abs(Date.parse(event.recordedAt) - Date.parse(event.occurredAt)) > 60_000
      ? ` (${t('show.recordedAt', { at: when(event.recordedAt) })})`
      : '';
    const who = event.enteredBy ? t('timeline.enteredFor', { enteredBy: event.enteredBy, operator: event.operator }) : event.operator;
    lines.push(`  ${when(event.occurredAt)}  ${parts.join(' ')}  [${safeLine(who)}${event.source !== 'cli' ? `, ${event.source}` : ''}]${recorded}`);
  }
  return lines.join('\n');
}

/** "reply to the citizen by PEC (mario@pec.example.it)": the address comes from the outbox row, never from the event. */
function messageLine(message: OutboxMessage, language: Language): string {
  const kind = translateOptional(language, `message.kind.${message.kind}`) ?? message.kind;
  const recipient = translateOptional(language, `message.to.${message.recipient}`) ?? message.recipient;
  if (!message.toAddress) return `${kind} ${recipient}`;
  return translate(language, 'message.by', { kind, recipient, channel: message.channel === 'pec' ? 'PEC' : 'e-mail', address: safeLine(message.toAddress) });
}

/** An answer's outcome and channel (codes, from its reply), as people read them in their language. */
function answeredText(outcome: string, via: string | null, language: Language): string {
  const channel = via && replyChannels.is(via) ? `, ${replyChannels.label(via, language)}` : '';
  return `${outcomes.is(outcome) ? outcomes.label(outcome, language) : safeLine(outcome)}${channel}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
