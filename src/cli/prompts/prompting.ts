import { createPrompt, isEnterKey, makeTheme, useKeypress, usePrefix, useState } from '@inquirer/core';
import { input as inquirerInput, select as inquirerSelect } from '@inquirer/prompts';
import { CancelledError, InputError } from '../../domain/errors.js';
import type { Language } from '../../i18n/language.js';
import { type MessageKey, translate } from '../../i18n/messages.js';
import { describeInputError } from '../error-messages.js';
import type { CliContext } from '../context.js';

/**
 * The prompts in the user's language (issue 16): inquirer's hints (`↑↓
 * navigate • ⏎ select`) and its own messages through its theme, and a
 * confirmation that takes the answers of the language (`s`, `si`, `sì`,
 * `n`, `no` in Italian; `y` and `n` everywhere, as terminals have taught).
 */

type SelectConfig<Value> = Parameters<typeof inquirerSelect<Value>>[0];
type InputConfig = Parameters<typeof inquirerInput>[0];

/** The hints inquirer writes in English, by the word it passes to the theme. */
const HINTS: Record<string, MessageKey> = {
  navigate: 'prompt.hint.navigate',
  select: 'prompt.hint.select',
  submit: 'prompt.hint.submit',
  toggle: 'prompt.hint.toggle',
  all: 'prompt.hint.all',
  invert: 'prompt.hint.invert',
};

function theme(language: Language) {
  const say = (key: MessageKey) => translate(language, key);
  return {
    style: {
      keysHelpTip: (keys: ReadonlyArray<readonly [string, string]>) => keys.map(([key, action]) => `${key} ${HINTS[action] ? say(HINTS[action]!) : action}`).join(' • '),
    },
    i18n: { disabledError: say('prompt.disabled') },
  };
}

/** The prompts urp uses, themed in the user's language. */
export function prompts(context: { readonly language: Language }) {
  const themed = theme(context.language);
  return {
    select: <Value>(config: SelectConfig<Value>) => inquirerSelect<Value>({ ...config, theme: { ...themed, ...config.theme } } as SelectConfig<Value>),
    input: (config: InputConfig) => inquirerInput({ ...config, theme: { ...config.theme } }),
    confirm: (config: { message: string; default?: boolean }) => localisedConfirm({ ...config, language: context.language }),
  };
}

/** The answers a language accepts for yes and no (the catalogue lists them: `sì,si,s`). */
export function confirmAnswer(language: Language, typed: string): boolean | undefined {
  const words = (key: MessageKey) => [...translate(language, key).split(','), ...translate('en', key).split(',')].map((word) => word.trim().toLowerCase()).filter(Boolean);
  const answer = typed.trim().toLowerCase();
  if (words('prompt.confirm.yesWords').includes(answer)) return true;
  if (words('prompt.confirm.noWords').includes(answer)) return false;
  return undefined;
}

/**
 * A yes/no question: enter takes the default (shown in capitals: `(S/n)`),
 * anything else must be one of the language's answers, or the question
 * stays and says what to type.
 */
const localisedConfirm = createPrompt<boolean, { message: string; default?: boolean; language: Language }>((config, done) => {
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const promptTheme = makeTheme();
  const prefix = usePrefix({ status, theme: promptTheme });
  const say = (key: MessageKey) => translate(config.language, key);
  const yes = say('prompt.confirm.yes');
  const no = say('prompt.confirm.no');
  useKeypress((key, readline) => {
    if (status !== 'idle') return;
    if (isEnterKey(key)) {
      const answer = value.trim() === '' ? config.default !== false : confirmAnswer(config.language, value);
      if (answer === undefined) {
        // The line was taken by enter: put back what was typed, to be corrected.
        readline.write(value);
        setError(say('prompt.confirm.error'));
        return;
      }
      setValue(answer ? yes : no);
      setStatus('done');
      done(answer);
    } else {
      setValue(readline.line);
      setError(undefined);
    }
  });
  const [first, second] = [yes[0]!.toLowerCase(), no[0]!.toLowerCase()];
  // The theme puts the brackets round it: (S/n).
  const hint = config.default === false ? `${first}/${second.toUpperCase()}` : `${first.toUpperCase()}/${second}`;
  const message = promptTheme.style.message(config.message, status);
  const shown = status === 'done' ? promptTheme.style.answer(value) : value;
  return [`${prefix} ${message}${status === 'done' ? '' : ` ${promptTheme.style.defaultAnswer(hint)}`} ${shown}`, error ? promptTheme.style.error(error) : ''];
});

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
