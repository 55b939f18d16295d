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
  /**
   * A keep-alive agent to reuse connections (department look-ups: one per scheme, see {@link keepAliveAgent}); without
   * one every request opens its own connection (the case-system link, whose deliveries are seconds apart).
   */
  agent?: http.Agent;
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
export async function jsonRequest(r: JsonRequest): Promise<JsonAnswer> {
  try {
    return await requestOnce(r);
  } catch (e) {
    // A kept-alive connection the server closed while it sat idle fails at once with a reset; that request never
    // reached the server, so it is sent once more on a fresh connection (Node marks it `reusedSocket`).
    if (e instanceof StaleConnectionError) return requestOnce(r);
    throw e;
  }
}

class StaleConnectionError extends Error {}

function requestOnce(r: JsonRequest): Promise<JsonAnswer> {
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
    const options: https.RequestOptions = { method: r.method, headers, agent: r.agent ?? false };
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
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!settled && req.reusedSocket && e.code === 'ECONNRESET') {
        settled = true;
        reject(new StaleConnectionError());
        return;
      }
      fail('unreachable');
    });
    if (body !== null) req.write(body);
    req.end();
  });
}

const agents = new Map<'http' | 'https', http.Agent>();

/**
 * The shared keep-alive agent of a scheme for look-ups: a look-up during a call should not pay a TCP (and TLS)
 * handshake each time. Idle connections close after 4 s, before Node's default server keep-alive of 5 s would.
 * Requests with a client certificate do not use it (their TLS options differ per look-up).
 */
export function keepAliveAgent(scheme: 'http' | 'https'): http.Agent {
  let agent = agents.get(scheme);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 32, timeout: 4_000 };
    agent = scheme === 'https' ? new https.Agent(options) : new http.Agent(options);
    agents.set(scheme, agent);
  }
  return agent;
}
