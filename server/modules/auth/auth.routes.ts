import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginAnswerSchema, LoginBodySchema, MeSchema, NewPasswordBodySchema, TotpCodeBodySchema, type LoginBody, type NewPasswordBody, type TotpCodeBody } from '../../../core/contracts/auth';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import { SESSION_COOKIE } from '../../http/session-plugin';
import { completePasswordChange, completeSignIn, keepSessionAlive, signIn, signOut, startDisplaySession, toMe, type SignInResult } from './auth.service';

export function authRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const setSessionCookie = (reply: FastifyReply, token: string, expiresAt: Date) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.config.cookieSecure, expires: expiresAt });
  const rateLimited = (context: { ttl: number }) =>
    new AppError('RATE_LIMITED', `로그인 시도가 너무 많습니다. ${Math.ceil(context.ttl / 1000)}초 후에 다시 시도하세요.`);

  /** The sign-in steps' rate limit: signInRatePerMinute per key, counted after the body is parsed. */
  const signInRate = (key: (request: FastifyRequest) => string) => ({
    max: deps.config.signInRatePerMinute,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: key,
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => rateLimited(context),
  });
  /** A sign-in step's answer: the next step, or the user with the session cookie set. */
  const answer = (reply: FastifyReply, result: SignInResult) => {
    if (result.kind === 'step') return result.step;
    setSessionCookie(reply, result.token, result.expiresAt);
    return result.me;
  };

  return async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: {
          access: 'public',
          // Per client IP and login, after the body is parsed; on top of the account lockout, this slows guessing
          // across many accounts and keeps argon2 from being used to exhaust the CPU.
          rateLimit: signInRate((request) => `${request.ip}|${(request.body as LoginBody).login}`),
        },
        schema: {
          tags: ['auth'],
          summary: 'Sign in, step 1 (password): the user, or the second step (TOTP code or first enrolment)',
          body: LoginBodySchema,
          response: { 200: LoginAnswerSchema },
        },
      },
      async (request, reply) => {
        const result = await signIn(deps, {
          login: request.body.login,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        return answer(reply, result);
      },
    );

    app.post(
      '/api/auth/login/totp',
      {
        config: {
          access: 'public',
          // Per pending step (a wrong code also counts towards the account lockout, which bounds guessing overall).
          rateLimit: signInRate((request) => `totp|${request.ip}|${(request.body as TotpCodeBody).challenge}`),
        },
        schema: {
          tags: ['auth'],
          summary: 'Sign in, step 2: the pending step and a TOTP code (or the first code of an enrolment) → session',
          body: TotpCodeBodySchema,
          response: { 200: MeSchema },
        },
      },
      async (request, reply) => {
        const session = await completeSignIn(deps, {
          challenge: request.body.challenge,
          code: request.body.code,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        setSessionCookie(reply, session.token, session.expiresAt);
        return session.me;
      },
    );

    app.post(
      '/api/auth/login/password',
      {
        config: {
          access: 'public',
          rateLimit: signInRate((request) => `password|${request.ip}|${(request.body as NewPasswordBody).challenge}`),
        },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with a temporary password, step 2: the new password → the user, or the 2FA step',
          body: NewPasswordBodySchema,
          response: { 200: LoginAnswerSchema },
        },
      },
      async (request, reply) => {
        const result = await completePasswordChange(deps, {
          challenge: request.body.challenge,
          newPassword: request.body.newPassword,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        return answer(reply, result);
      },
    );

    app.post(
      '/api/auth/logout',
      { config: { access: 'signed-in', display: true }, schema: { tags: ['auth'], response: { 204: z.null() } } },
      async (request, reply) => {
        await signOut(deps, currentUser(request).sessionId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      { config: { access: 'signed-in', display: true }, schema: { tags: ['auth'], response: { 200: MeSchema } } },
      async (request) => toMe(currentUser(request)),
    );

    app.post(
      '/api/auth/display-session',
      {
        config: { access: ['supervisor', 'admin'] },
        schema: {
          tags: ['auth'],
          summary: '상황판 표시 모드: this browser becomes a wall-TV display of the wallboard (view only, no idle sign-out)',
          response: { 200: MeSchema },
        },
      },
      async (request, reply) => {
        const session = await startDisplaySession(deps, currentUser(request), { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
        setSessionCookie(reply, session.token, session.expiresAt);
        return session.me;
      },
    );

    app.post(
      '/api/auth/session/keep-alive',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['auth'],
          summary: '계속 사용: counts as activity now; answers when the session would end if idle',
          response: { 200: z.object({ idleExpiresAt: z.string(), idleTimeoutSeconds: z.number() }) },
        },
      },
      async (request) => ({
        ...(await keepSessionAlive(deps, currentUser(request))),
        idleTimeoutSeconds: Math.round(deps.config.idleTimeoutMs / 1000),
      }),
    );
  };
}
