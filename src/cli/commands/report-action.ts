import { getReport, publicReport } from '../../domain/report-queries.js';
import { currentYearOf } from '../../domain/report-numbers.js';
import { type Action, applyAction } from '../../domain/report-workflow.js';
import { statuses } from '../../domain/vocabulary.js';
import { dateInputError, parseDateInput } from '../../domain/date-input.js';
import { argument, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput, CommandModule } from '../command-types.js';

/**
 * `urp report assign|ack|return|suspend|resume|reply|note|close|reject|reopen <number>`:
 * one module for every action, since they differ only in their options; the
 * state machine in the domain decides what is allowed.
 */
export function forAction(action: Action): CommandModule {
  return {
    async run(context: CliContext, { args, options }: CommandInput): Promise<void> {
      const input = parseOptions(
        { area: text, reason: text, text: text, outcome: text, via: text, at: text, template: text, json: flag },
        options,
      );
      const settings = await context.settings();
      let at: Date | undefined;
      if (input.at !== undefined) {
        at = parseDateInput(input.at, settings.timeZone, { now: context.clock() })?.instant;
        if (!at) throw dateInputError(input.at, settings.timeZone, 'at', { now: context.clock() });
      }
      const { db } = await context.store();
      const number = argument(args, 0, 'number');
      // A reply from a template, or written on a terminal (issue 15).
      const reply =
        action === 'reply'
          ? await import('../prompts/reply-prompts.js').then(async ({ resolveReply }) => resolveReply(context, db, settings, await getReport(db, number, context.clock(), currentYearOf(context.clock(), settings.timeZone)), input))
          : input;
      const result = await applyAction(db, context.actor(), settings, {
        action,
        number,
        at,
        reason: input.reason,
        area: input.area,
        text: reply.text,
        outcome: reply.outcome,
        via: input.via,
      });
      if (input.json) {
        context.output.json(publicReport(await getReport(db, result.number, context.clock())));
      }
      const label = (status: typeof result.from) => statuses.label(status, context.language);
      context.output.success(
        action === 'note'
          ? context.t('action.noted', { number: result.number })
          : context.t('action.done', { number: result.number, from: label(result.from), to: label(result.to) }),
      );
    },
  };
}
