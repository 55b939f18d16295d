import http from 'node:http';
import https from 'node:https';

/** PEM client certificate and key (mutual TLS), and optionally the CA that signed the server's certificate. */
export type ClientTls = { cert: string; key: string; ca?: string };

export type JsonRequest = {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | null;
  timeoutMs: number;
  tls?: ClientTls | null;
};

export type JsonAnswer = { status: number; text: string };

/** Why a request got no answer: timed out, or no connection (refused, reset, TLS refused). */
export class NoAnswerError extends Error {
  constructor(readonly reason: 'timeout' | 'unreachable') {
    super(reason === 'timeout' ? 'timeout' : 'unreachable');
    this.name = 'NoAnswerError';
  }
}

const MAX_ANSWER = 1_000_000;

/**
 * One HTTP(S) request to a city system with a whole-request timeout, no redirects, and, when `tls` is given, the
 * client certificate presented (mutual TLS; node:https, so no extra dependency). Resolves with the status and the
 * body's text (at most 1 MB); rejects with NoAnswerError. Never logs the URL, headers or body.
 */
export function jsonRequest(r: JsonRequest): Promise<JsonAnswer> {
  const url = new URL(r.url);
  const isHttps = url.protocol === 'https:';
  const headers: Record<string, string> = { accept: 'application/json', ...r.headers };
  const body = r.body ?? null;
  if (body !== null) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (reason: 'timeout' | 'unreachable') => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new NoAnswerError(reason));
    };
    const options: https.RequestOptions = { method: r.method, headers, agent: false };
    if (isHttps && r.tls) Object.assign(options, { cert: r.tls.cert, key: r.tls.key, ...(r.tls.ca ? { ca: r.tls.ca } : {}) });
    const req = (isHttps ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER) fail('unreachable');
        else chunks.push(c);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', () => fail('unreachable'));
    });
    const timer = setTimeout(() => fail('timeout'), r.timeoutMs);
    timer.unref();
    req.on('error', () => {
      clearTimeout(timer);
      fail('unreachable');
    });
    if (body !== null) req.write(body);
    req.end();
  });
}
