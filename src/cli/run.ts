import { DEFAULT_TIME_ZONE } from '../domain/time-zone.js';
import { main } from './main.js';

/** Started by bin/urp (which answers --version itself): the real process's streams, environment and exit code. */
export function run(argv: readonly string[]): void {
  // The database and its backups hold personal data: files urp creates are its owner's only.
  process.umask(0o077);
  // urp never uses the machine's local time: instants are UTC, and wall-clock
  // times are in the office's zone (a setting). Running the process in that
  // zone lets Date compute its offsets cheaply (see calendar.ts); the context
  // switches it if the setting names another zone.
  process.env.TZ = DEFAULT_TIME_ZONE;
  // `urp report list | head`: the reader went away; stop quietly, as other tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  // Standard input is opened only when something reads it (or asks whether it is a terminal,
  // after standard output): Node builds its stream on first use, which costs a command that
  // never reads it a few milliseconds of start-up.
  const streams = {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  };
  main(argv, streams, process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`urp: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
