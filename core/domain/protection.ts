import { AppError } from '../errors';

/**
 * Protecting agents from abusive callers (감정노동 보호, issue #14) as rules the software enforces:
 * 산업안전보건법 제41조 with 시행규칙 제41조 (warn callers in advance) and 시행령 제41조 (stop the work, longer rest,
 * counselling, support for legal action); the usual public-centre practice of ../shared/reference/complaints-kr.md
 * §4.2 (3 warnings then end; 1 for sexual harassment and threats; 긴급종료; repeat callers to a dedicated team).
 * Pure: times are epoch ms given by the caller.
 */

/** What the caller did (the desk's buttons, in this order). */
export const ABUSE_TYPES = ['verbal_abuse', 'sexual_harassment', 'threat', 'prank', 'unreasonable_demand'] as const;
export type AbuseType = (typeof ABUSE_TYPES)[number];

/** Korean names of the types (UI and the evidence page). */
export const ABUSE_TYPE_LABELS: Readonly<Record<AbuseType, string>> = {
  verbal_abuse: '욕설·폭언',
  sexual_harassment: '성희롱',
  threat: '협박',
  prank: '장난전화',
  unreasonable_demand: '반복·부당 요구',
};

/** Where a flagged caller's next calls go: the designated senior queue, or their own queue after a notice. */
export type FlagMode = 'senior_queue' | 'notice_first';

/** The protocol's settings (admin-editable; {@link DEFAULT_PROTECTION_SETTINGS} until changed). */
export type ProtectionSettings = {
  /** Warning texts per type, played in order (warning 1, 2, 3 …); the last repeats when more are given. */
  warningTexts: Record<AbuseType, string[]>;
  /** Warnings after which the agent may end the call, per type (complaints-kr.md §4.2: 3; 1 for 성희롱 and 협박). */
  warningsBeforeEnd: Record<AbuseType, number>;
  /** Played before the protocol hangs up (경기도 120: service suspended). */
  terminationText: string;
  /** Forced rest after an ended abusive call, minutes (issue #14 §3: 10 by default). */
  recoveryMinutes: number;
  /** How long a repeat-caller flag lasts, days (90). */
  flagDays: number;
  flagMode: FlagMode;
  /** The designated senior queue of flagged callers (null: their own queue, with the notice). */
  seniorQueueId: string | null;
  /** What a flagged caller hears first. */
  flaggedCallerText: string;
  /** Continuous talk time after which supervisors are alerted, minutes. */
  continuousTalkAlertMinutes: number;
  /** Occupancy above which the wellbeing page warns (0.85). */
  occupancyWarnAbove: number;
};

/** The notice every caller hears on entering a queue (시행규칙 제41조 1호; complaints-kr.md §4.2 pre-announcement). */
export const DEFAULT_QUEUE_NOTICE_TEXT =
  '보다 나은 상담과 민원 응대 직원 보호를 위해 통화 내용이 녹음됩니다. 상담사에게 폭언, 욕설, 성희롱, 협박을 하시면 ' +
  '관련 법에 따라 통화가 종료될 수 있으며 법적 조치를 받을 수 있습니다.';

