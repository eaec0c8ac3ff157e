import type { Kysely } from 'kysely';
import { InputError } from '../../domain/errors.js';
import { fillReplyTemplate, templatesFor } from '../../domain/reply-templates.js';
import type { Settings } from '../../domain/settings.js';
import { CancelledError } from '../../domain/errors.js';
import { TEXT_LIMITS, requiredText } from '../../domain/text-fields.js';
import { type Outcome, outcomes } from '../../domain/vocabulary.js';
import type { Database } from '../../storage/schema.js';
import type { CliContext } from '../context.js';
import { editText } from '../editor.js';
import { safeLine, safeText } from '../terminal-text.js';
import { ask, prompts } from './prompting.js';

/**
 * The reply's text and outcome from a template (issue 15): `report reply
 * --template`, and the prompts of `report reply` and of the menu, which offer
 * the templates of the report's category first. On a terminal the filled
 * text opens in the editor before it is recorded.
 */
export interface ReplyDraft {
  readonly text?: string | undefined;
  readonly outcome?: string | undefined;
}

const WRITE = '\u0000write';

/** The editor's help lines, below the text. */
function instructions(context: CliContext): string[] {
  return [context.t('reply.editor.first'), context.t('reply.editor.second')];
}

/**
 * The reply written in the editor (any number of lines), then shown back as
 * the citizen will read it, and confirmed: recorded, edited again, or
 * cancelled (exit 130, nothing recorded).
 */
export async function writeReply(context: CliContext, initial: string): Promise<string> {
  const { select } = prompts(context);
  let text = initial;
  for (;;) {
    text = await editText(context, text, instructions(context));
    requiredText('text', text, TEXT_LIMITS.replyText);
    context.output.info('');
    context.output.heading(context.t('reply.preview'));
    context.output.info(safeText(text).split('\n').map((line) => `  │ ${line}`).join('\n'));
    const choice = await ask(
      select({
        message: context.t('reply.confirm'),
        choices: [
          { value: 'record', name: context.t('reply.record') },
          { value: 'edit', name: context.t('reply.editAgain') },
          { value: 'cancel', name: context.t('reply.cancel') },
        ],
      }),
    );
    if (choice === 'record') return text;
    if (choice === 'cancel') throw new CancelledError();
  }
}

/** A template filled for this report, edited on a terminal. */
async function fromTemplate(context: CliContext, db: Kysely<Database>, settings: Settings, code: string, number: string): Promise<{ text: string; outcome: Outcome | null }> {
  const filled = await fillReplyTemplate(db, code, number, settings, context.clock());
  const text = context.interactive ? await writeReply(context, filled.text) : filled.text;
  return { text, outcome: filled.template.outcome };
}

/** Offers the active templates, the category's own first; undefined: the person writes the text. */
async function chooseTemplate(context: CliContext, db: Kysely<Database>, category: string | null): Promise<string | undefined> {
  const templates = await templatesFor(db, category);
  if (templates.length === 0) return undefined;
  const { select } = prompts(context);
  const chosen = await ask(
    select({
      message: context.t('reply.template'),
      choices: [
        ...templates.map((template) => ({ value: template.code, name: `${template.code}  ${safeLine(template.title)}${template.category ? ` (${template.category})` : ''}` })),
        { value: WRITE, name: context.t('reply.writeOwn') },
      ],
    }),
  );
  return chosen === WRITE ? undefined : chosen;
}

async function chooseOutcome(context: CliContext, preset: Outcome | null): Promise<Outcome> {
  return ask(
    prompts(context).select({
      message: context.t('reply.outcome'),
      choices: outcomes.codes.map((code) => ({ value: code, name: outcomes.label(code, context.language) })),
      ...(preset ? { default: preset } : {}),
    }),
  );
}

/**
 * `report reply`: --text as given; --template filled (and edited on a
 * terminal); on a terminal with neither, a template to choose or the editor
 * to write in; the outcome asked on a terminal when not given, the
 * template's preselected.
 */
export async function resolveReply(
  context: CliContext,
  db: Kysely<Database>,
  settings: Settings,
  report: { number: string; category: string | null },
  given: { text?: string | undefined; template?: string | undefined; outcome?: string | undefined },
): Promise<ReplyDraft> {
  if (given.template !== undefined && given.text !== undefined) throw new InputError('template.withText', {}, 'template');
  if (given.text !== undefined || (given.template === undefined && !context.interactive)) return given;
  const code = given.template ?? (await chooseTemplate(context, db, report.category));
  const drafted = code
    ? await fromTemplate(context, db, settings, code, report.number)
    : { text: await writeReply(context, ''), outcome: null };
  const outcome = given.outcome ?? (context.interactive ? await chooseOutcome(context, drafted.outcome) : (drafted.outcome ?? undefined));
  return { text: drafted.text, outcome };
}

/** The menu's reply: a template or a blank page in the editor, shown back and confirmed, then the outcome. */
export async function promptReply(context: CliContext, db: Kysely<Database>, settings: Settings, report: { number: string; category: string | null }): Promise<{ text: string; outcome: Outcome }> {
  const code = await chooseTemplate(context, db, report.category);
  const drafted = code ? await fromTemplate(context, db, settings, code, report.number) : { text: await writeReply(context, ''), outcome: null };
  return { text: drafted.text, outcome: await chooseOutcome(context, drafted.outcome) };
}
