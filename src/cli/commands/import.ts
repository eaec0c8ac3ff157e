import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import Papa from 'papaparse';
import { InputError } from '../../domain/errors.js';
import { ImportRefused, type ImportSummary, type RejectedRow, type RowError, importReports } from '../../domain/import/importer.js';
import { type ImportEncoding, type ImportFormat, formatFromPath } from '../../domain/import/readers.js';
import { translate } from '../../i18n/messages.js';
import { argument, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { FORMULA } from '../output.js';
import { checkOutputPath, outputTarget } from '../output-file.js';
import type { CommandInput } from '../command-types.js';
import { safeLine } from '../terminal-text.js';
import { createPrivateFile } from '../../storage/private-files.js';

/**
 * `urp import <file> [--dry-run] [--skip-invalid --rejects FILE]`: all or
 * nothing by default; errors name line and column; a progress bar on a
 * terminal; one summary line at the end. Exit 2 when refused, 3 when rows
 * were rejected with --skip-invalid.
 */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<number> {
  const input = parseOptions(
    { dryRun: flag, skipInvalid: flag, rejects: text, format: text, encoding: text, json: flag },
    options,
  );
  // `-` reads standard input (`… | urp import - --format jsonl`); CSV unless told.
  const path = argument(args, 0, 'file');
  const format = (input.format ?? formatFromPath(path)) as ImportFormat;
  const encoding = (input.encoding ?? 'utf8') as ImportEncoding;
  if (input.skipInvalid && !input.rejects) throw new InputError('import.rejectsRequired', {}, 'rejects');
  const store = await context.store();
  const settings = await context.settings();

  if (input.rejects) checkOutputPath(input.rejects, 'rejects', { database: context.databasePath, inputs: [path] });
  const rejects = input.rejects ? new RejectsFile(input.rejects, format, context, context.databasePath) : undefined;
  const progress = await progressBar(context);
  let summary: ImportSummary;
  try {
    summary = await importReports(store.db, context.actor('import'), settings, {
      path,
      format,
      encoding,
      dryRun: input.dryRun === true,
      skipInvalid: input.skipInvalid === true,
      ...(rejects && { onRejected: (row: RejectedRow) => rejects.write(row) }),
      ...(progress && { onProgress: progress.update }),
    });
  } catch (error) {
    progress?.stop();
    // Refused, the file was read: its bad rows are in the rejects file. Anything else left it as it was.
    const refused = error instanceof ImportRefused;
    if (!refused) rejects?.close(false);
    const leftAt = refused ? rejects?.settle() : undefined;
    if (error instanceof ImportRefused) {
      printErrors(context, error.summary);
      context.output.error(summaryLine(context, error.summary));
    }
    if (leftAt !== undefined) context.output.error(context.t('import.rejectsLeftAside', { path: input.rejects!, aside: leftAt }));
    throw error;
  }
  progress?.stop();
  // The import is written: a rejects file that cannot be put in place is said so, its rows kept where they are (exit 1).
  const leftAt = rejects?.settle();
  printErrors(context, summary);
  if (input.json) context.output.json(summary);
  context.output.info(summaryLine(context, summary));
  if (summary.dryRun) context.output.info(context.t('import.dryRun'));
  if (leftAt !== undefined) {
    context.output.error(context.t('import.rejectsLeftAside', { path: input.rejects!, aside: leftAt }));
    return 1;
  }
  if (rejects && summary.rejected > 0) context.output.info(context.t('import.rejectsWritten', { path: input.rejects! }));
  return summary.rejected > 0 ? 3 : 0;
}

function describe(context: CliContext, error: RowError): string {
  const message = translate(context.language, error.key, error.params);
  // Values quoted from the file (an unknown type, a reference) may hold control characters.
  return safeLine(
    error.column
      ? context.t('import.rowError', { line: error.line, field: error.column, message })
      : context.t('import.lineError', { line: error.line, message }),
  );
}

function printErrors(context: CliContext, summary: ImportSummary): void {
  for (const error of summary.errors) context.output.warn(describe(context, error));
  if (summary.errorCount > summary.errors.length) {
    context.output.warn(context.t('import.moreErrors', { count: summary.errorCount - summary.errors.length }));
  }
}

function summaryLine(context: CliContext, summary: ImportSummary): string {
  const seconds = Math.max(summary.seconds, 0.001);
  return context.t('import.summary', {
    read: summary.read,
    imported: summary.imported,
    skipped: summary.skipped,
    rejected: summary.rejected,
    seconds: seconds.toFixed(2),
    rate: Math.round(summary.read / seconds),
  });
}

/** A progress bar on stderr, only on a terminal (and not with --quiet), redrawn at most ten times a second. */
async function progressBar(context: CliContext): Promise<{ update: (read: number, total: number) => void; stop: () => void } | undefined> {
  if (!context.streams.stderr.isTTY || context.globals.quiet) return undefined;
  const { default: progress } = await import('cli-progress');
  const bar = new progress.SingleBar(
    { stream: context.streams.stderr as NodeJS.WriteStream, fps: 10, format: ' {bar} {percentage}% | {value}/{total} MB', hideCursor: true, clearOnComplete: true },
    progress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(read, total) {
      const megabytes = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
      if (!started) {
        // Small files need no bar.
        if (total < 4 * 1_048_576) return;
        bar.start(megabytes(total), 0);
        started = true;
      }
      bar.update(megabytes(read));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * The rejected rows, each with its errors: CSV (the file's own columns, then
 * `errors`) for CSV input, JSON Lines (`_line`, `_errors`) for JSON input.
 * Written beside the file and renamed over it once the import has read its
 * input (ended or refused): an import that could not start (a mistyped
 * path, a bad header, a register it cannot open) leaves an earlier rejects
 * file as it was. A pipe or a device is written into.
 */
class RejectsFile {
  private readonly descriptor: number;
  private readonly path: string;
  private readonly aside: string | undefined;
  private columns: string[] | undefined;

  constructor(
    private readonly given: string,
    private readonly format: ImportFormat,
    private readonly context: CliContext,
    databasePath: string,
  ) {
    const target = outputTarget(given);
    this.path = target.path;
    this.aside = target.kind === 'file' ? `${target.path}.${process.pid}.tmp` : undefined;
    try {
      createPrivateFile(this.aside ?? this.path, databasePath);
      this.descriptor = openSync(this.aside ?? this.path, 'w');
    } catch {
      if (this.aside !== undefined) rmSync(this.aside, { force: true });
      throw new InputError('output.cannotWrite', { path: given }, 'rejects');
    }
  }

  write(row: RejectedRow): void {
    const errors = row.errors.map((error) => describe(this.context, error)).join('; ');
    if (this.format !== 'csv') {
      writeSync(this.descriptor, `${JSON.stringify({ _line: row.line, _errors: errors, ...row.values })}\n`);
      return;
    }
    if (!this.columns) {
      this.columns = [...Object.keys(row.values), 'errors'];
      writeSync(this.descriptor, `${Papa.unparse([this.columns], { escapeFormulae: FORMULA })}\n`);
    }
    const cells = this.columns.map((column) => (column === 'errors' ? errors : String(row.values[column] ?? '')));
    writeSync(this.descriptor, `${Papa.unparse([cells], { escapeFormulae: FORMULA })}\n`);
  }

  /**
   * After the import was written: put in place, or, if that fails (its
   * folder changed meanwhile), left where it was written, whose path is
   * returned: the import is not undone for it, and its rows are not lost.
   */
  settle(): string | undefined {
    try {
      this.close(true);
      return undefined;
    } catch (error) {
      if (!(error instanceof InputError) || this.aside === undefined) throw error;
      return this.aside;
    }
  }

  /** Put in place (keep: the input was read), or dropped. */
  close(keep: boolean): void {
    closeSync(this.descriptor);
    if (this.aside === undefined) return;
    if (!keep) {
      rmSync(this.aside, { force: true });
      return;
    }
    try {
      renameSync(this.aside, this.path);
    } catch {
      throw new InputError('output.cannotWrite', { path: this.given }, 'rejects');
    }
  }
}
