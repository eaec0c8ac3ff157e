import { review } from '../../domain/review.js';
import { documentLanguage } from '../../domain/vocabulary.js';
import { documentText } from '../../i18n/document-text.js';
import { asOfOption } from '../as-of.js';
import { parseOptions, text } from '../command-options.js';
import { columnReader } from '../../storage/column-reader.js';
import type { CliContext } from '../context.js';
import { writeDocument } from '../document-output.js';
import type { CommandInput } from '../command-types.js';
import { formatDate } from '../render/dates.js';
import { statisticsPeriod } from '../report-filter-options.js';

/**
 * `urp review [--from D] [--to D] [--format pdf|html] [--output FILE]`
 * (issue 15): the pack for the management review. The period is chosen as
 * `urp stats` chooses it (default: 1 January to now), and the figures are
 * those of `urp stats` for it. Aggregates only, no personal data: every
 * role may print it, as every role may run `urp stats`.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ from: text, to: text, format: text, output: text, asOf: text }, options);
  const store = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const { from, to } = statisticsPeriod(input, settings.timeZone, asOf, context.clock());
  const format = input.format ?? (/\.html?$/i.test(input.output ?? '') ? 'html' : 'pdf');
  const language = documentLanguage(context.language);
  const figures = await review(
    store.db,
    { from, to, asOf, timeZone: settings.timeZone },
    settings,
    { other: documentText(language, 'review.other'), none: documentText(language, 'review.none') },
    columnReader(store),
  );
  const { buildReviewDocument } = await import('../../documents/review-content.js');
  const document = buildReviewDocument(figures, {
    language,
    organisation: settings.organisationName,
    timeZone: settings.timeZone,
    assignHours: settings.assignHours,
    replyDays: settings.replyDays,
    generatedAt: context.clock(),
  });
  const bytes =
    format === 'html'
      ? (await import('../../documents/review-html.js')).renderReviewHtml(document)
      : await (await import('../../documents/review-pdf.js')).renderReviewPdf(document, context.clock());
  const day = (instant: Date) => formatDate(instant.toISOString(), settings.timeZone, 'en', false);
  const name = `${language === 'it' ? 'riesame' : 'review'}-${day(from)}-${day(to)}.${format}`;
  const path = writeDocument(context, bytes, input.output, name, format.toUpperCase());
  if (path !== '-') {
    const shown = (instant: Date) => formatDate(instant.toISOString(), settings.timeZone, language, true);
    context.output.success(context.t('review.written', { from: shown(from), to: shown(to), path }));
  }
}
