import { SvgCanvas, escapeXml } from './charts.js';
import type { Block, ReviewDocument } from './review-content.js';

/**
 * The review pack as one self-contained HTML file: styles inline, charts as
 * inline SVG, no script, no image, no font or style sheet fetched from
 * anywhere (it is mailed and archived as it is). Printable from a browser.
 */
const CHART_WIDTH = 640;

export function renderReviewHtml(document: ReviewDocument): string {
  const lang = document.language === 'it' ? 'it' : 'en';
  const body = document.sections
    .map((section) => {
      const blocks = section.blocks.map(renderBlock).join('\n');
      const notes = section.notes.length
        ? `<ol class="notes">${section.notes.map(([number, text]) => `<li id="note-${number}" value="${number}">${escapeXml(text)}</li>`).join('')}</ol>`
        : '';
      return `<section>\n<h2>${escapeXml(section.title)}</h2>\n${blocks}\n${notes}\n</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(`${document.organisation} — ${document.title}`)}</title>
<style>
body { font-family: 'DejaVu Sans', Verdana, sans-serif; color: #222; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0; } h1 small { display: block; font-size: 0.7em; font-weight: normal; }
h2 { font-size: 1.15em; border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { font-size: 0.95em; margin-bottom: 0.3em; }
.subtitle { color: #555; } .intro { color: #555; font-size: 0.85em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.85em; }
th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; text-align: left; }
th { background: #eef2f6; } td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
figure { margin: 1em 0; } figcaption { font-weight: bold; font-size: 0.9em; margin-bottom: 0.3em; }
svg { max-width: 100%; height: auto; }
.notes { font-size: 0.75em; color: #555; padding-left: 2.2em; }
@media print { body { margin: 0; max-width: none; } section { break-inside: auto; } figure, table { break-inside: avoid; } }
</style>
</head>
<body>
<header>
<h1><small>${escapeXml(document.organisation)}</small>${escapeXml(document.title)}</h1>
<p class="subtitle">${escapeXml(document.subtitle)}</p>
${document.introduction.map((line) => `<p class="intro">${escapeXml(line)}</p>`).join('\n')}
</header>
${body}
</body>
</html>
`;
}

function renderBlock(block: Block): string {
  if (block.kind === 'paragraph') return `<p>${escapeXml(block.text)}</p>`;
  if (block.kind === 'chart') {
    const canvas = new SvgCanvas();
    const height = block.draw(canvas, CHART_WIDTH);
    return `<figure>\n<figcaption>${escapeXml(block.title)}</figcaption>\n${canvas.svg(CHART_WIDTH, height, block.title)}\n</figure>`;
  }
  const cell = (tag: 'th' | 'td', text: string, right: boolean | undefined) => `<${tag}${right ? ' class="number"' : ''}>${escapeXml(text)}</${tag}>`;
  const head = `<tr>${block.columns.map((column) => cell('th', column.header, column.right)).join('')}</tr>`;
  const rows = block.rows
    .map((row, index) => `<tr${block.totalRow && index === block.rows.length - 1 ? ' class="total"' : ''}>${row.map((text, column) => cell('td', text, block.columns[column]?.right)).join('')}</tr>`)
    .join('\n');
  return `${block.title ? `<h3>${escapeXml(block.title)}</h3>\n` : ''}<table>\n<thead>${head}</thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}
