import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ME, URP_BIN, YEAR, execute, query, tempWorkspace, urpWith } from '../helpers/cli.js';
import { type Certificate, type TestSmtpServer, closedPort, makeCertificate, startSilentServer, startSmtpServer } from '../helpers/smtp.js';

/**
 * Issue 14 through bin/urp against a real SMTP server in this process
 * (STARTTLS on a certificate made for the test, authentication): what the
 * server receives, and what urp records, exits with and shows.
 */

let certificateSpace: ReturnType<typeof tempWorkspace>;
let certificate: Certificate;
let workspace: ReturnType<typeof tempWorkspace>;
let server: TestSmtpServer;
let urp: ReturnType<typeof urpWith>;

const number = (sequence: number) => `${YEAR}/${String(sequence).padStart(6, '0')}`;
const credentials = { URP_SMTP_USER: 'urp', URP_SMTP_PASSWORD: 'segreta' };

beforeAll(() => {
  certificateSpace = tempWorkspace();
  certificate = makeCertificate(certificateSpace.dir);
});
afterAll(() => certificateSpace.cleanup());

beforeEach(async () => {
  workspace = tempWorkspace();
  server = await startSmtpServer({ certificate });
  // The test's own certificate is trusted the way an office trusts its internal CA.
  urp = urpWith(workspace.db, { env: { NODE_EXTRA_CA_CERTS: certificate.certPath, ...credentials } });
});
afterEach(async () => {
  await server.close();
  workspace.cleanup();
});

