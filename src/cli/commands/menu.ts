import { dateInputError, parseDateInput } from '../../domain/date-input.js';
import { CancelledError, InputError } from '../../domain/errors.js';
import { getReportDetails, listReports } from '../../domain/report-queries.js';
import { type Action, type ActionInput, allowedActions, applyAction } from '../../domain/report-workflow.js';
import { TEXT_LIMITS, requiredText } from '../../domain/text-fields.js';
import { outcomes, replyChannels, statuses } from '../../domain/vocabulary.js';
import { listAreas } from '../../domain/areas.js';
import { currentYearOf, parseReportNumber } from '../../domain/report-numbers.js';
import type { MessageKey, MessageParams } from '../../i18n/messages.js';
import type { CliContext } from '../context.js';
import { describeInputError } from '../error-messages.js';
import type { CommandInput } from '../command-types.js';
import { ask, prompts, validator } from '../prompts/prompting.js';
import { promptReply } from '../prompts/reply-prompts.js';
import { renderReportDetails } from '../render/reports.js';
import { safeLine } from '../terminal-text.js';

type Entry = 'new' | 'find' | 'act' | 'queue' | 'overdue' | 'stats' | 'quit';

/** What the session saved, for the goodbye (and for Ctrl-C, which leaves what was being typed unsaved). */
type Session = string[];

/**
 * `urp` alone on a terminal: the clerk's menu. Each entry runs the same code
 * as its command; a refused value is asked again in place, another error is
 * shown and the menu comes back. On leaving, it says what the session saved;
 * Ctrl-C at any prompt leaves without saving what was being typed (exit 130).
 */
export async function run(context: CliContext): Promise<void> {
  // The register first: an account that is no operator is refused before a menu offers it anything.
  await context.store();
  if (!context.interactive) throw new InputError('menu.needsTerminal');
  const { select } = prompts(context);
  const session: Session = [];
  try {
    for (;;) {
      const entry = await ask(
        select<Entry>({
          message: context.t('menu.title'),
          choices: (['new', 'find', 'act', 'queue', 'overdue', 'stats', 'quit'] as const).map((value) => ({ value, name: context.t(`menu.entry.${value}`) })),
        }),
      );
      if (entry === 'quit') {
        context.output.info(session.length === 0 ? context.t('menu.savedNothing') : context.t('menu.saved', { count: session.length, list: session.join('; ') }));
        return;
      }
      try {
        await menuEntries[entry](context, session);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        context.output.error(describeInputError(error, context.language));
      }
      context.output.info('');
    }
  } catch (error) {
    if (error instanceof CancelledError && session.length > 0) throw new CancelledError('menu.cancelledAfterSaving', { count: session.length, list: session.join('; ') });
    throw error;
  }
}

const noOptions: CommandInput = { args: [], options: {} };

const menuEntries: Record<Exclude<Entry, 'quit'>, (context: CliContext, session: Session) => Promise<void>> = {
  async new(context, session) {
    const number = await (await import('./report-new.js')).register(context, noOptions);
    session.push(context.t('menu.log.registered', { number }));
  },
  async find(context, session) {
    const { input, select } = prompts(context);
    const { db } = await context.store();
    const search = await ask(input({ message: context.t('menu.find.search') }));
    const searchYear = currentYearOf(context.clock(), (await context.settings()).timeZone);
    const found = await listReports(db, { search: search.trim() || undefined, searchYear, limit: 30 }, context.clock());
    if (found.length === 0) return context.output.info(context.t('report.noneFound'));
    const number = await ask(
      select({
        message: context.t('menu.find.found', { count: found.length }),
        choices: found.map((report) => ({
          value: report.number,
          name: `${report.number}  ${statuses.label(report.status, context.language)}  ${safeLine(report.subject)}`,
        })),
      }),
    );
    await showAndAct(context, number, session);
  },
  async act(context, session) {
    const year = currentYearOf(context.clock(), (await context.settings()).timeZone);
    const number = await ask(
      prompts(context).input({
        message: context.t('menu.act.number'),
        validate: validator(context, (value) => parseReportNumber(value, 'number', year)),
      }),
    );
    await showAndAct(context, number, session);
  },
  async queue(context) {
    await (await import('./queue.js')).run(context, noOptions);
  },
  async overdue(context) {
    await (await import('./overdue.js')).run(context, noOptions);
  },
  async stats(context) {
    await (await import('./stats.js')).run(context, noOptions);
  },
};

/** The fields an action may ask for; a refused one is asked again, the others kept. */
type ActionField = 'area' | 'reason' | 'text' | 'outcome' | 'via' | 'at';
type ActionFields = { -readonly [Field in ActionField]?: ActionInput[Field] };

