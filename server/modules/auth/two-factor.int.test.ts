import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignInStep } from '../../../core/contracts/auth';
import { buildUser, TEST_PASSWORD } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { loginSubjectOf } from './sign-in-throttle';
import { totpCodeAt } from './totp';

/** TOTP two-factor sign-in (개인정보 안전성 확보조치 기준 제5조⑤): enrolment, codes, replay, lockout, reset. */
describe('two-factor sign-in', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  const login = (user: string, password = TEST_PASSWORD) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: user, password } });
  const sendCode = (challenge: string, code: string) => t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code } });
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
  const cookieOf = (res: { cookies: { name: string; value: string }[] }) => {
    const c = res.cookies.find((x) => x.name === 'onecall_session');
    return c ? `onecall_session=${c.value}` : undefined;
  };
  const user = (id: string) => t.deps.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** Failures counted for a login from the test's address (0 when none). */
  const failures = async (login: string) =>
    (
      await t.deps.db
        .selectFrom('sign_in_throttles')
        .select('failures')
        .where('scope', '=', 'login')
        .where('subject', '=', loginSubjectOf(t.deps, login))
        .where('ip', '=', '127.0.0.1')
        .executeTakeFirst()
    )?.failures ?? 0;
  /** A wrong code: the one two steps ahead (outside the ±1 window), unless it happens to equal a code inside it. */
  const otherCode = (secret: string) => {
    const at = (ms: number) => totpCodeAt(secret, new Date(t.clock.now().getTime() + ms));
    const inWindow = new Set([at(-30_000), at(0), at(30_000)]);
    const ahead = at(60_000);
    return inWindow.has(ahead) ? [...'0123456789'].map((d) => d.repeat(6)).find((c) => !inWindow.has(c))! : ahead;
  };

  /** Enrols a supervisor through the real first sign-in; returns the secret. */
  async function enrol(loginName: string): Promise<string> {
    const step = (await login(loginName)).json<SignInStep>();
    const secret = step.enrolment!.secret;
    expect((await sendCode(step.challenge, totpCodeAt(secret, t.clock.now()))).statusCode).toBe(200);
    return secret;
  }

  it('an agent without 2FA signs in with the password alone', async () => {
    await buildUser(t.deps.db, { role: 'agent', login: 'tf-agent' });
    const res = await login('tf-agent');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ login: 'tf-agent', role: 'agent' });
    expect(cookieOf(res)).toBeDefined();
  });

  it('a supervisor must enrol at the first sign-in; nothing but the enrolment is possible before a right code', async () => {
    const sup = await buildUser(t.deps.db, { role: 'supervisor', login: 'tf-sup' });
    const res = await login('tf-sup');
    expect(res.statusCode).toBe(200);
    const step = res.json<SignInStep>();
    expect(step.next).toBe('enrol');
    expect(cookieOf(res)).toBeUndefined();
    const { secret, otpauthUri, qrDataUrl } = step.enrolment!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(`otpauth://totp/OneCall:tf-sup?secret=${secret}&issuer=OneCall`);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]{200,}$/);

    // The pending step is not a session: its token cannot call the API.
    expect((await me(`onecall_session=${step.challenge}`)).json().error.code).toBe('UNAUTHENTICATED');
    // The pending secret is stored sealed, never in plain text, and not yet enabled.
    const pending = await t.deps.db.selectFrom('sign_in_challenges').selectAll().where('user_id', '=', sup.id).executeTakeFirstOrThrow();
    expect(pending.pending_secret).toMatch(/^v1\./);
    expect(pending.pending_secret).not.toContain(secret);
    expect((await user(sup.id)).totp_secret).toBeNull();

    const wrong = await sendCode(step.challenge, otherCode(secret));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('TWO_FACTOR_INVALID');
    expect(await failures('tf-sup')).toBe(1);

    const ok = await sendCode(step.challenge, totpCodeAt(secret, t.clock.now()));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ login: 'tf-sup', role: 'supervisor' });
    expect((await me(cookieOf(ok)!)).statusCode).toBe(200);
    const row = await user(sup.id);
    expect(row.totp_enabled_at).toBe(t.clock.now().toISOString());
    expect(row.totp_secret).toMatch(/^v1\./);
    expect(t.deps.vault.open(row.totp_secret!)).toBe(secret);
    expect(await failures('tf-sup')).toBe(0);
    // The challenge is gone: it cannot be exchanged twice.
    expect((await sendCode(step.challenge, totpCodeAt(secret, t.clock.now()))).json().error.code).toBe('TWO_FACTOR_INVALID');
    const events = await t.deps.db.selectFrom('security_events').select(['action', 'actor_id']).where('user_id', '=', sup.id).execute();
    expect(events).toEqual([{ action: 'totp_enrolled', actor_id: sup.id }]);
  });

  it('an enrolled user answers with a code; a code cannot be used twice; ±1 step is accepted, 2 steps are not', async () => {
    await buildUser(t.deps.db, { role: 'admin', login: 'tf-admin' });
    const secret = await enrol('tf-admin');

    t.clock.advance(30_000);
    const first = (await login('tf-admin')).json<SignInStep>();
    expect(first).toMatchObject({ next: 'totp' });
    expect(first.enrolment).toBeUndefined();
    const code = totpCodeAt(secret, t.clock.now());
    expect((await sendCode(first.challenge, code)).statusCode).toBe(200);

    // The same code again, within its own 30 s: replay.
    const second = (await login('tf-admin')).json<SignInStep>();
    const replay = await sendCode(second.challenge, code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('TWO_FACTOR_INVALID');
    expect(cookieOf(replay)).toBeUndefined();

    // Three steps later the code of the previous step (clock drift) is accepted, once.
    t.clock.advance(90_000);
    const previous = totpCodeAt(secret, new Date(t.clock.now().getTime() - 30_000));
    expect((await sendCode(second.challenge, previous)).statusCode).toBe(200);
    // Two steps back is outside the window.
    t.clock.advance(90_000);
    const third = (await login('tf-admin')).json<SignInStep>();
    const tooOld = totpCodeAt(secret, new Date(t.clock.now().getTime() - 60_000));
    expect((await sendCode(third.challenge, tooOld)).json().error.code).toBe('TWO_FACTOR_INVALID');
    expect((await sendCode(third.challenge, totpCodeAt(secret, t.clock.now()))).statusCode).toBe(200);
  });

  it('wrong codes count towards the lockout: the 5th failure locks, and then even a right code is refused', async () => {
    await buildUser(t.deps.db, { role: 'supervisor', login: 'tf-lock' });
    const secret = await enrol('tf-lock');
    t.clock.advance(30_000);
    const step = (await login('tf-lock')).json<SignInStep>();
    for (let i = 1; i <= 4; i++) expect((await sendCode(step.challenge, otherCode(secret))).json().error.code).toBe('TWO_FACTOR_INVALID');
    const fifth = await sendCode(step.challenge, otherCode(secret));
    expect(fifth.statusCode).toBe(401);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    expect((await sendCode(step.challenge, totpCodeAt(secret, t.clock.now()))).statusCode).toBe(401);
    expect((await login('tf-lock')).json().error.code).toBe('ACCOUNT_LOCKED');
  });

  it('the pending step expires after 5 minutes', async () => {
    await buildUser(t.deps.db, { role: 'supervisor', login: 'tf-slow' });
    const secret = await enrol('tf-slow');
    t.clock.advance(30_000);
    const step = (await login('tf-slow')).json<SignInStep>();
    t.clock.advance(5 * 60_000);
    const late = await sendCode(step.challenge, totpCodeAt(secret, t.clock.now()));
    expect(late.statusCode).toBe(401);
    expect(late.json().error).toMatchObject({ code: 'TWO_FACTOR_INVALID', details: { restart: true } });
  });

  it('a password change ends a sign-in that was half done with the old password', async () => {
    await buildUser(t.deps.db, { role: 'supervisor', login: 'tf-half' });
    const cookie = await t.signIn('tf-half');
    t.clock.advance(30_000);
    const pending = (await login('tf-half')).json<SignInStep>();
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'Hanbit-city-2026!' },
    });
    expect(change.statusCode).toBe(204);
    const row = await t.deps.db.selectFrom('users').select('totp_secret').where('login', '=', 'tf-half').executeTakeFirstOrThrow();
    const late = await sendCode(pending.challenge, totpCodeAt(t.deps.vault.open(row.totp_secret!), t.clock.now()));
    expect(late.json().error).toMatchObject({ code: 'TWO_FACTOR_INVALID', details: { restart: true } });
  });

  it('bad codes are a 400, not a 500', async () => {
    const res = await sendCode('whatever', '12ab56');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('an agent may enable 2FA from the security page; sign-in then asks for a code', async () => {
    await buildUser(t.deps.db, { role: 'agent', login: 'tf-opt' });
    const cookie = await t.signIn('tf-opt');
    const sec = await t.app.inject({ method: 'GET', url: '/api/auth/security', headers: { cookie } });
    expect(sec.json()).toMatchObject({ totpEnabled: false, totpRequired: false, idleTimeoutMinutes: 30 });
    const start = await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrolment', headers: { cookie } });
    expect(start.statusCode).toBe(200);
    const { secret, qrDataUrl } = start.json<{ secret: string; qrDataUrl: string }>();
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const confirm = (code: string) => t.app.inject({ method: 'POST', url: '/api/auth/totp/enrolment/confirm', headers: { cookie }, payload: { code } });
    expect((await confirm(otherCode(secret))).statusCode).toBe(400);
    expect((await confirm(totpCodeAt(secret, t.clock.now()))).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/security', headers: { cookie } })).json().totpEnabled).toBe(true);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrolment', headers: { cookie } })).json().error.code).toBe('CONFLICT');

    t.clock.advance(30_000);
    expect((await login('tf-opt')).json()).toMatchObject({ next: 'totp' });
  });

  it('an admin resets 2FA: the user\'s sessions end and the next sign-in enrols again', async () => {
    const sup = await buildUser(t.deps.db, { role: 'supervisor', login: 'tf-reset' });
    await buildUser(t.deps.db, { role: 'admin', login: 'tf-reset-admin' });
    const supCookie = await t.signIn('tf-reset');
    const admin = await t.signIn('tf-reset-admin');
    expect((await me(supCookie)).statusCode).toBe(200);
    const reset = await t.app.inject({ method: 'DELETE', url: `/api/admin/security/users/${sup.id}/totp`, headers: { cookie: admin } });
    expect(reset.statusCode).toBe(204);
    expect((await me(supCookie)).statusCode).toBe(401);
    expect((await user(sup.id)).totp_secret).toBeNull();
    expect((await login('tf-reset')).json()).toMatchObject({ next: 'enrol' });
  });
});

