import { isRoutable, type AgentStatus } from './agent-state';

/**
 * ACD decisions as pure functions over an in-memory snapshot (../shared/reference/contact-center.md §4, lines 108–143).
 *
 * - One explicit line across all queues, ordered by (priority, virtual start time) (line 129), compared by one
 *   function, {@link compareCalls} (line 133: "one scoring function, unit-tested with tables").
 * - Skills per category with levels, 1 best; escalation over time widens the levels a call may go to, down to every
 *   agent (line 120: "specialist first, widen to all agents after X s").
 * - Strategies: longest idle (default, line 114), round robin (line 115), fewest calls (line 118).
 * - Callbacks keep their place through `virtualStartAt` = the original queue entry (lines 122, 132, 138–143).
 * - Every decision is one pass: O(agents) to pick an agent, O(waiting) to pick a call; nothing is sorted.
 *   Times are epoch ms passed in; nothing here reads a clock.
 */

/** How an available agent is chosen among several eligible ones (contact-center.md §4.1, lines 112–118). */
export type RoutingStrategy = 'longest_idle' | 'round_robin' | 'fewest_calls';

/**
 * One step of escalation over time: once a call has waited `afterSeconds`, agents with a skill level up to
 * `maxLevel` may take it; `'any'` lets every routable agent take it, skilled or not.
 */
export type EscalationStep = { afterSeconds: number; maxLevel: number | 'any' };

/** A queue's own routing rules, overriding the centre's defaults. */
export type QueueRoutingRule = { strategy?: RoutingStrategy; escalation?: readonly EscalationStep[] };

/** The ACD's routing configuration. */
export type RoutingConfig = {
  strategy: RoutingStrategy;
  escalation: readonly EscalationStep[];
  /** Per-queue overrides, by queue id. */
  queues?: Readonly<Record<string, QueueRoutingRule>>;
};

/**
 * Default escalation: level 1 specialists at once, level 2 after 10 s, level 3 after 20 s, every agent after 40 s,
 * so that a call still reaches somebody well inside the 80/20 target's tail (a design assumption, tune per centre).
 */
export const DEFAULT_ESCALATION: readonly EscalationStep[] = [
  { afterSeconds: 0, maxLevel: 1 },
  { afterSeconds: 10, maxLevel: 2 },
  { afterSeconds: 20, maxLevel: 3 },
  { afterSeconds: 40, maxLevel: 'any' },
];

/** Longest idle (the reference's default, line 114) with {@link DEFAULT_ESCALATION}. */
export const DEFAULT_ROUTING_CONFIG: RoutingConfig = { strategy: 'longest_idle', escalation: DEFAULT_ESCALATION };

/** Which queue a dialled number (and the caller's IVR choice, if any) leads to. */
export type QueueRoute = {
  dialledNumber: string;
  /** The IVR key or menu choice; null for the number's default queue. */
  ivrChoice: string | null;
  queueId: string;
};

/** A call (or a callback task) waiting in line. */
export type WaitingCall = {
  id: string;
  queueId: string;
  /** The skill (category) it needs; null when any agent may take it. */
  skill: string | null;
  /** Higher first (repeat-caller, urgent categories; line 121). 0 by default. */
  priority: number;
  /** When it entered the queue, epoch ms. */
  enteredAt: number;
  /** Its place in line, epoch ms: a callback keeps the original entry time (TaskRouter `virtual_start_time`). */
  virtualStartAt?: number;
  /** A callback task is offered to an agent as an outbound task (agent-first, line 141). */
  kind: 'call' | 'callback';
  /** Not offered before this time, epoch ms (a callback's initial or retry delay, line 142). */
  readyAt?: number;
  /** Agents who already missed or rejected this offer, not offered it again. */
  excludedAgentIds?: readonly string[];
};

/** What routing needs to know of an agent. */
export type RoutableAgent = {
  id: string;
  status: AgentStatus;
  /** Skill (category) → level, 1 best. */
  skills: Readonly<Record<string, number>>;
  /** When the agent last became available, epoch ms (longest idle). */
  idleSince: number;
  /** When the agent was last offered a contact, epoch ms; null if never (round robin). */
  lastOfferedAt?: number | null;
  /** Contacts handled today (fewest calls). */
  callsHandled?: number;
};

/** An auditable pick (line 129): who gets what, at which skill level, under which rule. */
export type RoutingDecision = {
  callId: string;
  agentId: string;
  queueId: string;
  /** The agent's level in the call's skill; null when the call needs no skill or the agent lacks it (escalated to any). */
  skillLevel: number | null;
  /** The widest level the call's wait allowed at the time of the decision. */
  allowedLevel: number | 'any';
  strategy: RoutingStrategy;
  /** How long the call had been in line (from its virtual start), in seconds. */
  waitedSeconds: number;
};

const digitsOf = (n: string): string => n.replace(/[^0-9]/g, '');

