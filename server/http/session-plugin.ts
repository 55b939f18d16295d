import type { FastifyInstance } from 'fastify';
import { BACKGROUND_HEADER } from '../../core/contracts/auth';
import { AppError } from '../../core/errors';
import type { AppDeps } from '../deps';
import { resolveSession } from '../modules/auth/auth.service';
import { checkAccess, isAdminOnly } from './access';
import { parseIpAllowList } from './ip-allow-list';

export const SESSION_COOKIE = 'onecall_session';

/**
 * Reads the session cookie on every request and applies the rule of the route the request was routed to before its
 * handler runs, whatever spelling of the path got it there (percent-encoded, absolute form): an idle
 * session answers SESSION_EXPIRED, and an admin-only route also needs a client address on ADMIN_ALLOWED_IPS
 * (request.ip honours TRUST_PROXY, so behind a proxy it is the X-Forwarded-For client).
 */
export function registerSessionAuth(app: FastifyInstance, deps: AppDeps): void {
  const adminIps = parseIpAllowList(deps.config.adminAllowedIps);
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    const resolved = token ? await resolveSession(deps, token, request.headers[BACKGROUND_HEADER] !== '1') : null;
    request.user = resolved === 'expired' ? null : resolved;
    // The rule is the chosen route's own (never a test on the URL string); requests no route matched reach only the
    // 404 handler. A route without a rule cannot be registered, and would be refused here.
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    if (resolved === 'expired') {
      const minutes = Math.round(deps.config.idleTimeoutMs / 60_000);
      throw new AppError('SESSION_EXPIRED', `${minutes}분 동안 사용하지 않아 자동으로 로그아웃되었습니다. 다시 로그인하세요.`);
    }
    checkAccess(request, access);
    if (request.user?.display && request.routeOptions.config.display !== true) {
      throw new AppError('DISPLAY_ONLY', '상황판 표시 화면에서는 상황판만 볼 수 있습니다.');
    }
    if (isAdminOnly(access) && !adminIps.allows(request.ip)) {
      throw new AppError('IP_NOT_ALLOWED', '관리 기능은 허용된 네트워크에서만 사용할 수 있습니다.');
    }
  });
}
