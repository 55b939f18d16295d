import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseOutcome } from '../contracts/enums';
import {
  abandonmentRateOf,
  computeKpis,
  computeKpisByInterval,
  computeKpisByQueue,
  computeOccupancy,
  deriveContacts,
  dispositionRates,
  firstContactResolution,
  percentileOfSorted,
  type AgentStateEvent,
  type KpiEvent,
} from './kpi';

const T0 = Date.UTC(2026, 2, 4, 0, 0, 0); // 2026-03-04 09:00 KST, the window start
const sec = (s: number) => T0 + s * 1000;
const DAY = { from: T0, to: sec(3600) };

type ContactSpec = {
  queue?: string;
  queued?: number;
  answered?: number;
  abandoned?: number;
  callback?: number;
  ended?: number;
  wrapUp?: number;
  holds?: Array<[number, number | null]>;
  agent?: string;
  outcome?: CaseOutcome;
};

/** The events of one contact, times in seconds after T0. */
function contact(id: string, s: ContactSpec): KpiEvent[] {
  const e: KpiEvent[] = [{ interactionId: id, type: 'call_offered', at: sec(s.queued ?? s.answered ?? 0) }];
  const agentId = s.agent ?? 'a1';
  if (s.queued !== undefined)
    e.push({ interactionId: id, type: 'call_queued', at: sec(s.queued), queueId: s.queue ?? 'q-tax' });
  if (s.abandoned !== undefined) e.push({ interactionId: id, type: 'call_abandoned', at: sec(s.abandoned) });
  if (s.callback !== undefined) e.push({ interactionId: id, type: 'callback_requested', at: sec(s.callback) });
  if (s.answered !== undefined) e.push({ interactionId: id, type: 'call_answered', at: sec(s.answered), agentId });
  for (const [h, r] of s.holds ?? []) {
    e.push({ interactionId: id, type: 'call_held', at: sec(h) });
    if (r !== null) e.push({ interactionId: id, type: 'call_resumed', at: sec(r) });
  }
  if (s.ended !== undefined) e.push({ interactionId: id, type: 'call_ended', at: sec(s.ended), agentId });
  if (s.wrapUp !== undefined) e.push({ interactionId: id, type: 'wrap_up_ended', at: sec(s.wrapUp), agentId });
  if (s.outcome)
    e.push({ interactionId: id, type: 'call_dispositioned', at: sec(s.wrapUp ?? s.ended ?? 0), outcome: s.outcome });
  return e;
}

// A worked day, checked by hand below (T = 20 s, short abandon < 5 s).
const DAY_EVENTS: KpiEvent[] = [
  // wait 10 (within T); talk 180 − 30 hold = 150, hold 30, ACW 30
  ...contact('c1', { queued: 0, answered: 10, holds: [[50, 80]], ended: 190, wrapUp: 220, outcome: 'resolved' }),
  // wait 30 (after T); talk 120, ACW 30
  ...contact('c2', { queued: 100, answered: 130, ended: 250, wrapUp: 280, agent: 'a2', outcome: 'handed_off' }),
  // short abandon (3 s): reported apart
  ...contact('c3', { queued: 200, abandoned: 203 }),
  // abandon after 12 s: an abandon, but within T
  ...contact('c4', { queued: 300, abandoned: 312 }),
  // abandon after 60 s: after T
  ...contact('c5', { queued: 400, abandoned: 460 }),
  // callback after 40 s (not an abandon), handled later: talk 90, ACW 10
  ...contact('c6', { queued: 500, callback: 540, answered: 2000, ended: 2090, wrapUp: 2100, outcome: 'resolved' }),
  // wait exactly 20 s counts as within T; no wrap-up event: ACW 0
  ...contact('c7', { queued: 600, answered: 620, ended: 800, outcome: 'transferred' }),
  // still waiting at the end of the log
  ...contact('c8', { queued: 700 }),
  // ended in the IVR: never queued, not offered
  { interactionId: 'c9', type: 'call_offered', at: sec(900) },
  // queued before the window, answered in it: handled here, offered in the previous window; talk 60, ACW 10
  ...contact('c10', { queued: -50, answered: 5, ended: 65, wrapUp: 75, outcome: 'resolved' }),
  // a later case event of another kind is ignored
  { interactionId: 'c1', type: 'case_opened', at: sec(30) },
];

