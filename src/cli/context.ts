import { userInfo } from 'node:os';
import type { Writable } from 'node:stream';
import type { Actor } from '../domain/actor.js';
import { InputError } from '../domain/errors.js';
import { type Identity, resolveIdentity } from '../domain/operators.js';
import type { Settings } from '../domain/settings.js';
import { type Language, type Role, roles as roleVocabulary } from '../domain/vocabulary.js';
import { type MessageKey, type MessageParams, translate } from '../i18n/messages.js';
import { type Store, maskLocation, openStore, resolveDatabasePath } from '../storage/database.js';
import { ensureGuards } from '../storage/guards.js';
import { finishPendingPurge } from '../storage/purge.js';
import { onWaitForLongWrite } from '../storage/transactions.js';
import { StorageError } from '../storage/storage-error.js';
import { type CommandAccess, commandAccess } from './command-access.js';
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
  /** false with --no-pager */
  readonly pager?: boolean | undefined;
}

export interface Streams {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
}

/**
 * The operator a person asks to act as: --operator, else URP_OPERATOR
 * (undefined: themselves). Only an admin may name someone else.
 */
export function requestedOperator(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  // Given but empty is a mistake (an unset variable in a script), not a request for oneself.
  if (flag !== undefined && !flag.trim()) throw new InputError('field.required', {}, 'operator');
  return (flag ?? env.URP_OPERATOR)?.trim() || undefined;
}

/**
 * The operating-system account running urp: who is acting (issue 10). Taken
 * from the system, never from the environment ($USER can be set to anything).
 */
