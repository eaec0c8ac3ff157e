import { letterData, recordLetterWritten } from '../../domain/letters.js';
import { currentYearOf, parseReportNumber } from '../../domain/report-numbers.js';
import type { DocumentLanguage as Language } from '../../domain/vocabulary.js';
import { argument, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { writeDocument } from '../document-output.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp report letter <number> [--output FILE]` (issue 15): the reply letter
 * as a PDF for the post or a PEC, a draft while the report is not answered.
 * In Italian, the citizen's language, unless --lang en is given: the
 * operator's own language (LANG, URP_LANG) does not change the letter.
 */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ output: text }, options);
  const language: Language = context.globals.lang?.toLowerCase() === 'en' ? 'en' : 'it';
  const { db } = await context.store();
  const settings = await context.settings();
  const { number } = parseReportNumber(argument(args, 0, 'number'), 'number', currentYearOf(context.clock(), settings.timeZone));
  const letter = await letterData(db, context.actor(), number, settings);
  const { renderLetter } = await import('../../documents/letter.js');
  const pdf = await renderLetter(letter, language);
  const name = `${language === 'it' ? 'lettera' : 'letter'}-${number.replace('/', '-')}${letter.reply ? '' : language === 'it' ? '-bozza' : '-draft'}.pdf`;
  const path = writeDocument(context, pdf, input.output, name, 'PDF');
  await recordLetterWritten(db, context.actor(), letter);
  if (letter.citizen.addressLines.length === 0) context.output.warn(context.t('letter.noAddress', { id: letter.citizen.id }));
  if (path !== '-') context.output.success(context.t(letter.reply ? 'letter.written' : 'letter.draftWritten', { number, path }));
}
