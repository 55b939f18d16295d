import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROUTING_CONFIG,
  allowedSkillLevel,
  callbackFor,
  compareCalls,
  estimateWait,
  isEligible,
  nextEscalationAt,
  pickAgentForCall,
  pickCallForAgent,
  positionInLine,
  selectQueue,
  type QueueRoute,
  type RoutableAgent,
  type RoutingConfig,
  type RoutingStrategy,
  type WaitingCall,
} from './routing';

const T0 = Date.UTC(2026, 2, 4, 1, 0, 0); // 2026-03-04 10:00 KST
const sec = (s: number) => T0 + s * 1000;

function call(id: string, patch: Partial<WaitingCall> = {}): WaitingCall {
  return { id, queueId: 'q-tax', skill: 'tax', priority: 0, enteredAt: T0, kind: 'call', ...patch };
}

function agent(id: string, patch: Partial<RoutableAgent> = {}): RoutableAgent {
  return { id, status: 'available', skills: { tax: 1 }, idleSince: T0, lastOfferedAt: null, callsHandled: 0, ...patch };
}

describe('selectQueue: dialled number and IVR choice', () => {
  const routes: QueueRoute[] = [
    { dialledNumber: '031-980-2114', ivrChoice: null, queueId: 'q-general' },
    { dialledNumber: '031-980-2114', ivrChoice: '1', queueId: 'q-tax' },
    { dialledNumber: '031-980-2114', ivrChoice: '2', queueId: 'q-passport' },
    { dialledNumber: '120', ivrChoice: '9', queueId: 'q-english' },
  ];
  it.each([
    ['the IVR choice picks its queue', '0319802114', '1', 'q-tax'],
    ['another choice', '031-980-2114', '2', 'q-passport'],
    ['an unknown choice falls back to the number default', '031 980 2114', '7', 'q-general'],
    ['no choice: the number default', '0319802114', null, 'q-general'],
    ['a number without a default and no choice', '120', null, null],
    ['a number with only an IVR route', '120', '9', 'q-english'],
    ['an unknown number', '02-120', null, null],
  ])('%s', (_name, dialled, choice, queue) => {
    expect(selectQueue(routes, dialled, choice)).toBe(queue);
  });
});

describe('compareCalls: the one line across queues (contact-center.md line 129)', () => {
  it.each([
    [
      'higher priority first, even if younger',
      call('a', { priority: 1, enteredAt: sec(50) }),
      call('b', { enteredAt: sec(0) }),
      -1,
    ],
    [
      'same priority: earlier entry first',
      call('a', { enteredAt: sec(5) }),
      call('b', { enteredAt: sec(9), queueId: 'q-passport' }),
      -1,
    ],
    [
      'a callback competes by its virtual start',
      call('cb', { kind: 'callback', enteredAt: sec(300), virtualStartAt: sec(1) }),
      call('b', { enteredAt: sec(2) }),
      -1,
    ],
    ['ties broken by id', call('b'), call('a'), 1],
    ['equal to itself', call('a'), call('a'), 0],
  ])('%s', (_name, a, b, sign) => {
    expect(Math.sign(compareCalls(a, b))).toBe(sign);
  });
});

describe('escalation over time (line 120)', () => {
  const config: RoutingConfig = {
    ...DEFAULT_ROUTING_CONFIG,
    escalation: [
      { afterSeconds: 0, maxLevel: 1 },
      { afterSeconds: 10, maxLevel: 2 },
      { afterSeconds: 30, maxLevel: 'any' },
    ],
  };
  it.each([
    [0, 1],
    [9.999, 1],
    [10, 2],
    [29, 2],
    [30, 'any'],
    [600, 'any'],
  ])('after %s s a call may go to level %s', (waited, level) => {
    expect(allowedSkillLevel(call('c'), T0 + waited * 1000, config)).toBe(level);
  });

  it('allows nobody before the first step', () => {
    const late = { ...config, escalation: [{ afterSeconds: 5, maxLevel: 1 }] };
    expect(allowedSkillLevel(call('c'), sec(2), late)).toBeNull();
    expect(pickAgentForCall(call('c'), [agent('a1')], sec(2), late)).toBeNull();
  });

  it('uses the queue override', () => {
    const perQueue: RoutingConfig = {
      ...config,
      queues: { 'q-tax': { escalation: [{ afterSeconds: 0, maxLevel: 3 }] } },
    };
    expect(allowedSkillLevel(call('c'), sec(0), perQueue)).toBe(3);
    expect(allowedSkillLevel(call('c', { queueId: 'q-other' }), sec(0), perQueue)).toBe(1);
  });

  it.each([
    [0, sec(10)],
    [10, sec(30)],
    [30, null],
  ])('after %s s the next widening is at %s', (waited, next) => {
    expect(nextEscalationAt(call('c'), T0 + waited * 1000, config)).toBe(next);
  });

  it('counts a callback’s wait from its original entry', () => {
    const cb = callbackFor(call('c', { enteredAt: sec(0) }), 'cb', sec(25));
    expect(allowedSkillLevel(cb, sec(31), config)).toBe('any');
  });
});

