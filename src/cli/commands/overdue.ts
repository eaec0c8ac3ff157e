import { InputError } from '../../domain/errors.js';
import type { CliContext } from '../context.js';

/** `urp overdue`: the morning printout (issue 4). */
export async function run(_context: CliContext, _input?: unknown): Promise<number> {
  throw new InputError('usage.notYet', { command: 'overdue' });
}
