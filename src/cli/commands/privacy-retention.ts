import { applyRetention, citizensPastRetention, retentionLimit } from '../../domain/privacy.js';
import { InputError } from '../../domain/errors.js';
import { flag, parseOptions, text } from '../command-options.js';
import { confirmDestructive } from '../confirm.js';
import type { CliContext } from '../context.js';
import { finishErasure } from '../erasure-finish.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp privacy retention --older-than 5y [--dry-run] [--redact-texts] --yes`:
 * erases every citizen whose last report was closed before the limit.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ olderThan: text, dryRun: flag, redactTexts: flag, yes: flag, json: flag }, options);
  if (input.olderThan === undefined) throw new InputError('field.required', {}, 'olderThan');
  const before = retentionLimit(input.olderThan, context.clock());
  const { db } = await context.store();
  if (!input.dryRun) {
    const candidates = await citizensPastRetention(db, before);
    if (candidates.length > 0) await confirmDestructive(context, input.yes, 'confirm.retention', { count: candidates.length });
  }
  const result = await applyRetention(db, context.actor(), before, { dryRun: input.dryRun === true, redactTexts: input.redactTexts });
  if (input.json) context.output.json({ before: before.toISOString(), dryRun: input.dryRun === true, citizens: result.citizens, reports: result.reports });
  context.output.success(
    input.dryRun
      ? context.t('privacy.retentionDryRun', { count: result.citizens.length })
      : context.t('privacy.retention', { count: result.citizens.length, reports: result.reports }),
  );
  if (!input.dryRun && result.citizens.length > 0) await finishErasure(context, result.deep);
}
