import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ME, URP_BIN, query, tempWorkspace, urpWith } from '../helpers/cli.js';
import { firstPageInk, pdfFonts, pdfInfo, pdfMetadata, pdfText, writePng } from '../helpers/documents.js';

/**
 * The documents of issue 15, read back with tools that did not write them
 * (poppler's pdftotext, pdfinfo, pdffonts, pdftoppm; parse5 for the HTML):
 * the reply letter, the reply templates, the review pack.
 */
const workspace = tempWorkspace();
// As the account running the tests (no URP_OPERATOR): the register gains operators half-way, bound to it.
const urp = urpWith(workspace.db, { env: { URP_OPERATOR: undefined } });
const file = (name: string) => join(workspace.dir, name);
const flat = (text: string) => text.replace(/\s+/g, ' ');

const REPLY = 'La buca è stata chiusa il 24/11: più sicurezza per tutti, perché è giusto così. Città, caffè, però; È già fatto, ù ì ò à é.';
let answered: string;
let draft: string;

async function ok(args: string[], options?: Parameters<typeof urp>[1]) {
  const result = await urp(args, options);
  if (result.code !== 0) throw new Error(`urp ${args.join(' ')}: exit ${result.code}\n${result.stderr}`);
  return result;
}

beforeAll(async () => {
  await ok(['init', '--demo']);
  await ok(['area', 'add', 'strade-test', '--name', 'Strade e viabilità', '--manager', 'Ing. Paolo Ferretti']);
  writePng(file('logo.png'));
  for (const [key, value] of [
    ['organisation-address', 'Piazza della Libertà 1\n21100 Valdoria (VA)'],
    ['urp-phone', '0331 123456'],
    ['urp-email', 'urp@comune.valdoria.example'],
    ['urp-hours', 'lun-ven 9-12, gio 15-17'],
    ['letterhead-logo', file('logo.png')],
    ['letter-signatory', "Il Responsabile dell'URP\nDott.ssa Anna Neri"],
    ['letter-footer', 'Comune di Valdoria – C.F. 00123450129'],
  ]) {
    await ok(['config', 'set', key!, value!]);
  }
  const created = await ok([
    'report', 'new', '--type', 'problem', '--channel', 'paper', '--received-at', new Date(Date.now() - 3 * 86_400_000).toISOString(),
    '--subject', 'Buca in via della Libertà', '--first-name', 'Nicolò', '--last-name', "D'Agostino",
    '--address', 'Via Garibaldi 12, 21100 Valdoria VA', '--area', 'strade-test',
  ]);
  answered = created.stdout.trim();
  await ok(['report', 'reply', answered, '--text', REPLY, '--outcome', 'risolta', '--via', 'lettera']);
  draft = (await ok(['report', 'new', '--type', 'complaint', '--channel', 'phone', '--subject', 'Rumore notturno', '--first-name', 'Lucia', '--last-name', 'Esposito', '--phone', '333 7654321'])).stdout.trim();
}, 120_000);
afterAll(() => workspace.cleanup());

