import type { Language } from '../domain/vocabulary.js';

/** --lang, else URP_LANG, else LC_ALL / LANG: Italian for it_*, English otherwise. */
export function resolveLanguage(flag: string | undefined, env: NodeJS.ProcessEnv): Language {
  const chosen = flag ?? env.URP_LANG;
  if (chosen) return chosen.toLowerCase().startsWith('it') ? 'it' : 'en';
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('it') ? 'it' : 'en';
}
