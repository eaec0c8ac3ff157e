import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../domain/errors.js';

/**
 * A file, or standard input (`-`), read whole but never past `limit`
 * bytes: a device without an end (/dev/zero) or a file far larger than
 * what it should hold is refused as soon as it passes the limit (undefined),
 * instead of being read until memory runs out. Errors of opening and reading
 * are the caller's to put in words.
 */
export function readLimited(path: string, limit: number): Buffer | undefined {
  const descriptor = path === '-' ? 0 : openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      let count: number;
      try {
        count = readSync(descriptor, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EOF') break;
        // A pipe in non-blocking mode with nothing in it yet: wait a little, as readFileSync would block.
        if (code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        throw error;
      }
      if (count === 0) break;
      total += count;
      if (total > limit) return undefined;
      chunks.push(Buffer.from(buffer.subarray(0, count)));
    }
    return Buffer.concat(chunks);
  } finally {
    if (descriptor !== 0) closeSync(descriptor);
  }
}

/** What a template file may weigh: many times any letter or message. */
const TEMPLATE_FILE_LIMIT_BYTES = 1024 * 1024;

/** A template's text, from a file or (`-`) standard input, as UTF-8; an InputError (field `file`) when it cannot be read or is too large. */
export function readTemplateFile(path: string): string {
  let bytes: Buffer | undefined;
  try {
    bytes = readLimited(path, TEMPLATE_FILE_LIMIT_BYTES);
  } catch {
    throw new InputError('import.cannotRead', { path }, 'file');
  }
  if (bytes === undefined) throw new InputError('file.tooLarge', { path, limit: TEMPLATE_FILE_LIMIT_BYTES / 1024 / 1024 }, 'file');
  // Refused, not read with U+FFFD in place of what it cannot read: the letter would reach a citizen garbled.
  // A byte-order mark is dropped (it would be an invisible character at the head of every letter).
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const line = lenient.slice(0, lenient.indexOf('\uFFFD')).split('\n').length;
    throw new InputError('file.notUtf8', { path, line }, 'file');
  }
}
