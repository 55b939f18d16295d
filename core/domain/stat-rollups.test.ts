import { describe, expect, it } from 'vitest';
import { DAY_MS } from './kst';
import { kstDayOf, kstDayStart } from './statistics';
import { addContribution, addFcr, dayBucket, figuresOfCounts, hourBucket, splitByKstDay, zeroCounts, type DispositionFact, type RollupDelta } from './stat-rollups';
import type { StatContact } from './statistics';

const KST = (s: string) => Date.parse(`${s}+09:00`);

function contact(over: Partial<StatContact>): StatContact {
  return {
    interactionId: 'c1',
    queueId: 'q',
    agentId: 'a1',
    queuedAt: null,
    answeredAt: null,
    abandonedAt: null,
    callbackRequestedAt: null,
    endedAt: null,
    wrapUpEndedAt: null,
    holdMs: 0,
    outcome: null,
    queueExit: null,
    callbackId: null,
    callbackAnsweredAt: null,
    categoryId: null,
    afterHoursAt: null,
    ...over,
  };
}

describe('rollup buckets are the city’s hours and days (KST), whatever the instant', () => {
  it.each([
    ['2026-11-30T23:59:59', '2026-11-30T00:00:00', '2026-11-30T23:00:00'],
    ['2026-12-01T00:00:00', '2026-12-01T00:00:00', '2026-12-01T00:00:00'],
    ['2026-12-01T08:59:59.999', '2026-12-01T00:00:00', '2026-12-01T08:00:00'],
  ])('%s KST: day from %s, hour from %s', (at, day, hour) => {
    expect(dayBucket(KST(at))).toBe(KST(day));
    expect(hourBucket(KST(at))).toBe(KST(hour));
  });

  it('the day bucket is the start of the KST calendar day, for any instant (also before 1970 and at the edges)', () => {
    const edges = [0, -1, 1, 15 * 3_600_000 - 1, 15 * 3_600_000, -9 * 3_600_000, Date.parse('1969-12-31T15:00:00Z')];
    let x = 123_456_789;
    const random = Array.from({ length: 2_000 }, () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31), Math.round((x / 2 ** 31 - 0.3) * 4e12)));
    for (const at of [...edges, ...random]) expect(dayBucket(at), String(at)).toBe(kstDayStart(kstDayOf(at)));
  });

  it('splits an interval at 00:00 KST (15:00 UTC)', () => {
    expect(splitByKstDay(KST('2026-11-30T23:00:00'), KST('2026-12-02T01:30:00'))).toEqual([
      [KST('2026-11-30T00:00:00'), 3_600_000],
      [KST('2026-12-01T00:00:00'), DAY_MS],
      [KST('2026-12-02T00:00:00'), 5_400_000],
    ]);
    expect(splitByKstDay(10, 10)).toEqual([]);
  });
});

describe('a contact’s contribution', () => {
  it('answered within 20 s, handled with hold and after-call work, in the hours of its queue entry and answer', () => {
    const d = new Map<string, RollupDelta>();
    const q = KST('2026-12-01T09:59:50');
    addContribution(d, contact({ queuedAt: q, answeredAt: q + 20_000, queueExit: 'answered', endedAt: q + 200_000, wrapUpEndedAt: q + 230_000, holdMs: 30_000, outcome: 'resolved', categoryId: 'cat' }), 1);
    const queueHour = d.get(`hour|${KST('2026-12-01T09:00:00')}|`)!.counts;
    expect(queueHour).toMatchObject({ offered: 1, answered: 1, answered_in_sl: 1, wait_ms: 20_000, handled: 0 });
    const answerHour = d.get(`hour|${KST('2026-12-01T10:00:00')}|`)!.counts;
    expect(answerHour).toMatchObject({ offered: 0, handled: 1, resolved: 1, handle_ms: 210_000, acw_ms: 30_000 });
    expect(d.get(`task|${KST('2026-12-01T00:00:00')}|cat`)!.counts).toMatchObject({ handled: 1, resolved: 1, handle_ms: 210_000 });
    expect(d.get(`agent|${KST('2026-12-01T00:00:00')}|a1`)!.counts).toMatchObject({ handled: 1, acw_ms: 30_000 });
  });

  it('short and long abandons, callbacks, and what a later event takes back (after − before)', () => {
    const q = KST('2026-12-01T10:00:00');
    const d = new Map<string, RollupDelta>();
    addContribution(d, contact({ queuedAt: q, abandonedAt: q + 4_999, queueExit: 'abandoned' }), 1);
    addContribution(d, contact({ queuedAt: q, abandonedAt: q + 20_001, queueExit: 'abandoned' }), 1);
    const waiting = contact({ queuedAt: q, callbackRequestedAt: q + 8_000, queueExit: 'callback', callbackId: 'cb' });
    addContribution(d, waiting, 1);
    addContribution(d, waiting, -1);
    addContribution(d, { ...waiting, callbackAnsweredAt: q + 15_000 }, 1);
    const k = d.get(`hour|${q}|`)!.counts;
    expect(k).toMatchObject({ offered: 3, short_abandoned: 1, abandoned: 1, abandoned_after_sl: 1, callbacks: 1, callbacks_answered: 1, callbacks_answered_in_sl: 1, callback_wait_ms: 15_000 });
    const f = figuresOfCounts(k);
    expect(f.abandonmentRate).toBe(1 / 2);
    expect(f.serviceLevel).toBe(0);
    expect(f.allCalls.serviceLevel).toBe(1 / 2);
    expect(figuresOfCounts(zeroCounts()).serviceLevel).toBeNull();
  });
});

describe('first-contact resolution per day (7-day window)', () => {
  const t = KST('2026-12-01T10:00:00');
  const d = (id: string, at: number, outcome = 'resolved', callerKey: string | null = 'k'): DispositionFact => ({ interactionId: id, at, callerKey, categoryId: 'c', outcome });

  it('a repeat within 7 days (7 × 24 h included) takes the resolution away; one later does not; no key is unidentified', () => {
    const into = new Map<string, RollupDelta>();
    addFcr(into, [d('a', t), d('b', t + 7 * DAY_MS), d('c', t + 15 * DAY_MS), d('x', t, 'resolved', null)], 1);
    expect(into.get(`fcr|${dayBucket(t)}|`)!.counts).toMatchObject({ fcr_contacts: 1, fcr_resolved: 0, fcr_unidentified: 1 });
    expect(into.get(`fcr|${dayBucket(t + 7 * DAY_MS)}|`)!.counts).toMatchObject({ fcr_contacts: 1, fcr_resolved: 1 }); // the next is 8 days later
    expect(into.get(`fcr|${dayBucket(t + 15 * DAY_MS)}|`)!.counts).toMatchObject({ fcr_contacts: 1, fcr_resolved: 1 });
  });
});
