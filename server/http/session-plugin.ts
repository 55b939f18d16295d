import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps';
import { resolveSession } from '../modules/auth/auth.service';
import { checkAccess } from './access';

export const SESSION_COOKIE = 'onecall_session';

/** Reads the session cookie on every request and applies the route's access rule before its handler runs. */
export function registerSessionAuth(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.user = token ? await resolveSession(deps, token) : null;
    // Unknown paths fall through to the 404 handler; everything routed under /api/ checks its rule.
    if (request.url.startsWith('/api/') && !request.is404) checkAccess(request, request.routeOptions.config.access);
  });
}
