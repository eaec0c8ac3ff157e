// A seeded, realistic register for benchmarks: ten years of reports ending
// at NOW (about 100,000 a year at full size), about 2% still open, citizens
// who report more than once, areas and categories skewed as real ones are.
// Written straight into SQLite through prepared statements, in one
// transaction; deadlines come from the program's own module (compiled).
//
//   node tests/bench/generate.mjs <db path> <number of reports>
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';

const root = resolve(import.meta.dirname, '../..');
const { deadlineCalculator } = await import(resolve(root, 'dist/src/domain/deadlines.js'));
const { civilDateOf } = await import(resolve(root, 'dist/src/domain/calendar.js'));
const { seededRandom } = await import(resolve(root, 'dist/src/domain/demo-data.js'));
const { chainHash } = await import(resolve(root, 'dist/src/domain/event-chain.js'));

/** The generator's "now": benchmarks compute as of it. */
export const NOW = new Date('2026-11-26T07:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEARS = 10;


const AREAS = [
  ['lavori-pubblici', 'Lavori pubblici e manutenzioni', 34],
  ['ambiente', 'Ambiente ed ecologia', 24],
  ['polizia-locale', 'Polizia locale', 15],
  ['servizi-sociali', 'Servizi sociali', 8],
  ['tributi', 'Tributi', 7],
  ['urbanistica', 'Urbanistica ed edilizia privata', 5],
  ['demografici', 'Servizi demografici', 4],
  ['cultura', 'Cultura, sport e tempo libero', 3],
];
const CATEGORIES = [
  ['strade', 'Strade e marciapiedi', 'lavori-pubblici', 20],
  ['illuminazione', 'Illuminazione pubblica', 'lavori-pubblici', 12],
  ['edifici', 'Edifici comunali', 'lavori-pubblici', 3],
  ['rifiuti', 'Rifiuti', 'ambiente', 16],
  ['verde', 'Verde pubblico', 'ambiente', 7],
  ['animali', 'Animali e igiene', 'ambiente', 2],
  ['viabilita', 'Viabilità e sosta', 'polizia-locale', 10],
  ['rumore', 'Rumore', 'polizia-locale', 5],
  ['sociale', 'Servizi alla persona', 'servizi-sociali', 8],
  ['tributi', 'Tributi e tariffe', 'tributi', 7],
  ['edilizia', 'Edilizia privata', 'urbanistica', 5],
  ['anagrafe', 'Anagrafe e stato civile', 'demografici', 4],
  ['eventi', 'Eventi e impianti sportivi', 'cultura', 3],
];
const TYPES = [['problem', 62], ['complaint', 28], ['suggestion', 10]];
const CHANNELS = [['web', 30], ['phone', 25], ['email', 22], ['counter', 12], ['paper', 6], ['pec', 5]];
const OUTCOMES = [['resolved', 62], ['information', 20], ['unresolved', 12], ['not_competent', 6]];
const SUBJECTS = ['Buca in carreggiata', 'Lampione spento', 'Mancata raccolta rifiuti', 'Erba alta', 'Auto in sosta vietata', 'Rumore notturno', 'Richiesta informazioni', 'Marciapiede dissestato', 'Perdita d\'acqua', 'Segnaletica mancante'];
const FIRST = ['Mario', 'Giuseppe', 'Luca', 'Anna', 'Maria', 'Giulia', 'Francesco', 'Sara', 'Paolo', 'Laura', 'Marco', 'Chiara'];
const LAST = ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'Costa'];

function weighted(random, items) {
  const total = items.reduce((sum, item) => sum + item.at(-1), 0);
  let pick = random() * total;
  for (const item of items) if ((pick -= item.at(-1)) < 0) return item;
  return items.at(-1);
}

