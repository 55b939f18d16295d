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
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

/**
 * Deny by default: every /api route must declare `config.access`, or the app refuses to start. The check itself
 * runs in the auth plugin once the session is known.
 */
export function enforceAccessDeclarations(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (route.config?.access === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule`);
    }
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
