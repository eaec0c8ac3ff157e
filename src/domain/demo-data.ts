import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { writeTransaction } from '../storage/transactions.js';
import type { Actor } from './actor.js';
import { addArea } from './areas.js';
import { addCategory } from './categories.js';
import { type CitizenData, insertCitizen } from './citizens.js';
import { InputError } from './errors.js';
import { registerReport } from './report-registration.js';
import { type Action, applyAction } from './report-workflow.js';
import { type Settings, loadSettings, setSetting } from './settings.js';
import { buildTaxCode } from './tax-code.js';
import type { Channel, ReportType } from './vocabulary.js';

/**
 * A realistic, entirely fictional data set for a small comune ("Comune di
 * Valdoria"), so that a newcomer sees real output at once: areas with their
 * managers, categories, citizens with valid tax codes, and about 300 reports
 * over the last 120 days, some of them late. Seeded: the same every time
 * relative to the day it is loaded.
 */

const AREAS = [
  { code: 'lavori-pubblici', name: 'Lavori pubblici e manutenzioni', manager: 'Ing. Paolo Ferretti', email: 'lavoripubblici@comune.valdoria.it' },
  { code: 'ambiente', name: 'Ambiente ed ecologia', manager: 'Dott.ssa Chiara Lombardi', email: 'ambiente@comune.valdoria.it' },
  { code: 'polizia-locale', name: 'Polizia locale', manager: 'Comm. Marco Bellini', email: 'polizialocale@comune.valdoria.it' },
  { code: 'servizi-sociali', name: 'Servizi sociali', manager: 'Dott.ssa Anna Moretti', email: 'sociali@comune.valdoria.it' },
  { code: 'tributi', name: 'Tributi', manager: 'Rag. Giorgio Sala', email: 'tributi@comune.valdoria.it' },
  { code: 'urbanistica', name: 'Urbanistica ed edilizia privata', manager: 'Arch. Elena Galli', email: 'urbanistica@comune.valdoria.it' },
];

/** Categories with their default area and a few subjects a citizen would write; weights skew volumes as real ones are. */
const CATEGORIES = [
  { code: 'strade', name: 'Strade e marciapiedi', area: 'lavori-pubblici', weight: 22, subjects: ['Buca pericolosa in carreggiata', 'Marciapiede dissestato', 'Tombino rumoroso', 'Segnaletica orizzontale sbiadita', 'Dosso rallentatore danneggiato'] },
  { code: 'illuminazione', name: 'Illuminazione pubblica', area: 'lavori-pubblici', weight: 15, subjects: ['Lampione spento', 'Lampioni spenti in tutta la via', 'Lampione che lampeggia', 'Palo della luce inclinato'] },
  { code: 'rifiuti', name: 'Rifiuti e raccolta differenziata', area: 'ambiente', weight: 18, subjects: ['Mancata raccolta della carta', 'Rifiuti abbandonati a bordo strada', 'Cestino stradale pieno', 'Richiesta nuovi sacchi per la differenziata', 'Cassonetto danneggiato'] },
  { code: 'verde', name: 'Verde pubblico e parchi', area: 'ambiente', weight: 10, subjects: ['Erba alta nel parco giochi', 'Ramo pericolante', 'Giochi del parco rotti', 'Siepe che invade il marciapiede'] },
  { code: 'animali', name: 'Animali e igiene', area: 'ambiente', weight: 4, subjects: ['Nido di vespe in area pubblica', 'Colonia di piccioni', 'Cane randagio'] },
  { code: 'viabilita', name: 'Viabilità e sosta', area: 'polizia-locale', weight: 10, subjects: ['Auto in sosta sul passo carraio', 'Velocità eccessiva in via residenziale', 'Semaforo guasto', 'Richiesta di nuovo attraversamento pedonale'] },
  { code: 'rumore', name: 'Rumore e quiete pubblica', area: 'polizia-locale', weight: 5, subjects: ['Musica ad alto volume di notte', 'Cantiere rumoroso fuori orario', 'Allarme che suona da ore'] },
  { code: 'sociale', name: 'Servizi alla persona', area: 'servizi-sociali', weight: 6, subjects: ['Richiesta di assistenza domiciliare', 'Ritardo del trasporto anziani', 'Informazioni sul contributo affitto'] },
  { code: 'tributi', name: 'Tributi e tariffe', area: 'tributi', weight: 6, subjects: ['Avviso TARI con importo errato', 'Rimborso IMU non ricevuto', 'Sportello tributi sempre chiuso'] },
  { code: 'edilizia', name: 'Edilizia e decoro urbano', area: 'urbanistica', weight: 4, subjects: ['Edificio abbandonato pericolante', 'Ponteggio lasciato da mesi', 'Tempi lunghi per la pratica edilizia'] },
];

