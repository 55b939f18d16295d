import {
  RealtimeServerMessageSchema,
  type AcdOffer,
  type AgentDeskState,
  type RealtimeClientMessage,
  type RealtimeServerMessage,
  type WallboardSnapshot,
} from '../../../core/contracts/acd';
import type { TransferAttempt, TransferCard } from '../../../core/contracts/transfers';

/**
 * The browser side of /api/realtime: one WebSocket per tab, reconnected with capped exponential backoff and jitter,
 * every frame validated with the shared zod schema before anything reads it. Framework-free so that the reconnect
 * rules and the message reducer are unit-tested without a browser (realtime.test.ts); realtime-provider.tsx binds it
 * to React and react-query.
 */

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Backoff before reconnect attempt `attempt` (0-based): 0.5 s, 1 s, 2 s … capped at 30 s, with ±20 % jitter. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, Math.min(attempt, 16)));
  const jitter = 1 + (random() * 0.4 - 0.2);
  return Math.round(base * jitter);
}

/** Parses one frame; anything that is not JSON or not a known server message gives null (and is dropped). */
export function parseServerMessage(data: unknown): RealtimeServerMessage | null {
  if (typeof data !== 'string') return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = RealtimeServerMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The wss:// (or ws://) address of /api/realtime on the page's own origin (the server checks Origin). */
export function realtimeUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/realtime`;
}

/** What the desk and the wallboard know from the socket. */
export type RealtimeState = {
  desk: AgentDeskState | null;
  wallboard: WallboardSnapshot | null;
  /** The last call event of the agent's own call (the caller hung up …), with the time it arrived here. */
  lastCallEvent: Extract<RealtimeServerMessage, { type: 'call.event' }> | null;
  /** Counts offers, so that the desk can ring once per new offer even when two offers carry the same contact. */
  offerSeq: number;
  /** The last `offer` message: it carries the caller card, which the desk state sent just before it may lack. */
  lastOffer: AcdOffer | null;
  lastError: { code: string; message: string } | null;
  /** Warm transfers (issue #11): the official's open incoming cards, and the newest state of any attempt seen. */
  incomingTransfers: TransferCard[];
  lastTransfer: TransferAttempt | null;
  /** Counts 'handoffs.changed' messages: the official's inbox reloads when it moves. */
  handOffsSeq: number;
  /** 감정노동 보호 (issue #14): supervisors' alerts, newest last (the page shows them until dismissed). */
  protectionAlerts: Extract<RealtimeServerMessage, { type: 'protection.alert' }>['alert'][];
  /** Calls waiting in line now and the longest wait (the desk shows them: issue #18 item 2). */
  line: Extract<RealtimeServerMessage, { type: 'line' }> | null;
};

export const EMPTY_REALTIME_STATE: RealtimeState = {
  desk: null,
  wallboard: null,
  lastCallEvent: null,
  offerSeq: 0,
  lastOffer: null,
  lastError: null,
  incomingTransfers: [],
  lastTransfer: null,
  handOffsSeq: 0,
  protectionAlerts: [],
  line: null,
};

/**
 * Applies one server message. Wallboard snapshots older than the one shown are ignored (a late frame after a
 * reconnect must not move the board backwards); an `offer` is merged into the desk state when that state is already
 * the reserved state of the same contact, and otherwise only counted (its `agent.state` carries it too).
 */
export function reduceRealtime(state: RealtimeState, message: RealtimeServerMessage): RealtimeState {
  switch (message.type) {
    case 'agent.state':
      return { ...state, desk: message.state };
    case 'offer': {
      const desk =
        state.desk && state.desk.status === 'reserved' && state.desk.contact?.id === message.offer.contact.id ? { ...state.desk, offer: message.offer } : state.desk;
      return { ...state, desk, offerSeq: state.offerSeq + 1, lastOffer: message.offer };
    }
    case 'call.event':
      return { ...state, lastCallEvent: message };
    case 'wallboard':
      if (state.wallboard && Date.parse(message.snapshot.at) < Date.parse(state.wallboard.at)) return state;
      return { ...state, wallboard: message.snapshot };
    case 'error':
      return { ...state, lastError: { code: message.code, message: message.message } };
    case 'transfer.incoming':
      return { ...state, incomingTransfers: [...state.incomingTransfers.filter((c) => c.attempt.id !== message.card.attempt.id), message.card] };
    case 'transfer.update': {
      const { attempt } = message;
      // A card stays while the official can still act on it (ringing, or talking with the agent).
      const incomingTransfers = state.incomingTransfers.flatMap((c) =>
        c.attempt.id !== attempt.id ? [c] : attempt.status === 'ringing' || attempt.status === 'consulting' ? [{ ...c, attempt }] : [],
      );
      return { ...state, incomingTransfers, lastTransfer: attempt };
    }
    case 'line':
      if (state.line && Date.parse(message.at) < Date.parse(state.line.at)) return state;
      return { ...state, line: message };
    case 'handoffs.changed':
      return { ...state, handOffsSeq: state.handOffsSeq + 1 };
    case 'protection.alert':
      return { ...state, protectionAlerts: [...state.protectionAlerts.slice(-19), message.alert] };
    case 'hello':
    case 'pong':
      return state;
  }
}

/**
 * The offer to show: the desk state's, with the caller card of the `offer` message for the same contact when the
 * desk state came without one (the ACD looks the card up after it reserves the agent, and an HTTP answer carrying
 * the reserved state may arrive after the socket's messages).
 */
export function offerWithCard(deskOffer: AcdOffer | null, lastOffer: AcdOffer | null): AcdOffer | null {
  if (!deskOffer || deskOffer.callerCard || !lastOffer?.callerCard) return deskOffer;
  if (lastOffer.contact.id !== deskOffer.contact.id || lastOffer.offeredAt !== deskOffer.offeredAt) return deskOffer;
  return { ...deskOffer, callerCard: lastOffer.callerCard };
}

/** The smallest part of the browser's WebSocket the connection uses (tests pass a fake). */
export type SocketLike = {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
};

export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
};

export type RealtimeConnectionOptions = {
  url: string;
  createSocket: (url: string) => SocketLike;
  onMessage: (message: RealtimeServerMessage) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** Called on every successful (re)connect: refetch what may have changed while the socket was down. */
  onOpen?: (isReconnect: boolean) => void;
  timers?: Timers;
  random?: () => number;
  /** Keep-alive ping; also detects a half-open socket (no pong within two intervals → reconnect). */
  pingIntervalMs?: number;
};

const OPEN = 1;
/** Close codes after which trying again cannot help (policy violation: not signed in or wrong origin). */
const FINAL_CLOSE_CODES = new Set([1008, 4401, 4403]);

const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (h) => globalThis.clearInterval(h as ReturnType<typeof setInterval>),
};

/** One WebSocket to /api/realtime that keeps itself connected until `stop()`. */
export class RealtimeConnection {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private lastHeard = 0;
  private stopped = true;
  private hasOpened = false;
  private status: ConnectionStatus = 'closed';
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly pingIntervalMs: number;

  constructor(private readonly options: RealtimeConnectionOptions) {
    this.timers = options.timers ?? browserTimers;
    this.random = options.random ?? Math.random;
    this.pingIntervalMs = options.pingIntervalMs ?? 25_000;
  }

  get currentStatus(): ConnectionStatus {
    return this.status;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      socket.onopen = null;
      socket.close(1000, 'bye');
    }
    this.setStatus('closed');
  }

  /** Sends a client message when the socket is open; returns false otherwise (nothing is queued). */
  send(message: RealtimeClientMessage): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Reconnect at once (e.g. the browser came back online) instead of waiting out the backoff. */
  retryNow(): void {
    if (this.stopped || this.socket) return;
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  private connect(): void {
    this.setStatus(this.hasOpened || this.attempt > 0 ? 'reconnecting' : 'connecting');
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      const isReconnect = this.hasOpened;
      this.hasOpened = true;
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.setStatus('open');
      this.startPing();
      this.options.onOpen?.(isReconnect);
    };
    socket.onmessage = (ev) => {
      this.lastHeard = Date.now();
      const message = parseServerMessage(ev.data);
      if (message) this.options.onMessage(message);
    };
    socket.onerror = () => {
      // onclose follows and decides.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      if (this.stopped) return;
      if (FINAL_CLOSE_CODES.has(ev.code)) {
        this.stopped = true;
        this.setStatus('closed');
        return;
      }
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.setStatus('reconnecting');
    const delay = reconnectDelayMs(this.attempt, this.random);
    this.attempt += 1;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = this.timers.setInterval(() => {
      const socket = this.socket;
      if (!socket) return;
      if (Date.now() - this.lastHeard > this.pingIntervalMs * 2) {
        // Half-open: nothing heard for two intervals. Close and let onclose reconnect.
        socket.close(4000, 'silent');
        return;
      }
      this.send({ type: 'ping' });
    }, this.pingIntervalMs);
  }

  private stopPing(): void {
    if (this.pingTimer !== null) this.timers.clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private clearTimers(): void {
    this.stopPing();
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}
