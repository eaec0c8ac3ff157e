import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster for the tests (issue 13): `initdb` into a
 * temporary folder, the server listening only on a Unix socket in that
 * folder (no TCP port, so nothing else on the machine can reach it and two
 * test runs never collide), stopped and removed at the end of the run.
 *
 * Authentication is `trust` on that socket: the tests connect as any login
 * they create (the area login of the row-level security test included),
 * without passwords. The superuser is named after the account running the
 * tests, so that `ME` (tests/helpers/cli.ts) is who urp sees acting on both
 * engines.
 *
 * Running as root (CI does): the server refuses to run as root, so initdb
 * and the server run as the unprivileged account `nobody` (through
 * `runuser`, from util-linux), and the temporary folder is handed to it;
 * root's tests still connect through the socket (root may enter any folder).
 * Without root, everything runs as the current account.
 *
 * A machine without PostgreSQL fails the run, naming the package, unless
 * URP_TEST_POSTGRES=skip is set explicitly (vitest.config.ts then leaves
 * the PostgreSQL tests out).
 */
/**
 * @typedef {{ socketDir: string, port: number, user: string, binDir: string, stop(): void }} Cluster
 *   socketDir: the folder holding the socket (the `host` of a connection); user: the superuser (the account running the tests)
 */

export const MISSING_POSTGRES =
  'PostgreSQL is not installed (initdb, pg_ctl and psql were not found): install the Debian package postgresql (apt-get install -y postgresql), ' +
  'or set URP_TEST_POSTGRES=skip to leave out the tests that need a server';

/** The server's programs: pg_config's bindir, else the newest /usr/lib/postgresql/N/bin. */
/** @returns {string | undefined} */
export function postgresBinDir() {
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const fromConfig = config.status === 0 ? config.stdout.trim() : '';
  if (fromConfig && existsSync(join(fromConfig, 'initdb'))) return fromConfig;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

function run(command, args, asUser) {
  const [program, argv] = asUser ? ['runuser', ['-u', asUser, '--', command, ...args]] : [command, args];
  const result = spawnSync(program, argv, { encoding: 'utf8' });
  if (result.error) throw new Error(`${program}: ${result.error.message}${asUser ? ' (runuser comes with util-linux)' : ''}`);
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
}

/**
 * @param {{ durable?: boolean }} [options] durable: fsync and synchronous commit on, as a real server
 *   (the benchmarks); the tests leave them off, since durability is not what they are for.
 * @returns {Cluster}
 */
export function startCluster({ durable = false } = {}) {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error(MISSING_POSTGRES);
  const root = process.getuid?.() === 0;
  const serverUser = root ? 'nobody' : undefined;
  const user = userInfo().username;
  const dir = mkdtempSync(join(tmpdir(), 'urp-pg-'));
  const data = join(dir, 'data');
  if (root) {
    const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
    if (nobody.status !== 0) throw new Error('running as root, the tests start PostgreSQL as the account nobody, which this machine lacks');
    chownSync(dir, Number(nobody.stdout.trim()), Number(gid.stdout.trim()));
  }
  const port = 5432;
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      try {
        run(join(binDir, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], serverUser);
      } catch {
        // Already gone: removing the folder is what is left.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(join(binDir, 'initdb'), ['-D', data, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], serverUser);
    const options = [
      `-k ${dir}`,
      `-p ${port}`,
      "-c listen_addresses=''",
      ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      '-c max_connections=200',
    ].join(' ');
    run(join(binDir, 'pg_ctl'), ['start', '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options], serverUser);
    started = true;
  } catch (error) {
    stop();
    throw error;
  }
  return { socketDir: dir, port, user, binDir, stop };
}

/** A connection URL for a database of the cluster, as a user would write one (the socket folder as host). */
export function clusterUrl(cluster, database, user = cluster.user) {
  return `postgresql://${encodeURIComponent(user)}@${encodeURIComponent(cluster.socketDir)}:${cluster.port}/${encodeURIComponent(database)}`;
}

/** Runs SQL through psql as the superuser (synchronous: the test helpers that read the database are). */
export function psql(cluster, database, sqlText, user = cluster.user) {
  const result = spawnSync(
    join(cluster.binDir, 'psql'),
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', cluster.socketDir, '-p', String(cluster.port), '-U', user, '-d', database, '-c', sqlText],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`psql: ${result.stderr.trim()}\n${sqlText.slice(0, 500)}`);
  return result.stdout;
}
