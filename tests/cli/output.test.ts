import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { echo } from '../../src/domain/errors.js';
import { Output } from '../../src/cli/output.js';

function terminalOutput(env: NodeJS.ProcessEnv = {}) {
  const stdout = Object.assign(new PassThrough(), { isTTY: true });
  const stderr = Object.assign(new PassThrough(), { isTTY: true });
  return new Output({ stdout, stderr, env, color: true, quiet: false });
}

describe('tables on a terminal', () => {
  const columns = [
    { header: 'subject', value: (row: { subject: string; late: boolean }) => row.subject },
    { header: 'due', value: () => 'reply: 3 days late', style: (row: { late: boolean }, text: string) => (row.late ? `<red>${text}</red>` : text) },
  ];

  it('neutralises the citizen text but keeps urp\'s own colour', async () => {
    const text = await terminalOutput().tableText(columns, [{ subject: 'clear \u001b[2J screen', late: true }]);
    expect(text).toContain('clear \\x1b[2J screen');
    expect(text).toContain('<red>reply: 3 days late</red>');
    expect(text).not.toContain('\u001b[2J');
  });

  it('piped: plain tab-separated lines, no style', async () => {
    const stdout = new PassThrough();
    const output = new Output({ stdout, stderr: new PassThrough(), env: {}, color: true, quiet: false });
    const text = await output.tableText(columns, [{ subject: 'a\tb', late: true }]);
    expect(text).toBe('subject\tdue\na b\treply: 3 days late');
  });

  it('colour is off with NO_COLOR or TERM=dumb', () => {
    expect(terminalOutput({ NO_COLOR: '1' }).colour.level).toBe(0);
    expect(terminalOutput({ TERM: 'dumb' }).colour.level).toBe(0);
    expect(terminalOutput({}).colour.level).toBeGreaterThan(0);
  });
});

describe('values quoted back in errors', () => {
  it('never carry personal data or control characters', () => {
    expect(echo('lamentela')).toBe('lamentela');
    expect(echo('mario.rossi@example.it')).toBe('…');
    expect(echo('+39 333 123 4567')).toBe('…');
    expect(echo('RSSMRA85T10A562S')).toBe('…');
    expect(echo('pro\u001b[2Jblem')).toBe('pro\\x1b[2Jblem');
    expect(echo('x'.repeat(60))).toBe(`${'x'.repeat(40)}…`);
  });
});
