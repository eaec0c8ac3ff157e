/**
 * The glossary: codes stored in the database and printed in JSON, with their
 * labels. Input accepts the code or the Italian label, case-insensitive
 * (SPEC section 2).
 */

export type Language = 'it' | 'en';

interface Term {
  readonly it: string;
  readonly en: string;
}

function vocabulary<const Code extends string>(terms: Record<Code, Term>) {
  const codes = Object.keys(terms) as Code[];
  const lookup = new Map<string, Code>();
  for (const code of codes) {
    lookup.set(code.toLowerCase(), code);
    lookup.set(terms[code].it.toLowerCase(), code);
    lookup.set(terms[code].en.toLowerCase(), code);
  }
  return {
    codes,
    label: (code: Code, language: Language): string => terms[code][language],
    /** The code for a code or a label, or undefined when it is neither. */
    parse: (text: string): Code | undefined => lookup.get(text.trim().toLowerCase()),
    is: (text: unknown): text is Code => typeof text === 'string' && (codes as string[]).includes(text),
  };
}

export const reportTypes = vocabulary({
  complaint: { it: 'reclamo', en: 'complaint' },
  problem: { it: 'segnalazione', en: 'problem report' },
  suggestion: { it: 'suggerimento', en: 'suggestion' },
});
export type ReportType = (typeof reportTypes.codes)[number];

export const channels = vocabulary({
  phone: { it: 'telefono', en: 'phone' },
  paper: { it: 'cartaceo', en: 'paper' },
  email: { it: 'e-mail', en: 'e-mail' },
  pec: { it: 'PEC', en: 'PEC (certified e-mail)' },
  counter: { it: 'sportello', en: 'counter' },
  web: { it: 'web', en: 'web' },
});
export type Channel = (typeof channels.codes)[number];

export const statuses = vocabulary({
  registered: { it: 'registrata', en: 'registered' },
  assigned: { it: 'assegnata', en: 'assigned' },
  acknowledged: { it: 'presa in carico', en: 'acknowledged' },
  suspended: { it: 'sospesa', en: 'suspended' },
  answered: { it: 'risposta inviata', en: 'answered' },
  closed: { it: 'chiusa', en: 'closed' },
  rejected: { it: 'respinta', en: 'rejected' },
});
export type Status = (typeof statuses.codes)[number];

export const outcomes = vocabulary({
  resolved: { it: 'risolta', en: 'resolved' },
  unresolved: { it: 'non risolta', en: 'unresolved' },
  information: { it: 'informativa', en: 'information' },
  not_competent: { it: 'non di competenza', en: 'not competent' },
});
export type Outcome = (typeof outcomes.codes)[number];

export const replyChannels = vocabulary({
  email: { it: 'e-mail', en: 'e-mail' },
  letter: { it: 'lettera', en: 'letter' },
  phone: { it: 'telefono', en: 'phone' },
  pec: { it: 'PEC', en: 'PEC' },
  counter: { it: 'sportello', en: 'counter' },
});
export type ReplyChannel = (typeof replyChannels.codes)[number];

export const roles = vocabulary({
  admin: { it: 'amministratore', en: 'administrator' },
  urp: { it: 'URP', en: 'URP clerk' },
  area: { it: 'area', en: 'area office' },
});
export type Role = (typeof roles.codes)[number];
