import { Chalk, type ChalkInstance } from 'chalk';
import type { Writable } from 'node:stream';
import { escapeUnsafeInJson, escapeUnsafeLines } from '../text/control-characters.js';
import { safeLine, safeText } from './terminal-text.js';
import { displayWidth, fitText, wrapText } from './text-width.js';

/**
 * Where and how things are printed, decided once (SPEC section 5):
 * data to stdout, messages to stderr; tables and colour only on a terminal;
 * colour also off with NO_COLOR, TERM=dumb or --no-color (chalk does not
 * honour NO_COLOR by itself). A command hands rows and columns to `emit`,
 * which picks a table, plain lines, JSON, CSV or a spreadsheet.
 */
export { FORMULA } from '../text/spreadsheet-formula.js';
import { FORMULA } from '../text/spreadsheet-formula.js';

export interface OutputOptions {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly color: boolean;
  readonly quiet: boolean;
  /** false with --no-pager. */
  readonly pager?: boolean;
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
  /** Long text (a subject, a name) that a terminal table may cut short with … to fit. */
  readonly shrink?: boolean;
  /** When the table is still too wide: columns with a drop order go, the highest first. */
  readonly drop?: number;
}

/** How a terminal table is laid out: its width (default: the terminal's). */
export interface TableLayout {
  readonly width?: number;
}

/** What the gap between two columns is, on a terminal and on paper. */
const GAP = '  ';
/** A cell cut short is never narrower than this, unless its column is. */
const MIN_CELL = 8;

/** The formats a list command can print (its flags: --json, --csv, --csv-excel, --xlsx; none: a table or plain lines). */
export type ListFormat = 'table' | 'json' | 'csv' | 'csv-excel' | 'xlsx';

/** A list, as every list command hands it to `emit`. */
export interface List<Row> {
  readonly rows: readonly Row[];
  /** For people: the terminal table, and the plain tab-separated lines when piped. */
  readonly table: readonly Column<Row>[];
  /** --csv: the machine format (codes, ISO instants), read back by programs. */
  readonly csv?: readonly Column<Row>[];
  /** --xlsx and --csv-excel: labels in the user's language, typed cells. */
  readonly sheet?: readonly import('./spreadsheet.js').SheetColumn<Row>[];
  /** --json (default: the rows themselves). */
  readonly json?: unknown;
  /** The spreadsheet's tab. */
  readonly title?: string;
  /** Said (to stderr) when there are no rows, on a terminal and piped. */
  readonly empty?: string;
}

/** Where a spreadsheet goes and how its cells read (lists without --xlsx need none of it). */
export interface EmitOptions {
  /** --output: where a spreadsheet goes (else standard output, never a terminal). */
  readonly output?: string | undefined;
  readonly timeZone: string;
  readonly language: string;
  /** The database, that no output file may overwrite. */
  readonly database: string;
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

  /** The terminal's width: COLUMNS, else what the terminal says, else 80. */
  get width(): number {
    const given = Number(this.options.env.COLUMNS);
    if (Number.isInteger(given) && given >= 20) return given;
    return this.options.stdout.columns && this.options.stdout.columns >= 20 ? this.options.stdout.columns : 80;
  }

  /** The terminal's height: LINES, else what the terminal says, else 24. */
  get height(): number {
    const given = Number(this.options.env.LINES);
    if (Number.isInteger(given) && given >= 5) return given;
    return this.options.stdout.rows && this.options.stdout.rows >= 5 ? this.options.stdout.rows : 24;
  }