describe('two-factor required for everyone (TOTP_REQUIRED_FOR=all)', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ TOTP_REQUIRED_FOR: 'all' });
  });
  afterAll(async () => t.close());

  it('an agent must enrol too, and an agent session from before the rule cannot call the API', async () => {
    const agent = await buildUser(t.deps.db, { role: 'agent', login: 'all-agent' });
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'all-agent', password: TEST_PASSWORD } });
    expect(res.json()).toMatchObject({ next: 'enrol' });
    expect(res.cookies.find((c) => c.name === 'onecall_session')).toBeUndefined();

    // A session row without 2FA (as if made before TOTP_REQUIRED_FOR=all) is refused.
    const { sessionIdOf } = await import('./auth.service');
    const token = 'pre-existing-session-token';
    const now = t.clock.now().toISOString();
    await t.deps.db
      .insertInto('sessions')
      .values({ id: sessionIdOf(token), user_id: agent.id, created_at: now, last_seen_at: now, expires_at: '2099-01-01T00:00:00.000Z', ip: null, user_agent: null })
      .execute();
    const call = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `onecall_session=${token}` } });
    expect(call.statusCode).toBe(401);

    // The helper enrols like a user would.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: await t.signIn('all-agent') } })).statusCode).toBe(200);
  });
});
