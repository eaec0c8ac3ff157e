import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/**
 * Reading the documents urp writes with tools that did not write them:
 * poppler's pdftotext, pdfinfo, pdffonts and pdftoppm (Debian's
 * poppler-utils, installed by .ci/run). A missing tool fails the test,
 * naming the package.
 */
function poppler(tool: string, args: readonly string[]): string {
  const result = spawnSync(tool, args, { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${tool} is not installed: install poppler-utils (apt-get install -y poppler-utils), as .ci/run does`);
  }
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** The text of a PDF, its layout kept (table rows on one line), as UTF-8. */
export function pdfText(file: string): string {
  const result = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) poppler('pdftotext', ['-v']);
  if (result.status !== 0) throw new Error(`pdftotext ${file} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** pdfinfo's fields: Pages, PDF version, Title... */
export function pdfInfo(file: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of poppler('pdfinfo', [file]).split('\n')) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match) fields[match[1]!.trim()] = match[2]!.trim();
  }
  return fields;
}

/** The XMP metadata stream (pdfinfo -meta). */
export function pdfMetadata(file: string): string {
  return poppler('pdfinfo', ['-meta', file]);
}

/** pdffonts' rows: name, type, embedded, subset, unicode map. */
export function pdfFonts(file: string): Array<{ name: string; embedded: boolean; unicode: boolean }> {
  return poppler('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const columns = line.trim().split(/\s+/);
      // ... emb sub uni object ID: the three yes/no columns sit before the two numbers.
      const [emb, , uni] = columns.slice(-5, -2);
      return { name: columns[0]!, embedded: emb === 'yes', unicode: uni === 'yes' };
    });
}

/**
 * Renders the first page (pdftoppm, greyscale, 40 dpi) and counts the pixels
 * that are not white, out of all: a blank page has none. Also writes a PNG
 * of the page at `png` when given, for a person to look at.
 */
export function firstPageInk(file: string, png?: string): { dark: number; total: number } {
  const folder = mkdtempSync(join(tmpdir(), 'urp-render-'));
  try {
    poppler('pdftoppm', ['-f', '1', '-l', '1', '-r', '40', '-gray', '-singlefile', file, join(folder, 'page')]);
    const image = readFileSync(join(folder, 'page.pgm'));
    if (png) poppler('pdftoppm', ['-f', '1', '-l', '1', '-r', '80', '-png', '-singlefile', file, png.replace(/\.png$/, '')]);
    // Binary PGM: "P5\n<width> <height>\n<max>\n" then one byte a pixel.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(image.subarray(0, 40).toString('latin1'));
    if (!header) throw new Error('pdftoppm did not write a binary PGM');
    const pixels = image.subarray(header[0].length);
    let dark = 0;
    for (const value of pixels) if (value < 200) dark++;
    return { dark, total: Number(header[1]) * Number(header[2]) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A small PNG (an RGB gradient with a dark square), for a letterhead logo. */
export function writePng(file: string, width = 60, height = 40): void {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) {
      const square = x > width / 4 && x < (3 * width) / 4 && y > height / 4 && y < (3 * height) / 4;
      rows.push(square ? 20 : 40, square ? 60 : 120 + x, square ? 120 : 200);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  writeFileSync(
    file,
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]),
  );
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
