import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  AGENT_STATUSES,
  AGENT_TRANSITIONS,
  DEFAULT_AGENT_STATE_CONFIG,
  allowedAgentActions,
  dueAgentAction,
  isRoutable,
  loggedOutAgent,
  reconcileAgent,
  requestLogoutAfterCall,
  requestNotReady,
  transitionAgent,
  type AgentAction,
  type AgentSnapshot,
  type AgentStatus,
} from './agent-state';

const T0 = Date.UTC(2026, 2, 4, 0, 0, 0); // 2026-03-04 09:00 KST
const sec = (s: number) => T0 + s * 1000;

function agentIn(status: AgentStatus, patch: Partial<AgentSnapshot> = {}): AgentSnapshot {
  return { ...loggedOutAgent(T0), status, reason: status === 'not_ready' ? 'break' : null, ...patch };
}

function expectInvalid(f: () => unknown): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe('INVALID_TRANSITION');
}

describe('agent state table (contact-center.md §3, lines 73–87)', () => {
  it.each([
    ['logged_out', 'login', 'not_ready'],
    ['not_ready', 'set_ready', 'available'],
    ['available', 'offer', 'reserved'],
    ['reserved', 'answer', 'on_call'],
    ['reserved', 'reject_offer', 'available'],
    ['reserved', 'offer_timeout', 'available'],
    ['on_call', 'hold', 'on_hold'],
    ['on_hold', 'retrieve', 'on_call'],
    ['on_call', 'start_consult', 'consulting'],
    ['on_hold', 'start_consult', 'consulting'],
    ['consulting', 'end_consult', 'on_call'],
    ['consulting', 'complete_transfer', 'after_call_work'],
    ['on_call', 'end_call', 'after_call_work'],
    ['on_hold', 'end_call', 'after_call_work'],
    ['consulting', 'end_call', 'after_call_work'],
    ['on_call', 'end_abusive_call', 'recovery'],
    ['after_call_work', 'extend_wrap_up', 'after_call_work'],
    ['after_call_work', 'end_wrap_up', 'available'],
    ['recovery', 'end_recovery', 'not_ready'],
    ['available', 'detect_call', 'on_call'],
    ['on_call', 'device_lost', 'not_ready'],
    ['after_call_work', 'logout', 'logged_out'],
    ['not_ready', 'logout', 'logged_out'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(transitionAgent(agentIn(from), action, sec(1)).status).toBe(to);
  });

  it('set_not_ready takes a reason and lands on not_ready with it', () => {
    const next = transitionAgent(agentIn('available'), 'set_not_ready', sec(1), { reason: 'meal' });
    expect(next).toMatchObject({ status: 'not_ready', reason: 'meal', since: sec(1) });
  });

  it.each([
    ['logged_out', 'set_ready'],
    ['logged_out', 'offer'],
    ['logged_out', 'logout'],
    ['not_ready', 'offer'],
    ['not_ready', 'login'],
    ['available', 'answer'],
    ['available', 'end_call'],
    ['reserved', 'offer'],
    ['reserved', 'set_not_ready'],
    ['reserved', 'hold'],
    ['on_call', 'offer'],
    ['on_call', 'end_wrap_up'],
    ['on_call', 'set_ready'],
    ['on_hold', 'hold'],
    ['consulting', 'end_abusive_call'],
    ['after_call_work', 'offer'],
    ['after_call_work', 'set_ready'],
    ['recovery', 'set_ready'],
    ['recovery', 'offer'],
    ['recovery', 'end_wrap_up'],
  ] as const)('refuses %s --%s-->', (from, action) => {
    expectInvalid(() => transitionAgent(agentIn(from), action, sec(1), { reason: 'break' }));
  });

  it('refuses not-ready without a reason', () => {
    expect(() => transitionAgent(agentIn('available'), 'set_not_ready', sec(1))).toThrowError(AppError);
  });

  it('lists the buttons the desk may show', () => {
    expect(allowedAgentActions('logged_out')).toEqual(['login']);
    expect(allowedAgentActions('available')).toEqual([
      'set_not_ready',
      'offer',
      'detect_call',
      'device_lost',
      'logout',
    ]);
    expect(allowedAgentActions('on_call')).toEqual([
      'hold',
      'start_consult',
      'end_call',
      'end_abusive_call',
      'device_lost',
      'logout',
    ]);
    expect(allowedAgentActions('recovery')).toEqual(['end_recovery', 'extend_recovery', 'device_lost', 'logout']);
  });

  // The whole table, state by state: any change to AGENT_TRANSITIONS must show up here.
  const ALLOWED: Record<AgentStatus, AgentAction[]> = {
    logged_out: ['login'],
    not_ready: ['set_ready', 'set_not_ready', 'device_lost', 'logout'],
    available: ['set_not_ready', 'offer', 'detect_call', 'device_lost', 'logout'],
    reserved: ['answer', 'reject_offer', 'offer_timeout', 'withdraw_offer', 'device_lost', 'logout'],
    on_call: ['hold', 'start_consult', 'end_call', 'end_abusive_call', 'device_lost', 'logout'],
    on_hold: ['retrieve', 'start_consult', 'end_call', 'end_abusive_call', 'device_lost', 'logout'],
    consulting: ['end_consult', 'complete_transfer', 'end_call', 'device_lost', 'logout'],
    after_call_work: ['extend_wrap_up', 'end_wrap_up', 'device_lost', 'logout'],
    recovery: ['end_recovery', 'extend_recovery', 'device_lost', 'logout'],
  };

  it.each(AGENT_STATUSES.map((s) => [s, ALLOWED[s]] as const))('%s allows exactly %j', (status, actions) => {
    expect(allowedAgentActions(status)).toEqual(actions);
  });

  const refused = AGENT_STATUSES.flatMap((s) =>
    (Object.keys(AGENT_TRANSITIONS) as AgentAction[])
      .filter((a) => !ALLOWED[s].includes(a))
      .map((a) => [s, a] as const),
  );
  it('refuses every other pair of state and action', () => {
    expect(refused.length).toBe(9 * 22 - 41); // 9 states × 22 actions, 41 allowed
    for (const [status, action] of refused) {
      expectInvalid(() => transitionAgent(agentIn(status), action, sec(1), { reason: 'break' }));
    }
  });

  it('makes only available routable (line 93)', () => {
    expect(AGENT_STATUSES.filter(isRoutable)).toEqual(['available']);
  });

  it('leaves no state without a way out (no agent stuck)', () => {
    for (const status of AGENT_STATUSES) {
      const exits = (Object.keys(AGENT_TRANSITIONS) as AgentAction[]).filter(
        (a) => AGENT_TRANSITIONS[a].from.includes(status) && AGENT_TRANSITIONS[a].to !== status,
      );
      expect(exits.length, status).toBeGreaterThan(0);
    }
  });
});

describe('missed offers and auto-pause (line 80)', () => {
  it('counts misses and auto-pauses as not_ready/missed at the limit; a rejection is not a miss (#18 item 2)', () => {
    const config = { ...DEFAULT_AGENT_STATE_CONFIG, maxMissedOffers: 3 };
    let a = agentIn('available');
    const seen: Array<[AgentStatus, number, string | null]> = [];
    for (let i = 0; i < 4; i++) {
      a = transitionAgent(a, 'offer', sec(i * 30), { config });
      a = transitionAgent(a, i === 1 ? 'reject_offer' : 'offer_timeout', sec(i * 30 + 20), { config });
      seen.push([a.status, a.missedOffers, a.reason]);
    }
    expect(seen).toEqual([
      ['available', 1, null],
      ['available', 1, null],
      ['available', 2, null],
      ['not_ready', 3, 'missed'],
    ]);
    expect(isRoutable(a.status)).toBe(false);
    a = transitionAgent(a, 'set_ready', sec(200), { config });
    expect(a).toMatchObject({ status: 'available', missedOffers: 0 });
  });

  it('resets the count when the agent answers', () => {
    let a = agentIn('available', { missedOffers: 2 });
    a = transitionAgent(a, 'offer', sec(1));
    a = transitionAgent(a, 'answer', sec(3));
    expect(a.missedOffers).toBe(0);
  });

  it('auto-pauses at once when the limit is 1 (Asterisk autopause)', () => {
    const a = transitionAgent(agentIn('reserved'), 'offer_timeout', sec(20), {
      config: { ...DEFAULT_AGENT_STATE_CONFIG, maxMissedOffers: 1 },
    });
    expect(a).toMatchObject({ status: 'not_ready', reason: 'missed' });
  });
});

describe('timers', () => {
  it.each([
    ['offer', 'available', 20, 'offer_timeout'],
    ['end_call', 'on_call', 30, 'end_wrap_up'],
    ['complete_transfer', 'consulting', 30, 'end_wrap_up'],
    ['end_abusive_call', 'on_call', 600, 'end_recovery'],
  ] as const)('%s from %s sets a %i s timer that fires %s', (action, from, seconds, due) => {
    const a = transitionAgent(agentIn(from), action, sec(100));
    expect(a.timerEndsAt).toBe(sec(100 + seconds));
    expect(dueAgentAction(a, sec(100 + seconds) - 1)).toBeNull();
    expect(dueAgentAction(a, sec(100 + seconds))).toBe(due);
  });

  it('extends wrap-up from its current end, and from now when already overdue', () => {
    const acw = transitionAgent(agentIn('on_call'), 'end_call', sec(0)); // ends at 30 s
    expect(transitionAgent(acw, 'extend_wrap_up', sec(10)).timerEndsAt).toBe(sec(60));
    expect(transitionAgent(acw, 'extend_wrap_up', sec(45)).timerEndsAt).toBe(sec(75));
    expect(transitionAgent(acw, 'extend_wrap_up', sec(10)).since).toBe(sec(0));
  });

  it('clears timers in untimed states', () => {
    expect(transitionAgent(agentIn('reserved', { timerEndsAt: sec(20) }), 'answer', sec(5)).timerEndsAt).toBeNull();
    expect(dueAgentAction(agentIn('on_call', { timerEndsAt: sec(1) }), sec(99))).toBeNull();
  });
});

describe('회복: the forced rest after an abusive call (issue #14 §3)', () => {
  const resting = () => transitionAgent(agentIn('on_call'), 'end_abusive_call', sec(0), { seconds: 600 });

  it('takes the protection settings\' length and cannot be ended before its timer', () => {
    const a = resting();
    expect(a).toMatchObject({ status: 'recovery', timerEndsAt: sec(600) });
    expect(() => transitionAgent(a, 'end_recovery', sec(599))).toThrowError(expect.objectContaining({ code: 'RECOVERY_IN_PROGRESS' }));
    expect(transitionAgent(a, 'end_recovery', sec(600))).toMatchObject({ status: 'not_ready', reason: 'after_recovery' });
  });

  it('refuses a not-ready or ready request while it runs (RECOVERY_IN_PROGRESS, not a plain invalid transition)', () => {
    expect(() => requestNotReady(resting(), 'break', sec(10))).toThrowError(expect.objectContaining({ code: 'RECOVERY_IN_PROGRESS' }));
    expectInvalid(() => transitionAgent(resting(), 'set_ready', sec(10)));
  });

  it('a supervisor extends it from its current end (or from now when overdue); a non-positive extension is refused', () => {
    expect(transitionAgent(resting(), 'extend_recovery', sec(100), { seconds: 300 }).timerEndsAt).toBe(sec(900));
    expect(transitionAgent(resting(), 'extend_recovery', sec(700), { seconds: 300 }).timerEndsAt).toBe(sec(1000));
    expect(() => transitionAgent(resting(), 'extend_recovery', sec(100), { seconds: 0 })).toThrowError(AppError);
    expect(() => transitionAgent(agentIn('not_ready'), 'extend_recovery', sec(1), { seconds: 60 })).toThrowError(AppError);
  });

  it('reconciliation never ends it early, not even for an unregistered phone', () => {
    expect(reconcileAgent(resting(), { isRegistered: false, hasLiveDialog: false }, sec(100))).toBeNull();
    expect(reconcileAgent(resting(), { isRegistered: true, hasLiveDialog: false }, sec(606))).toBe('end_recovery');
  });
});

describe('not ready requested during a call (line 85)', () => {
  it('is applied when wrap-up ends', () => {
    let a = requestNotReady(agentIn('on_call'), 'meal', sec(1));
    expect(a.status).toBe('on_call');
    a = transitionAgent(a, 'end_call', sec(10));
    a = transitionAgent(a, 'end_wrap_up', sec(40));
    expect(a).toMatchObject({ status: 'not_ready', reason: 'meal', pendingNotReady: null });
  });

  it('is applied when a ringing offer is missed', () => {
    let a = requestNotReady(agentIn('reserved'), 'break', sec(1));
    a = transitionAgent(a, 'offer_timeout', sec(20));
    expect(a).toMatchObject({ status: 'not_ready', reason: 'break', missedOffers: 1 });
  });

  it('applies at once when available and is refused when logged out', () => {
    expect(requestNotReady(agentIn('available'), 'training', sec(1))).toMatchObject({
      status: 'not_ready',
      reason: 'training',
    });
    expectInvalid(() => requestNotReady(agentIn('logged_out'), 'break', sec(1)));
  });
});

describe('reconciliation against telephony facts (lines 101–104)', () => {
  const up = { isRegistered: true, hasLiveDialog: false };
  const talking = { isRegistered: true, hasLiveDialog: true };
  const down = { isRegistered: false, hasLiveDialog: false };

  it.each([
    ['logged out is left alone', agentIn('logged_out'), down, 0, null],
    ['available and consistent', agentIn('available'), up, 0, null],
    ['unregistered device', agentIn('available'), down, 0, 'device_lost'],
    ['already paused for the device', agentIn('not_ready', { reason: 'device' }), down, 0, null],
    ['unregistered while on a call', agentIn('on_call'), down, 0, 'device_lost'],
    ['a live dialog while available', agentIn('available'), talking, 0, 'detect_call'],
    [
      'a live dialog while reserved: the answer was lost',
      agentIn('reserved', { timerEndsAt: sec(20) }),
      talking,
      0,
      'answer',
    ],
    ['on a call without a dialog', agentIn('on_call'), up, 0, 'end_call'],
    ['on hold without a dialog', agentIn('on_hold'), up, 0, 'end_call'],
    ['on a call with its dialog', agentIn('on_call'), talking, 0, null],
    ['reserved within ring timeout + grace', agentIn('reserved', { timerEndsAt: sec(20) }), up, 25, null],
    ['reserved past ring timeout + grace', agentIn('reserved', { timerEndsAt: sec(20) }), up, 26, 'offer_timeout'],
    ['stuck in wrap-up', agentIn('after_call_work', { timerEndsAt: sec(30) }), up, 40, 'end_wrap_up'],
    ['stuck in recovery', agentIn('recovery', { timerEndsAt: sec(300) }), up, 400, 'end_recovery'],
  ] as const)('%s', (_name, agent, facts, atSecond, action) => {
    expect(reconcileAgent(agent, facts, sec(atSecond))).toBe(action);
  });

  it('every correction it proposes is a legal transition', () => {
    const factsList = [
      { isRegistered: true, hasLiveDialog: false },
      { isRegistered: true, hasLiveDialog: true },
      { isRegistered: false, hasLiveDialog: false },
    ];
    for (const status of AGENT_STATUSES) {
      for (const facts of factsList) {
        const agent = agentIn(status, { timerEndsAt: sec(0), reason: status === 'not_ready' ? 'break' : null });
        const action = reconcileAgent(agent, facts, sec(3600));
        if (action) expect(() => transitionAgent(agent, action, sec(3600)), `${status} ${action}`).not.toThrow();
      }
    }
  });
});

describe('withdrawn offers (the caller left while the agent was ringing)', () => {
  it('frees the agent without counting a miss, and honours a pending not-ready', () => {
    const offered = transitionAgent({ ...agentIn('available'), missedOffers: 2 }, 'offer', sec(0));
    const back = transitionAgent(offered, 'withdraw_offer', sec(5));
    expect([back.status, back.missedOffers, back.timerEndsAt]).toEqual(['available', 2, null]);
    const pending = transitionAgent({ ...offered, pendingNotReady: 'meal' }, 'withdraw_offer', sec(5));
    expect([pending.status, pending.reason]).toEqual(['not_ready', 'meal']);
  });
});

describe('log out after this call (issue #19)', () => {
  it('waits for the end of wrap-up, then logs out with nothing pending', () => {
    let a = requestLogoutAfterCall(agentIn('on_call', { pendingNotReady: 'break' }));
    expect(a).toMatchObject({ status: 'on_call', pendingLogout: true, pendingNotReady: null });
    a = transitionAgent(a, 'hold', sec(1));
    a = transitionAgent(a, 'retrieve', sec(2));
    a = transitionAgent(a, 'end_call', sec(10));
    expect(a).toMatchObject({ status: 'after_call_work', pendingLogout: true });
    a = transitionAgent(a, 'end_wrap_up', sec(40));
    expect(a).toMatchObject({ status: 'logged_out', since: sec(40), pendingLogout: false, pendingNotReady: null, reason: null });
  });

  it('is replaced by a later not-ready request, and only a call can hold it', () => {
    const a = requestNotReady(requestLogoutAfterCall(agentIn('consulting')), 'end_of_shift', sec(1));
    expect(a).toMatchObject({ pendingLogout: false, pendingNotReady: 'end_of_shift' });
    expect(transitionAgent(transitionAgent(a, 'end_consult', sec(2)), 'end_call', sec(3))).toMatchObject({ status: 'after_call_work' });
    for (const status of ['available', 'not_ready', 'reserved', 'after_call_work', 'logged_out'] as const) expectInvalid(() => requestLogoutAfterCall(agentIn(status)));
  });
});
