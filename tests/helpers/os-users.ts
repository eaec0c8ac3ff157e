import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunOptions, type RunResult, URP_BIN, withoutNotice } from './cli.js';

/**
 * Operating-system accounts, groups and mounts for the tests that need them
 * (issue 10: identity from the OS account, a register shared through a
 * group, faults of the disk and the media). All of it needs root; without
 * root those tests are skipped, saying so (`rootOnly`), never silently.
 *
 * Names carry the test process id, so that parallel runs do not clash, and
 * everything made here is undone by `cleanup()` (call it in afterAll: it
 * runs even when a test failed).
 */

export const IS_ROOT = process.getuid?.() === 0;

/**
 * True when the tests of `what` cannot run here (not root, or a tool
 * missing), after printing why: for `describe.skipIf(rootOnly(...))`.
 */
export function rootOnly(what: string, tools: readonly string[] = []): boolean {
  if (!IS_ROOT) {
    console.warn(`SKIPPED: ${what}: needs root (creates OS users and groups, mounts file systems); running as uid ${process.getuid?.()}`);
    return true;
  }
  const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) {
    // Root but without the tools: a broken test environment, not a reason to pass quietly.
    throw new Error(`${what}: missing system tools: ${missing.join(', ')} (install them: apt-get install passwd util-linux)`);
  }
  return false;
}

export interface OsAccount {
  readonly name: string;
  readonly uid: number;
  /** The primary group: the only one a process spawned with uid/gid has (libuv drops supplementary groups). */
  readonly gid: number;
  /** A home folder the account owns (for HOME). */
  readonly home: string;
}

function run(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout.trim();
}

/** The process id in base 36, so names stay short (Linux allows 32 characters). */
const TAG = process.pid.toString(36);

/** Accounts, groups and mounts made by one test file, and undone by cleanup(). */
export class OsFixtures {
  private readonly users: string[] = [];
  private readonly groups: string[] = [];
  private readonly mounts: string[] = [];
  private readonly folders: string[] = [];

  /** A new group; returns its name and id. */
  group(suffix: string): { name: string; gid: number } {
    const name = `urpg${TAG}${suffix}`;
    run('groupadd', [name]);
    this.groups.push(name);
    return { name, gid: Number(run('getent', ['group', name]).split(':')[2]) };
  }

  /** A new account, its primary group `group` (else a group of its own, removed with it). */
  user(suffix: string, { group }: { group?: string } = {}): OsAccount {
    const name = `urpu${TAG}${suffix}`;
    const home = mkdtempSync(join(tmpdir(), `urp-home-${name}-`));
    run('useradd', ['-M', '-d', home, '-s', '/usr/sbin/nologin', ...(group ? ['-N', '-g', group] : ['-U']), name]);
    this.users.push(name);
    this.folders.push(home);
    const uid = Number(run('id', ['-u', name]));
    const gid = Number(run('id', ['-g', name]));
    spawnSync('chown', [`${uid}:${gid}`, home]);
    return { name, uid, gid, home };
  }

  /** A tmpfs of `size` (e.g. '2m') mounted on a new folder; returns the folder. */
  tmpfs(size: string): string {
    const folder = mkdtempSync(join(tmpdir(), 'urp-tmpfs-'));
    run('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', folder]);
    this.mounts.push(folder);
    this.folders.push(folder);
    return folder;
  }

  /** Remounts a tmpfs made by tmpfs() read-only (the media, not the file's mode). */
  remountReadOnly(folder: string): void {
    run('mount', ['-o', 'remount,ro', folder]);
  }

  /** A folder for the test, removed at cleanup. */
  folder(prefix = 'urp-os-'): string {
    const folder = mkdtempSync(join(tmpdir(), prefix));
    this.folders.push(folder);
    return folder;
  }

  /** Undoes everything, in reverse order, going on past failures (and reporting them at the end). */
  cleanup(): void {
    const failures: string[] = [];
    const attempt = (what: string, action: () => void) => {
      try {
        action();
      } catch (error) {
        failures.push(`${what}: ${(error as Error).message}`);
      }
    };
    for (const folder of this.mounts.splice(0).reverse()) {
      attempt(`umount ${folder}`, () => {
        // A process of a failed test may still hold a file there: detach lazily then.
        if (spawnSync('umount', [folder]).status !== 0) run('umount', ['-l', folder]);
      });
    }
    for (const user of this.users.splice(0).reverse()) attempt(`userdel ${user}`, () => run('userdel', [user]));
    for (const group of this.groups.splice(0).reverse()) attempt(`groupdel ${group}`, () => run('groupdel', [group]));
    for (const folder of this.folders.splice(0).reverse()) attempt(`rm ${folder}`, () => rmSync(folder, { recursive: true, force: true }));
    if (failures.length > 0) throw new Error(`cleanup left things behind:\n${failures.join('\n')}`);
  }
}

/** A folder `path` (and its parents) owned by the account, with this mode. */
export function folderFor(account: OsAccount, path: string, mode = 0o755): string {
  mkdirSync(path, { recursive: true });
  run('chown', [`${account.uid}:${account.gid}`, path]);
  run('chmod', [mode.toString(8), path]);
  return path;
}

/** Runs bin/urp as another account (spawned with its uid and gid), as runUrp does for the test's own. */
export function runUrpAs(account: OsAccount, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [URP_BIN, ...args], {
      uid: account.uid,
      gid: account.gid,
      cwd: account.home,
      env: Object.fromEntries(
        Object.entries({ PATH: process.env.PATH, HOME: account.home, LANG: 'en_US.UTF-8', ...options.env }).filter(([, value]) => value !== undefined),
      ) as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, ...withoutNotice(stderr) }));
    child.stdin.end(options.input ?? '');
  });
}

/** `urp --db DB ...` as that account. */
export function urpAs(account: OsAccount, db: string, defaults: RunOptions = {}) {
  return (args: readonly string[], options: RunOptions = {}) =>
    runUrpAs(account, ['--db', db, ...args], { ...defaults, ...options, env: { ...defaults.env, ...options.env } });
}
