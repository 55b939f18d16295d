import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import { AdminUserListSchema, AdminUserSchema, CreateUserBodySchema, TemporaryPasswordAnswerSchema, UpdateUserBodySchema } from '../../../core/contracts/users';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import { createAccount, listAccounts, resetAccountPassword, setAccountActive, updateAccount } from './users.service';

const ADMIN = ['admin'] as const;
const params = z.object({ id: IdSchema });

/** 사용자 관리 (issue #18 item 12): accounts, roles, departments, deactivation and password resets; admin only. */
export function usersRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const actor = (request: Parameters<typeof currentUser>[0]) => ({ id: currentUser(request).id, ip: request.ip });

    app.get('/api/admin/users', { config: { access: ADMIN }, schema: { tags: ['users'], summary: '사용자 목록', response: { 200: AdminUserListSchema } } }, async () => ({
      items: await listAccounts(deps),
    }));

    app.post(
      '/api/admin/users',
      { config: { access: ADMIN }, schema: { tags: ['users'], summary: '사용자 등록 (임시 비밀번호)', body: CreateUserBodySchema, response: { 201: TemporaryPasswordAnswerSchema } } },
      async (request, reply) => reply.status(201).send(await createAccount(deps, actor(request), request.body)),
    );

    app.patch(
      '/api/admin/users/:id',
      { config: { access: ADMIN }, schema: { tags: ['users'], summary: '사용자 정보·역할·부서 변경', params, body: UpdateUserBodySchema, response: { 200: AdminUserSchema } } },
      async (request) => updateAccount(deps, actor(request), request.params.id, request.body),
    );

    app.post(
      '/api/admin/users/:id/deactivate',
      { config: { access: ADMIN }, schema: { tags: ['users'], summary: '계정 비활성화 (모든 세션 종료)', params, response: { 200: AdminUserSchema } } },
      async (request) => setAccountActive(deps, actor(request), request.params.id, false),
    );

    app.post(
      '/api/admin/users/:id/activate',
      { config: { access: ADMIN }, schema: { tags: ['users'], summary: '계정 다시 사용', params, response: { 200: AdminUserSchema } } },
      async (request) => setAccountActive(deps, actor(request), request.params.id, true),
    );

    app.post(
      '/api/admin/users/:id/password-reset',
      { config: { access: ADMIN }, schema: { tags: ['users'], summary: '비밀번호 초기화 (임시 비밀번호, 다음 로그인 때 변경)', params, response: { 200: TemporaryPasswordAnswerSchema } } },
      async (request) => resetAccountPassword(deps, actor(request), request.params.id),
    );
  };
}
