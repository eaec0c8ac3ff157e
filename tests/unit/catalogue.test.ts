import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../src/i18n/en.js';
import itCatalogue from '../../src/i18n/it.js';
import { type Message, UNSPLIT_KEYS, loadLanguage, translate, translateOptional } from '../../src/i18n/messages.js';
import { commandKey, examplesOf, optionText } from '../../src/cli/help.js';
import { buildProgram } from '../../src/cli/program.js';
import { COMMAND_ACCESS } from '../../src/cli/command-access.js';
import { runMain } from '../helpers/in-process.js';

/**
 * Localisation as one system (issue 16): one catalogue per language, the
 * Italian one complete (the compiler refuses a missing or extra key; this
 * test checks what the compiler cannot: placeholders, plural forms, and that
 * every command's help is there), and a third language as a new file and
 * nothing else.
 */
const program = (language: string) => buildProgram({ language, group: '*', writeOut: () => undefined, writeErr: () => undefined, execute: async () => undefined });

function commands(root: Command): Command[] {
  return [root, ...root.commands.flatMap(commands)];
}

const placeholders = (message: Message) => new Set((typeof message === 'string' ? [message] : Object.values(message)).flatMap((text) => [...text!.matchAll(/\{(\w+)\}/g)].map((match) => match[1])));

