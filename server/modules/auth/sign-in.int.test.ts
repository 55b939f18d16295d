import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

describe('sign-in: lockout after repeated failures (제5조⑥) and a rate limit', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  const login = (user: string, password: string, ip = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { login: user, password } });
  const row = (id: string) => t.deps.db.selectFrom('users').select(['failed_sign_ins', 'locked_until']).where('id', '=', id).executeTakeFirstOrThrow();

  it('locks the account at the 5th consecutive failure; the right password is refused until 30 minutes pass', async () => {
    const user = await buildUser(t.deps.db, { role: 'agent', login: 'lock-me' });
    for (let i = 1; i <= 4; i++) {
      const res = await login('lock-me', 'wrong-password');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    const fifth = await login('lock-me', 'wrong-password');
    expect(fifth.statusCode).toBe(401);
    expect(fifth.json().error).toMatchObject({ code: 'ACCOUNT_LOCKED', message: expect.stringContaining('30분') });
    expect((await row(user.id)).locked_until).toBe('2026-11-27T01:30:00.000Z');

    t.clock.advance(29 * 60_000);
    const stillLocked = await login('lock-me', TEST_PASSWORD);
    expect(stillLocked.statusCode).toBe(401);
    expect(stillLocked.json().error.code).toBe('ACCOUNT_LOCKED');
    expect(stillLocked.cookies.find((c) => c.name === 'onecall_session')).toBeUndefined();
    // A failure while locked does not extend the lock.
    await login('lock-me', 'wrong-password');
    expect((await row(user.id)).locked_until).toBe('2026-11-27T01:30:00.000Z');

    t.clock.advance(60_000);
    const after = await login('lock-me', TEST_PASSWORD);
    expect(after.statusCode).toBe(200);
    expect(await row(user.id)).toEqual({ failed_sign_ins: 0, locked_until: null });
  });

  it('a success resets the count: failures must be consecutive', async () => {
    const user = await buildUser(t.deps.db, { role: 'official', login: 'reset-me' });
    for (let i = 0; i < 4; i++) await login('reset-me', 'wrong-password');
    expect((await row(user.id)).failed_sign_ins).toBe(4);
    expect((await login('reset-me', TEST_PASSWORD)).statusCode).toBe(200);
    expect((await row(user.id)).failed_sign_ins).toBe(0);
    for (let i = 0; i < 4; i++) {
      const res = await login('reset-me', 'wrong-password', '10.0.0.2');
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    expect((await login('reset-me', TEST_PASSWORD, '10.0.0.2')).statusCode).toBe(200);
  });

  it('an unknown login gets the same answer as a wrong password, in about the same time', async () => {
    await buildUser(t.deps.db, { role: 'agent', login: 'known-user' });
    await login('known-user', 'warm-up-the-hash'); // the dummy hash and argon2 are ready before timing
    await login('nobody-here', 'warm-up-the-hash');
    const timed = async (user: string) => {
      const started = performance.now();
      const res = await login(user, 'wrong-password', '10.0.0.3');
      return { res, ms: performance.now() - started };
    };
    const wrong = await timed('known-user');
    const unknown = await timed('nobody-here');
    expect(unknown.res.statusCode).toBe(wrong.res.statusCode);
    expect(unknown.res.json()).toEqual(wrong.res.json());
    // Both verify one argon2id hash: neither path may be a fraction of the other.
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 3);
    expect(wrong.ms).toBeGreaterThan(unknown.ms / 3);
  });

  it('answers 429 RATE_LIMITED in the error format after 10 attempts a minute for one IP and login', async () => {
    const ip = '10.0.0.9';
    for (let i = 0; i < 10; i++) expect((await login('guess-who', `guess-${i}`, ip)).statusCode).toBe(401);
    const limited = await login('guess-who', 'guess-10', ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/^로그인 시도가 너무 많습니다/) } });
    expect(limited.headers['retry-after']).toBeDefined();
    // Another login from the same address, and the same login from another address, are counted apart.
    expect((await login('someone-else', 'guess', ip)).statusCode).toBe(401);
    expect((await login('guess-who', 'guess', '10.0.0.10')).statusCode).toBe(401);
  });
});
