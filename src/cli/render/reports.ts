import type { Report } from '../../domain/reports.js';
import type { OutboxMessage } from '../../domain/mail/outbox.js';
import type { Reply, TimelineEvent } from '../../domain/report-events.js';
import type { Settings } from '../../domain/settings.js';
import { channels, outcomes, replyChannels, reportTypes, statuses, type Status } from '../../domain/vocabulary.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import { safeLine, safeText } from '../terminal-text.js';
import { formatInstant, formatTimeLeft } from './dates.js';
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
  const it = context.language === 'it';
  const { language } = context;
  const rich = context.output.rich;
  const columns: Column<Report>[] = [
    { header: it ? 'numero' : 'number', value: (report) => report.number },
    { header: it ? 'stato' : 'status', value: (report) => statuses.label(report.status, language) },
    { header: it ? 'tipo' : 'type', value: (report) => reportTypes.label(report.type, language) },
    { header: 'area', value: (report) => report.area ?? '' },
    { header: it ? 'ricevuta' : 'received', value: (report) => formatInstant(report.receivedAt, settings.timeZone, language, rich) },
    {
      header: it ? 'scadenza' : 'due',
      value: (report) => {
        const deadline = currentDeadline(report);
        if (!deadline) return '';
        if (report.status === 'suspended') return it ? 'sospesa' : 'suspended';
        const what = deadline.kind === 'assign' ? (it ? 'assegnare' : 'assign') : it ? 'rispondere' : 'reply';
        return `${what}: ${formatTimeLeft(deadline.dueAt, asOf, language)}`;
      },
      style: (report, text) => (report.lateToAssign || report.lateToReply ? context.output.colour.red(text) : text),
    },
    { header: it ? 'oggetto' : 'subject', value: (report) => report.subject },
  ];
  if (citizen) {
    columns.push({ header: it ? 'cittadino' : 'citizen', value: (report) => `${report.citizen.lastName} ${report.citizen.firstName}` });
  }
  return columns;
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

function eventLabel(event: TimelineEvent, language: 'it' | 'en'): string {
  const labels: Record<string, [string, string]> = {
    registered: ['registered', 'registrata'],
    assigned: ['assigned', 'assegnata'],
    reassigned: ['reassigned', 'riassegnata'],
    acknowledged: ['acknowledged', 'presa in carico'],
    returned: ['returned to URP', "restituita all'URP"],
    suspended: ['suspended', 'sospesa'],
    resumed: ['resumed', 'ripresa'],
    answered: ['answered', 'risposta inviata'],
    closed: ['closed', 'chiusa'],
    rejected: ['rejected', 'respinta'],
    reopened: ['reopened', 'riaperta'],
    note: ['internal note', 'nota interna'],
    citizen_erased: ["citizen's data erased", 'dati del cittadino cancellati'],
    citizen_contacts_added: ["contacts added to the citizen's record", 'recapiti aggiunti alla scheda del cittadino'],
    message_sent: ['message sent', 'messaggio inviato'],
    message_received: ['registered from the e-mail message', 'registrata dal messaggio e-mail'],
  };
  const label = labels[event.kind];
  return label ? label[language === 'it' ? 1 : 0] : event.kind;
}

