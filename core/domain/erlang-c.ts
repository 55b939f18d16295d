/**
 * Erlang C staffing maths for the staffing page and the simulator's second opinion
 * (../shared/reference/contact-center.md §6 "Erlang C (staffing)", lines 179–224).
 *
 * Inputs as in the reference (line 181): λ arrivals per second, AHT in seconds, N agents on the phones, T the target
 * answer time in seconds. Every function is pure and uses the Erlang B recursion (line 186) instead of factorials,
 * so it stays exact in double precision for Seoul 120's ~550 agents and far beyond (170! already overflows a double).
 *
 * Erlang C assumes callers never hang up; it errs, mostly pessimistically (lines 220–223): use it for staffing and
 * show simulation as a second opinion when abandonment is above ~5%.
 */

/** What to staff for: the arrival rate, the handle time and the 80/20 target (KS certification: 80% in 20 s). */
export type StaffingInput = {
  /** λ, contacts arriving per second (use {@link arrivalRate} for "calls per interval"). */
  arrivalsPerSecond: number;
  /** Average handle time (talk + hold + after-call work), in seconds. */
  ahtSeconds: number;
  /** T, the answer-time target in seconds; 20 by default. */
  targetAnswerSeconds?: number;
  /** The service-level target as a fraction in (0, 1); 0.8 by default. */
  targetServiceLevel?: number;
  /** A safety stop for the search; 100,000 by default. */
  maxAgents?: number;
};

/** Erlang C figures for one staffing level: a row of the reference's worked-example table (lines 206–214). */
export type StaffingResult = {
  /** N, agents on the phones. */
  agents: number;
  /** A = λ · AHT, the offered load in Erlang. */
  trafficErlangs: number;
  /** P_w, the probability that a caller has to wait at all. */
  probabilityOfWaiting: number;
  /** SL(T), the share of callers answered within T, as a fraction. */
  serviceLevel: number;
  /** Average speed of answer in seconds (Infinity when N ≤ A: the queue grows without bound). */
  asaSeconds: number;
  /** A / N, the share of agents' time spent handling contacts (capped at 1). */
  occupancy: number;
};

/** The default answer-time target T in seconds (80/20, KS certification; contact-center.md line 47). */
export const DEFAULT_TARGET_ANSWER_SECONDS = 20;
/** The default service-level target (80/20). */
export const DEFAULT_TARGET_SERVICE_LEVEL = 0.8;
/** Occupancy above which the staffing page warns (emotional-labour rule of thumb, contact-center.md line 54). */
export const OCCUPANCY_WARNING_THRESHOLD = 0.85;

function assertNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
}

function assertAgents(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`agents must be an integer ≥ 0, got ${n}`);
}

/** λ in contacts per second from a count over an interval (e.g. 700 calls over 9 h = 700 / 32,400 s). */
export function arrivalRate(contacts: number, intervalSeconds: number): number {
  assertNonNegative('contacts', contacts);
  if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) {
    throw new RangeError(`intervalSeconds must be > 0, got ${intervalSeconds}`);
  }
  return contacts / intervalSeconds;
}

/** The offered load A = λ · AHT in Erlang (contact-center.md line 183). */
export function offeredLoad(arrivalsPerSecond: number, ahtSeconds: number): number {
  assertNonNegative('arrivalsPerSecond', arrivalsPerSecond);
  assertNonNegative('ahtSeconds', ahtSeconds);
  return arrivalsPerSecond * ahtSeconds;
}

/**
 * Erlang B, the blocking probability of N servers under load A, by the stable recursion
 * `B₀ = 1; Bₖ = A·Bₖ₋₁ / (k + A·Bₖ₋₁)` (contact-center.md line 186). O(N), no factorials, no overflow.
 */
export function erlangB(a: number, n: number): number {
  assertNonNegative('traffic', a);
  assertAgents(n);
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  return b;
}

/** P_w from Erlang B: `P_w = N·B_N / (N − A·(1 − B_N))` (line 186); valid for N > A. */
function waitProbabilityFromB(a: number, n: number, b: number): number {
  return (n * b) / (n - a * (1 - b));
}

/**
 * Erlang C, the probability that a caller waits (P_w, contact-center.md lines 184–186), for load A and N agents.
 * 1 when N ≤ A (every caller waits; the queue is unstable), 0 when there is no traffic.
 */
export function erlangC(a: number, n: number): number {
  assertNonNegative('traffic', a);
  assertAgents(n);
  if (a === 0) return 0;
  if (n <= a) return 1;
  return waitProbabilityFromB(a, n, erlangB(a, n));
}

/** SL(T) from P_w: `1 − P_w · e^(−(N−A)·T/AHT)` (line 187). */
function serviceLevelFromWait(pw: number, a: number, n: number, ahtSeconds: number, targetSeconds: number): number {
  if (ahtSeconds === 0) return 1;
  return 1 - pw * Math.exp((-(n - a) * targetSeconds) / ahtSeconds);
}

