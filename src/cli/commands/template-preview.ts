import { previewMessage } from '../../domain/mail/preview.js';
import { formatTemplateFile, templateLanguage, templateName } from '../../domain/mail/templates.js';
import { argument, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { asOfOption } from '../as-of.js';
import type { CommandInput } from '../command-types.js';
import { safeText } from '../terminal-text.js';

/** `urp template preview <name> <number|area>`: the message as it would go out now. */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ language: text, asOf: text }, options);
  const name = templateName(argument(args, 0, 'name'));
  const { db } = await context.store();
  const settings = await context.settings();
  const language = templateLanguage(input.language, settings.mailLanguage);
  const message = await previewMessage(db, context.actor(), settings, name, language, args[1], asOfOption(context, input.asOf, settings.timeZone));
  // Citizens' text on its way to a terminal: shown, not obeyed.
  context.output.write(safeText(formatTemplateFile(message, language)));
}