const AGENT_STATES: AgentStateEvent[] = [
  { agentId: 'a1', status: 'available', at: sec(-100) },
  { agentId: 'a1', status: 'on_call', at: sec(10) },
  { agentId: 'a1', status: 'after_call_work', at: sec(190) },
  { agentId: 'a1', status: 'available', at: sec(220) },
  { agentId: 'a1', status: 'logged_out', at: sec(300) },
  { agentId: 'a2', status: 'not_ready', at: sec(0) },
  { agentId: 'a2', status: 'available', at: sec(100) },
  { agentId: 'a2', status: 'reserved', at: sec(125) },
  { agentId: 'a2', status: 'on_call', at: sec(130) },
  { agentId: 'a2', status: 'after_call_work', at: sec(250) },
  { agentId: 'a2', status: 'available', at: sec(280) },
  { agentId: 'a2', status: 'logged_out', at: sec(400) },
];

describe('KPIs of a worked day (contact-center.md §2, lines 44–58)', () => {
  const k = computeKpis(DAY_EVENTS, DAY, AGENT_STATES);

  it.each([
    ['offered: contacts that entered a queue (line 44)', k.offered, 8],
    ['answered on the line', k.answered, 3],
    ['answered within 20 s (20 s itself counts)', k.answeredWithinTarget, 2],
    ['abandons ≥ 5 s (line 46)', k.abandoned, 2],
    ['short abandons < 5 s, reported apart (line 46)', k.shortAbandoned, 1],
    ['abandoned after T', k.abandonedAfterTarget, 1],
    ['callbacks are not abandons (line 46)', k.callbacksRequested, 1],
    ['still waiting', k.stillWaiting, 1],
    ['SL(20) = 2 ÷ (3 + 1) (line 47)', k.serviceLevel, 0.5],
    ['Asterisk SL = 2 ÷ 3 (line 48)', k.serviceLevelVariants.answeredOnly, 2 / 3],
    ['Asterisk SL2 = (2 + 2) ÷ (3 + 3) (line 49)', k.serviceLevelVariants.countingQuickAbandons, 4 / 6],
    ['Connect SL = (2 + 2 + 0) ÷ (3 + 3 + 1) (line 50)', k.serviceLevelVariants.removedFromQueue, 4 / 7],
    ['응대율 = 3 ÷ (8 − 1) (line 45)', k.answerRate, 3 / 7],
    ['포기율 = 2 ÷ (8 − 1) (line 46)', k.abandonmentRate, 2 / 7],
    ['ASA = (10 + 30 + 20) ÷ 3 (line 52)', k.asaSeconds, 20],
    ['longest answered wait', k.longestAnswerWaitSeconds, 30],
    ['handled: answered in the window and ended (c1, c2, c6, c7, c10)', k.handled, 5],
    ['average talk (150 + 120 + 90 + 180 + 60) ÷ 5', k.averageTalkSeconds, 120],
    ['average hold 30 ÷ 5', k.averageHoldSeconds, 6],
    ['average ACW (30 + 30 + 10 + 0 + 10) ÷ 5', k.averageAfterCallWorkSeconds, 16],
    ['AHT = (600 + 30 + 80) ÷ 5 (line 53)', k.ahtSeconds, 142],
    ['직접처리율 = 3 ÷ 5 (line 57)', k.directResolutionRate, 0.6],
    ['이관율 = 2 ÷ 5 (line 58)', k.handOffRate, 0.4],
    ['occupancy = 360 ÷ (360 + 235) (line 54)', k.occupancy, 360 / 595],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBeCloseTo(expected, 12);
  });

  it('leaves occupancy null without agent states', () => {
    expect(computeKpis(DAY_EVENTS, DAY).occupancy).toBeNull();
  });

  it.each([
    ['T = 10 s: only c1 within, c4 and c5 abandoned after T', { serviceLevelSeconds: 10 }, 1 / (3 + 2)],
    ['T = 30 s: all answered within, c5 after', { serviceLevelSeconds: 30 }, 3 / (3 + 1)],
    ['T = 60 s: nobody abandoned after T', { serviceLevelSeconds: 60 }, 3 / 3],
  ])('takes another T: %s', (_name, opts, sl) => {
    expect(computeKpis(DAY_EVENTS, { ...DAY, ...opts }).serviceLevel).toBeCloseTo(sl, 12);
  });

  it('takes another short-abandon threshold: 15 s makes c4 short too', () => {
    const k15 = computeKpis(DAY_EVENTS, { ...DAY, shortAbandonSeconds: 15 });
    expect([k15.abandoned, k15.shortAbandoned, k15.abandonmentRate]).toEqual([1, 2, 1 / 6]);
  });

  it('returns counts of zero and null rates for an empty log', () => {
    const empty = computeKpis([], DAY, []);
    expect(empty).toMatchObject({
      offered: 0,
      handled: 0,
      serviceLevel: null,
      asaSeconds: null,
      ahtSeconds: null,
      abandonmentRate: null,
      occupancy: null,
    });
  });
});