/** Defaults from complaints-kr.md §4 (the 고용노동부 guideline's phrasing, 120다산콜 scripts). */
export const DEFAULT_PROTECTION_SETTINGS: ProtectionSettings = {
  warningTexts: {
    verbal_abuse: [
      '고객님, 욕설이나 폭언을 계속하시면 상담을 이어갈 수 없습니다. 자제를 부탁드립니다. (1차 경고)',
      '고객님, 욕설이나 폭언이 계속되고 있습니다. 계속하시면 통화가 종료됩니다. (2차 경고)',
      '고객님, 세 번째 안내입니다. 욕설과 폭언이 계속되어 통화를 종료할 수 있으며, 통화 내용은 법적 조치에 사용될 수 있습니다. (3차 경고)',
    ],
    sexual_harassment: [
      '고객님의 발언은 성희롱에 해당합니다. 계속하시면 즉시 통화가 종료되며, 통화 내용은 법적 조치에 사용될 수 있습니다.',
    ],
    threat: [
      '고객님의 발언은 협박에 해당하여 상담을 이어갈 수 없습니다. 계속하시면 통화가 종료되고 전화 상담이 제한될 수 있으며, 법적 조치를 받을 수 있습니다.',
    ],
    prank: [
      '이 전화는 민원 상담 전용입니다. 장난전화는 다른 시민의 상담을 방해합니다. (1차 안내)',
      '장난전화가 계속되고 있습니다. 계속하시면 통화가 종료됩니다. (2차 안내)',
      '장난전화로 통화를 종료할 수 있습니다. 통화 내용은 기록됩니다. (3차 안내)',
    ],
    unreasonable_demand: [
      '고객님, 같은 요구를 반복하시면 다른 시민의 상담이 늦어집니다. 안내드린 내용 외의 처리는 어렵습니다. (1차 안내)',
      '고객님, 부당한 요구가 계속되고 있습니다. 계속하시면 통화가 종료됩니다. (2차 안내)',
      '고객님, 반복·부당한 요구가 계속되어 통화를 종료할 수 있습니다. (3차 안내)',
    ],
  },
  warningsBeforeEnd: { verbal_abuse: 3, sexual_harassment: 1, threat: 1, prank: 3, unreasonable_demand: 3 },
  terminationText:
    '상담사 보호를 위한 관련 법(산업안전보건법 제41조)에 따라 통화를 종료합니다. 통화 내용은 녹음되었으며 법적 조치에 사용될 수 있습니다.',
  recoveryMinutes: 10,
  flagDays: 90,
  flagMode: 'senior_queue',
  seniorQueueId: null,
  flaggedCallerText:
    '이전 통화에서 상담사에 대한 폭언 등이 확인되어 통화 내용이 녹음되며, 같은 행위가 반복되면 즉시 통화가 종료됩니다.',
  continuousTalkAlertMinutes: 60,
  occupancyWarnAbove: 0.85,
};

/** The warning the next press plays: its step (1-based) and text (the type's last text repeats past the list). */
export function nextWarning(settings: ProtectionSettings, type: AbuseType, given: number): { step: number; text: string } {
  const texts = settings.warningTexts[type];
  const step = given + 1;
  const text = texts[Math.min(step, texts.length) - 1] ?? settings.terminationText;
  return { step, text };
}

/** True once enough warnings of this type were given for the agent to end the call. */
export function canEndAfterWarnings(settings: ProtectionSettings, type: AbuseType, given: number): boolean {
  return given >= Math.max(1, settings.warningsBeforeEnd[type]);
}

/** 긴급종료 (120다산콜 practice): always open for threats, whatever the count; it alerts supervisors at once. */
export function canEmergencyEnd(type: AbuseType): boolean {
  return type === 'threat';
}

/** How the agent ends an abusive call: after the warnings, or the emergency end. */
export type AbusiveEndKind = 'after_warnings' | 'emergency';

/**
 * Refuses an end the protocol does not allow: PROTECTION_WARNINGS_REQUIRED (409) with how many are still needed.
 * An emergency end is refused for other types than threats.
 */
export function assertMayEnd(settings: ProtectionSettings, type: AbuseType, given: number, kind: AbusiveEndKind): void {
  if (kind === 'emergency') {
    if (!canEmergencyEnd(type)) {
      throw new AppError('PROTECTION_WARNINGS_REQUIRED', '긴급종료는 협박에만 쓸 수 있습니다. 경고 후 종료해 주세요.', { type });
    }
    return;
  }
  if (!canEndAfterWarnings(settings, type, given)) {
    const needed = settings.warningsBeforeEnd[type] - given;
    throw new AppError('PROTECTION_WARNINGS_REQUIRED', `경고를 ${needed}회 더 한 뒤 종료할 수 있습니다.`, { type, given, needed });
  }
}

/** When a repeat-caller flag set at `now` expires. */
export function flagExpiresAt(now: number, days: number): number {
  return now + days * 86_400_000;
}

/** A flag counts while it is neither cleared nor expired. */
export function isFlagActive(flag: { expiresAt: number; clearedAt: number | null }, now: number): boolean {
  return flag.clearedAt === null && now < flag.expiresAt;
}

/** Occupancy = handling time ÷ (handling + available time) (contact-center.md: talk + hold + ACW over staffed, not paused). */
export function occupancy(handlingSeconds: number, availableSeconds: number): number | null {
  const staffed = handlingSeconds + availableSeconds;
  return staffed > 0 ? handlingSeconds / staffed : null;
}

