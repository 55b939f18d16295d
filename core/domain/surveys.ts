import type { AnswerValue, Question, Share, TemplateBody } from '../contracts/surveys';
import { DAY_MS, KST_OFFSET_MS } from './kst';

/**
 * The rules of satisfaction surveys and policy polls (issue #15), pure: who is asked (sampling, consent, opt-out,
 * quiet period), when (after the call, the same KST day), what an answer may be (the scale), what counts as a low
 * score, and the figures (CSAT mean, 만족 share, NPS, response rate, 95% Wilson interval).
 */

/** FNV-1a (32-bit) of a string, mixed by a final avalanche: a stable, evenly spread hash for sampling. Not a secret. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Whether the contact `sourceId` (a case or hand-off id) is in the sample at `rate` (0–1). Deterministic: the same
 * contact is always in or out, so a rerun of the scheduler never draws again (honest numbers: nobody is asked twice
 * because the dice were rolled twice), and over many contacts the share asked is the rate.
 */
export function isSampled(sourceId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  return hash32(sourceId) / 4294967296 < rate;
}

/** Why a citizen is not asked. */
export type SkipReason = 'not_sampled' | 'no_consent' | 'opted_out' | 'quiet_period' | 'no_contact' | 'too_late';

export type Eligibility = { ok: true } | { ok: false; reason: SkipReason };

/**
 * May this citizen be asked now? Opt-out first (for ever, whatever else was said), then consent, then the quiet
 * period: at most one survey per `quietDays` days, counted from the last one sent or scheduled (by blind index).
 * The same check runs when scheduling and again when sending.
 */
export function checkEligibility(c: { optedOut: boolean; consented: boolean; lastAskedAt: Date | null; now: Date; quietDays: number }): Eligibility {
  if (c.optedOut) return { ok: false, reason: 'opted_out' };
  if (!c.consented) return { ok: false, reason: 'no_consent' };
  if (!isOutsideQuietPeriod(c.lastAskedAt, c.now, c.quietDays)) return { ok: false, reason: 'quiet_period' };
  return { ok: true };
}

/** True when `now` is at least `quietDays` days after the last survey (or there was none). */
export function isOutsideQuietPeriod(lastAskedAt: Date | null, now: Date, quietDays: number): boolean {
  return lastAskedAt === null || now.getTime() - lastAskedAt.getTime() >= quietDays * DAY_MS;
}

/**
 * When the survey of a contact that ended at `at` goes out: `delayMinutes` later, on the same KST day; null when that
 * falls on the next day (a survey the next day asks about a memory, not the call). The centre's hours (08:30–18:30)
 * and the default delay (30 min) keep messages in the daytime.
 */
export function surveyDueAt(at: Date, delayMinutes: number): Date | null {
  const due = new Date(at.getTime() + delayMinutes * 60_000);
  return kstDay(due) === kstDay(at) ? due : null;
}

/** The KST day (YYYY-MM-DD) of an instant. */
export function kstDay(at: Date): string {
  return new Date(at.getTime() + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The scale of a question: [min, max] for CSAT and NPS. */
export function scaleOf(type: Question['type']): [number, number] | null {
  if (type === 'csat') return [1, 5];
  if (type === 'nps') return [0, 10];
  return null;
}

export type AnswerProblem = { questionId: string; message: string };

/** Answers checked against the template: every value within its question's scale or options. */
export type CheckedAnswers = { ok: true; answers: Record<string, AnswerValue> } | { ok: false; problems: AnswerProblem[] };

/**
 * Checks a citizen's answers: a number inside the scale (whole numbers only), yes/no as a boolean, an option that
 * exists, distinct options for multiple choice, text up to 1,000 characters; unknown questions and missing required
 * answers are problems. Text is trimmed; empty optional answers are dropped.
 */
export function checkAnswers(questions: readonly Question[], answers: Record<string, AnswerValue>): CheckedAnswers {
  const problems: AnswerProblem[] = [];
  const out: Record<string, AnswerValue> = {};
  const known = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(answers)) if (!known.has(id)) problems.push({ questionId: id, message: '없는 문항입니다.' });
  for (const q of questions) {
    let v = answers[q.id];
    if (typeof v === 'string') v = v.trim();
    const empty = v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (q.required) problems.push({ questionId: q.id, message: '답해 주셔야 하는 문항입니다.' });
      continue;
    }
    const problem = problemOf(q, v!);
    if (problem) problems.push({ questionId: q.id, message: problem });
    else out[q.id] = v!;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, answers: out };
}

