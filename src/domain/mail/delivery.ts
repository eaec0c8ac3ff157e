import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database, OutboxRow } from '../../storage/schema.js';
import { writeTransaction } from '../../storage/transactions.js';
import type { Actor } from '../actor.js';
import { InputError } from '../errors.js';
import { authorize } from '../operators.js';
import { appendEvent } from '../report-events.js';
import type { Settings } from '../settings.js';
import { replyLetterAttachment } from './letter-hook.js';
import { MAIL_PERMISSIONS, type MailChannel } from './outbox.js';
import { type Credentials, type MailAddress, type SmtpServer, credentialsFromEnvironment, parseMailFrom, parseSmtpUrl } from './smtp-settings.js';

/**
 * `urp mail send` (issue 14): delivers what the outbox holds, one message at
 * a time, through the office's SMTP server (and its PEC provider's).
 *
 * - A message is claimed first ("sending", with a lease naming this process),
 *   so two senders at once (cron runs that overlap) never send it together.
 * - The server's acceptance is then recorded with the "message sent" event.
 *   A crash between the two leaves the claim behind; the next sender takes
 *   it over (at once when the process that held it is gone, else when the
 *   lease runs out) and sends it again, with the same Message-ID. The
 *   receiver may then see it twice: that is the price of never losing one.
 * - A temporary failure (4xx, connection refused, timeout) leaves it pending,
 *   with a later retry time that backs off; a permanent one (5xx) marks it
 *   failed with the server's reply.
 * - What is wrong with the setup (no server, credentials refused, no TLS
 *   where it is required, the sender address refused) stops that channel:
 *   its messages stay pending and the command exits 2.
 */
export interface DeliveryOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: () => Date;
  /** Certificates to trust besides the system's (tests; in production NODE_EXTRA_CA_CERTS does this). */
  readonly trustedCertificates?: string | Buffer | undefined;
  /** Asked between messages: stop after the current one (SIGTERM in --watch). */
  readonly stopping?: () => boolean;
}

export interface DeliveredMessage {
  readonly id: number;
  readonly kind: string;
  readonly report: string | null;
  readonly channel: MailChannel;
  readonly outcome: 'sent' | 'pending' | 'failed';
  readonly error?: string | undefined;
  readonly nextAttemptAt?: string | undefined;
}

export interface DeliveryResult {
  readonly messages: DeliveredMessage[];
  /** Per channel, what stopped it (an InputError to show). */
  readonly configurationErrors: InputError[];
}

/** Backoff after temporary failures: 1, 5, 15, 60 minutes, then every 4 hours. */
const BACKOFF_MINUTES = [1, 5, 15, 60, 240];

export function nextAttemptAfter(attempts: number, now: Date): Date {
  const minutes = BACKOFF_MINUTES[Math.min(Math.max(attempts, 1), BACKOFF_MINUTES.length) - 1]!;
  return new Date(now.getTime() + minutes * 60_000);
}

interface ChannelSetup {
  readonly server: SmtpServer;
  readonly from: MailAddress;
  readonly credentials: Credentials | undefined;
}

/** The setup of one channel, or the InputError that says what is missing or wrong. */
export function channelSetup(settings: Settings, env: NodeJS.ProcessEnv, channel: MailChannel): ChannelSetup {
  const [urlKey, fromKey, prefix] = channel === 'pec' ? (['pec-smtp', 'pec-from', 'URP_PEC'] as const) : (['mail-smtp', 'mail-from', 'URP_SMTP'] as const);
  const url = channel === 'pec' ? settings.pecSmtp : settings.mailSmtp;
  const from = channel === 'pec' ? settings.pecFrom : settings.mailFrom;
  if (!url) throw new InputError('mail.notConfigured', { key: urlKey });
  if (!from) throw new InputError('mail.notConfigured', { key: fromKey });
  return { server: parseSmtpUrl(url, urlKey), from: parseMailFrom(from, fromKey), credentials: credentialsFromEnvironment(env, prefix) };
}

const loadNodemailer = () => createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');

/** How long a claim holds: longer than any one delivery can take with the server's timeouts. */
function leaseMilliseconds(setup: ChannelSetup): number {
  return Math.max(5 * 60_000, setup.server.timeoutSeconds * 10_000);
}

/** `host:pid:token`: the claim of this process. */
function newOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Whether the process holding a claim is known to be gone (on this machine; elsewhere only the lease tells). */
function ownerIsGone(owner: string | null, me: string): boolean {
  if (!owner) return true;
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isSafeInteger(pid)) return false;
  // My own process id on another claim: a process before me that had the same id.
  if (pid === process.pid) return owner !== me;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Claims the next message due on one of `channels`: a pending one whose
 * retry time has come, or one whose sender crashed. The claim is one
 * conditional update, so that of two senders only one wins it.
 */