describe('urp report letter', () => {
  it('writes a one-page PDF/A-2b with the number, the citizen, the reply and its outcome, every font embedded', async () => {
    const result = await ok(['report', 'letter', answered, '--output', file('letter.pdf')]);
    expect(result.stderr).toContain(`Letter for report ${answered} written to`);
    const text = pdfText(file('letter.pdf'));
    expect(text).toContain(`Segnalazione n. ${answered}`);
    expect(text).toContain("Nicolò D'Agostino");
    expect(flat(text)).toContain(REPLY);
    expect(flat(text)).toContain('Esito: risolta. Il problema segnalato è stato risolto.');
    expect(flat(text)).toContain("dall'area Strade e viabilità (responsabile: Ing. Paolo Ferretti)");
    expect(flat(text)).toContain('tel. 0331 123456; e-mail urp@comune.valdoria.example; orario di apertura: lun-ven 9-12, gio 15-17');
    expect(text).toContain('Dott.ssa Anna Neri');
    expect(text).toContain('Comune di Valdoria – C.F. 00123450129');
    expect(text).toMatch(/Valdoria, \d{1,2} (gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre) \d{4}/);
    expect(text).not.toContain('BOZZA');

    const info = pdfInfo(file('letter.pdf'));
    expect(info.Pages).toBe('1');
    expect(info['PDF version']).toBe('1.7');
    expect(info.Title).toBe(`Risposta alla segnalazione ${answered}`);
    const metadata = pdfMetadata(file('letter.pdf'));
    expect(metadata).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(metadata).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    const fonts = pdfFonts(file('letter.pdf'));
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((font) => font.embedded && font.unicode && /DejaVuSans/.test(font.name))).toBe(true);

    const ink = firstPageInk(file('letter.pdf'), file('letter-page1.png'));
    expect(ink.dark / ink.total).toBeGreaterThan(0.01);
    expect(query(workspace.db, `select kind, subject, text from audit_events where kind = 'letter_written'`)).toContainEqual({ kind: 'letter_written', subject: `report:${answered}`, text: 'letter' });
  });

  it('puts the name and postal address in the window of a DL envelope (about 110 mm from the left, 52 mm from the top), the address broken before the postcode', () => {
    const boxes = spawnSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file('letter.pdf'), '-'], { encoding: 'utf8' }).stdout;
    // Where a word first appears in the top third of the page, right of the middle (below the return line: the letterhead and the return line repeat the postcode).
    const word = (text: string) => {
      const found = [...boxes.matchAll(new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)"[^>]*>${text}</word>`, 'g'))]
        .map((match) => ({ x: Number(match[1]) / (72 / 25.4), y: Number(match[2]) / (72 / 25.4) }))
        .find((box) => box.x > 100 && box.y > 50 && box.y < 99);
      if (!found) throw new Error(`${text} not found in the top right third of the page`);
      return found;
    };
    const name = word('Nicolò');
    const street = word('Garibaldi');
    const postcode = word('21100');
    expect(name.x).toBeGreaterThan(105);
    expect(name.x).toBeLessThan(115);
    expect(name.y).toBeGreaterThanOrEqual(50);
    expect(name.y).toBeLessThan(58);
    expect(street.y).toBeGreaterThan(name.y);
    // The postcode starts its own line, under the street, inside the window (which ends about 95 mm down).
    expect(postcode.y).toBeGreaterThan(street.y);
    expect(postcode.y).toBeLessThan(90);
  });

  it('marks a report not yet answered as a draft, and writes English with --lang en', async () => {
    const result = await ok(['report', 'letter', draft, '--output', file('draft.pdf')]);
    expect(result.stderr).toContain('Draft letter');
    expect(result.stderr).toContain('has no postal address');
    const text = pdfText(file('draft.pdf'));
    // The diagonal mark is drawn letter by letter for pdftotext; the title and the notice say it in words.
    expect(pdfInfo(file('draft.pdf')).Title).toBe(`BOZZA: Risposta alla segnalazione ${draft}`);
    expect(text).toContain('Bozza: la segnalazione non ha ancora una risposta');
    expect(text).toContain('Lucia Esposito');
    const ink = firstPageInk(file('draft.pdf'));
    expect(ink.dark).toBeGreaterThan(0);

    await ok(['--lang', 'en', 'report', 'letter', answered, '--output', file('letter-en.pdf')]);
    const english = flat(pdfText(file('letter-en.pdf')));
    expect(english).toContain(`Subject: reply to report no. ${answered}`);
    expect(english).toContain("Dear Nicolò D'Agostino,");
    expect(english).toContain('Outcome: resolved. The problem you reported has been resolved.');
  });

  it('writes to standard output with --output - when it is not a terminal, and a default file name otherwise', async () => {
    const piped = spawnSync(process.execPath, [URP_BIN, '--db', workspace.db, 'report', 'letter', answered, '--output', '-'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', URP_OPERATOR: 'test-clerk' },
    });
    expect(piped.status).toBe(0);
    expect(piped.stdout.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    writeFileSync(file('piped.pdf'), piped.stdout);
    expect(pdfText(file('piped.pdf'))).toContain("Nicolò D'Agostino");

    const cwd = spawnSync(process.execPath, [URP_BIN, '--db', workspace.db, 'report', 'letter', answered], {
      cwd: workspace.dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', URP_OPERATOR: 'test-clerk' },
      encoding: 'utf8',
    });
    expect(cwd.status).toBe(0);
    expect(existsSync(file(`lettera-${answered.replace('/', '-')}.pdf`))).toBe(true);
  });

  it('refuses an unknown report, the database as output, and an area operator of another area', async () => {
    expect((await urp(['report', 'letter', '2026/999999', '--output', file('x.pdf')])).stderr).toContain('no report 2026/999999');
    const overDb = await urp(['report', 'letter', answered, '--output', workspace.db]);
    expect(overDb.code).toBe(2);
    expect(overDb.stderr).toContain('is the database');
    await ok(['operator', 'add', 'capo', '--role', 'admin', '--os-user', ME]);
    await ok(['operator', 'add', 'verdi', '--role', 'area', '--area', 'ambiente'], { env: { URP_OPERATOR: 'capo' } });
    await ok(['operator', 'add', 'ferretti', '--role', 'area', '--area', 'strade-test'], { env: { URP_OPERATOR: 'capo' } });
    const other = await urp(['report', 'letter', answered, '--output', file('y.pdf')], { env: { URP_OPERATOR: 'verdi' } });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('only in their own areas');
    expect(existsSync(file('y.pdf'))).toBe(false);
    await ok(['report', 'letter', answered, '--output', file('z.pdf')], { env: { URP_OPERATOR: 'ferretti' } });
  });
});