/**
 * Shows a report, then offers only what may be done to it now: the actions
 * the state machine allows from its status, that the operator's role and
 * areas allow, and that its history allows (the clock stops only once).
 */
async function showAndAct(context: CliContext, number: string, session: Session): Promise<void> {
  const { select, input } = prompts(context);
  const t = (key: MessageKey, params?: MessageParams) => context.t(key, params);
  const { db } = await context.store();
  const settings = await context.settings();
  const details = await getReportDetails(db, number, context.clock(), currentYearOf(context.clock(), settings.timeZone));
  context.output.write(renderReportDetails(context, details, settings, context.clock()));
  const otherAreas = (await listAreas(db)).filter((area) => area.active && area.code !== details.report.area);
  const actions = (await allowedActions(db, context.actor('menu'), { status: details.report.status, areaId: details.report.areaId, number: details.report.number }))
    // Nowhere else to send it: no assignment to offer.
    .filter((action) => action !== 'assign' || otherAreas.length > 0);
  const BACK = 'back' as const;
  const chosen = await ask(
    select<Action | typeof BACK>({
      message: t('menu.action'),
      choices: [...actions.map((action) => ({ value: action, name: t(`menu.action.${action}`) })), { value: BACK, name: t('menu.back') }],
    }),
  );
  if (chosen === BACK) return;

  const needsReason = ['return', 'suspend', 'reject', 'reopen'].includes(chosen) || (chosen === 'assign' && details.report.status === 'acknowledged');
  const askers: Partial<Record<ActionField, (fields: ActionFields) => Promise<void>>> = {
    async area(fields) {
      fields.area = await ask(select({ message: t('menu.ask.area'), choices: otherAreas.map((area) => ({ value: area.code, name: `${safeLine(area.name)} (${area.code})` })) }));
    },
    async reason(fields) {
      fields.reason = await ask(input({ message: t('menu.ask.reason'), validate: validator(context, (value) => requiredText('reason', value, TEXT_LIMITS.reason)) }));
    },
    async text(fields) {
      if (chosen === 'note') {
        fields.text = await ask(input({ message: t('menu.ask.note'), validate: validator(context, (value) => requiredText('text', value, TEXT_LIMITS.note)) }));
      } else {
        // The category's reply templates first (issue 15), or the editor; shown back and confirmed.
        Object.assign(fields, await promptReply(context, db, settings, details.report));
      }
    },
    async outcome(fields) {
      fields.outcome = await ask(select({ message: t('reply.outcome'), choices: outcomes.codes.map((code) => ({ value: code, name: outcomes.label(code, context.language) })) }));
    },
    async via(fields) {
      fields.via = await ask(select({ message: t('menu.ask.via'), choices: replyChannels.codes.map((code) => ({ value: code, name: replyChannels.label(code, context.language) })) }));
    },
    async at(fields) {
      const now = context.clock();
      const when = await ask(
        input({
          message: t('menu.ask.at'),
          validate: validator(context, (value) => {
            if (value.trim() && !parseDateInput(value, settings.timeZone, { now })) throw dateInputError(value, settings.timeZone, undefined, { now });
          }),
        }),
      );
      fields.at = when.trim() ? parseDateInput(when, settings.timeZone, { now })!.instant : undefined;
    },
  };
  const fields: ActionFields = {};
  if (chosen === 'assign') await askers.area!(fields);
  if (needsReason) await askers.reason!(fields);
  if (chosen === 'note' || chosen === 'reply') await askers.text!(fields);
  if (chosen === 'reply') await askers.via!(fields);
  if (chosen !== 'note') await askers.at!(fields);

  for (;;) {
    try {
      const result = await applyAction(db, context.actor('menu'), settings, { action: chosen, number: details.report.number, ...fields });
      const label = (status: typeof result.from) => statuses.label(status, context.language);
      const done = chosen === 'note' ? t('action.noted', { number: result.number }) : t('action.done', { number: result.number, from: label(result.from), to: label(result.to) });
      context.output.success(done);
      session.push(chosen === 'note' ? t('menu.log.note', { number: result.number }) : t('menu.log.action', { number: result.number, status: label(result.to) }));
      return;
    } catch (error) {
      // A value the register refused (a date before the previous step, the same area): asked again, the rest kept.
      const field = error instanceof InputError ? (error.field as ActionField | undefined) : undefined;
      const again = field === 'text' && chosen !== 'note' ? undefined : field && askers[field];
      if (!(error instanceof InputError) || !again) throw error;
      context.output.error(describeInputError(error, context.language));
      await again(fields);
    }
  }
}
