/**
 * The review's charts (issue 15), drawn once for two surfaces: the PDF
 * (pdfkit's vector operations) and the HTML (inline SVG). Three kinds are
 * needed: horizontal bars (on-time replies per area), a line over months
 * (the trend of on-time replies), and a Pareto (bars by frequency with the
 * running share). A chart is a function that draws on a Canvas; each
 * surface implements the Canvas, so both show the same picture.
 *
 * Why not a charting library (vega-lite + vega, with svg-to-pdfkit for the
 * PDF): some 20 MB and a hundred packages for three simple charts,
 * svg-to-pdfkit unmaintained since 2019, and fonts that differ between the
 * SVG and the PDF. These functions are a few hundred lines, output vectors
 * in both documents, and use the PDF's embedded font for the PDF's text.
 */
export interface TextStyle {
  readonly size: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly bold?: boolean;
  readonly fill?: string;
  /** Degrees, counter-clockwise, around the text's anchor point. */
  readonly rotate?: number;
}

/** Coordinates in points, origin top left, y downwards (as both SVG and pdfkit have it). */
export interface Canvas {
  rect(x: number, y: number, width: number, height: number, fill: string): void;
  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width: number, dash?: readonly number[]): void;
  polyline(points: ReadonlyArray<readonly [number, number]>, stroke: string, width: number): void;
  circle(x: number, y: number, radius: number, fill: string): void;
  /** y is the text's vertical middle. */
  text(x: number, y: number, text: string, style: TextStyle): void;
  textWidth(text: string, size: number, bold?: boolean): number;
}

export const COLOURS = {
  bar: '#2c6e9b',
  barLow: '#c0504d',
  line: '#2c6e9b',
  cumulative: '#e08a1e',
  target: '#b03030',
  grid: '#d9d9d9',
  axis: '#777777',
  text: '#222222',
  muted: '#666666',
} as const;

