import { type Stats, createReadStream, statSync } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import Papa from 'papaparse';
import type { MessageKey } from '../../i18n/messages.js';
import { InputError } from '../errors.js';

/**
 * Reading import files as a stream of records, whatever they are: CSV as
 * Italian offices produce it (`;` or `,`, UTF-8 with or without BOM, quoted
 * fields with line breaks), JSON arrays and JSON Lines. A file of a gigabyte
 * never needs a gigabyte of memory: records are handed over one at a time,
 * synchronously, while the file is read.
 */
export type ImportFormat = 'csv' | 'json' | 'jsonl';
export type ImportEncoding = 'utf8' | 'latin1';

/** One record: its line (the header is line 1; in JSON, the line where the object starts) and its values by column name. */
export interface RawRecord {
  readonly line: number;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface ReadHandlers {
  /** The column names, before the first record (CSV: the header row). */
  header(columns: readonly string[]): void;
  record(record: RawRecord): void;
  /** A record that cannot be read (unbalanced quotes, malformed JSON): the import decides what to do. */
  malformed(line: number, key: MessageKey, params: Record<string, string | number>): void;
  progress?(bytesRead: number, totalBytes: number): void;
  /**
   * Asked between records: a promise makes the reader wait for it (the
   * importer looks up a chunk of rows' citizens) before handing over more.
   */
  pace?(): Promise<void> | undefined;
}

export function formatFromPath(path: string): ImportFormat {
  const extension = path.toLowerCase().split('.').pop();
  if (extension === 'json') return 'json';
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  return 'csv';
}

/**
 * Decodes bytes to text. UTF-8 is checked strictly: a Latin-1 / Windows-1252
 * file (what older Excel versions save) is refused with a message saying how
 * to convert it, unless --encoding latin1 says what it is. The BOM is dropped.
 * With `longestLine` (CSV, JSON Lines: a record is a line, or a few), a
 * line longer than that is refused as it streams: a file with no line break
 * at all (/dev/zero) would otherwise be read until memory runs out.
 */
function decoder(encoding: ImportEncoding, onBytes: (count: number) => void, longestLine?: number, { foldLineBreaks = false } = {}): Transform {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  // Windows-1252 differs from Latin-1 in 0x80-0x9F: the characters Excel actually writes there.
  const windows1252 = new TextDecoder('windows-1252');
  let line = 1;
  let sinceBreak = 0;
  const measured = (text: string): InputError | undefined => {
    if (longestLine === undefined) return undefined;
    const last = text.lastIndexOf('\n');
    sinceBreak = last < 0 ? sinceBreak + text.length : text.length - last - 1;
    return sinceBreak > longestLine ? new InputError('import.lineTooLong', { line, limit: longestLine / 1024 / 1024 }, 'file') : undefined;
  };
  // CSV: every CRLF a LF, a CR at the end of a chunk held until the next shows what follows it. A file whose
  // header ends in CRLF and its rows in LF (edited on two systems) is then read line by line, not as one record.
  let heldReturn = false;
  const foldBreaks = (text: string, last = false) => {
    let folded = heldReturn ? `\r${text}` : text;
    heldReturn = !last && folded.endsWith('\r');
    if (heldReturn) folded = folded.slice(0, -1);
    return folded.replaceAll('\r\n', '\n');
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      let text: string;
      try {
        text = encoding === 'latin1' ? windows1252.decode(chunk, { stream: true }) : utf8.decode(chunk, { stream: true });
      } catch {
        // The line of the first byte that is not UTF-8, not of the chunk it is in.
        const lenient = new TextDecoder('utf-8').decode(chunk);
        const bad = lenient.indexOf('\uFFFD');
        for (let index = lenient.indexOf('\n'); index >= 0 && index < bad; index = lenient.indexOf('\n', index + 1)) line++;
        done(new InputError('import.notUtf8', { line }));
        return;
      }
      if (foldLineBreaks) text = foldBreaks(text);
      for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) line++;
      const tooLong = measured(text);
      if (tooLong) done(tooLong);
      else done(null, text || undefined);
    },
    flush(done) {
      try {
        const decoded = encoding === 'latin1' ? windows1252.decode() : utf8.decode();
        const rest = foldLineBreaks ? foldBreaks(decoded, true) : decoded;
        done(null, rest || undefined);
      } catch {
        done(new InputError('import.notUtf8', { line }));
      }
    },
  });
}

/**
 * The longest line a CSV or JSON Lines file may hold: a thousand times the
 * longest description (TEXT_LIMITS), far past any office's export. A JSON
 * array may be written on one line, and has no such limit.
 */