function problemOf(q: Question, v: AnswerValue): string | null {
  const scale = scaleOf(q.type);
  if (scale) return typeof v === 'number' && Number.isInteger(v) && v >= scale[0] && v <= scale[1] ? null : `${scale[0]}에서 ${scale[1]} 사이의 정수로 답해 주십시오.`;
  if (q.type === 'resolved') return typeof v === 'boolean' ? null : '예 또는 아니요로 답해 주십시오.';
  const options = new Set((q.options ?? []).map((o) => o.id));
  if (q.type === 'single') return typeof v === 'string' && options.has(v) ? null : '보기 가운데 하나를 골라 주십시오.';
  if (q.type === 'multiple') {
    return Array.isArray(v) && v.every((o) => options.has(o)) && new Set(v).size === v.length ? null : '보기 가운데에서 골라 주십시오.';
  }
  return typeof v === 'string' && v.length <= 1000 ? null : '1,000자 이내로 적어 주십시오.';
}

/**
 * The figures one response adds: the overall CSAT (the answer to the question the template names as its 전반적
 * 만족도, `overallQuestionId`; null when the template names none — a poll), resolved (the first yes/no question), NPS
 * (the first 0–10 question), and the free texts. The overall question is named, never guessed from the order: a 1–5
 * question added at the end of a template does not change what drives the low-score follow-ups.
 */
export function scoreOf(
  questions: readonly Question[],
  overallQuestionId: string | null,
  answers: Record<string, AnswerValue>,
): { csat: number | null; resolved: boolean | null; nps: number | null; texts: string[] } {
  const csatQ = overallQuestionId === null ? undefined : questions.find((q) => q.id === overallQuestionId && q.type === 'csat');
  const resolvedQ = questions.find((q) => q.type === 'resolved');
  const npsQ = questions.find((q) => q.type === 'nps');
  const num = (q: Question | undefined) => (q && typeof answers[q.id] === 'number' ? (answers[q.id] as number) : null);
  return {
    csat: num(csatQ),
    resolved: resolvedQ && typeof answers[resolvedQ.id] === 'boolean' ? (answers[resolvedQ.id] as boolean) : null,
    nps: num(npsQ),
    texts: questions.filter((q) => q.type === 'text' && typeof answers[q.id] === 'string').map((q) => answers[q.id] as string),
  };
}

/** A low score opens a follow-up for the supervisor: overall CSAT at or below `lowScore`, or "not resolved". */
export function lowScoreReason(s: { csat: number | null; resolved: boolean | null }, lowScore: number): string | null {
  if (s.csat !== null && s.csat <= lowScore) return `전반적 만족도 ${s.csat}점`;
  if (s.resolved === false) return '해결되지 않았다는 응답';
  return null;
}

/**
 * The 95% Wilson score interval of `successes` out of `n` (z = 1.96): unlike the normal approximation it stays
 * within [0, 1] and is honest for small samples and shares near 0 or 1. Null figures when n is 0.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): Share {
  if (n <= 0) return { share: null, low: null, high: null, n: 0 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { share: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n };
}

/** NPS: % promoters (9–10) − % detractors (0–6), −100…100; null without answers. */
export function netPromoterScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  return Math.round(((promoters - detractors) / scores.length) * 1000) / 10;
}

/** A happy call (만족도 조사 전화) that does not reach the citizen is tried again; by default closed after this many tries (setting happyCallMaxAttempts). */
export const HAPPY_CALL_MAX_ATTEMPTS = 3;
/** Default minutes between two tries of a happy call that did not reach the citizen (setting happyCallRetryMinutes). */
export const HAPPY_CALL_RETRY_MINUTES = 60;
/** An agent's hold on a happy call lapses after this long (he left the desk): another agent may take it. */
export const HAPPY_CALL_CLAIM_MINUTES = 30;
/**
 * The name of the ACD's outbound queue of happy calls, made on first use: the offer card shows it, and the desk knows
 * a happy call's offer by it (an outbound callback on this queue).
 */
export const HAPPY_CALL_QUEUE_NAME = '만족도 조사 전화';
/** The code of the ACD's outbound happy-call queue (the desk knows a happy call by it: a name can be changed). */
export const HAPPY_CALL_QUEUE_CODE = 'HAPPY_CALL';

/** Why a happy call closed without answers: the citizen did not pick up (after the last try) or declined. */
export type HappyCallClosing = 'no_answer' | 'refused';

/** The centre's rule for tries: how many, and the minutes between two (조사 설정). */
export type HappyCallRetryRule = { maxAttempts: number; retryMinutes: number };