const FIRST_NAMES = [
  ['Mario', false], ['Giuseppe', false], ['Luca', false], ['Francesco', false], ['Andrea', false], ['Alessandro', false],
  ['Stefano', false], ['Roberto', false], ['Davide', false], ['Nicolò', false], ['Matteo', false], ['Giovanni', false],
  ['Maria', true], ['Anna', true], ['Giulia', true], ['Francesca', true], ['Sara', true], ['Laura', true],
  ['Paola', true], ['Elisa', true], ['Chiara', true], ['Silvia', true], ['Lucia', true], ['Rosa', true],
] as const;
const LAST_NAMES = [
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo',
  'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti', 'Barbieri', 'Fontana', 'Santoro',
  "D'Angelo", 'Caruso', 'Mariani', 'Rinaldi', 'Ferrara', 'Galli', 'Martini', 'Leone', 'Longo', 'Gentile', 'Martinelli',
];
const STREETS = ['Via Roma', 'Via Garibaldi', 'Piazza della Chiesa', 'Via Mazzini', 'Via Verdi', 'Via dei Mille', 'Corso Italia', 'Via Manzoni', 'Via XX Settembre', 'Viale dei Tigli', 'Via Cavour', 'Via Dante'];
/** Belfiore codes of a few birthplaces (Milano, Roma, Torino, Napoli, Bologna, Bergamo, Palermo, Bari). */
const BIRTHPLACES = ['F205', 'H501', 'L219', 'F839', 'A944', 'A794', 'G273', 'A662'];
const CHANNELS: Array<[Channel, number]> = [['phone', 30], ['email', 25], ['web', 20], ['counter', 13], ['paper', 7], ['pec', 5]];
const TYPES: Array<[ReportType, number]> = [['problem', 62], ['complaint', 28], ['suggestion', 10]];

/** A small seeded generator (mulberry32): the demo is the same every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(random: () => number, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let pick = random() * total;
  for (const [item, weight] of items) {
    pick -= weight;
    if (pick < 0) return item;
  }
  return items[items.length - 1]![0];
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function demoCitizens(random: () => number, count: number): CitizenData[] {
  const citizens: CitizenData[] = [];
  const used = new Set<string>();
  while (citizens.length < count) {
    const [firstName, female] = pick(random, FIRST_NAMES);
    const lastName = pick(random, LAST_NAMES);
    const birthDate = { year: 1940 + Math.floor(random() * 65), month: 1 + Math.floor(random() * 12), day: 1 + Math.floor(random() * 28) };
    const taxCode = buildTaxCode({ lastName, firstName, birthDate, female, birthplaceCode: pick(random, BIRTHPLACES) });
    if (used.has(taxCode)) continue;
    used.add(taxCode);
    const handle = `${firstName}.${lastName}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
    const contact = random();
    citizens.push({
      firstName,
      lastName,
      // Two in three give their tax code; everybody gives at least one contact.
      taxCode: random() < 0.66 ? taxCode : null,
      email: contact < 0.7 ? `${handle}${citizens.length}@posta.valdoria.it` : null,
      phone: contact > 0.4 ? `+3933${String(10_000_000 + Math.floor(random() * 89_999_999)).slice(0, 8)}` : null,
      address: contact > 0.85 || contact < 0.1 ? `${pick(random, STREETS)} ${1 + Math.floor(random() * 120)}, Valdoria` : null,
    });
  }
  return citizens;
}

export type DemoCounts = {
  areas: number;
  categories: number;
  citizens: number;
  reports: number;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Loads the demo into an empty database, in one transaction. */
