import en from './en.js';
import it from './it.js';
import { type Language, LANGUAGE_CODE, type Message, SOURCE_LANGUAGE, localeOf } from './language.js';

export type { Language, Message, PluralMessage } from './language.js';

/**
 * urp's text, one catalogue per language: en.ts (the source), it.ts (typed
 * against it: a missing or extra key does not compile), and any other
 * language as a file of its own, found by its code (loadLanguage).
 *
 * `catalog` below is where [English, Italian] pairs used to be written; a
 * merge of older work may bring some here: scripts/split-catalogue.mjs moves
 * them into en.ts and it.ts (the catalogue test refuses any left behind).
 */
const catalog = {
  // Empty: the messages are in en.ts and it.ts. Pairs a merge brings here are moved by scripts/split-catalogue.mjs.
} as const satisfies Record<string, readonly [Message, Message]>;

export type MessageKey = keyof typeof en | keyof typeof catalog;
export type MessageParams = Readonly<Record<string, string | number>>;
/** A language's messages: every key of the English source. */
export type Catalogue = { readonly [Key in MessageKey]: Message };

/** Pairs not yet moved out of `catalog` (none, once scripts/split-catalogue.mjs has run). */
export const UNSPLIT_KEYS: readonly string[] = Object.keys(catalog);

function withUnsplit(catalogue: object, index: 0 | 1): Catalogue {
  if (UNSPLIT_KEYS.length === 0) return catalogue as Catalogue;
  const pairs = catalog as Record<string, readonly [Message, Message]>;
  return { ...catalogue, ...Object.fromEntries(UNSPLIT_KEYS.map((key) => [key, pairs[key]![index]])) } as Catalogue;
}

const english = withUnsplit(en, 0);
const italian = withUnsplit(it, 1);

/** The catalogues loaded: the two urp ships, and any other once loadLanguage has read its file. */
const catalogues = new Map<Language, Partial<Catalogue>>([
  [SOURCE_LANGUAGE, english],
  ['it', italian],
]);

/**
 * Makes a language's catalogue ready: src/i18n/<code>.ts, found by its name
 * (the bundler includes every file of this folder that an import could name),
 * so that a new language is a new file and nothing else. Returns false when
 * there is no such catalogue.
 */
export async function loadLanguage(language: Language): Promise<boolean> {
  if (catalogues.has(language)) return true;
  if (!LANGUAGE_CODE.test(language)) return false;
  try {
    const module = (await import(`./${language}.js`)) as { default?: unknown };
    const loaded = module.default;
    if (!loaded || typeof loaded !== 'object' || !('error.prefix' in loaded)) return false;
    catalogues.set(language, loaded as Partial<Catalogue>);
    return true;
  } catch {
    return false;
  }
}

/** The languages whose catalogues are loaded. */
export function loadedLanguages(): Language[] {
  return [...catalogues.keys()];
}

/** Whether a language's catalogue is loaded (the two built in always are). */
export function hasLanguage(language: Language): boolean {
  return catalogues.has(language);
}

const pluralRules = new Map<Language, Intl.PluralRules>();

function pluralForm(language: Language, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(localeOf(language))));
  return rules.select(count);
}

/** The message in a language (English where its catalogue lacks one), its plural form chosen by {count}, placeholders filled in. */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
  const message = catalogues.get(language)?.[key] ?? english[key];
  return fill(pickForm(message, language, params), params);
}

/**
 * A message whose key is built at run time (a command's help, a topic), or
 * undefined when no catalogue has it: for texts looked up by a name the
 * program makes, which a test walks to prove every one is there.
 */
export function translateOptional(language: Language, key: string, params: MessageParams = {}): string | undefined {
  const message = catalogues.get(language)?.[key as MessageKey] ?? english[key as MessageKey];
  return message === undefined ? undefined : fill(pickForm(message, language, params), params);
}

function pickForm(message: Message, language: Language, params: MessageParams): string {
  if (typeof message === 'string') return message;
  const count = Number(params.count);
  return (Number.isFinite(count) ? message[pluralForm(language, count)] : undefined) ?? message.other;
}

/** Each template split once into its texts and placeholder names, alternately (a printout fills thousands). */
const splitTemplates = new Map<string, string[]>();

function fill(template: string, params: MessageParams): string {
  let pieces = splitTemplates.get(template);
  if (pieces === undefined) splitTemplates.set(template, (pieces = template.split(/\{(\w+)\}/)));
  let text = pieces[0]!;
  for (let index = 1; index < pieces.length; index += 2) {
    const name = pieces[index]!;
    text += (name in params ? String(params[name]) : `{${name}}`) + pieces[index + 1]!;
  }
  return text;
}
