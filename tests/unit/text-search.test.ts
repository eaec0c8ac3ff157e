import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCitizen, findCitizens, updateCitizen, validateCitizen } from '../../src/domain/citizens.js';
import { eraseCitizen } from '../../src/domain/privacy.js';
import { parseReportFields } from '../../src/domain/report-input.js';
import { listReports } from '../../src/domain/report-queries.js';
import { registerReport } from '../../src/domain/report-registration.js';
import { applyAction } from '../../src/domain/report-workflow.js';
import type { Store } from '../../src/storage/database.js';
import { fold, foldName } from '../../src/text/fold.js';
import { actorAt, memoryStore, settings } from '../helpers/store.js';

/**
 * Issue 12, item 1: `report list --search` and `citizen find` through the
 * trigram index. Whatever the index finds, the rule of src/text/fold.ts
 * applied to every row would find, and nothing else: checked against that
 * rule run in JavaScript over every report.
 */
let store: Store;
let clock: number;
const next = () => actorAt(new Date((clock += 60_000)).toISOString());

beforeEach(async () => {
  store = await memoryStore();
  clock = Date.parse('2026-03-02T08:00:00Z');
});
afterEach(() => store.close());

interface Person {
  firstName: string;
  lastName: string;
  email: string;
}

async function report(subject: string, person: Person, extra: { description?: string; location?: string; externalRef?: string; receivedAt?: string } = {}): Promise<string> {
  const { number } = await registerReport(store.db, next(), settings, {
    fields: parseReportFields({ type: 'problem', channel: 'phone', subject, ...extra }, settings.timeZone),
    citizen: validateCitizen(person),
  });
  return number;
}

const numbers = async (search: string, limit?: number) =>
  (await listReports(store.db, { search, searchYear: 2026, limit }, new Date(clock + 60_000))).map((each) => each.number);

// Texts with what folding must see through: accents, case, letters of other alphabets, ligatures, apostrophes.
const SUBJECTS = [
  'Lampione spento in via Nicolò Tommaseo', 'Buca profonda davanti alla CITTÀ vecchia', 'Perché il verde non è curato?',
  'Ärger mit dem Müll', 'São Paulo, gemellaggio', 'Œuvre d’art abîmée', 'Ørsted e Łódź', 'İstanbul caddesi', 'Straße gesperrt',
  'ΟΔΟΣ ΑΘΗΝΑΣ', 'Москва, улица', 'ﬁnestra rotta', 'Perdita d\'acqua', 'naïve café', '100% di rumore_', 'Rumore notturno',
];
const PEOPLE: Person[] = [
  { firstName: 'Mario', lastName: 'Rossi', email: 'mario.rossi@example.it' },
  { firstName: 'Anna', lastName: "D'Angelo", email: 'anna@example.it' },
  { firstName: 'Nicolò', lastName: 'De Luca', email: 'nicolo@example.it' },
];