const LONGEST_LINE = 16 * 1024 * 1024;

export async function readRecords(path: string, format: ImportFormat, encoding: ImportEncoding, handlers: ReadHandlers): Promise<void> {
  // `-` is standard input (a pipe or a socket has no size: its end is known when it comes).
  let stat: Stats | undefined;
  if (path !== '-') {
    try {
      stat = statSync(path);
    } catch {
      throw new InputError('import.cannotRead', { path }, 'file');
    }
    if (stat.isDirectory()) throw new InputError('import.isFolder', { path }, 'file');
  }
  const size = stat?.isFile() ? stat.size : undefined;
  if (size === 0) throw new InputError('import.empty', {}, 'file');
  let read = 0;
  let lastReport = 0;
  const source: Readable = path === '-' ? process.stdin : createReadStream(path);
  const text = source.pipe(
    decoder(
      encoding,
      (count) => {
        read += count;
        if (handlers.progress && size !== undefined && (read - lastReport > 1 << 20 || read === size)) {
          lastReport = read;
          handlers.progress(read, size);
        }
      },
      format === 'json' ? undefined : LONGEST_LINE,
      { foldLineBreaks: format === 'csv' },
    ),
  );
  // pipe() does not pass the source's errors on (a file that cannot be read after all).
  source.once('error', () => text.destroy(new InputError('import.cannotRead', { path }, 'file')));
  if (format === 'csv') await readCsv(text, await guessDelimiter(text), handlers);
  else if (format === 'jsonl') await readJsonLines(text, handlers);
  else await readJsonArray(text, handlers);
  handlers.progress?.(read, size ?? read);
}

/**
 * The file's delimiter, guessed by Papa from its first chunk as Papa itself
 * guesses (blank lines left out), the chunk then put back for the parse.
 * Guessed apart because the parse counts blank lines itself (readCsv).
 */
async function guessDelimiter(text: Transform): Promise<string> {
  const first = await new Promise<string | null>((resolve, reject) => {
    // The error listener stays: an error after the guess is readCsv's to report (a settled promise ignores it).
    const done = () => {
      text.off('readable', take);
      text.off('end', take);
    };
    const take = () => {
      const chunk = text.read() as string | null;
      if (chunk === null && !text.readableEnded) return;
      done();
      resolve(chunk);
    };
    const fail = (error: unknown) => {
      done();
      reject(error);
    };
    text.on('readable', take);
    text.on('end', take);
    text.on('error', fail);
  });
  if (first === null) return ',';
  text.unshift(first);
  return Papa.parse<string[]>(first, { delimitersToGuess: [...DELIMITERS], skipEmptyLines: 'greedy', preview: 10 }).meta.delimiter;
}

const DELIMITERS = [';', ',', '\t', '|'] as const;

function readCsv(text: Transform, delimiter: string, handlers: ReadHandlers): Promise<void> {
  return new Promise((resolve, reject) => {
    let header: string[] | undefined;
    let rows = 0;
    let failure: unknown;
    text.on('error', (error) => {
      failure = error;
    });
    // The line where each record starts, counted from the records themselves: Papa's cursor starts again from
    // nought after a pause (the importer pauses it every few hundred rows), so it cannot say where a record is.
    let nextLine = 1;
    Papa.parse<string[]>(text as unknown as NodeJS.ReadableStream as never, {
      delimiter,
      // Blank lines are skipped here, where they are counted (as Papa's 'greedy' would: only blanks between delimiters).
      skipEmptyLines: false,
      step(results, parser) {
        if (failure) return parser.abort();
        try {
          const row = results.data;
          const mark = results.meta.linebreak === '\r' ? '\r' : '\n';
          const line = nextLine;
          nextLine++;
          for (const cell of row) for (let index = cell.indexOf(mark); index >= 0; index = cell.indexOf(mark, index + 1)) nextLine++;
          if (row.every((cell) => cell.trim() === '') && results.errors.every((error) => error.type === 'Delimiter')) return;
          if (header) rows++;
          // Papa reports a quote opened and never closed, or text after a closing quote
          // (not a delimiter it could not guess: the header then says what is wrong).
          const problem = results.errors.find((error) => error.type !== 'Delimiter');
          if (problem && !header) {
            // Without its header the file cannot be read: the next line must not be taken for it.
            failure = new InputError('import.csvMalformed', { problem: problem.code }, 'file');
            parser.abort();
            return;
          }
          if (problem) {
            handlers.malformed(line, 'import.csvMalformed', { problem: problem.code });
            return;
          }
          if (!header) {
            header = row.map((cell) => cell.replace(/^\uFEFF/, ''));
            handlers.header(header);
            return;
          }
          if (row.length !== header.length) {
            handlers.malformed(line, 'import.fieldCount', { count: row.length, expected: header.length });
            return;
          }
          const values: Record<string, string> = {};
          for (let index = 0; index < header.length; index++) values[header[index]!] = row[index]!;
          handlers.record({ line, values });
          const wait = handlers.pace?.();
          if (wait) {
            parser.pause();
            wait.then(
              () => parser.resume(),
              (error: unknown) => {
                failure = error;
                parser.resume();
              },
            );
          }
        } catch (error) {
          failure = error;
          parser.abort();
        }
      },
      complete() {
        if (failure) reject(failure);
        else if (!header || rows === 0) reject(new InputError('import.empty', {}, 'file'));
        else resolve();
      },
      error(error: Error) {
        reject(failure ?? error);
      },
    });
  });
}

