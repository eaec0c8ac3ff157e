import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { openStore } from '../../src/storage/database.js';
import { writeTransaction } from '../../src/storage/transactions.js';
import { ENGINE, URP_BIN, query, tempWorkspace } from '../helpers/cli.js';

/**
 * A clerk behind a long write (issue 10's "a long import locks clerks out",
 * at any size): a write that holds the register past the clerk's usual wait
 * (30 s) is waited on while it is an import's, with one line saying so, and
 * the clerk's report is registered once it ends. A write that is not marked
 * long (or a process stuck holding the lock) still gets the clerk's exit 1
 * after 30 s. Both cases run side by side, each on a register of its own.
 */
const workspaces = [tempWorkspace(), tempWorkspace()];
afterAll(() => workspaces.forEach((workspace) => workspace.cleanup()));

interface Clerk {
  readonly stderr: () => string;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>;
}

function clerk(db: string): Clerk {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [URP_BIN, '--db', db, 'report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Buca allo sportello', '--first-name', 'Carla', '--last-name', 'Sportello', '--phone', '0331 100200'],
    { env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', URP_OPERATOR: 'test-clerk' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    stderr: () => stderr,
    done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }))),
  };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 100));
};

const WAITING = 'urp: waiting for an import to finish writing (another urp process is writing the register; this command goes on by itself)\n';

it('a clerk waits on behind a long write, saying so once, and registers when it ends; behind any other write, gives up after 30 s', async () => {
  const [longDb, otherDb] = workspaces.map((workspace) => workspace.db);
  const [long, other] = await Promise.all([openStore(longDb!), openStore(otherDb!)]);
  try {
    let longClerk: Clerk | undefined;
    let otherClerk: Clerk | undefined;
    let longHeldMs = 0;
    await Promise.all([
      // The long write: held until the clerk has said it waits (past its 30 s), then a moment more.
      writeTransaction(
        long.db,
        async () => {
          const held = performance.now();
          if (ENGINE === 'sqlite') expect(existsSync(`${longDb}-long-write`)).toBe(true);
          longClerk = clerk(longDb!);
          await until(() => longClerk!.stderr().includes('waiting for an import'));
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          longHeldMs = performance.now() - held;
        },
        { long: true },
      ),
      // Any other write: held until the clerk has given up.
      writeTransaction(other.db, async () => {
        otherClerk = clerk(otherDb!);
        await otherClerk.done;
      }),
    ]);
    const [waited, gaveUp] = await Promise.all([longClerk!.done, otherClerk!.done]);

    expect(longHeldMs).toBeGreaterThan(30_000);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toContain(WAITING);
    expect(waited.stderr).toMatch(/Report \d{4}\/000001 registered\n$/);
    expect(waited.stderr.split(WAITING)).toHaveLength(2);
    expect(query(longDb!, 'select subject from reports')).toEqual([{ subject: 'Buca allo sportello' }]);
    // The mark is gone with the write.
    expect(existsSync(`${longDb}-long-write`)).toBe(false);

    expect(gaveUp.code, gaveUp.stderr).toBe(1);
    expect(gaveUp.ms).toBeGreaterThan(29_000);
    expect(gaveUp.stderr).toContain('has held the register for over 30 seconds: nothing was written');
    expect(gaveUp.stderr).not.toContain('waiting for an import');
    expect(query(otherDb!, 'select count(*) as n from reports')).toEqual([{ n: 0 }]);
  } finally {
    await Promise.all([long.close(), other.close()]);
  }
}, 120_000);
