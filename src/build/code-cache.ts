/**
 * Build step: runs typical commands once through bin/urp against a throwaway
 * demo database, each asking the launcher to keep the code V8 compiled for it
 * (its code cache) in dist/code-cache/<key>.bin. bin/urp hands that code back
 * to V8 on later runs, which spares compiling the same functions at every
 * start-up. Run by `npm run build`, after the bundle; any failure fails the build.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const urp = join(root, 'bin', 'urp');
const caches = join(root, 'dist', 'code-cache');
const work = mkdtempSync(join(tmpdir(), 'urp-code-cache-'));
const db = join(work, 'urp.db');
const csv = join(work, 'reports.csv');
// Received yesterday: whatever the day of the build, never in the future.
const received = `${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}T09:30`;
writeFileSync(csv, `type;channel;received_at;subject;first_name;last_name;phone\nproblem;phone;${received};Lampione spento;Anna;Neri;333 7654321\n`);

/**
 * The key names the cache bin/urp looks for (see codeCacheCandidates there):
 * the command and subcommand words, or the group alone, or main. A command
 * with no cache of its own uses its group's, then main's.
 */
const runs: Array<{ key: string; args: string[] }> = [
  { key: 'init', args: ['init', '--demo'] },
  { key: 'main', args: ['--help'] },
  { key: 'report-new', args: ['report', 'new', '--type', 'problem', '--channel', 'phone', '--received-at', received, '--subject', 'Buca in via Roma', '--description', 'Una buca profonda', '--category', 'strade', '--location', 'Via Roma 1', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '333 1234567', '--email', 'mario.rossi@example.it', '--tax-code', 'RSSMRA85T10A562S'] },
  { key: 'report-list', args: ['report', 'list', '--limit', '20', '--json'] },
  { key: 'report-show', args: ['report', 'show', 'NUMBER', '--json'] },
  { key: 'report', args: ['report', 'note', 'NUMBER', '--text', 'Sopralluogo fissato'] },
  { key: 'queue', args: ['queue'] },
  { key: 'overdue', args: ['overdue'] },
  { key: 'stats', args: ['stats'] },
  { key: 'citizen', args: ['citizen', 'find', 'Rossi'] },
  { key: 'area', args: ['area', 'list'] },
  { key: 'category', args: ['category', 'list'] },
  { key: 'operator', args: ['operator', 'list'] },
  { key: 'config', args: ['config', 'list'] },
  { key: 'db', args: ['db', 'status'] },
  { key: 'import', args: ['import', csv, '--dry-run'] },
  { key: 'export', args: ['export', '--format', 'json'] },
];

function urpRun(args: string[], key?: string): string {
  const result = spawnSync(process.execPath, [urp, '--db', db, ...args], {
    encoding: 'utf8',
    // No NODE_OPTIONS: V8 flags given there would make every cache unfit for a plain run.
    env: { ...process.env, NODE_OPTIONS: undefined, URP_WRITE_CODE_CACHE: key, URP_OPERATOR: 'build', URP_LANG: 'it', NO_COLOR: '1' },
  });
  if (result.status !== 0) throw new Error(`urp ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

try {
  mkdirSync(caches, { recursive: true });
  let number = '';
  for (const { key, args } of runs) {
    urpRun(args.map((arg) => (arg === 'NUMBER' ? number : arg)), key);
    if (!number) number = (JSON.parse(urpRun(['report', 'list', '--limit', '1', '--json'])) as Array<{ number: string }>)[0]?.number ?? '';
  }
  // urp writes its files for its owner only; these are part of the program, readable like the rest of dist/.
  for (const file of readdirSync(caches)) chmodSync(join(caches, file), 0o644);
} finally {
  rmSync(work, { recursive: true, force: true });
}