async function ok(args: string[], env?: Record<string, string | undefined>): Promise<string> {
  const result = await urp(args, { env });
  expect(result.code, `urp ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

async function setUp(port = server.port, url = `smtp://localhost:${port}`): Promise<void> {
  await ok(['init']);
  await ok(['area', 'add', 'strade', '--name', 'Strade e marciapiedi', '--manager', 'Ing. Ferretti', '--email', 'strade@comune.valdoria.it']);
  await ok(['config', 'set', 'mail-smtp', url]);
  await ok(['config', 'set', 'mail-from', 'URP Comune di Valdoria <urp@comune.valdoria.it>']);
  await ok(['config', 'set', 'organisation-name', 'Comune di Valdoria']);
  await ok(['config', 'set', 'urp-phone', '0331 123456']);
  await ok(['config', 'set', 'urp-hours', 'lunedì-venerdì 9-12']);
}

const phoneCall = ['report', 'new', '--type', 'problem', '--channel', 'phone', '--received-at', '2026-11-20T09:30', '--subject', 'Buca in via Roma', '--description', 'Buca profonda davanti al civico 12', '--location', 'Via Roma 12', '--first-name', 'Nicolò', '--last-name', 'Rossi', '--phone', '333 1234567', '--email', 'nicolo.rossi@example.it'];

const outbox = () => query<{ id: number; kind: string; status: string; message_id: string; attempts: number; next_attempt_at: string | null; last_error: string | null; to_address: string | null }>(workspace.db, 'select * from outbox order by id');

describe('a report from a phone call to the reply, by mail', () => {
  it('sends the receipt, the assignment and the reply, and records each on the timeline', async () => {
    await setUp();
    const report = (await ok(phoneCall)).trim();
    expect(report).toBe(number(1));

    let send = await urp(['mail', 'send']);
    expect(send.code, send.stderr).toBe(0);
    expect(send.stderr).toContain('sent 1, still pending 0, failed 0');
    await server.waitFor(1);
    const receipt = server.received[0]!;
    expect(receipt.user).toBe('urp');
    expect(receipt.to).toEqual(['nicolo.rossi@example.it']);
    expect(receipt.from).toBe('urp@comune.valdoria.it');
    expect(receipt.parsed.from?.value).toEqual([{ name: 'URP Comune di Valdoria', address: 'urp@comune.valdoria.it' }]);
    expect(receipt.parsed.to && 'value' in receipt.parsed.to ? receipt.parsed.to.value : []).toEqual([{ name: 'Nicolò Rossi', address: 'nicolo.rossi@example.it' }]);
    expect(receipt.parsed.subject).toBe(`Segnalazione ${report} ricevuta`);
    expect(receipt.parsed.messageId).toBe(outbox()[0]!.message_id);
    expect(receipt.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@comune\.valdoria\.it>$/);
    expect(receipt.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    // Accents travel encoded (no 8-bit text on the wire) and arrive intact.
    expect(receipt.raw).toMatch(/=\?UTF-8\?[QB]\?/i);
    expect(receipt.raw).toMatch(/Content-Transfer-Encoding: (quoted-printable|base64)/i);
    expect(receipt.raw).not.toContain('Nicolò');
    expect(receipt.parsed.text).toContain('Gentile Nicolò Rossi,');
    // Received Friday 20/11 09:30: the reply is due Monday 21 December (20/12 is a Sunday).
    expect(receipt.parsed.text).toContain("l'ufficio le risponderà entro il 21 dicembre 2026 (30 giorni)");
    expect(receipt.parsed.text).toContain('Telefono: 0331 123456');
    expect(receipt.parsed.text).toContain('Orari: lunedì-venerdì 9-12');
    // The office's e-mail was never set: its line is left out.
    expect(receipt.parsed.text).not.toContain('E-mail:');

    await ok(['report', 'assign', report, '--area', 'strade']);
    expect((await urp(['mail', 'send'])).code).toBe(0);
    await server.waitFor(2);
    const assignment = server.received[1]!;
    expect(assignment.to).toEqual(['strade@comune.valdoria.it']);
    expect(assignment.parsed.subject).toBe(`Segnalazione ${report} assegnata all'area Strade e marciapiedi`);
    expect(assignment.parsed.text).toContain('Alla cortese attenzione di Ing. Ferretti,');
    expect(assignment.parsed.text).toContain('Luogo: Via Roma 12');
    expect(assignment.parsed.text).toContain(`urp report ack ${report}`);
    // What the area may not read: the citizen's phone, e-mail and (with the setting off) name.
    expect(assignment.raw).not.toMatch(/1234567|nicolo\.rossi|Nicol/);
    expect(assignment.parsed.text).not.toContain('Cittadino:');

    await ok(['report', 'reply', report, '--text', 'La buca è stata chiusa il 24/11: grazie della segnalazione.', '--outcome', 'risolta', '--via', 'email']);
    send = await urp(['mail', 'send', '--json']);
    expect(send.code).toBe(0);
    expect(JSON.parse(send.stdout)).toMatchObject({ sent: [{ kind: 'reply', report, channel: 'email', outcome: 'sent' }], pending: [], failed: [], stillWaiting: 0 });
    await server.waitFor(3);
    const reply = server.received[2]!;
    expect(reply.to).toEqual(['nicolo.rossi@example.it']);
    expect(reply.parsed.subject).toBe(`Risposta alla segnalazione ${report}`);
    expect(reply.parsed.text).toContain('La buca è stata chiusa il 24/11: grazie della segnalazione.');
    expect(reply.parsed.text).toContain('Esito: risolta');
    expect(new Set(server.received.map((message) => message.parsed.messageId)).size).toBe(3);

    // The timeline says to whom and when, by the outbox row; the events themselves hold no address.
    const events = query<{ kind: string; text: string }>(workspace.db, "select kind, text from report_events where kind = 'message_sent' order by id");
    expect(events).toHaveLength(3);
    for (const event of events) expect(event.text).not.toContain('@example.it');
    expect(events[0]!.text).toMatch(/^outbox 1: receipt to citizen by email, Message-ID <.+@comune\.valdoria\.it>$/);
    const show = await ok(['report', 'show', report]);
    expect(show).toMatch(/Messages\n\s+\S+\s+receipt to the citizen by e-mail \(nicolo\.rossi@example\.it\) — sent \S+\n\s+\S+\s+assignment to the area by e-mail \(strade@comune\.valdoria\.it\) — sent/);
    expect(show).toMatch(new RegExp(`message sent — reply to the citizen by e-mail \\(nicolo\\.rossi@example\\.it\\), Message-ID <[^>]+>  \\[${ME} for test-clerk\\]`));
    const kinds = JSON.parse(await ok(['report', 'show', report, '--json'])).timeline.map((event: { kind: string }) => event.kind);
    expect(kinds).toEqual(['registered', 'message_sent', 'assigned', 'message_sent', 'acknowledged', 'answered', 'message_sent']);
    const list = JSON.parse(await ok(['outbox', 'list', '--json']));
    expect(list.map((message: { kind: string; status: string }) => `${message.kind} ${message.status}`)).toEqual(['reply sent', 'assignment sent', 'receipt sent']);
    // The register's own rules still hold with the new events in the timeline.
    expect(await ok(['db', 'check'])).toBe('');
  });

  it('queues nothing while mail is not set up, and says "no address" for a citizen without e-mail', async () => {
    await ok(['init']);
    await ok(phoneCall);
    expect(outbox()).toEqual([]);
    await ok(['config', 'set', 'mail-smtp', `smtp://localhost:${server.port}`]);
    await ok(['config', 'set', 'mail-from', 'urp@comune.valdoria.it']);
    await ok(['report', 'new', '--type', 'complaint', '--channel', 'counter', '--subject', 'Rumore notturno', '--first-name', 'Anna', '--last-name', 'Neri', '--phone', '0331 765432']);
    expect(outbox().map((row) => `${row.kind} ${row.status} ${row.to_address}`)).toEqual(['receipt no_address null']);
    expect(await ok(['report', 'show', number(2)])).toContain('receipt to the citizen — not sent: no address');
    const send = await urp(['mail', 'send']);
    expect(send.code).toBe(0);
    expect(server.received).toHaveLength(0);
  });
});

describe('delivery when things go wrong', () => {
  it('server down: the message stays pending with a retry time, exit 3', async () => {
    await setUp(await closedPort());
    await ok(phoneCall);
    const before = Date.now();
    const send = await urp(['mail', 'send']);
    expect(send.code).toBe(3);
    expect(send.stderr).toMatch(/message 1 \(receipt, \d{4}\/000001\) not sent yet, retried from .*ECONNREFUSED/);
    const [row] = outbox();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    // The first retry is a minute later.
    expect(Date.parse(row!.next_attempt_at!) - before).toBeGreaterThanOrEqual(59_000);
    expect(Date.parse(row!.next_attempt_at!) - before).toBeLessThan(120_000);
    // Not due yet: the next run does not try it, and still says something waits.
    expect((await urp(['mail', 'send'])).code).toBe(3);
    expect(outbox()[0]!.attempts).toBe(1);
  });

  it('a 4xx, then success on the retry, with the same Message-ID', async () => {
    await setUp();
    await ok(phoneCall);
    server.recipientAnswers.push({ code: 451, text: '4.3.0 Mailbox temporarily unavailable' });
    expect((await urp(['mail', 'send'])).code).toBe(3);
    const first = outbox()[0]!;
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.last_error).toContain('451');
    expect(server.received).toHaveLength(0);
    // Time passes: the retry time comes.
    execute(workspace.db, "update outbox set next_attempt_at = '2000-01-01T00:00:00.000Z'");
    expect((await urp(['mail', 'send'])).code).toBe(0);
    await server.waitFor(1);
    expect(server.received[0]!.parsed.messageId).toBe(first.message_id);
    expect(outbox()[0]).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('a 5xx: failed with the server\'s reply; retried by hand once the address is corrected', async () => {
    await setUp();
    await ok(phoneCall);
    server.recipientAnswers.push({ code: 550, text: '5.1.1 No such user here' });
    const send = await urp(['mail', 'send']);
    expect(send.code).toBe(3);
    expect(send.stderr).toContain('message 1 (receipt, ');
    expect(send.stderr).toContain('failed: 550 5.1.1 No such user here');
    expect(outbox()[0]).toMatchObject({ status: 'failed', last_error: '550 5.1.1 No such user here' });
    // Failed in an earlier run: nothing waits now.
    expect((await urp(['mail', 'send'])).code).toBe(0);
    expect((await ok(['report', 'show', number(1)]))).toContain('could not be delivered: 550 5.1.1 No such user here');

    await ok(['citizen', 'update', '1', '--email', 'nicolo.rossi@esempio.it']);
    await ok(['outbox', 'retry', '1']);
    expect((await urp(['outbox', 'retry', '99'])).code).toBe(2);
    expect((await urp(['mail', 'send'])).code).toBe(0);
    await server.waitFor(1);
    expect(server.received[0]!.to).toEqual(['nicolo.rossi@esempio.it']);
    const again = await urp(['outbox', 'retry', '1']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('message 1 is sent');
  });

  it('wrong credentials: exit 2, the message kept pending and its attempt not counted', async () => {
    await setUp();
    await ok(phoneCall);
    const send = await urp(['mail', 'send'], { env: { URP_SMTP_PASSWORD: 'sbagliata' } });
    expect(send.code).toBe(2);
    expect(send.stderr).toContain('the server of mail-smtp refused the credentials');
    expect(send.stderr).toContain('535');
    expect(send.stderr).not.toContain('sbagliata');
    expect(outbox()[0]).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: null });
    // Without any credentials the server refuses the sender: a setup problem too.
    const anonymous = await urp(['mail', 'send'], { env: { URP_SMTP_USER: undefined, URP_SMTP_PASSWORD: undefined } });
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('refused the sender');
    expect((await urp(['mail', 'send'])).code).toBe(0);
  });

  it('STARTTLS is required: a server that does not offer it is refused, exit 2', async () => {
    const plain = await startSmtpServer({ certificate, noStartTls: true });
    try {
      await setUp(plain.port);
      await ok(phoneCall);
      const send = await urp(['mail', 'send']);
      expect(send.code).toBe(2);
      expect(send.stderr).toContain('no secure connection to the server of mail-smtp');
      expect(plain.received).toHaveLength(0);
      expect(outbox()[0]).toMatchObject({ status: 'pending', attempts: 0 });
    } finally {
      await plain.close();
    }
  });

  it('?starttls=off, for a relay on the same machine: plain SMTP, no credentials', async () => {
    const relay = await startSmtpServer({ certificate, noStartTls: true, authOptional: true });
    try {
      await setUp(relay.port, `smtp://localhost:${relay.port}?starttls=off`);
      await ok(phoneCall);
      const send = await urp(['mail', 'send'], { env: { URP_SMTP_USER: undefined, URP_SMTP_PASSWORD: undefined } });
      expect(send.code, send.stderr).toBe(0);
      await relay.waitFor(1);
      expect(relay.received[0]!.user).toBeUndefined();
    } finally {
      await relay.close();
    }
  });

  it('a server that never answers: a timeout, pending', async () => {
    const silent = await startSilentServer();
    try {
      await setUp(silent.port, `smtp://localhost:${silent.port}?timeout=1`);
      await ok(phoneCall);
      const send = await urp(['mail', 'send']);
      expect(send.code).toBe(3);
      expect(outbox()[0]).toMatchObject({ status: 'pending', attempts: 1 });
      expect(outbox()[0]!.last_error).toBe('Greeting never received');
    } finally {
      await silent.close();
    }
  });

  it('a password file readable by others is refused, an owner-only one is used', async () => {
    await setUp();
    await ok(phoneCall);
    const file = join(workspace.dir, 'smtp-password');
    writeFileSync(file, 'segreta\n');
    chmodSync(file, 0o644);
    const env = { URP_SMTP_PASSWORD: undefined, URP_SMTP_PASSWORD_FILE: file };
    const open = await urp(['mail', 'send'], { env });
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('can be read by others (mode 644): a password must be readable by its owner only (chmod 600)');
    chmodSync(file, 0o600);
    expect((await urp(['mail', 'send'], { env })).code).toBe(0);
    await server.waitFor(1);
  });
});

/** Starts `urp mail send` and returns the child, to kill it. */
function startSend(extra: string[] = []) {
  const child = spawn(process.execPath, [URP_BIN, '--db', workspace.db, 'mail', 'send', ...extra], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', URP_OPERATOR: 'cron', NODE_EXTRA_CA_CERTS: certificate.certPath, ...credentials },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

describe('crashes and overlapping senders', () => {
  it('SIGKILL after the server took the message: nothing is lost, the resend reuses the Message-ID', async () => {
    await setUp();
    await ok(phoneCall);
    const sender = startSend();
    // The server has the whole message; the sender dies before it can record that.
    server.onMessage = () => {
      sender.child.kill('SIGKILL');
    };
    const killed = await sender.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(server.received).toHaveLength(1);
    expect(outbox()[0]).toMatchObject({ status: 'sending' });
    server.onMessage = undefined;

    // The claim's process is gone: the next run takes it over at once.
    const resend = await urp(['mail', 'send']);
    expect(resend.code, resend.stderr).toBe(0);
    await server.waitFor(2);
    expect(server.received[1]!.parsed.messageId).toBe(server.received[0]!.parsed.messageId);
    expect(outbox()[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(query(workspace.db, "select id from report_events where kind = 'message_sent'")).toHaveLength(1);
  });

  it('two senders at once never send the same message twice', async () => {
    await setUp();
    for (let index = 0; index < 6; index++) await ok([...phoneCall.slice(0, -2), '--email', `persona${index}@example.it`]);
    server.dataDelayMs = 300;
    const [first, second] = [startSend(), startSend()];
    const results = await Promise.all([first.done, second.done]);
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    expect(server.received).toHaveLength(6);
    expect(new Set(server.received.map((message) => message.parsed.messageId)).size).toBe(6);
    expect(outbox().every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    // Between them they sent each message once.
    const sent = results.map((result) => Number(/sent (\d+),/.exec(result.stderr)?.[1]));
    expect(sent[0]! + sent[1]!).toBe(6);
  });

  it('--watch sends as messages arrive and stops on SIGTERM', async () => {
    await setUp();
    const watcher = startSend(['--watch', '--interval', '1']);
    await ok(phoneCall);
    await server.waitFor(1);
    watcher.child.kill('SIGTERM');
    const ended = await watcher.done;
    expect(ended.code).toBe(0);
    expect(ended.stderr).toContain('sent 1, still pending 0, failed 0');
  });
});

describe('PEC and the digests', () => {
  it('a reply --via pec goes through the PEC provider to the citizen\'s PEC address', async () => {
    const pec = await startSmtpServer({ certificate, users: { 'urp@pec.comune.valdoria.it': 'pec-segreta' } });
    try {
      await setUp();
      await ok(['config', 'set', 'pec-smtp', `smtp://localhost:${pec.port}`]);
      await ok(['config', 'set', 'pec-from', 'urp@pec.comune.valdoria.it']);
      await ok([...phoneCall, '--pec', 'nicolo.rossi@pec.example.it', '--area', 'strade']);
      await ok(['report', 'reply', number(1), '--text', 'Lavori eseguiti.', '--outcome', 'resolved', '--via', 'pec']);
      const env = { URP_PEC_USER: 'urp@pec.comune.valdoria.it', URP_PEC_PASSWORD: 'pec-segreta' };
      expect((await urp(['mail', 'send'], { env })).code).toBe(0);
      await pec.waitFor(1);
      expect(pec.received.map((message) => message.to)).toEqual([['nicolo.rossi@pec.example.it']]);
      expect(pec.received[0]!.parsed.subject).toBe(`Risposta alla segnalazione ${number(1)}`);
      expect(pec.received[0]!.parsed.messageId).toMatch(/@pec\.comune\.valdoria\.it>$/);
      // The receipt and the assignment went by ordinary e-mail.
      expect(server.received.map((message) => message.to[0])).toEqual(['nicolo.rossi@example.it', 'strade@comune.valdoria.it']);
      expect(await ok(['report', 'show', number(1)])).toContain('reply to the citizen by PEC (nicolo.rossi@pec.example.it) — sent');
    } finally {
      await pec.close();
    }
  });

  it('mail digest: to each area its late and due reports, to URP those to assign; once a day', async () => {
    await setUp();
    await ok(['config', 'set', 'urp-email', 'urp@comune.valdoria.it']);
    const asOf = '2026-11-30T08:00';
    // Received on 20/10: past its reply deadline on 30/11; assigned.
    await ok([...phoneCall.slice(0, 6), '--received-at', '2026-10-20T09:00', ...phoneCall.slice(8), '--area', 'strade']);
    // Received on 28/11, not yet assigned, late to assign by 30/11.
    await ok(['report', 'new', '--type', 'complaint', '--channel', 'phone', '--received-at', '2026-11-28T07:00', '--subject', 'Lampione spento', '--first-name', 'Anna', '--last-name', 'Neri', '--email', 'anna@example.it']);
    execute(workspace.db, 'delete from outbox');

    const digest = await urp(['mail', 'digest', '--as-of', asOf, '--json']);
    expect(digest.code, digest.stderr).toBe(0);
    expect(JSON.parse(digest.stdout)).toMatchObject({ queued: 2, alreadyQueued: 0, withoutAddress: [] });
    expect(JSON.parse((await urp(['mail', 'digest', '--as-of', asOf, '--json'])).stdout)).toMatchObject({ queued: 0, alreadyQueued: 2 });
    expect((await urp(['mail', 'send'])).code).toBe(0);
    await server.waitFor(2);
    const [area, office] = server.received;
    expect(area!.to).toEqual(['strade@comune.valdoria.it']);
    expect(area!.parsed.subject).toBe('Area Strade e marciapiedi: segnalazioni in ritardo e in scadenza al 30 novembre 2026');
    expect(area!.parsed.text).toMatch(new RegExp(`In ritardo nella risposta \\(1\\):\\n  ${number(1)}  scadenza 19 novembre 2026  Buca in via Roma`));
    expect(area!.parsed.text).not.toContain('Lampione');
    expect(office!.to).toEqual(['urp@comune.valdoria.it']);
    expect(office!.parsed.text).toMatch(new RegExp(`\\(1\\):\\n  ${number(2)}  scadenza 30 novembre 2026 alle ore 07:00  Lampione spento`));
    // No citizen data in a digest.
    for (const message of server.received) expect(message.raw).not.toMatch(/Nicol|Neri|example\.it/);
  });
});
