import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Writable } from 'node:stream';
import type { Actor } from '../domain/actor.js';
import { InputError } from '../domain/errors.js';
import type { Settings } from '../domain/settings.js';
import type { Language } from '../domain/vocabulary.js';
import { type MessageKey, type MessageParams, translate } from '../i18n/messages.js';
import { type Store, openStore, resolveDatabasePath } from '../storage/database.js';
import { resolveLanguage } from './language.js';
import { Output } from './output.js';

export { resolveLanguage };

/** The global options of SPEC section 5, as commander parses them. */
export interface GlobalOptions {
  readonly db?: string | undefined;
  readonly operator?: string | undefined;
  readonly lang?: string | undefined;
  /** false with --no-input */
  readonly input?: boolean | undefined;
  /** false with --no-color */
  readonly color?: boolean | undefined;
  readonly quiet?: boolean | undefined;
  readonly debug?: boolean | undefined;
}

export interface Streams {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
}

/** --operator, else URP_OPERATOR, else the OS user. */
export function resolveOperator(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  // Given but empty is a mistake (an unset variable in a script), not a request for the OS user.
  if (flag !== undefined && !flag.trim()) throw new InputError('field.required', {}, 'operator');
  const name = flag ?? env.URP_OPERATOR;
  if (name?.trim()) return name.trim();
  try {
    return userInfo().username;
  } catch {
    return env.USER || 'unknown';
  }
}

/**
 * What every command needs: the language, the output, whether it may prompt,
 * and (opened on first use) the database and its settings.
 */
export class CliContext {
  readonly language: Language;
  readonly output: Output;
  /** Prompts allowed: stdin and stdout are terminals and --no-input is absent. */
  readonly interactive: boolean;
  readonly operator: string;
  readonly databasePath: string;
  private opened: Promise<Store> | undefined;
  private loadedSettings: Settings | undefined;

  constructor(
    readonly globals: GlobalOptions,
    readonly streams: Streams,
    readonly env: NodeJS.ProcessEnv,
    /** The clock; tests replace it. */
    readonly clock: () => Date = () => new Date(),
  ) {
    if (globals.lang !== undefined && !/^(it|en)$/i.test(globals.lang)) {
      throw new InputError('field.invalid', {}, 'lang');
    }
    this.language = resolveLanguage(globals.lang, env);
    this.output = new Output({
      stdout: streams.stdout,
      stderr: streams.stderr,
      env,
      color: globals.color !== false,
      quiet: globals.quiet === true,
    });
    this.interactive = globals.input !== false && streams.stdin.isTTY === true && streams.stdout.isTTY === true;
    this.operator = resolveOperator(globals.operator, env);
    this.databasePath = resolveDatabasePath(globals.db, env);
  }

  t(key: MessageKey, params?: MessageParams): string {
    return translate(this.language, key, params);
  }

  /**
   * The database, created and migrated on first use. Commands that only read
   * the register pass `mustExist`: a mistyped --db must not give a cron job an
   * empty register and "nothing late".
   */
  store({ mustExist = false }: { mustExist?: boolean } = {}): Promise<Store> {
    if (mustExist && !this.opened && this.databasePath !== ':memory:' && !existsSync(this.databasePath)) {
      return Promise.reject(new InputError('db.missing', { path: this.databasePath }, 'db'));
    }
    this.opened ??= openStore(this.databasePath).catch((error: unknown) => {
      throw openingError(error, this.databasePath);
    });
    return this.opened;
  }

  async settings(): Promise<Settings> {
    if (!this.loadedSettings) {
      const { loadSettings } = await import('../domain/settings.js');
      this.loadedSettings = await loadSettings((await this.store()).db);
      if (process.env.TZ !== this.loadedSettings.timeZone && this.env === process.env) process.env.TZ = this.loadedSettings.timeZone;
    }
    return this.loadedSettings;
  }

  actor(source: Actor['source'] = 'cli'): Actor {
    return { operator: this.operator, now: this.clock(), source };
  }

  async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}

/**
 * A database path that cannot be opened is the user's input, not a bug:
 * a folder, a file of another kind, a folder that cannot be created.
 */
function openingError(error: unknown, path: string): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'SQLITE_NOTADB') return new InputError('db.notADatabase', { path }, 'db');
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'EROFS') {
    return new InputError('db.cannotOpen', { path }, 'db');
  }
  return error;
}
