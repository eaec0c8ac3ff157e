/**
 * The topics of `urp help <topic>` (`urp guida <argomento>`), by the names
 * people type in English and Italian. Kept apart from the command that prints
 * them so that the entry point can tell a topic from a command name
 * (`urp help report new` is the help of `urp report new`).
 */
export const HELP_TOPICS = {
  deadlines: ['deadlines', 'deadline', 'scadenze', 'scadenza', 'termini'],
  statuses: ['statuses', 'status', 'states', 'workflow', 'stati', 'stato'],
  import: ['import', 'columns', 'importazione', 'importare', 'colonne'],
  exitCodes: ['exit-codes', 'exit', 'codes', 'codici-di-uscita', 'codici', 'uscita'],
  privacy: ['privacy', 'gdpr', 'dati-personali'],
} as const;

export type HelpTopic = keyof typeof HELP_TOPICS;

/** The topic a word names, or undefined. */
export function helpTopic(word: string): HelpTopic | undefined {
  const wanted = word.trim().toLowerCase();
  return (Object.keys(HELP_TOPICS) as HelpTopic[]).find((topic) => (HELP_TOPICS[topic] as readonly string[]).includes(wanted));
}

/** The command words that ask for help (`guida` is Italian). */
export const HELP_COMMANDS = ['help', 'guida'];
