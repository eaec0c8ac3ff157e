import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** What a command module receives: its positional arguments and its options, as commander parsed them. */
export interface CommandInput {
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  /** commander's definition of the command (its root is the whole program, for completion). */
  readonly command?: Command;
}

/** A command's module: one `run` that does the work and returns its exit code (or nothing for 0). */
export type CommandModule = { run(context: CliContext, input: CommandInput): Promise<number | void> };