describe('the catalogues', () => {
  it('hold every message in en.ts and it.ts: none left in messages.ts (scripts/split-catalogue.mjs moves them)', () => {
    expect(UNSPLIT_KEYS).toEqual([]);
    expect(Object.keys(itCatalogue).sort()).toEqual(Object.keys(en).sort());
  });

  it('give Italian the placeholders of English, and plural forms where English has them', () => {
    // Where Italian writes the list out in its own words (the labels, not the codes) or the date its own way.
    const ownWords = new Set(['report.typeUnknown', 'report.channelUnknown', 'report.statusUnknown', 'reply.outcomeUnknown', 'reply.viaUnknown', 'date.skipped']);
    const wrong: string[] = [];
    for (const [key, english] of Object.entries(en) as Array<[keyof typeof en, Message]>) {
      if (ownWords.has(key)) continue;
      const italian = itCatalogue[key] as Message;
      // {count} chooses a plural form: a form may leave it out ("un'altra"), the others name the rest.
      const expected = [...placeholders(english)].filter((name) => name !== 'count').sort();
      const found = [...placeholders(italian)].filter((name) => name !== 'count').sort();
      if (JSON.stringify(expected) !== JSON.stringify(found)) wrong.push(`${key}: ${expected.join(',')} / ${found.join(',')}`);
      if (typeof english === 'string' && english === '') wrong.push(`${key}: empty`);
    }
    expect(wrong).toEqual([]);
  });

  it('agree with a count, as an Italian office writes', () => {
    expect(translate('it', 'prompt.citizen.found', { count: 1 })).toBe('Trovato 1 cittadino: scegliere');
    expect(translate('it', 'prompt.citizen.found', { count: 3 })).toBe('Trovati 3 cittadini: scegliere');
    expect(translate('en', 'prompt.citizen.found', { count: 1 })).toBe('1 found: choose');
    expect(translate('it', 'span.days', { count: 1 })).toBe('1 giorno');
    expect(translate('it', 'span.days', { count: 2 })).toBe('2 giorni');
    expect(translate('it', 'span.left', { span: '1 giorno', count: 1 })).toBe('manca 1 giorno');
    expect(translate('it', 'span.left', { span: '3 ore', count: 3 })).toBe('mancano 3 ore');
    expect(translate('it', 'menu.find.found', { count: 1 })).toBe('Trovata 1 pratica');
    expect(translate('it', 'menu.find.found', { count: 4 })).toBe('Trovate 4 pratiche');
  });

  it('describe every command, option and argument of the program, in English and Italian', () => {
    for (const language of ['en', 'it']) {
      const missing: string[] = [];
      for (const command of commands(program(language))) {
        const key = commandKey(command);
        if (!translateOptional(language, `help.cmd.${key}`) && !(command as unknown as { _hidden: boolean })._hidden) missing.push(`help.cmd.${key}`);
        for (const option of command.options) if (!optionText(language, command, option)) missing.push(`${key} ${option.flags}`);
        for (const argument of command.registeredArguments) if (!translateOptional(language, `help.arg.${argument.name()}`)) missing.push(`${key} <${argument.name()}>`);
      }
      expect(missing, language).toEqual([]);
    }
  });

  it('give every command that runs something two or three examples, in each language, each one a urp command line', () => {
    for (const language of ['en', 'it']) {
      const wrong: string[] = [];
      for (const command of commands(program(language))) {
        if (command.commands.length > 0 || (command as unknown as { _hidden: boolean })._hidden) continue;
        const examples = examplesOf(language, command);
        if (!examples) {
          wrong.push(`${commandKey(command)}: no examples`);
          continue;
        }
        const lines = examples.split('\n').filter((line) => !line.startsWith('#') && !line.startsWith('    '));
        if (lines.length === 0 || lines.length > 4) wrong.push(`${commandKey(command)}: ${lines.length} examples`);
        for (const line of lines) if (!/^(urp\b|source <\(urp )/.test(line)) wrong.push(`${commandKey(command)}: ${line}`);
      }
      expect(wrong, language).toEqual([]);
    }
  });

  it('every command of the program has an access rule, the help and completion included', () => {
    const paths = commands(program('en'))
      .filter((command) => command.parent && command.commands.length === 0)
      .map((command) => commandKey(command).replace(/\./g, ' '));
    expect(paths.filter((path) => !(path in COMMAND_ACCESS))).toEqual([]);
  });
});

describe('a third language is a new file and nothing else', () => {
  const target = resolve(import.meta.dirname, '../../src/i18n/eo.ts');
  beforeAll(() => copyFileSync(join(import.meta.dirname, '../fixtures/i18n/eo.ts').replace(/\.ts$/, '.ts'), target));
  afterAll(() => rmSync(target, { force: true }));

  it('is loaded by its code, speaks its own messages and plurals, and English where it has none', async () => {
    // The fixture imports its types from src: fix the relative paths for its new place.
    const text = readFileSync(target, 'utf8').replaceAll('../../../src/i18n/', './');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(target, text);
    expect(await loadLanguage('eo')).toBe(true);
    expect(translate('eo', 'report.unknown', { number: '2026/000001' })).toBe('neniu raporto 2026/000001');
    expect(translate('eo', 'prompt.citizen.found', { count: 1 })).toBe('Trovita 1 civitano: elektu');
    expect(translate('eo', 'prompt.citizen.found', { count: 2 })).toBe('Trovitaj 2 civitanoj: elektu');
    // Not in the small catalogue: English.
    expect(translate('eo', 'report.noneFound')).toBe('No reports');
    // A language with no file is no language.
    expect(await loadLanguage('xx')).toBe(false);
  });

  it('reaches commander\'s help, the vocabulary and the errors with --lang', async () => {
    const help = await runMain(['--lang', 'eo', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Uzo: urp/);
    expect(help.stdout).toContain('Opcioj:');
    expect(help.stdout).toContain('montri ĉi tiun helpon');
    const unknown = await runMain(['--lang', 'xx', '--help']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('urp does not speak "xx"');
  });
});

describe('filling a message', () => {
  it('puts each parameter in its placeholders, keeps a placeholder without one, in every message of both catalogues', async () => {
    expect(await loadLanguage('it')).toBe(true);
    // The rule as first written: each {name} replaced by its parameter, when there is one.
    const byRule = (template: string, params: Record<string, string>) =>
      template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in params ? params[name]! : placeholder));
    let filled = 0;
    for (const [language, catalogue] of [['en', en], ['it', itCatalogue]] as const) {
      for (const [key, message] of Object.entries(catalogue as Record<string, Message>)) {
        const template = typeof message === 'string' ? message : message.other;
        const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
        // Every parameter but the first given (the first left out: its placeholder stays), none a count, so the "other" form is used.
        const params = Object.fromEntries(names.slice(1).filter((name) => name !== 'count').map((name, index) => [name, `<${index}$&>`]));
        if (names.includes('count')) continue;
        expect(translate(language, key as never, params), key).toBe(byRule(template, params));
        filled++;
      }
    }
    expect(filled).toBeGreaterThan(500);
    expect(translate('en', 'format.date', { day: '02', month: '12', year: '2026' })).toMatch(/2026.*12.*02|02.*12.*2026/);
  });
});
