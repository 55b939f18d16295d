import { KST_OFFSET_MS } from './kst';
import { createRng, type Rng } from './prng';

/**
 * The model of one simulated day of a city call centre (issue #4 §9), pure and seeded: when callers ring, what about,
 * how long they talk, how long they are willing to wait, and what happens to their matter. The day simulator
 * (server/modules/simulation) plays this plan against the real ACD on a virtual clock.
 *
 * Sources and assumptions (the figures the reference gives are cited; the rest is stated as an assumption):
 * - Volumes: Gimpo 1,111 calls/day with 15 agents; Seoul 120 ~43,000 calls/day with 551 agents
 *   (../shared/reference/complaints-kr.md §5.1 line 266, §5.2 line 274). Opening hours 08:30–18:30 (line 49, 300).
 * - Topics: 지방세 > 여권 > 교통 are Gimpo's top three (complaints-kr.md line 265); 청주 reports 세무 18%, 교통 12%
 *   (line 299). The mix below keeps that order.
 * - Outcome: 60% handled by the agent, 40% passed to officials (Gimpo's first 100 days, complaints-kr.md line 265).
 * - Handle time: AHT 180 s is the reference's worked example (contact-center.md §6 line 204); talk time is lognormal,
 *   the shape measured in call centres (Brown et al., "Statistical Analysis of a Telephone Call Center", JASA 2005).
 * - Patience: exponential by default (Brown et al. 2005 found it close to exponential apart from spikes at
 *   announcements); a Weibull shape other than 1 is selectable. Mean 180 s is an assumption.
 * - Intraday curve: a morning peak (10–11 h) and an after-lunch peak (14–15 h) with a lunch dip, the usual shape of
 *   public-service lines; the half-hour weights below are an assumption to tune from a real centre's 15/30-min
 *   interval report (contact-center.md line 67).
 * - Arrivals: a non-homogeneous Poisson process with a constant rate per half hour. With `exactTotal` the day has
 *   exactly the requested number of calls: conditional on its count, an NHPP's arrival times are independent draws
 *   from the rate's density, which is what is sampled.
 */

// ————————————————————————————————————————— distributions —————————————————————————————————————————

/** Exponential with the given mean. */
export function sampleExponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/** Standard normal (Box–Muller, one value per call so that streams stay aligned). */
export function sampleStandardNormal(rng: Rng): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Lognormal with the given mean and coefficient of variation (sd ÷ mean) of the variable itself. */
export function sampleLognormal(rng: Rng, mean: number, cv: number): number {
  const sigma2 = Math.log(1 + cv * cv);
  const mu = Math.log(mean) - sigma2 / 2;
  return Math.exp(mu + Math.sqrt(sigma2) * sampleStandardNormal(rng));
}

/** Γ(x) for x > 0 (Lanczos, g = 7): enough precision for a Weibull's mean. */
export function gammaFunction(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gammaFunction(1 - x));
  const y = x - 1;
  let a = c[0]!;
  const t = y + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (y + i);
  return Math.sqrt(2 * Math.PI) * t ** (y + 0.5) * Math.exp(-t) * a;
}

/** Weibull with the given shape k and mean (scale = mean ÷ Γ(1 + 1/k)); k = 1 is the exponential. */
export function sampleWeibull(rng: Rng, shape: number, mean: number): number {
  const scale = mean / gammaFunction(1 + 1 / shape);
  return scale * (-Math.log(1 - rng.next())) ** (1 / shape);
}

