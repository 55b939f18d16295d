import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../core/contracts/enums';
import { AppError } from '../../core/errors';

/** Who may call a route: nobody signed-in needed, any signed-in user, or these roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];

/** The signed-in user of a request. */
export type SessionUser = {
  id: string;
  login: string;
  name: string;
  role: Role;
  departmentId: string | null;
  departmentName: string | null;
  sessionId: string;
  /** A wall-TV display session: only routes with `config.display` (the wallboard) are open to it. */
  display?: boolean;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Open to wallboard display sessions too (issue #18 item 7); every other route refuses them. */
    display?: boolean;
  }
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

const DEFAULT_ACCESS = Symbol('onecall.defaultAccess');
type ScopeWithDefault = FastifyInstance & { [DEFAULT_ACCESS]?: Access };

/**
 * Deny by default, decided by the route and never by the request's URL: every route must carry `config.access`, or
 * the app refuses to start. Routes that third-party plugins register (the API docs, the static web app) get their rule
 * from the scope they are registered in (`withDefaultAccess`), so no route can exist without one. The check itself
 * runs in the session plugin on `request.routeOptions.config.access`, the rule of the route the router actually chose
 * — whatever spelling of the path (percent-encoded, absolute form) led there.
 */
export function enforceAccessDeclarations(app: FastifyInstance): void {
  app.addHook('onRoute', function (this: ScopeWithDefault, route) {
    if (route.config?.access !== undefined) return;
    const fallback = this[DEFAULT_ACCESS];
    if (fallback === undefined) throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule`);
    route.config = { ...route.config, access: fallback };
  });
}

/**
 * Registers `plugin` in its own scope where routes that declare no rule get `access` (for plugins whose routes we do
 * not write, such as @fastify/swagger-ui and @fastify/static). Everything else must declare its own rule.
 */
export async function withDefaultAccess(app: FastifyInstance, access: Access, plugin: (scope: FastifyInstance) => Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    (scope as ScopeWithDefault)[DEFAULT_ACCESS] = access;
    await plugin(scope);
  });
}

/** Throws unless the request's user may pass the route's rule. */
export function checkAccess(request: FastifyRequest, access: Access | undefined): void {
  if (access === 'public') return;
  if (!request.user) throw new AppError('UNAUTHENTICATED', '로그인이 필요합니다.');
  if (access === 'signed-in') return;
  if (!access || !access.includes(request.user.role)) throw new AppError('FORBIDDEN', '이 기능을 사용할 권한이 없습니다.');
}

/** Admin functions: routes only admins may call. They also need an allowed client address (ADMIN_ALLOWED_IPS). */
export function isAdminOnly(access: Access | undefined): boolean {
  return Array.isArray(access) && access.length > 0 && access.every((role) => role === 'admin');
}

/** The signed-in user (the route's access rule already guaranteed one). */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('UNAUTHENTICATED', '로그인이 필요합니다.');
  return request.user;
}
