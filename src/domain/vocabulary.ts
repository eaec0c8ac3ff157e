import type { Language } from '../i18n/language.js';
import { type MessageKey, loadedLanguages, translate } from '../i18n/messages.js';
import { fold } from '../text/fold.js';

/**
 * The glossary: codes stored in the database and printed in JSON, with their
 * labels in the catalogues (`term.<vocabulary>.<code>`, src/i18n). Input
 * accepts the code, its label in any language urp speaks, or a synonym a
 * clerk types (`posta` for a paper letter), whatever the case and accents
 * (SPEC section 2).
 */

export type { Language };
/** The languages urp's documents and message templates are written in (a letter, a receipt). */
export type DocumentLanguage = 'it' | 'en';
/** The document language for a language of the interface: its own when urp has it, else English. */
export const documentLanguage = (language: Language): DocumentLanguage => (language === 'it' ? 'it' : 'en');

function vocabulary<const Code extends string>(name: string, codes: readonly Code[], synonyms: Partial<Record<Code, readonly string[]>> = {}) {
  let lookup: Map<string, Code> | undefined;
  /** Built on first use, from every catalogue loaded by then (a third language is loaded at start-up). */
  const table = () => {
    if (lookup) return lookup;
    lookup = new Map<string, Code>();
    for (const code of codes) {
      const words = [code, ...loadedLanguages().map((language) => translate(language, key(code))), ...(synonyms[code] ?? [])];
      for (const word of words) lookup.set(fold(word), code);
    }
    return lookup;
  };
  const key = (code: Code) => `term.${name}.${code}` as MessageKey;
  return {
    codes,
    label: (code: Code, language: Language): string => translate(language, key(code)),
    /** The code for a code, a label or a synonym, or undefined when it is none of them. */
    parse: (text: string): Code | undefined => table().get(fold(text.trim())),
    is: (text: unknown): text is Code => typeof text === 'string' && (codes as readonly string[]).includes(text),
  };
}

export const reportTypes = vocabulary('type', ['complaint', 'problem', 'suggestion'], {
  problem: ['problema'],
  suggestion: ['proposta'],
});
export type ReportType = (typeof reportTypes.codes)[number];

export const channels = vocabulary('channel', ['phone', 'paper', 'email', 'pec', 'counter', 'web'], {
  // What a clerk says of a letter, a mail, a call.
  paper: ['posta', 'lettera', 'raccomandata', 'carta', 'letter', 'post'],
  email: ['mail', 'posta elettronica'],
  phone: ['telefonata', 'tel', 'call'],
  pec: ['posta certificata', 'posta elettronica certificata'],
  counter: ['di persona', 'in person'],
  web: ['sito', 'internet', 'online'],
});
export type Channel = (typeof channels.codes)[number];

export const statuses = vocabulary('status', ['registered', 'assigned', 'acknowledged', 'suspended', 'answered', 'closed', 'rejected']);
export type Status = (typeof statuses.codes)[number];

export const outcomes = vocabulary('outcome', ['resolved', 'unresolved', 'information', 'not_competent'], {
  not_competent: ['not competent', 'non competente'],
});
export type Outcome = (typeof outcomes.codes)[number];

export const replyChannels = vocabulary('reply', ['email', 'letter', 'phone', 'pec', 'counter'], {
  letter: ['posta', 'cartaceo', 'raccomandata', 'paper'],
  email: ['mail'],
  phone: ['telefonata', 'tel'],
});
export type ReplyChannel = (typeof replyChannels.codes)[number];

export const roles = vocabulary('role', ['admin', 'urp', 'area']);

/** How `stats --by` groups the reports: the codes, or their Italian names (`--by mese`). */
export const statsGroups = vocabulary('group', ['area', 'type', 'channel', 'category', 'month'], {
  month: ['mesi', 'months'],
});
export type Role = (typeof roles.codes)[number];