/**
 * The queue for a dialled number and IVR choice: the route with that exact choice, else the number's default route
 * (ivrChoice null), else null. Numbers are compared on their digits only ("1588-0120" = "15880120").
 */
export function selectQueue(
  routes: readonly QueueRoute[],
  dialledNumber: string,
  ivrChoice: string | null = null,
): string | null {
  const dialled = digitsOf(dialledNumber);
  let fallback: string | null = null;
  for (const r of routes) {
    if (digitsOf(r.dialledNumber) !== dialled) continue;
    if (ivrChoice !== null && r.ivrChoice === ivrChoice) return r.queueId;
    if (r.ivrChoice === null && fallback === null) fallback = r.queueId;
  }
  return fallback;
}

/** The call's place in line, epoch ms: its virtual start (callbacks) or its queue entry. */
export function lineStartOf(call: WaitingCall): number {
  return call.virtualStartAt ?? call.enteredAt;
}

/**
 * The one order of the line across all queues (line 129): higher priority first, then earlier virtual start, then
 * id (UUIDv7 ids are time-ordered) so that the order is total and every decision reproducible.
 * Negative when `a` goes before `b`.
 */
export function compareCalls(a: WaitingCall, b: WaitingCall): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const sa = lineStartOf(a);
  const sb = lineStartOf(b);
  if (sa !== sb) return sa - sb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function ruleOf(
  queueId: string,
  config: RoutingConfig,
): { strategy: RoutingStrategy; escalation: readonly EscalationStep[] } {
  const q = config.queues?.[queueId];
  return { strategy: q?.strategy ?? config.strategy, escalation: q?.escalation ?? config.escalation };
}

const widerLevel = (a: number | 'any', b: number | 'any'): number | 'any' =>
  a === 'any' || b === 'any' ? 'any' : Math.max(a, b);

/**
 * The widest skill level a call may go to after waiting until `now` (escalation over time, line 120), or null when
 * no step applies yet. The wait runs from the call's virtual start, so a callback keeps the escalation it earned.
 */
export function allowedSkillLevel(
  call: WaitingCall,
  now: number,
  config: RoutingConfig = DEFAULT_ROUTING_CONFIG,
): number | 'any' | null {
  const waited = (now - lineStartOf(call)) / 1000;
  let allowed: number | 'any' | null = null;
  for (const step of ruleOf(call.queueId, config).escalation) {
    if (step.afterSeconds <= waited) allowed = allowed === null ? step.maxLevel : widerLevel(allowed, step.maxLevel);
  }
  return allowed;
}

/**
 * When the call's eligibility next widens, epoch ms, or null when it is already as wide as it will get: the ACD
 * sets a timer for it instead of polling the whole line.
 */
export function nextEscalationAt(
  call: WaitingCall,
  now: number,
  config: RoutingConfig = DEFAULT_ROUTING_CONFIG,
): number | null {
  const start = lineStartOf(call);
  let next: number | null = null;
  for (const step of ruleOf(call.queueId, config).escalation) {
    const at = start + step.afterSeconds * 1000;
    if (at > now && (next === null || at < next)) next = at;
  }
  return next;
}

/** The rank of an agent for a call: the skill level (Infinity when unskilled but allowed by 'any'), or null if not eligible. */
function levelFor(agent: RoutableAgent, call: WaitingCall, allowed: number | 'any' | null, now: number): number | null {
  if (allowed === null || !isRoutable(agent.status)) return null;
  if (call.readyAt !== undefined && call.readyAt > now) return null;
  if (call.excludedAgentIds?.includes(agent.id)) return null;
  if (call.skill === null) return 0;
  const level = agent.skills[call.skill];
  if (level !== undefined && (allowed === 'any' || level <= allowed)) return level;
  return allowed === 'any' ? Number.POSITIVE_INFINITY : null;
}

/** True when the agent may take the call at `now`: routable, not excluded, the call is ready and its skill level allowed. */
export function isEligible(
  agent: RoutableAgent,
  call: WaitingCall,
  now: number,
  config: RoutingConfig = DEFAULT_ROUTING_CONFIG,
): boolean {
  return levelFor(agent, call, allowedSkillLevel(call, now, config), now) !== null;
}

