import { CancelledError, InputError } from '../../domain/errors.js';
import { describeInputError } from '../error-messages.js';
import type { CliContext } from '../context.js';

// Named, never the whole package: the bundle then leaves out the prompts urp does not use.
export { confirm } from '@inquirer/prompts';

/**
 * Runs a prompt; Ctrl-C (inquirer's ExitPromptError) becomes a CancelledError,
 * which the entry point turns into exit code 130 with nothing written.
 */
export async function ask<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) throw new CancelledError();
    throw error;
  }
}

/**
 * Adapts a domain check to an inquirer `validate`: true, or the localised
 * message of the InputError it throws (without the field name, the prompt
 * says which field it is).
 */
export function validator(context: CliContext, check: (value: string) => unknown) {
  return (value: string): true | string => {
    try {
      check(value);
      return true;
    } catch (error) {
      if (error instanceof InputError) return describeInputError(new InputError(error.key, error.params), context.language);
      throw error;
    }
  };
}
