import { spawn, type IPty } from 'node-pty';
import { URP_BIN } from './cli.js';

/**
 * Runs the built bin/urp inside a pseudo-terminal (stdin and stdout are TTYs,
 * so the program prompts), records what it prints and types for the test.
 *
 *   const term = startUrpPty(['report', 'new'], { db });
 *   await term.waitFor('? Subject');
 *   term.type('Broken street lamp');
 *   term.press('enter');
 *   expect(await term.exit()).toBe(0);
 *
 * waitFor() looks only at what was printed since the last key sent, so a
 * prompt that was already on screen before the last keystroke does not count
 * as "appeared again".
 */

export const PTY_COLS = 120;
export const PTY_ROWS = 40;
/** Generous: the tests run on a slow 2-core box. */
export const DEFAULT_WAIT_MS = 20_000;

export interface PtyOptions {
  /** URP_DB for the program (omit to pass `--db` yourself). */
  readonly db?: string;
  /** Extra variables; `undefined` removes one of the defaults. */
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** The terminal's size (default PTY_COLS × PTY_ROWS). */
  readonly cols?: number;
  readonly rows?: number;
}

export type Key = 'enter' | 'up' | 'down' | 'ctrl-c' | 'backspace' | 'ctrl-u' | 'tab' | 'escape';

const KEYS: Record<Key, string> = {
  enter: '\r',
  up: '\u001b[A',
  down: '\u001b[B',
  'ctrl-c': '\u0003',
  backspace: '\u007f',
  // readline: delete from the cursor to the start of the line
  'ctrl-u': '\u0015',
  tab: '\t',
  escape: '\u001b',
};

// CSI (colours, cursor moves, erase, ?25l...), OSC (titles, links), and two-character escapes.
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** The text without terminal escape sequences, with \r\n turned into \n. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(/\r+\n/g, '\n');
}

export interface PtySession {
  readonly pid: number;
  /** Everything printed so far, escape sequences included. */
  readonly raw: string;
  /** Everything printed so far, escape sequences removed. */
  text(): string;
  /** Resolves with the plain text of the first match printed since the last key sent; rejects on timeout or exit. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Sends text as typed (no enter). */
  type(text: string): void;
  press(key: Key): void;
  /**
   * In an inquirer select, moves the pointer (arrow keys only) down until the
   * highlighted choice matches, then presses enter. Fails if no choice matches.
   */
  choose(choice: string | RegExp, options?: { maxSteps?: number; timeoutMs?: number }): Promise<void>;
  /** Resolves with the exit code once the program has ended (and its output is read). */
  exit(timeoutMs?: number): Promise<number>;
  readonly exited: boolean;
  /** Kills the program if still running (for afterEach). */
  dispose(): void;
}

function envFor(options: PtyOptions): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TERM: 'xterm-256color',
    LANG: 'en_US.UTF-8',
    URP_OPERATOR: 'test-clerk',
    ...(options.db !== undefined ? { URP_DB: options.db } : {}),
    ...options.env,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function matchIn(text: string, pattern: string | RegExp): string | undefined {
  if (typeof pattern === 'string') return text.includes(pattern) ? pattern : undefined;
  return pattern.exec(text)?.[0];
}

/** The last lines of the screen, for failure messages. */
function lastScreen(text: string, lines = 25): string {
  return text.split('\n').slice(-lines).join('\n');
}

export function startUrpPty(args: readonly string[], options: PtyOptions = {}): PtySession {
  const terminal: IPty = spawn(process.execPath, [URP_BIN, ...args], {
    name: 'xterm-256color',
    cols: options.cols ?? PTY_COLS,
    rows: options.rows ?? PTY_ROWS,
    cwd: options.cwd ?? process.cwd(),
    env: envFor(options),
  });

  let raw = '';
  // Offset in `raw` of the output that followed the last key sent.
  let mark = 0;
  let exitCode: number | undefined;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };

  terminal.onData((data) => {
    raw += data;
    notify();
  });
  terminal.onExit(({ exitCode: code, signal }) => {
    // Killed by a signal: report it as a shell would (128 + signal).
    exitCode = signal ? 128 + signal : code;
    notify();
  });

  const describe = (what: string) =>
    `${what}\n--- last screen output (${args.join(' ')}) ---\n${lastScreen(stripAnsi(raw))}\n---`;

  /** Waits until check() returns a value; fails after timeoutMs, or when the program ends first. */
  function until<T>(check: () => T | undefined, timeoutMs: number, what: string, failOnExit = true): Promise<T> {
    return new Promise((resolve, reject) => {
      const settle = () => {
        const value = check();
        if (value !== undefined) {
          done();
          resolve(value);
        } else if (failOnExit && exitCode !== undefined) {
          done();
          reject(new Error(describe(`${what}: the program ended first (exit code ${exitCode})`)));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(describe(`${what}: not seen within ${timeoutMs} ms`)));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(settle);
      };
      listeners.add(settle);
      settle();
    });
  }

  const send = (data: string) => {
    if (exitCode !== undefined) throw new Error(describe(`cannot type ${JSON.stringify(data)}: the program has ended`));
    mark = raw.length;
    terminal.write(data);
  };

  const session: PtySession = {
    pid: terminal.pid,
    get raw() {
      return raw;
    },
    get exited() {
      return exitCode !== undefined;
    },
    text: () => stripAnsi(raw),
    waitFor(pattern, timeoutMs = DEFAULT_WAIT_MS) {
      return until(() => matchIn(stripAnsi(raw.slice(mark)), pattern), timeoutMs, `waiting for ${String(pattern)}`);
    },
    type(text) {
      send(text);
    },
    press(key) {
      send(KEYS[key]);
    },
    async choose(choice, { maxSteps = 30, timeoutMs = DEFAULT_WAIT_MS } = {}) {
      const wanted = typeof choice === 'string' ? (line: string) => line.includes(choice) : (line: string) => choice.test(line);
      // The highlighted choice is the last "❯ ..." line drawn since the last key.
      const highlighted = () => {
        const lines = [...stripAnsi(raw.slice(mark)).matchAll(/❯ ([^\n]*)\n/g)];
        return lines.at(-1)?.[1];
      };
      const seen: string[] = [];
      for (let step = 0; ; step++) {
        const current = await until(highlighted, timeoutMs, `waiting for a select prompt (choosing ${String(choice)})`);
        if (wanted(current)) {
          session.press('enter');
          return;
        }
        seen.push(current);
        if (step >= maxSteps || (seen.length > 1 && current === seen[0])) {
          throw new Error(describe(`no choice matching ${String(choice)} (went through: ${seen.join(' | ')})`));
        }
        session.press('down');
      }
    },
    exit(timeoutMs = DEFAULT_WAIT_MS) {
      return until(() => exitCode, timeoutMs, 'waiting for the program to exit', false);
    },
    dispose() {
      if (exitCode === undefined) {
        try {
          terminal.kill();
        } catch {
          // already gone
        }
      }
      listeners.clear();
    },
  };
  return session;
}
