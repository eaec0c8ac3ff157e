import { InputError, echo } from '../../domain/errors.js';
import type { Language } from '../../i18n/language.js';
import { type MessageKey, type MessageParams, translate } from '../../i18n/messages.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { type HelpTopic, helpTopic } from '../help-topics.js';

/**
 * `urp help [topic]` (`urp guida [argomento]`): the topics in prose, in the
 * user's language. The statuses and the import columns are written from the
 * tables urp itself works by (the state machine, the import columns), so the
 * help cannot drift from them. Never opens the register.
 */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const word = args[0];
  if (word === undefined) return context.output.page(context.t('topic.list'));
  const topic = helpTopic(word);
  if (!topic) throw new InputError('topic.unknown', { value: echo(word) }, 'topic');
  await context.output.page(await topicText(context.language, topic));
}

/** A topic's text in a language (also for the manual page). */
export async function topicText(language: Language, topic: HelpTopic): Promise<string> {
  const context = { language, t: (key: MessageKey, params?: MessageParams) => translate(language, key, params) };
  switch (topic) {
    case 'deadlines':
      return context.t('topic.deadlines');
    case 'exitCodes':
      return context.t('topic.exitCodes');
    case 'privacy':
      return context.t('topic.privacy');
    case 'statuses':
      return statusesText(context);
    case 'import':
      return importText(context);
  }
}

interface Speaker {
  readonly language: Language;
  t(key: MessageKey, params?: MessageParams): string;
}

async function statusesText(context: Speaker): Promise<string> {
  const [{ TRANSITIONS }, { statuses, roles }, { rolesWith }] = await Promise.all([
    import('../../domain/report-workflow.js'),
    import('../../domain/vocabulary.js'),
    import('../../domain/operators.js'),
  ]);
  const lines = [context.t('topic.statuses'), ''];
  for (const status of statuses.codes) {
    lines.push(context.t('topic.statuses.from', { status: `${statuses.label(status, context.language)} (${status})` }));
    const steps = TRANSITIONS.filter((transition) => transition.from === status);
    if (steps.length === 0) lines.push(`  ${context.t('topic.statuses.none')}`);
    for (const step of steps) {
      const who = rolesWith(step.permission).map((role) => roles.label(role, context.language)).join(', ');
      lines.push(
        `  ${context.t('topic.statuses.step', {
          action: step.action,
          status: statuses.label(step.to, context.language),
          reason: step.reasonRequired ? context.t('topic.statuses.reason') : '',
          who,
        })}`,
      );
    }
    lines.push('');
  }
  lines.push(context.t('topic.statuses.notes'));
  return lines.join('\n');
}

async function importText(context: Speaker): Promise<string> {
  const [{ COLUMNS }, { REQUIRED_COLUMNS }] = await Promise.all([import('../../domain/import/columns.js'), import('../../domain/import/importer.js')]);
  const required = new Set<string>(REQUIRED_COLUMNS);
  const row = ([field, english, italian]: readonly [string, string, string]) =>
    `  ${`${english} / ${italian}`.padEnd(40)}${field}${required.has(field) ? `  (${context.t('topic.import.required')})` : ''}`;
  const history = COLUMNS.findIndex(([field]) => field === 'number');
  return [
    context.t('topic.import'),
    ...COLUMNS.slice(0, history).map(row),
    `  ${context.t('topic.import.contact')}`,
    '',
    context.t('topic.import.history'),
    ...COLUMNS.slice(history).map(row),
  ].join('\n');
}