/** `report show`: the fields, both deadlines with time left or late, the reply, the notes, the timeline. */
export function renderReportDetails(context: CliContext, details: ReportDetails, settings: Settings, asOf: Date): string {
  const { report } = details;
  const { language } = context;
  const it = language === 'it';
  const rich = context.output.rich;
  const zone = settings.timeZone;
  const when = (iso: string | null) => formatInstant(iso, zone, language, rich);
  const { colour } = context.output;

  const deadlineLine = (dueAt: string, done: string | null, late: boolean, stopped = false) => {
    if (done) return `${when(dueAt)}  (${it ? 'fatto il' : 'done on'} ${when(done)}${done > dueAt ? (it ? ', in ritardo' : ', late') : ''})`;
    if (stopped) return `${when(dueAt)}  (${it ? 'sospesa: il termine è fermo' : 'suspended: the clock is stopped'})`;
    const left = formatTimeLeft(dueAt, asOf, language);
    return `${when(dueAt)}  (${late ? colour.red(left) : left})`;
  };
  const closedStatus = (['closed', 'rejected'] as Status[]).includes(report.status);

  const pairs: Array<[string, string]> = [
    [it ? 'Numero' : 'Number', colour.bold(report.number)],
    [it ? 'Stato' : 'Status', statuses.label(report.status, language)],
    [it ? 'Tipo' : 'Type', reportTypes.label(report.type, language)],
    [it ? 'Canale' : 'Channel', channels.label(report.channel, language)],
    [it ? 'Oggetto' : 'Subject', safeLine(report.subject)],
    [it ? 'Categoria' : 'Category', report.category ? `${report.category} (${safeLine(details.categoryName ?? '')})` : '—'],
    ['Area', report.area ? `${report.area} (${safeLine(details.areaName ?? '')})` : '—'],
    [it ? 'Luogo' : 'Location', safeLine(report.location ?? '—')],
    [
      it ? 'Cittadino' : 'Citizen',
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
    [it ? 'Ricevuta il' : 'Received', when(report.receivedAt)],
    [it ? 'Registrata il' : 'Registered', when(report.registeredAt)],
    [
      it ? 'Da assegnare entro' : 'Assign by',
      deadlineLine(report.assignDueAt, report.assignedAt ?? (report.status === 'registered' ? null : report.registeredAt), report.lateToAssign),
    ],
    [
      it ? 'Da rispondere entro' : 'Reply by',
      closedStatus && !report.answeredAt
        ? when(report.replyDueAt)
        : deadlineLine(report.replyDueAt, report.answeredAt, report.lateToReply, report.status === 'suspended'),
    ],
  ];
  if (report.suspendedDays > 0) pairs.push([it ? 'Giorni di sospensione' : 'Days suspended', String(report.suspendedDays)]);
  if (report.outcome) pairs.push([it ? 'Esito' : 'Outcome', outcomes.label(report.outcome, language)]);
  if (report.externalRef) pairs.push([it ? 'Riferimento' : 'Reference', safeLine(report.externalRef)]);

  const width = Math.max(...pairs.map(([label]) => label.length));
  const lines = pairs.map(([label, value]) => `${colour.bold(label.padEnd(width))}  ${value}`);

  if (report.description) {
    lines.push('', colour.bold(it ? 'Descrizione' : 'Description'), indent(safeText(report.description)));
  }
  for (const reply of details.replies) {
    const via = reply.via ? `, ${replyChannels.label(reply.via as never, language)}` : '';
    lines.push(
      '',
      colour.bold(`${it ? 'Risposta al cittadino' : 'Reply to the citizen'} (${when(reply.sentAt)}${via}, ${outcomes.label(reply.outcome as never, language)})`),
      indent(safeText(reply.text)),
    );
  }
  const notes = details.timeline.filter((event) => event.kind === 'note');
  if (notes.length > 0) {
    lines.push('', colour.bold(it ? 'Note interne (non visibili al cittadino)' : 'Internal notes (never shown to the citizen)'));
    for (const note of notes) lines.push(`  ${when(note.occurredAt)}  ${safeLine(note.operator)}: ${safeLine(note.text ?? '')}`);
  }

  // Issue 14: every message about the report, sent or not, and why not.
  if (details.messages && details.messages.length > 0) {
    lines.push('', colour.bold(it ? 'Messaggi' : 'Messages'));
    for (const message of details.messages) {
      const state =
        message.status === 'sent'
          ? `${it ? 'inviato il' : 'sent'} ${when(message.sentAt)}`
          : message.status === 'pending' && message.nextAttemptAt
            ? `${MESSAGE_STATUS.pending[it ? 1 : 0]}, ${it ? 'nuovo tentativo dal' : 'next attempt'} ${when(message.nextAttemptAt)}`
            : MESSAGE_STATUS[message.status][it ? 1 : 0];
      const error = message.lastError && message.status !== 'sent' ? `: ${safeLine(message.lastError)}` : '';
      lines.push(`  ${when(message.createdAt)}  ${messageLine(message, language)} — ${state}${error}`);
    }
  }

  lines.push('', colour.bold(it ? 'Cronologia' : 'Timeline'));
  for (const event of details.timeline) {
    const parts = [eventLabel(event, language)];
    // The area matters where it changes hands.
    if (event.area && ['assigned', 'reassigned', 'returned'].includes(event.kind)) parts.push(event.kind === 'returned' ? `← ${event.area}` : `→ ${event.area}`);
    const message = event.kind === 'message_sent' ? details.messages?.find((each) => each.sentEventId === event.id) : undefined;
    if (message) parts.push(`— ${messageLine(message, language)}, Message-ID ${safeLine(message.messageId)}`);
    else if (event.kind === 'answered' && event.outcome) parts.push(`— ${answeredText(event.outcome, event.via, language)}`);
    else if (event.text && event.kind !== 'note') parts.push(`— ${safeLine(event.text)}`);
    const recorded = event.recordedAt !== event.occurredAt && Math.abs(Date.parse(event.recordedAt) - Date.parse(event.occurredAt)) > 60_000
      ? ` (${it ? 'registrato il' : 'recorded'} ${when(event.recordedAt)})`
      : '';
    const who = event.enteredBy ? context.t('timeline.enteredFor', { enteredBy: event.enteredBy, operator: event.operator }) : event.operator;
    lines.push(`  ${when(event.occurredAt)}  ${parts.join(' ')}  [${safeLine(who)}${event.source !== 'cli' ? `, ${event.source}` : ''}]${recorded}`);
  }
  return lines.join('\n');
}

const MESSAGE_KINDS: Record<string, [string, string]> = {
  receipt: ['receipt', 'ricevuta'],
  assignment: ['assignment', 'assegnazione'],
  reply: ['reply', 'risposta'],
  'digest-area': ['digest', 'riepilogo'],
  'digest-urp': ['digest', 'riepilogo'],
};
const MESSAGE_RECIPIENTS: Record<string, [string, string]> = {
  citizen: ['to the citizen', 'al cittadino'],
  area: ['to the area', "all'area"],
  urp: ['to URP', "all'URP"],
};
const MESSAGE_STATUS: Record<OutboxMessage['status'], [string, string]> = {
  pending: ['waiting to be sent', 'in attesa di invio'],
  sending: ['being sent', 'in invio'],
  sent: ['sent', 'inviato'],
  failed: ['could not be delivered', 'non recapitabile'],
  no_address: ['not sent: no address', 'non inviato: nessun indirizzo'],
  cancelled: ['cancelled', 'annullato'],
};

/** "reply to the citizen by PEC (mario@pec.example.it)": the address comes from the outbox row, never from the event. */
function messageLine(message: OutboxMessage, language: 'it' | 'en'): string {
  const index = language === 'it' ? 1 : 0;
  const kind = MESSAGE_KINDS[message.kind]?.[index] ?? message.kind;
  const recipient = MESSAGE_RECIPIENTS[message.recipient]?.[index] ?? message.recipient;
  const channel = message.channel === 'pec' ? 'PEC' : 'e-mail';
  const address = message.toAddress ? ` (${safeLine(message.toAddress)})` : '';
  return `${kind} ${recipient}${message.toAddress ? `${language === 'it' ? ' per' : ' by'} ${channel}${address}` : ''}`;
}

/** An answer's outcome and channel (codes, from its reply), as people read them in their language. */
function answeredText(outcome: string, via: string | null, language: 'it' | 'en'): string {
  const channel = via && replyChannels.is(via) ? `, ${replyChannels.label(via, language)}` : '';
  return `${outcomes.is(outcome) ? outcomes.label(outcome, language) : safeLine(outcome)}${channel}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
