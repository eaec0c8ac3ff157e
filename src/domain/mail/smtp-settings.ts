import { readFileSync, statSync } from 'node:fs';
import { normaliseEmail } from '../contacts.js';
import { InputError } from '../errors.js';

/**
 * Where mail goes out (issue 14): an SMTP server given as a URL, the sender
 * address, and the credentials, which never come from the database.
 */
export interface SmtpServer {
  /** The URL as stored (normalised). */
  readonly text: string;
  readonly host: string;
  readonly port: number;
  /** smtps: TLS from the first byte. */
  readonly secure: boolean;
  /** smtp: STARTTLS is required unless the URL says `?starttls=off`. */
  readonly requireStartTls: boolean;
  /** Seconds to wait for a connection, a greeting or an answer. */
  readonly timeoutSeconds: number;
}

const DEFAULT_TIMEOUT_SECONDS = 30;

/**
 * `smtp://host:port` (STARTTLS required), `smtps://host:port` (TLS at once),
 * `smtp://host:25?starttls=off` (a relay on the same machine, no TLS) and
 * `?timeout=SECONDS`. A user or password in the URL is refused: credentials
 * would then sit in the database and in `config list`.
 */
export function parseSmtpUrl(text: string, key: string): SmtpServer {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InputError('mail.smtpUrlExpected', { key }, 'value');
  }
  if (url.username || url.password) throw new InputError('mail.smtpUrlCredentials', { key }, 'value');
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new InputError('mail.smtpUrlExpected', { key }, 'value');
  if (!url.hostname || (url.pathname && url.pathname !== '/') || url.hash) throw new InputError('mail.smtpUrlExpected', { key }, 'value');
  const secure = url.protocol === 'smtps:';
  let requireStartTls = !secure;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  for (const [name, value] of url.searchParams) {
    if (name === 'starttls' && !secure && (value === 'off' || value === 'required')) requireStartTls = value === 'required';
    else if (name === 'timeout' && /^\d{1,3}$/.test(value) && Number(value) >= 1 && Number(value) <= 600) timeoutSeconds = Number(value);
    else throw new InputError('mail.smtpUrlParameter', { key, name: name.slice(0, 20) }, 'value');
  }
  // Submission ports: 587 with STARTTLS, 465 with TLS (RFC 8314).
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const query = [...(requireStartTls || secure ? [] : ['starttls=off']), ...(timeoutSeconds !== DEFAULT_TIMEOUT_SECONDS ? [`timeout=${timeoutSeconds}`] : [])];
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return {
    text: `${url.protocol}//${url.hostname}:${port}${query.length ? `?${query.join('&')}` : ''}`,
    host,
    port,
    secure,
    requireStartTls,
    timeoutSeconds,
  };
}

export interface MailAddress {
  readonly text: string;
  readonly name: string | null;
  readonly address: string;
}

/** `urp@comune.example` or `URP Comune di Valdoria <urp@comune.example>`. */
export function parseMailFrom(text: string, key: string): MailAddress {
  const trimmed = text.trim();
  const match = /^(?:"?([^"<>]*?)"?\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(trimmed);
  const address = match ? normaliseEmail(match[2] ?? match[3] ?? '') : undefined;
  const name = match?.[1]?.trim() || null;
  if (!address || (name !== null && (name.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(name)))) {
    throw new InputError('mail.fromExpected', { key }, 'value');
  }
  return { text: name ? `${name} <${address}>` : address, name, address };
}

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/**
 * The credentials for one server, from the environment only:
 * `URP_SMTP_USER` with `URP_SMTP_PASSWORD` or `URP_SMTP_PASSWORD_FILE` (a
 * file readable by its owner only), and the same with `URP_PEC_`. None: the
 * server is used without authentication. Never printed, never stored.
 */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv, prefix: 'URP_SMTP' | 'URP_PEC'): Credentials | undefined {
  const user = env[`${prefix}_USER`]?.trim();
  const direct = env[`${prefix}_PASSWORD`];
  const file = env[`${prefix}_PASSWORD_FILE`]?.trim();
  if (!user && direct === undefined && !file) return undefined;
  if (!user) throw new InputError('mail.userMissing', { variable: `${prefix}_USER` });
  if (direct !== undefined && file) throw new InputError('mail.passwordTwice', { variable: `${prefix}_PASSWORD` });
  if (direct !== undefined) return { user, password: direct };
  if (!file) throw new InputError('mail.passwordMissing', { variable: `${prefix}_PASSWORD` });
  return { user, password: passwordFromFile(file, `${prefix}_PASSWORD_FILE`) };
}

function passwordFromFile(path: string, variable: string): string {
  let mode: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new InputError('mail.passwordFileUnreadable', { variable });
    mode = stat.mode;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('mail.passwordFileUnreadable', { variable });
  }
  // A password others can read is no longer a secret: refuse it rather than use it.
  if ((mode & 0o077) !== 0) throw new InputError('mail.passwordFileOpen', { variable, mode: (mode & 0o777).toString(8) });
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    throw new InputError('mail.passwordFileUnreadable', { variable });
  }
  const password = content.replace(/\r?\n$/, '');
  if (!password) throw new InputError('mail.passwordMissing', { variable });
  return password;
}
