import { describe, expect, it } from 'vitest';
import { asaSecondsOf, Counters, serviceLevelOf, toKpiEvents } from './counters';
import { contactFixture } from './rooms.fixtures';

const FRIDAY = Date.parse('2026-11-27T10:00:00+09:00');

describe('Counters (live KPIs of the wallboard)', () => {
  it('counts offered, answered within and after the SL target, abandons and callbacks, per queue and in all', () => {
    const k = new Counters(20_000);
    k.rollDay(FRIDAY);
    const a = contactFixture({ id: 'a', queueId: 'tax' });
    const b = contactFixture({ id: 'b', queueId: 'tax' });
    const c = contactFixture({ id: 'c', queueId: 'civil' });
    const d = contactFixture({ id: 'd', queueId: 'civil' });
    for (const x of [a, b, c, d]) k.queued(x, FRIDAY);
    k.answered(a, 5_000);
    k.answered(b, 30_000);
    k.abandoned(c, 3_000); // short: not against the service level
    k.abandoned(d, 25_000);
    k.callbackRequested(a);
    expect(k.centre).toMatchObject({ offered: 4, answered: 2, answeredWithin: 1, abandoned: 1, abandonedAfter: 1, shortAbandoned: 1, callbacks: 1 });
    expect(k.ofQueue('tax')).toMatchObject({ offered: 2, answered: 2, answeredWithin: 1 });
    expect(k.ofQueue('nobody')).toMatchObject({ offered: 0 });
    expect(serviceLevelOf(k.centre)).toBeCloseTo(1 / 3);
    expect(asaSecondsOf(k.centre)).toBe(17.5);
    expect(serviceLevelOf(k.ofQueue('nobody'))).toBeNull();
  });

  it('does not count callbacks or calls queued on another day, and starts from zero on a new KST day', () => {
    const k = new Counters(20_000);
    k.rollDay(FRIDAY);
    const yesterday = contactFixture({ countedDay: '2026-11-26' });
    k.answered(yesterday, 1_000);
    k.answered(contactFixture({ kind: 'callback', countedDay: '2026-11-27' }), 1_000);
    expect(k.centre.answered).toBe(0);
    k.queued(contactFixture(), FRIDAY);
    k.rollDay(Date.parse('2026-11-28T00:00:00+09:00'));
    expect(k.day).toBe('2026-11-28');
    expect(k.centre.offered).toBe(0);
  });

  it("keeps each queue's handle time for wait estimates (180 s before its first call)", () => {
    const k = new Counters(20_000);
    expect(k.ahtOf('tax')).toBe(180);
    k.handled('tax', 100);
    k.handled('tax', 200);
    expect(k.ahtOf('tax')).toBe(150);
  });

  it('rebuilds the same figures from the event log (a restart)', () => {
    const k = new Counters(20_000);
    const ev = (id: string, type: string, s: number, data: object | null = { queueId: 'tax' }) => ({ interaction_id: id, type, at: new Date(FRIDAY + s * 1000).toISOString(), actor_id: null, data: data && JSON.stringify(data) });
    k.rebuild([ev('a', 'call_queued', 0), ev('a', 'call_answered', 4), ev('b', 'call_queued', 1), ev('b', 'call_abandoned', 40)], FRIDAY + 60_000);
    expect(k.centre).toMatchObject({ offered: 2, answered: 1, answeredWithin: 1, abandoned: 1, abandonedAfter: 1 });
    expect(k.ofQueue('tax').offered).toBe(2);
    expect(k.day).toBe('2026-11-27');
  });

  it('reads the queue and the disposition from event data, and survives data that is not JSON', () => {
    const [a, b] = toKpiEvents([
      { interaction_id: 'a', type: 'call_dispositioned', at: '2026-11-27T01:00:00.000Z', actor_id: 'u', data: JSON.stringify({ queueId: 'q', outcome: 'resolved', categoryId: 'cat', callerKey: 'k' }) },
      { interaction_id: 'b', type: 'call_queued', at: '2026-11-27T01:00:00.000Z', actor_id: null, data: '{not json' },
      { interaction_id: null, type: 'call_queued', at: '2026-11-27T01:00:00.000Z', actor_id: null, data: null },
    ]);
    expect(a).toMatchObject({ interactionId: 'a', queueId: 'q', agentId: 'u', outcome: 'resolved', categoryId: 'cat', callerKey: 'k' });
    expect(b).toMatchObject({ interactionId: 'b', queueId: null });
  });
});
