import { TEMPLATE_FIELDS, formatTemplateFile, readTemplate, templateLanguage, templateName } from '../../domain/mail/templates.js';
import { argument, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp template show <name> [--language it|en] [--default]`: the file `template set` reads back; its fields on stderr. */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ language: text, default: flag }, options);
  const name = templateName(argument(args, 0, 'name'));
  const { db } = await context.store();
  const settings = await context.settings();
  const language = templateLanguage(input.language, settings.mailLanguage);
  const template = await readTemplate(db, context.actor(), name, language, { shipped: input.default === true });
  context.output.write(formatTemplateFile(template, language));
  context.output.info(context.t('template.fields', { fields: Object.keys(TEMPLATE_FIELDS[name]).map((field) => `{${field}}`).join(' ') }));
}
