import { createRequire } from 'node:module';
import type { DocumentLanguage as Language } from '../domain/vocabulary.js';
import { COLOURS, type Canvas, type TextStyle } from './charts.js';

/**
 * PDF documents (issue 15), written with pdfkit, which is heavy: it is
 * loaded here, on demand, only by the commands that write a PDF, and kept
 * out of the bundle (package.json, --external:pdfkit; and required at run
 * time, which esbuild leaves alone), since it reads its colour profile and
 * font metrics from its own folder.
 *
 * What urp produces: PDF/A-2b (ISO 19005-2, level B) on PDF 1.7, as pdfkit
 * writes it for `subset: 'PDF/A-2b'`: XMP metadata naming the part and the
 * conformance, an sRGB output intent, every font embedded. PDF/A-2 rather
 * than PDF/A-1 because a logo with an alpha channel is drawn through a soft
 * mask, which PDF/A-1 forbids. The font is DejaVu Sans (the npm package
 * dejavu-fonts-ttf, pinned; a free licence, Bitstream Vera's), embedded as a
 * subset: it has every Italian letter (à è é ì ò ù, capitals too) and the
 * text stays selectable; pdfkit's built-in Helvetica would not be embedded.
 */
export const MM = 72 / 25.4;
export const A4 = { width: 210 * MM, height: 297 * MM } as const;

export type PdfDocument = PDFKit.PDFDocument;

export interface Fonts {
  readonly regular: string;
  readonly bold: string;
  readonly oblique: string;
  readonly condensed: string;
  readonly condensedBold: string;
}

/** The font files, found in the installed package (never the system's fonts). */
export function fontFiles(): Fonts {
  const require = createRequire(import.meta.url);
  const file = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);
  return {
    regular: file('DejaVuSans'),
    bold: file('DejaVuSans-Bold'),
    oblique: file('DejaVuSans-Oblique'),
    condensed: file('DejaVuSansCondensed'),
    condensedBold: file('DejaVuSansCondensed-Bold'),
  };
}

export interface PdfInfo {
  readonly title: string;
  readonly author: string;
  readonly subject: string;
  readonly language: Language;
  readonly created: Date;
}

/** A new A4 PDF/A-2b document with the fonts registered (regular, bold, oblique, condensed, condensedBold), and its bytes once ended. */
export async function newPdf(info: PdfInfo, margins: { top: number; bottom: number; left: number; right: number }): Promise<{ doc: PdfDocument; bytes: Promise<Buffer> }> {
  // Required, not imported: bin/urp runs the bundle as a vm Script, where import() has no loader.
  const PDFDocument = createRequire(import.meta.url)('pdfkit') as typeof import('pdfkit');
  const fonts = fontFiles();
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    font: fonts.regular,
    lang: info.language === 'it' ? 'it-IT' : 'en-GB',
    displayTitle: true,
    bufferPages: true,
    autoFirstPage: false,
    // Only entries pdfkit also writes into the XMP metadata: PDF/A wants the two to agree (no ModDate, which it does not copy).
    info: { Title: info.title, Author: info.author, Subject: info.subject, Creator: 'urp', Producer: 'urp (pdfkit)', CreationDate: info.created },
  });
  for (const [name, path] of Object.entries(fonts)) doc.registerFont(name, path);
  const chunks: Buffer[] = [];
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}

/**
 * Writes text where the bottom margin would otherwise make pdfkit start a
 * new page (footers): the margin is lifted for the call.
 */
export function textInMargin(doc: PdfDocument, text: string, x: number, y: number, options: PDFKit.Mixins.TextOptions): void {
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.text(text, x, y, { ...options, lineBreak: options.lineBreak ?? true });
  doc.page.margins.bottom = bottom;
}

/** The chart Canvas on a pdfkit page, at an offset. */
export class PdfCanvas implements Canvas {
  constructor(
    private readonly doc: PdfDocument,
    private readonly x0: number,
    private readonly y0: number,
  ) {}

  rect(x: number, y: number, width: number, height: number, fill: string): void {
    this.doc.save().rect(this.x0 + x, this.y0 + y, width, height).fill(fill).restore();
  }

  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width: number, dash?: readonly number[]): void {
    this.doc.save().lineWidth(width);
    if (dash) this.doc.dash(dash[0]!, { space: dash[1] ?? dash[0]! });
    this.doc.moveTo(this.x0 + x1, this.y0 + y1).lineTo(this.x0 + x2, this.y0 + y2).stroke(stroke);
    this.doc.undash().restore();
  }

  polyline(points: ReadonlyArray<readonly [number, number]>, stroke: string, width: number): void {
    if (points.length < 2) return;
    this.doc.save().lineWidth(width).lineJoin('round');
    this.doc.moveTo(this.x0 + points[0]![0], this.y0 + points[0]![1]);
    for (const [x, y] of points.slice(1)) this.doc.lineTo(this.x0 + x, this.y0 + y);
    this.doc.stroke(stroke).restore();
  }

  circle(x: number, y: number, radius: number, fill: string): void {
    this.doc.save().circle(this.x0 + x, this.y0 + y, radius).fill(fill).restore();
  }

  text(x: number, y: number, text: string, style: TextStyle): void {
    const doc = this.doc;
    const font = style.bold ? 'bold' : 'regular';
    doc.save().font(font).fontSize(style.size).fillColor(style.fill ?? COLOURS.text);
    const width = doc.widthOfString(text);
    const height = doc.currentLineHeight();
    const anchorX = this.x0 + x;
    const anchorY = this.y0 + y;
    if (style.rotate) doc.rotate(-style.rotate, { origin: [anchorX, anchorY] });
    const left = style.anchor === 'end' ? anchorX - width : style.anchor === 'middle' ? anchorX - width / 2 : anchorX;
    textInMargin(doc, text, left, anchorY - height / 2, { lineBreak: false });
    doc.restore();
  }

  textWidth(text: string, size: number, bold = false): number {
    this.doc.save().font(bold ? 'bold' : 'regular').fontSize(size);
    const width = this.doc.widthOfString(text);
    this.doc.restore();
    return width;
  }
}
