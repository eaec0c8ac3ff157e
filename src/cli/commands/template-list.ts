import { listTemplates } from '../../domain/mail/templates.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { formatInstant } from '../render/dates.js';

/** `urp template list [--json]`: each template in each language, the office's own or the default. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { json } = parseOptions({ json: flag }, options);
  const { db } = await context.store();
  const settings = await context.settings();
  const templates = await listTemplates(db, context.actor());
  if (json) return context.output.json(templates);
  await context.output.table(
    [
      { header: context.t('column.name'), value: (template) => template.name },
      { header: context.t('column.language'), value: (template) => template.language },
      { header: context.t('column.text'), value: (template) => context.t(template.custom ? 'template.office' : 'template.default') },
      { header: context.t('column.changed'), value: (template) => (template.updatedAt ? `${formatInstant(template.updatedAt, settings.timeZone, context.language, context.output.rich)} ${template.operator}` : '') },
      { header: context.t('column.subject'), value: (template) => template.subject, shrink: true },
    ],
    templates,
  );
}
