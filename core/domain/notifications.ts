/**
 * Telling the citizen (issue #11 §4), the pure part: message templates with Korean placeholders, the SMS/LMS rule by
 * EUC-KR length, and the outbox's retry schedule.
 */

/** The placeholders a template may use, and what each stands for. 처리기한 and 연장사유 belong to the extension notice. */
export const TEMPLATE_PLACEHOLDERS = ['접수번호', '접수일', '분류', '부서', '답변', '처리기한', '연장사유'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];
/** Values of one message; the extension's placeholders are empty in other messages. */
export type TemplateValues = Record<Exclude<TemplatePlaceholder, '처리기한' | '연장사유'>, string> & Partial<Record<'처리기한' | '연장사유', string>>;

/**
 * The message templates an admin may edit: the hand-off answer and the deadline extension (연장 안내, issue #11 §3),
 * each by SMS (body only) and by e-mail (subject + body).
 */
export const TEMPLATE_KEYS = ['handoff_answer.sms', 'handoff_answer.email', 'handoff_extended.sms', 'handoff_extended.email'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** A template's text; `subject` only for e-mail. */
export type TemplateText = { subject: string | null; body: string };

/** The Korean defaults, used until an admin saves an edited template. */
export const DEFAULT_TEMPLATES: Readonly<Record<TemplateKey, TemplateText>> = {
  'handoff_answer.sms': {
    subject: null,
    body: '[한빛시 민원콜센터] {접수일} 문의하신 {분류} 민원에 대한 {부서} 답변입니다: {답변}',
  },
  'handoff_answer.email': {
    subject: '[한빛시 민원콜센터] 문의하신 민원({접수번호})에 대한 답변입니다',
    body:
      '안녕하십니까, 한빛시 민원콜센터입니다.\n\n' +
      '{접수일}에 전화로 문의하신 {분류} 민원(접수번호 {접수번호})에 대하여 {부서}에서 다음과 같이 답변드립니다.\n\n' +
      '{답변}\n\n' +
      '더 궁금하신 점은 민원콜센터로 연락해 주십시오. 이 메일은 발신 전용입니다.',
  },
  // 처리기간 연장 통지 (complaints-kr.md §1.2: the citizen is told the reason and the new date).
  'handoff_extended.sms': {
    subject: null,
    body: '[한빛시 민원콜센터] {접수일} 문의하신 {분류} 민원은 {부서}에서 처리기한을 {처리기한}까지로 연장했습니다. 사유: {연장사유}',
  },
  'handoff_extended.email': {
    subject: '[한빛시 민원콜센터] 민원({접수번호}) 처리기한 연장 안내',
    body:
      '안녕하십니까, 한빛시 민원콜센터입니다.\n\n' +
      '{접수일}에 전화로 문의하신 {분류} 민원(접수번호 {접수번호})의 처리기한을 {부서}에서 {처리기한}까지로 연장하였습니다.\n\n' +
      '연장 사유: {연장사유}\n\n' +
      '기한 안에 답변드리겠습니다. 이 메일은 발신 전용입니다.',
  },
};

const PLACEHOLDER_RE = /\{([^{}]{1,20})\}/g;

/** Placeholders used in `text` that OneCall does not know (a typo an admin should fix before saving). */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER_RE)) {
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(m[1]!)) unknown.add(m[1]!);
  }
  return [...unknown];
}

/** Fills the known placeholders of a template; unknown ones stay as written. */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER_RE, (whole, name: string) =>
    (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name) ? (values[name as TemplatePlaceholder] ?? '') : whole,
  );
}

/**
 * Bytes of `text` in EUC-KR/CP949, the encoding Korean carriers count SMS in: ASCII 1 byte, everything else 2 (every
 * Hangul syllable is 2 bytes in CP949). Characters outside CP949 (emoji) are counted as 2 here; gateways replace them.
 */
export function eucKrBytes(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return n;
}

/** 단문 (SMS): up to 90 bytes. 장문 (LMS): up to 2,000 bytes, the common limit of Korean providers. */
export const SMS_MAX_BYTES = 90;
export const LMS_MAX_BYTES = 2000;

/** SMS or LMS by length; a text over the LMS limit is cut (with "…") so the message still goes. */
export function fitTextMessage(text: string): { kind: 'sms' | 'lms'; text: string } {
  if (eucKrBytes(text) <= SMS_MAX_BYTES) return { kind: 'sms', text };
  if (eucKrBytes(text) <= LMS_MAX_BYTES) return { kind: 'lms', text };
  let out = '';
  let bytes = 0;
  const budget = LMS_MAX_BYTES - eucKrBytes('…');
  for (const ch of text) {
    const b = eucKrBytes(ch);
    if (bytes + b > budget) break;
    out += ch;
    bytes += b;
  }
  return { kind: 'lms', text: `${out}…` };
}

/** How many times the outbox tries a message before it gives up (then the citizen gets a callback task). */
export const OUTBOX_MAX_ATTEMPTS = 6;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;

/**
 * Delay before the next try after `attempts` failed tries (1-based): 30 s, 1, 2, 4, 8 min … doubling, at most one hour.
 * With 6 attempts a message is given up about 15 minutes after the first failure.
 */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** 회신 전화: attempts to reach the citizen by phone before the task is given up (shown on the case). */
export const CALLBACK_MAX_ATTEMPTS = 3;
const CALLBACK_RETRY_MS = 2 * 3_600_000;

/**
 * When the next callback attempt may start after `attempts` (1-based) did not reach the citizen: two hours later, then
 * four: a citizen at work or driving is called again later the same day rather than again at once.
 */
export function callbackRetryAt(attempts: number, now: Date): Date {
  return new Date(now.getTime() + CALLBACK_RETRY_MS * Math.max(1, attempts));
}
