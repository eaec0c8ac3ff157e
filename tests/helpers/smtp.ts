import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server in the test process (smtp-server on 127.0.0.1, a free
 * port), with STARTTLS on a self-signed certificate made for the test and
 * authentication, recording what it receives. What it answers can be
 * scripted per message (a 451 once, a 550, a delay, a hook run when a
 * message has arrived in full).
 */
export interface Certificate {
  readonly key: Buffer;
  readonly cert: Buffer;
  /** The certificate's file, for NODE_EXTRA_CA_CERTS. */
  readonly certPath: string;
}

/** A self-signed certificate for localhost and 127.0.0.1, made with openssl (node has no certificate generator). */
export function makeCertificate(dir: string): Certificate {
  const keyPath = join(dir, 'smtp-key.pem');
  const certPath = join(dir, 'smtp-cert.pem');
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyPath, '-out', certPath,
    ], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`the mail tests need openssl to make a test certificate (apt-get install openssl): ${(error as Error).message}`);
  }
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}

export interface ReceivedMessage {
  readonly raw: string;
  readonly parsed: ParsedMail;
  readonly from: string;
  readonly to: string[];
  readonly user: string | undefined;
}

/** What the server does at one step: accept, or refuse with a code and text. */
export type Answer = 'accept' | { code: number; text: string };

export interface SmtpOptions {
  readonly certificate: Certificate;
  readonly users?: Record<string, string>;
  /** No STARTTLS at all (a server urp must refuse to use). */
  readonly noStartTls?: boolean;
  /** Accept mail without authentication (a relay on the same machine). */
  readonly authOptional?: boolean;
}

export interface TestSmtpServer {
  readonly port: number;
  readonly received: ReceivedMessage[];
  /** Answer to each RCPT TO, in turn (then accept). */
  readonly recipientAnswers: Answer[];
  /** Milliseconds to wait before accepting a message's data. */
  dataDelayMs: number;
  /** Called once a message has arrived in full, before it is accepted. */
  onMessage: ((message: ReceivedMessage) => void | Promise<void>) | undefined;
  /** Resolves when `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function refusal(answer: Exclude<Answer, 'accept'>): Error {
  return Object.assign(new Error(answer.text), { responseCode: answer.code });
}

export async function startSmtpServer(options: SmtpOptions): Promise<TestSmtpServer> {
  const users = options.users ?? { urp: 'segreta' };
  const state: TestSmtpServer = {
    port: 0,
    received: [],
    recipientAnswers: [],
    dataDelayMs: 0,
    onMessage: undefined,
    waitFor: async (count, timeoutMs = 20_000) => {
      const started = Date.now();
      while (state.received.length < count) {
        if (Date.now() - started > timeoutMs) throw new Error(`the test SMTP server got ${state.received.length} messages, not ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: async () => undefined,
  };
  const server = new SMTPServer({
    key: options.certificate.key,
    cert: options.certificate.cert,
    disabledCommands: options.noStartTls ? ['STARTTLS'] : [],
    authOptional: options.authOptional === true,
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH only inside TLS (smtp-server's default): a message that arrives proves STARTTLS happened.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username && users[auth.username] !== undefined && users[auth.username] === auth.password) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const answer = state.recipientAnswers.shift() ?? 'accept';
      if (answer === 'accept') return callback();
      return callback(refusal(answer));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const message: ReceivedMessage = {
          raw,
          parsed: await simpleParser(raw),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          user: session.user as string | undefined,
        };
        state.received.push(message);
        await state.onMessage?.(message);
        setTimeout(() => callback(), state.dataDelayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (state as { port: number }).port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

/** A TCP server that accepts connections and never says a word (for timeouts). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (the server is down). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
