import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userInfo } from 'node:os';
import { osAccount, requestedOperator, resolveLanguage } from '../../src/cli/context.js';
import { fieldLabel } from '../../src/cli/field-labels.js';
import { resolveDatabasePath } from '../../src/storage/database.js';
import { tempWorkspace } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

let workspace: ReturnType<typeof tempWorkspace>;
beforeEach(() => (workspace = tempWorkspace()));
afterEach(() => workspace.cleanup());

describe('global options', () => {
  it('resolve the database path: --db, then URP_DB, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(resolveDatabasePath('/tmp/a.db', { URP_DB: '/tmp/b.db' })).toBe('/tmp/a.db');
    expect(resolveDatabasePath(undefined, { URP_DB: '/tmp/b.db', XDG_DATA_HOME: '/x' })).toBe('/tmp/b.db');
    expect(resolveDatabasePath(undefined, { XDG_DATA_HOME: '/x' })).toBe('/x/urp/urp.db');
    expect(resolveDatabasePath(undefined, {})).toMatch(/\/\.local\/share\/urp\/urp\.db$/);
  });

  it('resolve the language: --lang, then URP_LANG, then LC_ALL/LANG', () => {
    expect(resolveLanguage('it', { URP_LANG: 'en' })).toBe('it');
    expect(resolveLanguage(undefined, { URP_LANG: 'it', LANG: 'en_GB.UTF-8' })).toBe('it');
    expect(resolveLanguage(undefined, { LC_ALL: 'it_CH.UTF-8', LANG: 'en_GB.UTF-8' })).toBe('it');
    expect(resolveLanguage(undefined, { LANG: 'de_DE.UTF-8' })).toBe('en');
  });

  it('take the operator asked for from --operator, then URP_OPERATOR; none means the OS account itself', () => {
    expect(requestedOperator('anna', { URP_OPERATOR: 'bruno' })).toBe('anna');
    expect(requestedOperator(undefined, { URP_OPERATOR: 'bruno' })).toBe('bruno');
    expect(requestedOperator(undefined, { USER: 'carla' })).toBeUndefined();
    expect(osAccount()).toBe(userInfo().username);
  });

  it('are accepted after the subcommand too', async () => {
    const result = await runMain(['area', 'add', 'verde', '--name', 'Verde', '--db', workspace.db, '--operator', 'anna', '--quiet']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '', openAccessNotices: 1 });
  });

  it('refuse an unsupported language', async () => {
    const result = await runMain(['--lang', 'fr', 'area', 'list', '--db', workspace.db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('urp: error: urp does not speak "fr" (--lang or URP_LANG): it or en, or a language with a catalogue in src/i18n\n');
  });
});

describe('flags map to field names in messages', () => {
  it('names the flag of a camelCase field', () => {
    expect(fieldLabel('receivedAt')).toBe('--received-at');
    expect(fieldLabel('taxCode')).toBe('--tax-code');
    expect(fieldLabel('contact')).toBe('--email/--phone/--address');
  });

  it('a missing required option of commander exits 2', async () => {
    const result = await runMain(['area', 'add', 'verde', '--db', workspace.db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--name <name>' not specified");
  });

  it('--limit must be a positive whole number', async () => {
    const result = await runMain(['report', 'list', '--limit', '-3', '--db', workspace.db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--limit: a whole number from 1 to 1000000 is expected');
  });

  it('--help lists every command group and the exit codes', async () => {
    const result = await runMain(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['init', 'area', 'category', 'citizen', 'report', 'config', 'db']) expect(result.stdout).toContain(`  ${command}`);
    expect(result.stdout).toContain('130 cancelled');
  });
});
