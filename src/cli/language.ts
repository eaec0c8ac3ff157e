import { type Language, LANGUAGE_CODE, SOURCE_LANGUAGE } from '../i18n/language.js';
import { hasLanguage } from '../i18n/messages.js';

/**
 * The language of everything urp says, decided once per process:
 *
 *   1. --lang, then URP_LANG: what this person or this script asked for;
 *   2. the register's `language` setting (urp config set language it): the
 *      office's language, for every process on that register, cron included,
 *      whose environment rarely carries a locale;
 *   3. LC_ALL, LC_MESSAGES, LANG: the account's locale (`it_IT.UTF-8` is
 *      Italian; a language urp has no catalogue for is English);
 *   4. English.
 *
 * The register is read before the command line is parsed (commander writes
 * the help and its errors during the parse), so `urp report new --help` on an
 * Italian register is Italian.
 */
export interface LanguageSources {
  readonly flag?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  /** The register's setting, when it has one. */
  readonly register?: string | undefined;
}

/** Where the language came from: a request (flag, URP_LANG) must name a catalogue; the rest fall back. */
export interface ChosenLanguage {
  readonly language: Language;
  readonly requested: boolean;
}

export function chooseLanguage({ flag, env, register }: LanguageSources): ChosenLanguage {
  const asked = flag ?? (env.URP_LANG || undefined);
  if (asked !== undefined) return { language: normaliseLanguage(asked), requested: true };
  if (register) return { language: normaliseLanguage(register), requested: false };
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return { language: localeLanguage(locale), requested: false };
}

/** `it`, `IT`, `it_IT.UTF-8`, `it-CH` are all Italian; other text is returned lower-cased, to be checked against the catalogues. */
export function normaliseLanguage(text: string): Language {
  const trimmed = text.trim();
  const match = /^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}))?(?:[.@].*)?$/.exec(trimmed);
  if (!match) return trimmed.toLowerCase();
  return match[1]!.toLowerCase();
}

/** A locale's language (`it_IT.UTF-8`: it); C, POSIX and unset are English. */
function localeLanguage(locale: string): Language {
  const language = normaliseLanguage(locale);
  return LANGUAGE_CODE.test(language) && language !== 'c' ? language : SOURCE_LANGUAGE;
}

/** The language chosen, among the catalogues loaded (English when there is none for it). */
export function resolveLanguage(flag: string | undefined, env: NodeJS.ProcessEnv, register?: string): Language {
  const { language } = chooseLanguage({ flag, env, register });
  return hasLanguage(language) ? language : SOURCE_LANGUAGE;
}
