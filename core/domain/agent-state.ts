import { AppError } from '../errors';
import { allowedActions, assertTransition, type TransitionTable } from './lifecycle';

/**
 * The agent (상담사) state machine of ../shared/reference/contact-center.md §3 (lines 71–104): a transition table
 * guarded by lifecycle.ts, plus the few rules a table cannot say (missed-offer counter and auto-pause, a not-ready
 * request made during a call, timers) and the periodic reconciliation against telephony facts (lines 101–104).
 */

/** Where an agent is. Only `available` is routable (contact-center.md lines 89–99). */
export type AgentStatus =
  | 'logged_out'
  | 'not_ready'
  | 'available'
  | 'reserved'
  | 'on_call'
  | 'on_hold'
  | 'consulting'
  | 'after_call_work'
  | 'recovery';

/** Every agent status, in the order the wallboard lists them. */
export const AGENT_STATUSES: readonly AgentStatus[] = [
  'available',
  'reserved',
  'on_call',
  'on_hold',
  'consulting',
  'after_call_work',
  'recovery',
  'not_ready',
  'logged_out',
];

/**
 * Why an agent is not ready (line 92): the agent's own codes (break, meal, training, meeting, admin, end_of_shift:
 * the shift is over and the agent finishes what is open before logging out, issue #19) and the system's (login: just logged in; missed: auto-paused after missed offers; device: phone unregistered;
 * after_recovery: the forced rest after an abusive call is over and the agent decides when to take calls again).
 */
export type NotReadyReason =
  'login' | 'break' | 'meal' | 'training' | 'meeting' | 'admin' | 'end_of_shift' | 'missed' | 'device' | 'after_recovery';

/** What can happen to an agent: the agent's buttons, the ACD, the telephony adapter, timers and reconciliation. */
export type AgentAction =
  | 'login'
  | 'set_ready'
  | 'set_not_ready'
  | 'offer'
  | 'answer'
  | 'reject_offer'
  | 'offer_timeout'
  | 'withdraw_offer'
  | 'hold'
  | 'retrieve'
  | 'start_consult'
  | 'end_consult'
  | 'complete_transfer'
  | 'end_call'
  | 'end_abusive_call'
  | 'extend_wrap_up'
  | 'end_wrap_up'
  | 'end_recovery'
  | 'extend_recovery'
  | 'detect_call'
  | 'device_lost'
  | 'logout';

const LOGGED_IN: readonly AgentStatus[] = AGENT_STATUSES.filter((s) => s !== 'logged_out');

/**
 * The agent transitions (contact-center.md lines 73–87). `to` is the table's state; {@link transitionAgent} may land
 * elsewhere for two rules the table cannot express: a missed offer that reaches the limit auto-pauses
 * (not_ready/missed, line 80), and a not-ready request made while busy lands on not_ready instead of available
 * (line 85). Login lands on not_ready(login) as the reference says (line 75), not straight on available: the agent
 * says when they are ready.
 */
export const AGENT_TRANSITIONS: TransitionTable<AgentStatus, AgentAction> = {
  login: { from: ['logged_out'], to: 'not_ready' },
  set_ready: { from: ['not_ready'], to: 'available' },
  set_not_ready: { from: ['available', 'not_ready'], to: 'not_ready' },
  offer: { from: ['available'], to: 'reserved' },
  answer: { from: ['reserved'], to: 'on_call' },
  reject_offer: { from: ['reserved'], to: 'available' },
  offer_timeout: { from: ['reserved'], to: 'available' },
  // The caller left (or the ACD took the offer back) while the agent's phone rang: not the agent's miss.
  withdraw_offer: { from: ['reserved'], to: 'available' },
  hold: { from: ['on_call'], to: 'on_hold' },
  retrieve: { from: ['on_hold'], to: 'on_call' },
  start_consult: { from: ['on_call', 'on_hold'], to: 'consulting' },
  end_consult: { from: ['consulting'], to: 'on_call' },
  complete_transfer: { from: ['consulting'], to: 'after_call_work' },
  end_call: { from: ['on_call', 'on_hold', 'consulting'], to: 'after_call_work' },
  end_abusive_call: { from: ['on_call', 'on_hold'], to: 'recovery' },
  extend_wrap_up: { from: ['after_call_work'], to: 'after_call_work' },
  end_wrap_up: { from: ['after_call_work'], to: 'available' },
  end_recovery: { from: ['recovery'], to: 'not_ready' },
  // A supervisor gives more rest (issue #14 §3); nobody can shorten it (see transitionAgent).
  extend_recovery: { from: ['recovery'], to: 'recovery' },
  detect_call: { from: ['available'], to: 'on_call' },
  device_lost: { from: LOGGED_IN, to: 'not_ready' },
  logout: { from: LOGGED_IN, to: 'logged_out' },
};

