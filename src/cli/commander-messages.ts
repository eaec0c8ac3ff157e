import { echo } from '../domain/errors.js';
import type { Language } from '../domain/vocabulary.js';

/**
 * commander's own usage errors (unknown option, missing value...), written as
 * urp writes its errors: `urp: error: ...`, in the user's language, with a
 * value typed in the wrong place echoed masked like any other.
 */
const PATTERNS: Array<[RegExp, (match: string[], language: Language) => string]> = [
  [
    /^unknown option '(.+?)'(?:\s*\(Did you mean (.+)\?\))?$/s,
    ([, option, guess], language) =>
      language === 'it' ? `opzione sconosciuta '${echo(option!)}'${guess ? ` (forse ${guess}?)` : ''}` : `unknown option '${echo(option!)}'${guess ? ` (did you mean ${guess}?)` : ''}`,
  ],
  [
    /^unknown command '(.+?)'(?:\s*\(Did you mean (.+)\?\))?$/s,
    ([, command, guess], language) =>
      language === 'it' ? `comando sconosciuto '${echo(command!)}'${guess ? ` (forse ${guess}?)` : ''}` : `unknown command '${echo(command!)}'${guess ? ` (did you mean ${guess}?)` : ''}`,
  ],
  [
    /^option '(.+)' cannot be used with option '(.+)'$/,
    ([, one, other], language) => (language === 'it' ? `l'opzione '${one}' non si può usare con '${other}'` : `option '${one}' cannot be used with option '${other}'`),
  ],
  [/^required option '(.+)' not specified$/, ([, option], language) => (language === 'it' ? `manca l'opzione obbligatoria '${option}'` : `required option '${option}' not specified`)],
  [/^option '(.+)' argument missing$/, ([, option], language) => (language === 'it' ? `manca il valore dell'opzione '${option}'` : `option '${option}' needs a value`)],
  [/^missing required argument '(.+)'$/, ([, name], language) => (language === 'it' ? `manca l'argomento obbligatorio '${name}'` : `missing required argument '${name}'`)],
  [
    /^too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    ([, , expected, got], language) => (language === 'it' ? `troppi argomenti: attesi ${expected}, dati ${got}` : `too many arguments: expected ${expected}, got ${got}`),
  ],
  [
    /^option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/s,
    ([, option, value, allowed], language) =>
      language === 'it' ? `'${echo(value!)}' non è ammesso per '${option}' (ammessi: ${allowed})` : `'${echo(value!)}' is not allowed for '${option}' (allowed: ${allowed})`,
  ],
];

export function commanderError(text: string, language: Language): string {
  const message = text.trim().replace(/^error:\s*/, '');
  for (const [pattern, say] of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return `urp: ${language === 'it' ? 'errore' : 'error'}: ${say(match, language)}\n`;
  }
  return `urp: ${language === 'it' ? 'errore' : 'error'}: ${message}\n`;
}
