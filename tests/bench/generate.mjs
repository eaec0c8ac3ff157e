// A seeded, realistic register for benchmarks: ten years of reports ending
// at NOW (about 100,000 a year at full size), about 2% still open, citizens
// who report more than once, areas and categories skewed as real ones are.
// Created and migrated by the program itself (the real schema), then written
// straight into SQLite through prepared statements, in one transaction;
// deadlines come from the program's own module and every event carries its
// SHA-256 chain hash from the program's own event-chain module (compiled),
// computed in id order, so that `db check` finds the register sound.
//
//   node tests/bench/generate.mjs <db path> <number of reports>
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';

const root = resolve(import.meta.dirname, '../..');
const { deadlineCalculator } = await import(resolve(root, 'dist/src/domain/deadlines.js'));
const { civilDateOf } = await import(resolve(root, 'dist/src/domain/calendar.js'));
const { seededRandom } = await import(resolve(root, 'dist/src/domain/demo-data.js'));
const { chainHash, GENESIS, replySeal } = await import(resolve(root, 'dist/src/domain/event-chain.js'));

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
const DESCRIPTIONS = [
  'Segnalo il problema, si ripete da giorni.', 'Chiedo un intervento urgente.', 'Il problema è davanti al civico indicato.',
  'Già segnalato a voce allo sportello.', 'Pericoloso per i pedoni, soprattutto la sera.', 'Chiedo di essere richiamato.',
  '', 'Allego fotografia inviata per e-mail.',
];
const STREETS = ['Via Roma', 'Corso Italia', 'Piazza Garibaldi', 'Via Mazzini', 'Viale della Libertà', 'Via Verdi', 'Largo Cavour', 'Via San Francesco'];
/** Words the benchmark searches for: in a tenth of the subjects, in none, and a frequent citizen's name. */
export const COMMON_WORD = 'lampione';
export const ABSENT_WORD = 'fognatura';
export const CITIZEN_NAME = 'Rossi Mario';
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
  // The search index is built afterwards by its own migration, as on an existing register (much faster than row by row).
  const { openStore, registerFunctions } = await import(resolve(root, 'dist/src/storage/database.js'));
  const fresh = await openStore(path, { create: true, migrate: false });
  await fresh.close();
  // (kysely closes the connection only if it ever used it)
  if (fresh.sqlite.open) fresh.sqlite.close();
  await migrateTo(path, registerFunctions, (names) => names[names.indexOf(SEARCH_INDEX_MIGRATION) - 1]);

  const db = new Database(path);
  registerFunctions(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // A bulk load: a large page cache keeps the indexes in memory while they grow.
  db.pragma('cache_size = -1000000');
  db.pragma('locking_mode = EXCLUSIVE');
  const random = seededRandom(42);
  const settings = { assignHours: 48, replyDays: 30, timeZone: 'Europe/Rome', localHolidays: [] };
  const deadlines = deadlineCalculator(settings);
  const iso = (ms) => new Date(ms).toISOString();
  const createdAt = iso(NOW.getTime() - YEARS * 365 * DAY);

  const insert = {
    area: db.prepare('insert into areas (code, name, created_at, updated_at) values (?, ?, ?, ?)'),
    category: db.prepare('insert into categories (code, name, area_id, created_at, updated_at) values (?, ?, ?, ?, ?)'),
    citizen: db.prepare('insert into citizens (first_name, last_name, email, phone, search_name, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)'),
    report: db.prepare(`insert into reports (number, year, sequence, type, channel, status, subject, description, location, category_id, area_id, citizen_id,
      received_at, registered_at, assign_counted_from, assign_due_at, first_assign_due_at, reply_counted_from, reply_due_at,
      assigned_at, first_assigned_at, acknowledged_at, answered_at, first_answered_at, first_reply_due_at, closed_at, rejected_at, outcome, updated_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    event: db.prepare('insert into report_events (id, report_id, kind, from_status, to_status, area_id, text, operator, entered_by, occurred_at, recorded_at, source, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    reply: db.prepare('insert into replies (report_id, event_id, text, outcome, via, sent_at) values (?, ?, ?, ?, ?, ?)'),
    sequence: db.prepare('insert into report_sequences (year, last_value) values (?, ?) on conflict (year) do update set last_value = excluded.last_value'),
  };

  db.transaction(() => {
    const areaIds = new Map();
    for (const [code, name] of AREAS) areaIds.set(code, Number(insert.area.run(code, name, createdAt, createdAt).lastInsertRowid));
    const categories = CATEGORIES.map(([code, name, area, weight]) => ({
      id: Number(insert.category.run(code, name, areaIds.get(area), createdAt, createdAt).lastInsertRowid),
      areaId: areaIds.get(area),
      weight,
    }));
    const citizenCount = Math.max(20, Math.round(count / 5));
    for (let index = 1; index <= citizenCount; index++) {
      const first = FIRST[index % FIRST.length];
      const last = LAST[Math.floor(index / FIRST.length) % LAST.length];
      insert.citizen.run(first, last, `cittadino${index}@example.it`, `+39333${String(1_000_000 + index).slice(-7)}`, `${last} ${first}`.toLowerCase(), createdAt, createdAt);
    }

    const span = YEARS * 365 * DAY;
    const receipts = Array.from({ length: count }, () => NOW.getTime() - HOUR - Math.floor(random() * span)).sort((a, b) => a - b);
    const sequences = new Map();
    let reportId = 0;
    let eventId = 0;
    let head = GENESIS;
    for (const received of receipts) {
      reportId++;
      const category = weighted(random, categories.map((each) => [each, each.weight]))[0];
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
        SUBJECTS[Math.floor(random() * SUBJECTS.length)], DESCRIPTIONS[Math.floor(random() * DESCRIPTIONS.length)],
        `${STREETS[Math.floor(random() * STREETS.length)]} ${1 + Math.floor(random() * 120)}`, category.id, areaId, citizenId,
        iso(received), iso(registered), iso(received), iso(assignDue), iso(assignDue), iso(received), iso(replyDue),
        when(assigned), when(assigned), when(acknowledged), when(answered), when(answered), answered ? iso(replyDue) : null,
        when(closed), null, outcome, iso(closed ?? answered ?? acknowledged ?? assigned ?? registered),
      );
      const event = (kind, from, to, at, area = areaId, text = null) => {
        const fields = {
          report_id: reportId, kind, from_status: from, to_status: to, area_id: area, text,
          operator: 'bench', entered_by: null, occurred_at: iso(at), recorded_at: iso(at), source: 'import',
        };
        head = chainHash('report_events', head, fields);
        insert.event.run(++eventId, reportId, kind, from, to, area, text, 'bench', null, fields.occurred_at, fields.recorded_at, 'import', head);
        return eventId;
      };
      event('registered', null, 'registered', registered, null);
      if (assigned) event('assigned', 'registered', 'assigned', assigned);
      if (acknowledged) event('acknowledged', 'assigned', 'acknowledged', acknowledged);
      // Sealed by its answered event, as urp's writer seals a reply (event-chain.ts replySeal).
      if (answered) {
        const reply = { text: 'Risposta inviata al cittadino.', outcome, via: 'email' };
        insert.reply.run(reportId, event('answered', 'acknowledged', 'answered', answered, areaId, replySeal(reply)), reply.text, reply.outcome, reply.via, iso(answered));
      }
      if (closed) event('closed', 'answered', 'closed', closed);
    }
    for (const [year, last] of sequences) insert.sequence.run(year, last);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  await migrateTo(path, registerFunctions, (names) => names.at(-1));
}

const SEARCH_INDEX_MIGRATION = '2026-12-01-005-text-search';

/** Applies the program's migrations up to the one `pick` names, as urp records them (kysely's table, user_version). */
async function migrateTo(path, registerFunctions, pick) {
  const { Kysely, Migrator, SqliteDialect } = await import('kysely');
  const { migrations } = await import(resolve(root, 'dist/src/storage/migrations.js'));
  const names = Object.keys(migrations);
  const last = pick(names);
  const sqlite = new Database(path);
  registerFunctions(sqlite);
  const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(last);
    if (error) throw error;
    sqlite.pragma(`user_version = ${names.indexOf(last) + 1}`);
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [path, count] = process.argv.slice(2);
  const start = performance.now();
  await generate(resolve(path), Number(count));
  console.log(`generated ${count} reports in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}