  /** Data, to stdout. */
  write(text: string): void {
    this.options.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** JSON, its zero-width, bidirectional and other unsafe characters as \u escapes (the same value). */
  json(value: unknown): void {
    this.write(escapeUnsafeInJson(JSON.stringify(value, null, 2)));
  }

  /**
   * Text that may be longer than the screen (a topic, a long report): on a
   * terminal through the pager when it is (PAGER, else `less -FRX`; never
   * with --no-pager), else written as it is.
   */
  async page(text: string): Promise<void> {
    // Lines counted only where a pager may be used: piped, a printout of thousands goes out as it is.
    if (!this.rich || this.options.pager === false || text.split('\n').length < this.height) return this.write(text);
    const { runPager } = await import('./pager.js');
    if (!(await runPager(text.endsWith('\n') ? text : `${text}\n`, this.options.env))) this.write(text);
  }

  /**
   * A message for the person (progress, confirmation), to stderr; silenced
   * by --quiet. Messages name what the user typed (a path, a value), which
   * may hold control characters: shown as escapes, never obeyed.
   */
  info(text: string): void {
    if (!this.options.quiet) this.message(text);
  }

  success(text: string): void {
    if (!this.options.quiet) this.message(text, this.stderrColour.green);
  }

  /** A heading among the messages (a preview's title), in bold on a terminal. */
  heading(text: string): void {
    if (!this.options.quiet) this.message(text, this.stderrColour.bold);
  }

  warn(text: string): void {
    this.message(text, this.stderrColour.yellow);
  }

  error(text: string): void {
    this.message(text, this.stderrColour.red);
  }

  /** One message line (or lines) to stderr, escaped before it is coloured. */
  private message(text: string, paint: (text: string) => string = (plain) => plain): void {
    this.options.stderr.write(`${paint(escapeUnsafeLines(text))}\n`);
  }

  /**
   * A list in the format asked for: JSON, CSV (the machine format), CSV for
   * Excel or a spreadsheet (labels, typed cells), else a table on a
   * terminal and plain lines when piped.
   */
  async emit<Row>(format: ListFormat, list: List<Row>, options?: EmitOptions): Promise<void> {
    if (format === 'json') return this.json(list.json ?? list.rows);
    if (format === 'csv') return this.csv(list.csv ?? list.table, list.rows);
    if (format === 'xlsx' || format === 'csv-excel') {
      if (!options) throw new Error('a spreadsheet needs its EmitOptions');
      const { writeSpreadsheet, writeExcelCsv } = await import('./spreadsheet.js');
      const columns = list.sheet ?? list.table.map((column) => ({ header: column.header, value: column.value }));
      if (format === 'xlsx') return writeSpreadsheet(this.options.stdout, columns, list.rows, { ...options, title: list.title ?? 'urp' });
      return writeExcelCsv(this.options.stdout, columns, list.rows, options);
    }
    if (list.rows.length === 0 && list.empty) return this.info(list.empty);
    await this.table(list.table, list.rows);
  }

  /**
   * Rows as a table on a terminal, as tab-separated lines (with a header)
   * when piped: no box drawing, no truncation. Cells are neutralised.
   */
  async table<Row>(columns: readonly Column<Row>[], rows: readonly Row[], layout?: TableLayout): Promise<void> {
    this.write(await this.tableText(columns, rows, layout));
  }

  /**
   * The text `table` writes. On a terminal: as wide as the terminal at most,
   * a bold header over a rule and no line between rows; long text cut with
   * …, and when that is not enough, the columns of least use left out.
   */
  async tableText<Row>(columns: readonly Column<Row>[], rows: readonly Row[], layout?: TableLayout): Promise<string> {
    const cells = rows.map((row) => columns.map((column) => safeLine(column.value(row))));
    if (!this.rich) {
      return [columns.map((column) => column.header.replace(/\n/g, ' ')).join('\t'), ...cells.map((line) => line.join('\t'))].join('\n');
    }
    const { shown, widths } = fitColumns(columns, cells, layout?.width ?? this.width);
    const pad = (text: string, width: number, right: boolean | undefined) => {
      const fitted = fitText(text, width);
      const space = ' '.repeat(Math.max(0, width - displayWidth(fitted)));
      return { fitted, space: right ? space : '', after: right ? '' : space };
    };
    const line = (texts: readonly string[], style: (index: number, text: string) => string) =>
      shown
        .map((index, position) => {
          const { fitted, space, after } = pad(texts[index]!, widths[position]!, columns[index]!.right);
          return `${space}${style(index, fitted)}${position === shown.length - 1 ? '' : after}`;
        })
        .join(GAP)
        .trimEnd();
    // A header may take several lines (`assigned\non time`), set at the bottom as spreadsheets do.
    const headerLines = Math.max(...shown.map((index) => columns[index]!.header.split('\n').length));
    const header = Array.from({ length: headerLines }, (_, lineIndex) =>
      line(
        columns.map((column) => {
          const parts = column.header.split('\n');
          return parts[lineIndex - (headerLines - parts.length)] ?? '';
        }),
        (_, text) => this.colour.bold(text),
      ),
    );
    const rule = widths.map((width) => '─'.repeat(width)).join(GAP);
    const body = rows.map((row, rowIndex) => line(cells[rowIndex]!, (index, text) => columns[index]!.style?.(row, text) ?? text));
    return [...header, this.colour.dim(rule), ...body].join('\n');
  }

  /**
   * Rows as plain aligned columns, for printouts that go to a printer or an
   * e-mail: no box drawing, nothing truncated (the last column is not padded).
   * Within `width` the last column (a subject) wraps onto the lines below,
   * under itself; when the others leave it too little room it goes on lines
   * of its own below each row, indented.
   */
  aligned<Row>(given: readonly Column<Row>[], rows: readonly Row[], { width = Infinity }: { width?: number } = {}): string {
    const cells = [given.map((column) => column.header), ...rows.map((row) => given.map((column) => safeLine(column.value(row))))];
    // Each cell measured once, and the columns chosen from their widths alone (a printout may have thousands of rows).
    const cellWidths = cells.map((line) => line.map(displayWidth));
    // A loop, not Math.max(...): a printout may have more rows than a call may have arguments.
    const widestOf = given.map((_, index) => cellWidths.reduce((widest, line) => Math.max(widest, line[index]!), 0));
    let kept = given.map((_, index) => index);
    const fixedOf = () => kept.slice(0, -1).reduce((sum, index) => sum + widestOf[index]! + GAP.length, 0);
    // Columns that make a line wider than the page even with the last one below go, the highest drop order first.
    const droppable = () => kept.slice(0, -1).filter((index) => given[index]!.drop !== undefined);
    while (fixedOf() - GAP.length > width && droppable().length > 0) {
      const dropped = droppable().reduce((best, each) => (given[each]!.drop! > given[best]!.drop! ? each : best));
      kept = kept.filter((index) => index !== dropped);
    }
    const columns = kept.map((index) => given[index]!);
    const widths = kept.map((index) => widestOf[index]!);
    const last = columns.length - 1;
    const lastIndex = kept[last]!;
    const fixed = fixedOf();
    const room = width - fixed;
    const below = widths[last]! > room && room < 24;
    const INDENT = '    ';
    const out: string[] = [];
    cells.forEach((line, lineIndex) => {
      const lineWidths = cellWidths[lineIndex]!;
      let head = '';
      for (let position = 0; position < last; position++) {
        const index = kept[position]!;
        const cell = line[index]!;
        const space = ' '.repeat(Math.max(0, widths[position]! - lineWidths[index]!));
        head += (position > 0 ? GAP : '') + (columns[position]!.right ? space + cell : cell + space);
      }
      const lastCell = line[lastIndex]!;
      if (below) {
        // The last column's header, when it fits on the header line; its cells are below each row.
        const header = lineIndex === 0 ? `${head}${GAP}${lastCell}`.trimEnd() : undefined;
        out.push(header !== undefined && displayWidth(header) <= width ? header : head.trimEnd());
        if (lineIndex > 0 && lastCell) for (const part of wrapText(lastCell, width - INDENT.length)) out.push(`${INDENT}${part}`);
        return;
      }
      const parts = width === Infinity ? [lastCell] : wrapText(lastCell, room);
      out.push(`${head}${GAP}${parts[0] ?? ''}`.trimEnd());
      for (const part of parts.slice(1)) out.push(`${' '.repeat(fixed)}${part}`);
    });
    return out.join('\n');
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
    const width = Math.max(...pairs.map(([label]) => displayWidth(label)));
    this.write(pairs.map(([label, value]) => `${this.colour.bold(label + ' '.repeat(width - displayWidth(label)))}  ${value}`).join('\n'));
  }
}

/**
 * Which columns a terminal table shows, and how wide: each as wide as its
 * widest cell; if that is too wide, the long-text columns are cut (never
 * below their header or MIN_CELL); then columns with a drop order are left
 * out, the highest first; what is left is cut evenly as a last resort.
 */
export function fitColumns<Row>(columns: readonly Column<Row>[], cells: readonly (readonly string[])[], width: number): { shown: number[]; widths: number[] } {
  const headerWidth = (column: Column<Row>) => Math.max(...column.header.split('\n').map(displayWidth));
  const natural = columns.map((column, index) => cells.reduce((widest, line) => Math.max(widest, displayWidth(line[index]!)), headerWidth(column)));
  let shown = columns.map((_, index) => index);
  const total = (widths: readonly number[]) => widths.reduce((sum, each) => sum + each, 0) + GAP.length * (widths.length - 1);
  for (;;) {
    const widths = shown.map((index) => natural[index]!);
    let excess = total(widths) - width;
    if (excess <= 0) return { shown, widths };
    // Cut the long texts, the widest first, down to their floor.
    const floors = shown.map((index) => (columns[index]!.shrink ? Math.min(natural[index]!, Math.max(MIN_CELL, headerWidth(columns[index]!))) : natural[index]!));
    while (excess > 0) {
      let widest = -1;
      widths.forEach((each, position) => {
        if (each > floors[position]! && (widest < 0 || each > widths[widest]!)) widest = position;
      });
      if (widest < 0) break;
      widths[widest]!--;
      excess--;
    }
    if (excess <= 0) return { shown, widths };
    const droppable = shown.filter((index) => columns[index]!.drop !== undefined);
    if (droppable.length === 0) {
      // Nothing left to leave out: every column gives up room, down to one character.
      while (excess > 0 && widths.some((each) => each > 1)) {
        const widest = widths.indexOf(Math.max(...widths));
        widths[widest]!--;
        excess--;
      }
      return { shown, widths };
    }
    const first = droppable.reduce((best, index) => (columns[index]!.drop! > columns[best]!.drop! ? index : best));
    shown = shown.filter((index) => index !== first);
  }
}

/** The format a list command's flags ask for. */
export function listFormat(options: { json?: boolean | undefined; csv?: boolean | undefined; csvExcel?: boolean | undefined; xlsx?: boolean | undefined }): ListFormat {
  if (options.json) return 'json';
  if (options.csv) return 'csv';
  if (options.csvExcel) return 'csv-excel';
  if (options.xlsx) return 'xlsx';
  return 'table';
}
