import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * bin/urp runs the bundle with the V8 code caches the build trained. A
 * cache may only ever save time: these tests run copies of the shipped
 * program with missing, broken and outdated caches and expect the same
 * answers as the real one.
 */
const root = resolve(import.meta.dirname, '../..');
const caches = join(root, 'dist', 'code-cache');
const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', URP_OPERATOR: 'test-clerk' };

function run(bin: string, args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the installed program (launcher, bundle, caches) sharing node_modules. */
function copyOfProgram(dir: string): { bin: string; bundle: string; caches: string } {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  cpSync(join(root, 'dist', 'urp.cjs'), join(dir, 'dist', 'urp.cjs'), { preserveTimestamps: true });
  cpSync(caches, join(dir, 'dist', 'code-cache'), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return { bin: join(dir, 'bin', 'urp'), bundle: join(dir, 'dist', 'urp.cjs'), caches: join(dir, 'dist', 'code-cache') };
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'urp-launcher-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('code caches', () => {
  it('the build trained one for the top level and for the commands run most, and this Node accepts each', () => {
    const keys = readdirSync(caches).map((file) => file.replace(/\.bin$/, ''));
    expect(keys).toEqual(expect.arrayContaining(['main', 'report-new', 'report-list', 'report-show', 'report', 'overdue', 'stats', 'queue', 'citizen']));
    // In a plain node, as bin/urp runs: V8 rejects a cache made with other flags or another version.
    const check = spawnSync(
      process.execPath,
      [
        '-e',
        `const { readFileSync, readdirSync } = require('node:fs'); const { Script } = require('node:vm'); const { wrap } = require('node:module');
         const source = wrap(readFileSync(process.argv[1], 'latin1'));
         for (const file of readdirSync(process.argv[2])) {
           const script = new Script(source, { filename: process.argv[1], cachedData: readFileSync(process.argv[2] + '/' + file) });
           console.log(file, script.cachedDataRejected ? 'rejected' : 'accepted');
         }`,
        join(root, 'dist', 'urp.cjs'),
        caches,
      ],
      { encoding: 'utf8', env },
    );
    expect(check.status, check.stderr).toBe(0);
    const verdicts = check.stdout.trim().split('\n');
    expect(verdicts).toHaveLength(keys.length);
    for (const verdict of verdicts) expect(verdict).toMatch(/ accepted$/);
    // Readable like the rest of the program, not only by whoever built it.
    for (const file of readdirSync(caches)) expect(statSync(join(caches, file)).mode & 0o777).toBe(0o644);
  });

  it('missing, broken or borrowed caches change nothing but the time', () => {
    const real = join(root, 'bin', 'urp');
    const copy = copyOfProgram(join(work, 'broken'));
    writeFileSync(join(copy.caches, 'main.bin'), 'not a code cache');
    writeFileSync(join(copy.caches, 'report-list.bin'), Buffer.alloc(4096));
    cpSync(join(copy.caches, 'stats.bin'), join(copy.caches, 'report-new.bin'), { preserveTimestamps: true });
    rmSync(join(copy.caches, 'report-show.bin'));
    rmSync(join(copy.caches, 'report.bin'));
    const db = join(work, 'broken.db');
    const AS_OF = new Date().toISOString();
    const demo = run(copy.bin, ['--db', db, 'init', '--demo']);
    expect(demo.code, demo.stderr).toBe(0);
    for (const args of [
      ['--help'],
      ['report', '--help'],
      ['--db', db, 'report', 'list', '--limit', '5', '--json'],
      ['--db', db, 'report', 'show', '2026/000001', '--json'],
      ['--db', db, 'report', 'show', 'nonsense'],
      ['--db', db, 'stats', '--as-of', AS_OF, '--json'],
      ['--db', db, 'overdue', '--as-of', AS_OF],
    ]) {
      const expected = run(real, args);
      const actual = run(copy.bin, args);
      expect({ args, ...actual }).toEqual({ args, ...expected });
    }
    const added = run(copy.bin, ['--db', db, 'report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Lampione spento', '--first-name', 'Anna', '--last-name', 'Neri', '--phone', '333 7654321']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^\d{4}\/\d{6}\n$/);
  });

  it('a cache older than the bundle is never used (it would run the old code)', () => {
    const copy = copyOfProgram(join(work, 'outdated'));
    // Another build of the same length: V8 itself would not notice the difference.
    const source = readFileSync(copy.bundle, 'latin1');
    const original = "Back office of the municipality's URP";
    expect(source).toContain(original);
    writeFileSync(copy.bundle, source.replace(original, original.toUpperCase()), 'latin1');
    const past = new Date(Date.now() - 60_000);
    for (const file of readdirSync(copy.caches)) utimesSync(join(copy.caches, file), past, past);
    const help = run(copy.bin, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(original.toUpperCase());
  });

  it('the bundle is plain ASCII: bin/urp reads it as Latin-1, so any other byte would reach the program as two characters', () => {
    const bytes = readFileSync(join(root, 'dist', 'urp.cjs'));
    const first = bytes.findIndex((byte) => byte > 0x7f);
    expect(first, first < 0 ? '' : `byte ${first}: ${JSON.stringify(bytes.subarray(Math.max(0, first - 60), first + 20).toString('utf8'))}`).toBe(-1);
  });

  it('says how to build when the bundle is missing', () => {
    const copy = copyOfProgram(join(work, 'unbuilt'));
    rmSync(copy.bundle);
    const result = run(copy.bin, ['report', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^urp: .*dist\/urp\.cjs is missing: build it with `npm install`/);
    expect(result.stderr).not.toContain('    at ');
  });

  it('answers --version from package.json without loading the program', () => {
    const copy = copyOfProgram(join(work, 'version'));
    rmSync(copy.bundle);
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
    expect(run(copy.bin, ['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(run(copy.bin, ['-V']).stdout).toBe(`${version}\n`);
  });
});