async function claimNext(db: Kysely<Database>, channels: readonly MailChannel[], owner: string, now: Date, leaseMs: (channel: MailChannel) => number): Promise<OutboxRow | undefined> {
  if (channels.length === 0) return undefined;
  return writeTransaction(db, async (trx) => {
    const at = now.toISOString();
    const due = await trx
      .selectFrom('outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('channel', 'in', channels)
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]))
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    let candidate = due;
    if (!candidate) {
      const claimed = await trx.selectFrom('outbox').selectAll().where('status', '=', 'sending').where('channel', 'in', channels).orderBy('id').execute();
      candidate = claimed.find((row) => (row.lease_until !== null && row.lease_until < at) || ownerIsGone(row.lease_owner, owner));
    }
    if (!candidate) return undefined;
    const result = await trx
      .updateTable('outbox')
      .set({
        status: 'sending',
        lease_owner: owner,
        lease_until: new Date(now.getTime() + leaseMs(candidate.channel as MailChannel)).toISOString(),
        attempts: candidate.attempts + 1,
        updated_at: at,
      })
      .where('id', '=', candidate.id)
      .where('status', '=', candidate.status)
      .where((eb) => (candidate.lease_owner === null ? eb('lease_owner', 'is', null) : eb('lease_owner', '=', candidate.lease_owner)))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    return { ...candidate, status: 'sending', lease_owner: owner, attempts: candidate.attempts + 1 };
  });
}

/** The server's words, fit for the record: one line, no control characters, short. */
function serverReply(error: SmtpError): string {
  const text = error.response ?? error.message ?? String(error);
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim().slice(0, 500);
}

interface SmtpError extends Error {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly command?: string;
}

type Verdict = { kind: 'temporary' } | { kind: 'permanent' } | { kind: 'configuration'; error: InputError };

/** What a failure means for the message and for the rest of the run. */
function judge(error: SmtpError, channel: MailChannel): Verdict {
  const key = channel === 'pec' ? 'pec-smtp' : 'mail-smtp';
  const code = error.responseCode;
  const command = (error.command ?? '').toUpperCase();
  const reply = serverReply(error);
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH') {
    if (code !== undefined && code >= 400 && code < 500) return { kind: 'temporary' };
    return { kind: 'configuration', error: new InputError('mail.credentialsRefused', { key, reply }) };
  }
  if (error.code === 'ETLS' || /certificate|self[- ]signed|SSL|TLS/i.test(error.message ?? '')) {
    return { kind: 'configuration', error: new InputError('mail.tlsFailed', { key, reply }) };
  }
  if (code !== undefined && code >= 500 && code < 600 && code !== 503) {
    // Refused before any recipient: the sender or the session, not this message.
    if (command.startsWith('MAIL') || command.startsWith('AUTH') || command.startsWith('EHLO') || command.startsWith('HELO')) {
      return { kind: 'configuration', error: new InputError('mail.senderRefused', { key, reply }) };
    }
    return { kind: 'permanent' };
  }
  return { kind: 'temporary' };
}

function transporterFor(setup: ChannelSetup, options: DeliveryOptions): Transporter {
  const { server, credentials } = setup;
  const timeout = server.timeoutSeconds * 1000;
  return loadNodemailer().createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    requireTLS: server.requireStartTls,
    ignoreTLS: !server.secure && !server.requireStartTls,
    ...(credentials && { auth: { user: credentials.user, pass: credentials.password } }),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    disableFileAccess: true,
    disableUrlAccess: true,
    tls: { servername: server.host, ...(options.trustedCertificates !== undefined && { ca: options.trustedCertificates }) },
  });
}

