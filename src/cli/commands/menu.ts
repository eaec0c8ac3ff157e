import { input, select } from '@inquirer/prompts';
import { dateInputError, parseDateInput } from '../../domain/date-input.js';
import { InputError } from '../../domain/errors.js';
import { getReportDetails, listReports } from '../../domain/report-queries.js';
import { type Action, allowedActions, applyAction } from '../../domain/report-workflow.js';
import { TEXT_LIMITS, requiredText } from '../../domain/text-fields.js';
import { replyChannels, statuses } from '../../domain/vocabulary.js';
import { listAreas } from '../../domain/areas.js';
import { parseReportNumber } from '../../domain/report-numbers.js';
import type { CliContext } from '../context.js';
import { describeInputError } from '../error-messages.js';
import type { CommandInput } from '../command-types.js';
import { ask, validator } from '../prompts/prompting.js';
import { promptReply } from '../prompts/reply-prompts.js';
import { renderReportDetails } from '../render/reports.js';
import { safeLine } from '../terminal-text.js';

type Entry = 'new' | 'find' | 'act' | 'queue' | 'overdue' | 'stats' | 'quit';

/**
 * `urp` alone on a terminal: the clerk's menu. Each entry runs the same code
 * as its command; an error is shown and the menu comes back; Ctrl-C at any
 * prompt leaves without writing (exit 130).
 */
export async function run(context: CliContext): Promise<void> {
  if (!context.interactive) throw new InputError('menu.needsTerminal');
  const it = context.language === 'it';
  for (;;) {
    const entry = await ask(
      select<Entry>({
        message: it ? 'URP — cosa vuoi fare?' : 'URP — what do you want to do?',
        choices: [
          { value: 'new', name: it ? 'Registrare una segnalazione' : 'Register a report' },
          { value: 'find', name: it ? 'Cercare una segnalazione' : 'Find a report' },
          { value: 'act', name: it ? 'Lavorare una segnalazione (assegnare, rispondere...)' : 'Act on a report (assign, reply...)' },
          { value: 'queue', name: it ? 'Code di lavoro' : 'Work queues' },
          { value: 'overdue', name: it ? 'Ritardi e scadenze' : 'Late and due soon' },
          { value: 'stats', name: it ? 'Statistiche' : 'Statistics' },
          { value: 'quit', name: it ? 'Esci' : 'Quit' },
        ],
      }),
    );
    if (entry === 'quit') return;
    try {
      await menuEntries[entry](context);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      context.output.error(describeInputError(error, context.language));
    }
    context.output.info('');
  }
}

const noOptions: CommandInput = { args: [], options: {} };

