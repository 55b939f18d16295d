import { describe, expect, it } from 'vitest';
import type { ContactFacts } from './kpi';
import {
  agentsReport,
  bucketsOf,
  daysPeriod,
  departmentsReport,
  detectRising,
  heatMap,
  kstDayOf,
  kstMonthStartOf,
  kstNextMonthStartOf,
  periodContaining,
  previousPeriod,
  rangeProblem,
  samePeriodLastYear,
  tasksReport,
  topTopics,
  type CategoryNode,
  type HandOffFact,
  type PeriodKind,
  type StatContact,
} from './statistics';

const at = (iso: string) => Date.parse(iso);

describe('the city calendar (Asia/Seoul)', () => {
  it.each([
    // 00:00 KST on the 1st is 15:00 UTC on the last day of the month before
    ['2026-10-01T00:00:00+09:00', '2026-09-30T15:00:00.000Z', '2026-10-31T15:00:00.000Z'],
    ['2026-10-31T23:59:59+09:00', '2026-09-30T15:00:00.000Z', '2026-10-31T15:00:00.000Z'],
    // 15:00 UTC on Oct 31 is 00:00 KST on Nov 1
    ['2026-10-31T15:00:00Z', '2026-10-31T15:00:00.000Z', '2026-11-30T15:00:00.000Z'],
    ['2026-12-31T20:00:00+09:00', '2026-11-30T15:00:00.000Z', '2026-12-31T15:00:00.000Z'],
    ['2028-02-29T12:00:00+09:00', '2028-01-31T15:00:00.000Z', '2028-02-29T15:00:00.000Z'],
  ])('the KST month of %s starts at %s, the next at %s', (instant, start, next) => {
    expect(new Date(kstMonthStartOf(at(instant))).toISOString()).toBe(start);
    expect(new Date(kstNextMonthStartOf(at(instant))).toISOString()).toBe(next);
  });

  it.each([
    ['day', '2026-12-31', '2026-12-31', '2026-12-31', '2026-12-30T15:00:00.000Z', '2026-12-31T15:00:00.000Z'],
    // 2026-12-02 is a Wednesday: the week runs Monday 11-30 to Sunday 12-06.
    ['week', '2026-12-02', '2026-11-30', '2026-12-06', '2026-11-29T15:00:00.000Z', '2026-12-06T15:00:00.000Z'],
    ['week', '2026-12-06', '2026-11-30', '2026-12-06', '2026-11-29T15:00:00.000Z', '2026-12-06T15:00:00.000Z'],
    ['month', '2028-02-10', '2028-02-01', '2028-02-29', '2028-01-31T15:00:00.000Z', '2028-02-29T15:00:00.000Z'],
    ['year', '2026-07-01', '2026-01-01', '2026-12-31', '2025-12-31T15:00:00.000Z', '2026-12-31T15:00:00.000Z'],
  ] as const)('%s containing %s is %s–%s, [%s, %s) in UTC', (kind, day, fromDay, toDay, from, to) => {
    const p = periodContaining(kind, day);
    expect(p).toEqual({ fromDay, toDay, from: at(from), to: at(to) });
  });

  it.each<[PeriodKind, string, string, string, string]>([
    ['day', '2026-03-01', '2026-03-01', '2026-02-28', '2026-02-28'],
    ['week', '2026-11-30', '2026-12-06', '2026-11-23', '2026-11-29'],
    ['month', '2026-03-01', '2026-03-31', '2026-02-01', '2026-02-28'],
    ['year', '2026-01-01', '2026-12-31', '2025-01-01', '2025-12-31'],
    // A custom range of 10 days: the 10 days just before.
    ['custom', '2026-12-01', '2026-12-10', '2026-11-21', '2026-11-30'],
  ])('previous of %s %s–%s is %s–%s', (kind, fromDay, toDay, prevFrom, prevTo) => {
    const p = previousPeriod(kind, daysPeriod(fromDay, toDay));
    expect([p.fromDay, p.toDay]).toEqual([prevFrom, prevTo]);
  });

  it.each<[PeriodKind, string, string, string, string]>([
    ['day', '2028-02-29', '2028-02-29', '2027-02-28', '2027-02-28'],
    // 364 days earlier: Monday to Sunday again.
    ['week', '2026-11-30', '2026-12-06', '2025-12-01', '2025-12-07'],
    ['month', '2028-02-01', '2028-02-29', '2027-02-01', '2027-02-28'],
    ['year', '2026-01-01', '2026-12-31', '2025-01-01', '2025-12-31'],
    ['custom', '2026-12-01', '2026-12-10', '2025-12-01', '2025-12-10'],
  ])('same period last year of %s %s–%s is %s–%s', (kind, fromDay, toDay, lyFrom, lyTo) => {
    const p = samePeriodLastYear(kind, daysPeriod(fromDay, toDay));
    expect([p.fromDay, p.toDay]).toEqual([lyFrom, lyTo]);
  });

  it('puts 23:59 KST on the last day of a month in that month, 00:00 KST the next in the next', () => {
    const nov = periodContaining('month', '2026-11-15');
    const lastMinute = at('2026-11-30T23:59:59+09:00');
    const firstMinute = at('2026-12-01T00:00:00+09:00');
    expect(lastMinute >= nov.from && lastMinute < nov.to).toBe(true);
    expect(firstMinute < nov.to).toBe(false);
    expect(kstDayOf(lastMinute)).toBe('2026-11-30'); // though it is 14:59 UTC
  });

  it.each([
    ['2026-12-02', '2026-12-01', '2026-12-05', 'reversed'],
    ['2026-12-01', '2026-12-06', '2026-12-05', 'future'],
    ['2023-12-05', '2026-12-05', '2026-12-05', 'too_long'],
    ['2023-12-06', '2026-12-05', '2026-12-05', null],
    ['2026-12-05', '2026-12-05', '2026-12-05', null],
  ])('range %s–%s on %s: %s', (fromDay, toDay, today, problem) => {
    expect(rangeProblem(fromDay, toDay, today)).toBe(problem);
  });

  it('cuts a period into hours, days, weeks and months', () => {
    const p = daysPeriod('2026-11-29', '2026-12-02');
    expect(bucketsOf(p, 'hour')).toHaveLength(96);
    expect(bucketsOf(p, 'hour')[0]!.key).toBe('2026-11-29T00');
    expect(bucketsOf(p, 'day').map((b) => b.key)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    // Weeks clipped to the period: Sunday 11-29 alone, then Monday 11-30 on.
    expect(bucketsOf(p, 'week').map((b) => [b.key, (b.to - b.from) / 86_400_000])).toEqual([
      ['2026-11-23', 1],
      ['2026-11-30', 3],
    ]);
    expect(bucketsOf(p, 'month').map((b) => b.key)).toEqual(['2026-11', '2026-12']);
  });
});

describe('the rising rule', () => {
  const weeks = (counts: number[]) => counts.map((n) => new Map([['snow', n]]));
  it.each([
    // count, history of 8 weeks, rising?
    [12, [1, 0, 2, 1, 0, 1, 1, 2], true], // snow removal on a snowy morning
    [4, [0, 0, 0, 0, 0, 0, 0, 0], false], // under the minimum count
    [20, [18, 22, 19, 21, 20, 17, 23, 20], false], // its usual level
    [9, [2, 2, 3, 2, 2, 3, 2, 2], true],
    [9, [0, 8, 0, 9, 0, 7, 0, 8], false], // a noisy history widens the variance
    [6, [], true], // no history: mean 0, z = 6
  ])('%i now against %j: rising %s', (count, history, isRising) => {
    const rising = detectRising(new Map([['snow', count]]), weeks(history));
    expect(rising.length > 0).toBe(isRising);
  });

  it('orders by z and reports the mean', () => {
    const r = detectRising(new Map([['a', 10], ['b', 30]]), [new Map([['a', 1], ['b', 2]]), new Map([['a', 1], ['b', 2]])]);
    expect(r.map((x) => x.categoryId)).toEqual(['b', 'a']);
    expect(r[1]!.baselineMean).toBe(1);
  });
});

const contact = (over: Partial<StatContact>): StatContact => ({
  interactionId: Math.random().toString(36),
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
});
const handledAt = (t: number, over: Partial<ContactFacts & StatContact> = {}) =>
  contact({ queuedAt: t - 10_000, answeredAt: t, endedAt: t + 100_000, wrapUpEndedAt: t + 120_000, queueExit: 'answered', ...over });

describe('reports from per-contact facts', () => {
  const tree: CategoryNode[] = [
    { id: 'F1', parentId: null, level: 1, code: '01', name: '세무', departmentId: null },
    { id: 'T1', parentId: 'F1', level: 2, code: '01-01', name: '자동차세', departmentId: 'D1' },
    { id: 'T2', parentId: 'F1', level: 2, code: '01-02', name: '재산세', departmentId: 'D1' },
    { id: 'L1', parentId: 'T1', level: 3, code: '01-01-01', name: '연납', departmentId: 'D1' },
    { id: 'F2', parentId: null, level: 1, code: '02', name: '교통', departmentId: null },
  ];
  const t0 = at('2026-12-01T10:00:00+09:00');

  it('drills the category tree: a detail counts for its task and its field; change against the previous period', () => {
    const now = [
      handledAt(t0, { categoryId: 'L1', outcome: 'resolved' }),
      handledAt(t0, { categoryId: 'T1', outcome: 'handed_off' }),
      handledAt(t0, { categoryId: 'T2', outcome: 'resolved' }),
      handledAt(t0, { categoryId: null }),
    ];
    const before = [handledAt(t0 - 86_400_000, { categoryId: 'T1', outcome: 'resolved' })];
    const top = tasksReport(tree, null, now, before);
    expect(top.unclassified).toBe(1);
    expect(top.rows.map((r) => [r.id, r.contacts, r.previousContacts, r.change])).toEqual([
      ['F1', 3, 1, 2],
      ['F2', 0, 0, null],
    ]);
    expect(top.rows[0]!.resolvedRate).toBeCloseTo(2 / 3, 12);
    expect(top.rows[0]!.handedOnRate).toBeCloseTo(1 / 3, 12);
    expect(top.rows[0]!.ahtSeconds).toBe(120);
    const tasks = tasksReport(tree, 'F1', now, before);
    expect(tasks.rows.map((r) => [r.id, r.contacts, r.hasChildren])).toEqual([
      ['T1', 2, true],
      ['T2', 1, false],
    ]);
    expect(topTopics(now, 2)).toEqual([
      { categoryId: 'L1', contacts: 1 },
      { categoryId: 'T1', contacts: 1 },
    ]);
  });

  it('places contacts on the weekday × hour heat map in KST', () => {
    // Tuesday 2026-12-01 23:30 KST is Tuesday 14:30 UTC.
    const grid = heatMap([contact({ queuedAt: at('2026-12-01T23:30:00+09:00') })], daysPeriod('2026-11-30', '2026-12-06'));
    expect(grid[1]![23]).toBe(1);
    expect(grid.flat().reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('gives each agent contacts, AHT, ACW, settled rate, occupancy and not-ready time by reason', () => {
    const p = { from: t0 - 3_600_000, to: t0 + 3_600_000 };
    const states = [
      { agentId: 'a1', at: p.from - 1000, status: 'available' as const, reason: null },
      { agentId: 'a1', at: t0, status: 'on_call' as const, reason: null },
      { agentId: 'a1', at: t0 + 120_000, status: 'available' as const, reason: null },
      { agentId: 'a1', at: t0 + 600_000, status: 'not_ready' as const, reason: 'break' },
      { agentId: 'a1', at: t0 + 900_000, status: 'available' as const, reason: null },
    ];
    const [a1, a2] = agentsReport([handledAt(t0, { outcome: 'resolved' })], states, p, ['a1', 'a2']);
    expect(a1).toMatchObject({ contacts: 1, ahtSeconds: 120, averageAfterCallWorkSeconds: 20, resolvedRate: 1, notReadySeconds: { break: 300 } });
    expect(a1!.occupancy).toBeCloseTo(120 / (7200 - 300), 12);
    expect(a2).toMatchObject({ contacts: 0, ahtSeconds: null, occupancy: null, notReadySeconds: {} });
  });

  it('gives each department on-time rate, time to answer, returns, overdue now and transfers', () => {
    const p = periodContaining('month', '2026-12-01');
    const now = at('2026-12-10T00:00:00+09:00');
    const h = (over: Partial<HandOffFact>): HandOffFact => ({
      departmentId: 'D1',
      receivedAt: t0,
      dueAt: t0 + 7 * 86_400_000,
      acknowledgedAt: null,
      answeredAt: null,
      isReturned: false,
      isClosed: false,
      ...over,
    });
    const handOffs = [
      h({ acknowledgedAt: t0 + 1, answeredAt: t0 + 3_600_000 }), // on time, 1 h
      h({ acknowledgedAt: t0 + 1, answeredAt: t0 + 8 * 86_400_000 }), // late
      h({}), // open past its deadline
      h({ isReturned: true }),
      h({ receivedAt: t0 - 30 * 86_400_000, dueAt: t0 - 20 * 86_400_000 }), // received and due in November, still overdue
      h({ departmentId: 'D2' }),
    ];
    const transfers = [
      { departmentId: 'D1', createdAt: t0, status: 'connected', handOffId: null },
      { departmentId: 'D1', createdAt: t0, status: 'declined', handOffId: 'h' },
      { departmentId: 'D1', createdAt: t0, status: 'ringing', handOffId: null },
    ];
    const [d1] = departmentsReport(handOffs, transfers, p, now, ['D1']);
    expect(d1).toMatchObject({
      received: 4,
      acknowledged: 2,
      answered: 2,
      dueInPeriod: 3, // due 12-08: on time, late, still open (the returned one left out)
      answeredOnTime: 1,
      returned: 1,
      returnedRate: 0.25,
      overdueNow: 2,
      medianHoursToAnswer: 1,
      p90HoursToAnswer: 192,
      transfers: { attempted: 2, connected: 1, fellBack: 1, acceptedRate: 0.5 },
    });
    expect(d1!.onTimeRate).toBeCloseTo(1 / 3, 12);
  });
});
