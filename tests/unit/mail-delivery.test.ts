import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addArea } from '../../src/domain/areas.js';
import { validateCitizen } from '../../src/domain/citizens.js';
import { deliverPending, nextAttemptAfter } from '../../src/domain/mail/delivery.js';
import { provideReplyLetter } from '../../src/domain/mail/letter-hook.js';
import { parseReportFields } from '../../src/domain/report-input.js';
import { registerReport } from '../../src/domain/report-registration.js';
import { applyAction } from '../../src/domain/report-workflow.js';
import { tempWorkspace } from '../helpers/cli.js';
import { type Certificate, makeCertificate, startSmtpServer } from '../helpers/smtp.js';
import { actorAt, memoryStore, settings as defaults } from '../helpers/store.js';

/**
 * The delivery in process against the real test SMTP server: the reply mail
 * carries what the reply-letter hook gives it (the PDF `urp report letter`
 * will make), encoded as an attachment.
 */
let space: ReturnType<typeof tempWorkspace>;
let certificate: Certificate;
beforeAll(() => {
  space = tempWorkspace();
  certificate = makeCertificate(space.dir);
});
afterAll(() => {
  provideReplyLetter(undefined);
  space.cleanup();
});

describe('delivery', () => {
  it('backs off 1, 5, 15, 60 minutes, then every 4 hours', () => {
    const now = new Date('2026-11-30T08:00:00Z');
    expect([1, 2, 3, 4, 5, 9].map((attempts) => (nextAttemptAfter(attempts, now).getTime() - now.getTime()) / 60_000)).toEqual([1, 5, 15, 60, 240, 240]);
  });

  it('attaches the reply letter once a maker is registered', async () => {
    const server = await startSmtpServer({ certificate });
    const store = await memoryStore();
    try {
      const settings = { ...defaults, mailSmtp: `smtp://localhost:${server.port}`, mailFrom: 'urp@comune.valdoria.it' };
      const actor = actorAt('2026-11-30T08:00:00Z');
      await addArea(store.db, actor, { code: 'strade', name: 'Strade', email: 'strade@comune.valdoria.it' });
      const { number } = await registerReport(store.db, actor, settings, {
        fields: parseReportFields({ type: 'problem', channel: 'phone', subject: 'Buca', area: 'strade' }, settings.timeZone),
        citizen: validateCitizen({ firstName: 'Anna', lastName: 'Bianchi', email: 'anna@example.it' }),
      });
      await applyAction(store.db, actorAt('2026-11-30T09:00:00Z'), settings, { action: 'reply', number, text: 'Fatto.', outcome: 'resolved', via: 'email' });
      const letter = Buffer.from('%PDF-1.4\n% lettera di risposta\n');
      provideReplyLetter(async (_db, reportId) => ({ filename: `risposta-${reportId}.pdf`, content: letter, contentType: 'application/pdf' }));

      const env = { URP_SMTP_USER: 'urp', URP_SMTP_PASSWORD: 'segreta' };
      const result = await deliverPending(store.db, actor, settings, { env, clock: () => new Date(), trustedCertificates: certificate.cert });
      expect(result.configurationErrors).toEqual([]);
      expect(result.messages.map((message) => `${message.kind} ${message.outcome}`)).toEqual(['receipt sent', 'assignment sent', 'reply sent']);
      const reply = server.received[2]!;
      expect(reply.parsed.attachments.map((attachment) => [attachment.filename, attachment.contentType, attachment.content.equals(letter)])).toEqual([['risposta-1.pdf', 'application/pdf', true]]);
      expect(reply.raw).toMatch(/Content-Type: application\/pdf; name=risposta-1\.pdf\r\nContent-Transfer-Encoding: base64/);
      // Only the reply carries it.
      expect(server.received[0]!.parsed.attachments).toEqual([]);
    } finally {
      await store.close();
      await server.close();
    }
  });
});
