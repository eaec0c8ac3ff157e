import { type RawBuilder, sql } from 'kysely';

/**
 * Rows written whole by SQLite (issue 12, export): a CSV line or a JSON
 * object per row, made inside the engine, so that a million rows cross into
 * JavaScript as a million strings rather than thirty million values. The
 * CSV follows urp's one rule for cells (src/text/csv.ts: papaparse's quoting
 * with the formula guard of src/text/spreadsheet-formula.ts), the JSON is
 * what JSON.stringify would write for the same values; tests hold the SQL to
 * both on every kind of text.
 *
 * SQLite's functions (glob, substr, concat_ws, json_object): another engine
 * writes its own, or formats the rows in JavaScript.
 */

/**
 * text: anything a person typed; plain: a code or an instant urp itself
 * wrote (a status, `2026/000042`, `2026-11-26T08:30:00.000Z`), which never
 * needs quotes; integer; boolean.
 */
export type CellKind = 'text' | 'plain' | 'integer' | 'boolean';

export interface RowColumn {
  readonly name: string;
  /** An expression of the query's tables; evaluated more than once for text, so a column, not a subquery. */
  readonly value: RawBuilder<unknown>;
  readonly kind: CellKind;
}

/** The first characters of a formula, and the characters a CSV cell must quote (a quote, a comma, CR, LF, a byte-order mark). */
const FORMULA_START = sql.lit(`[-=+@\t\r]*`);
const QUOTED = sql.lit(`*[",\r\n\ufeff]*`);

/**
 * FORMULA (spreadsheet-formula.ts) in SQL: starts with = + - @, a tab or a
 * carriage return, and is not a plain number (an optional sign, digits, and
 * at most one . or , between digits).
 */
function formulaSql(x: RawBuilder<unknown>): RawBuilder<boolean> {
  const unsigned = sql`(case when substr(${x}, 1, 1) in ('-', '+') then substr(${x}, 2) else ${x} end)`;
  const plainNumber = sql`(${unsigned} glob '[0-9]*' and ${unsigned} glob '*[0-9]' and ${unsigned} not glob '*[^0-9.,]*'
    and length(${unsigned}) - length(replace(replace(${unsigned}, '.', ''), ',', '')) <= 1)`;
  return sql<boolean>`(${x} glob ${FORMULA_START} and not ${plainNumber})`;
}

/**
 * csvCell (src/text/csv.ts) in SQL, for a text (or null) value: one GLOB
 * for what must be quoted (or a blank at either end), one for a formula's
 * first character, the full formula test only when that one matches.
 */
function csvTextSql(x: RawBuilder<unknown>): RawBuilder<string> {
  const escaped = sql`replace(${x}, '"', '""')`;
  const quote = sql.lit('"');
  const quoteApostrophe = sql.lit(`"'`);
  return sql<string>`(case
    when ${x} is null then ''
    when ${x} glob ${QUOTED} or substr(${x}, 1, 1) = ' ' or substr(${x}, -1, 1) = ' '
      then (case when ${formulaSql(x)} then ${quoteApostrophe} else ${quote} end) || ${escaped} || ${quote}
    when ${formulaSql(x)} then ${quoteApostrophe} || ${x} || ${quote}
    else ${x} end)`;
}

function csvCellSql(column: RowColumn): RawBuilder<string> {
  if (column.kind === 'boolean') return sql<string>`(case when ${column.value} then 'true' else 'false' end)`;
  if (column.kind === 'text') return csvTextSql(column.value);
  return sql<string>`coalesce(${column.value}, '')`;
}

/** One CSV line (no line break) of the columns. */
export function csvRowSql(columns: readonly RowColumn[]): RawBuilder<string> {
  // concat_ws: the line built once, not one string per comma.
  return sql<string>`concat_ws(',', ${sql.join(columns.map(csvCellSql))})`;
}

function jsonValueSql(column: RowColumn): RawBuilder<unknown> {
  return column.kind === 'boolean' ? sql`json(case when ${column.value} then 'true' else 'false' end)` : column.value;
}

/** One JSON object of the columns, keys in their order. */
export function jsonRowSql(columns: readonly RowColumn[]): RawBuilder<string> {
  const pairs = columns.map((column) => sql`${sql.lit(column.name)}, ${jsonValueSql(column)}`);
  return sql<string>`json_object(${sql.join(pairs)})`;
}
