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

describe('tables that fit (issue 16)', () => {
  const terminal = (columns: number) => {
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns });
    return new Output({ stdout, stderr: new PassThrough(), env: {}, color: false, quiet: false });
  };
  type Row = { number: string; status: string; type: string; subject: string; citizen: string };
  const rows: Row[] = Array.from({ length: 5 }, (_, index) => ({
    number: `2026/00000${index + 1}`,
    status: 'presa in carico',
    type: 'segnalazione',
    subject: `Marciapiede dissestato in via Garibaldi, lato dei numeri pari, dal civico ${index} al civico 48`,
    citizen: 'Mastrangelini Ugo',
  }));
  const columns = [
    { header: 'numero', value: (row: Row) => row.number },
    { header: 'stato', value: (row: Row) => row.status, drop: 1 },
    { header: 'tipo', value: (row: Row) => row.type, drop: 2 },
    { header: 'oggetto', value: (row: Row) => row.subject, shrink: true },
    { header: 'cittadino', value: (row: Row) => row.citizen, shrink: true, drop: 3 },
  ];

  it('is no wider than the terminal at 80 and 120 columns, a rule under the header and no line between rows', async () => {
    for (const width of [80, 120]) {
      const lines = (await terminal(width).tableText(columns, rows)).split('\n');
      expect(Math.max(...lines.map((line) => [...line].length)), `${width}\n${lines.join('\n')}`).toBeLessThanOrEqual(width);
      expect(lines[1]).toMatch(/^─+( {2}─+)+$/);
      expect(lines).toHaveLength(2 + rows.length);
    }
  });

  it('cuts long text with …, and leaves out the columns of least use when that is not enough', async () => {
    const wide = await terminal(120).tableText(columns, rows);
    expect(wide).toContain('cittadino');
    expect(wide).toMatch(/Marciapiede dissestato.*…/);
    const narrow = await terminal(50).tableText(columns, rows);
    // The citizen (drop 3) goes first, then the type (2); the number and the subject stay.
    expect(narrow).not.toContain('cittadino');
    expect(narrow).not.toContain('tipo');
    expect(narrow).toContain('numero');
    expect(narrow).toMatch(/Marciapiede.*…/);
  });

  it('takes the width from COLUMNS before the terminal', async () => {
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
    const output = new Output({ stdout, stderr: new PassThrough(), env: { COLUMNS: '70' }, color: false, quiet: false });
    expect(output.width).toBe(70);
    const lines = (await output.tableText(columns, rows)).split('\n');
    expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(70);
  });

  it('piped, the text is whole: nothing cut, nothing left out', async () => {
    const output = new Output({ stdout: new PassThrough(), stderr: new PassThrough(), env: { COLUMNS: '40' }, color: false, quiet: false });
    const text = await output.tableText(columns, rows);
    expect(text).toContain(rows[0]!.subject);
    expect(text).toContain('Mastrangelini Ugo');
    expect(text).not.toContain('…');
  });

  it('a printout wraps its last column under itself, or below each row when the others leave it no room', () => {
    const output = new Output({ stdout: new PassThrough(), stderr: new PassThrough(), env: {}, color: false, quiet: false });
    const below = output.aligned(columns.slice(0, 4), rows, { width: 50 }).split('\n');
    expect(Math.max(...below.map((line) => [...line].length))).toBeLessThanOrEqual(50);
    expect(below[1]).toMatch(/^2026\/000001 {2}presa in carico {2}segnalazione$/);
    expect(below.slice(2, 4).every((line) => line.startsWith('    '))).toBe(true);
    const under = output.aligned([columns[0]!, columns[3]!], rows, { width: 60 }).split('\n');
    expect(under[1]).toMatch(/^2026\/000001 {2}Marciapiede/);
    expect(under[2]).toMatch(/^ {13}\S/);
    expect(Math.max(...under.map((line) => [...line].length))).toBeLessThanOrEqual(60);
  });
});
