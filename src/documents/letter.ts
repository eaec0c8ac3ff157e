import { readFileSync } from 'node:fs';
import { civilDateOf, zonedParts } from '../domain/calendar.js';
import { InputError } from '../domain/errors.js';
import type { LetterData } from '../domain/letters.js';
import { type DocumentLanguage as Language, outcomes } from '../domain/vocabulary.js';
import { documentText, longDate } from '../i18n/document-text.js';
import { A4, MM, type PdfDocument, newPdf, textInMargin } from './pdf.js';

/**
 * The reply letter (issue 15) on A4, for a window envelope.
 *
 * The envelope: DL (110 × 220 mm), the size an A4 sheet folded in three
 * (99 mm panels) goes into, with the window on the right as Italian offices
 * mostly use it (Poste Italiane's "finestra a destra": about 90 × 45 mm,
 * 20 mm from the right edge and 15 mm from the bottom). On the sheet that is
 * roughly 105-195 mm from the left and 50-95 mm from the top, so the address
 * block starts at 110 mm from the left and 52 mm from the top and keeps to
 * 85 × 36 mm, leaving room for the sheet to shift in the envelope. A small
 * return line of the sender sits just above it (it shows in the window too);
 * fold marks at 99 and 198 mm on the left edge. (DIN 5008's left window,
 * 20 mm from the left, 45 mm from the top, is the German habit; a right
 * window leaves the left column free for the report's references, as
 * Italian administrative letters put the protocol data there.)
 */
const LEFT = 25 * MM;
const RIGHT = 20 * MM;
const TOP = 15 * MM;
const BOTTOM = 28 * MM;
const WINDOW = { x: 110 * MM, y: 52 * MM, width: 85 * MM, height: 36 * MM } as const;
const BODY_WIDTH = A4.width - LEFT - RIGHT;
const GREY = '#555555';
const TEXT = '#000000';

export async function renderLetter(data: LetterData, language: Language): Promise<Buffer> {
  const t = (key: Parameters<typeof documentText>[1], params?: Record<string, string | number>) => documentText(language, key, params);
  const org = data.organisation;
  const draft = data.reply === null;
  const { doc, bytes } = await newPdf(
    {
      title: `${draft ? `${t('letter.draft')}: ` : ''}${t('letter.title', { number: data.number })}`,
      author: org.organisationName,
      subject: t('letter.title', { number: data.number }),
      language,
      created: new Date(data.date),
    },
    { top: TOP, bottom: BOTTOM, left: LEFT, right: RIGHT },
  );
  doc.addPage();
  if (draft) watermark(doc, t('letter.draft'));
  letterhead(doc, data, t);

  // The window: return line, then the citizen's name and postal address.
  const returnLine = [org.organisationName, ...org.organisationAddress.split('\n')].filter(Boolean).join(' · ');
  doc.font('regular').fontSize(6.5).fillColor(GREY).text(returnLine, WINDOW.x, WINDOW.y - 5 * MM, { width: WINDOW.width, lineBreak: false, ellipsis: true });
  doc.font('regular').fontSize(10.5).fillColor(TEXT);
  doc.text([data.citizen.name, ...data.citizen.addressLines].join('\n'), WINDOW.x, WINDOW.y, { width: WINDOW.width, height: WINDOW.height, ellipsis: true });

  // Beside it, the references: number, date of receipt, area and manager.
  const received = dateOnly(data.receivedAt, data.timeZone);
  const references = [t('letter.report', { number: data.number }), t('letter.received', { date: received })];
  if (data.area) {
    references.push(t('letter.area', { area: data.area.name }));
    if (data.area.manager) references.push(t('letter.manager', { manager: data.area.manager }));
  }
  doc.font('bold').fontSize(9).text(references[0]!, LEFT, WINDOW.y, { width: 75 * MM });
  doc.font('regular').fontSize(9).text(references.slice(1).join('\n'), { width: 75 * MM });

  // Place and date, subject, salutation.
  const place = org.letterPlace || placeOf(org.organisationName);
  const dated = longDate(civilDateOf(new Date(data.date), data.timeZone), language);
  doc.font('regular').fontSize(10.5).text(place ? `${place}, ${dated}` : dated, LEFT, 98 * MM, { width: BODY_WIDTH, align: 'right' });
  doc.moveDown(1.2);
  doc.font('bold').fontSize(10.5).text(t('letter.subject', { number: data.number, subject: data.subject }), LEFT, doc.y, { width: BODY_WIDTH });
  doc.moveDown(1.2);
  const paragraph = (text: string, font = 'regular', colour = TEXT) => {
    doc.font(font).fontSize(10.5).fillColor(colour).text(text, LEFT, doc.y, { width: BODY_WIDTH, align: 'left', lineGap: 2, paragraphGap: 6 });
  };
  paragraph(t('letter.salutation', { name: data.citizen.name }));
  paragraph(t('letter.opening', { date: received, subject: data.subject }));
  if (data.reply) {
    for (const block of data.reply.text.split(/\n{2,}/)) paragraph(block.trim());
    const outcome = data.reply.outcome;
    paragraph(t('letter.outcome', { outcome: outcomes.label(outcome, language), sentence: t(`letter.outcome.${outcome}`) }), 'bold');
  } else {
    paragraph(t('letter.draftNotice'), 'bold', '#b03030');
    paragraph(t('letter.draftText'), 'oblique', GREY);
    paragraph(t('letter.draftOutcome'), 'bold');
  }
  if (data.area) {
    paragraph(data.area.manager ? t('letter.handledByManager', { area: data.area.name, manager: data.area.manager }) : t('letter.handledBy', { area: data.area.name }));
  }
  const contacts = [
    org.organisationAddress.replace(/\n/g, ', '),
    org.urpPhone && t('letter.phone', { value: org.urpPhone }),
    org.urpEmail && t('letter.email', { value: org.urpEmail }),
    org.urpHours && t('letter.hours', { value: org.urpHours }),
  ].filter(Boolean);
  paragraph(contacts.length ? `${t('letter.contact')} ${contacts.join('; ')}.` : t('letter.contactPlain'));
  doc.moveDown(0.6);
  paragraph(t('letter.closing'));

  // The signature block, on the right; kept together on one page.
  const signatory = (org.letterSignatory || t('letter.signatory')).split('\n');
  const signatureHeight = signatory.length * 14 + 10;
  if (doc.y + signatureHeight > A4.height - BOTTOM) doc.addPage();
  doc.moveDown(0.8);
  doc.font('regular').fontSize(10.5).fillColor(TEXT).text(signatory.join('\n'), 115 * MM, doc.y, { width: A4.width - 115 * MM - RIGHT, align: 'center' });

  // On every page: footer, page number, fold marks; the draft mark on pages after the first.
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    if (index > 0 && draft) watermark(doc, t('letter.draft'));
    foldMarks(doc);
    const footer = org.letterFooter.split('\n').filter(Boolean);
    doc.font('regular').fontSize(7).fillColor(GREY);
    if (footer.length) textInMargin(doc, footer.join('\n'), LEFT, A4.height - 22 * MM, { width: BODY_WIDTH, align: 'center' });
    if (range.count > 1) {
      textInMargin(doc, `${data.number} – ${t('letter.page', { page: index + 1, pages: range.count })}`, LEFT, A4.height - 12 * MM, { width: BODY_WIDTH, align: 'right' });
    }
  }
  doc.end();
  return bytes;
}