/**
 * What follows a happy call that got no answers: 부재 (no answer) is tried again `retryMinutes` later until the
 * `maxAttempts`-th try, then closed; 거절 (declined) closes at once (asking again would not be honest, nor polite).
 * `attemptsBefore` counts the calls made before this one.
 */
export function nextHappyCallStep(
  attemptsBefore: number,
  outcome: HappyCallClosing,
  now: Date,
  rule: HappyCallRetryRule = { maxAttempts: HAPPY_CALL_MAX_ATTEMPTS, retryMinutes: HAPPY_CALL_RETRY_MINUTES },
): { status: 'retry' | 'closed'; attempts: number; nextAttemptAt: Date | null } {
  const attempts = attemptsBefore + 1;
  if (outcome === 'refused' || attempts >= rule.maxAttempts) return { status: 'closed', attempts, nextAttemptAt: null };
  return { status: 'retry', attempts, nextAttemptAt: new Date(now.getTime() + rule.retryMinutes * 60_000) };
}

/**
 * A question as the keypad survey asks it (ARS, after the call): the words read out, and the digits it takes. CSAT
 * 1–5, 해결 여부 (1 예, 2 아니요), NPS 0–10 (up to two digits) and single choice (up to 9 options, by number) can be
 * answered with the keypad; free text and multiple choice cannot, and are left out (null).
 */
export function keypadPrompt(q: Question): { text: string; min: number; max: number; maxDigits: number } | null {
  if (q.type === 'csat') return { text: `${q.text} 매우 불만족은 1번, 매우 만족은 5번까지, 1에서 5 사이의 번호를 눌러 주십시오.`, min: 1, max: 5, maxDigits: 1 };
  if (q.type === 'resolved') return { text: `${q.text} 예는 1번, 아니요는 2번을 눌러 주십시오.`, min: 1, max: 2, maxDigits: 1 };
  if (q.type === 'nps') return { text: `${q.text} 0에서 10 사이의 숫자를 누르신 뒤 우물 정자를 눌러 주십시오.`, min: 0, max: 10, maxDigits: 2 };
  if (q.type === 'single' && q.options && q.options.length <= 9) {
    return { text: `${q.text} ${q.options.map((o, i) => `${o.label}은 ${i + 1}번`).join(', ')}을 눌러 주십시오.`, min: 1, max: q.options.length, maxDigits: 1 };
  }
  return null;
}

