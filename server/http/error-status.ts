import type { ErrorCode } from '../../core/errors';

/** The one code → HTTP status table. A code missing here fails to compile. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  // 401, not WebDAV's 423: a locked account is a refused sign-in like a wrong password (the sign-in form and the
  // client treat every 401 under /api/auth/ the same); the code tells them apart.
  ACCOUNT_LOCKED: 401,
  // Idle sign-out (제6조④): the session ended on the server; the client returns to sign-in with its own message.
  SESSION_EXPIRED: 401,
  // A wrong, replayed or expired second-step code (the pending sign-in step, not a session).
  TWO_FACTOR_INVALID: 401,
  // The current password given to change it is wrong: 400, so the client does not mistake it for a lost session.
  WRONG_PASSWORD: 400,
  // 제6조①: admin functions only from the allowed networks.
  IP_NOT_ALLOWED: 403,
  FORBIDDEN: 403,
  // Need-to-know: the agent did not serve this citizen; with a reason (recorded) the same request is answered.
  NEED_TO_KNOW: 403,
  // The day's unmask allowance of the user's role is used up (표시 제한 해제 limit).
  UNMASK_LIMIT: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  IMPORT_INVALID: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  WEBHOOK_SIGNATURE_INVALID: 401,
  WEBHOOK_STALE: 401,
  // Already processed: a PBX that retried after a lost answer may treat this code as delivered.
  WEBHOOK_REPLAYED: 401,
  SOFTPHONE_DISABLED: 404,
  // 회복 (issue #14): the agent may not end or shorten it; only the timer ends it and a supervisor may extend it.
  RECOVERY_IN_PROGRESS: 403,
  PROTECTION_WARNINGS_REQUIRED: 409,
  CALLER_UNKNOWN: 404,
  HANDOFF_EXTENSION_USED: 409,
  HANDOFF_EXTENSION_INVALID: 422,
  HANDOFF_TARGET_INVALID: 422,
  // Supervisors chase, return and re-route; the answer is the department's (issue #18 item 9).
  HANDOFF_ANSWER_FORBIDDEN: 403,
  // 추가 민원: the hand-off was answered, closed or returned meanwhile; another citizen's hand-off is not this call's.
  HANDOFF_NOT_OPEN: 409,
  HANDOFF_OTHER_CITIZEN: 422,
  TRANSFER_TARGET_UNKNOWN: 422,
  LOGIN_TAKEN: 409,
  LAST_ADMIN: 409,
  DEPARTMENT_IN_USE: 409,
  CODE_TAKEN: 409,
  DEPARTMENT_NAME_TAKEN: 409,
  ARTICLE_EDIT_FORBIDDEN: 403,
  DISPLAY_ONLY: 403,
  // The department's system is down, slow or answered badly: the agent is told at once (details.reason).
  LOOKUP_UNAVAILABLE: 503,
  SURVEY_CLOSED: 410,
  SURVEY_OVERALL_QUESTION_MISSING: 422,
  CASE_MAPPING_INVALID: 422,
  RECORDING_REASON_REQUIRED: 400,
  RECORDING_UNPLAYABLE: 422,
  // Playbacks wait for the decoder worker in a short queue; beyond it the supervisor is asked to try again.
  RECORDING_DECODER_BUSY: 503,
};
