import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addArea } from '../../src/domain/areas.js';
import { validateCitizen } from '../../src/domain/citizens.js';
import { InputError } from '../../src/domain/errors.js';
import { TEMPLATE_LANGUAGES, TEMPLATE_NAMES, checkTemplate, defaultTemplate, getTemplate, parseTemplateFile, renderText, setTemplate } from '../../src/domain/mail/templates.js';
import { credentialsFromEnvironment, parseMailFrom, parseSmtpUrl } from '../../src/domain/mail/smtp-settings.js';
import { citizenDataExport, eraseCitizen } from '../../src/domain/privacy.js';
import { parseReportFields } from '../../src/domain/report-input.js';
import { registerReport } from '../../src/domain/report-registration.js';
import { applyAction } from '../../src/domain/report-workflow.js';
import { SETTING_KEYS, type Settings, loadSettings, setSetting } from '../../src/domain/settings.js';
import type { Store } from '../../src/storage/database.js';
import { actorAt, memoryStore, settings as defaults } from '../helpers/store.js';

const refusedWith = (work: () => unknown, key: string) => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).key).toBe(key);
    return;
  }
  throw new Error(`expected ${key}, nothing was refused`);
};

describe('mail settings', () => {
  it('takes smtp:// (STARTTLS required) and smtps://, and refuses credentials in the URL', () => {
    expect(parseSmtpUrl('smtp://mail.comune.example', 'mail-smtp')).toMatchObject({ text: 'smtp://mail.comune.example:587', port: 587, secure: false, requireStartTls: true });
    expect(parseSmtpUrl('smtps://mail.comune.example', 'mail-smtp')).toMatchObject({ port: 465, secure: true, requireStartTls: false });
    expect(parseSmtpUrl('smtp://localhost:25?starttls=off', 'mail-smtp')).toMatchObject({ text: 'smtp://localhost:25?starttls=off', requireStartTls: false });
    expect(parseSmtpUrl('smtp://relay:2525?timeout=5', 'mail-smtp')).toMatchObject({ timeoutSeconds: 5, text: 'smtp://relay:2525?timeout=5' });
    refusedWith(() => parseSmtpUrl('smtp://urp:segreta@mail.comune.valdoria.it:587', 'mail-smtp'), 'mail.smtpUrlCredentials');
    refusedWith(() => parseSmtpUrl('smtp://urp@mail.comune.valdoria.it:587', 'mail-smtp'), 'mail.smtpUrlCredentials');
    refusedWith(() => parseSmtpUrl('http://mail.comune.example', 'mail-smtp'), 'mail.smtpUrlExpected');
    refusedWith(() => parseSmtpUrl('mail.comune.example:587', 'mail-smtp'), 'mail.smtpUrlExpected');
    refusedWith(() => parseSmtpUrl('smtp://mail.comune.example?password=x', 'mail-smtp'), 'mail.smtpUrlParameter');
  });

  it('takes a sender with or without a name', () => {
    expect(parseMailFrom('URP@Comune.valdoria.it', 'mail-from')).toEqual({ text: 'URP@comune.valdoria.it', name: null, address: 'URP@comune.valdoria.it' });
    expect(parseMailFrom('"URP Comune di Valdoria" <urp@comune.valdoria.it>', 'mail-from').text).toBe('URP Comune di Valdoria <urp@comune.valdoria.it>');
    refusedWith(() => parseMailFrom('URP <non un indirizzo>', 'mail-from'), 'mail.fromExpected');
  });

  it('stores the switches, the language and the contacts through config set, with `none` to clear', async () => {
    const store = await memoryStore();
    const now = new Date('2026-11-30T08:00:00Z');
    await setSetting(store.db, 'mail-receipt', 'off', now);
    await setSetting(store.db, 'mail-area-citizen-name', 'on', now);
    await setSetting(store.db, 'mail-language', 'EN', now);
    await setSetting(store.db, 'organisation-address', 'Piazza Municipio 1\r\n00100 Valdoria', now);
    await setSetting(store.db, 'urp-email', 'urp@comune.valdoria.it', now);
    await setSetting(store.db, 'mail-smtp', 'smtp://mail.comune.example', now);
    await setSetting(store.db, 'mail-smtp', 'none', now);
    expect(await loadSettings(store.db)).toMatchObject({
      mailReceipt: false, mailAreaCitizenName: true, mailLanguage: 'en', organisationAddress: 'Piazza Municipio 1\n00100 Valdoria', urpEmail: 'urp@comune.valdoria.it', mailSmtp: null,
    });
    refusedWith(() => SETTING_KEYS['mail-reply'].parse('forse'), 'config.switchExpected');
    refusedWith(() => SETTING_KEYS['urp-hours'].parse('9-12\n14-16'), 'config.textExpected');
    refusedWith(() => SETTING_KEYS['organisation-address'].parse('Via Roma 1\u001b[2J'), 'config.blockExpected');
    refusedWith(() => SETTING_KEYS['organisation-address'].parse('x'.repeat(501)), 'config.blockExpected');
    await store.close();
  });
});