function letterhead(doc: PdfDocument, data: LetterData, t: (key: 'letter.office') => string): void {
  const org = data.organisation;
  let textX = LEFT;
  if (org.letterheadLogo) {
    let image: Buffer;
    try {
      image = readFileSync(org.letterheadLogo);
    } catch {
      throw new InputError('letter.logoUnreadable', { path: org.letterheadLogo });
    }
    doc.image(image, LEFT, TOP, { fit: [28 * MM, 22 * MM] });
    textX = LEFT + 32 * MM;
  }
  const width = A4.width - RIGHT - textX;
  doc.font('bold').fontSize(14).fillColor(TEXT).text(org.organisationName, textX, TOP + 1 * MM, { width });
  doc.font('regular').fontSize(9).fillColor(GREY).text(t('letter.office'), { width });
  if (org.organisationAddress) doc.text(org.organisationAddress, { width });
  const line = Math.max(doc.y + 2 * MM, TOP + 24 * MM);
  doc.save().moveTo(LEFT, line).lineTo(A4.width - RIGHT, line).lineWidth(0.6).stroke('#888888').restore();
}

function watermark(doc: PdfDocument, word: string): void {
  // Light grey, drawn first, so the text prints over it (no transparency needed).
  doc.save().rotate(-40, { origin: [A4.width / 2, A4.height / 2] });
  doc.font('bold').fontSize(110).fillColor('#e3e3e3');
  const width = doc.widthOfString(word);
  textInMargin(doc, word, A4.width / 2 - width / 2, A4.height / 2 - 60, { lineBreak: false });
  doc.restore();
}

function foldMarks(doc: PdfDocument): void {
  for (const y of [99 * MM, 198 * MM]) doc.save().moveTo(4 * MM, y).lineTo(9 * MM, y).lineWidth(0.4).stroke('#999999').restore();
}

/** "Comune di Valdoria" → "Valdoria": the place before the date, when letter-place is not set. */
export function placeOf(organisation: string): string {
  const match = /^(?:comune|citt\u00e0|citta|municipio|unione dei comuni)\s+(?:di|del|della|dei|degli)\s+(.+)$/i.exec(organisation.trim());
  return match ? match[1]!.trim() : '';
}

function dateOnly(iso: string, timeZone: string): string {
  const { date } = zonedParts(new Date(iso), timeZone);
  return `${String(date.day).padStart(2, '0')}/${String(date.month).padStart(2, '0')}/${date.year}`;
}
