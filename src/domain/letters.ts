import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { InputError } from './errors.js';
import { authorize } from './operators.js';
import { getReportDetails } from './report-queries.js';
import type { ContactSettings, DocumentSettings, Settings } from './settings.js';
import type { Outcome } from './vocabulary.js';
import { outcomes } from './vocabulary.js';

/**
 * What the reply letter (issue 15) says, gathered from the register: the
 * report, the citizen's name and postal address, the reply in force (the
 * latest; none while the report is not answered, and the letter is then a
 * draft), the responsible area and its manager, and the office's letterhead
 * and contacts from the settings. The document itself is drawn elsewhere
 * (src/documents/letter.ts); this module decides what goes in it.
 */
export interface LetterData {
  readonly organisation: Pick<Settings, 'organisationName'> & ContactSettings & DocumentSettings;
  readonly timeZone: string;
  readonly number: string;
  readonly receivedAt: string;
  readonly subject: string;
  readonly citizen: { readonly id: number; readonly name: string; readonly addressLines: readonly string[] };
  /** The reply in force; null for a draft. */
  readonly reply: { readonly text: string; readonly outcome: Outcome; readonly sentAt: string } | null;
  readonly area: { readonly name: string; readonly manager: string | null } | null;
  /** The letter's date: the reply's, or now for a draft. */
  readonly date: string;
}

/**
 * The letter's contents for one report. Printing it reads a citizen's
 * personal data: allowed to the roles that may add notes to the report
 * (URP and admins on every report, area operators on their own areas');
 * the command records it in the audit log once written (recordLetterWritten).
 */
export async function letterData(db: Kysely<Database>, actor: Actor, numberText: string, settings: Settings): Promise<LetterData> {
  const details = await getReportDetails(db, numberText, actor.now);
  const { report, citizen } = details;
  const area = report.area ? await db.selectFrom('areas').select(['id', 'name', 'manager']).where('code', '=', report.area).executeTakeFirst() : undefined;
  await authorize(db, actor, 'note', area?.id ?? null);
  const erased = await db.selectFrom('citizens').select('erased_at').where('id', '=', citizen.id).executeTakeFirstOrThrow();
  if (erased.erased_at) throw new InputError('letter.citizenErased', { number: report.number }, 'number');

  const answered = report.status === 'answered' || report.status === 'closed';
  const latest = answered ? details.replies.at(-1) : undefined;
  const reply = latest && outcomes.is(latest.outcome) ? { text: latest.text, outcome: latest.outcome, sentAt: latest.sentAt } : null;
  return {
    organisation: settings,
    timeZone: settings.timeZone,
    number: report.number,
    receivedAt: report.receivedAt,
    subject: report.subject,
    citizen: { id: citizen.id, name: `${citizen.firstName} ${citizen.lastName}`, addressLines: postalLines(citizen.address) },
    reply,
    area: area ? { name: area.name, manager: area.manager } : null,
    date: reply?.sentAt ?? actor.now.toISOString(),
  };
}

/** Records that a letter (or a draft) left the register: it holds a citizen's name and address. */
export async function recordLetterWritten(db: Kysely<Database>, actor: Actor, letter: LetterData): Promise<void> {
  await recordAudit(db, actor, 'letter_written', `report:${letter.number}`, letter.reply ? 'letter' : 'draft');
}

/**
 * A postal address as the lines of an envelope's window. Typed on one line
 * ("Via Roma 12, 21100 Valdoria VA"), it is broken before the postcode (CAP);
 * line breaks typed by the clerk are kept.
 */
export function postalLines(address: string | null): string[] {
  if (!address?.trim()) return [];
  const lines = address
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.flatMap((line) =>
    line
      .split(/,\s*(?=\d{5}\b)/)
      .map((part) => part.trim())
      .filter(Boolean),
  );
}
