import type { ErrorCode } from '../../core/errors';

/** The one code → HTTP status table. A code missing here fails to compile. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  // 401, not WebDAV's 423: a locked account is a refused sign-in like a wrong password (the sign-in form and the
  // client treat every 401 under /api/auth/ the same); the code tells them apart.
  ACCOUNT_LOCKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  IMPORT_INVALID: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};
