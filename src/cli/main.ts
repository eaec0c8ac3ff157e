import { existsSync } from 'node:fs';
import { type Command, CommanderError } from 'commander';
import { CancelledError, InputError, ValidationErrors } from '../domain/errors.js';
import type { CliContext, GlobalOptions, Streams } from './context.js';
import { SOURCE_LANGUAGE, type Language } from '../i18n/language.js';
import { loadLanguage, translate } from '../i18n/messages.js';
import { chooseLanguage } from './language.js';
import { HELP_COMMANDS, helpTopic } from './help-topics.js';
import { escapeUnsafeLines } from '../text/control-characters.js';
import { buildProgram } from './program.js';

/**
 * The entry point: parses argv, runs the command, and turns every outcome
 * into an exit code, in this one place (SPEC section 5):
 * 0 done, 1 unexpected failure, 2 input refused, 3 something to report
 * (late reports, rejected rows), 130 cancelled.
 */
export async function main(argvGiven: readonly string[], streams: Streams, env: NodeJS.ProcessEnv): Promise<number> {
  let argv = argvGiven;
  const chosen = chooseLanguage({ flag: languageFlag(argv), env, register: languageFlag(argv) ?? env.URP_LANG ? undefined : await registerLanguage(argv, env) });
  let language: Language = chosen.language;
  if (!(await loadLanguage(language))) {
    // Asked for by name (--lang, URP_LANG): a mistake to say. Only inherited (a locale, the register): English.
    if (chosen.requested) {
      streams.stderr.write(`urp: ${translate(SOURCE_LANGUAGE, 'error.prefix')}: ${escapeUnsafeLines(translate(SOURCE_LANGUAGE, 'language.unknown', { value: language }))}\n`);
      return 2;
    }
    language = SOURCE_LANGUAGE;
  }
  // `urp help report new` (`urp guida report new`) is the help of `urp report new`; `urp help scadenze` a topic.
  const asked = commandWord(argv);
  let asHelp: readonly string[] | undefined;
  if (asked !== undefined && HELP_COMMANDS.includes(asked)) {
    const rest = argv.slice(argv.indexOf(asked) + 1);
    if (rest[0] !== undefined && !rest[0].startsWith('-') && !helpTopic(rest[0])) asHelp = [...argv.slice(0, argv.indexOf(asked)), ...rest, '--help'];
  }
  let exitCode = 0;
  let context: CliContext | undefined;
  let debug = argv.includes('--debug');

  const define = (words: readonly string[]) =>
    buildProgram({
      language,
      // Completion is written from every command's definition.
      group: commandWord(words) === 'completion' ? '*' : (commandWord(words) ?? 'menu'),
      writeOut: (text) => streams.stdout.write(text),
      // Commander quotes what was typed (an unknown option): control characters shown, not obeyed.
      writeErr: (text) => streams.stderr.write(escapeUnsafeLines(text)),
      async execute(load, command, args) {
        const globals = command.optsWithGlobals() as GlobalOptions;
        debug = globals.debug === true;
        // Loaded here, not at start-up: --version and --help never open a database.
        const [{ CliContext }, module] = await Promise.all([import('./context.js'), load()]);
        context = new CliContext(globals, streams, env, undefined, commandPath(command), language);
        exitCode = (await module.run(context, { args, options: command.opts(), command })) ?? 0;
      },
    });
  let program = define(asHelp ?? argv);
  if (asHelp) {
    // The help of a command that exists; anything else is a topic, for the help command to name.
    if (program.commands.some((command) => command.name() === commandWord(asHelp!))) argv = asHelp;
    else program = define(argv);
  }

  try {
    if (commandWord(argv) === undefined && !argv.some((argument) => ['-h', '--help', '-V', '--version'].includes(argument))) {
      // `urp` alone (or with global options only, `urp --lang it`): the clerk's menu on a terminal, the help otherwise.
      if (!(streams.stdout.isTTY && streams.stdin.isTTY)) {
        program.outputHelp();
        return 0;
      }
      argv = [...argv, 'menu'];
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Help, version and commander's own usage errors: commander has printed them already.
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    const { describeInputError, describeStorageError } = await import('./error-messages.js');
    return report(error, { translate, describeInputError, describeStorageError }, language, streams, debug, context?.shownLocation);
  } finally {
    await context?.close().catch(() => undefined);
  }
}

/** `report assign` for `urp report assign ...`: the key of the command's access rule. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let each: Command | null = command; each?.parent; each = each.parent) names.unshift(each.name());
  return names.join(' ');
}

/** Global options that take a value: their value is not the command. (bin/urp's codeCacheCandidates knows them too.) */
const VALUED_OPTIONS = new Set(['--db', '--operator', '--lang']);

/** The first word that is not an option: the command (or command group) to define. */
function commandWord(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (VALUED_OPTIONS.has(argument)) index++;
    else if (!argument.startsWith('-')) return argument;
  }
  return undefined;
}