describe('pickAgentForCall', () => {
  const strategyCases: Array<[string, RoutingStrategy, RoutableAgent[], string]> = [
    [
      'longest idle: the earliest idleSince wins',
      'longest_idle',
      [
        agent('a1', { idleSince: sec(-10) }),
        agent('a2', { idleSince: sec(-60) }),
        agent('a3', { idleSince: sec(-30) }),
      ],
      'a2',
    ],
    [
      'round robin: the least recently offered wins, never-offered first',
      'round_robin',
      [
        agent('a1', { lastOfferedAt: sec(-5) }),
        agent('a2', { lastOfferedAt: null, idleSince: sec(-1) }),
        agent('a3', { lastOfferedAt: sec(-50) }),
      ],
      'a2',
    ],
    [
      'round robin among offered agents',
      'round_robin',
      [
        agent('a1', { lastOfferedAt: sec(-5), idleSince: sec(-100) }),
        agent('a3', { lastOfferedAt: sec(-50), idleSince: sec(-1) }),
      ],
      'a3',
    ],
    [
      'fewest calls wins over longest idle',
      'fewest_calls',
      [
        agent('a1', { callsHandled: 12, idleSince: sec(-100) }),
        agent('a2', { callsHandled: 7, idleSince: sec(-1) }),
        agent('a3', { callsHandled: 9 }),
      ],
      'a2',
    ],
    [
      'fewest calls: ties go to the longest idle',
      'fewest_calls',
      [agent('a1', { callsHandled: 3, idleSince: sec(-10) }), agent('a2', { callsHandled: 3, idleSince: sec(-20) })],
      'a2',
    ],
    ['full ties go to the smaller id', 'longest_idle', [agent('b'), agent('a')], 'a'],
  ];
  it.each(strategyCases)('%s', (_name, strategy, agents, chosen) => {
    expect(pickAgentForCall(call('c'), agents, sec(0), { ...DEFAULT_ROUTING_CONFIG, strategy })?.agentId).toBe(chosen);
  });

  it.each([
    [
      'only available agents are routable',
      [agent('a1', { status: 'on_call', idleSince: sec(-99) }), agent('a2', { status: 'not_ready' }), agent('a3')],
      0,
      'a3',
    ],
    ['nobody available', [agent('a1', { status: 'reserved' }), agent('a2', { status: 'after_call_work' })], 0, null],
    ['a level-2 agent must wait for escalation', [agent('a1', { skills: { tax: 2 } })], 5, null],
    ['a level-2 agent gets it after 10 s', [agent('a1', { skills: { tax: 2 } })], 10, 'a1'],
    [
      'the best level wins over the longest idle',
      [agent('a1', { skills: { tax: 2 }, idleSince: sec(-500) }), agent('a2', { skills: { tax: 1 } })],
      15,
      'a2',
    ],
    ['an unskilled agent only after widening to any', [agent('a1', { skills: { passport: 1 } })], 39, null],
    ['an unskilled agent after 40 s', [agent('a1', { skills: { passport: 1 } })], 40, 'a1'],
    [
      'skilled agents still go first after widening',
      [agent('a1', { skills: {}, idleSince: sec(-500) }), agent('a2', { skills: { tax: 3 } })],
      60,
      'a2',
    ],
  ] as const)('%s', (_name, agents, atSecond, chosen) => {
    expect(pickAgentForCall(call('c'), agents, sec(atSecond))?.agentId ?? null).toBe(chosen);
  });

  it('skips agents who already missed this offer', () => {
    const c = call('c', { excludedAgentIds: ['a1'] });
    expect(pickAgentForCall(c, [agent('a1', { idleSince: sec(-100) }), agent('a2')], sec(0))?.agentId).toBe('a2');
    expect(pickAgentForCall(c, [agent('a1')], sec(0))).toBeNull();
  });

  it('any agent may take a call that needs no skill', () => {
    const c = call('c', { skill: null });
    expect(
      pickAgentForCall(
        c,
        [agent('a1', { skills: {}, idleSince: sec(-3) }), agent('a2', { idleSince: sec(-1) })],
        sec(0),
      ),
    ).toMatchObject({
      agentId: 'a1',
      skillLevel: null,
    });
  });

  it('holds a callback until its ready time', () => {
    const cb = callbackFor(call('c'), 'cb', sec(10), sec(70));
    expect(pickAgentForCall(cb, [agent('a1')], sec(69))).toBeNull();
    expect(pickAgentForCall(cb, [agent('a1')], sec(70))?.agentId).toBe('a1');
  });

  it('records an auditable decision with the queue strategy override', () => {
    const config: RoutingConfig = { ...DEFAULT_ROUTING_CONFIG, queues: { 'q-tax': { strategy: 'fewest_calls' } } };
    const d = pickAgentForCall(
      call('c', { enteredAt: sec(-12) }),
      [agent('a1', { skills: { tax: 2 }, callsHandled: 1 }), agent('a2', { skills: { tax: 2 }, callsHandled: 0 })],
      sec(0),
      config,
    );
    expect(d).toEqual({
      callId: 'c',
      agentId: 'a2',
      queueId: 'q-tax',
      skillLevel: 2,
      allowedLevel: 2,
      strategy: 'fewest_calls',
      waitedSeconds: 12,
    });
  });
});

