import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { fieldLabel } from '../../core/contracts/field-labels';
import { AppError, type ErrorCode } from '../../core/errors';
import { ERROR_STATUS } from './error-status';

/** Fastify's own client errors, translated to our codes. */
function fromFastifyError(err: FastifyError): AppError | undefined {
  const status = err.statusCode ?? 0;
  if (status < 400 || status >= 500) return undefined;
  const byStatus: Record<number, ErrorCode> = { 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED', 404: 'NOT_FOUND' };
  const code = byStatus[status] ?? 'VALIDATION_FAILED';
  const message = code === 'VALIDATION_FAILED' ? '요청 형식이 올바르지 않습니다.' : err.message;
  return new AppError(code, message);
}

const HANGUL = /[\uac00-\ud7a3]/;

/** "전화번호: 올바른 전화번호가 아닙니다." or "입력값이 올바르지 않습니다: 상담 내용, 상담 분류." */
export function validationMessage(issues: readonly { path: string; message?: string | undefined }[]): string {
  const korean = issues.find((i) => i.message && HANGUL.test(i.message));
  if (korean?.message) {
    const label = fieldLabel(korean.path);
    const text = korean.message.trim();
    return label === '입력값' || text.includes(label) ? text : `${label}: ${text}`;
  }
  const labels = [...new Set(issues.filter((i) => i.path).map((i) => fieldLabel(i.path)))];
  return labels.length > 0 ? `입력값이 올바르지 않습니다: ${labels.slice(0, 5).join(', ')}.` : '입력값이 올바르지 않습니다.';
}

/**
 * The one error handler (house style): AppError → its status; request validation → 400 VALIDATION_FAILED with the
 * zod issues; Fastify client errors → their 4xx; anything else is logged with the request id and answered as
 * INTERNAL_ERROR without internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let appError: AppError | undefined;
    if (err instanceof AppError) appError = err;
    else if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ path: v.instancePath, message: v.message }));
      // Name the fields (never their values: they may be personal data) so the user knows what to fix: in Korean,
      // with the schema's own Korean message when it has one ("내선 번호는 숫자 2~8자리입니다.").
      const fields = [...new Set(issues.map((i) => i.path.replace(/^\//, '').replaceAll('/', '.')).filter(Boolean))];
      appError = new AppError('VALIDATION_FAILED', validationMessage(issues), { issues, fields });
    } else appError = fromFastifyError(err);

    if (!appError) {
      request.log.error({ err, reqId: request.id }, 'unhandled error');
      return reply.status(500).send({ error: { code: 'INTERNAL_ERROR', message: '서버 오류가 발생했습니다.' } });
    }
    const body: { code: ErrorCode; message: string; details?: unknown } = { code: appError.code, message: appError.message };
    if (appError.details !== undefined) body.details = appError.details;
    return reply.status(ERROR_STATUS[appError.code]).send({ error: body });
  });
}
