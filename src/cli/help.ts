import { type Argument, Command, type Help, type Option } from 'commander';
import { echo } from '../domain/errors.js';
import type { Language } from '../i18n/language.js';
import { type MessageKey, type MessageParams, translate, translateOptional } from '../i18n/messages.js';

/**
 * commander in the user's language, through commander's own hooks: every
 * description, example and the hint after an error come from the catalogue
 * (keys named after the command: `help.cmd.report.new`, `help.opt.report.new.type`,
 * then `help.opt.type` shared by every command, `help.examples.report.new`);
 * the help's headings, placeholders and extra notes through configureHelp;
 * commander's own usage errors through the methods that word them, in a
 * Command subclass (createCommand, as commander documents for subclasses).
 */

export interface HelpRuntime {
  readonly language: Language;
  readonly writeOut: (text: string) => void;
  readonly writeErr: (text: string) => void;
}

/** The program's root command, its output and help set (commander copies both into each subcommand). */
export function localisedProgram(runtime: HelpRuntime): Command {
  const { language } = runtime;
  const say = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  return new LocalisedCommand('urp', language)
    .exitOverride()
    .configureOutput({
      writeOut: runtime.writeOut,
      writeErr: runtime.writeErr,
      // urp's errors read `urp: error: ...` (or `urp: errore: ...`), commander's too.
      outputError: (text, write) => write(`urp: ${say('error.prefix')}: ${text.trim()}\n`),
    })
    .configureHelp(helpConfiguration(language))
    // Set on the root before any subcommand exists: commander copies it into each.
    .helpOption('-h, --help', say('help.opt.help'));
}

/** The key of a command in the catalogue: `report.new`, or `urp` for the program itself. */
export function commandKey(command: Command): string {
  const names: string[] = [];
  for (let each: Command | null = command; each?.parent; each = each.parent) names.unshift(each.name());
  return names.length === 0 ? 'urp' : names.join('.');
}

/** `urp report new`: the command as typed. */
export function commandLine(command: Command): string {
  return ['urp', ...commandKey(command).split('.').filter((word) => word !== 'urp')].join(' ');
}

/** The description of an option of a command: its own text, else the text shared by every command with that option. */
export function optionText(language: Language, command: Command, option: Option): string | undefined {
  const name = option.long?.replace(/^--/, '') ?? option.attributeName();
  const key = commandKey(command);
  return (key === 'urp' ? undefined : translateOptional(language, `help.opt.${key}.${name}`)) ?? translateOptional(language, `help.opt.${name}`);
}

/** The examples of a command, in the user's language (lines of `# what` and `urp ...`). */
export function examplesOf(language: Language, command: Command): string | undefined {
  return translateOptional(language, `help.examples.${commandKey(command)}`);
}

/** Whether a command takes a date (its options name `<date>` or `<date-time>`): its help then lists the forms urp reads. */
export function takesDates(command: Command): boolean {
  return command.options.some((option) => /<date(?:-time)?>/.test(option.flags));
}

/**
 * Descriptions, examples and the hint after a usage error, from the
 * catalogue, for every command defined (only the group being run is: see
 * program.ts). A text the catalogue lacks stays empty, and the catalogue
 * test (tests/unit/catalogue.test.ts) walks every command to refuse that.
 */
export function localiseHelp(program: Command, language: Language): void {
  const say = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  const walk = (command: Command): void => {
    const key = commandKey(command);
    command.description(translateOptional(language, `help.cmd.${key}`) ?? '');
    command.helpCommand(false);
    for (const option of command.options) option.description = optionText(language, command, option) ?? '';
    for (const argument of command.registeredArguments) argument.description = translateOptional(language, `help.arg.${argument.name()}`) ?? '';
    // Written only when this command's help is shown.
    command.addHelpText('after', () => {
      const after: string[] = [];
      const examples = examplesOf(language, command);
      if (examples) after.push(`${say('help.title.examples')}\n${indent(examples)}`);
      if (takesDates(command)) after.push(`${say('help.title.dates')}\n${indent(say('help.dateFormats'))}`);
      const extra = translateOptional(language, `help.after.${key}`);
      if (extra) after.push(extra);
      return after.length > 0 ? `\n${after.join('\n\n')}` : '';
    });
    // After a usage error, the help to read: `urp report list --help`.
    command.showHelpAfterError(say('help.seeHelp', { command: commandLine(command) }));
    for (const sub of command.commands) walk(sub);
  };
  walk(program);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}

/** A placeholder in the user's language: `<number>` is `<numero>` in Italian help. */
function localiseTerm(language: Language, word: string): string {
  return word.replace(/^([<[])([a-z-]+)(\.\.\.)?([>\]])$/, (whole, open: string, name: string, dots: string | undefined, close: string) => {
    if (name === 'options') return `[${translate(language, 'help.term.options')}]`;
    if (name === 'command') return `[${translate(language, 'help.term.command')}]`;
    const local = translateOptional(language, `help.placeholder.${name}`);
    return local ? `${open}${local}${dots ?? ''}${close}` : whole;
  });
}

export function localiseTerms(language: Language, text: string): string {
  return text.replace(/[<[][a-z-]+(?:\.\.\.)?[>\]]/g, (word) => localiseTerm(language, word));
}