/** Checks admin-entered settings: every type has at least one warning text and a limit of 1–10. */
export function validateProtectionSettings(s: ProtectionSettings): string[] {
  const problems: string[] = [];
  for (const t of ABUSE_TYPES) {
    if (s.warningTexts[t].length === 0) problems.push(`warningTexts.${t}: 경고 문구가 최소 1개 필요합니다.`);
    const n = s.warningsBeforeEnd[t];
    if (!Number.isInteger(n) || n < 1 || n > 10) problems.push(`warningsBeforeEnd.${t}: 1~10 사이여야 합니다.`);
  }
  return problems;
}

/** What an agent may ask for after an abusive call (시행령 제41조 1·3·4호). */
export const PROTECTION_REQUEST_KINDS = ['counselling', 'off_phones', 'legal_support'] as const;
export type ProtectionRequestKind = (typeof PROTECTION_REQUEST_KINDS)[number];

export const PROTECTION_REQUEST_STATUSES = ['requested', 'scheduled', 'approved', 'filed', 'done', 'declined', 'closed'] as const;
export type ProtectionRequestStatus = (typeof PROTECTION_REQUEST_STATUSES)[number];

/**
 * How each request is tracked to its outcome: 심리상담 requested → scheduled → done; "off the phones today"
 * requested → approved; 고소·고발 지원 requested → filed (with the police or prosecutor) → closed with the outcome.
 * Any open request may be declined. Returns the statuses reachable from `from`.
 */
export const REQUEST_FLOW: Readonly<Record<ProtectionRequestKind, Readonly<Record<string, readonly ProtectionRequestStatus[]>>>> = {
  counselling: { requested: ['scheduled', 'done', 'declined'], scheduled: ['done', 'declined'] },
  off_phones: { requested: ['approved', 'declined'] },
  legal_support: { requested: ['filed', 'declined'], filed: ['closed'] },
};

/** INVALID_TRANSITION unless a request of this kind may move from `from` to `to`; a closed legal request needs its outcome. */
export function assertRequestTransition(kind: ProtectionRequestKind, from: string, to: ProtectionRequestStatus, outcome: string | null): void {
  const allowed = REQUEST_FLOW[kind][from] ?? [];
  if (!allowed.includes(to)) {
    throw new AppError('INVALID_TRANSITION', '요청을 이 상태로 바꿀 수 없습니다.', { from, to, allowed });
  }
  if (kind === 'legal_support' && to === 'closed' && !outcome) {
    throw new AppError('VALIDATION_FAILED', '고소·고발 지원을 마치려면 결과를 적어 주세요.', { field: 'outcome' });
  }
}

/** One entry of an agent's state log (agent_state_changes): from `at` (epoch ms) the agent was in `status`. */
export type StateChange = { at: number; status: string };

/**
 * Seconds spent in each status between `from` and `to` (epoch ms), from one agent's state log in time order: each
 * status lasts until the next change; the status at `from` is the last change before it (none: logged out).
 */
export function stateDurations(changes: readonly StateChange[], from: number, to: number): Record<string, number> {
  const out: Record<string, number> = {};
  let current: string | null = null;
  let since = from;
  for (const c of changes) {
    if (c.at >= to) break;
    if (c.at <= from) {
      current = c.status;
      continue;
    }
    if (current !== null) out[current] = (out[current] ?? 0) + (c.at - since) / 1000;
    current = c.status;
    since = c.at;
  }
  if (current !== null && to > since) out[current] = (out[current] ?? 0) + (to - since) / 1000;
  return out;
}

/**
 * Talk time (on a call, on hold, consulting), handling time (talk + after-call work) and available time from
 * durations. Reserved (ringing), not ready and 회복 count as neither, as docs/METRICS.md defines occupancy.
 */
export function workTimes(d: Readonly<Record<string, number>>): { talkSeconds: number; handlingSeconds: number; availableSeconds: number } {
  const talkSeconds = (d.on_call ?? 0) + (d.on_hold ?? 0) + (d.consulting ?? 0);
  return { talkSeconds, handlingSeconds: talkSeconds + (d.after_call_work ?? 0), availableSeconds: d.available ?? 0 };
}
