import { type Command, CommanderError } from 'commander';
import { CancelledError, InputError, ValidationErrors } from '../domain/errors.js';
import type { CliContext, GlobalOptions, Streams } from './context.js';
import { resolveLanguage } from './language.js';
import { buildProgram } from './program.js';

/**
 * The entry point: parses argv, runs the command, and turns every outcome
 * into an exit code, in this one place (SPEC section 5):
 * 0 done, 1 unexpected failure, 2 input refused, 3 something to report
 * (late reports, rejected rows), 130 cancelled.
 */
export async function main(argvGiven: readonly string[], streams: Streams, env: NodeJS.ProcessEnv): Promise<number> {
  let argv = argvGiven;
  const language = resolveLanguage(languageFlag(argv), env);
  let exitCode = 0;
  let context: CliContext | undefined;
  let debug = argv.includes('--debug');

  const program = buildProgram({
    language,
    group: commandWord(argv.length === 0 ? ['menu'] : argv),
    writeOut: (text) => streams.stdout.write(text),
    writeErr: (text) => streams.stderr.write(text),
    async execute(load, command, args) {
      const globals = command.optsWithGlobals() as GlobalOptions;
      debug = globals.debug === true;
      // Loaded here, not at start-up: --version and --help never open a database.
      const [{ CliContext }, module] = await Promise.all([import('./context.js'), load()]);
      context = new CliContext(globals, streams, env, undefined, commandPath(command));
      exitCode = (await module.run(context, { args, options: command.opts() })) ?? 0;
    },
  });

  try {
    if (argv.length === 0) {
      // `urp` alone: the clerk's menu on a terminal, the help otherwise.
      if (!(streams.stdin.isTTY && streams.stdout.isTTY)) {
        program.outputHelp();
        return 0;
      }
      argv = ['menu'];
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Help, version and commander's own usage errors: commander has printed them already.
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    // The messages are loaded only when there is something to say.
    const [{ translate }, { describeInputError, describeStorageError }] = await Promise.all([import('../i18n/messages.js'), import('./error-messages.js')]);
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
  const index = argv.indexOf('--lang');
  if (index >= 0) return argv[index + 1];
  return argv.find((argument) => argument.startsWith('--lang='))?.slice('--lang='.length);
}

/** Prints an error for a person and returns its exit code. */
interface Messages {
  readonly translate: typeof import('../i18n/messages.js').translate;
  readonly describeInputError: typeof import('./error-messages.js').describeInputError;
  readonly describeStorageError: typeof import('./error-messages.js').describeStorageError;
}

function report(error: unknown, messages: Messages, language: 'it' | 'en', streams: Streams, debug: boolean, databasePath: string | undefined): number {
  const { translate, describeInputError, describeStorageError } = messages;
  const write = (text: string) => streams.stderr.write(`${text}\n`);
  const prefix = `urp: ${translate(language, 'error.prefix')}:`;
  if (error instanceof CancelledError) {
    write(translate(language, 'prompt.cancelled'));
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