describe('credentials', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'urp-credentials-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('come from the environment or an owner-only file, never both, never half', () => {
    expect(credentialsFromEnvironment({}, 'URP_SMTP')).toBeUndefined();
    expect(credentialsFromEnvironment({ URP_SMTP_USER: 'urp', URP_SMTP_PASSWORD: 'segreta' }, 'URP_SMTP')).toEqual({ user: 'urp', password: 'segreta' });
    refusedWith(() => credentialsFromEnvironment({ URP_SMTP_PASSWORD: 'segreta' }, 'URP_SMTP'), 'mail.userMissing');
    refusedWith(() => credentialsFromEnvironment({ URP_PEC_USER: 'urp' }, 'URP_PEC'), 'mail.passwordMissing');
    const file = join(dir, 'password');
    writeFileSync(file, 'dal-file\n');
    chmodSync(file, 0o640);
    refusedWith(() => credentialsFromEnvironment({ URP_SMTP_USER: 'urp', URP_SMTP_PASSWORD_FILE: file }, 'URP_SMTP'), 'mail.passwordFileOpen');
    chmodSync(file, 0o600);
    expect(credentialsFromEnvironment({ URP_SMTP_USER: 'urp', URP_SMTP_PASSWORD_FILE: file }, 'URP_SMTP')).toEqual({ user: 'urp', password: 'dal-file' });
    refusedWith(() => credentialsFromEnvironment({ URP_SMTP_USER: 'urp', URP_SMTP_PASSWORD: 'x', URP_SMTP_PASSWORD_FILE: file }, 'URP_SMTP'), 'mail.passwordTwice');
    refusedWith(() => credentialsFromEnvironment({ URP_SMTP_USER: 'urp', URP_SMTP_PASSWORD_FILE: join(dir, 'missing') }, 'URP_SMTP'), 'mail.passwordFileUnreadable');
  });
});

