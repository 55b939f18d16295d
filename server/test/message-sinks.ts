import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../ports/telephony/webhook.adapter';

/** How the SMS sink answers one request. */
export type SinkMode = 'ok' | '503' | '400' | 'malformed' | 'hang';

export type ReceivedSms = { body: { id: string; to: string; from: string; text: string; kind: string }; signatureValid: boolean; idempotencyKey: string | undefined };

/**
 * A local SMS gateway for tests and the bench (node:http on 127.0.0.1, a free port): checks every request's signature
 * with the shared secret at `nowMs()`, keeps what it received, and answers by the queued modes (then `fallback`).
 */
export async function startSmsSink(secret: string, nowMs: () => number) {
  const received: ReceivedSms[] = [];
  const modes: SinkMode[] = [];
  const hanging = new Set<http.ServerResponse>();
  const sink = { received, modes, fallback: 'ok' as SinkMode, url: '', close: async () => undefined as void };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let signatureValid = true;
      try {
        verifyWebhook(secret, req.headers[TIMESTAMP_HEADER] as string | undefined, req.headers[SIGNATURE_HEADER] as string | undefined, raw, nowMs());
      } catch {
        signatureValid = false;
      }
      const body = JSON.parse(raw) as ReceivedSms['body'];
      const mode = modes.shift() ?? sink.fallback;
      if (mode === 'hang') {
        hanging.add(res);
        return;
      }
      if (mode === 'ok') received.push({ body, signatureValid, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
      const [status, answer] =
        mode === 'ok' ? [200, JSON.stringify({ messageId: `gw-${body.id}`, status: 'accepted' })]
        : mode === 'malformed' ? [200, JSON.stringify({ ok: true })]
        : [Number(mode), JSON.stringify({ error: 'refused' })];
      res.writeHead(status, { 'content-type': 'application/json' }).end(answer);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  sink.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return sink;
}

export type ReceivedMail = { from: string | undefined; to: string[]; raw: string };

/**
 * A local SMTP server (smtp-server, no TLS, no auth) that keeps every message; recipients in `refuse` get 550. On a
 * free port, or on `port` (the browser journeys' server was told it in advance).
 */
export async function startSmtpSink(port = 0) {
  const received: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) {
        const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
        received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const listening = (server.server.address() as AddressInfo).port;
  return {
    received,
    refuse,
    url: `smtp://127.0.0.1:${listening}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded text of a base64 (or 7bit) single-part message, and its RFC 2047 subject. */
export function readMail(raw: string): { subject: string; text: string; contentType: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1] ?? '';
  const subject = header('Subject').replace(/=\?utf-8\?B\?([^?]*)\?=\s*/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
  const body = rest.join('\n\n');
  const text = /base64/i.test(header('Content-Transfer-Encoding')) ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { subject, text, contentType: header('Content-Type') };
}