describe('reply templates', () => {
  const as = { env: { URP_OPERATOR: 'capo' } };
  it('add from a file, list, show, fill with report reply --template (piped: no editor), disable', async () => {
    writeFileSync(file('lampione.txt'), 'Gentile {citizenName},\nil lampione segnalato il {receivedDate} ({subject}, segnalazione {number}) è stato riparato dall\'area {area}.\n{organisation}');
    const added = await urp(['reply-template', 'add', 'lampione', '--title', 'Lampione riparato', '--file', file('lampione.txt'), '--outcome', 'risolta', '--category', 'illuminazione'], as);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain('Reply template lampione added');
    const list = await ok(['reply-template', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([{ code: 'lampione', title: 'Lampione riparato', body: expect.stringContaining('{citizenName}'), outcome: 'resolved', category: 'illuminazione', active: true }]);
    expect((await ok(['reply-template', 'show', 'lampione'])).stdout).toContain('il lampione segnalato il {receivedDate}');

    writeFileSync(file('typo.txt'), 'Gentile {citizenNme}');
    const typo = await urp(['reply-template', 'add', 'typo', '--title', 'Errore', '--file', file('typo.txt')], as);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown field {citizenNme}');

    const number = (await ok(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Lampione spento', '--category', 'illuminazione', '--area', 'strade-test', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '333 1112223'], as)).stdout.trim();
    const reply = await urp(['report', 'reply', number, '--template', 'lampione'], { env: { URP_OPERATOR: 'capo' } });
    expect(reply.code, reply.stderr).toBe(0);
    const [stored] = query<{ text: string; outcome: string }>(workspace.db, 'select text, outcome from replies where report_id = (select id from reports where number = ?)', number);
    expect(stored!.outcome).toBe('resolved');
    expect(stored!.text).toMatch(new RegExp(`^Gentile Mario Rossi,\\nil lampione segnalato il \\d{2}/\\d{2}/\\d{4} \\(Lampione spento, segnalazione ${number}\\) è stato riparato dall'area Strade e viabilità\\.\\nComune di Valdoria$`));

    const both = await urp(['report', 'reply', number, '--template', 'lampione', '--text', 'x'], as);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either --text or --template');
    expect((await urp(['reply-template', 'disable', 'lampione'], { env: { URP_OPERATOR: 'verdi' } })).code).toBe(2);
    expect((await ok(['reply-template', 'disable', 'lampione'], as)).stderr).toContain('disabled');
    expect(JSON.parse((await ok(['reply-template', 'list', '--json'])).stdout)).toEqual([]);
    expect(JSON.parse((await ok(['reply-template', 'list', '--all', '--json'])).stdout)).toHaveLength(1);
  });
});

describe('urp review', () => {
  const asOf = new Date().toISOString();
  const period = ['--from', '2020-01-01', '--as-of', asOf];
  type Ratio = { percent: number; count: number; of: number };
  let stats: { total: { received: number; rejected: number; answered: number; open: number; lateNow: number; assignedOnTime: Ratio; answeredOnTime: Ratio; medianDaysToAnswer: number; p90DaysToAnswer: number; medianHoursToAssign: number } };
  beforeAll(async () => {
    stats = JSON.parse((await ok(['stats', '--json', ...period])).stdout);
  });
  const en = (value: number) => value.toLocaleString('en-GB');

  it('a PDF whose figures are those of urp stats --json for the same period, each with its note', async () => {
    const result = await ok(['review', ...period, '--output', file('review.pdf')]);
    expect(result.stderr).toContain('Review pack 2020-01-01');
    const text = pdfText(file('review.pdf'));
    const { total } = stats;
    expect(total.received).toBeGreaterThan(250);
    const row = (label: string, value: string) => expect(text, label).toMatch(new RegExp(`^\\s*${label} \\[\\d+\\]\\s+${value.replace(/[().]/g, '\\$&')}(\\s|$)`, 'm'));
    row('received', en(total.received));
    row('rejected', en(total.rejected));
    row('answered', en(total.answered));
    row('open now', en(total.open));
    row('late now', en(total.lateNow));
    row('assigned on time', `${en(total.assignedOnTime.percent)}% (${total.assignedOnTime.count} of ${total.assignedOnTime.of})`);
    row('answered on time', `${en(total.answeredOnTime.percent)}% (${total.answeredOnTime.count} of ${total.answeredOnTime.of})`);
    row('median days to reply', en(total.medianDaysToAnswer));
    row('90th percentile days to reply', en(total.p90DaysToAnswer));
    row('median hours to assign', en(total.medianHoursToAssign));
    for (const heading of ['2. Targets and results', '3. Timeliness', '4. Volumes', '5. Backlog by age', '6. Outcomes', '7. Most frequent categories and places']) expect(text).toContain(heading);
    expect(flat(text)).toContain('Answered on time: first answer no later than the reply deadline then in force (30 days');
    expect(text).toMatch(/Replies on time per area \(percent\) \[\d+\]/);
    expect(text).toMatch(/Reports per category \(Pareto\)/);

    const info = pdfInfo(file('review.pdf'));
    expect(Number(info.Pages)).toBeGreaterThanOrEqual(3);
    expect(info['PDF version']).toBe('1.7');
    expect(pdfMetadata(file('review.pdf'))).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(pdfFonts(file('review.pdf')).every((font) => font.embedded)).toBe(true);
    const ink = firstPageInk(file('review.pdf'), file('review-page1.png'));
    expect(ink.dark / ink.total).toBeGreaterThan(0.01);
  });

  it('the backlog by age adds up to the open reports, and the targets come from the settings', async () => {
    await ok(['config', 'set', 'target-on-time-reply', '50'], { env: { URP_OPERATOR: 'capo' } });
    await ok(['review', ...period, '--output', file('review2.pdf')]);
    const text = pdfText(file('review2.pdf'));
    const ages = ['0 to 7', '8 to 30', '31 to 60', 'over 60'].map((label) => Number(new RegExp(`^\\s*${label}\\s+([\\d,]+)\\s*$`, 'm').exec(text)![1]!.replace(/,/g, '')));
    expect(ages.reduce((a, b) => a + b, 0)).toBe(stats.total.open);
    expect(text).toMatch(new RegExp(`^\\s*replies on time\\s+50%\\s+${en(stats.total.answeredOnTime.percent).replace('.', '\\.')}%\\s+${stats.total.answeredOnTime.percent >= 50 ? 'yes' : 'no'}\\s*$`, 'm'));
  });

  it('--format html: one self-contained file, its four charts as inline SVG, the same figures', async () => {
    await ok(['review', ...period, '--format', 'html', '--output', file('review.html')]);
    const html = readFileSync(file('review.html'), 'utf8');
    const document = parse(html);
    const elements: DefaultTreeAdapterMap['element'][] = [];
    const walk = (node: DefaultTreeAdapterMap['parentNode']) => {
      for (const child of node.childNodes) {
        if ('tagName' in child) {
          elements.push(child);
          walk(child.tagName === 'template' ? child.content : child);
        }
      }
    };
    walk(document);
    const svgs = elements.filter((element) => element.tagName === 'svg');
    expect(svgs).toHaveLength(4);
    for (const svg of svgs) expect(svg.childNodes.filter((child) => 'tagName' in child && ['rect', 'polyline', 'circle'].includes(child.tagName)).length).toBeGreaterThan(2);
    // Nothing fetched from anywhere: no script, style sheet, image, frame or link with an address.
    expect(elements.filter((element) => ['script', 'link', 'img', 'iframe', 'object', 'embed'].includes(element.tagName))).toEqual([]);
    for (const element of elements) {
      for (const attribute of element.attrs) {
        if (['src', 'href', 'xlink:href'].includes(attribute.name)) throw new Error(`${element.tagName} ${attribute.name}=${attribute.value}`);
      }
    }
    expect(html).not.toMatch(/url\(/);
    const cells = elements.filter((element) => element.tagName === 'td').map((element) => element.childNodes.map((child) => ('value' in child ? child.value : '')).join(''));
    const received = cells.findIndex((cell) => /^received \[\d+\]$/.test(cell));
    expect(cells[received + 1]).toBe(en(stats.total.received));
  });
});
