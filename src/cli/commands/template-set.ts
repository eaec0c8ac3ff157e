import { readTemplateFile } from '../read-limited.js';
import { InputError } from '../../domain/errors.js';
import { parseTemplateFile, setTemplate, templateLanguage, templateName } from '../../domain/mail/templates.js';
import { writeTransaction } from '../../storage/transactions.js';
import { argument, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp template set <name> --file F [--language it|en]`, or `--default`: checked before it is stored. */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ language: text, file: text, default: flag }, options);
  const name = templateName(argument(args, 0, 'name'));
  if ((input.file === undefined) === (input.default !== true)) throw new InputError('mailTemplate.fileOrDefault', {}, 'file');
  let content: { subject: string; body: string } | null = null;
  if (input.file !== undefined) {
    content = parseTemplateFile(readTemplateFile(input.file));
  }
  const { db } = await context.store();
  const settings = await context.settings();
  const language = templateLanguage(input.language, settings.mailLanguage);
  await writeTransaction(db, (trx) => setTemplate(trx, context.actor(), name, language, content));
  context.output.success(context.t(content ? 'mailTemplate.set' : 'mailTemplate.reset', { name, language }));
}
