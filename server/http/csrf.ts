import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REQUEST_HEADER } from '../../core/contracts/common';
import { AppError } from '../../core/errors';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when the request's Origin header names this very site (scheme, host and port). */
function isSameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return false;
  return origin === `${request.protocol}://${request.host}`;
}

/**
 * CSRF defence for cookie sessions, on top of SameSite=Strict: every state-changing request to a route must carry
 * `X-OneCall-Request: 1` (the web client always sends it) or a same-origin Origin; otherwise 403. Sign-in is
 * included, so another site cannot sign a browser into an account of its choosing.
 */
export function registerCsrfCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    // Decided by the method and the route chosen, never by the URL's spelling; no route, no handler to protect.
    if (!STATE_CHANGING.has(request.method) || request.is404) return;
    // Signed machine-to-machine webhooks carry no cookie to forge: their HMAC is the check (telephony.routes.ts).
    if (request.routeOptions.config?.signedWebhook === true) return;
    if (request.headers[REQUEST_HEADER] === '1' || isSameOrigin(request)) return;
    throw new AppError('FORBIDDEN', '허용되지 않은 요청입니다. 페이지를 새로 고친 뒤 다시 시도하세요.');
  });
}
