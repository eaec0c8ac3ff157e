import type { Report } from '../../domain/reports.js';
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

  lines.push('', colour.bold(it ? 'Cronologia' : 'Timeline'));
  for (const event of details.timeline) {
    const parts = [eventLabel(event, language)];
    // The area matters where it changes hands.
    if (event.area && ['assigned', 'reassigned', 'returned'].includes(event.kind)) parts.push(event.kind === 'returned' ? `← ${event.area}` : `→ ${event.area}`);
    if (event.text && event.kind !== 'note') parts.push(`— ${safeLine(event.kind === 'answered' ? answeredText(event.text, language) : event.text)}`);
    const recorded = event.recordedAt !== event.occurredAt && Math.abs(Date.parse(event.recordedAt) - Date.parse(event.occurredAt)) > 60_000
      ? ` (${it ? 'registrato il' : 'recorded'} ${when(event.recordedAt)})`
      : '';
    lines.push(`  ${when(event.occurredAt)}  ${parts.join(' ')}  [${safeLine(event.operator)}${event.source !== 'cli' ? `, ${event.source}` : ''}]${recorded}`);
  }
  return lines.join('\n');
}

/** An answer's event holds its codes (`unresolved via letter`); people read them in their language. */
function answeredText(text: string, language: 'it' | 'en'): string {
  const [outcome, via] = /^(\w+)(?: via (\w+))?$/.exec(text)?.slice(1) ?? [];
  if (!outcomes.is(outcome) || (via !== undefined && !replyChannels.is(via))) return text;
  const channel = via === undefined ? '' : `, ${replyChannels.label(via, language)}`;
  return `${outcomes.label(outcome, language)}${channel}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
