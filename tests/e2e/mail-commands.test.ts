import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ME, YEAR, query, tempWorkspace, urpWith } from '../helpers/cli.js';

/** Issue 14: templates, the outbox record, settings and who may do what, through bin/urp (no server needed). */

let workspace: ReturnType<typeof tempWorkspace>;
let urp: ReturnType<typeof urpWith>;
const number = `${YEAR}/000001`;

beforeEach(async () => {
  workspace = tempWorkspace();
  urp = urpWith(workspace.db);
  for (const args of [
    ['init'],
    ['area', 'add', 'strade', '--name', 'Strade', '--email', 'strade@comune.valdoria.it'],
    ['config', 'set', 'mail-smtp', 'smtp://mail.comune.example:587'],
    ['config', 'set', 'mail-from', 'urp@comune.valdoria.it'],
    ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Buca in via Roma', '--first-name', 'Anna', '--last-name', 'Bianchi', '--email', 'anna@example.it', '--area', 'strade'],
  ]) {
    const result = await urp(args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
});
afterEach(() => workspace.cleanup());

describe('templates', () => {
  it('show prints a file that set reads back; set checks it; preview renders a report; --default goes back', async () => {
    const shown = await urp(['template', 'show', 'receipt']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Oggetto: Segnalazione \{number\} ricevuta\n\nGentile \{citizenName\},/);
    expect(shown.stderr).toContain('Fields: {number} {type} {subject}');
    expect((await urp(['template', 'show', 'receipt', '--language', 'en'])).stdout).toMatch(/^Subject: Report \{number\} received\n/);

    const file = join(workspace.dir, 'receipt.txt');
    writeFileSync(file, shown.stdout.replace('Gentile {citizenName},', 'Gentile {nome},'));
    const refused = await urp(['template', 'set', 'receipt', '--file', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('urp: error: unknown fields {nome} (this template knows: {number} {type}');
    writeFileSync(file, 'Oggetto: Abbiamo ricevuto la sua segnalazione {number}\n\nGentile {citizenName},\ngrazie.\n{officeHours}\n');
    expect((await urp(['template', 'set', 'receipt', '--file', file])).code).toBe(0);
    const list = JSON.parse((await urp(['template', 'list', '--json'])).stdout);
    expect(list.filter((template: { custom: boolean }) => template.custom).map((template: { name: string; language: string }) => `${template.name} ${template.language}`)).toEqual(['receipt it']);
    expect(list).toHaveLength(10);
    const preview = await urp(['template', 'preview', 'receipt', number]);
    expect(preview.stdout).toBe(`Oggetto: Abbiamo ricevuto la sua segnalazione ${number}\n\nGentile Anna Bianchi,\ngrazie.\n`);
    expect((await urp(['template', 'preview', 'assignment', number, '--language', 'en'])).stdout).toContain(`URP has assigned the report ${number} to Strade.`);
    const noReply = await urp(['template', 'preview', 'reply', number]);
    expect(noReply.code).toBe(2);
    expect(noReply.stderr).toContain(`report ${number} has no reply yet`);
    // A message already queued keeps the text it was queued with.
    expect(query<{ subject: string }>(workspace.db, "select subject from outbox where kind = 'receipt'")[0]!.subject).toBe(`Segnalazione ${number} ricevuta`);
    expect((await urp(['template', 'set', 'receipt', '--default'])).code).toBe(0);
    expect((await urp(['template', 'preview', 'receipt', number])).stdout).toMatch(/^Oggetto: Segnalazione \S+ ricevuta/);
    expect((await urp(['template', 'set', 'ricevuta', '--default'])).stderr).toContain('"ricevuta" is not a template (receipt, assignment, reply, digest-area, digest-urp)');
  });
});

describe('what is queued', () => {
  it('nothing for demo data or an import, even with mail set up; "no address" until an address is added and the message retried', async () => {
    const demo = urpWith(join(workspace.dir, 'demo.db'));
    expect((await demo(['init'])).code).toBe(0);
    expect((await demo(['config', 'set', 'mail-smtp', 'smtp://mail.comune.example:587'])).code).toBe(0);
    expect((await demo(['init', '--demo'])).code).toBe(0);
    const csv = join(workspace.dir, 'sportello.csv');
    writeFileSync(csv, 'tipo;canale;data;nome;cognome;email;oggetto\nsegnalazione;telefono;20/11/2026 09:30;Mario;Verdi;mario.verdi@example.it;Buca in via Po\n');
    expect((await demo(['import', csv])).code).toBe(0);
    expect(query(join(workspace.dir, 'demo.db'), 'select count(*) as n from outbox')).toEqual([{ n: 0 }]);

    expect((await urp(['report', 'new', '--type', 'problem', '--channel', 'counter', '--subject', 'Panchina rotta', '--first-name', 'Rita', '--last-name', 'Verdi', '--phone', '0331 765432'])).code).toBe(0);
    const [row] = query<{ id: number; status: string }>(workspace.db, "select id, status from outbox where kind = 'receipt' and citizen_id = 2");
    expect(row!.status).toBe('no_address');
    const early = await urp(['outbox', 'retry', String(row!.id)]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain(`message ${row!.id} still has no address`);
    expect((await urp(['citizen', 'update', '2', '--email', 'rita.verdi@example.it'])).code).toBe(0);
    expect((await urp(['outbox', 'retry', String(row!.id)])).code).toBe(0);
    expect(query(workspace.db, 'select status, to_address from outbox where id = ?', row!.id)).toEqual([{ status: 'pending', to_address: 'rita.verdi@example.it' }]);
  });
});

describe('the outbox and the settings', () => {
  it('lists by status and report, as a table, JSON or CSV', async () => {
    const pending = await urp(['outbox', 'list', '--status', 'pending']);
    expect(pending.stdout.split('\n')[0]).toBe('id\tstatus\tmessage\treport\tto\tchannel\taddress\tcreated\tsent / next attempt\tattempts\terror');
    expect(pending.stdout).toContain(`2\tpending\tassignment\t${number}\tarea strade\temail\tstrade@comune.valdoria.it`);
    expect(JSON.parse((await urp(['outbox', 'list', '--status', 'sent', '--json'])).stdout)).toEqual([]);
    expect(JSON.parse((await urp(['outbox', 'list', '--report', number, '--json'])).stdout)).toHaveLength(2);
    expect((await urp(['outbox', 'list', '--status', 'lost'])).code).toBe(2);
    expect((await urp(['outbox', 'list', '--csv'])).stdout.trim().split('\n')).toHaveLength(3);
  });

  it('config list shows the mail settings and never a credential; mail send without a sender is a setup error', async () => {
    const list = (await urp(['config', 'list'])).stdout;
    for (const key of ['mail-smtp', 'mail-from', 'pec-smtp', 'pec-from', 'mail-receipt', 'mail-assignment', 'mail-reply', 'mail-digest', 'mail-area-citizen-name', 'mail-language', 'organisation-address', 'urp-phone', 'urp-email', 'urp-hours']) {
      expect(list).toMatch(new RegExp(`^${key}\\t`, 'm'));
    }
    expect(list).toMatch(/^mail-receipt\ton$/m);
    expect(list).toMatch(/^mail-area-citizen-name\toff$/m);
    expect((await urp(['config', 'set', 'mail-from', 'none'])).code).toBe(0);
    const send = await urp(['mail', 'send'], { env: { URP_SMTP_PASSWORD: 'segreta', URP_SMTP_USER: 'urp' } });
    expect(send.code).toBe(2);
    expect(send.stderr).toContain('messages are waiting but mail-from is not set (urp config set mail-from ...)');
    expect(send.stdout + send.stderr).not.toContain('segreta');
  });

  it('who may: mail send and the outbox for admin and urp, not area; templates changed by admin only', async () => {
    for (const args of [
      ['operator', 'add', 'capo', '--role', 'admin', '--os-user', ME],
      ['operator', 'add', 'anna', '--role', 'urp'],
      ['operator', 'add', 'ferretti', '--role', 'area', '--area', 'strade'],
    ]) expect((await urp(args, { env: { URP_OPERATOR: 'capo' } })).code).toBe(0);
    const as = (operator: string, args: string[]) => urp(args, { env: { URP_OPERATOR: operator } });
    expect((await as('anna', ['outbox', 'list'])).code).toBe(0);
    expect((await as('anna', ['template', 'show', 'reply'])).code).toBe(0);
    const areaSend = await as('ferretti', ['mail', 'send']);
    expect(areaSend.code).toBe(2);
    expect(areaSend.stderr).toContain('"urp mail send" is not allowed to operator "ferretti" (area office)');
    expect((await as('ferretti', ['outbox', 'list'])).code).toBe(2);
    const clerkSet = await as('anna', ['template', 'set', 'reply', '--default']);
    expect(clerkSet.code).toBe(2);
    expect(clerkSet.stderr).toContain('"urp template set" is not allowed to operator "anna" (URP clerk); it is for: administrator');
    expect((await as('capo', ['template', 'set', 'reply', '--default'])).code).toBe(0);
  });
});