export function osAccount(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid without a name (containers): the number is still who it is.
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

/**
 * Who is acting on a register (issue 13): the operating-system account on
 * SQLite, the database login (`current_user`) on PostgreSQL, where each
 * clerk connects with their own.
 */
export function accountOf(store: Store): string {
  return store.engine === 'postgres' ? store.login : osAccount();
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
  /** The register's file, or its server's URL as given (a password included: never shown). */
  readonly databasePath: string;
  /** The same, as it may be shown (any password masked). */
  readonly shownLocation: string;
  /** The command being run (`report assign`), and who may run it. */
  readonly access: CommandAccess;
  private readonly requested: string | undefined;
  private opened: Promise<Store> | undefined;
  private identity: Identity | undefined;
  private loadedSettings: Settings | undefined;

  constructor(
    readonly globals: GlobalOptions,
    readonly streams: Streams,
    readonly env: NodeJS.ProcessEnv,
    /** The clock; tests replace it. */
    readonly clock: () => Date = () => new Date(),
    readonly command = 'menu',
    /** Chosen by the entry point, which read the register's setting first (src/cli/language.ts). */
    language?: Language,
  ) {
    this.language = language ?? resolveLanguage(globals.lang, env);
    this.output = new Output({
      stdout: streams.stdout,
      stderr: streams.stderr,
      env,
      color: globals.color !== false,
      quiet: globals.quiet === true,
      pager: globals.pager !== false,
    });
    this.interactive = globals.input !== false && streams.stdout.isTTY === true && streams.stdin.isTTY === true;
    this.requested = requestedOperator(globals.operator, env);
    this.databasePath = resolveDatabasePath(globals.db, env);
    this.shownLocation = maskLocation(this.databasePath);
    const access = commandAccess(command);
    if (!access) throw new Error(`no access rule for the command "${command}" (src/cli/command-access.ts)`);
    this.access = access;
  }

  t(key: MessageKey, params?: MessageParams): string {
    return translate(this.language, key, params);
  }

  /**
   * The register, opened as the command's access rule says (only `init`
   * creates one: a mistyped --db must not start a second register, nor give
   * a cron job an empty one and "nothing late"), with the acting operator
   * resolved and allowed to run the command.
   */
  store(options: { shareWithGroup?: number } = {}): Promise<Store> {
    this.opened ??= this.open(options.shareWithGroup);
    return this.opened;
  }

  private async open(shareWithGroup: number | undefined): Promise<Store> {
    const store = await openStore(this.databasePath, {
      create: this.access.store === 'create',
      readOnlyFallback: this.access.store === 'read',
      shareWithGroup,
    });
    // A write that waits on behind an import (storage/long-write.ts) says so, once: the clerk sees why it takes time.
    onWaitForLongWrite(() => this.output.info(`urp: ${this.t('storage.waitingForLongWrite')}`));
    try {
      // Written only through its guards: a register that lost them is not written to.
      if (this.access.store !== 'read') await ensureGuards(store.db);
      this.identity = await resolveIdentity(store.db, accountOf(store), this.requested);
      // The last step of an earlier erasure that another process's read (or another login) prevented.
      await finishPendingPurge(store);
      this.admit(this.identity);
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** Refuses (exit 2) an account or a role that the command's rule does not admit. */
  private admit(identity: Identity): void {
    const { roles } = this.access;
    if (identity.kind === 'open') {
      // Said once per command, so that nobody mistakes an open register for a guarded one.
      this.output.warn(`urp: ${this.t('identity.openAccess', { account: identity.account })}`);
      return;
    }
    if (roles === 'anyone') return;
    if (identity.kind === 'unknown') {
      throw new InputError(identity.disabled ? 'identity.disabledAccount' : 'identity.unknownAccount', { account: identity.account });
    }
    if (!roles.includes(identity.role)) this.refuseRole(identity.role, roles);
  }

  /** The command (or this use of it) is not for the acting operator's role. */
  refuseRole(role: Role, allowed: readonly Role[], command = this.command): never {
    throw new InputError('identity.roleRefused', {
      command: `urp ${command}`,
      operator: this.operator,
      role: roleVocabulary.label(role, this.language),
      roles: allowed.map((each) => roleVocabulary.label(each, this.language)).join(', '),
    });
  }

  /** The account (OS account, or database login) the register sees acting: resolved when it is opened. */
  get account(): string {
    return this.identity?.account ?? osAccount();
  }

  /** Who is acting: resolved when the register is opened. */
  get operator(): string {
    if (!this.identity || this.identity.kind === 'unknown') return this.identity?.account ?? osAccount();
    return this.identity.operator;
  }

  /** Who the register sees: the account, and the operator acting (null for an account that is none). */
  whoAmI(): { account: string; operator: string | null; role: Role | null; openAccess: boolean } {
    const identity = this.identity;
    if (!identity || identity.kind === 'unknown') return { account: identity?.account ?? osAccount(), operator: null, role: null, openAccess: false };
    return { account: identity.account, operator: identity.operator, role: identity.kind === 'operator' ? identity.role : null, openAccess: identity.kind === 'open' };
  }

  /** The acting operator's role (undefined in open access), once the register is open. */
  get role(): Role | undefined {
    return this.identity?.kind === 'operator' ? this.identity.role : undefined;
  }

  /** The areas an area operator is confined to (undefined: every area). */
  get areaScope(): readonly number[] | undefined {
    return this.identity?.kind === 'operator' && this.identity.role === 'area' && this.access.areaScoped ? this.identity.areaIds : undefined;
  }

  /**
   * Before a read of personal data in bulk: it must be recorded in the audit
   * log, so a register that cannot be written refuses it before anything is shown.
   */
  async auditedRead(): Promise<Store> {
    const store = await this.store();
    if (store.readOnly) throw new StorageError('readOnlyAudit', { path: store.path });
    // The record of the read is written: not into a register that lost its guards.
    await ensureGuards(store.db);
    return store;
  }

  /**
   * Refuses unless the acting operator has one of these roles (open access
   * has every role). Opens the register first: until then nobody is known,
   * and the check would let everyone through.
   */
  async requireRole(allowed: readonly Role[], command: string): Promise<void> {
    await this.store();
    const role = this.role;
    if (role !== undefined && !allowed.includes(role)) this.refuseRole(role, allowed, command);
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
    const identity = this.identity;
    if (!identity || identity.kind === 'unknown') throw new Error('actor() before the register was opened');
    return {
      operator: identity.operator,
      enteredBy: identity.enteredBy,
      now: this.clock(),
      source,
      access: identity.kind === 'open' ? { open: true } : { open: false, role: identity.role, areaIds: identity.areaIds },
    };
  }

  async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}
