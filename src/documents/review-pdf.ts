import { type Canvas, type TextStyle } from './charts.js';
import { A4, MM, PdfCanvas, type PdfDocument, newPdf, textInMargin } from './pdf.js';
import type { Block, ReviewDocument } from './review-content.js';

/** The review pack as an A4 PDF/A-2b: a running header, sections, tables that continue over pages with their headers, vector charts, the notes after each section. */
const MARGIN = { top: 22 * MM, bottom: 20 * MM, left: 20 * MM, right: 20 * MM };
const WIDTH = A4.width - MARGIN.left - MARGIN.right;
const LIMIT = A4.height - MARGIN.bottom;
const TEXT = '#000000';
const GREY = '#555555';
const RULE = '#bbbbbb';

export async function renderReviewPdf(document: ReviewDocument, created: Date): Promise<Buffer> {
  const { doc, bytes } = await newPdf({ title: document.title, author: document.organisation, subject: document.subtitle, language: document.language, created }, MARGIN);
  doc.addPage();
  doc.font('bold').fontSize(16).fillColor(TEXT).text(document.organisation, MARGIN.left, MARGIN.top, { width: WIDTH });
  doc.font('bold').fontSize(13).text(document.title, { width: WIDTH });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(10).fillColor(GREY).text(document.subtitle, { width: WIDTH });
  for (const line of document.introduction) doc.font('regular').fontSize(8.5).text(line, { width: WIDTH });
  doc.moveDown(0.8);

  for (const section of document.sections) {
    // A section's title stays with the start of its first block.
    const first = section.blocks[0];
    ensure(doc, first?.kind === 'chart' ? first.draw(new MeasuringCanvas(new PdfCanvas(doc, 0, 0)), WIDTH) + 50 : 90);
    doc.font('bold').fontSize(12).fillColor(TEXT).text(section.title, MARGIN.left, doc.y, { width: WIDTH });
    doc.moveDown(0.4);
    for (const block of section.blocks) drawBlock(doc, block);
    if (section.notes.length) {
      ensure(doc, 20);
      doc.moveDown(0.2);
      doc.save().moveTo(MARGIN.left, doc.y).lineTo(MARGIN.left + 50 * MM, doc.y).lineWidth(0.5).stroke(RULE).restore();
      doc.moveDown(0.3);
      for (const [number, text] of section.notes) {
        doc.font('regular').fontSize(7.5).fillColor(GREY).text(`[${number}] ${text}`, MARGIN.left, doc.y, { width: WIDTH, paragraphGap: 2 });
      }
    }
    doc.moveDown(1);
  }

  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    doc.font('regular').fontSize(7.5).fillColor(GREY);
    textInMargin(doc, `${document.organisation} — ${document.title}`, MARGIN.left, 10 * MM, { width: WIDTH, lineBreak: false, ellipsis: true });
    textInMargin(doc, `${index + 1} / ${range.count}`, MARGIN.left, A4.height - 12 * MM, { width: WIDTH, align: 'right', lineBreak: false });
  }
  doc.end();
  return bytes;
}

/** Starts a new page unless `height` points fit below the cursor. */
function ensure(doc: PdfDocument, height: number): void {
  if (doc.y + height > LIMIT) {
    doc.addPage();
    doc.y = MARGIN.top;
  }
}

function drawBlock(doc: PdfDocument, block: Block): void {
  if (block.kind === 'paragraph') {
    doc.font('regular').fontSize(9.5).fillColor(TEXT).text(block.text, MARGIN.left, doc.y, { width: WIDTH, paragraphGap: 4 });
    return;
  }
  if (block.kind === 'chart') {
    const height = block.draw(new MeasuringCanvas(new PdfCanvas(doc, 0, 0)), WIDTH);
    ensure(doc, height + 20);
    doc.font('bold').fontSize(9.5).fillColor(TEXT).text(block.title, MARGIN.left, doc.y, { width: WIDTH });
    doc.moveDown(0.3);
    const top = doc.y;
    block.draw(new PdfCanvas(doc, MARGIN.left, top), WIDTH);
    doc.x = MARGIN.left;
    doc.y = top + height + 6;
    return;
  }
  drawTable(doc, block);
}

