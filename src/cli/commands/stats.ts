import { InputError } from '../../domain/errors.js';
import type { CliContext } from '../context.js';

/** `urp stats`: the quality statistics (issue 4). */
export async function run(_context: CliContext, _input?: unknown): Promise<void> {
  throw new InputError('usage.notYet', { command: 'stats' });
}