describe('pickCallForAgent: first come, first served across queues', () => {
  const taxAgent = agent('a', { skills: { tax: 1, passport: 2 } });
  it.each([
    [
      'the oldest call of any queue wins',
      [
        call('tax-new', { enteredAt: sec(50) }),
        call('pass-old', { queueId: 'q-passport', skill: 'passport', enteredAt: sec(0) }),
      ],
      60,
      'pass-old',
    ],
    [
      'a call the agent may not take yet is passed over',
      [
        call('pass-old', { queueId: 'q-passport', skill: 'passport', enteredAt: sec(55) }),
        call('tax-new', { enteredAt: sec(58) }),
      ],
      60,
      'tax-new',
    ],
    [
      'priority beats age',
      [call('old', { enteredAt: sec(0) }), call('urgent', { enteredAt: sec(59), priority: 5 })],
      60,
      'urgent',
    ],
    [
      'a callback keeps its original place',
      [call('waiting', { enteredAt: sec(20) }), callbackFor(call('orig', { enteredAt: sec(10) }), 'callback', sec(40))],
      60,
      'callback',
    ],
    [
      'a callback in its retry delay waits',
      [
        call('waiting', { enteredAt: sec(20) }),
        callbackFor(call('orig', { enteredAt: sec(10) }), 'callback', sec(40), sec(90)),
      ],
      60,
      'waiting',
    ],
    [
      'a call for an unknown skill after widening',
      [call('law', { queueId: 'q-law', skill: 'law', enteredAt: sec(0) }), call('tax', { enteredAt: sec(30) })],
      60,
      'law',
    ],
    ['nothing eligible', [call('law', { queueId: 'q-law', skill: 'law', enteredAt: sec(30) })], 60, null],
    ['an empty line', [], 60, null],
  ] as const)('%s', (_name, calls, atSecond, chosen) => {
    expect(pickCallForAgent(taxAgent, calls, sec(atSecond))?.callId ?? null).toBe(chosen);
  });

  it('gives nothing to an agent who is not available', () => {
    expect(pickCallForAgent({ ...taxAgent, status: 'not_ready' }, [call('c')], sec(0))).toBeNull();
  });

  it('skips a call this agent already missed', () => {
    const calls = [call('missed', { enteredAt: sec(0), excludedAgentIds: ['a'] }), call('next', { enteredAt: sec(1) })];
    expect(pickCallForAgent(taxAgent, calls, sec(5))?.callId).toBe('next');
  });

  it('reports the level and the allowed level', () => {
    const d = pickCallForAgent(
      taxAgent,
      [call('p', { queueId: 'q-passport', skill: 'passport', enteredAt: sec(0) })],
      sec(12),
    );
    expect(d).toMatchObject({ callId: 'p', agentId: 'a', skillLevel: 2, allowedLevel: 2, waitedSeconds: 12 });
  });
});

