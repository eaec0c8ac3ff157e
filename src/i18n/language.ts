/**
 * A language of urp's text: its code (`en`, `it`...), the name of its
 * catalogue file in src/i18n. English is the source every catalogue is
 * checked against; a language without a file of its own falls back to it.
 */
export type Language = string;

export const SOURCE_LANGUAGE = 'en';

/** What a language code looks like (a catalogue's file name): `it`, `en`, `fur`, `pt-BR`. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(?:-[A-Z]{2})?$/;

/** The locale Intl formats numbers, plurals and dates with, for a language code. */
export function localeOf(language: Language): string {
  return language === 'it' ? 'it-IT' : language === 'en' ? 'en-GB' : language;
}

/**
 * A message: a text with placeholders written {name}, or its plural forms
 * (Intl.PluralRules categories: `one`, `other`, and `zero`, `two`, `few`,
 * `many` for languages that have them), chosen by the parameter `count`.
 */
export type PluralMessage = { readonly other: string } & { readonly [Form in Exclude<Intl.LDMLPluralRule, 'other'>]?: string };
export type Message = string | PluralMessage;
