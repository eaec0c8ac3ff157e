import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Text longer than the screen, through a pager as git does: PAGER, else
 * `less -FRX` (quit if it fits one screen, keep urp's colours, leave the
 * text on the screen afterwards). Resolves false when no pager could be
 * started, so the caller writes the text itself.
 */
export function runPager(text: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const chosen = env.PAGER?.trim();
  if (chosen === 'cat' || chosen === '') return Promise.resolve(false);
  const command = chosen ?? (onPath('less', env) ? 'less -FRX' : undefined);
  if (!command) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'], env: { LESS: 'FRX', ...env } });
    let started = true;
    child.on('error', () => {
      started = false;
      resolve(false);
    });
    // A pager closed before the end (q): the rest is not wanted.
    child.stdin.on('error', () => undefined);
    child.on('exit', () => {
      if (started) resolve(true);
    });
    child.stdin.end(text);
  });
}

/** Whether a program of that name is on the PATH (the pager's less, the editor's vi). */
export function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