/**
 * The service level SL(T) = 1 − P_w · e^(−(N−A)·T/AHT) (contact-center.md line 187): the share of callers answered
 * within T seconds. 0 when N ≤ A, 1 when there is no traffic.
 */
export function serviceLevel(a: number, n: number, ahtSeconds: number, targetSeconds: number): number {
  assertNonNegative('ahtSeconds', ahtSeconds);
  assertNonNegative('targetSeconds', targetSeconds);
  const pw = erlangC(a, n);
  if (a === 0) return 1;
  if (n <= a) return 0;
  return serviceLevelFromWait(pw, a, n, ahtSeconds, targetSeconds);
}

/**
 * The average speed of answer ASA = P_w · AHT / (N − A) in seconds (contact-center.md line 188).
 * Infinity when N ≤ A, 0 when there is no traffic.
 */
export function averageSpeedOfAnswer(a: number, n: number, ahtSeconds: number): number {
  assertNonNegative('ahtSeconds', ahtSeconds);
  const pw = erlangC(a, n);
  if (a === 0) return 0;
  if (n <= a) return Number.POSITIVE_INFINITY;
  return (pw * ahtSeconds) / (n - a);
}

/** Occupancy = A / N (contact-center.md line 189), capped at 1 (when N ≤ A every agent is busy all the time). */
export function occupancy(a: number, n: number): number {
  assertNonNegative('traffic', a);
  assertAgents(n);
  if (a === 0) return 0;
  if (n === 0) return 1;
  return Math.min(1, a / n);
}

/**
 * Agents to schedule so that N are on the phones: `N / (1 − shrinkage)` rounded up (contact-center.md line 190);
 * shrinkage covers breaks, training, ACW spill-over, absence and recovery breaks (line 216–217), as a fraction in [0, 1).
 */
export function scheduledStaff(agentsOnPhones: number, shrinkage: number): number {
  assertAgents(agentsOnPhones);
  if (!Number.isFinite(shrinkage) || shrinkage < 0 || shrinkage >= 1) {
    throw new RangeError(`shrinkage must be in [0, 1), got ${shrinkage}`);
  }
  // 21 / (1 − 0.3) is 30.000000000000004 in doubles: forgive rounding noise before rounding up. No one on the
  // phones needs no one scheduled (Math.ceil of a tiny negative number is −0).
  if (agentsOnPhones === 0) return 0;
  return Math.ceil(agentsOnPhones / (1 - shrinkage) - 1e-9);
}

function resultFor(a: number, n: number, aht: number, t: number, b: number): StaffingResult {
  const stable = a === 0 || n > a;
  const pw = a === 0 ? 0 : stable ? waitProbabilityFromB(a, n, b) : 1;
  return {
    agents: n,
    trafficErlangs: a,
    probabilityOfWaiting: pw,
    serviceLevel: a === 0 ? 1 : stable ? serviceLevelFromWait(pw, a, n, aht, t) : 0,
    asaSeconds: a === 0 ? 0 : stable ? (pw * aht) / (n - a) : Number.POSITIVE_INFINITY,
    occupancy: occupancy(a, n),
  };
}

function targetsOf(input: StaffingInput): { t: number; sl: number } {
  const t = input.targetAnswerSeconds ?? DEFAULT_TARGET_ANSWER_SECONDS;
  const sl = input.targetServiceLevel ?? DEFAULT_TARGET_SERVICE_LEVEL;
  assertNonNegative('targetAnswerSeconds', t);
  if (!(sl > 0 && sl < 1)) throw new RangeError(`targetServiceLevel must be in (0, 1), got ${sl}`);
  return { t, sl };
}

/** The Erlang C figures (P_w, SL(T), ASA, occupancy) of one staffing level N: a row of the worked example. */
export function staffingFor(input: StaffingInput, agents: number): StaffingResult {
  const a = offeredLoad(input.arrivalsPerSecond, input.ahtSeconds);
  const { t } = targetsOf(input);
  return resultFor(a, agents, input.ahtSeconds, t, erlangB(a, agents));
}

/**
 * The fewest agents on the phones whose SL(T) meets the target (80% in 20 s by default), with their figures.
 * Walks N upward from the first stable N (⌊A⌋ + 1) extending the Erlang B recursion one step per N, so the whole
 * search is O(N): 600 agents cost 600 multiply-adds. No traffic needs no agents.
 */
export function agentsForServiceLevel(input: StaffingInput): StaffingResult {
  const a = offeredLoad(input.arrivalsPerSecond, input.ahtSeconds);
  const { t, sl } = targetsOf(input);
  const aht = input.ahtSeconds;
  const maxAgents = input.maxAgents ?? 100_000;
  if (a === 0) return resultFor(0, 0, aht, t, 1);
  let n = Math.floor(a) + 1;
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  for (;;) {
    const row = resultFor(a, n, aht, t, b);
    if (row.serviceLevel >= sl) return row;
    if (n >= maxAgents) throw new RangeError(`no staffing up to ${maxAgents} agents meets the target`);
    n += 1;
    b = (a * b) / (n + a * b);
  }
}