describe('recomputable from a messy log', () => {
  it('is the same for shuffled and duplicated events (property)', () => {
    const expected = computeKpis(DAY_EVENTS, DAY, AGENT_STATES);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(DAY_EVENTS, { minLength: 0, maxLength: DAY_EVENTS.length }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (dups, rand) => {
          const all = [...DAY_EVENTS, ...dups];
          for (let i = all.length - 1; i > 0; i--) {
            const j = Math.floor(rand.next().value * (i + 1)) % (i + 1);
            [all[i], all[j]] = [all[j]!, all[i]!];
          }
          expect(computeKpis(all, DAY, [...AGENT_STATES].reverse())).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps the first queue entry of a re-queued call, so the wait is the whole wait', () => {
    const events = [
      ...contact('r', { queued: 0, answered: 45, ended: 100 }),
      { interactionId: 'r', type: 'call_queued', at: sec(25), queueId: 'q-other' } as KpiEvent,
    ];
    const k = computeKpis(events, DAY);
    expect([k.offered, k.asaSeconds, k.answeredWithinTarget]).toEqual([1, 45, 0]);
    expect(Object.keys(computeKpisByQueue(events, DAY))).toEqual(['q-tax']);
  });
});

describe('hold time (line 22)', () => {
  it.each([
    ['one hold', [[50, 80]], 30],
    ['a hold never resumed runs to the call end', [[50, null]], 140],
    [
      'two holds',
      [
        [50, 60],
        [100, 130],
      ],
      40,
    ],
    [
      'a repeated hold start counts once',
      [
        [50, 80],
        [50, 80],
      ],
      30,
    ],
    [
      'a second start inside a hold counts once',
      [
        [50, null],
        [60, 80],
      ],
      30,
    ],
    ['no holds', [], 0],
  ] as const)('%s', (_name, holds, seconds) => {
    const [c] = deriveContacts(
      contact('h', { queued: 0, answered: 0, holds: holds.map(([a, b]) => [a, b]), ended: 190 }),
    );
    expect(c!.holdMs).toBe(seconds * 1000);
  });
});

describe('which way a contact left the queue', () => {
  it.each([
    ['answered', { queued: 0, answered: 5 }, 'answered'],
    ['abandoned', { queued: 0, abandoned: 8 }, 'abandoned'],
    ['callback, then answered as a callback', { queued: 0, callback: 30, answered: 900 }, 'callback'],
    ['answered, then a stray abandon', { queued: 0, answered: 5, abandoned: 60 }, 'answered'],
    ['still waiting', { queued: 0 }, null],
  ] as const)('%s', (_name, spec, exit) => {
    expect(deriveContacts(contact('x', spec))[0]!.queueExit).toBe(exit);
  });
});

describe('by queue and by interval', () => {
  it('splits the day by queue', () => {
    const events = [
      ...contact('t1', { queued: 0, answered: 10, ended: 100 }),
      ...contact('t2', { queued: 5, abandoned: 65 }),
      ...contact('p1', { queue: 'q-passport', queued: 2, answered: 40, ended: 120 }),
    ];
    const byQueue = computeKpisByQueue(events, DAY);
    expect(byQueue['q-tax']).toMatchObject({
      offered: 2,
      answered: 1,
      abandoned: 1,
      serviceLevel: 0.5,
      occupancy: null,
    });
    expect(byQueue['q-passport']).toMatchObject({ offered: 1, answered: 1, serviceLevel: 0, asaSeconds: 38 });
  });

  it('splits the day into 30-minute intervals by queue entry and answer time', () => {
    const events = [
      ...contact('early', { queued: 60, answered: 70, ended: 130 }),
      ...contact('late', { queued: 1790, answered: 1830, ended: 1900 }),
    ];
    const intervals = computeKpisByInterval(events, { ...DAY, intervalMinutes: 30 }, AGENT_STATES);
    expect(intervals.map((i) => [i.from, i.to])).toEqual([
      [sec(0), sec(1800)],
      [sec(1800), sec(3600)],
    ]);
    expect(intervals.map((i) => [i.kpis.offered, i.kpis.answered, i.kpis.handled])).toEqual([
      [2, 2, 1],
      [0, 0, 1],
    ]);
    expect(intervals[0]!.kpis.occupancy).toBeCloseTo(360 / 595, 12);
    expect(intervals[1]!.kpis.occupancy).toBeNull();
  });

  it('refuses an empty interval length', () => {
    expect(() => computeKpisByInterval([], { ...DAY, intervalMinutes: 0 })).toThrowError(RangeError);
  });
});

describe('occupancy from agent states (line 54)', () => {
  it.each([
    [
      'clips a state that began before the window',
      [
        { agentId: 'a', status: 'on_call', at: sec(-60) },
        { agentId: 'a', status: 'available', at: sec(30) },
      ],
      0,
      60,
      30,
      30,
    ],
    [
      'runs the last state to the window end',
      [
        { agentId: 'a', status: 'available', at: sec(0) },
        { agentId: 'a', status: 'after_call_work', at: sec(45) },
      ],
      0,
      60,
      15,
      45,
    ],
    [
      'counts neither reserved, not-ready nor recovery',
      [
        { agentId: 'a', status: 'reserved', at: sec(0) },
        { agentId: 'a', status: 'recovery', at: sec(10) },
        { agentId: 'a', status: 'not_ready', at: sec(20) },
      ],
      0,
      60,
      0,
      0,
    ],
    [
      'counts hold and consulting as handling',
      [
        { agentId: 'a', status: 'on_hold', at: sec(0) },
        { agentId: 'a', status: 'consulting', at: sec(10) },
        { agentId: 'a', status: 'available', at: sec(30) },
      ],
      0,
      60,
      30,
      30,
    ],
  ] as const)('%s', (_name, states, fromS, toS, handle, available) => {
    const o = computeOccupancy(states, sec(fromS), sec(toS));
    expect([o.handleSeconds, o.availableSeconds]).toEqual([handle, available]);
    expect(o.occupancy).toBe(handle + available > 0 ? handle / (handle + available) : null);
  });
});

describe('first-contact resolution (line 56: no repeat from the same caller on the same category within 7 days)', () => {
  const D = 86_400;
  const disp = (
    id: string,
    at: number,
    callerKey: string | null,
    categoryId: string | null,
    outcome: CaseOutcome,
  ): KpiEvent => ({
    interactionId: id,
    type: 'call_dispositioned',
    at: sec(at),
    callerKey,
    categoryId,
    outcome,
  });
  const events = [
    disp('f1', 3600, 'A', 'tax', 'resolved'), // repeats on day 3: not FCR
    disp('f1-repeat', 3 * D, 'A', 'tax', 'resolved'), // outside the window: not counted itself
    disp('f2', 3700, 'B', 'tax', 'resolved'), // B calls again on another category: still FCR
    disp('f2-other', D + 10, 'B', 'passport', 'resolved'),
    disp('f3', 3800, 'C', 'tax', 'resolved'), // repeat after 8 days: FCR
    disp('f3-late', 3800 + 8 * D, 'C', 'tax', 'resolved'),
    disp('f4', 3900, 'D', 'tax', 'handed_off'), // not resolved by the agent
    disp('f5', 4000, null, 'tax', 'resolved'), // caller unknown
    disp('f2', 9000, 'B', 'tax', 'resolved'), // the same disposition logged twice
  ];

  it('counts contacts, resolutions without repeat and the unidentified', () => {
    expect(firstContactResolution(events, { from: sec(0), to: sec(D) })).toEqual({
      contacts: 4,
      resolvedWithoutRepeat: 2,
      unidentified: 1,
      rate: 0.5,
    });
  });

  it.each([
    ['a repeat 7 days later to the millisecond is a repeat', 7 * D * 1000, 0],
    ['a repeat one millisecond after 7 days is not', 7 * D * 1000 + 1, 1],
    ['a repeat before the contact is not a repeat of it', -1000, 1],
  ])('%s', (_name, offsetMs, fcr) => {
    const first = disp('x', 100, 'Z', 'tax', 'resolved');
    const second: KpiEvent = { ...disp('y', 0, 'Z', 'tax', 'resolved'), at: first.at + offsetMs };
    const r = firstContactResolution([first, second], { from: first.at, to: first.at + 1 });
    expect(r.resolvedWithoutRepeat).toBe(fcr);
  });

  it('takes another window of days', () => {
    expect(firstContactResolution(events, { from: sec(0), to: sec(D), windowDays: 2 }).resolvedWithoutRepeat).toBe(3); // f1's day-3 repeat is now outside
  });
});

describe('callbacks counted as calls (issue #12 §0: the standard figures leave them out)', () => {
  const back = (id: string, answered: number | null, ended?: number): KpiEvent[] =>
    answered === null
      ? [{ interactionId: id, type: 'callback_offered', at: sec(1000) }]
      : [
          { interactionId: id, type: 'call_answered', at: sec(answered), agentId: 'a1' },
          ...(ended === undefined ? [] : [{ interactionId: id, type: 'call_ended', at: sec(ended), agentId: 'a1' } as KpiEvent]),
        ];
  const asked = (id: string, queued: number, at: number, callbackId: string): KpiEvent[] => [
    { interactionId: id, type: 'call_queued', at: sec(queued), queueId: 'q-tax' },
    { interactionId: id, type: 'callback_requested', at: sec(at), callbackId },
  ];
  const EVENTS: KpiEvent[] = [
    ...contact('a1', { queued: 0, answered: 10, ended: 100 }), // within T
    ...contact('a2', { queued: 0, answered: 50, ended: 100 }), // after T
    ...contact('ab', { queued: 0, abandoned: 40 }), // abandoned after T
    ...contact('sh', { queued: 0, abandoned: 2 }), // short abandon
    ...asked('cb1', 100, 130, 'cb1-back'), // called back 270 s after the request: waited 300 s in all
    ...back('cb1-back', 400, 500),
    ...asked('cb2', 200, 215, 'cb2-back'), // called back within T of the queue entry (19 s)
    ...back('cb2-back', 219),
    ...asked('cb3', 300, 360, 'cb3-back'), // not called back by the end of the log
    ...back('cb3-back', null),
  ];
  const k = computeKpis(EVENTS, DAY);

  it.each([
    ['standard SL = 1 ÷ (2 + 1), callbacks out', k.serviceLevel, 1 / 3],
    ['standard 포기율 = 1 ÷ (7 − 1)', k.abandonmentRate, 1 / 6],
    ['standard ASA = (10 + 50) ÷ 2', k.asaSeconds, 30],
    ['callbacks answered', k.allCalls.callbacksAnswered, 2],
    ['callbacks not called back', k.allCalls.callbacksUnanswered, 1],
    ['all-calls SL = (1 + 1) ÷ (2 + 1 + 3)', k.allCalls.serviceLevel, 2 / 6],
    ['all-calls 응대율 = (2 + 2) ÷ 6', k.allCalls.answerRate, 4 / 6],
    ['all-calls 포기율 = (1 + 1) ÷ 6', k.allCalls.abandonmentRate, 2 / 6],
    ['all-calls ASA = (10 + 50 + 300 + 19) ÷ 4', k.allCalls.asaSeconds, 379 / 4],
    ['callback delays measured', k.callbackDelay.answered, 2],
    ['callback delay median (nearest rank) of [4, 270]', k.callbackDelay.medianSeconds, 4],
    ['callback delay p90 of [4, 270]', k.callbackDelay.p90Seconds, 270],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBeCloseTo(expected, 12);
  });

  it('links the callback to its call', () => {
    const facts = deriveContacts(EVENTS).find((c) => c.interactionId === 'cb1')!;
    expect([facts.callbackId, facts.callbackAnsweredAt]).toEqual(['cb1-back', sec(400)]);
  });

  it('falls back to the standard figures on a day without callbacks', () => {
    const plain = computeKpis(EVENTS.slice(0, 14), DAY); // a1, a2, ab, sh
    expect(plain.allCalls.serviceLevel).toBe(plain.serviceLevel);
    expect(plain.allCalls.abandonmentRate).toBe(plain.abandonmentRate);
    expect(plain.allCalls.asaSeconds).toBe(plain.asaSeconds);
    expect(plain.callbackDelay).toEqual({ answered: 0, medianSeconds: null, p90Seconds: null });
  });
});

describe('transferred calls are handled calls (issue #12 §0)', () => {
  it.each([
    ['the ACD logs call_ended with the transfer', true],
    ['an older log with call_transferred only', false],
  ])('%s', (_name, withEnd) => {
    const events: KpiEvent[] = [
      ...contact('t', { queued: 0, answered: 10, wrapUp: 130 }),
      { interactionId: 't', type: 'call_transferred', at: sec(100), agentId: 'a1' },
      ...(withEnd ? [{ interactionId: 't', type: 'call_ended', at: sec(100), agentId: 'a1' } as KpiEvent] : []),
      { interactionId: 't', type: 'call_dispositioned', at: sec(120), outcome: 'transferred' },
    ];
    const k = computeKpis(events, DAY);
    expect([k.handled, k.ahtSeconds, k.directResolutionRate, k.handOffRate]).toEqual([1, 90 + 30, 0, 1]);
  });
});

describe('포기율: one definition for the report and the wallboard', () => {
  it.each([
    [{ offered: 10, abandoned: 1, shortAbandoned: 0 }, 0.1],
    [{ offered: 10, abandoned: 1, shortAbandoned: 2 }, 1 / 8],
    [{ offered: 0, abandoned: 0, shortAbandoned: 0 }, null],
    [{ offered: 2, abandoned: 0, shortAbandoned: 2 }, null],
  ])('%o → %s', (counts, rate) => {
    expect(abandonmentRateOf(counts)).toBe(rate);
  });

  it("is the report's 포기율 computed from the counts the wallboard shows", () => {
    const k = computeKpis(DAY_EVENTS, DAY);
    expect(abandonmentRateOf(k)).toBe(k.abandonmentRate);
  });
});

describe('직접처리율 and 이관율 (lines 57–58)', () => {
  it.each([
    ['all resolved', ['resolved', 'resolved'], [1, 0]],
    ['3자통화 and 이관 both count as handed on', ['resolved', 'transferred', 'handed_off', 'resolved'], [0.5, 0.5]],
    ['an undispositioned contact counts against both', ['resolved', null], [0.5, 0]],
    ['nothing handled', [], [null, null]],
  ] as const)('%s', (_name, outcomes, [direct, handOn]) => {
    const r = dispositionRates(outcomes);
    expect([r.directResolutionRate, r.handOffRate]).toEqual([direct, handOn]);
    expect(r.resolved + r.transferred + r.handedOff + r.undispositioned).toBe(outcomes.length);
  });
});

describe('nearest-rank percentile', () => {
  it.each([
    [[], 50, null],
    [[7], 90, 7],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 90, 4],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3], 0, 1],
  ])('%o p%d = %s', (values, p, expected) => {
    expect(percentileOfSorted(values, p)).toBe(expected);
  });
});
