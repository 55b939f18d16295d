import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import type { DatabaseHandle } from '../db/database';
import { createAppDeps, type AppDeps } from '../deps';
import { FakeClock } from '../ports/clock/fake.adapter';
import { TEST_PASSWORD } from './factories';
import { createTestDb } from './test-db';

export type TestContext = {
  app: FastifyInstance;
  deps: AppDeps;
  clock: FakeClock;
  handle: DatabaseHandle;
  /** Signs in through the API and returns the session cookie header. */
  signIn: (login: string, password?: string) => Promise<string>;
  close: () => Promise<void>;
};

/** The real app on a fresh database of the run's dialect, with a fake clock (Friday 2026-11-27 10:00 KST). */
export async function createTestContext(): Promise<TestContext> {
  const handle = await createTestDb();
  const clock = new FakeClock('2026-11-27T01:00:00.000Z');
  const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), handle, clock);

  const app = await buildApp(deps, { logger: false });
  await app.ready();
  return {
    app,
    deps,
    clock,
    handle,
    signIn: async (login, password = TEST_PASSWORD) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in of ${login} failed: ${res.statusCode} ${res.body}`);
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