/** The answer the digits give to a keypad question; null when they are not on its scale (never stored out of range). */
export function readKeypadDigits(q: Question, digits: string | null): AnswerValue | null {
  const prompt = keypadPrompt(q);
  if (!prompt || digits === null) return null;
  const pressed = digits.replace(/#$/, '');
  if (!/^\d{1,2}$/.test(pressed) || pressed.length > prompt.maxDigits) return null;
  const n = Number(pressed);
  if (n < prompt.min || n > prompt.max) return null;
  if (q.type === 'resolved') return n === 1;
  if (q.type === 'single') return q.options![n - 1]!.id;
  return n;
}

/** Where a keypad survey stands: the question being asked (index into the template's questions), whether it was asked again, the answers so far. */
export type KeypadState = { index: number; retried: boolean; answers: Record<string, AnswerValue> };

/** The next move of a keypad survey: ask a question (again, after a wrong key), finish with the answers, or stop without answers. */
export type KeypadStep = { kind: 'ask'; state: KeypadState; question: Question; again: boolean } | { kind: 'done'; answers: Record<string, AnswerValue> } | { kind: 'stop' };

function askFrom(questions: readonly Question[], from: number, answers: Record<string, AnswerValue>): KeypadStep {
  for (let i = from; i < questions.length; i++) {
    if (keypadPrompt(questions[i]!)) return { kind: 'ask', state: { index: i, retried: false, answers }, question: questions[i]!, again: false };
  }
  return Object.keys(answers).length > 0 ? { kind: 'done', answers } : { kind: 'stop' };
}

/** The first question of a keypad survey (stop when none can be asked by keypad). */
export function startKeypadSurvey(questions: readonly Question[]): KeypadStep {
  return askFrom(questions, 0, {});
}

/**
 * The digits the citizen pressed for the current question (null: nothing in time). On the scale: taken, then the
 * next question, or done after the last. Off the scale or nothing: asked once more; a second miss stops the survey
 * (nothing stored: a half-answered survey is not an answer, and a guessed digit never enters the figures).
 */
export function advanceKeypadSurvey(questions: readonly Question[], state: KeypadState, digits: string | null): KeypadStep {
  const q = questions[state.index];
  if (!q) return { kind: 'stop' };
  const value = readKeypadDigits(q, digits);
  if (value === null) return state.retried ? { kind: 'stop' } : { kind: 'ask', state: { ...state, retried: true }, question: q, again: true };
  return askFrom(questions, state.index + 1, { ...state.answers, [q.id]: value });
}

/** Satisfied (만족): 4 or 5 on the 1–5 scale, the share the centre reports (e.g. 95.9%). */
export const isSatisfied = (csat: number) => csat >= 4;

const CSAT_LABELS = ['매우 불만족', '불만족', '보통', '만족', '매우 만족'] as const;

/** The words under each point of the 1–5 scale (the page shows them with the number). */
export function csatLabel(score: number): string {
  return CSAT_LABELS[score - 1] ?? String(score);
}

/**
 * The default templates, modelled on the items of the Korean public-service satisfaction survey (행정서비스 만족도:
 * 친절성, 정확성·이해 용이성, 신속성, 해결 여부, 전반적 만족도, 추천 의향, 개선 의견). Seeded as version 1.
 */
export const DEFAULT_TEMPLATES: readonly TemplateBody[] = [
  {
    key: 'call',
    title: '민원콜센터 상담 만족도 조사',
    intro: '오늘 한빛시 민원콜센터 상담에 대한 의견을 여쭙니다. 1분이면 마칠 수 있으며, 응답은 서비스 개선에만 쓰입니다.',
    audience: 'survey',
    questions: [
      { id: 'kind', type: 'csat', text: '상담사는 친절하게 응대하였습니까?', required: true },
      { id: 'clear', type: 'csat', text: '안내받은 내용은 정확하고 이해하기 쉬웠습니까?', required: true },
      { id: 'resolved', type: 'resolved', text: '문의하신 내용이 해결되었습니까?', required: true },
      { id: 'overall', type: 'csat', text: '전반적으로 이번 상담에 얼마나 만족하십니까?', required: true },
      { id: 'comment', type: 'text', text: '더 나은 서비스를 위해 하고 싶은 말씀이 있으면 적어 주십시오. (선택)', required: false },
    ],
    overallQuestionId: 'overall',
  },
  {
    key: 'handoff',
    title: '민원 처리 만족도 조사',
    intro: '담당 부서가 회신드린 민원 처리 결과에 대한 의견을 여쭙니다. 응답은 부서별 서비스 개선에만 쓰입니다.',
    audience: 'survey',
    questions: [
      { id: 'speed', type: 'csat', text: '민원이 신속하게 처리되었습니까?', required: true },
      { id: 'clear', type: 'csat', text: '담당 부서의 답변은 이해하기 쉬웠습니까?', required: true },
      { id: 'resolved', type: 'resolved', text: '민원이 해결되었습니까?', required: true },
      { id: 'overall', type: 'csat', text: '전반적으로 민원 처리 결과에 얼마나 만족하십니까?', required: true },
      { id: 'recommend', type: 'nps', text: '주변 분께 한빛시 민원콜센터 이용을 권하시겠습니까? (0: 전혀 아니다 ~ 10: 매우 그렇다)', required: false },
      { id: 'comment', type: 'text', text: '개선할 점이 있으면 적어 주십시오. (선택)', required: false },
    ],
    overallQuestionId: 'overall',
  },
  {
    key: 'poll-sample',
    title: '생활 정책 여론조사',
    intro: '한빛시가 준비 중인 정책에 대해 시민 여러분의 의견을 여쭙니다. 응답은 통계로만 쓰입니다.',
    audience: 'poll',
    questions: [
      {
        id: 'need',
        type: 'single',
        text: '주말 공공자전거 대여소 확대가 필요하다고 생각하십니까?',
        required: true,
        options: [
          { id: 'yes', label: '필요하다' },
          { id: 'no', label: '필요하지 않다' },
          { id: 'unsure', label: '잘 모르겠다' },
        ],
      },
      {
        id: 'where',
        type: 'multiple',
        text: '대여소가 더 있었으면 하는 곳을 모두 골라 주십시오.',
        required: false,
        options: [
          { id: 'park', label: '공원·하천변' },
          { id: 'station', label: '지하철역·버스정류장' },
          { id: 'school', label: '학교 주변' },
          { id: 'market', label: '전통시장·상가' },
        ],
      },
      { id: 'comment', type: 'text', text: '그 밖의 의견이 있으면 적어 주십시오. (선택)', required: false },
    ],
    overallQuestionId: null,
  },
];