export async function loadDemoData(db: Kysely<Database>, actor: Actor, { days = 120, reports = 300 } = {}): Promise<DemoCounts> {
  const random = seededRandom(20261126);
  return writeTransaction(db, async (trx) => {
    if (await trx.selectFrom('reports').select('id').limit(1).executeTakeFirst()) throw new InputError('init.demoNotEmpty');
    await setSetting(trx, 'organisation-name', 'Comune di Valdoria', actor.now);
    await setSetting(trx, 'local-holidays', '06-13', actor.now); // Sant'Antonio, the fictional patron saint
    const settings = await loadSettings(trx);
    for (const area of AREAS) await addArea(trx, actor, area);
    for (const category of CATEGORIES) await addCategory(trx, actor, category);
    const citizens = [];
    for (const data of demoCitizens(random, 60)) citizens.push(await insertCitizen(trx, actor, data));

    // Receipt times spread over the period, in office hours, oldest first so numbers follow time.
    const start = actor.now.getTime() - days * DAY;
    const receipts = Array.from({ length: reports }, () => {
      const day = Math.floor(start / DAY) * DAY + Math.floor(random() * days) * DAY;
      return day + (7 + random() * 11) * HOUR; // 08:00-19:00 Rome, roughly
    })
      .filter((instant) => instant < actor.now.getTime() - HOUR)
      .sort((a, b) => a - b);

    const registered: Array<{ number: string; received: number; registered: number; area: string }> = [];
    for (const received of receipts) {
      const category = weighted(random, CATEGORIES.map((each) => [each, each.weight] as const));
      // Most are entered at once; some (a call on Friday evening) the next working day.
      const registeredAt = Math.min(received + (random() < 0.8 ? random() * HOUR : 20 * HOUR + random() * 48 * HOUR), actor.now.getTime());
      const { number } = await registerReport(trx, { ...actor, now: new Date(registeredAt) }, settings, {
        fields: {
          type: weighted(random, TYPES),
          channel: weighted(random, CHANNELS),
          receivedAt: new Date(received),
          subject: pick(random, category.subjects),
          description: pick(random, DESCRIPTIONS),
          category: category.code,
          area: undefined,
          location: `${pick(random, STREETS)} ${1 + Math.floor(random() * 120)}`,
          externalRef: random() < 0.2 ? `PROT-${new Date(received).getUTCFullYear()}-${1000 + registered.length}` : undefined,
        },
        citizen: pick(random, citizens).id,
      });
      registered.push({ number, received, registered: registeredAt, area: category.area });
    }
    for (const report of registered) await liveThrough(trx, actor, settings, random, report);
    return { areas: AREAS.length, categories: CATEGORIES.length, citizens: citizens.length, reports: receipts.length };
  });
}

const DESCRIPTIONS = [
  'Segnalo il problema già da alcuni giorni, chiedo un intervento.',
  'Il problema si ripete ogni settimana. Grazie per l\'attenzione.',
  'Situazione pericolosa soprattutto di sera per i pedoni.',
  'Chiedo di essere ricontattato per sapere quando verrà risolto.',
  'Ho già telefonato ma non ho avuto risposta.',
  '',
];

const REPLIES = [
  'Gentile cittadino, l\'intervento è stato eseguito. Grazie per la segnalazione.',
  'La segnalazione è stata inserita nel programma di manutenzione; l\'intervento è previsto entro il mese.',
  'Le forniamo le informazioni richieste: gli orari dello sportello sono pubblicati sul sito del Comune.',
  'Il tratto indicato non è di proprietà comunale: abbiamo inoltrato la segnalazione all\'ente competente.',
];

