import { readTemplateFile } from '../read-limited.js';
import { InputError } from '../../domain/errors.js';
import { type ReplyTemplate, addReplyTemplate, disableReplyTemplate, findReplyTemplate, listReplyTemplates } from '../../domain/reply-templates.js';
import { outcomes } from '../../domain/vocabulary.js';
import { argument, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import type { CommandModule } from '../command-types.js';
import { safeText } from '../terminal-text.js';

/**
 * `urp reply-template add|list|show|disable` (issue 15): canned replies with
 * named fields, filled by `report reply --template`. One module, as the four
 * are small; adding and disabling is an admin's change (as for categories),
 * reading them is for everyone (they hold no personal data).
 */
export const add: CommandModule = {
  async run(context, { args, options }) {
    const input = parseOptions({ title: text, file: text, outcome: text, category: text }, options);
    if (input.file === undefined) throw new InputError('field.required', {}, 'file');
    const body = readTemplateFile(input.file);
    const { db } = await context.store();
    const template = await addReplyTemplate(db, context.actor(), { code: argument(args, 0, 'code'), title: input.title ?? '', body, outcome: input.outcome, category: input.category });
    context.output.success(context.t('template.added', { code: template.code }));
  },
};

export const list: CommandModule = {
  async run(context, { options }) {
    const { json, csv, all } = parseOptions({ json: flag, csv: flag, all: flag }, options);
    const templates = await listReplyTemplates((await context.store()).db, { includeDisabled: all === true });
    if (json) return context.output.json(templates);
    const columns = templateColumns(context);
    if (csv) return context.output.csv(columns, templates);
    if (templates.length === 0) return context.output.info(context.t('template.noneFound'));
    await context.output.table(columns, templates);
  },
};

export const show: CommandModule = {
  async run(context, { args, options }) {
    const { json } = parseOptions({ json: flag }, options);
    const template = await findReplyTemplate((await context.store()).db, argument(args, 0, 'code'));
    if (json) return context.output.json(template);
    context.output.fields(templateColumns(context).map((column) => [column.header, column.value(template)] as const));
    context.output.write(`\n${safeText(template.body)}`);
  },
};

export const disable: CommandModule = {
  async run(context, { args }) {
    const { db } = await context.store();
    const code = argument(args, 0, 'code');
    await disableReplyTemplate(db, context.actor(), code);
    context.output.success(context.t('template.disabledDone', { code: code.trim().toLowerCase() }));
  },
};

function templateColumns(context: CliContext): Column<ReplyTemplate>[] {
  return [
    { header: context.t('column.code'), value: (template) => template.code },
    { header: context.t('column.title'), value: (template) => template.title, shrink: true },
    { header: context.t('column.outcome'), value: (template) => (template.outcome ? outcomes.label(template.outcome, context.language) : '') },
    { header: context.t('column.category'), value: (template) => template.category ?? '' },
    { header: context.t('column.active'), value: (template) => context.t(template.active ? 'sheet.yes' : 'sheet.no') },
  ];
}