describe('templates', () => {
  it('ships a valid default for every message in both languages', () => {
    for (const name of TEMPLATE_NAMES) {
      for (const language of TEMPLATE_LANGUAGES) {
        const template = defaultTemplate(name, language);
        expect(() => checkTemplate(name, template.subject, template.body), `${name} ${language}`).not.toThrow();
      }
    }
  });

  it('leaves out a line whose fields are all empty, and keeps the others', () => {
    expect(renderText('Oggetto: {subject}\nLuogo: {location}\n\n\nGrazie, {organisation}', { subject: 'Buca', location: '', organisation: 'Comune' })).toBe('Oggetto: Buca\n\nGrazie, Comune');
  });

  it('refuses an unknown field, an empty body, a subject line missing or with control characters, when set', async () => {
    const store = await memoryStore();
    const actor = actorAt('2026-11-30T08:00:00Z');
    const set = async (text: string) => setTemplate(store.db, actor, 'receipt', 'it', parseTemplateFile(text));
    await expect(set('Oggetto: Ricevuta {number}\n\nGentile {citizenName}, {numbr}')).rejects.toMatchObject({ key: 'mailTemplate.unknownField', params: { fields: '{numbr}' } });
    // {officeHours} may be empty: a body of it alone could go out blank.
    await expect(set('Oggetto: Ricevuta {number}\n\n{officeHours}')).rejects.toMatchObject({ key: 'mailTemplate.emptyBody' });
    await expect(set('Oggetto: Ricevuta {number}\n\n   \n')).rejects.toMatchObject({ key: 'mailTemplate.emptyBody' });
    await expect(set('Oggetto: {officePhone}\n\nTesto')).rejects.toMatchObject({ key: 'mailTemplate.emptySubject' });
    await expect(set('Ricevuta {number}\n\nTesto')).rejects.toMatchObject({ key: 'mailTemplate.subjectMissing' });
    await expect(set('Oggetto: Ricevuta\u0007 {number}\n\nTesto')).rejects.toMatchObject({ key: 'mailTemplate.subjectControl' });
    expect((await getTemplate(store.db, 'receipt', 'it')).custom).toBe(false);

    await set('Subject: Ricevuta {number}\n\nGentile {citizenName},\nabbiamo ricevuto la segnalazione {number}.');
    expect(await getTemplate(store.db, 'receipt', 'it')).toMatchObject({ custom: true, subject: 'Ricevuta {number}', operator: 'test-clerk' });
    expect((await getTemplate(store.db, 'receipt', 'en')).custom).toBe(false);
    await setTemplate(store.db, actor, 'receipt', 'it', null);
    expect((await getTemplate(store.db, 'receipt', 'it')).custom).toBe(false);
    await store.close();
  });
});

