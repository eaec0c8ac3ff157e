import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, InputError } from '../domain/errors.js';
import type { CliContext } from './context.js';
import { onPath } from './pager.js';

/**
 * Opens a text in the user's editor and returns what they saved, as git does
 * for a commit message: $VISUAL, else $EDITOR, else vi (or nano where there
 * is no vi), run through the shell so that `EDITOR="code --wait"` works, on
 * a temporary file readable by its owner only (the text is a reply to a
 * citizen), with the terminal handed over. Lines starting with # are
 * dropped; an empty result cancels (exit 130, nothing recorded).
 *
 * Not @inquirer/prompts' editor: it would bring 490 KB of character-set
 * tables into the bundle for every command.
 */
export async function editText(context: CliContext, text: string, instructions: readonly string[]): Promise<string> {
  const editor = context.env.VISUAL?.trim() || context.env.EDITOR?.trim() || (onPath('vi', context.env) ? 'vi' : 'nano');
  const folder = mkdtempSync(join(tmpdir(), 'urp-reply-'));
  try {
    const file = join(folder, 'reply.txt');
    writeFileSync(file, `${text.replace(/\n*$/, '\n')}\n${instructions.map((line) => `# ${line}`).join('\n')}\n`, { mode: 0o600 });
    const status = await run(editor, file, context.env);
    if (status !== 0) throw new InputError('editor.failed', { editor, status: String(status) });
    const edited = readFileSync(file, 'utf8')
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n')
      .trim();
    if (!edited) throw new CancelledError();
    return edited;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function run(editor: string, file: string, env: NodeJS.ProcessEnv): Promise<number | string> {
  // The editor reads the keyboard: this process must not read it meanwhile.
  process.stdin.pause();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `${editor} "$@"`, editor, file], { stdio: 'inherit', env });
    child.on('error', () => resolve('not started'));
    child.on('exit', (code, signal) => resolve(signal ?? code ?? 1));
  });
}
