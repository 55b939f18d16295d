import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangePasswordBodySchema,
  ConfirmTotpBodySchema,
  MySecuritySchema,
  SessionIdSchema,
  SessionInfoSchema,
  TotpEnrolmentSchema,
  UserSecuritySchema,
} from '../../../core/contracts/auth';
import { IdSchema } from '../../../core/contracts/common';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import { SESSION_COOKIE } from '../../http/session-plugin';
import {
  changeMyPassword,
  confirmTotpEnrolment,
  getMySecurity,
  listSessionsOf,
  listUserSecurity,
  resetTwoFactor,
  revokeMySession,
  revokeSessionsOf,
  startTotpEnrolment,
  unlockAccount,
} from './security.service';

const ADMIN = ['admin'] as const;
const userParams = z.object({ id: IdSchema });

/** 내 보안 설정 (every signed-in user) and the admin's account-security panel (admin only, from allowed IPs). */
export function securityRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/auth/security',
      { config: { access: 'signed-in' }, schema: { tags: ['auth'], summary: '내 보안 설정', response: { 200: MySecuritySchema } } },
      async (request) => getMySecurity(deps, currentUser(request)),
    );

    app.delete(
      '/api/auth/sessions/:id',
      { config: { access: 'signed-in' }, schema: { tags: ['auth'], params: z.object({ id: SessionIdSchema }), response: { 204: z.null() } } },
      async (request, reply) => {
        const me = currentUser(request);
        await revokeMySession(deps, { ...me, ip: request.ip }, request.params.id);
        if (request.params.id === me.sessionId) reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/password',
      { config: { access: 'signed-in' }, schema: { tags: ['auth'], body: ChangePasswordBodySchema, response: { 204: z.null() } } },
      async (request, reply) => {
        await changeMyPassword(deps, { ...currentUser(request), ip: request.ip }, request.body);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/totp/enrolment',
      { config: { access: 'signed-in' }, schema: { tags: ['auth'], summary: '2단계 인증 등록 시작', response: { 200: TotpEnrolmentSchema } } },
      async (request) => startTotpEnrolment(deps, currentUser(request)),
    );

    app.post(
      '/api/auth/totp/enrolment/confirm',
      { config: { access: 'signed-in' }, schema: { tags: ['auth'], body: ConfirmTotpBodySchema, response: { 204: z.null() } } },
      async (request, reply) => {
        await confirmTotpEnrolment(deps, { ...currentUser(request), ip: request.ip }, request.body.code);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/admin/security/users',
      { config: { access: ADMIN }, schema: { tags: ['admin'], summary: '계정 보안 현황', response: { 200: z.object({ items: z.array(UserSecuritySchema) }) } } },
      async () => ({ items: await listUserSecurity(deps) }),
    );

    app.get(
      '/api/admin/security/users/:id/sessions',
      { config: { access: ADMIN }, schema: { tags: ['admin'], params: userParams, response: { 200: z.object({ items: z.array(SessionInfoSchema) }) } } },
      async (request) => ({ items: await listSessionsOf(deps, request.params.id) }),
    );

    app.delete(
      '/api/admin/security/users/:id/sessions',
      { config: { access: ADMIN }, schema: { tags: ['admin'], summary: '모든 세션 종료', params: userParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await revokeSessionsOf(deps, { ...currentUser(request), ip: request.ip }, request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/admin/security/users/:id/unlock',
      { config: { access: ADMIN }, schema: { tags: ['admin'], summary: '계정 잠금 해제', params: userParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await unlockAccount(deps, { ...currentUser(request), ip: request.ip }, request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/api/admin/security/users/:id/totp',
      { config: { access: ADMIN }, schema: { tags: ['admin'], summary: '2단계 인증 초기화', params: userParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await resetTwoFactor(deps, { ...currentUser(request), ip: request.ip }, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
