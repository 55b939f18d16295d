import { describe, expect, it } from 'vitest';
import type { AgentDeskState, AcdOffer, WallboardSnapshot } from '../../../core/contracts/acd';
import {
  EMPTY_REALTIME_STATE,
  RealtimeConnection,
  offerWithCard,
  parseServerMessage,
  realtimeUrl,
  reconnectDelayMs,
  reduceRealtime,
  type ConnectionStatus,
  type SocketLike,
  type Timers,
} from './realtime';

const AGENT = '01935f3e-0000-7000-8000-000000000001';
const CONTACT = '01935f3e-0000-7000-8000-0000000000c1';

function desk(patch: Partial<AgentDeskState> = {}): AgentDeskState {
  return {
    agentId: AGENT,
    status: 'available',
    since: '2026-11-27T01:00:00.000Z',
    reason: null,
    pendingNotReady: null,
    pendingLogout: false,
    missedOffers: 0,
    timerEndsAt: null,
    contact: null,
    offer: null,
    allowedActions: ['set_not_ready', 'logout'],
    callsHandledToday: 0,
    ...patch,
  };
}

function offer(): AcdOffer {
  return {
    contact: {
      id: CONTACT,
      kind: 'call',
      queueId: '01935f3e-0000-7000-8000-0000000000a1',
      queueName: '세무',
      queueCode: 'TAX',
      status: 'reserved',
      callerNumber: '010-****-1234',
      dialledNumber: '120',
      ivrChoice: '1',
      priority: 0,
      enteredAt: '2026-11-27T01:00:00.000Z',
      agentId: AGENT,
    },
    offeredAt: '2026-11-27T01:00:05.000Z',
    expiresAt: '2026-11-27T01:00:25.000Z',
    callerCard: null,
    callbackNumber: null,
  };
}

function board(at: string, waiting: number): WallboardSnapshot {
  return {
    at,
    day: '2026-11-27',
    isOpen: true,
    nextOpeningAt: null,
    waiting,
    callbacksWaiting: 0,
    longestWaitSeconds: 0,
    offeredToday: 0,
    answeredToday: 0,
    answeredWithinTargetToday: 0,
    abandonedToday: 0,
    shortAbandonedToday: 0,
    callbacksRequestedToday: 0,
    serviceLevelToday: null,
    asaSecondsToday: null,
    serviceLevelTargetSeconds: 20,
    agentsByStatus: {} as WallboardSnapshot['agentsByStatus'],
    queues: [],
    agents: [],
  };
}

describe('reconnectDelayMs', () => {
  it('doubles from 0.5 s and stops at 30 s', () => {
    const mid = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((n) => reconnectDelayMs(n, mid))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('spreads clients by ±20 % so that a restart is not a stampede', () => {
    expect(reconnectDelayMs(3, () => 0)).toBe(3200);
    expect(reconnectDelayMs(3, () => 0.999999)).toBe(4800);
  });
});

describe('parseServerMessage', () => {
  it('accepts a valid message and drops junk, unknown types and invalid payloads', () => {
    expect(parseServerMessage(JSON.stringify({ type: 'pong', at: '2026-11-27T01:00:00.000Z' }))).toEqual({ type: 'pong', at: '2026-11-27T01:00:00.000Z' });
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: 'surprise' }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: 'agent.state', state: { status: 'dancing' } }))).toBeNull();
    expect(parseServerMessage(new ArrayBuffer(4))).toBeNull();
  });
});

