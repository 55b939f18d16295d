import crypto from 'node:crypto';
import net from 'node:net';
import type { ResumeCommand } from '../../ports/telephony/sip/kamailio-client';

type Log = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

/** A message Kamailio sends on the evapi connection (deploy/telephony/kamailio.cfg), JSON, not yet validated. */
export type EvapiMessage = Record<string, unknown> & { type?: unknown };

const RECONNECT_MS = 1_000;
const RESUME_TIMEOUT_MS = 2_000;
const MAX_FRAME = 64 * 1024;

/** Netstring framing (evapi's `netstring_format`): `<byte length>:<payload>,`. */
export function netstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

/**
 * Splits a stream of netstrings: returns the complete payloads and the unread rest. Throws on a malformed frame (the
 * connection is then closed: it is not Kamailio's evapi).
 */
export function readNetstrings(buffer: Buffer): { payloads: string[]; rest: Buffer } {
  const payloads: string[] = [];
  let at = 0;
  for (;;) {
    const colon = buffer.indexOf(0x3a, at);
    if (colon < 0) {
      if (buffer.length - at > 10) throw new Error('evapi: malformed netstring length');
      break;
    }
    const lengthText = buffer.subarray(at, colon).toString('latin1');
    if (!/^\d{1,6}$/.test(lengthText)) throw new Error('evapi: malformed netstring length');
    const length = Number(lengthText);
    if (length > MAX_FRAME) throw new Error('evapi: netstring too long');
    const end = colon + 1 + length;
    if (buffer.length < end + 1) break;
    if (buffer[end] !== 0x2c) throw new Error('evapi: netstring without its comma');
    payloads.push(buffer.subarray(colon + 1, end).toString('utf8'));
    at = end + 1;
  }
  return { payloads, rest: buffer.subarray(at) };
}

/** The proof of the shared secret for one nonce, by side (kamailio.cfg computes the same with {s.sha256}). */
export function evapiProof(side: 'onecall' | 'kamailio', nonce: string, secret: string): string {
  return crypto.createHash('sha256').update(`${side}:${nonce}:${secret}`).digest('hex');
}

/**
 * OneCall's persistent TCP connection to Kamailio's evapi socket (issue #17, 100 calls/s): Kamailio sends each new
 * call's route request on it with the transaction suspended and the call events fire-and-forget, so no Kamailio worker
 * waits on OneCall; OneCall answers route requests (`routed`, with the transaction's index and label) and resumes
 * waiting calls (`resume` → `resume_status`) on it.
 *
 * Both sides prove the shared secret before anything else: OneCall's hello carries a fresh nonce and
 * sha256("onecall:" nonce ":" secret) (never the secret itself), Kamailio answers with sha256("kamailio:" nonce ":"
 * secret); messages before the welcome are dropped. Kamailio listens on loopback only and refuses replayed nonces.
 * Reconnects every second while down; meanwhile Kamailio falls back to HTTP (route service, event posts).
 */
export class KamailioEvapi {
  private socket: net.Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private nonce = '';
  private proven = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (status: number) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }>();
  private readyWaiters: Array<() => void> = [];
  /** Messages of this turn of the event loop, written together (one system call for many: 100 calls/s). */
  private outbox: Buffer[] = [];

  constructor(
    private readonly address: { host: string; port: number },
    private readonly secret: string,
    private readonly onMessage: (message: EvapiMessage) => void,
    private readonly log: Log,
  ) {}

  /** Connected and both sides proven: resumes can go on this connection. */
  get isReady(): boolean {
    return this.proven && this.socket !== null && !this.socket.destroyed;
  }

  start(): void {
    this.connect();
  }

  /** Resolves once the connection is proven, or after `ms` (false: still not). */
  async ready(ms: number): Promise<boolean> {
    if (this.isReady) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.isReady), ms);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  send(message: Record<string, unknown>): boolean {
    if (!this.isReady) return false;
    if (this.outbox.length === 0) setImmediate(() => this.flush());
    this.outbox.push(netstring(JSON.stringify(message)));
    return true;
  }

  private flush(): void {
    const frames = this.outbox;
    this.outbox = [];
    if (frames.length > 0 && this.socket && !this.socket.destroyed) this.socket.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
  }

  /** As POST /onecall/resume: 200 resumed, 409 not suspended (yet). Rejects when the connection is down or silent. */
  async resume(command: ResumeCommand): Promise<number> {
    const id = ++this.nextId;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`evapi: no answer to resume ${command.callId}`));
      }, RESUME_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      if (!this.send({ type: 'resume', id, ...command })) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new Error('evapi: not connected'));
      }
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.destroy();
    this.failPending(new Error('evapi: closed'));
  }

  private connect(): void {
    if (this.closed) return;
    this.buffer = Buffer.alloc(0);
    this.outbox = [];
    this.proven = false;
    const socket = net.connect({ host: this.address.host, port: this.address.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.nonce = `${Math.floor(Date.now() / 1000)}.${crypto.randomBytes(16).toString('hex')}`;
      socket.write(netstring(JSON.stringify({ type: 'hello', nonce: this.nonce, proof: evapiProof('onecall', this.nonce, this.secret) })));
    });
    socket.on('data', (chunk: Buffer) => this.receive(socket, chunk));
    socket.on('error', () => {
      // 'close' follows: reconnect there (Kamailio not started yet, or restarted).
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      if (this.proven) this.log.warn({}, 'sip: evapi connection to Kamailio lost (HTTP meanwhile)');
      this.proven = false;
      this.socket = null;
      this.failPending(new Error('evapi: connection lost'));
      if (!this.closed) {
        this.timer = setTimeout(() => this.connect(), RECONNECT_MS);
        this.timer.unref();
      }
    });
  }

  private receive(socket: net.Socket, chunk: Buffer): void {
    let payloads: string[];
    try {
      const read = readNetstrings(this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk);
      payloads = read.payloads;
      this.buffer = read.rest;
    } catch (err) {
      this.log.error({ err }, 'sip: evapi stream not understood: closing');
      socket.destroy();
      return;
    }
    for (const payload of payloads) {
      let message: EvapiMessage;
      try {
        message = JSON.parse(payload) as EvapiMessage;
      } catch {
        this.log.warn({}, 'sip: evapi message is not JSON');
        continue;
      }
      if (!message || typeof message !== 'object') continue;
      if (!this.proven) {
        if (message.type === 'welcome' && typeof message['proof'] === 'string' && safeEqual(message['proof'], evapiProof('kamailio', this.nonce, this.secret))) {
          this.proven = true;
          this.log.info({}, 'sip: evapi connection to Kamailio proven');
          for (const w of this.readyWaiters.splice(0)) w();
        } else {
          this.log.error({}, 'sip: evapi peer did not prove the shared secret: closing');
          socket.destroy();
          return;
        }
        continue;
      }
      if (message.type === 'resume_status') {
        const waiter = this.pending.get(Number(message['id']));
        if (waiter) {
          this.pending.delete(Number(message['id']));
          clearTimeout(waiter.timer);
          waiter.resolve(Number(message['status']));
        }
        continue;
      }
      this.onMessage(message);
    }
  }

  private failPending(err: Error): void {
    for (const [id, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      this.pending.delete(id);
      waiter.reject(err);
    }
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