/** Timers and limits of the agent states (contact-center.md lines 94–99). */
export type AgentStateConfig = {
  /** Ring / reservation timeout of an offer: 15–20 s (line 94). */
  offerTimeoutSeconds: number;
  /** Missed offers in a row that auto-pause the agent (FreeSWITCH `max-no-answer`, Asterisk `autopause`, line 99). */
  maxMissedOffers: number;
  /** After-call work, e.g. 30 s (line 97). */
  wrapUpSeconds: number;
  /** How much one "extend" adds to after-call work. */
  wrapUpExtensionSeconds: number;
  /** Forced rest after an abusive call ended by the protocol: N minutes, configurable (line 98; issue #14: 10 min). */
  recoverySeconds: number;
  /** How far past a timer reconciliation waits before it corrects a state (line 102: "ring timeout + grace"). */
  reconcileGraceSeconds: number;
};

/** Defaults: 20 s ring, auto-pause after 3 misses, 30 s wrap-up (+30 s per extension), 10 min recovery, 5 s grace. */
export const DEFAULT_AGENT_STATE_CONFIG: AgentStateConfig = {
  offerTimeoutSeconds: 20,
  maxMissedOffers: 3,
  wrapUpSeconds: 30,
  wrapUpExtensionSeconds: 30,
  recoverySeconds: 600,
  reconcileGraceSeconds: 5,
};

/** One agent's state as the ACD keeps it in memory (and rebuilds from the state-change log). */
export type AgentSnapshot = {
  status: AgentStatus;
  /** When this status was entered, epoch ms (longest-idle routing reads it for `available`). */
  since: number;
  /** Set only while not_ready. */
  reason: NotReadyReason | null;
  /** Offers missed in a row; reset by an answer and by setting ready. */
  missedOffers: number;
  /** A not-ready request made while busy, applied when the agent would otherwise become available. */
  pendingNotReady: NotReadyReason | null;
  /**
   * A logout asked for during a call (issue #19 "log out after this call"): applied when the agent would otherwise
   * become available (the end of the after-call work), so no offer comes meanwhile. A later not-ready or ready request
   * replaces it.
   */
  pendingLogout: boolean;
  /** When the state's timer runs out (reserved: ring timeout; after_call_work: wrap-up; recovery: rest), epoch ms. */
  timerEndsAt: number | null;
};

/** Telephony facts reconciliation compares with (contact-center.md line 101: registration, live dialogs). */
export type TelephonyFacts = {
  isRegistered: boolean;
  hasLiveDialog: boolean;
};

/** An agent who has never logged in. */
export function loggedOutAgent(now: number): AgentSnapshot {
  return { status: 'logged_out', since: now, reason: null, missedOffers: 0, pendingNotReady: null, pendingLogout: false, timerEndsAt: null };
}

/** True when the ACD may offer a contact to an agent in this status (line 93: only Available is routable). */
export function isRoutable(status: AgentStatus): boolean {
  return status === 'available';
}

/** True for the states in which an agent is busy with a contact (handle time for occupancy, contact-center.md line 54). */
export function isHandling(status: AgentStatus): boolean {
  return status === 'on_call' || status === 'on_hold' || status === 'consulting' || status === 'after_call_work';
}

/** The actions open to an agent in this status (the desk shows these buttons instead of repeating the rules). */
export function allowedAgentActions(status: AgentStatus): AgentAction[] {
  return allowedActions(AGENT_TRANSITIONS, status);
}

/** Options of one transition: the not-ready reason (required for set_not_ready) and the timers. */
export type AgentTransitionOptions = {
  reason?: NotReadyReason;
  config?: AgentStateConfig;
  /** end_abusive_call: this rest instead of the config's (the protection settings'); extend_recovery: seconds added. */
  seconds?: number;
};

