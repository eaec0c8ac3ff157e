import { readLimited } from '../read-limited.js';
import type { Kysely } from 'kysely';
import { type CitizenInput, citizenByAddress } from '../../domain/citizens.js';
import { normaliseEmail } from '../../domain/contacts.js';
import { InputError } from '../../domain/errors.js';
import { EML_LIMIT_BYTES, type EmailReport, parseEmailReport } from '../../domain/mail/inbound.js';
import type { InboundMessage } from '../../domain/mail/registration-mail.js';
import { keptMessages } from '../../storage/message-files.js';
import type { Database } from '../../storage/schema.js';
import type { CliContext } from '../context.js';
import type { ReportDraft } from '../prompts/report-new-prompts.js';

/**
 * `urp report new --from-eml FILE|-` (issue 14): the draft a message gives.
 * Flags win over the message; what neither gives is asked on a terminal, or
 * refused naming its flag.
 */
export interface EmlDraft {
  readonly message: EmailReport;
  readonly content: Buffer;
  /** The citizen's fields from the sender, completed by flags. */
  readonly citizen: CitizenInput;
  /** An already registered citizen found by the sender's address. */
  readonly knownCitizen: number | undefined;
}

async function readMessage(context: CliContext, source: string): Promise<Buffer> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of context.streams.stdin) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buffer.length;
      if (size > EML_LIMIT_BYTES) throw new InputError('eml.tooLarge', { limit: EML_LIMIT_BYTES / 1024 / 1024 }, 'fromEml');
      chunks.push(buffer);
    }
    return Buffer.concat(chunks);
  }
  let content: Buffer | undefined;
  try {
    content = readLimited(source, EML_LIMIT_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'EISDIR' ? 'import.isFolder' : 'import.cannotRead', { path: source }, 'fromEml');
  }
  if (content === undefined) throw new InputError('eml.tooLarge', { limit: EML_LIMIT_BYTES / 1024 / 1024 }, 'fromEml');
  return content;
}

export async function draftFromEml(
  context: CliContext,
  db: Kysely<Database>,
  source: string,
  draft: ReportDraft,
  flags: CitizenInput & { channel?: string | undefined },
): Promise<EmlDraft> {
  const content = await readMessage(context, source);
  const message = await parseEmailReport(content, context.clock());
  if (flags.channel !== undefined) throw new InputError('eml.channelFromMessage', { channel: message.channel }, 'channel');
  draft.fields.channel = message.channel;
  draft.fields.subject ??= message.subject;
  draft.fields.description ??= message.description;
  if (draft.fields.receivedAt === undefined) {
    if (message.receivedAt) draft.fields.receivedAt = message.receivedAt.toISOString();
    else if (!context.interactive) throw new InputError(`eml.date.${message.dateProblem!}`, {}, 'receivedAt');
    else context.output.warn(context.t(`eml.date.${message.dateProblem!}`));
  }
  const sender = message.senderAddress ?? undefined;
  const citizen: CitizenInput = {
    firstName: flags.firstName ?? message.firstName,
    lastName: flags.lastName ?? message.lastName,
    taxCode: flags.taxCode,
    phone: flags.phone,
    address: flags.address,
    email: flags.email ?? (message.channel === 'email' ? sender : undefined),
    pec: flags.pec ?? (message.channel === 'pec' ? sender : undefined),
  };
  let knownCitizen: number | undefined;
  if (draft.citizen === undefined && (citizen.firstName === undefined || citizen.lastName === undefined) && sender) {
    // Someone who wrote before is found by the address alone (the existing matching), names or not.
    const address = normaliseEmail(sender);
    const found = address && (await citizenByAddress(db, message.channel === 'pec' ? 'pec' : 'email', address));
    knownCitizen = found ? found.id : undefined;
  }
  return { message, content, citizen, knownCitizen };
}

/** Keeps the message beside the database, or in it on PostgreSQL (before the registering transaction); `discard` undoes it if that fails. */
export async function keepMessage(db: Kysely<Database>, eml: EmlDraft): Promise<{ inbound: InboundMessage; path: string; discard(): Promise<void> }> {
  const kept = await keptMessages(db);
  if (!kept) throw new InputError('eml.noFolder', {}, 'fromEml');
  const before = await db.selectFrom('inbound_messages').select('id').where('sha256', '=', eml.message.sha256).executeTakeFirst();
  const fileName = await kept.keep(eml.message.sha256, eml.content);
  return {
    inbound: { sha256: eml.message.sha256, size: eml.message.size, messageId: eml.message.messageId, fileName },
    path: kept.where(fileName),
    // The same message may belong to an earlier report: removed only if this attempt kept it.
    discard: async () => {
      if (!before) await kept.remove(fileName);
    },
  };
}