describe('realtimeUrl', () => {
  it('follows the page: wss on https, ws on http', () => {
    expect(realtimeUrl({ protocol: 'https:', host: 'onecall.go.kr' })).toBe('wss://onecall.go.kr/api/realtime');
    expect(realtimeUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api/realtime');
  });
});

describe('reduceRealtime', () => {
  it('replaces the desk state with every agent.state', () => {
    const s1 = reduceRealtime(EMPTY_REALTIME_STATE, { type: 'agent.state', state: desk() });
    const s2 = reduceRealtime(s1, { type: 'agent.state', state: desk({ status: 'not_ready', reason: 'meal' }) });
    expect(s2.desk?.status).toBe('not_ready');
    expect(s2.desk?.reason).toBe('meal');
  });

  it('counts offers and merges one into the reserved state of the same contact only', () => {
    const o = offer();
    const reserved = reduceRealtime(EMPTY_REALTIME_STATE, { type: 'agent.state', state: desk({ status: 'reserved', contact: o.contact }) });
    const merged = reduceRealtime(reserved, { type: 'offer', offer: o });
    expect(merged.offerSeq).toBe(1);
    expect(merged.desk?.offer).toEqual(o);

    const idle = reduceRealtime(EMPTY_REALTIME_STATE, { type: 'agent.state', state: desk() });
    const counted = reduceRealtime(idle, { type: 'offer', offer: o });
    expect(counted.offerSeq).toBe(1);
    expect(counted.desk?.offer).toBeNull();
  });

  it('never moves the wallboard backwards in time', () => {
    const s1 = reduceRealtime(EMPTY_REALTIME_STATE, { type: 'wallboard', snapshot: board('2026-11-27T01:00:01.000Z', 3) });
    const late = reduceRealtime(s1, { type: 'wallboard', snapshot: board('2026-11-27T01:00:00.500Z', 9) });
    expect(late.wallboard?.waiting).toBe(3);
    const next = reduceRealtime(s1, { type: 'wallboard', snapshot: board('2026-11-27T01:00:01.100Z', 4) });
    expect(next.wallboard?.waiting).toBe(4);
  });

  it('keeps the last call event and the last error; hello and pong change nothing', () => {
    const ev = { type: 'call.event', contactId: CONTACT, event: 'abandoned', at: '2026-11-27T01:00:00.000Z' } as const;
    const s1 = reduceRealtime(EMPTY_REALTIME_STATE, ev);
    expect(s1.lastCallEvent).toEqual(ev);
    const s2 = reduceRealtime(s1, { type: 'error', code: 'BAD_MESSAGE', message: 'x' });
    expect(s2.lastError).toEqual({ code: 'BAD_MESSAGE', message: 'x' });
    expect(reduceRealtime(s2, { type: 'pong', at: '2026-11-27T01:00:00.000Z' })).toBe(s2);
  });
});

describe('offerWithCard', () => {
  const card = {
    citizenId: '01935f3e-0000-7000-8000-0000000000f1',
    phone: '010-7777-1234',
    name: '김*희',
    isKnown: true,
    totalCases: 2,
    lastContactAt: null,
    openHandOffs: [],
    recentCases: [],
  };
  it('adds the card of the offer message to a desk offer of the same ring that lacks it', () => {
    const bare = offer();
    const withCard = { ...offer(), callerCard: card };
    expect(offerWithCard(bare, withCard)?.callerCard).toEqual(card);
    expect(offerWithCard(withCard, null)).toBe(withCard);
    expect(offerWithCard(null, withCard)).toBeNull();
  });
  it('never borrows the card of another contact or of an earlier ring', () => {
    const bare = offer();
    expect(offerWithCard(bare, { ...offer(), callerCard: card, contact: { ...offer().contact, id: '01935f3e-0000-7000-8000-0000000000c2' } })?.callerCard).toBeNull();
    expect(offerWithCard(bare, { ...offer(), callerCard: card, offeredAt: '2026-11-27T00:59:00.000Z' })?.callerCard).toBeNull();
  });
});

/** A fake socket the test opens, feeds and closes by hand. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closedWith: number | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
    this.onclose?.({ code });
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

/** Manual timers: the test decides when time passes. */
class ManualTimers implements Timers {
  now = 0;
  private seq = 0;
  private tasks = new Map<number, { at: number; fn: () => void; every: number | null }>();
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.seq;
    this.tasks.set(id, { at: this.now + ms, fn, every: null });
    return id;
  }
  clearTimeout(h: unknown) {
    this.tasks.delete(h as number);
  }
  setInterval(fn: () => void, ms: number) {
    const id = ++this.seq;
    this.tasks.set(id, { at: this.now + ms, fn, every: ms });
    return id;
  }
  clearInterval(h: unknown) {
    this.tasks.delete(h as number);
  }
  pending(): number[] {
    return [...this.tasks.values()].map((t) => t.at - this.now);
  }
  advance(ms: number) {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.tasks.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, task] = due;
      this.now = task.at;
      if (task.every !== null) task.at += task.every;
      else this.tasks.delete(id);
      task.fn();
    }
    this.now = until;
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const statuses: ConnectionStatus[] = [];
  const opens: boolean[] = [];
  const messages: unknown[] = [];
  const timers = new ManualTimers();
  const conn = new RealtimeConnection({
    url: 'ws://x/api/realtime',
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    onOpen: (again) => opens.push(again),
    timers,
    random: () => 0.5,
    pingIntervalMs: 25_000,
  });
  return { conn, sockets, statuses, opens, messages, timers };
}