/**
 * Takes one demo report through a plausible life, stopping where "now" falls:
 * assignment (sometimes late, sometimes never), returns and reassignments,
 * acknowledgement, a suspension, the reply (sometimes late), closing, a few
 * rejections and reopenings. Every step goes through the real state machine.
 */
async function liveThrough(
  db: Kysely<Database>,
  actor: Actor,
  settings: Settings,
  random: () => number,
  report: { number: string; received: number; registered: number; area: string },
): Promise<void> {
  const now = actor.now.getTime();
  let clock = report.registered;
  const otherArea = () => pick(random, AREAS.filter((area) => area.code !== report.area)).code;
  const step = async (action: Action, after: number, details: { area?: string; reason?: string; text?: string; outcome?: string; via?: string } = {}) => {
    const at = clock + after;
    if (at >= now) return false;
    clock = at;
    const operator = ['assign', 'close', 'reject', 'reopen'].includes(action) ? 'urp.demo' : `${report.area}.demo`;
    await applyAction(db, { ...actor, operator, now: new Date(at) }, settings, { action, number: report.number, ...details });
    return true;
  };
  const fate = random();
  if (fate < 0.04) return; // forgotten in URP's queue: late to assign
  if (fate < 0.07) {
    if (!(await step('reject', 2 * HOUR + random() * 20 * HOUR, { reason: random() < 0.5 ? 'Doppione di una segnalazione già registrata' : 'Non di competenza comunale (strada provinciale)' }))) return;
    if (fate < 0.045) await step('reopen', DAY + random() * 3 * DAY, { reason: 'Il cittadino ha chiarito: si tratta di un altro punto della via' });
    return;
  }
  // Assigned mostly within 48 hours; one in eight late.
  const assignDelay = random() < 0.875 ? 1 + random() * 30 * HOUR : 49 * HOUR + random() * 30 * HOUR;
  if (!(await step('assign', Math.max(0, report.received + assignDelay - clock), { area: fate < 0.1 ? otherArea() : report.area }))) return;
  if (fate < 0.1) {
    if (!(await step('return', HOUR + random() * 2 * DAY, { reason: 'Non di nostra competenza' }))) return;
    if (!(await step('assign', HOUR + random() * DAY, { area: report.area }))) return;
  }
  // Most areas acknowledge first; the others reply straight from "assigned" (which records the acknowledgement).
  const acknowledged = random() < 0.92;
  if (acknowledged && !(await step('ack', HOUR + random() * 3 * DAY))) return;
  // Some recent ones wait for the citizen (suspended now); a few older ones waited and resumed.
  // Only an acknowledged report can be suspended.
  const recent = report.received > now - 25 * DAY;
  if (acknowledged && random() < (recent ? 0.2 : 0.05)) {
    if (!(await step('suspend', DAY + random() * 3 * DAY, { reason: 'In attesa di fotografie e indirizzo preciso dal cittadino' }))) return;
    if (recent || !(await step('resume', 2 * DAY + random() * 8 * DAY))) return;
  }
  if (random() < 0.3) await step('note', HOUR + random() * DAY, { text: 'Sopralluogo programmato con la squadra esterna.' });
  // Replies mostly within the 30 days; about one in seven late.
  const replyAfter = random() < 0.85 ? 2 * DAY + random() * 22 * DAY : 31 * DAY + random() * 20 * DAY;
  const outcome = weighted(random, [['resolved', 60], ['information', 22], ['unresolved', 12], ['not_competent', 6]] as const);
  if (!(await step('reply', replyAfter, { text: pick(random, REPLIES), outcome, via: pick(random, ['email', 'letter', 'phone', 'pec'] as const) }))) return;
  if (!(await step('close', HOUR + random() * 4 * DAY))) return;
  if (random() < 0.03) {
    if (!(await step('reopen', DAY + random() * 5 * DAY, { reason: 'Il cittadino segnala che il problema si è ripresentato' }))) return;
    await step('reply', 2 * DAY + random() * 10 * DAY, { text: pick(random, REPLIES), outcome: 'resolved', via: 'email' });
  }
}
