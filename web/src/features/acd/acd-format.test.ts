import { describe, expect, it } from 'vitest';
import { abandonTone, clockDuration, lineWaitTone, offerSecondsLeft, percent, serverNow, serviceLevelTone, waitTone, wallboardAbandonRate } from './acd-format';
import { computeKpis, type KpiEvent } from '../../../../core/domain/kpi';

describe('clockDuration', () => {
  it.each([
    [0, '0:00'],
    [7, '0:07'],
    [59.9, '0:59'],
    [725, '12:05'],
    [3729, '1:02:09'],
    [-5, '0:00'],
  ])('%s s → %s', (s, text) => expect(clockDuration(s)).toBe(text));
});

describe('tones', () => {
  it('colours the service level against 80 %', () => {
    expect([null, 0.95, 0.8, 0.75, 0.7, 0.69].map((v) => serviceLevelTone(v))).toEqual(['none', 'good', 'good', 'warn', 'warn', 'bad']);
    expect(serviceLevelTone(0.85, 0.9)).toBe('warn');
  });
  it('colours abandonment against 5 % and the longest wait against 20 s / 60 s', () => {
    expect([null, 0, 0.05, 0.08, 0.2].map((v) => abandonTone(v))).toEqual(['none', 'good', 'good', 'warn', 'bad']);
    expect([0, 12, 21, 61].map((s) => waitTone(s))).toEqual(['none', 'good', 'warn', 'bad']);
    // A call in line past the target is red at once (#18 item 2).
    expect([0, 10, 16, 21].map((s) => lineWaitTone(s, 20))).toEqual(['none', 'good', 'warn', 'bad']);
  });
  it('rates and percentages', () => {
    expect(wallboardAbandonRate({ offeredToday: 0, abandonedToday: 0, shortAbandonedToday: 0 })).toBeNull();
    expect(wallboardAbandonRate({ offeredToday: 40, abandonedToday: 3, shortAbandonedToday: 0 })).toBe(0.075);
    expect(percent(null)).toBe('—');
    expect(percent(0.876)).toBe('88%');
  });
});

describe('the 포기율 tile divides by the same total as the report (issue #12 §0)', () => {
  it('leaves short abandons out of the offered calls, as computeKpis does', () => {
    const T0 = Date.UTC(2026, 2, 4, 0, 0, 0);
    const at = (s: number) => T0 + s * 1000;
    const events: KpiEvent[] = [];
    const queued = (id: string, s: number) => events.push({ interactionId: id, type: 'call_queued', at: at(s), queueId: 'q' });
    for (let i = 0; i < 8; i++) {
      queued(`a${i}`, i);
      events.push({ interactionId: `a${i}`, type: 'call_answered', at: at(i + 3), agentId: 'x' });
    }
    queued('long', 20);
    events.push({ interactionId: 'long', type: 'call_abandoned', at: at(60) });
    queued('short', 30);
    events.push({ interactionId: 'short', type: 'call_abandoned', at: at(32) });
    const report = computeKpis(events, { from: T0, to: at(3600) });
    const tile = wallboardAbandonRate({ offeredToday: report.offered, abandonedToday: report.abandoned, shortAbandonedToday: report.shortAbandoned });
    expect(tile).toBe(1 / 9);
    expect(tile).toBe(report.abandonmentRate);
  });
});

describe('server time through the browser clock', () => {
  it('adds the time passed since the message arrived, whatever the local clock says', () => {
    const receivedAt = 5_000_000; // a browser clock far from the server's
    expect(serverNow('2026-11-27T01:00:00.000Z', receivedAt, receivedAt + 3_500)).toBe(Date.parse('2026-11-27T01:00:03.500Z'));
    expect(serverNow('2026-11-27T01:00:00.000Z', receivedAt, receivedAt - 10)).toBe(Date.parse('2026-11-27T01:00:00.000Z'));
  });
  it('counts an offer down from its own duration', () => {
    const at = '2026-11-27T01:00:00.000Z';
    const until = '2026-11-27T01:00:20.000Z';
    expect(offerSecondsLeft(at, until, 1000, 1000)).toBe(20);
    expect(offerSecondsLeft(at, until, 1000, 1000 + 4_200)).toBe(16);
    expect(offerSecondsLeft(at, until, 1000, 1000 + 25_000)).toBe(0);
  });
});
