import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
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
      // Name the fields (never their values: they may be personal data) so the user knows what to fix.
      const fields = [...new Set(issues.map((i) => i.path.replace(/^\//, '').replaceAll('/', '.')).filter(Boolean))];
      const where = fields.length > 0 ? ` (${fields.slice(0, 5).join(', ')})` : '';
      appError = new AppError('VALIDATION_FAILED', `입력값이 올바르지 않습니다${where}.`, { issues, fields });
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