/** Negative when agent `a` should be chosen before `b` under the strategy (ties: longest idle, then id). */
function compareAgents(a: RoutableAgent, b: RoutableAgent, strategy: RoutingStrategy): number {
  if (strategy === 'round_robin') {
    const la = a.lastOfferedAt ?? Number.NEGATIVE_INFINITY;
    const lb = b.lastOfferedAt ?? Number.NEGATIVE_INFINITY;
    if (la !== lb) return la < lb ? -1 : 1;
  } else if (strategy === 'fewest_calls') {
    const ca = a.callsHandled ?? 0;
    const cb = b.callsHandled ?? 0;
    if (ca !== cb) return ca - cb;
  }
  if (a.idleSince !== b.idleSince) return a.idleSince - b.idleSince;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function decision(
  call: WaitingCall,
  agent: RoutableAgent,
  level: number,
  allowed: number | 'any',
  strategy: RoutingStrategy,
  now: number,
): RoutingDecision {
  return {
    callId: call.id,
    agentId: agent.id,
    queueId: call.queueId,
    skillLevel: call.skill === null || level === Number.POSITIVE_INFINITY ? null : level,
    allowedLevel: allowed,
    strategy,
    waitedSeconds: (now - lineStartOf(call)) / 1000,
  };
}

/**
 * The agent for a call (a call arrives, or its escalation widens): among routable, eligible agents, the best skill
 * level first (FreeSWITCH tiers), then the queue's strategy: longest idle (earliest `idleSince`), round robin
 * (least recently offered, Asterisk `rrmemory`) or fewest calls (then longest idle). Null when nobody may take it.
 * One pass over the agents.
 */
export function pickAgentForCall(
  call: WaitingCall,
  agents: readonly RoutableAgent[],
  now: number,
  config: RoutingConfig = DEFAULT_ROUTING_CONFIG,
): RoutingDecision | null {
  const allowed = allowedSkillLevel(call, now, config);
  if (allowed === null) return null;
  const { strategy } = ruleOf(call.queueId, config);
  let best: RoutableAgent | null = null;
  let bestLevel = 0;
  for (const agent of agents) {
    const level = levelFor(agent, call, allowed, now);
    if (level === null) continue;
    if (best === null || level < bestLevel || (level === bestLevel && compareAgents(agent, best, strategy) < 0)) {
      best = agent;
      bestLevel = level;
    }
  }
  return best === null ? null : decision(call, best, bestLevel, allowed, strategy, now);
}

/**
 * The call for an agent who has just become available: the first call in the one line across all queues
 * (priority, then virtual start; {@link compareCalls}) that this agent may take now. Callbacks compete by their
 * original place. Null when no waiting call is eligible. One pass over the waiting calls, which must be the
 * calls not yet offered to anybody.
 */
export function pickCallForAgent(
  agent: RoutableAgent,
  waitingCalls: readonly WaitingCall[],
  now: number,
  config: RoutingConfig = DEFAULT_ROUTING_CONFIG,
): RoutingDecision | null {
  if (!isRoutable(agent.status)) return null;
  let best: WaitingCall | null = null;
  let bestLevel = 0;
  let bestAllowed: number | 'any' = 'any';
  for (const call of waitingCalls) {
    if (best !== null && compareCalls(call, best) >= 0) continue; // cannot win: skip the escalation work
    const allowed = allowedSkillLevel(call, now, config);
    const level = levelFor(agent, call, allowed, now);
    if (level === null || allowed === null) continue;
    best = call;
    bestLevel = level;
    bestAllowed = allowed;
  }
  return best === null
    ? null
    : decision(best, agent, bestLevel, bestAllowed, ruleOf(best.queueId, config).strategy, now);
}

/**
 * A caller's position in their queue, 1 at the front: one more than the calls of the same queue ahead of it in the
 * line order. One pass over the waiting calls.
 */
export function positionInLine(call: WaitingCall, waitingCalls: readonly WaitingCall[]): number {
  let ahead = 0;
  for (const other of waitingCalls) {
    if (other.id !== call.id && other.queueId === call.queueId && compareCalls(other, call) < 0) ahead++;
  }
  return ahead + 1;
}

/**
 * Estimated wait in seconds for the caller at position k: EWT(k) ≈ k · AHT ÷ N with N agents staffed and all busy
 * (contact-center.md line 65 and line 131, instead of Asterisk's queue-wide average). With exponential handle times
 * this is exact: the k-th caller waits for k agent releases, each coming after AHT/N on average.
 * Null when no agent is handling the queue (no honest estimate: announce nothing).
 */
export function estimateWait(position: number, handlingAgents: number, ahtSeconds: number): number | null {
  if (!(handlingAgents > 0) || !(ahtSeconds > 0) || !(position >= 1)) return null;
  return (position * ahtSeconds) / handlingAgents;
}

/**
 * A callback task made from a waiting call (line 139): it keeps the caller's original place (virtual start =
 * the original entry), priority and skill; it is not offered before `readyAt` (initial delay). A queued callback is
 * not an abandon (line 143).
 */
export function callbackFor(
  call: WaitingCall,
  id: string,
  requestedAt: number,
  readyAt: number = requestedAt,
): WaitingCall {
  return {
    id,
    queueId: call.queueId,
    skill: call.skill,
    priority: call.priority,
    enteredAt: requestedAt,
    virtualStartAt: lineStartOf(call),
    kind: 'callback',
    readyAt,
  };
}