/** An index drawn with probability proportional to its weight. */
export function sampleIndex(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

// ————————————————————————————————————————— the arrival curve —————————————————————————————————————————

/** One interval of the intraday profile: starts at `start` (KST "HH:MM"), weight = its share of the day's calls. */
export type ProfileInterval = { start: string; weight: number };

/**
 * Half-hourly shares of a weekday's calls, 08:30–18:30 KST (20 intervals, weights sum to 1): a morning peak at
 * 10:00–11:00, a lunch dip, an after-lunch peak at 14:00–15:00, a quiet last hour. An assumption (see above).
 */
export const DEFAULT_INTRADAY_PROFILE: readonly ProfileInterval[] = [
  { start: '08:30', weight: 0.03 },
  { start: '09:00', weight: 0.055 },
  { start: '09:30', weight: 0.066 },
  { start: '10:00', weight: 0.075 },
  { start: '10:30', weight: 0.076 },
  { start: '11:00', weight: 0.066 },
  { start: '11:30', weight: 0.056 },
  { start: '12:00', weight: 0.037 },
  { start: '12:30', weight: 0.035 },
  { start: '13:00', weight: 0.052 },
  { start: '13:30', weight: 0.063 },
  { start: '14:00', weight: 0.07 },
  { start: '14:30', weight: 0.068 },
  { start: '15:00', weight: 0.06 },
  { start: '15:30', weight: 0.052 },
  { start: '16:00', weight: 0.045 },
  { start: '16:30', weight: 0.037 },
  { start: '17:00', weight: 0.028 },
  { start: '17:30', weight: 0.019 },
  { start: '18:00', weight: 0.01 },
];

/** Length of each profile interval and the end of the last one. */
export const PROFILE_INTERVAL_MINUTES = 30;

/** Minutes after midnight of "HH:MM". */
export function minutesOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** A day's arrival rate: per interval, its start (epoch ms) and rate (calls per ms), for a given expected total. */
export type ArrivalCurve = { intervals: Array<{ from: number; to: number; rate: number }>; expectedTotal: number };

/**
 * The day's rate function λ(t), piecewise constant per interval: ∫λ = `expectedTotal` exactly.
 * `dayStartKst` is the epoch ms of 00:00 KST of the simulated day.
 */
export function arrivalCurve(expectedTotal: number, dayStartKst: number, profile: readonly ProfileInterval[] = DEFAULT_INTRADAY_PROFILE): ArrivalCurve {
  if (!(expectedTotal >= 0)) throw new RangeError(`expected total must be ≥ 0, got ${expectedTotal}`);
  const sum = profile.reduce((s, p) => s + p.weight, 0);
  if (!(sum > 0)) throw new RangeError('profile weights must sum to more than 0');
  const len = PROFILE_INTERVAL_MINUTES * 60_000;
  return {
    expectedTotal,
    intervals: profile.map((p) => {
      const from = dayStartKst + minutesOf(p.start) * 60_000;
      return { from, to: from + len, rate: (expectedTotal * p.weight) / sum / len };
    }),
  };
}

/** ∫λ over the curve (the expected number of calls). */
export function integrateCurve(curve: ArrivalCurve): number {
  return curve.intervals.reduce((s, i) => s + i.rate * (i.to - i.from), 0);
}

/**
 * Arrival times (epoch ms, ascending) of a non-homogeneous Poisson process with rate λ(t).
 * Default: the unconditional process, interval by interval with exponential gaps at that interval's rate (the count is
 * Poisson with mean ∫λ). `exactTotal`: exactly that many arrivals, drawn independently from λ's density and sorted
 * (the NHPP conditioned on its count).
 */
export function sampleArrivals(rng: Rng, curve: ArrivalCurve, options: { exactTotal?: number } = {}): number[] {
  const out: number[] = [];
  if (options.exactTotal !== undefined) {
    const weights = curve.intervals.map((i) => i.rate * (i.to - i.from));
    for (let n = 0; n < options.exactTotal; n++) {
      const i = curve.intervals[sampleIndex(rng, weights)]!;
      out.push(i.from + rng.next() * (i.to - i.from));
    }
    return out.sort((a, b) => a - b);
  }
  for (const i of curve.intervals) {
    if (i.rate <= 0) continue;
    let t = i.from + sampleExponential(rng, 1 / i.rate);
    while (t < i.to) {
      out.push(t);
      t += sampleExponential(rng, 1 / i.rate);
    }
  }
  return out;
}

// ————————————————————————————————————————— the day's calls —————————————————————————————————————————

/** A topic callers ring about: which IVR key they press and how often it comes up. */
export type TopicMix = Array<{ topic: string; ivrChoice: string | null; share: number }>;

/**
 * The category mix (shares of all calls), 지방세 > 여권 > 교통 on top (complaints-kr.md line 265). `topic` names a
 * group of categories the simulator resolves to real category codes of the taxonomy (server/db/seed/data).
 */
export const DEFAULT_TOPIC_MIX: TopicMix = [
  { topic: 'local_tax', ivrChoice: '1', share: 0.24 },
  { topic: 'passport', ivrChoice: '2', share: 0.16 },
  { topic: 'traffic', ivrChoice: '3', share: 0.13 },
  { topic: 'civil_documents', ivrChoice: '2', share: 0.09 },
  { topic: 'other', ivrChoice: null, share: 0.38 },
];

/** Parameters of the callers' and agents' behaviour. Times in seconds; probabilities in [0, 1]. */
export type DayModelParams = {
  /** Mean and coefficient of variation of talk time (lognormal). */
  talkMeanSeconds: number;
  talkCv: number;
  /** Mean and cv of after-call work (lognormal), capped by the ACD's wrap-up timer plus one extension. */
  acwMeanSeconds: number;
  acwCv: number;
  /** Share of calls put on hold once, and the hold's mean length (lognormal, cv 0.5). */
  holdShare: number;
  holdMeanSeconds: number;
  /** Caller patience: Weibull with this shape (1 = exponential) and mean. */
  patienceShape: number;
  patienceMeanSeconds: number;
  /** Share settled by the agent (직접처리); the rest is handed on to a department (이관). */
  resolvedShare: number;
  /** A caller told of a wait ≥ `callbackAboveSeconds` asks for a callback with this probability. */
  callbackShare: number;
  callbackAboveSeconds: number;
  /** A caller whose patience runs out asks for a callback instead of hanging up with this probability. */
  callbackAtPatienceShare: number;
  /** The agent picks up an offer after a uniform delay in [min, max] seconds. */
  ringMinSeconds: number;
  ringMaxSeconds: number;
  /** Share of calls the caller ends (the rest the agent ends). */
  callerEndsShare: number;
  /** Share of callers who rang before (drawn from a pool), so caller history is exercised. */
  repeatCallerShare: number;
  /** Share of callers who hang up in the queue and call again (a retrial), after an exponential delay of this mean. */
  retrialShare: number;
  retrialMeanSeconds: number;
  /** A caller calls again at most this many times. */
  maxRetrials: number;
  /** Share of calls that chase an earlier call's hand-off of the same day (same caller, same matter: 독촉). */
  chaseShare: number;
  /** Share of offers the agent lets ring out (missed) or rejects. */
  missedOfferShare: number;
  rejectedOfferShare: number;
};

export const DEFAULT_DAY_MODEL: DayModelParams = {
  talkMeanSeconds: 165,
  talkCv: 0.7,
  acwMeanSeconds: 18,
  acwCv: 0.6,
  holdShare: 0.15,
  holdMeanSeconds: 35,
  patienceShape: 1,
  patienceMeanSeconds: 180,
  resolvedShare: 0.6,
  callbackShare: 0.5,
  callbackAboveSeconds: 60,
  callbackAtPatienceShare: 0.25,
  ringMinSeconds: 1,
  ringMaxSeconds: 4,
  callerEndsShare: 0.5,
  repeatCallerShare: 0.1,
  retrialShare: 0,
  retrialMeanSeconds: 300,
  maxRetrials: 2,
  chaseShare: 0,
  missedOfferShare: 0,
  rejectedOfferShare: 0,
};

/** One call of the day, everything about it decided in advance (so the plan, not the run, carries the randomness). */
export type PlannedCall = {
  index: number;
  /** Epoch ms. */
  arrivesAt: number;
  callerNumber: string;
  topic: string;
  ivrChoice: string | null;
  /** Index into the topic's categories (resolved by the simulator). */
  categoryPick: number;
  patienceMs: number;
  /** Asks for a callback when told of a long wait. */
  asksCallbackIfLong: boolean;
  /** Asks for a callback instead of hanging up when patience runs out. */
  asksCallbackAtPatience: boolean;
  ringMs: number;
  talkMs: number;
  /** Put on hold once, this long, halfway through the talk; 0 = no hold. */
  holdMs: number;
  acwMs: number;
  outcome: 'resolved' | 'handed_off';
  endedBy: 'caller' | 'agent';
  /** Talk and after-call work of the callback, if the caller asks for one. */
  callbackTalkMs: number;
  callbackAcwMs: number;
  /** The first offer of this call: answered, let ring out (missed) or rejected by the agent. */
  firstOffer: 'answer' | 'miss' | 'reject';
  /** 0 for a first call; n for the caller's n-th retrial after abandoning. */
  attempt: number;
  /** Index of the caller's first call (itself for a first call): retrials are one caller in first-contact figures. */
  firstIndex: number;
  /** Calls again if abandoning (decided in advance), after this delay. */
  retriesAfterMs: number | null;
  /** The earlier call of the day whose hand-off this call chases (독촉), or null. */
  chasesIndex: number | null;
};

/** A Korean mobile number 010-XXXX-XXXX from the generator. */
function mobileNumber(rng: Rng): string {
  const n = 10_000_000 + rng.int(90_000_000);
  const s = String(n);
  return `010-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** The whole day: arrival times from the curve and, per call, its topic, caller behaviour and handling. */
export function planDay(
  rng: Rng,
  options: {
    calls: number;
    dayStartKst: number;
    exactTotal?: boolean;
    params?: Partial<DayModelParams>;
    profile?: readonly ProfileInterval[];
    mix?: TopicMix;
  },
): PlannedCall[] {
  const p = { ...DEFAULT_DAY_MODEL, ...options.params };
  const mix = options.mix ?? DEFAULT_TOPIC_MIX;
  const curve = arrivalCurve(options.calls, options.dayStartKst, options.profile);
  const arrivals = sampleArrivals(rng.fork('arrivals'), curve, options.exactTotal === false ? {} : { exactTotal: options.calls });
  const r = rng.fork('calls');
  const pool: string[] = [];
  const poolSize = Math.max(10, Math.round(options.calls / 20));
  for (let i = 0; i < poolSize; i++) pool.push(mobileNumber(r));
  const shares = mix.map((m) => m.share);
  const calls = arrivals.map((arrivesAt, index) => {
    const topic = mix[sampleIndex(r, shares)]!;
    const callerNumber = r.next() < p.repeatCallerShare ? pool[r.int(pool.length)]! : mobileNumber(r);
    return behaviour(r, p, { index, arrivesAt: Math.round(arrivesAt), callerNumber, topic: topic.topic, ivrChoice: topic.ivrChoice, attempt: 0, firstIndex: index });
  });
  // 독촉: a few callers ring again hours later about the matter they handed on earlier that day.
  if (p.chaseShare > 0) {
    const c = rng.fork('chases');
    // Hand-offs of calls at least an hour earlier (calls are in time order; a chaser is no hand-off of its own).
    const earlier: PlannedCall[] = [];
    let passed = 0;
    for (const call of calls) {
      for (; passed < calls.length && calls[passed]!.arrivesAt < call.arrivesAt - 3_600_000; passed++) {
        const e = calls[passed]!;
        if (e.outcome === 'handed_off' && e.chasesIndex === null) earlier.push(e);
      }
      if (c.next() >= p.chaseShare) continue;
      if (earlier.length === 0) continue;
      const e = earlier[c.int(earlier.length)]!;
      Object.assign(call, { callerNumber: e.callerNumber, topic: e.topic, ivrChoice: e.ivrChoice, categoryPick: e.categoryPick, outcome: 'handed_off', chasesIndex: e.index });
    }
  }
  return calls;
}

/** Everything a call does once it rings, drawn from `r` (a first call's and a retrial's alike). */
function behaviour(
  r: Rng,
  p: DayModelParams,
  who: Pick<PlannedCall, 'index' | 'arrivesAt' | 'callerNumber' | 'topic' | 'ivrChoice' | 'attempt' | 'firstIndex'>,
): PlannedCall {
  const hasHold = r.next() < p.holdShare;
  const offer = r.next();
  return {
    index: who.index,
    arrivesAt: who.arrivesAt,
    callerNumber: who.callerNumber,
    topic: who.topic,
    ivrChoice: who.ivrChoice,
    attempt: who.attempt,
    firstIndex: who.firstIndex,
    categoryPick: r.int(1_000_000),
    patienceMs: Math.round(sampleWeibull(r, p.patienceShape, p.patienceMeanSeconds) * 1000),
    asksCallbackIfLong: r.next() < p.callbackShare,
    asksCallbackAtPatience: r.next() < p.callbackAtPatienceShare,
    ringMs: Math.round((p.ringMinSeconds + r.next() * (p.ringMaxSeconds - p.ringMinSeconds)) * 1000),
    talkMs: Math.max(5_000, Math.round(sampleLognormal(r, p.talkMeanSeconds, p.talkCv) * 1000)),
    holdMs: hasHold ? Math.round(sampleLognormal(r, p.holdMeanSeconds, 0.5) * 1000) : 0,
    acwMs: Math.round(sampleLognormal(r, p.acwMeanSeconds, p.acwCv) * 1000),
    outcome: r.next() < p.resolvedShare ? 'resolved' : 'handed_off',
    endedBy: r.next() < p.callerEndsShare ? 'caller' : 'agent',
    callbackTalkMs: Math.max(5_000, Math.round(sampleLognormal(r, p.talkMeanSeconds, p.talkCv) * 1000)),
    callbackAcwMs: Math.round(sampleLognormal(r, p.acwMeanSeconds, p.acwCv) * 1000),
    firstOffer: offer < p.missedOfferShare ? 'miss' : offer < p.missedOfferShare + p.rejectedOfferShare ? 'reject' : 'answer',
    retriesAfterMs:
      who.attempt < p.maxRetrials && r.next() < p.retrialShare ? Math.max(30_000, Math.round(sampleExponential(r, p.retrialMeanSeconds) * 1000)) : null,
    chasesIndex: null,
  };
}

/**
 * The call a caller makes after abandoning `call` at `abandonedAt`: same caller, same matter (topic, category,
 * outcome), new patience and handling, drawn from a generator of its own so the day stays the same for a seed.
 */
export function retrialOf(call: PlannedCall, index: number, abandonedAt: number, seed: string | number, params: Partial<DayModelParams> = {}): PlannedCall {
  const p = { ...DEFAULT_DAY_MODEL, ...params };
  const r = createRng(`${seed}/retrial/${call.firstIndex}/${call.attempt + 1}`);
  const next = behaviour(r, p, {
    index,
    arrivesAt: abandonedAt + (call.retriesAfterMs ?? 0),
    callerNumber: call.callerNumber,
    topic: call.topic,
    ivrChoice: call.ivrChoice,
    attempt: call.attempt + 1,
    firstIndex: call.firstIndex,
  });
  return { ...next, categoryPick: call.categoryPick, outcome: call.outcome, chasesIndex: call.chasesIndex };
}

/** Epoch ms of 00:00 KST of a day "YYYY-MM-DD". */
export function kstMidnight(ymd: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) throw new RangeError(`not a date: ${ymd}`);
  const t = Date.parse(`${ymd}T00:00:00+09:00`);
  if (Number.isNaN(t)) throw new RangeError(`not a date: ${ymd}`);
  return t;
}

// ————————————————————————————————————————— seasons (simulated history, issue #12 §5) —————————————————————————————————————————

/** The weekday's share of a week's calls relative to an average weekday (ISO weekday 1 = Monday … 5 = Friday). */
export const WEEKDAY_FACTORS: Readonly<Record<number, number>> = { 1: 1.2, 2: 1.05, 3: 1.0, 4: 0.95, 5: 0.9 };

/**
 * Per month (1–12): the volume factor of a working day and the topics that swell. January and May are the local-tax
 * months (자동차세 연납 and 지방세 신고·납부: 지방세 doubles); July and August bring water (누수·단수, 하수도) and
 * weather calls; December snow (도로 제설). Assumptions in the shape of the reference's monthly pattern
 * (complaints-kr.md §5), to tune from a real centre's monthly report.
 */
export const MONTH_SEASONS: Readonly<Record<number, { volume: number; boost: Readonly<Record<string, number>>; add: Readonly<Record<string, number>> }>> = {
  1: { volume: 1.2, boost: { local_tax: 2 }, add: { roads: 0.03 } },
  2: { volume: 0.95, boost: {}, add: { roads: 0.02 } },
  3: { volume: 1.05, boost: { civil_documents: 1.3 }, add: {} },
  4: { volume: 1.0, boost: {}, add: {} },
  5: { volume: 1.15, boost: { local_tax: 2 }, add: {} },
  6: { volume: 1.0, boost: {}, add: { water: 0.02 } },
  7: { volume: 1.1, boost: {}, add: { water: 0.08 } },
  8: { volume: 1.1, boost: {}, add: { water: 0.07 } },
  9: { volume: 1.0, boost: {}, add: {} },
  10: { volume: 0.95, boost: {}, add: {} },
  11: { volume: 0.95, boost: {}, add: {} },
  12: { volume: 1.05, boost: {}, add: { roads: 0.06 } },
};

/** A day of simulated history: open or closed, how many calls relative to the base, and what about. */
export type SeasonalDay = {
  isOpen: boolean;
  /** Multiplies the base calls per working day (closed days: the share of callers who ring anyway). */
  volumeFactor: number;
  mix: TopicMix;
};

/** Share of an average day's callers who still ring on a weekend or public holiday (they hear the closed message). */
export const CLOSED_DAY_CALLER_SHARE = 0.02;

/**
 * The season of a KST day: weekends and public holidays closed (a few callers ring anyway), a working day's volume by
 * weekday and month, its topic mix with the month's topics boosted (shares renormalised to 1).
 */
export function seasonalDay(day: string, isHoliday: boolean, base: TopicMix = DEFAULT_TOPIC_MIX): SeasonalDay {
  const at = kstMidnight(day);
  const dow = new Date(at + KST_OFFSET_MS).getUTCDay();
  const weekday = dow === 0 ? 7 : dow;
  const season = MONTH_SEASONS[Number(day.slice(5, 7))]!;
  const raw = [
    ...base.map((m) => ({ ...m, share: m.share * (season.boost[m.topic] ?? 1) })),
    ...Object.entries(season.add).map(([topic, share]) => ({ topic, ivrChoice: null, share })),
  ];
  const total = raw.reduce((a, m) => a + m.share, 0);
  const mix = raw.map((m) => ({ ...m, share: m.share / total }));
  if (weekday > 5 || isHoliday) return { isOpen: false, volumeFactor: CLOSED_DAY_CALLER_SHARE, mix };
  return { isOpen: true, volumeFactor: WEEKDAY_FACTORS[weekday]! * season.volume, mix };
}