describe('report search', () => {
  it('finds exactly what folding every row would find, in any case and with any accents typed', async () => {
    const made: Array<{ number: string; text: string; name: string }> = [];
    for (const [index, subject] of SUBJECTS.entries()) {
      const description = index % 3 === 0 ? 'Segnalato più volte allo sportello' : '';
      const location = index % 4 === 0 ? 'Piazza Garibaldi 12' : undefined;
      const person = PEOPLE[index % PEOPLE.length]!;
      const number = await report(subject, person, { description, location });
      made.push({ number, text: [subject, description, location ?? ''].map(fold).join('\n'), name: foldName(`${person.lastName} ${person.firstName}`) });
    }
    const queries = [
      ...SUBJECTS.flatMap((subject) => [subject, subject.toUpperCase(), subject.toLowerCase(), fold(subject), fold(subject).slice(2, 7)]),
      'NICOLO', 'citta', 'PIÙ VOLTE', 'piazza garibaldi', 'abimee', 'LODZ', 'istanbul', 'οδος', 'МОСКВА', 'finestra', 'fognatura', 'd\'acqua',
    ];
    for (const query of queries) {
      const folded = fold(query);
      if ([...folded].length < 3) continue;
      // Part of a text, or every word (of three characters or more) part of the citizen's name.
      const words = foldName(query).split(' ').filter(Boolean);
      const byName = (name: string) => words.length > 0 && words.every((word) => [...word].length >= 3 && name.includes(word));
      const expected = made.filter((each) => each.text.includes(folded) || byName(each.name)).map((each) => each.number);
      const found = await numbers(query);
      // Newest first: the reverse of the order they were registered in.
      expect(found, query).toEqual(expected.reverse());
    }
    // Something was really found (the test would pass on an empty register otherwise).
    expect(await numbers('tommaseo')).toEqual([made[0]!.number]);
    expect(await numbers('PERCHE')).toEqual([made[2]!.number]);
    // "Nicolò" in a subject, and Nicolò De Luca's reports (every third).
    expect(await numbers('NICOLO')).toEqual(made.filter((_, index) => index === 0 || index % 3 === 2).map((each) => each.number).reverse());
  });

  it("finds a report by its citizen's name, in any order, with commas and apostrophes or without", async () => {
    const rossi = await report('Lampione spento', PEOPLE[0]!);
    const dangelo = await report('Buca', PEOPLE[1]!);
    for (const search of ['Rossi', 'rossi mario', 'Mario Rossi', 'Rossi, Mario', 'ROSSI']) expect(await numbers(search), search).toEqual([rossi]);
    for (const search of ["D'Angelo", 'dangelo', 'Dangelo Anna', "anna d'angelo"]) expect(await numbers(search), search).toEqual([dangelo]);
    expect(await numbers('Rossi Anna')).toEqual([]);
    // A new name is found, the old one no longer.
    const id = (store.sqlite.prepare(`select id from citizens where last_name = 'Rossi'`).get() as { id: number }).id;
    await updateCitizen(store.db, next(), id, { lastName: 'Bianchi' });
    expect(await numbers('rossi')).toEqual([]);
    expect(await numbers('bianchi mario')).toEqual([rossi]);
  });

  it('finds a number typed as clerks type it, and a reference whole', async () => {
    const person = PEOPLE[0]!;
    const first = await report('Primo', person, { externalRef: 'PROT-12' });
    const words = ['due', 'tre', 'quattro', 'cinque', 'sei', 'sette', 'otto', 'nove', 'dieci', 'undici', 'dodici'];
    for (let index = 2; index <= 12; index++) await report(`Segnalazione ${words[index - 2]}`, person, { externalRef: index === 10 ? 'PROT-120' : undefined });
    expect(first).toBe('2026/000001');
    for (const search of ['2026/000001', '2026/1', '1/2026', '2026-1']) expect(await numbers(search), search).toEqual([first]);
    // Without the year: this year's (2026 here), also when only one or two digits are typed.
    expect(await numbers('1')).toEqual([first]);
    // 2026/000010 and 2026/000011 are not 2026/000001: a number is matched whole.
    expect(await numbers('000001')).toEqual([first]);
    expect(await numbers('PROT-12')).toEqual([first]);
    expect(await numbers('prot-120')).toEqual(['2026/000010']);
    // Text that merely contains the digits is found too (as in a subject).
    await report('Lampione 11 di via Roma', person);
    expect(await numbers('11')).toEqual(['2026/000013', '2026/000011']);
  });

  it('gives the newest matches first, exactly as sorting every match would, however many match', async () => {
    const person = PEOPLE[0]!;
    // Many on the same day of receipt (the index orders by day), in another order than they are registered: a pile of letters.
    for (let index = 0; index < 60; index++) {
      const day = 1 + Math.floor(index / 7);
      await report(index % 5 === 0 ? 'Altro' : 'Lampione spento', person, { receivedAt: `2026-02-${String(day).padStart(2, '0')}T${String((index * 7) % 24).padStart(2, '0')}:${String((index * 17) % 60).padStart(2, '0')}` });
    }
    const all = await numbers('lampione');
    expect(all).toHaveLength(48);
    const byHand = (await listReports(store.db, {}, new Date(clock + 60_000))).filter((each) => each.subject === 'Lampione spento').map((each) => each.number);
    expect(all).toEqual(byHand);
    for (const limit of [1, 5, 7, 8, 20, 47, 48, 100]) expect(await numbers('lampione', limit), String(limit)).toEqual(byHand.slice(0, limit));
  });

  it('keeps the index in step with a redacted subject and an erased name, and leaves it sound', async () => {
    const number = await report('Zqxjv in piazza', { firstName: 'Kvwq', lastName: 'Jzzyx', email: 'kvwq@example.it' });
    await applyAction(store.db, next(), settings, { number, action: 'reject', reason: 'Doppione' });
    expect(await numbers('zqxjv')).toEqual([number]);
    expect(await numbers('jzzyx')).toEqual([number]);
    const id = (store.sqlite.prepare(`select citizen_id from reports where number = ?`).get(number) as { citizen_id: number }).citizen_id;
    await eraseCitizen(store.db, next(), id, { redactTexts: true });
    expect(await numbers('zqxjv')).toEqual([]);
    expect(await numbers('jzzyx')).toEqual([]);
    expect(await numbers(`ANON-${String(id).padStart(6, '0')}`)).toEqual([number]);
    expect(await findCitizens(store.db, 'jzzyx')).toEqual([]);
    for (const index of ['report_search', 'citizen_search']) store.sqlite.exec(`insert into ${index}(${index}) values('integrity-check')`);
    expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('citizen find', () => {
  it("finds a citizen by parts of the name in any order, apostrophes and accents aside, by e-mail and by the phone's digits", async () => {
    const dangelo = await addCitizen(store.db, next(), { firstName: 'Anna', lastName: "D'Angelo", email: 'anna.dangelo@example.it', phone: '0331 467816' });
    const other = await addCitizen(store.db, next(), { firstName: 'Nicolò', lastName: 'Angeli', email: 'nicolo@example.it' });
    const ids = async (text: string) => (await findCitizens(store.db, text)).map((citizen) => citizen.id);
    for (const text of ["d'angelo", 'dangelo', 'DANGELO ANNA', "Anna D'Angelò", "angelo an", 'anna.dangelo', '0331', '467 816', 'example.it'.slice(0, 7) + 'x']) {
      const expected = text.endsWith('x') ? [] : [dangelo.id];
      expect(await ids(text), text).toEqual(expected);
    }
    // Both, in the order of their names: Angeli before D'Angelo.
    expect(await ids('angel')).toEqual([other.id, dangelo.id]);
    expect(await ids('nicolo')).toEqual([other.id]);
    expect(await ids('NICOLÒ ANGELI')).toEqual([other.id]);
    // Short parts alone are read row by row, with the same folding.
    expect(await ids('an')).toEqual([other.id, dangelo.id]);
    expect(await ids('%')).toEqual([]);
    expect(foldName("D'Angelò, Anna")).toBe('dangelo anna');
  });
});

describe('fold', () => {
  it('folds ASCII text, on its quick path, exactly as the whole rule does', () => {
    const whole = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
    const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join('');
    const texts = [ascii, `  Via  ROMA\t1\n\r${ascii.slice(32)}  `, 'Buca in VIA Garibaldi, 12', ''];
    for (const text of texts) expect(fold(text)).toBe(whole(text));
    // And text that is not ASCII still goes the whole way.
    expect(fold('Perché  NICOLÒ')).toBe('perche nicolo');
  });
});
