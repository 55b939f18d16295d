import crypto from 'node:crypto';
import net from 'node:net';
import type { ResumeCommand } from '../../ports/telephony/sip/kamailio-client';

type Log = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

/** A message Kamailio sends on the evapi connection (deploy/telephony/kamailio.cfg), JSON, not yet validated. */
export type EvapiMessage = Record<string, unknown> & { type?: unknown };

const RECONNECT_MS = 1_000;
const RESUME_TIMEOUT_MS = 2_000;
const MAX_FRAME = 64 * 1024;
/** What OneCall writes to acknowledge a chunk when it has nothing else to send (receive): skipped between frames. */
const ACK = Buffer.from(' ');
/** Call events taken per turn of the event loop: a route request that arrives meanwhile waits for at most this many. */
const EVENT_SLICE = 1;

/** Netstring framing (evapi's `netstring_format`): `<byte length>:<payload>,`. */
export function netstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

/**
 * Splits a stream of netstrings: returns the complete payloads and the unread rest. Whitespace between frames is
 * skipped (as Kamailio's reader does: OneCall's acknowledgement is one space). Throws on a malformed frame (the
 * connection is then closed: it is not Kamailio's evapi).
 */
export function readNetstrings(buffer: Buffer): { payloads: string[]; rest: Buffer } {
  const payloads: string[] = [];
  let at = 0;
  for (;;) {
    while (at < buffer.length && (buffer[at] === 0x20 || buffer[at] === 0x0a || buffer[at] === 0x0d || buffer[at] === 0x09)) at++;
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

/**
 * The order OneCall takes Kamailio's messages in (issue #17, route p99 < 20 ms). A route request has a caller waiting
 * ringing and Kamailio's 1 s timer running; a call event (answered, ended, …) has no one waiting. So route requests are
 * delivered as soon as they are read, ahead of the call events read before them, and call events are delivered in
 * slices of {@link EVENT_SLICE}, one slice per turn of the event loop (`schedule`: setImmediate), so that a route
 * request arriving meanwhile waits for one slice at most. Before each slice, `beforeSlice` runs (the connection writes
 * the answers decided since the last one).
 *
 * Order within a call is kept: a call's route request is its first message (Kamailio sends nothing of a call before
 * asking where it goes), so taking it first never passes an earlier message of its own call; call events keep the
 * order they arrived in, among all calls.
 */
export class EvapiInbox {
  private readonly events: EvapiMessage[] = [];
  private head = 0;
  private scheduled = false;

  constructor(
    private readonly deliver: (message: EvapiMessage) => void,
    private readonly schedule: (task: () => void) => void,
    private readonly beforeSlice: () => void = () => undefined,
  ) {}

  /** Call events read but not delivered yet. */
  get waiting(): number {
    return this.events.length - this.head;
  }

  /** Messages read together (one chunk of the stream), in the order Kamailio sent them. */
  take(messages: EvapiMessage[]): void {
    for (const m of messages) {
      if (m.type === 'route') this.deliver(m);
      else this.events.push(m);
    }
    this.scheduleSlice();
  }

  /** Forgets the call events not delivered yet (OneCall is closing). Not on a lost connection: they were read, they count. */
  clear(): void {
    this.events.length = 0;
    this.head = 0;
  }

  private scheduleSlice(): void {
    if (this.scheduled || this.waiting === 0) return;
    this.scheduled = true;
    this.schedule(() => this.slice());
  }

  private slice(): void {
    this.scheduled = false;
    this.beforeSlice();
    for (let n = 0; n < EVENT_SLICE && this.head < this.events.length; n++) this.deliver(this.events[this.head++]!);
    if (this.head === this.events.length || this.head > 1024) {
      this.events.splice(0, this.head);
      this.head = 0;
    }
    this.scheduleSlice();
  }
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
  /** Route requests first, call events in slices (EvapiInbox). */
  private readonly inbox: EvapiInbox;

  constructor(
    private readonly address: { host: string; port: number },
    private readonly secret: string,
    onMessage: (message: EvapiMessage) => void,
    private readonly log: Log,
  ) {
    this.inbox = new EvapiInbox(onMessage, (task) => setImmediate(task), () => this.flush());
  }

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

  /**
   * Sends a message: written with the others of this turn of the event loop, except a route answer (`routed`), which is
   * written at once with whatever waits — a caller rings until Kamailio has it, and the work that follows a decision
   * (its desks' messages) must not go first.
   */
  send(message: Record<string, unknown>): boolean {
    if (!this.isReady) return false;
    if (this.outbox.length === 0 && message['type'] !== 'routed') setImmediate(() => this.flush());
    this.outbox.push(netstring(JSON.stringify(message)));
    if (message['type'] === 'routed') this.flush();
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
    this.inbox.clear();
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
    const messages: EvapiMessage[] = [];
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
      messages.push(message);
    }
    if (this.proven && !socket.destroyed) this.acknowledge(socket);
    if (messages.length > 0) this.inbox.take(messages);
  }

  /**
   * Acknowledges what was just read with a write at once: what waits in the outbox, else one space. Kamailio's evapi
   * socket keeps Nagle's algorithm (evapi_dispatch.c sets no TCP_NODELAY), so its next message waits while the last
   * one is unacknowledged, and Linux delays OneCall's bare ACK (up to 40 ms) in the hope of carrying it on data: route
   * requests waited 14 ms at the median and ~75 ms at p99 in the bench (100 calls/s), 4 ms and ~27 ms with this.
   */
  private acknowledge(socket: net.Socket): void {
    if (this.outbox.length > 0) this.flush();
    else socket.write(ACK);
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