/**
 * Generates the database. Reports received in the last 30 days move through
 * the workflow according to their age; older ones are closed, except about
 * 1.2% answered but never closed and a few stuck unanswered (0.2% of the
 * last eighteen months, 0.02% of older ones: the printout shows them every
 * morning, so few survive for years), so that about 2% of the
 * register is open and the printout has real content at every size.
 */
export async function generate(path, count) {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
  // Create and migrate through the program itself, so the schema is the real one.
  const { openStore } = await import(resolve(root, 'dist/src/storage/database.js'));
  await (await openStore(path, { create: true })).close();

  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // A bulk load: a large page cache keeps the indexes in memory while they grow.
  db.pragma('cache_size = -1000000');
  db.pragma('locking_mode = EXCLUSIVE');
  const random = seededRandom(42);
  const settings = { assignHours: 48, replyDays: 30, timeZone: 'Europe/Rome', localHolidays: [] };
  const deadlines = deadlineCalculator(settings);
  const iso = (ms) => new Date(ms).toISOString();
  const created = iso(NOW.getTime() - YEARS * 365 * DAY);

  const insert = {
    area: db.prepare('insert into areas (code, name, created_at, updated_at) values (?, ?, ?, ?)'),
    category: db.prepare('insert into categories (code, name, area_id, created_at, updated_at) values (?, ?, ?, ?, ?)'),
    citizen: db.prepare('insert into citizens (first_name, last_name, email, phone, search_name, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)'),
    report: db.prepare(`insert into reports (number, year, sequence, type, channel, status, subject, description, location, category_id, area_id, citizen_id,
      received_at, registered_at, assign_counted_from, assign_due_at, first_assign_due_at, reply_counted_from, reply_due_at,
      assigned_at, first_assigned_at, acknowledged_at, answered_at, first_answered_at, first_reply_due_at, closed_at, rejected_at, outcome, updated_at)
      values (?, ?, ?, ?, ?, ?, ?, '', null, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    event: db.prepare('insert into report_events (report_id, kind, from_status, to_status, area_id, text, operator, entered_by, occurred_at, recorded_at, source, hash) values (?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?)'),
    reply: db.prepare('insert into replies (report_id, event_id, text, outcome, via, sent_at) values (?, ?, ?, ?, ?, ?)'),
    sequence: db.prepare('insert into report_sequences (year, last_value) values (?, ?) on conflict (year) do update set last_value = excluded.last_value'),
  };

  db.transaction(() => {
    const areaIds = new Map();
    for (const [code, name] of AREAS) areaIds.set(code, Number(insert.area.run(code, name, created, created).lastInsertRowid));
    const categories = CATEGORIES.map(([code, name, area, weight]) => ({
      id: Number(insert.category.run(code, name, areaIds.get(area), created, created).lastInsertRowid),
      areaId: areaIds.get(area),
      weight,
    }));
    const citizenCount = Math.max(20, Math.round(count / 5));
    for (let index = 1; index <= citizenCount; index++) {
      const first = FIRST[index % FIRST.length];
      const last = LAST[Math.floor(index / FIRST.length) % LAST.length];
      insert.citizen.run(first, last, `cittadino${index}@example.it`, `+39333${String(1_000_000 + index).slice(-7)}`, `${last} ${first}`.toLowerCase(), created, created);
    }

    const span = YEARS * 365 * DAY;
    const receipts = Array.from({ length: count }, () => NOW.getTime() - HOUR - Math.floor(random() * span)).sort((a, b) => a - b);
    const sequences = new Map();
    let reportId = 0;
    let head = '';
    for (const received of receipts) {
      reportId++;
      const category = weighted(random, categories.map((each) => [each, each.weight]));
      // A few citizens report often: skewed towards low ids.
      const citizenId = 1 + Math.floor(citizenCount * random() ** 2);
      const registered = Math.min(received + (random() < 0.85 ? random() * 2 * HOUR : 20 * HOUR + random() * 40 * HOUR), NOW.getTime() - 1);
      const year = civilDateOf(new Date(registered), settings.timeZone).year;
      const sequence = (sequences.get(year) ?? 0) + 1;
      sequences.set(year, sequence);
      const number = `${year}/${String(sequence).padStart(6, '0')}`;
      const assignDue = deadlines.assignDue(new Date(received)).getTime();
      const replyDue = deadlines.replyDue(new Date(received)).getTime();

      // The life it had until NOW.
      const age = NOW.getTime() - received;
      const assignedAt = Math.max(registered, received + (random() < 0.88 ? random() * 40 * HOUR : 48 * HOUR + random() * 60 * HOUR));
      const acknowledgedAt = assignedAt + random() * 3 * DAY;
      const answeredAt = Math.max(acknowledgedAt + HOUR, received + (random() < 0.85 ? 2 * DAY + random() * 25 * DAY : 31 * DAY + random() * 30 * DAY));
      const closedAt = answeredAt + random() * 5 * DAY;
      const old = age > 60 * DAY;
      const fate = random();
      let stop = NOW.getTime();
      // Stuck (never answered, late to reply): 0.2% of the last eighteen months; a
      // report forgotten for years is rarer (0.02%), the printout having shown it every morning.
      const stuck = age < 548 * DAY ? 0.002 : 0.0002;
      if (old && fate < stuck) stop = acknowledgedAt + 1;
      else if (old && fate < 0.014) stop = answeredAt + 1; // answered, never closed by URP
      const reached = (instant) => instant < stop;
      const assigned = reached(assignedAt) ? assignedAt : null;
      const acknowledged = assigned !== null && reached(acknowledgedAt) ? acknowledgedAt : null;
      const answered = acknowledged !== null && reached(answeredAt) ? answeredAt : null;
      const closed = answered !== null && reached(closedAt) ? closedAt : null;
      const status = closed ? 'closed' : answered ? 'answered' : acknowledged ? 'acknowledged' : assigned ? 'assigned' : 'registered';
      const outcome = answered ? weighted(random, OUTCOMES)[0] : null;
      const areaId = assigned ? category.areaId : null;
      const when = (value) => (value === null ? null : iso(value));
      insert.report.run(
        number, year, sequence, weighted(random, TYPES)[0], weighted(random, CHANNELS)[0], status,
        SUBJECTS[Math.floor(random() * SUBJECTS.length)], category.id, areaId, citizenId,
        iso(received), iso(registered), iso(received), iso(assignDue), iso(assignDue), iso(received), iso(replyDue),
        when(assigned), when(assigned), when(acknowledged), when(answered), when(answered), answered ? iso(replyDue) : null,
        when(closed), null, outcome, iso(closed ?? answered ?? acknowledged ?? assigned ?? registered),
      );
      // Chained as urp chains them (src/domain/event-chain.ts), so that the register is sound.
      const event = (kind, from, to, at, area = areaId) => {
        const fields = { report_id: reportId, kind, from_status: from, to_status: to, area_id: area, text: null, operator: 'bench', entered_by: null, occurred_at: iso(at), recorded_at: iso(at), source: 'import' };
        head = chainHash('report_events', head, fields);
        return Number(insert.event.run(reportId, kind, from, to, area, null, 'bench', iso(at), iso(at), 'import', head).lastInsertRowid);
      };
      event('registered', null, 'registered', registered, null);
      if (assigned) event('assigned', 'registered', 'assigned', assigned);
      if (acknowledged) event('acknowledged', 'assigned', 'acknowledged', acknowledged);
      if (answered) insert.reply.run(reportId, event('answered', 'acknowledged', 'answered', answered), 'Risposta inviata al cittadino.', outcome, 'email', iso(answered));
      if (closed) event('closed', 'answered', 'closed', closed);
    }
    for (const [year, last] of sequences) insert.sequence.run(year, last);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [path, count] = process.argv.slice(2);
  const start = performance.now();
  await generate(resolve(path), Number(count));
  console.log(`generated ${count} reports in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}