/**
 * Refuses anything but the timer (or a supervisor's extension) while the forced rest of 회복 runs (issue #14 §3,
 * 시행령 제41조 2호): RECOVERY_IN_PROGRESS (403) with the time it ends.
 */
export function assertRecoveryOver(agent: AgentSnapshot, now: number): void {
  if (agent.status === 'recovery' && agent.timerEndsAt !== null && now < agent.timerEndsAt) {
    throw new AppError('RECOVERY_IN_PROGRESS', '회복 시간이 끝나기 전에는 상담을 다시 시작할 수 없습니다.', {
      endsAt: new Date(agent.timerEndsAt).toISOString(),
    });
  }
}

function enter(
  agent: AgentSnapshot,
  status: AgentStatus,
  now: number,
  patch: Partial<AgentSnapshot> = {},
): AgentSnapshot {
  return {
    ...agent,
    status,
    since: status === agent.status ? agent.since : now,
    reason: null,
    timerEndsAt: null,
    ...patch,
  };
}

/**
 * Lands on available, unless a not-ready request is pending (line 85: "or NotReady if requested during the call") or
 * a logout (issue #19).
 */
function becomeAvailable(agent: AgentSnapshot, now: number, patch: Partial<AgentSnapshot> = {}): AgentSnapshot {
  if (agent.pendingLogout) return enter(agent, 'logged_out', now, { ...patch, missedOffers: 0, pendingNotReady: null, pendingLogout: false });
  if (agent.pendingNotReady)
    return enter(agent, 'not_ready', now, { ...patch, reason: agent.pendingNotReady, pendingNotReady: null });
  return enter(agent, 'available', now, patch);
}

/**
 * The agent after an action at `now` (epoch ms), or INVALID_TRANSITION when the table does not allow it.
 * Missed offers (reject or ring timeout) count up; reaching `maxMissedOffers` auto-pauses the agent as
 * not_ready/missed (line 80). Answering resets the count; setting ready after an auto-pause resets it too.
 */
export function transitionAgent(
  agent: AgentSnapshot,
  action: AgentAction,
  now: number,
  options: AgentTransitionOptions = {},
): AgentSnapshot {
  const to = assertTransition(AGENT_TRANSITIONS, agent.status, action, 'agent');
  const config = options.config ?? DEFAULT_AGENT_STATE_CONFIG;
  switch (action) {
    case 'login':
      return enter(agent, to, now, { reason: 'login', missedOffers: 0, pendingNotReady: null, pendingLogout: false });
    case 'set_ready':
      return enter(agent, to, now, { missedOffers: 0, pendingNotReady: null, pendingLogout: false });
    case 'set_not_ready':
      if (!options.reason) throw new AppError('VALIDATION_FAILED', 'agent: a not-ready reason is required');
      return enter(agent, to, now, { reason: options.reason });
    case 'offer':
      return enter(agent, to, now, { timerEndsAt: now + config.offerTimeoutSeconds * 1000 });
    case 'answer':
      return enter(agent, to, now, { missedOffers: 0 });
    case 'reject_offer':
      // Rejecting is a choice, not a miss (issue #18 item 2): it neither counts towards the auto-pause nor pauses.
      return becomeAvailable(agent, now, {});
    case 'offer_timeout': {
      const missedOffers = agent.missedOffers + 1;
      if (missedOffers >= config.maxMissedOffers) {
        return enter(agent, 'not_ready', now, { reason: 'missed', missedOffers, pendingNotReady: null, pendingLogout: false });
      }
      return becomeAvailable(agent, now, { missedOffers });
    }
    case 'end_call':
    case 'complete_transfer':
      return enter(agent, to, now, { timerEndsAt: now + config.wrapUpSeconds * 1000 });
    case 'end_abusive_call':
      return enter(agent, to, now, { timerEndsAt: now + (options.seconds ?? config.recoverySeconds) * 1000 });
    case 'extend_recovery':
      if (!options.seconds || options.seconds <= 0) throw new AppError('VALIDATION_FAILED', 'agent: extend by a positive time');
      return enter(agent, to, now, { timerEndsAt: Math.max(agent.timerEndsAt ?? now, now) + options.seconds * 1000 });
    case 'extend_wrap_up':
      return enter(agent, to, now, {
        timerEndsAt: Math.max(agent.timerEndsAt ?? now, now) + config.wrapUpExtensionSeconds * 1000,
      });
    case 'end_wrap_up':
    case 'withdraw_offer':
      return becomeAvailable(agent, now);
    case 'end_recovery':
      assertRecoveryOver(agent, now);
      return enter(agent, to, now, { reason: 'after_recovery', pendingNotReady: null, pendingLogout: false });
    case 'device_lost':
      return enter(agent, to, now, { reason: 'device', pendingNotReady: null, pendingLogout: false });
    case 'logout':
      return enter(agent, to, now, { missedOffers: 0, pendingNotReady: null, pendingLogout: false });
    case 'hold':
    case 'retrieve':
    case 'start_consult':
    case 'end_consult':
    case 'detect_call':
      return enter(agent, to, now);
  }
}