/** Sends every message due now; returns what became of each. */
export async function deliverPending(db: Kysely<Database>, actor: Actor, settings: Settings, options: DeliveryOptions): Promise<DeliveryResult> {
  await authorize(db, actor, MAIL_PERMISSIONS.send);
  const owner = newOwner();
  const setups = new Map<MailChannel, ChannelSetup>();
  const transporters = new Map<MailChannel, Transporter>();
  const configurationErrors: InputError[] = [];
  const stopped = new Set<MailChannel>();

  // A channel with messages waiting must be set up; one without is not looked at.
  for (const channel of ['email', 'pec'] as const) {
    const waiting = await db.selectFrom('outbox').select('id').where('channel', '=', channel).where('status', 'in', ['pending', 'sending']).limit(1).executeTakeFirst();
    if (!waiting) continue;
    try {
      setups.set(channel, channelSetup(settings, options.env, channel));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      configurationErrors.push(error);
      stopped.add(channel);
    }
  }

  const messages: DeliveredMessage[] = [];
  try {
    for (;;) {
      if (options.stopping?.()) break;
      const channels = [...setups.keys()].filter((channel) => !stopped.has(channel));
      const row = await claimNext(db, channels, owner, options.clock(), (channel) => leaseMilliseconds(setups.get(channel)!));
      if (!row) break;
      const channel = row.channel as MailChannel;
      const setup = setups.get(channel)!;
      let transporter = transporters.get(channel);
      if (!transporter) transporters.set(channel, (transporter = transporterFor(setup, options)));
      const base = { id: row.id, kind: row.kind, report: await reportNumber(db, row.report_id), channel };
      try {
        const attachments = row.kind === 'reply' && row.report_id !== null ? await replyLetterAttachment(db, row.report_id) : undefined;
        await transporter.sendMail({
          from: setup.from.name ? { name: setup.from.name, address: setup.from.address } : setup.from.address,
          to: row.to_name ? { name: row.to_name, address: row.to_address! } : row.to_address!,
          subject: row.subject,
          text: row.body,
          messageId: row.message_id,
          date: options.clock(),
          // Automatic messages: out-of-office replies and loops stay away (RFC 3834).
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
          ...(attachments && { attachments: [attachments] }),
        });
      } catch (error) {
        const verdict = judge(error as SmtpError, channel);
        const now = options.clock();
        if (verdict.kind === 'configuration') {
          // Not this message's fault: it goes back as it was, due again at once.
          await release(db, row, owner, { status: 'pending', next_attempt_at: null, attempts: row.attempts - 1, last_error: verdict.error.params.reply as string }, now);
          configurationErrors.push(verdict.error);
          stopped.add(channel);
          messages.push({ ...base, outcome: 'pending', error: String(verdict.error.params.reply) });
          continue;
        }
        const reply = serverReply(error as SmtpError);
        if (verdict.kind === 'permanent') {
          await release(db, row, owner, { status: 'failed', next_attempt_at: null, last_error: reply }, now);
          messages.push({ ...base, outcome: 'failed', error: reply });
        } else {
          const next = nextAttemptAfter(row.attempts, now).toISOString();
          await release(db, row, owner, { status: 'pending', next_attempt_at: next, last_error: reply }, now);
          messages.push({ ...base, outcome: 'pending', error: reply, nextAttemptAt: next });
        }
        continue;
      }
      await markSent(db, actor, row, owner, options.clock());
      messages.push({ ...base, outcome: 'sent' });
    }
  } finally {
    for (const transporter of transporters.values()) transporter.close();
  }
  return { messages, configurationErrors };
}

async function reportNumber(db: Kysely<Database>, reportId: number | null): Promise<string | null> {
  if (reportId === null) return null;
  return (await db.selectFrom('reports').select('number').where('id', '=', reportId).executeTakeFirst())?.number ?? null;
}

/** Gives a claimed message back with its new state; only while the claim is still ours. */
async function release(
  db: Kysely<Database>,
  row: OutboxRow,
  owner: string,
  changes: { status: 'pending' | 'failed'; next_attempt_at: string | null; last_error: string; attempts?: number },
  now: Date,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ ...changes, lease_owner: null, lease_until: null, updated_at: now.toISOString() })
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * The server accepted it: the row becomes "sent" and, in the same
 * transaction, the report's timeline says so. The event holds the outbox id,
 * who received it (citizen, area, urp), the channel and the Message-ID;
 * never the address or the text, which stay in the outbox (and go with an
 * erasure).
 */
async function markSent(db: Kysely<Database>, actor: Actor, row: OutboxRow, owner: string, now: Date): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const at = now.toISOString();
    const result = await trx
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: at, lease_owner: null, lease_until: null, last_error: null, next_attempt_at: null, updated_at: at })
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1 || row.report_id === null) return;
    const eventId = await appendEvent(trx, { ...actor, now }, {
      reportId: row.report_id,
      kind: 'message_sent',
      text: `outbox ${row.id}: ${row.kind} to ${row.recipient} by ${row.channel}, Message-ID ${row.message_id}`,
      occurredAt: now,
    });
    await trx.updateTable('outbox').set({ sent_event_id: eventId }).where('id', '=', row.id).execute();
  });
}