/** commander's help, its headings and notes in the user's language. */
function helpConfiguration(language: Language): Partial<Help> {
  const say = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  const titles: Record<string, MessageKey> = {
    'Usage:': 'help.title.usage',
    'Arguments:': 'help.title.arguments',
    'Options:': 'help.title.options',
    'Global Options:': 'help.title.globalOptions',
    'Commands:': 'help.title.commands',
  };
  const extras = (choices: readonly string[] | undefined, defaultValue: unknown, description: string): string => {
    const notes: string[] = [];
    if (choices) notes.push(say('help.choices', { choices: choices.join(', ') }));
    if (defaultValue !== undefined && typeof defaultValue !== 'boolean') notes.push(say('help.default', { value: String(defaultValue) }));
    if (notes.length === 0) return description;
    return description ? `${description} (${notes.join('; ')})` : `(${notes.join('; ')})`;
  };
  return {
    // Commander calls this with its English headings; they are shown in the user's language.
    styleTitle: (title: string) => (title in titles ? say(titles[title]!) : title),
    styleUsage: (usage: string) => localiseTerms(language, usage),
    subcommandTerm: (command: Command) =>
      [command.name(), command.options.length > 0 ? `[${say('help.term.options')}]` : '', ...command.registeredArguments.map((argument) => localiseTerm(language, argumentWord(argument)))].filter(Boolean).join(' '),
    optionTerm: (option: Option) => localiseTerms(language, option.flags),
    argumentTerm: (argument: Argument) => localiseTerm(language, `<${argument.name()}>`).replace(/^<|>$/g, ''),
    optionDescription: (option: Option) => extras(option.argChoices, option.required || option.optional ? option.defaultValue : undefined, option.description),
    argumentDescription: (argument: Argument) => extras(argument.argChoices, argument.defaultValue, argument.description),
  };
}

function argumentWord(argument: Argument): string {
  const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
  return argument.required ? `<${name}>` : `[${name}]`;
}

/**
 * commander's usage errors, worded by urp. Each method is the one commander
 * calls to report that error (they are not in its typings: a test of every
 * error, tests/cli/parsing.test.ts, notices if commander renames one); the
 * message goes through `error()`, commander's own way out.
 */
class LocalisedCommand extends Command {
  constructor(
    name: string | undefined,
    private readonly language: Language,
  ) {
    super(name);
  }

  override createCommand(name?: string): Command {
    return new LocalisedCommand(name, this.language);
  }

  private say(key: MessageKey, params?: MessageParams): string {
    return translate(this.language, key, params);
  }

  private flagsOf(option: Option): string {
    return localiseTerms(this.language, option.flags);
  }

  unknownOption(flag: string): void {
    if ((this as unknown as { _allowUnknownOption: boolean })._allowUnknownOption) return;
    const candidates: string[] = [];
    for (let command: Command | null = this; command; command = command.parent) {
      for (const option of command.options) if (option.long && !option.hidden) candidates.push(option.long);
    }
    candidates.push('--help');
    this.error(this.say('commander.unknownOption', { option: echo(flag) }) + this.guess(flag.startsWith('--') ? flag : undefined, candidates), { code: 'commander.unknownOption', exitCode: 2 });
  }

  unknownCommand(): void {
    const name = String(this.args[0] ?? '');
    const candidates = this.commands.filter((command) => !(command as unknown as { _hidden: boolean })._hidden).map((command) => command.name());
    this.error(this.say('commander.unknownCommand', { command: echo(name) }) + this.guess(name, candidates), { code: 'commander.unknownCommand', exitCode: 2 });
  }

  missingArgument(name: string): void {
    this.error(this.say('commander.missingArgument', { argument: localiseTerm(this.language, `<${name}>`) }), { code: 'commander.missingArgument', exitCode: 2 });
  }

  optionMissingArgument(option: Option): void {
    this.error(this.say('commander.optionMissingArgument', { option: this.flagsOf(option) }), { code: 'commander.optionMissingArgument', exitCode: 2 });
  }

  missingMandatoryOptionValue(option: Option): void {
    this.error(this.say('commander.missingMandatoryOption', { option: this.flagsOf(option) }), { code: 'commander.missingMandatoryOptionValue', exitCode: 2 });
  }

  _conflictingOption(option: Option, conflicting: Option): void {
    this.error(this.say('commander.conflictingOption', { option: option.long ?? option.flags, other: conflicting.long ?? conflicting.flags }), { code: 'commander.conflictingOption', exitCode: 2 });
  }

  _excessArguments(received: readonly string[]): void {
    if ((this as unknown as { _allowExcessArguments: boolean })._allowExcessArguments) return;
    const expected = this.registeredArguments.length;
    this.error(this.say('commander.excessArguments', { count: received.length, expected }), { code: 'commander.excessArguments', exitCode: 2 });
  }

  /** An option's value outside its choices (commander words it in English, then calls error()). */
  _callParseArg(target: Option | Argument, value: string, previous: unknown, invalidArgumentMessage: string): unknown {
    try {
      return target.parseArg!(value, previous as never);
    } catch (error) {
      if ((error as { code?: string }).code === 'commander.invalidArgument') {
        const name = 'long' in target ? (target.long ?? target.flags) : target.name();
        const message = target.argChoices
          ? this.say('commander.invalidChoice', { value: echo(value), option: name, choices: target.argChoices.join(', ') })
          : `${invalidArgumentMessage} ${(error as Error).message}`;
        this.error(message, { code: 'commander.invalidArgument', exitCode: 2 });
      }
      throw error;
    }
  }

  /** " (did you mean --area?)": the closest candidate within a few edits, as commander suggests. */
  private guess(word: string | undefined, candidates: readonly string[]): string {
    if (!word) return '';
    const best = closest(word, candidates);
    return best ? ` ${this.say('commander.didYouMean', { guess: best })}` : '';
  }
}

/** The candidate nearest to a word by edit distance (at most 40% of its length), or undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(word, candidate);
    const limit = Math.max(1, Math.floor(Math.max(word.length, candidate.length) * 0.4));
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edits from one word to the other, a swap of two neighbours counting as one (`lsit` is one from `list`). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}
