import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { isSignInStep, type LoginAnswer, type SignInStep } from '../../core/contracts/auth';
import { REQUEST_HEADER } from '../../core/contracts/common';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import type { DatabaseHandle } from '../db/database';
import { createAppDeps, type AppDeps } from '../deps';
import { totpCodeAt } from '../modules/auth/totp';
import { FakeClock } from '../ports/clock/fake.adapter';
import { TEST_PASSWORD } from './factories';
import { createTestDb } from './test-db';

export type TestContext = {
  app: FastifyInstance;
  deps: AppDeps;
  clock: FakeClock;
  handle: DatabaseHandle;
  /** app.inject without the default X-OneCall-Request header, for testing the CSRF check. */
  bareInject: (options: InjectOptions) => Promise<LightMyRequestResponse>;
  /**
   * Signs in through the API and returns the session cookie header. Users with two-factor sign-in (supervisors and
   * admins by default) enrol at their first helper sign-in and answer with a code at the fake clock's time after.
   */
  signIn: (login: string, password?: string) => Promise<string>;
  close: () => Promise<void>;
};

/**
 * The real app on a fresh database of the run's dialect, with a fake clock (Friday 2026-11-27 10:00 KST).
 * `app.inject` sends `X-OneCall-Request: 1` like the web client, unless a test sets the header itself; `env` adds
 * configuration (e.g. COOKIE_SECURE).
 */
export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const handle = await createTestDb();
  const clock = new FakeClock('2026-11-27T01:00:00.000Z');
  const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }), handle, clock);

  const app = await buildApp(deps, { logger: false });
  await app.ready();
  const bareInject = app.inject.bind(app) as (options: InjectOptions) => Promise<LightMyRequestResponse>;
  const asClient = (options: InjectOptions): InjectOptions => ({ ...options, headers: { [REQUEST_HEADER]: '1', ...options.headers } });
  Object.assign(app, { inject: (options: InjectOptions) => bareInject(asClient(options)) });

  /**
   * The second sign-in step, as a user with an authenticator app would do it at the fake clock's time: a first
   * enrolment takes the secret the server shows; an enrolled user's code comes from the stored secret (opened with
   * the test's vault). Helper sign-ins of one user may repeat within one 30 s step, which the replay rule refuses,
   * so the helper forgets the last used step first: replay itself is tested in two-factor.int.test.ts.
   */
  async function completeTwoFactor(login: string, step: SignInStep): Promise<LightMyRequestResponse> {
    let secret = step.enrolment?.secret;
    if (step.next === 'totp') {
      const user = await deps.db.selectFrom('users').select(['id', 'totp_secret']).where('login', '=', login).executeTakeFirstOrThrow();
      if (!user.totp_secret) throw new Error(`${login} has no TOTP secret`);
      secret = deps.vault.open(user.totp_secret);
      await deps.db.updateTable('users').set({ totp_last_step: null }).where('id', '=', user.id).execute();
    }
    if (!secret) throw new Error(`no TOTP secret for ${login}`);
    const res = await app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: step.challenge, code: totpCodeAt(secret, clock.now()) } });
    if (res.statusCode !== 200) throw new Error(`two-factor sign-in of ${login} failed: ${res.statusCode} ${res.body}`);
    return res;
  }
  return {
    app,
    deps,
    clock,
    handle,
    bareInject,
    signIn: async (login, password = TEST_PASSWORD) => {
      let res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in of ${login} failed: ${res.statusCode} ${res.body}`);
      const answer = res.json<LoginAnswer>();
      if (isSignInStep(answer)) res = await completeTwoFactor(login, answer);
      const cookie = res.cookies.find((c) => c.name === 'onecall_session');
      if (!cookie) throw new Error('no session cookie');
      return `onecall_session=${cookie.value}`;
    },
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
