/**
 * Build step: the manual page urp(1), written from the same command
 * definitions and catalogue as `urp --help` (src/cli/help-document.ts), in
 * English (dist/urp.1, package.json "man") and Italian (dist/urp.it.1:
 * `man dist/urp.it.1`).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import packageJson from '../../package.json' with { type: 'json' };
import { topicText } from '../cli/commands/help.js';
import { manPage } from '../cli/help-document.js';
import { HELP_TOPICS, type HelpTopic } from '../cli/help-topics.js';
import { buildProgram } from '../cli/program.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The date of the page: the build's, as a day (man shows it in its footer).
const date = new Date().toISOString().slice(0, 10);

for (const [language, file] of [['en', 'urp.1'], ['it', 'urp.it.1']] as const) {
  const program = buildProgram({ language, group: '*', writeOut: () => undefined, writeErr: () => undefined, execute: async () => undefined });
  const topics: Record<string, string> = {};
  for (const topic of Object.keys(HELP_TOPICS) as HelpTopic[]) {
    const text = await topicText(language, topic);
    topics[text.split('\n')[0]!] = text;
  }
  writeFileSync(join(dist, file), manPage(program, language, packageJson.version, date, topics));
}
