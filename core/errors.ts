/**
 * The one error type of OneCall and its closed set of codes.
 * Every failure a client can see is an AppError with one of these codes; the HTTP status of each code lives in
 * server/http/error-status.ts, whose table fails to compile when a code is missing.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'SESSION_EXPIRED',
  'TWO_FACTOR_INVALID',
  'WRONG_PASSWORD',
  'IP_NOT_ALLOWED',
  'FORBIDDEN',
  // An agent asked for a citizen he never served, without a recorded reason (need-to-know, issue #10 finding 9).
  'NEED_TO_KNOW',
  'UNMASK_LIMIT',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_TRANSITION',
  'IMPORT_INVALID',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
  // Telephony webhook (issue #4, docs/TELEPHONY-WEBHOOK.md): refused deliveries, all 401.
  'WEBHOOK_SIGNATURE_INVALID',
  'WEBHOOK_STALE',
  'WEBHOOK_REPLAYED',
  // Real SIP (issue #17): the browser softphone asked for credentials while TELEPHONY is not sip (404).
  'SOFTPHONE_DISABLED',
  // Agent protection (감정노동, issue #14): a forced rest the agent cannot shorten; an end before the warnings the
  // protocol needs; a repeat-caller flag on a number never seen.
  'RECOVERY_IN_PROGRESS',
  'PROTECTION_WARNINGS_REQUIRED',
  'CALLER_UNKNOWN',
  // The hand-off lifecycle (issue #11 §3): the one extension is used; a new due date the law does not allow; a
  // department or official that cannot take the hand-off; answers belong to the department's officials.
  'HANDOFF_EXTENSION_USED',
  'HANDOFF_EXTENSION_INVALID',
  'HANDOFF_TARGET_INVALID',
  'HANDOFF_ANSWER_FORBIDDEN',
  // 추가 민원 (issue #11 §3): a repeat call adds only to an open hand-off of the same citizen. Blind transfer: the
  // target is no extension or department number of the directory.
  'HANDOFF_NOT_OPEN',
  'HANDOFF_OTHER_CITIZEN',
  'TRANSFER_TARGET_UNKNOWN',
  // 사용자 관리 (#18 item 12): the login is used by another account; the change would leave no active admin (or
  // the admin would lock themself out).
  'LOGIN_TAKEN',
  'LAST_ADMIN',
  // The admin's editors (#18 item 13): a department still referenced is deactivated, not deleted (or still owns active
  // categories); a department or category code already used; an article outside the editor's department.
  'DEPARTMENT_IN_USE',
  'CODE_TAKEN',
  // Another department already has this name (compared trimmed, spaces collapsed): the directory would be ambiguous.
  'DEPARTMENT_NAME_TAKEN',
  'ARTICLE_EDIT_FORBIDDEN',
  // A wall-TV display session asked for something other than the wallboard.
  'DISPLAY_ONLY',
  // A department look-up (issue #16 §2) whose system is marked down, did not answer in time or answered badly.
  'LOOKUP_UNAVAILABLE',
  // A survey link already answered or expired (issue #15): the page shows a friendly notice, never a second answer.
  'SURVEY_CLOSED',
  // A survey template published without naming its overall question (전반적 만족도): the score is never guessed.
  'SURVEY_OVERALL_QUESTION_MISSING',
  // The case-system link's field mapping cannot be used (issue #16 §1): refused on save with the reasons.
  'CASE_MAPPING_INVALID',
  // A call recording asked for without the reason its access record needs (issue #17 §3): 400.
  'RECORDING_REASON_REQUIRED',
  // A recording that cannot be played (issue #17 §3): its file is damaged or holds no G.711 audio (422, details.reason).
  'RECORDING_UNPLAYABLE',
  // Every recording decoder is busy and the queue of playbacks waiting for one is full (issue #17 §3): 503, try again.
  'RECORDING_DECODER_BUSY',
] as const;

/** A stable, machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure with a stable code, a message safe to show to the user, and optional details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** True when the value is an AppError (also across realms, by shape). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
