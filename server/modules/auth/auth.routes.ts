import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginBodySchema, MeSchema, type LoginBody } from '../../../core/contracts/auth';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import { SESSION_COOKIE } from '../../http/session-plugin';
import { signIn, signOut, toMe } from './auth.service';

export function authRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: {
          access: 'public',
          // Per client IP and login, after the body is parsed; on top of the account lockout, this slows guessing
          // across many accounts and keeps argon2 from being used to exhaust the CPU.
          rateLimit: {
            max: deps.config.signInRatePerMinute,
            timeWindow: 60_000,
            hook: 'preHandler',
            keyGenerator: (request) => `${request.ip}|${(request.body as LoginBody).login}`,
            errorResponseBuilder: (_request, context) =>
              new AppError('RATE_LIMITED', `로그인 시도가 너무 많습니다. ${Math.ceil(context.ttl / 1000)}초 후에 다시 시도하세요.`),
          },
        },
        schema: { tags: ['auth'], body: LoginBodySchema, response: { 200: MeSchema } },
      },
      async (request, reply) => {
        const { token, me, expiresAt } = await signIn(deps, {
          login: request.body.login,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: deps.config.cookieSecure,
          expires: expiresAt,
        });
        return me;
      },
    );

    app.post(
      '/api/auth/logout',
      { config: { access: 'signed-in' }, schema: { tags: ['auth'], response: { 204: z.null() } } },
      async (request, reply) => {
        await signOut(deps, currentUser(request).sessionId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      { config: { access: 'signed-in' }, schema: { tags: ['auth'], response: { 200: MeSchema } } },
      async (request) => toMe(currentUser(request)),
    );
  };
}