const menuEntries: Record<Exclude<Entry, 'quit'>, (context: CliContext) => Promise<void>> = {
  async new(context) {
    await (await import('./report-new.js')).run(context, noOptions);
  },
  async find(context) {
    const it = context.language === 'it';
    const { db } = await context.store();
    const search = await ask(input({ message: it ? 'Testo, numero o riferimento da cercare' : 'Text, number or reference to find' }));
    const found = await listReports(db, { search: search.trim() || undefined, limit: 30 }, context.clock());
    if (found.length === 0) return context.output.info(context.t('report.noneFound'));
    const number = await ask(
      select({
        message: it ? 'Segnalazioni trovate' : 'Reports found',
        choices: found.map((report) => ({
          value: report.number,
          name: `${report.number}  ${statuses.label(report.status, context.language)}  ${safeLine(report.subject)}`,
        })),
      }),
    );
    await showAndAct(context, number);
  },
  async act(context) {
    const it = context.language === 'it';
    const number = await ask(
      input({
        message: it ? 'Numero della segnalazione (es. 2026/42)' : 'Report number (e.g. 2026/42)',
        validate: validator(context, (value) => parseReportNumber(value)),
      }),
    );
    await showAndAct(context, number);
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

/** Shows a report, then offers only the actions allowed from its status for this operator. */
async function showAndAct(context: CliContext, number: string): Promise<void> {
  const it = context.language === 'it';
  const { db } = await context.store();
  const settings = await context.settings();
  const details = await getReportDetails(db, number, context.clock());
  context.output.write(renderReportDetails(context, details, settings, context.clock()));
  const actions = await allowedActions(db, context.actor('menu'), { status: details.report.status, areaId: await areaIdOf(context, details.report.area) });
  const labels: Record<Action, [string, string]> = {
    assign: ['Assign to an area', "Assegnare a un'area"],
    ack: ['Take in charge', 'Prendere in carico'],
    return: ['Return to URP (not our competence)', "Restituire all'URP (non di competenza)"],
    suspend: ['Suspend, waiting for the citizen', 'Sospendere in attesa del cittadino'],
    resume: ['Resume', 'Riprendere'],
    reply: ['Reply to the citizen', 'Rispondere al cittadino'],
    note: ['Add an internal note', 'Aggiungere una nota interna'],
    close: ['Close', 'Chiudere'],
    reject: ['Reject (not admissible)', 'Respingere (non ammissibile)'],
    reopen: ['Reopen', 'Riaprire'],
  };
  const BACK = 'back' as const;
  const chosen = await ask(
    select<Action | typeof BACK>({
      message: it ? 'Azione' : 'Action',
      choices: [
        ...actions.map((action) => ({ value: action, name: labels[action][it ? 1 : 0] })),
        { value: BACK, name: it ? '← Torna al menu' : '← Back to the menu' },
      ],
    }),
  );
  if (chosen === BACK) return;

  const needsReason =
    ['return', 'suspend', 'reject', 'reopen'].includes(chosen) || (chosen === 'assign' && details.report.status === 'acknowledged');
  const fields: { area?: string; reason?: string; text?: string; outcome?: string; via?: string; at?: Date } = {};
  if (chosen === 'assign') {
    const areas = (await listAreas(db)).filter((area) => area.active && area.code !== details.report.area);
    fields.area = await ask(select({ message: 'Area', choices: areas.map((area) => ({ value: area.code, name: `${safeLine(area.name)} (${area.code})` })) }));
  }
  if (needsReason) {
    fields.reason = await ask(input({ message: it ? 'Motivo' : 'Reason', validate: validator(context, (value) => requiredText('reason', value, TEXT_LIMITS.reason)) }));
  }
  if (chosen === 'note') {
    fields.text = await ask(
      input({ message: it ? 'Nota interna' : 'Internal note', validate: validator(context, (value) => requiredText('text', value, TEXT_LIMITS.note)) }),
    );
  }
  if (chosen === 'reply') {
    // The category's reply templates first (issue 15), or the text typed here.
    Object.assign(fields, await promptReply(context, db, settings, details.report));
    fields.via = await ask(select({ message: it ? 'Inviata tramite' : 'Sent via', choices: replyChannels.codes.map((code) => ({ value: code, name: replyChannels.label(code, context.language) })) }));
  }
  if (chosen !== 'note') {
    const when = await ask(
      input({
        message: it ? 'Quando (invio per adesso)' : 'When (enter for now)',
        validate: validator(context, (value) => {
          if (value.trim() && !parseDateInput(value, settings.timeZone)) throw dateInputError(value, settings.timeZone);
        }),
      }),
    );
    if (when.trim()) fields.at = parseDateInput(when, settings.timeZone)!.instant;
  }
  const result = await applyAction(db, context.actor('menu'), settings, { action: chosen, number: details.report.number, ...fields });
  const label = (status: typeof result.from) => statuses.label(status, context.language);
  context.output.success(
    chosen === 'note'
      ? context.t('action.noted', { number: result.number })
      : context.t('action.done', { number: result.number, from: label(result.from), to: label(result.to) }),
  );
}

async function areaIdOf(context: CliContext, code: string | null): Promise<number | null> {
  if (!code) return null;
  const { db } = await context.store();
  const row = await db.selectFrom('areas').select('id').where('code', '=', code).executeTakeFirst();
  return row?.id ?? null;
}
