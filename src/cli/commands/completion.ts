import { InputError, echo } from '../../domain/errors.js';
import { channels, outcomes, replyChannels, reportTypes, roles, statsGroups, statuses } from '../../domain/vocabulary.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { completionScript } from '../help-document.js';

/** `urp completion bash|zsh`: the completion script for the shell, from the command definitions. Never opens the register. */
export async function run(context: CliContext, { args, command }: CommandInput): Promise<void> {
  const shell = argument(args, 0, 'shell');
  if (shell !== 'bash' && shell !== 'zsh') throw new InputError('completion.shellUnknown', { value: echo(shell) }, 'shell');
  let root = command;
  while (root?.parent) root = root.parent;
  if (!root) throw new Error('completion without the program');
  // The codes, and the labels a clerk types: Italian (which urp always reads) and the user's language.
  const words = (vocabulary: { codes: readonly string[]; label(code: never, language: string): string }) =>
    [...new Set([...vocabulary.codes, ...['it', context.language].flatMap((language) => vocabulary.codes.map((code) => vocabulary.label(code as never, language)))])].filter((word) => !/\s/.test(word));
  context.output.write(
    completionScript(root, shell, {
      '--type': words(reportTypes),
      '--channel': words(channels),
      '--status': words(statuses),
      '--outcome': words(outcomes),
      '--via': words(replyChannels),
      '--role': words(roles),
      '--by': words(statsGroups),
      '--lang': ['it', 'en'],
      '--format': ['csv', 'json', 'jsonl', 'open311', 'xlsx', 'pdf', 'html'],
    }),
  );
}