function languageFlag(argv: readonly string[]): string | undefined {
  return valueOf(argv, '--lang');
}

/** A global option's value as typed (`--db x` or `--db=x`), before commander has parsed anything. */
function valueOf(argv: readonly string[], option: string): string | undefined {
  const index = argv.indexOf(option);
  if (index >= 0) return argv[index + 1];
  return argv.find((argument) => argument.startsWith(`${option}=`))?.slice(option.length + 1);
}

/**
 * The register's `language` setting, read from its file (or its server)
 * before the command line is parsed (help and commander's errors are written
 * during the parse). Nothing when there is no register yet, or it cannot be
 * read now. Only the driver of the register's engine is loaded.
 */
async function registerLanguage(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { resolveDatabasePath } = await import('../storage/database-path.js');
  const { isServerLocation } = await import('../storage/location.js');
  const path = resolveDatabasePath(valueOf(argv, '--db'), env);
  let value: unknown;
  if (isServerLocation(path)) value = await (await import('../storage/postgres.js')).peekPostgresSetting(path, 'language');
  // No register yet (init, a first --help): not even the driver is loaded.
  else if (existsSync(path)) value = (await import('../storage/setting-peek.js')).peekSetting(path, 'language');
  return typeof value === 'string' ? value : undefined;
}

/** Prints an error for a person and returns its exit code. */
interface Messages {
  readonly translate: typeof import('../i18n/messages.js').translate;
  readonly describeInputError: typeof import('./error-messages.js').describeInputError;
  readonly describeStorageError: typeof import('./error-messages.js').describeStorageError;
}

function report(error: unknown, messages: Messages, language: Language, streams: Streams, debug: boolean, databasePath: string | undefined): number {
  const { translate, describeInputError, describeStorageError } = messages;
  // A message quotes what the user gave (a path, a value): control characters shown as escapes, never obeyed.
  const write = (text: string) => streams.stderr.write(`${escapeUnsafeLines(text)}\n`);
  const prefix = `urp: ${translate(language, 'error.prefix')}:`;
  if (error instanceof CancelledError) {
    write(translate(language, error.key, error.params));
    return 130;
  }
  if (error instanceof ValidationErrors) {
    for (const each of error.errors) write(`${prefix} ${describeInputError(each, language)}`);
    return 2;
  }
  if (error instanceof InputError) {
    write(`${prefix} ${describeInputError(error, language)}`);
    return 2;
  }
  // The disk, the file, another process: the environment, in words (exit 1), or a wrong path (exit 2).
  const storage = describeStorageError(error, language, databasePath);
  if (storage) {
    write(`${prefix} ${storage.message}`);
    if (debug && error instanceof Error && error.stack) write(error.stack);
    return storage.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`${prefix} ${translate(language, 'error.unexpected', { message: firstLine(message) })}`);
  if (debug && error instanceof Error && error.stack) write(error.stack);
  else write(translate(language, 'error.hint'));
  return 1;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
