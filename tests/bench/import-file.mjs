// A CSV as an Italian office exports it (semicolons, Italian headers, dates
// dd/mm/yyyy hh:mm, quoted fields with line breaks now and then), for the
// import benchmark: N rows from a few thousand citizens, seeded.
//
//   node tests/bench/import-file.mjs <file.csv> <rows>
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';

const SUBJECTS = ['Buca in carreggiata', 'Lampione spento', 'Mancata raccolta rifiuti', 'Erba alta nel parco', 'Auto in sosta sul marciapiede', 'Rumore notturno', 'Perdita d\'acqua'];
const CATEGORIES = ['strade', 'illuminazione', 'rifiuti', 'verde', 'viabilita', 'rumore'];
const CHANNELS = ['telefono', 'e-mail', 'sportello', 'web', 'cartaceo', 'PEC'];
const TYPES = ['segnalazione', 'reclamo', 'suggerimento'];
const FIRST = ['Mario', 'Anna', 'Luca', 'Giulia', 'Paolo', 'Sara', 'Marco', 'Chiara'];
const LAST = ['Rossi', 'Bianchi', 'Verdi', 'Russo', 'Ferrari', 'Esposito', 'Romano', 'Colombo', 'Ricci'];
export const IMPORT_HEADER = ['tipo', 'canale', 'data', 'nome', 'cognome', 'email', 'telefono', 'oggetto', 'descrizione', 'categoria', 'luogo', 'riferimento'];

/** The last Sunday of a month (0-based) at 01:00 UTC: when the European Union changes its clocks. */
const lastSundayAt1 = (year, month) => {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
};

/**
 * The wall clock in Rome at an instant, as a Date whose UTC fields show it:
 * an office's export holds only times its clocks showed (never 02:30 on the
 * night the clocks go forward, which urp refuses).
 */
function romeWallClock(instant) {
  const year = new Date(instant).getUTCFullYear();
  const summer = instant >= lastSundayAt1(year, 2) && instant < lastSundayAt1(year, 9);
  return new Date(instant + (summer ? 2 : 1) * 3_600_000);
}

export function writeImportFile(path, rows) {
  let state = 7;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const out = createWriteStream(path);
  out.write(`${IMPORT_HEADER.join(';')}\n`);
  const citizens = Math.max(10, Math.floor(rows / 20));
  const start = Date.UTC(2025, 0, 1);
  const span = Date.UTC(2026, 9, 31) - start;
  const pad = (n) => String(n).padStart(2, '0');
  return new Promise((done, fail) => {
    let index = 0;
    const next = () => {
      let ok = true;
      while (index < rows && ok) {
        index++;
        const citizen = Math.floor(random() ** 2 * citizens);
        // In order of receipt, as a previous register's export is.
        const when = romeWallClock(start + Math.floor((index / rows) * span) + Math.floor(random() * 600_000));
        const date = `${pad(when.getUTCDate())}/${pad(when.getUTCMonth() + 1)}/${when.getUTCFullYear()} ${pad(when.getUTCHours())}:${pad(when.getUTCMinutes())}`;
        const description = index % 50 === 0 ? '"Segnalo il problema;\nsi ripete ogni giorno."' : 'Chiedo un intervento.';
        const line = [
          pick(TYPES), pick(CHANNELS), date, FIRST[citizen % FIRST.length], LAST[citizen % LAST.length],
          `persona${citizen}@example.it`, `333${String(1_000_000 + citizen).slice(-7)}`, pick(SUBJECTS), description,
          pick(CATEGORIES), `Via Roma ${1 + (index % 200)}`, `OLD-${index}`,
        ].join(';');
        ok = out.write(`${line}\n`);
      }
      if (index < rows) out.once('drain', next);
      else out.end(done);
    };
    out.on('error', fail);
    next();
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [path, rows] = process.argv.slice(2);
  await writeImportFile(resolve(path), Number(rows));
}
