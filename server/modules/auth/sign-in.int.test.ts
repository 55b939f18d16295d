import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignInStep } from '../../../core/contracts/auth';
import { buildUser, TEST_PASSWORD } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { loginSubjectOf } from './sign-in-throttle';
import { totpCodeAt } from './totp';

describe('sign-in: lockout after repeated failures (제5조⑥) per login and address, and a rate limit', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  const login = (user: string, password: string, ip = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { login: user, password } });
  /** The count of a login from an address (none: no row). */
  const row = (user: string, ip = '127.0.0.1') =>
    t.deps.db
      .selectFrom('sign_in_throttles')
      .select(['failures', 'locked_until'])
      .where('scope', '=', 'login')
      .where('subject', '=', loginSubjectOf(t.deps, user))
      .where('ip', '=', ip)
      .executeTakeFirst();

  it('locks the login from that address at the 5th consecutive failure; the right password is refused until 30 minutes pass', async () => {
    await buildUser(t.deps.db, { role: 'agent', login: 'lock-me' });
    for (let i = 1; i <= 4; i++) {
      const res = await login('lock-me', 'wrong-password');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    const fifth = await login('lock-me', 'wrong-password');
    expect(fifth.statusCode).toBe(401);
    expect(fifth.json().error).toMatchObject({ code: 'ACCOUNT_LOCKED', message: expect.stringContaining('30분') });
    expect((await row('lock-me'))?.locked_until).toBe('2026-11-27T01:30:00.000Z');

    t.clock.advance(29 * 60_000);
    const stillLocked = await login('lock-me', TEST_PASSWORD);
    expect(stillLocked.statusCode).toBe(401);
    expect(stillLocked.json().error.code).toBe('ACCOUNT_LOCKED');
    expect(stillLocked.cookies.find((c) => c.name === 'onecall_session')).toBeUndefined();
    // A failure while locked does not extend the lock.
    await login('lock-me', 'wrong-password');
    expect((await row('lock-me'))?.locked_until).toBe('2026-11-27T01:30:00.000Z');

    t.clock.advance(60_000);
    const after = await login('lock-me', TEST_PASSWORD);
    expect(after.statusCode).toBe(200);
    expect(await row('lock-me')).toBeUndefined();
  });

  it('a success resets the count: failures must be consecutive', async () => {
    await buildUser(t.deps.db, { role: 'official', login: 'reset-me' });
    for (let i = 0; i < 4; i++) await login('reset-me', 'wrong-password');
    expect((await row('reset-me'))?.failures).toBe(4);
    expect((await login('reset-me', TEST_PASSWORD)).statusCode).toBe(200);
    expect(await row('reset-me')).toBeUndefined();
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

  it('an unknown login answers exactly like a known one, through the lock and after it (finding 7)', async () => {
    await buildUser(t.deps.db, { role: 'agent', login: 'exists-7' });
    const ip = '10.7.0.1';
    for (let attempt = 1; attempt <= 7; attempt++) {
      const known = await login('exists-7', 'wrong-password', ip);
      const unknown = await login('ghost-7', 'wrong-password', ip);
      expect({ status: unknown.statusCode, body: unknown.json() }, `attempt ${attempt}`).toEqual({ status: known.statusCode, body: known.json() });
      expect(known.json().error.code).toBe(attempt < 5 ? 'INVALID_CREDENTIALS' : 'ACCOUNT_LOCKED');
    }
    // The wording claims no account either.
    expect((await login('ghost-7', 'x', ip)).json().error.message).not.toMatch(/계정/);
  });

  it('someone guessing from one address cannot lock the real user out from another (finding 7)', async () => {
    await buildUser(t.deps.db, { role: 'admin', login: 'real-admin' });
    const attacker = '203.0.113.66';
    for (let i = 0; i < 5; i++) await login('real-admin', `guess-${i}`, attacker);
    expect((await login('real-admin', 'guess-5', attacker)).json().error.code).toBe('ACCOUNT_LOCKED');
    // Even the right password is refused from the attacker's address ...
    expect((await login('real-admin', TEST_PASSWORD, attacker)).json().error.code).toBe('ACCOUNT_LOCKED');
    // ... while the admin signs in (password, then TOTP) from her own, and again after more guessing.
    await t.signIn('real-admin');
    for (let i = 0; i < 3; i++) await login('real-admin', `guess-${i}`, attacker);
    await t.signIn('real-admin');
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

describe('sign-in: one address failing across many logins is throttled (finding 7)', () => {
  it('SIGN_IN_IP_MAX_FAILURES failures from one address (any logins) refuse it for 30 minutes; others are not affected', async () => {
    const t = await createTestContext({ SIGN_IN_IP_MAX_FAILURES: '4' });
    try {
      await buildUser(t.deps.db, { role: 'agent', login: 'ip-agent' });
      await buildUser(t.deps.db, { role: 'supervisor', login: 'ip-sup' });
      await t.signIn('ip-sup'); // enrols 2FA
      const login = (user: string, password: string, ip: string) =>
        t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { login: user, password } });
      const sprayer = '198.51.100.23';
      t.clock.advance(30_000);
      const pending = (await login('ip-sup', TEST_PASSWORD, sprayer)).json<SignInStep>();
      expect(pending.next).toBe('totp');
      // Successes do not count (many agents behind one NAT address sign in all day).
      for (let i = 0; i < 5; i++) expect((await login('ip-agent', TEST_PASSWORD, sprayer)).statusCode).toBe(200);
      for (let i = 0; i < 4; i++) expect((await login(`spray-${i}`, 'Winter2026!', sprayer)).json().error.code).toBe('INVALID_CREDENTIALS');
      const known = await login('ip-agent', TEST_PASSWORD, sprayer);
      const unknown = await login('spray-new', 'Winter2026!', sprayer);
      expect(known.statusCode).toBe(429);
      expect(known.json()).toEqual({ error: { code: 'RATE_LIMITED', message: '이 접속 위치에서 로그인 실패가 너무 많습니다. 30분 후에 다시 시도하세요.' } });
      expect(unknown.json()).toEqual(known.json());
      // A second step pending from that address ends too, and tells the screen to start again.
      const sup = await t.deps.db.selectFrom('users').select('totp_secret').where('login', '=', 'ip-sup').executeTakeFirstOrThrow();
      const code = totpCodeAt(t.deps.vault.open(sup.totp_secret!), t.clock.now());
      const second = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', remoteAddress: sprayer, payload: { challenge: pending.challenge, code } });
      expect(second.statusCode).toBe(429);
      expect(second.json().error).toMatchObject({ code: 'RATE_LIMITED', details: { restart: true } });
      // An IPv6 client counts by its /64, so rotating the interface id does not help.
      for (let i = 1; i <= 4; i++) await login(`v6-${i}`, 'x', `2001:db8:5:6::${i}`);
      expect((await login('ip-agent', TEST_PASSWORD, '2001:db8:5:6:abcd::9')).statusCode).toBe(429);
      expect((await login('ip-agent', TEST_PASSWORD, '2001:db8:5:7::1')).statusCode).toBe(200);

      expect((await login('ip-agent', TEST_PASSWORD, '198.51.100.24')).statusCode).toBe(200);
      t.clock.advance(30 * 60_000);
      expect((await login('ip-agent', TEST_PASSWORD, sprayer)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  }, 90_000);
});