describe('RealtimeConnection', () => {
  it('connects, passes valid messages on and drops invalid ones', () => {
    const { conn, sockets, statuses, messages } = setup();
    conn.start();
    expect(statuses).toEqual(['connecting']);
    sockets[0]!.open();
    expect(statuses).toEqual(['connecting', 'open']);
    sockets[0]!.onmessage?.({ data: JSON.stringify({ type: 'pong', at: '2026-11-27T01:00:00.000Z' }) });
    sockets[0]!.onmessage?.({ data: '{"type":"agent.state","state":{}}' });
    expect(messages).toHaveLength(1);
  });

  it('reconnects with growing delays after drops and resets the backoff once connected', () => {
    const { conn, sockets, statuses, opens, timers } = setup();
    conn.start();
    sockets[0]!.drop();
    expect(statuses.at(-1)).toBe('reconnecting');
    expect(timers.pending()).toEqual([500]);
    timers.advance(499);
    expect(sockets).toHaveLength(1);
    timers.advance(1);
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop();
    expect(timers.pending()).toEqual([1000]);
    timers.advance(1000);
    sockets[2]!.drop();
    expect(timers.pending()).toEqual([2000]);
    timers.advance(2000);
    sockets[3]!.open();
    expect(opens).toEqual([false]);
    sockets[3]!.drop();
    // Back to the first step after a successful connection.
    expect(timers.pending()).toEqual([500]);
    timers.advance(500);
    sockets[4]!.open();
    expect(opens).toEqual([false, true]);
    expect(statuses.at(-1)).toBe('open');
  });

  it('stops for good when the server refuses the session, and on stop()', () => {
    const a = setup();
    a.conn.start();
    a.sockets[0]!.drop(1008);
    expect(a.statuses.at(-1)).toBe('closed');
    expect(a.timers.pending()).toEqual([]);

    const b = setup();
    b.conn.start();
    b.sockets[0]!.open();
    b.conn.stop();
    expect(b.sockets[0]!.closedWith).toBe(1000);
    expect(b.statuses.at(-1)).toBe('closed');
    expect(b.timers.pending()).toEqual([]);
    expect(b.conn.send({ type: 'ping' })).toBe(false);
  });

  it('pings while open', () => {
    const { conn, sockets, timers } = setup();
    conn.start();
    sockets[0]!.open();
    timers.advance(25_000);
    expect(sockets[0]!.sent).toEqual([JSON.stringify({ type: 'ping' })]);
    expect(conn.send({ type: 'wallboard.subscribe' })).toBe(true);
  });

  it('retryNow skips the remaining backoff', () => {
    const { conn, sockets, timers } = setup();
    conn.start();
    sockets[0]!.drop();
    conn.retryNow();
    expect(sockets).toHaveLength(2);
    expect(timers.pending()).toEqual([]);
  });
});