/** The text, cut with an ellipsis to fit `width`. */
function fit(canvas: Canvas, text: string, size: number, width: number): string {
  if (canvas.textWidth(text, size) <= width) return text;
  let cut = text;
  while (cut.length > 1 && canvas.textWidth(`${cut}…`, size) > width) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

export interface BarItem {
  readonly label: string;
  /** Percent, or null when nothing was measured. */
  readonly value: number | null;
  /** Printed after the bar: "87.5% (35 of 40)". */
  readonly note: string;
}

export interface ChartFrame {
  readonly width: number;
  readonly emptyText: string;
}

/** Horizontal bars from 0 to 100%, one per item, with the target as a dashed line. Returns the height drawn. */
export function drawPercentBars(
  canvas: Canvas,
  frame: ChartFrame,
  items: readonly BarItem[],
  target: { value: number; label: string } | undefined,
): number {
  const row = 16;
  const top = 14;
  if (items.length === 0) return drawEmpty(canvas, frame);
  const labelWidth = Math.min(150, frame.width * 0.3);
  const noteWidth = Math.min(120, frame.width * 0.25);
  const x0 = labelWidth + 6;
  const barWidth = frame.width - x0 - noteWidth - 6;
  const scale = (percent: number) => x0 + (barWidth * Math.max(0, Math.min(100, percent))) / 100;
  const height = top + items.length * row + 6;
  for (const tick of [0, 25, 50, 75, 100]) {
    canvas.line(scale(tick), top - 4, scale(tick), height - 6, COLOURS.grid, 0.5);
    canvas.text(scale(tick), top - 9, `${tick}`, { size: 7, anchor: 'middle', fill: COLOURS.muted });
  }
  items.forEach((item, index) => {
    const y = top + index * row;
    canvas.text(labelWidth, y + row / 2, fit(canvas, item.label, 8, labelWidth), { size: 8, anchor: 'end', fill: COLOURS.text });
    if (item.value !== null) {
      const low = target !== undefined && item.value < target.value;
      canvas.rect(x0, y + 3, Math.max(0.5, scale(item.value) - x0), row - 6, low ? COLOURS.barLow : COLOURS.bar);
    }
    canvas.text(x0 + barWidth + 6, y + row / 2, item.note, { size: 8, fill: COLOURS.text });
  });
  if (target) {
    canvas.line(scale(target.value), top - 2, scale(target.value), height - 4, COLOURS.target, 1, [3, 2]);
    canvas.text(scale(target.value), height + 2, target.label, { size: 7, anchor: 'middle', fill: COLOURS.target });
  }
  return height + 8;
}

export interface LinePoint {
  readonly label: string;
  readonly value: number | null;
}

/** A line over the points (months), 0 to 100%, with the target as a dashed line. Returns the height drawn. */
export function drawPercentLine(canvas: Canvas, frame: ChartFrame, points: readonly LinePoint[], target: { value: number; label: string } | undefined): number {
  if (points.every((point) => point.value === null)) return drawEmpty(canvas, frame);
  const left = 28;
  const right = 10;
  const top = 8;
  const plotHeight = 130;
  const bottom = top + plotHeight;
  const step = (frame.width - left - right) / Math.max(1, points.length);
  const x = (index: number) => left + step * (index + 0.5);
  const y = (percent: number) => bottom - (plotHeight * Math.max(0, Math.min(100, percent))) / 100;
  for (const tick of [0, 25, 50, 75, 100]) {
    canvas.line(left, y(tick), frame.width - right, y(tick), COLOURS.grid, 0.5);
    canvas.text(left - 4, y(tick), `${tick}`, { size: 7, anchor: 'end', fill: COLOURS.muted });
  }
  canvas.line(left, bottom, frame.width - right, bottom, COLOURS.axis, 0.8);
  if (target) {
    canvas.line(left, y(target.value), frame.width - right, y(target.value), COLOURS.target, 1, [3, 2]);
    canvas.text(frame.width - right, y(target.value) - 6, target.label, { size: 7, anchor: 'end', fill: COLOURS.target });
  }
  // The line is broken where a month has nothing measured.
  let run: Array<readonly [number, number]> = [];
  const flush = () => {
    if (run.length > 1) canvas.polyline(run, COLOURS.line, 1.5);
    run = [];
  };
  points.forEach((point, index) => {
    if (point.value === null) return flush();
    run.push([x(index), y(point.value)]);
  });
  flush();
  points.forEach((point, index) => {
    if (point.value !== null) canvas.circle(x(index), y(point.value), 2.2, COLOURS.line);
  });
  const every = Math.ceil(points.length / 12);
  points.forEach((point, index) => {
    if (index % every === 0) canvas.text(x(index), bottom + 14, point.label, { size: 7, anchor: 'end', fill: COLOURS.text, rotate: 40 });
  });
  return bottom + 48;
}

export interface ParetoBar {
  readonly label: string;
  readonly count: number;
  readonly cumulativePercent: number;
}

/** Bars by count, most frequent first, and the running share as a line on a 0-100% scale on the right. Returns the height drawn. */
export function drawPareto(canvas: Canvas, frame: ChartFrame, bars: readonly ParetoBar[]): number {
  if (bars.length === 0) return drawEmpty(canvas, frame);
  const left = 56;
  const right = 30;
  const top = 8;
  const plotHeight = 130;
  const bottom = top + plotHeight;
  const most = Math.max(...bars.map((bar) => bar.count));
  const scaleTop = niceCeiling(most);
  const step = (frame.width - left - right) / bars.length;
  const x = (index: number) => left + step * index;
  const yCount = (count: number) => bottom - (plotHeight * count) / scaleTop;
  const yPercent = (percent: number) => bottom - (plotHeight * percent) / 100;
  for (let tick = 0; tick <= 4; tick++) {
    const value = (scaleTop * tick) / 4;
    canvas.line(left, yCount(value), frame.width - right, yCount(value), COLOURS.grid, 0.5);
    canvas.text(left - 4, yCount(value), formatTick(value), { size: 7, anchor: 'end', fill: COLOURS.muted });
    canvas.text(frame.width - right + 4, yPercent(tick * 25), `${tick * 25}%`, { size: 7, fill: COLOURS.cumulative });
  }
  bars.forEach((bar, index) => {
    canvas.rect(x(index) + step * 0.15, yCount(bar.count), step * 0.7, Math.max(0.5, bottom - yCount(bar.count)), COLOURS.bar);
  });
  canvas.line(left, bottom, frame.width - right, bottom, COLOURS.axis, 0.8);
  const points = bars.map((bar, index) => [x(index) + step / 2, yPercent(bar.cumulativePercent)] as const);
  canvas.polyline(points, COLOURS.cumulative, 1.5);
  for (const [px, py] of points) canvas.circle(px, py, 2.2, COLOURS.cumulative);
  bars.forEach((bar, index) => {
    canvas.text(x(index) + step / 2 + 3, bottom + 8, fit(canvas, bar.label, 7, 70), { size: 7, anchor: 'end', fill: COLOURS.text, rotate: 40 });
  });
  return bottom + 58;
}

function drawEmpty(canvas: Canvas, frame: ChartFrame): number {
  canvas.text(0, 10, frame.emptyText, { size: 8, fill: COLOURS.muted });
  return 22;
}

/** The top of a count axis with four steps of 1, 2 or 5 times a power of ten (whole numbers), at least `value`. */
function niceCeiling(value: number): number {
  const wanted = Math.max(1, value / 4);
  const power = 10 ** Math.floor(Math.log10(wanted));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= wanted) return 4 * Math.max(1, Math.round(factor * power));
  return 40 * power;
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** A Canvas that writes SVG, for the HTML pack. Text width is estimated (DejaVu Sans: about 0.58 em a character). */
export class SvgCanvas implements Canvas {
  private readonly parts: string[] = [];

  rect(x: number, y: number, width: number, height: number, fill: string): void {
    this.parts.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" fill="${fill}"/>`);
  }

  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width: number, dash?: readonly number[]): void {
    this.parts.push(`<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash.join(' ')}"` : ''}/>`);
  }

  polyline(points: ReadonlyArray<readonly [number, number]>, stroke: string, width: number): void {
    this.parts.push(`<polyline points="${points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="none" stroke="${stroke}" stroke-width="${width}"/>`);
  }

  circle(x: number, y: number, radius: number, fill: string): void {
    this.parts.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${radius}" fill="${fill}"/>`);
  }

  text(x: number, y: number, text: string, style: TextStyle): void {
    const anchor = style.anchor && style.anchor !== 'start' ? ` text-anchor="${style.anchor}"` : '';
    const rotate = style.rotate ? ` transform="rotate(${-style.rotate} ${n(x)} ${n(y)})"` : '';
    this.parts.push(
      `<text x="${n(x)}" y="${n(y)}" font-size="${style.size}" dominant-baseline="central"${anchor}${rotate}${style.bold ? ' font-weight="bold"' : ''} fill="${style.fill ?? COLOURS.text}">${escapeXml(text)}</text>`,
    );
  }

  textWidth(text: string, size: number): number {
    return text.length * size * 0.58;
  }

  /** The chart as an <svg> element of this size, with a title for screen readers. */
  svg(width: number, height: number, title: string): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" font-family="'DejaVu Sans', Verdana, sans-serif"><title>${escapeXml(title)}</title>${this.parts.join('')}</svg>`;
  }
}

const n = (value: number) => String(Math.round(value * 10) / 10);

/** Text for HTML and SVG: markup characters escaped, control characters (which XML forbids) shown as U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
}