describe('messages are queued with their event, and only then', () => {
  let store: Store;
  let clock: number;
  let settings: Settings;
  const next = (source: 'cli' | 'import' = 'cli') => ({ ...actorAt(new Date((clock += 60_000)).toISOString()), source });

  beforeEach(async () => {
    store = await memoryStore();
    clock = Date.parse('2026-11-20T08:00:00Z');
    settings = { ...defaults, mailSmtp: 'smtp://mail.comune.example:587', mailFrom: 'urp@comune.valdoria.it' };
    await addArea(store.db, next(), { code: 'strade', name: 'Strade', manager: 'Ing. Ferretti', email: 'strade@comune.valdoria.it' });
    await addArea(store.db, next(), { code: 'verde', name: 'Verde pubblico' });
  });
  afterEach(() => store.close());

  const register = (citizen: Parameters<typeof validateCitizen>[0], extra: Record<string, string> = {}, actor = next(), using = settings) =>
    registerReport(store.db, actor, using, {
      fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Buca in via Roma', description: 'Profonda', ...extra }, using.timeZone),
      citizen: validateCitizen(citizen),
    });
  const outbox = () => store.db.selectFrom('outbox').selectAll().orderBy('id').execute();
  const anna = { firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it', phone: '333 1234567', taxCode: 'RSSMRA85T10A562S' };

  it('a receipt at registration and an assignment at assignment, rendered from the templates', async () => {
    const { number } = await register(anna);
    await applyAction(store.db, next(), settings, { action: 'assign', number, area: 'strade' });
    const rows = await outbox();
    expect(rows.map((row) => `${row.kind} ${row.recipient} ${row.channel} ${row.to_address} ${row.status}`)).toEqual([
      'receipt citizen email anna@example.it pending',
      'assignment area email strade@comune.valdoria.it pending',
    ]);
    expect(rows[0]!.subject).toBe(`Segnalazione ${number} ricevuta`);
    // The area's message: no tax code, no phone, no e-mail, and no name unless the setting says so.
    expect(rows[1]!.body).not.toMatch(/RSSMRA|1234567|anna@|Anna|Bianchi/);
    expect(rows[1]!.body).toContain('Descrizione: Profonda');
  });

  it('names the citizen to the area only with mail-area-citizen-name on', async () => {
    const { number } = await register(anna);
    await applyAction(store.db, next(), { ...settings, mailAreaCitizenName: true }, { action: 'assign', number, area: 'strade' });
    const body = (await outbox())[1]!.body;
    expect(body).toContain('Cittadino: Anna Bianchi');
    expect(body).not.toMatch(/RSSMRA|1234567|anna@/);
  });

  it('nothing while mail-smtp is unset, for imports, or with the switch off', async () => {
    await register(anna, {}, next(), { ...settings, mailSmtp: null });
    await register({ ...anna, email: 'anna2@example.it', taxCode: undefined }, {}, next('import'));
    await register({ ...anna, email: 'anna3@example.it', taxCode: undefined }, { area: 'strade' }, next(), { ...settings, mailReceipt: false, mailAssignment: false });
    expect(await outbox()).toEqual([]);
  });

  it('a refused action queues nothing', async () => {
    const { number } = await register(anna);
    await expect(applyAction(store.db, next(), settings, { action: 'reply', number, text: 'Fatto', outcome: 'resolved' })).rejects.toBeInstanceOf(InputError);
    expect((await outbox()).map((row) => row.kind)).toEqual(['receipt']);
  });

  it('a reply by e-mail, by PEC when asked and possible, and none when it went by letter', async () => {
    const pecSettings = { ...settings, pecSmtp: 'smtps://pec.provider.example', pecFrom: 'urp@pec.comune.valdoria.it' };
    const first = await register({ ...anna, pec: 'anna@pec.example.it' }, { area: 'strade' });
    await applyAction(store.db, next(), pecSettings, { action: 'reply', number: first.number, text: 'Fatto', outcome: 'resolved', via: 'pec' });
    const second = await register({ firstName: 'Luca', lastName: 'Neri', email: 'luca@example.it', pec: 'luca@pec.example.it' }, { area: 'strade' });
    // PEC asked, but no PEC provider set up: the citizen still gets it, by e-mail.
    await applyAction(store.db, next(), settings, { action: 'reply', number: second.number, text: 'Fatto', outcome: 'resolved', via: 'pec' });
    const third = await register({ firstName: 'Rita', lastName: 'Verdi', email: 'rita@example.it' }, { area: 'strade' });
    await applyAction(store.db, next(), settings, { action: 'reply', number: third.number, text: 'Lettera spedita', outcome: 'resolved', via: 'letter' });
    const replies = (await outbox()).filter((row) => row.kind === 'reply');
    expect(replies.map((row) => `${row.channel} ${row.to_address}`)).toEqual(['pec anna@pec.example.it', 'email luca@example.it']);
    expect(replies[0]!.message_id).toMatch(/@pec\.comune\.valdoria\.it>$/);
  });

  it('an area without e-mail, a citizen without e-mail: "no address"', async () => {
    const { number } = await register({ firstName: 'Rita', lastName: 'Verdi', phone: '0331 765432' });
    await applyAction(store.db, next(), settings, { action: 'assign', number, area: 'verde' });
    expect((await outbox()).map((row) => `${row.kind} ${row.status} ${row.to_address}`)).toEqual(['receipt no_address null', 'assignment no_address null']);
  });

  it('export lists the messages sent to the person; erasure removes addresses and texts, and cancels what waits', async () => {
    const { number } = await register(anna, { area: 'strade' });
    const exported = await citizenDataExport(store.db, 1, new Date(clock));
    expect(exported.messages.sent).toHaveLength(1);
    expect(exported.messages.sent[0]).toMatchObject({ kind: 'receipt', report: number, toAddress: 'anna@example.it', status: 'pending' });
    expect(exported.messages.sent[0]!.body).toContain('Gentile Anna Bianchi');

    await eraseCitizen(store.db, next(), 1, { force: true });
    const rows = await outbox();
    expect(rows.map((row) => `${row.kind} ${row.status} ${row.to_address} ${row.to_name}`)).toEqual(['receipt cancelled null null', 'assignment pending strade@comune.valdoria.it Ing. Ferretti']);
    expect(rows.every((row) => row.subject === '' && row.body === '' && row.erased_at !== null)).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/Anna|Bianchi|anna@/);
  });
});
