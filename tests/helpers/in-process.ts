import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { withoutNotice } from './cli.js';

/**
 * Runs the command line in this process (no build, no subprocess): for tests
 * of argument parsing and of commands' output. Streams are not terminals.
 */
export async function runMain(argv: readonly string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(argv, { stdin, stdout, stderr }, { LANG: 'en_US.UTF-8', URP_OPERATOR: 'test-clerk', ...env });
  return { code, stdout: out, ...withoutNotice(err) };
}
