import type { Command, Option } from 'commander';
import type { Language } from '../i18n/language.js';
import { translate } from '../i18n/messages.js';
import { commandLine, examplesOf, localiseTerms } from './help.js';

/**
 * The shell completion scripts and the manual page, written from the same
 * command definitions as `--help` (program.ts, with every group defined) and
 * the same catalogue: what the help says, the man page says.
 */

/** Every command that runs something (not a group), depth first. */
function leaves(command: Command): Command[] {
  return command.commands.flatMap((sub) => (sub.commands.length > 0 ? leaves(sub) : [sub])).filter((sub) => !hidden(sub));
}

function hidden(command: Command): boolean {
  return (command as unknown as { _hidden?: boolean })._hidden === true;
}

function visibleOptions(command: Command): Option[] {
  return command.options.filter((option) => !option.hidden);
}

/** Values worth completing after an option: its choices, else the codes of the vocabulary it takes. */
export type OptionValues = Readonly<Record<string, readonly string[]>>;

/**
 * `urp completion bash`: completes command words, then the options of the
 * command typed so far, then the values of options that take a known set.
 * zsh runs the same function through bashcompinit.
 */
export function completionScript(program: Command, shell: 'bash' | 'zsh', values: OptionValues): string {
  const cases: string[] = [];
  const valued = new Set<string>();
  const walk = (command: Command, path: string) => {
    const words = [...command.commands.filter((sub) => !hidden(sub)).map((sub) => sub.name()), ...visibleOptions(command).map((option) => option.long ?? option.short ?? ''), '--help'].filter(Boolean);
    cases.push(`    ${quote(path)}) words=${quote(words.join(' '))} ;;`);
    for (const option of command.options) if ((option.required || option.optional) && option.long) valued.add(option.long);
    for (const sub of command.commands) walk(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  walk(program, '');
  const valueCases = Object.entries(values).map(([option, list]) => `    ${option}) COMPREPLY=( $(compgen -W ${quote(list.join(' '))} -- "$cur") ); return ;;`);
  const script = [
    '# urp completion: source <(urp completion bash)',
    '_urp() {',
    '  local cur prev path="" word i words',
    '  cur="${COMP_WORDS[COMP_CWORD]}"',
    '  prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  case "$prev" in',
    ...valueCases,
    `    ${[...valued].sort().join('|')}) return ;;`,
    '  esac',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    word="${COMP_WORDS[i]}"',
    '    case "$word" in',
    `      ${[...valued].sort().join('|')}) ((i++)) ;;`,
    '      -*) ;;',
    '      *) path="${path:+$path }$word" ;;',
    '    esac',
    '  done',
    '  case "$path" in',
    ...cases,
    '    *) words="" ;;',
    '  esac',
    '  COMPREPLY=( $(compgen -W "$words" -- "$cur") )',
    '}',
    'complete -F _urp urp',
  ];
  if (shell === 'zsh') script.unshift('# urp completion: source <(urp completion zsh)', 'autoload -U +X bashcompinit && bashcompinit');
  return `${script.join('\n')}\n`;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** roff text: backslashes and leading dots or quotes escaped, dashes as minus signs (so `--db` can be searched and copied). */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

function optionItem(language: Language, option: Option): string[] {
  return ['.TP', `.B ${roff(localiseTerms(language, option.flags))}`, roff(option.description || '')];
}

export interface ManPageTopics {
  readonly [title: string]: string;
}

/**
 * The manual page, urp(1): the program's description and global options,
 * every command with its options and examples, the date forms, and the help
 * topics in full.
 */
export function manPage(program: Command, language: Language, version: string, date: string, topics: ManPageTopics): string {
  const say = (key: Parameters<typeof translate>[1]) => translate(language, key);
  const lines: string[] = [
    `.TH URP 1 "${date}" "urp ${version}" "urp"`,
    `.SH ${roff(say('man.name'))}`,
    `urp \\- ${roff(program.description().split('.')[0]!.trim())}`,
    `.SH ${roff(say('man.synopsis'))}`,
    `.B urp\n[\\fI${roff(say('help.term.options'))}\\fR] \\fI${roff(say('help.term.command'))}\\fR`,
    `.SH ${roff(say('man.description'))}`,
    roff(program.description()),
    `.SH ${roff(say('help.title.globalOptions').replace(/:$/, '').toUpperCase())}`,
    ...visibleOptions(program).flatMap((option) => optionItem(language, option)),
    `.SH ${roff(say('help.title.commands').replace(/:$/, '').toUpperCase())}`,
  ];
  for (const command of leaves(program)) {
    const usage = `${commandLine(command)} ${command.registeredArguments.map((argument) => localiseTerms(language, `<${argument.name()}>`)).join(' ')}`.trim();
    lines.push(`.SS "${roff(usage)}"`, roff(command.description()));
    for (const option of visibleOptions(command)) lines.push(...optionItem(language, option));
    const examples = examplesOf(language, command);
    if (examples) lines.push('.PP', roff(say('help.title.examples')), '.PP', '.nf', '.RS', roff(examples), '.RE', '.fi');
  }
  lines.push(`.SH ${roff(say('help.title.dates').replace(/:$/, '').toUpperCase())}`, '.nf', roff(say('help.dateFormats')), '.fi');
  for (const [title, text] of Object.entries(topics)) lines.push(`.SH ${roff(title.toUpperCase())}`, '.nf', roff(text.split('\n').slice(2).join('\n')), '.fi');
  return `${lines.join('\n')}\n`;
}
