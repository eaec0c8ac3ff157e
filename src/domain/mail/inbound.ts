import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ParsedMail } from 'mailparser';
import { normaliseEmail } from '../contacts.js';
import { InputError } from '../errors.js';
import { TEXT_LIMITS } from '../text-fields.js';

/**
 * A report registered from the e-mail message itself (issue 14): the sender
 * becomes the citizen, the Date header the moment of receipt, the subject and
 * text body the report. A PEC message arrives inside its provider's transport
 * envelope (X-Trasporto: posta-certificata, daticert.xml, the original as
 * postacert.eml): the citizen and the text are the original's.
 */
export interface EmailReport {
  readonly channel: 'email' | 'pec';
  readonly sha256: string;
  readonly size: number;
  readonly messageId: string | null;
  readonly senderAddress: string | null;
  readonly firstName: string | undefined;
  readonly lastName: string | undefined;
  /** The Date header, when it is usable. */
  readonly receivedAt: Date | undefined;
  /** Why the Date header could not be used. */
  readonly dateProblem: 'missing' | 'invalid' | 'future' | undefined;
  readonly subject: string | undefined;
  readonly description: string;
}

/** A message larger than this is not a report but an archive; it is refused. */
export const EML_LIMIT_BYTES = 25 * 1024 * 1024;

// mailparser is heavy: loaded only by the command that reads a message, and outside the bundle.
const loadMailparser = () => createRequire(import.meta.url)('mailparser') as typeof import('mailparser');

export async function parseEmailReport(content: Buffer, now: Date): Promise<EmailReport> {
  if (content.length === 0) throw new InputError('eml.empty', {}, 'fromEml');
  if (content.length > EML_LIMIT_BYTES) throw new InputError('eml.tooLarge', { limit: EML_LIMIT_BYTES / 1024 / 1024 }, 'fromEml');
  const { simpleParser } = loadMailparser();
  const options = { skipImageLinks: true, skipTextLinks: true, maxHtmlLengthToParse: 2_000_000 };
  let outer: ParsedMail;
  try {
    outer = await simpleParser(content, options);
  } catch {
    throw new InputError('eml.unreadable', {}, 'fromEml');
  }
  if (!outer.from && !outer.subject && !rawHeader(outer, 'date')) throw new InputError('eml.unreadable', {}, 'fromEml');

  const pec = isPecEnvelope(outer);
  let inner = outer;
  if (pec) {
    const original = outer.attachments.find((attachment) => attachment.contentType === 'message/rfc822' || attachment.filename === 'postacert.eml');
    if (original) inner = await simpleParser(original.content, options);
  }

  const sender = inner.from?.value[0];
  let senderAddress = sender?.address ? normaliseEmail(sender.address) ?? null : null;
  let senderName = sender?.name?.trim() || '';
  if (pec && (!senderAddress || senderAddress === normaliseEmail(outer.from?.value[0]?.address ?? ''))) {
    // Without the original, the envelope names the sender in Reply-To and "Per conto di: ...".
    senderAddress = normaliseEmail(outer.replyTo?.value[0]?.address ?? '') ?? senderAddress;
    if (/^per conto di:/i.test(senderName)) senderName = '';
  }
  const { firstName, lastName } = splitName(senderName, senderAddress);

  const dateText = rawHeader(outer, 'date');
  const date = dateText === undefined ? undefined : new Date(dateText);
  let dateProblem: EmailReport['dateProblem'];
  if (dateText === undefined) dateProblem = 'missing';
  else if (!date || Number.isNaN(date.getTime())) dateProblem = 'invalid';
  else if (date.getTime() > now.getTime()) dateProblem = 'future';

  let subject = (inner.subject ?? '').replace(/\s+/g, ' ').trim();
  if (pec && inner === outer) subject = subject.replace(/^POSTA CERTIFICATA:\s*/i, '');
  const description = fitted((inner.text ?? '').replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim(), TEXT_LIMITS.description);

  return {
    channel: pec ? 'pec' : 'email',
    sha256: createHash('sha256').update(content).digest('hex'),
    size: content.length,
    messageId: outer.messageId?.slice(0, 500) ?? null,
    senderAddress,
    firstName,
    lastName,
    receivedAt: dateProblem ? undefined : date,
    dateProblem,
    subject: subject ? fitted(subject, TEXT_LIMITS.subject) : undefined,
    description,
  };
}

/** The header as written (mailparser replaces an unreadable Date with the present moment). */
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((header) => header.key === name)?.line;
  if (line === undefined) return undefined;
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

function isPecEnvelope(mail: ParsedMail): boolean {
  const transport = String(mail.headers.get('x-trasporto') ?? '').trim().toLowerCase();
  return transport === 'posta-certificata' || mail.attachments.some((attachment) => attachment.filename === 'daticert.xml');
}

/** Too long for its field: cut at a word, with a mark (the whole message is kept with the report). */
function fitted(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const mark = ' […]';
  const cut = text.slice(0, limit - mark.length);
  const space = cut.lastIndexOf(' ');
  return `${space > limit / 2 ? cut.slice(0, space) : cut}${mark}`;
}

// Italian surnames often start with a particle: "Maria De Luca", "Anna Di Stefano", "Luca Dal Monte".
const PARTICLES = new Set(['de', 'di', 'da', 'del', 'della', 'dello', 'dei', 'degli', 'delle', 'dal', 'dalla', 'dall', "dall'", 'lo', 'la', 'li', 'le', "d'", 'van', 'von', 'mc']);

/**
 * First and last name from a display name ("Mario Rossi", "Maria De Luca",
 * "ROSSI, Mario"). None when the display name is missing or is the address.
 */
export function splitName(display: string, address: string | null): { firstName: string | undefined; lastName: string | undefined } {
  const name = display.replace(/["']/g, (quote) => (quote === "'" ? quote : '')).replace(/\s+/g, ' ').trim();
  if (!name || name.includes('@') || (address && name.toLowerCase() === address)) return { firstName: undefined, lastName: undefined };
  const comma = /^([^,]+),\s*(.+)$/.exec(name);
  if (comma) return { firstName: comma[2]!.trim(), lastName: comma[1]!.trim() };
  const words = name.split(' ');
  if (words.length < 2) return { firstName: undefined, lastName: undefined };
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has(words[start - 1]!.toLowerCase())) start--;
  return { firstName: words.slice(0, start).join(' '), lastName: words.slice(start).join(' ') };
}
