import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEmailReport, splitName } from '../../src/domain/mail/inbound.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/eml', name));
const now = new Date('2026-12-01T09:00:00Z');

describe('a report read from an e-mail message', () => {
  it('an HTML message: sender, Date, encoded subject, the text of the HTML', async () => {
    const message = await parseEmailReport(fixture('html.eml'), now);
    expect(message).toMatchObject({
      channel: 'email',
      senderAddress: 'Nicolo.DeLuca@example.it',
      firstName: 'Nicolò',
      lastName: 'De Luca',
      subject: 'Lampione spento in via Verdi è',
      messageId: '<lampione-1@example.it>',
      dateProblem: undefined,
      size: fixture('html.eml').length,
    });
    expect(message.receivedAt?.toISOString()).toBe('2026-11-30T17:42:10.000Z');
    expect(message.description).toBe('Il lampione davanti al civico 3 è spento.\n\nDa tre giorni.');
    expect(message.description).not.toContain('alert');
    expect(message.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a PEC: the citizen and the text come from the original inside the transport envelope', async () => {
    const message = await parseEmailReport(fixture('pec.eml'), now);
    expect(message).toMatchObject({
      channel: 'pec',
      senderAddress: 'mario.rossi@pec.example.it',
      firstName: 'Mario',
      lastName: 'Rossi',
      subject: 'Buca in via Roma',
      description: "C'è una buca profonda davanti al civico 12.",
    });
    // The moment of the transport envelope.
    expect(message.receivedAt?.toISOString()).toBe('2026-11-30T09:15:00.000Z');
  });

  it('a Date that cannot be read or lies in the future is not used; no display name, no names', async () => {
    const message = await parseEmailReport(fixture('bad-date.eml'), now);
    expect(message).toMatchObject({ dateProblem: 'invalid', receivedAt: undefined, firstName: undefined, lastName: undefined, senderAddress: 'anna.bianchi@example.it' });
    const future = await parseEmailReport(Buffer.from('From: a@example.it\r\nSubject: x\r\nDate: Fri, 1 Jan 2100 10:00:00 +0000\r\n\r\ntesto\r\n'), now);
    expect(future.dateProblem).toBe('future');
    const missing = await parseEmailReport(Buffer.from('From: a@example.it\r\nSubject: x\r\n\r\ntesto\r\n'), now);
    expect(missing.dateProblem).toBe('missing');
  });

  it('refuses what is not a message', async () => {
    await expect(parseEmailReport(Buffer.alloc(0), now)).rejects.toMatchObject({ key: 'eml.empty' });
    await expect(parseEmailReport(Buffer.from('%PDF-1.4\n\u0000\u0001binary'), now)).rejects.toMatchObject({ key: 'eml.unreadable' });
  });

  it('cuts a subject too long for the register at a word, with a mark', async () => {
    const long = `Segnalazione ${'molto '.repeat(60)}lunga`;
    const message = await parseEmailReport(Buffer.from(`From: a@example.it\r\nSubject: ${long}\r\nDate: Mon, 30 Nov 2026 10:00:00 +0100\r\n\r\ntesto\r\n`), now);
    expect(message.subject!.length).toBeLessThanOrEqual(200);
    expect(message.subject).toMatch(/molto \[…\]$/);
  });

  it('splits display names the Italian way', () => {
    expect(splitName('Mario Rossi', null)).toEqual({ firstName: 'Mario', lastName: 'Rossi' });
    expect(splitName('Maria Grazia Di Stefano', null)).toEqual({ firstName: 'Maria Grazia', lastName: 'Di Stefano' });
    expect(splitName('ROSSI, Mario', null)).toEqual({ firstName: 'Mario', lastName: 'ROSSI' });
    expect(splitName('mario.rossi@example.it', 'mario.rossi@example.it')).toEqual({ firstName: undefined, lastName: undefined });
    expect(splitName('Mario', null)).toEqual({ firstName: undefined, lastName: undefined });
  });
});
