import { Chalk, type ChalkInstance } from 'chalk';
import type { Writable } from 'node:stream';
import { escapeUnsafeInJson } from '../text/control-characters.js';
import { safeLine, safeText } from './terminal-text.js';

/**
 * Where and how things are printed, decided once (SPEC section 5):
 * data to stdout, messages to stderr; tables and colour only on a terminal;
 * colour also off with NO_COLOR, TERM=dumb or --no-color (chalk does not
 * honour NO_COLOR by itself).
 */
export { FORMULA } from '../text/spreadsheet-formula.js';
import { FORMULA } from '../text/spreadsheet-formula.js';

export interface OutputOptions {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly color: boolean;
  readonly quiet: boolean;
}

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  /** Right-align (numbers). */
  readonly right?: boolean;
  /**
   * Colour for a terminal, applied after the text is neutralised (so that
   * urp's own escape codes are not neutralised with the citizen's).
   */
  readonly style?: (row: Row, text: string) => string;
}

/** How a terminal table is laid out: column widths (cells and headers wrap within them). */
export interface TableLayout {
  readonly widths?: readonly number[];
}

export class Output {
  readonly rich: boolean;
  readonly colour: ChalkInstance;
  readonly stderrColour: ChalkInstance;
  private readonly options: OutputOptions;

  constructor(options: OutputOptions) {
    this.options = options;
    const colourAllowed = options.color && !options.env.NO_COLOR && options.env.TERM !== 'dumb';
    this.rich = options.stdout.isTTY === true;
    this.colour = new Chalk({ level: colourAllowed && this.rich ? 1 : 0 });
    this.stderrColour = new Chalk({ level: colourAllowed && options.stderr.isTTY ? 1 : 0 });
  }

  /** Data, to stdout. */
  write(text: string): void {
    this.options.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** JSON, its zero-width, bidirectional and other unsafe characters as \u escapes (the same value). */
  json(value: unknown): void {
    this.write(escapeUnsafeInJson(JSON.stringify(value, null, 2)));
  }

  /** A message for the person (progress, confirmation), to stderr; silenced by --quiet. */
  info(text: string): void {
    if (!this.options.quiet) this.options.stderr.write(`${text}\n`);
  }

  success(text: string): void {
    this.info(this.stderrColour.green(text));
  }

  warn(text: string): void {
    this.options.stderr.write(`${this.stderrColour.yellow(text)}\n`);
  }

  error(text: string): void {
    this.options.stderr.write(`${this.stderrColour.red(text)}\n`);
  }

  /**
   * Rows as a table on a terminal, as tab-separated lines (with a header)
   * when piped: no box drawing, no truncation. Cells are neutralised.
   */
  async table<Row>(columns: readonly Column<Row>[], rows: readonly Row[], layout?: TableLayout): Promise<void> {
    this.write(await this.tableText(columns, rows, layout));
  }

  /** The text `table` writes. */
  async tableText<Row>(columns: readonly Column<Row>[], rows: readonly Row[], layout?: TableLayout): Promise<string> {
    const cells = rows.map((row) => columns.map((column) => safeLine(column.value(row))));
    if (!this.rich) {
      return [columns.map((column) => column.header).join('\t'), ...cells.map((line) => line.join('\t'))].join('\n');
    }
    const { default: Table } = await import('cli-table3');
    const table = new Table({
      head: columns.map((column) => this.colour.bold(column.header)),
      style: { head: [], border: [] },
      colAligns: columns.map((column) => (column.right ? 'right' : 'left')),
      wordWrap: true,
      ...(layout?.widths && { colWidths: [...layout.widths] }),
    });
    rows.forEach((row, index) =>
      table.push(cells[index]!.map((cell, column) => columns[column]!.style?.(row, cell) ?? cell)),
    );
    return table.toString();
  }

  /**
   * Rows as plain aligned columns, for printouts that go to a printer or an
   * e-mail: no box drawing, nothing truncated (the last column is not padded).
   */
  aligned<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
    const cells = [columns.map((column) => column.header), ...rows.map((row) => columns.map((column) => safeLine(column.value(row))))];
    // A loop, not Math.max(...): a printout may have more rows than a call may have arguments.
    const widths = columns.map((_, index) => cells.reduce((widest, line) => Math.max(widest, line[index]!.length), 0));
    return cells
      .map((line) =>
        line
          .map((cell, index) => {
            if (index === line.length - 1) return cell;
            return columns[index]!.right ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!);
          })
          .join('  ')
          .trimEnd(),
      )
      .join('\n');
  }

  /**
   * Rows as CSV (for --csv), formulas neutralised so a spreadsheet will not
   * run them. CSV is data, written as stored; but on a terminal a citizen's
   * control characters are shown, not obeyed, as everywhere else.
   */
  async csv<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): Promise<void> {
    const { default: Papa } = await import('papaparse');
    const data = rows.map((row) => columns.map((column) => this.csvCell(column.value(row))));
    this.write(Papa.unparse({ fields: columns.map((column) => column.header), data }, { escapeFormulae: FORMULA, newline: '\n' }));
  }

  /** A CSV cell on its way to stdout: on a terminal, control characters shown, not obeyed; to a pipe, as stored. */
  readonly csvCell = (text: string): string => (this.rich ? safeText(text) : text);

  /** "key: value" lines, aligned, for one record. */
  fields(pairs: ReadonlyArray<readonly [string, string]>): void {
    const width = Math.max(...pairs.map(([label]) => label.length));
    this.write(pairs.map(([label, value]) => `${this.colour.bold(label.padEnd(width))}  ${value}`).join('\n'));
  }
}