describe('position and estimated wait (contact-center.md lines 65, 131)', () => {
  const calls = [
    call('t1', { enteredAt: sec(0) }),
    call('t2', { enteredAt: sec(5) }),
    call('p1', { queueId: 'q-passport', enteredAt: sec(1) }),
    call('t3', { enteredAt: sec(9), priority: 1 }),
    call('t4', { enteredAt: sec(12) }),
  ];
  it.each([
    ['t3', 1],
    ['t1', 2],
    ['t2', 3],
    ['t4', 4],
    ['p1', 1],
  ])('%s is at position %i of its queue', (id, position) => {
    const c = calls.find((x) => x.id === id)!;
    expect(positionInLine(c, calls)).toBe(position);
  });

  it.each([
    ['k=1, 10 agents, AHT 180: 18 s', 1, 10, 180, 18],
    ['k=5, 10 agents, AHT 180: 90 s', 5, 10, 180, 90],
    ['k=12, 15 agents (Gimpo), AHT 200: 160 s', 12, 15, 200, 160],
    ['no agent handling: no estimate', 3, 0, 180, null],
    ['no AHT yet: no estimate', 3, 5, 0, null],
    ['position 0 is not a position', 0, 5, 180, null],
  ])('%s', (_name, k, n, aht, ewt) => {
    expect(estimateWait(k, n, aht)).toBe(ewt);
  });
});

describe('at issue-4 scale: 1,000 waiting calls, 600 agents (sanity, no timing)', () => {
  const SKILLS = ['tax', 'passport', 'traffic', 'welfare', 'housing', 'waste', 'parking', 'health'];
  // A small deterministic generator so the case is reproducible.
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  const calls: WaitingCall[] = Array.from({ length: 1000 }, (_, i) => {
    const skill = pick(SKILLS);
    return call(`c${String(i).padStart(4, '0')}`, {
      queueId: `q-${skill}`,
      skill,
      priority: rand() < 0.05 ? 1 : 0,
      enteredAt: sec(Math.floor(rand() * 120)),
    });
  });
  const agents: RoutableAgent[] = Array.from({ length: 600 }, (_, i) => {
    const skills: Record<string, number> = {};
    for (const s of SKILLS) if (rand() < 0.4) skills[s] = 1 + Math.floor(rand() * 3);
    return agent(`a${String(i).padStart(3, '0')}`, {
      status: rand() < 0.1 ? 'available' : 'on_call',
      skills,
      idleSince: sec(-Math.floor(rand() * 600)),
      callsHandled: Math.floor(rand() * 40),
    });
  });
  const now = sec(125);

  /** Brute force: filter and sort the whole world, which the real functions must not need to do. */
  const oracleCallFor = (a: RoutableAgent) =>
    calls.filter((c) => isEligible(a, c, now)).sort(compareCalls)[0]?.id ?? null;

  it('every available agent gets the call a full sort would give', () => {
    const available = agents.filter((a) => a.status === 'available');
    expect(available.length).toBeGreaterThan(20);
    for (const a of available) expect(pickCallForAgent(a, calls, now)?.callId ?? null).toBe(oracleCallFor(a));
  });

  it('the chosen agent for a call is eligible and no eligible agent ranks better', () => {
    for (const c of calls.slice(0, 100)) {
      const d = pickAgentForCall(c, agents, now);
      const eligible = agents.filter((a) => isEligible(a, c, now));
      if (eligible.length === 0) {
        expect(d).toBeNull();
        continue;
      }
      const levelOf = (a: RoutableAgent) => a.skills[c.skill!] ?? Number.POSITIVE_INFINITY;
      const bestLevel = Math.min(...eligible.map(levelOf));
      const oldestIdle = Math.min(...eligible.filter((a) => levelOf(a) === bestLevel).map((a) => a.idleSince));
      const chosen = agents.find((a) => a.id === d?.agentId)!;
      expect(levelOf(chosen)).toBe(bestLevel);
      expect(chosen.idleSince).toBe(oldestIdle);
    }
  });
});

describe('pickCallForAgent equals a full sort (property)', () => {
  const callArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    skill: fc.constantFrom('tax', 'passport', null),
    priority: fc.integer({ min: 0, max: 2 }),
    enteredAt: fc.integer({ min: sec(0), max: sec(120) }),
    isCallback: fc.boolean(),
    virtualBack: fc.integer({ min: 0, max: 60_000 }),
  });
  it('for random lines and agents', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(callArb, { selector: (c) => c.id, maxLength: 30 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (raw, taxLevel, passLevel) => {
          const calls: WaitingCall[] = raw.map((r) =>
            call(r.id, {
              queueId: `q-${r.skill ?? 'general'}`,
              skill: r.skill,
              priority: r.priority,
              enteredAt: r.enteredAt,
              ...(r.isCallback ? { kind: 'callback' as const, virtualStartAt: r.enteredAt - r.virtualBack } : {}),
            }),
          );
          const a = agent('x', { skills: { tax: taxLevel, passport: passLevel } });
          const now = sec(130);
          const expected = calls.filter((c) => isEligible(a, c, now)).sort(compareCalls)[0]?.id ?? null;
          return (pickCallForAgent(a, calls, now)?.callId ?? null) === expected;
        },
      ),
    );
  });
});