/**
 * Hands over one JSON record (an object, from a JSON Lines line or an array
 * element); anything else is a malformed record. Returns a function that
 * says whether any record was handed over.
 */
function jsonRecords(handlers: ReadHandlers) {
  let headerSent = false;
  const emit = (source: string, line: number) => {
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch {
      handlers.malformed(line, 'import.jsonMalformed', {});
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      handlers.malformed(line, 'import.jsonMalformed', {});
      return;
    }
    if (!headerSent) {
      headerSent = true;
      handlers.header([]);
    }
    handlers.record({ line, values: value as Record<string, unknown> });
  };
  return { emit, any: () => headerSent };
}

async function readJsonLines(text: Transform, handlers: ReadHandlers): Promise<void> {
  let pending = '';
  let line = 0;
  const records = jsonRecords(handlers);
  const handle = (source: string) => {
    line++;
    if (source.trim()) records.emit(source, line);
  };
  for await (const chunk of text) {
    pending += chunk as string;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      handle(pending.slice(0, newline).replace(/^\uFEFF/, ''));
      pending = pending.slice(newline + 1);
      await handlers.pace?.();
    }
  }
  if (pending) handle(pending);
  if (!records.any()) throw new InputError('import.empty', {}, 'file');
}

/**
 * A JSON array read element by element: the text is split at the commas
 * between top-level elements (outside strings), and each element is parsed
 * on its own, so the array never sits in memory whole.
 */
async function readJsonArray(text: Transform, handlers: ReadHandlers): Promise<void> {
  let state: 'before' | 'between' | 'element' | 'after' | 'trailing' = 'before';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let line = 1;
  let elementLine = 1;
  const records = jsonRecords(handlers);
  const finish = () => {
    const source = element.trim();
    element = '';
    records.emit(source, elementLine);
  };
  for await (const chunk of text) {
    const source = chunk as string;
    let start = 0;
    for (let index = 0; index < source.length; index++) {
      if (state === 'trailing') break;
      const character = source[index]!;
      if (character === '\n') line++;
      if (state !== 'element') {
        if (character === ' ' || character === '\n' || character === '\r' || character === '\t' || character === '\uFEFF') continue;
        if (state === 'before') {
          if (character !== '[') throw new InputError('import.jsonNotArray', {}, 'file');
          state = 'between';
          continue;
        }
        if (state === 'after') {
          // Text after the array: reported with its line, the rest of the file left unread.
          handlers.malformed(line, 'import.jsonMalformed', {});
          state = 'trailing';
          break;
        }
        if (character === ']') {
          state = 'after';
          continue;
        }
        // The first character of an element: from here on it is read as part of it.
        state = 'element';
        start = index;
        elementLine = line;
        depth = 0;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (character === '\\') escaped = true;
        else if (character === '"') inString = false;
      } else if (character === '"') inString = true;
      else if (character === '{' || character === '[') depth++;
      else if (character === '}' || character === ']') {
        if (depth > 0) depth--;
        else {
          // The array's own closing bracket.
          element += source.slice(start, index);
          finish();
          state = 'after';
        }
      } else if (character === ',' && depth === 0) {
        element += source.slice(start, index);
        finish();
        state = 'between';
      }
    }
    if (state === 'element') element += source.slice(start);
    await handlers.pace?.();
  }
  if ((state as string) !== 'after' && (state as string) !== 'trailing') throw new InputError('import.jsonTruncated', { line }, 'file');
  if (!records.any()) throw new InputError('import.empty', {}, 'file');
}