function drawTable(doc: PdfDocument, table: Extract<Block, { kind: 'table' }>): void {
  const size = 8.5;
  const padding = 4;
  const rowHeight = 13;
  // Columns as wide as their widest cell (headers wrap instead), the first taking what is left.
  const cellWidth = (text: string, bold: boolean) => doc.font(bold ? 'condensedBold' : 'condensed').fontSize(size).widthOfString(text) + 2 * padding;
  const widths = table.columns.map((column, index) =>
    Math.max(
      index === 0 ? 0 : 42,
      // A header wraps between words, never inside one.
      ...column.header.split(/\s+/).map((word) => cellWidth(word, true)),
      Math.min(cellWidth(column.header, true), 80),
      ...table.rows.map((row) => cellWidth(row[index] ?? '', true)),
    ),
  );
  const others = widths.slice(1).reduce((sum, width) => sum + width, 0);
  widths[0] = Math.max(widths[0]!, Math.min(cellWidth(table.columns[0]!.header, true), WIDTH - others));
  widths[0] = Math.min(widths[0]!, Math.max(80, WIDTH - others));
  const scale = Math.min(1, WIDTH / widths.reduce((sum, width) => sum + width, 0));
  const columns = widths.map((width) => width * scale);
  const tableWidth = columns.reduce((a, b) => a + b, 0);
  const oneLine = (cell: string, x: number, y: number, index: number, bold: boolean) => {
    doc.font(bold ? 'condensedBold' : 'condensed').fontSize(size).fillColor(TEXT);
    doc.text(cell, x + padding, y + 3, { width: columns[index]! - 2 * padding, height: size * 1.2, ellipsis: true, align: table.columns[index]?.right ? 'right' : 'left' });
  };

  const header = () => {
    const y = doc.y;
    doc.font('condensedBold').fontSize(size);
    const height = Math.max(...table.columns.map((column, index) => doc.heightOfString(column.header, { width: columns[index]! - 2 * padding }))) + 6;
    doc.save().rect(MARGIN.left, y, tableWidth, height).fill('#eef2f6').restore();
    let x = MARGIN.left;
    table.columns.forEach((column, index) => {
      doc.font('condensedBold').fontSize(size).fillColor(TEXT);
      doc.text(column.header, x + padding, y + 3, { width: columns[index]! - 2 * padding, align: column.right ? 'right' : 'left' });
      x += columns[index]!;
    });
    doc.y = y + height;
  };
  if (table.title) {
    ensure(doc, 4 * rowHeight + 12);
    doc.font('bold').fontSize(9.5).fillColor(TEXT).text(table.title, MARGIN.left, doc.y, { width: WIDTH });
    doc.moveDown(0.2);
  }
  ensure(doc, 3 * rowHeight);
  header();
  table.rows.forEach((row, rowIndex) => {
    if (doc.y + rowHeight > LIMIT) {
      doc.addPage();
      doc.y = MARGIN.top;
      header();
    }
    const y = doc.y;
    const total = table.totalRow === true && rowIndex === table.rows.length - 1;
    let x = MARGIN.left;
    row.forEach((cell, index) => {
      oneLine(cell, x, y, index, total);
      x += columns[index]!;
    });
    doc.save().moveTo(MARGIN.left, y + rowHeight).lineTo(MARGIN.left + tableWidth, y + rowHeight).lineWidth(0.4).stroke(RULE).restore();
    doc.y = y + rowHeight;
  });
  doc.x = MARGIN.left;
  doc.y += 8;
}

/** Draws nothing, measures text with the PDF's font: a chart's height before it is placed. */
class MeasuringCanvas implements Canvas {
  constructor(private readonly measure: Canvas) {}
  rect(): void {}
  line(): void {}
  polyline(): void {}
  circle(): void {}
  text(_x: number, _y: number, _text: string, _style: TextStyle): void {}
  textWidth(text: string, size: number, bold?: boolean): number {
    return this.measure.textWidth(text, size, bold);
  }
}