/**
 * A not-ready request (with its reason). From available or not_ready it applies at once; while the agent is
 * reserved or busy with a contact it is remembered and applied when the agent would become available
 * (line 85); during 회복 it is RECOVERY_IN_PROGRESS; elsewhere (logged out, recovery over) it is INVALID_TRANSITION.
 */
export function requestNotReady(agent: AgentSnapshot, reason: NotReadyReason, now: number): AgentSnapshot {
  if (agent.status === 'available' || agent.status === 'not_ready') {
    return transitionAgent(agent, 'set_not_ready', now, { reason });
  }
  if (agent.status === 'reserved' || isHandling(agent.status)) return { ...agent, pendingNotReady: reason, pendingLogout: false };
  assertRecoveryOver(agent, now);
  return transitionAgent(agent, 'set_not_ready', now, { reason }); // throws INVALID_TRANSITION with the allowed list
}

/**
 * "Log out after this call" (issue #19): while the agent is on a call (talking, holding, consulting) the logout is
 * remembered and applied when the after-call work ends, with no offer meanwhile; it replaces a pending not-ready.
 * INVALID_TRANSITION in any other status (there the logout applies at once).
 */
export function requestLogoutAfterCall(agent: AgentSnapshot): AgentSnapshot {
  if (agent.status !== 'on_call' && agent.status !== 'on_hold' && agent.status !== 'consulting') {
    throw new AppError('INVALID_TRANSITION', 'agent: a logout waits for the call only while on a call', { status: agent.status });
  }
  return { ...agent, pendingLogout: true, pendingNotReady: null };
}

/** The timer action due at `now` (ring timeout, end of wrap-up, end of recovery), or null when none has run out. */
export function dueAgentAction(agent: AgentSnapshot, now: number): AgentAction | null {
  if (agent.timerEndsAt === null || now < agent.timerEndsAt) return null;
  if (agent.status === 'reserved') return 'offer_timeout';
  if (agent.status === 'after_call_work') return 'end_wrap_up';
  if (agent.status === 'recovery') return 'end_recovery';
  return null;
}

/**
 * The correction reconciliation makes (contact-center.md lines 101–104), or null when the agent's state agrees
 * with the telephony facts. In order: an unregistered device → device_lost (unless already not_ready/device);
 * reserved with a live dialog → answer (the answer event was lost); a live dialog while available → detect_call;
 * on a call without a live dialog → end_call (to ACW); a timer overrun by more than the grace → its timer action.
 * The caller logs each correction with source `reconciliation`.
 */
export function reconcileAgent(
  agent: AgentSnapshot,
  facts: TelephonyFacts,
  now: number,
  config: AgentStateConfig = DEFAULT_AGENT_STATE_CONFIG,
): AgentAction | null {
  const { status } = agent;
  if (status === 'logged_out') return null;
  const isOverrun = agent.timerEndsAt !== null && now > agent.timerEndsAt + config.reconcileGraceSeconds * 1000;
  // 회복 needs no phone: an unregistered device must not end the forced rest early (issue #14 §3).
  if (status === 'recovery') return isOverrun ? 'end_recovery' : null;
  if (!facts.isRegistered) return status === 'not_ready' && agent.reason === 'device' ? null : 'device_lost';
  if (facts.hasLiveDialog && status === 'reserved') return 'answer';
  if (facts.hasLiveDialog && status === 'available') return 'detect_call';
  if (!facts.hasLiveDialog && (status === 'on_call' || status === 'on_hold' || status === 'consulting'))
    return 'end_call';
  return isOverrun ? dueAgentAction(agent, now) : null;
}
