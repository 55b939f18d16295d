import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKGROUND_HEADER } from '../../../core/contracts/auth';
import { buildUser, TEST_PASSWORD } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { loginSubjectOf } from './sign-in-throttle';

/** Idle sign-out (제6조④), session listing and revocation, password change, admin unlock, admin IP allow-list (제6조①). */
describe('sessions: idle sign-out, revocation, password change, unlock', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  const get = (url: string, cookie: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { cookie, ...headers } });
  const lastSeen = async (login: string) =>
    (
      await t.deps.db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select('s.last_seen_at')
        .where('u.login', '=', login)
        .executeTakeFirstOrThrow()
    ).last_seen_at;

  it('ends a session after 30 idle minutes with 401 SESSION_EXPIRED; activity keeps it alive', async () => {
    await buildUser(t.deps.db, { role: 'agent', login: 'idle-1' });
    const cookie = await t.signIn('idle-1');
    t.clock.advance(29 * 60_000);
    expect((await get('/api/auth/me', cookie)).statusCode).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await get('/api/auth/me', cookie)).statusCode).toBe(200);
    t.clock.advance(30 * 60_000);
    const expired = await get('/api/auth/me', cookie);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error).toEqual({ code: 'SESSION_EXPIRED', message: expect.stringContaining('30분 동안 사용하지 않아') });
    // Still expired: activity after the limit does not revive it.
    expect((await get('/api/auth/me', cookie)).json().error.code).toBe('SESSION_EXPIRED');
  });

  it('records activity at most once a minute, and background polling is not activity', async () => {
    await buildUser(t.deps.db, { role: 'agent', login: 'idle-2' });
    const cookie = await t.signIn('idle-2');
    const start = t.clock.now().toISOString();
    t.clock.advance(30_000);
    await get('/api/auth/me', cookie);
    expect(await lastSeen('idle-2')).toBe(start);
    t.clock.advance(31_000);
    await get('/api/auth/me', cookie);
    const touched = t.clock.now().toISOString();
    expect(await lastSeen('idle-2')).toBe(touched);

    for (let i = 0; i < 5; i++) {
      t.clock.advance(5 * 60_000);
      expect((await get('/api/auth/me', cookie, { [BACKGROUND_HEADER]: '1' })).statusCode).toBe(200);
    }
    expect(await lastSeen('idle-2')).toBe(touched);
    // 29 min 57 s after the last activity a background call is still answered (and caches the session) ...
    t.clock.advance(4 * 60_000 + 57_000);
    expect((await get('/api/auth/me', cookie, { [BACKGROUND_HEADER]: '1' })).statusCode).toBe(200);
    // ... and 4 s later, inside the 5 s cache, the cached entry does not extend the dead session.
    t.clock.advance(4_000);
    expect((await get('/api/auth/me', cookie)).json().error.code).toBe('SESSION_EXPIRED');
  });

  it('with a 1-minute idle limit, a request every 20 s keeps the session alive (refresh at half the limit)', async () => {
    const short = await createTestContext({ IDLE_TIMEOUT_MINUTES: '1' });
    try {
      await buildUser(short.deps.db, { role: 'agent', login: 'idle-short' });
      const cookie = await short.signIn('idle-short');
      for (let elapsed = 20; elapsed <= 150; elapsed += 20) {
        short.clock.advance(20_000);
        expect((await short.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode, `${elapsed} s`).toBe(200);
      }
      // Still a 1-minute limit: a minute without activity ends it.
      short.clock.advance(60_000);
      expect((await short.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json().error.code).toBe('SESSION_EXPIRED');
    } finally {
      await short.close();
    }
  });

  it('"계속 사용" (keep-alive) records activity at once', async () => {
    await buildUser(t.deps.db, { role: 'official', login: 'idle-3' });
    const cookie = await t.signIn('idle-3');
    t.clock.advance(28 * 60_000);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/session/keep-alive', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ idleExpiresAt: new Date(t.clock.now().getTime() + 30 * 60_000).toISOString(), idleTimeoutSeconds: 1800 });
    t.clock.advance(20 * 60_000);
    expect((await get('/api/auth/me', cookie)).statusCode).toBe(200);
  });

  it('lists the user\'s own sessions and revokes one: the revoked session gets 401 at once', async () => {
    await buildUser(t.deps.db, { role: 'agent', login: 'rev-1' });
    await buildUser(t.deps.db, { role: 'agent', login: 'rev-other' });
    const a = await t.signIn('rev-1');
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.20.30.40',
      headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0' },
      payload: { login: 'rev-1', password: TEST_PASSWORD },
    });
    const bCookie = `onecall_session=${b.cookies.find((c) => c.name === 'onecall_session')!.value}`;
    expect((await get('/api/auth/me', bCookie)).statusCode).toBe(200); // now cached

    const sec = (await get('/api/auth/security', a)).json();
    expect(sec.sessions).toHaveLength(2);
    const current = sec.sessions.find((s: { isCurrent: boolean }) => s.isCurrent);
    const other = sec.sessions.find((s: { isCurrent: boolean }) => !s.isCurrent);
    expect(current.ip).toBe('127.0.0.1');
    expect(other).toMatchObject({ ip: '10.20.30.40', userAgent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0' });

    // Someone else cannot revoke it.
    const stranger = await t.signIn('rev-other');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${other.id}`, headers: { cookie: stranger } })).statusCode).toBe(404);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${other.id}`, headers: { cookie: a } })).statusCode).toBe(204);
    expect((await get('/api/auth/me', bCookie)).statusCode).toBe(401);
    expect((await get('/api/auth/me', a)).statusCode).toBe(200);
    expect((await get('/api/auth/security', a)).json().sessions).toHaveLength(1);
  });

  it('changing one\'s password checks the current one and the policy, and ends the other sessions', async () => {
    const u = await buildUser(t.deps.db, { role: 'agent', login: 'pw-1' });
    const a = await t.signIn('pw-1');
    const b = await t.signIn('pw-1');
    expect((await get('/api/auth/me', b)).statusCode).toBe(200);
    const change = (currentPassword: string, newPassword: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: a }, payload: { currentPassword, newPassword } });

    const wrong = await change('not-my-password', 'Hanbit-city-2026!');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('WRONG_PASSWORD');
    const weak = await change(TEST_PASSWORD, 'pw-1aaaa1');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { problems: expect.arrayContaining(['contains_login', 'repeated_characters']) } });
    expect((await change(TEST_PASSWORD, TEST_PASSWORD)).json().error.details).toEqual({ problems: ['same_as_current'] });

    expect((await change(TEST_PASSWORD, 'Hanbit-city-2026!')).statusCode).toBe(204);
    expect((await get('/api/auth/me', b)).statusCode).toBe(401);
    expect((await get('/api/auth/me', a)).statusCode).toBe(200);
    const row = await t.deps.db.selectFrom('users').select(['password_hash', 'password_changed_at']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_changed_at).toBe(t.clock.now().toISOString());
    const old = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'pw-1', password: TEST_PASSWORD } });
    expect(old.statusCode).toBe(401);
    await t.signIn('pw-1', 'Hanbit-city-2026!');
  });

  it('wrong current passwords on the password form have their own limit and do not lock signing in (finding 7)', async () => {
    await buildUser(t.deps.db, { role: 'agent', login: 'pw-limit' });
    const cookie = await t.signIn('pw-limit');
    const change = (currentPassword: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie }, payload: { currentPassword, newPassword: 'Hanbit-city-2026!' } });
    for (let i = 1; i <= 4; i++) expect((await change(`not-it-${i}`)).json().error.code).toBe('WRONG_PASSWORD');
    const fifth = await change('not-it-5');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error).toEqual({ code: 'RATE_LIMITED', message: '현재 비밀번호를 여러 번 잘못 입력했습니다. 30분 후에 다시 시도하세요.' });
    // The form refuses even the right one for now ...
    expect((await change(TEST_PASSWORD)).statusCode).toBe(429);
    // ... but signing in, from the same address, is untouched, and the session goes on.
    await t.signIn('pw-limit');
    expect((await get('/api/auth/me', cookie)).statusCode).toBe(200);
    const counted = await t.deps.db.selectFrom('sign_in_throttles').select('scope').where('subject', '=', loginSubjectOf(t.deps, 'pw-limit')).execute();
    expect(counted).toEqual([]);
    t.clock.advance(30 * 60_000);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: await t.signIn('pw-limit') }, payload: { currentPassword: TEST_PASSWORD, newPassword: 'Hanbit-city-2026!' } });
    expect(again.statusCode).toBe(204);
  });

  it('an admin unlocks a locked account, lists and revokes a user\'s sessions; each action is recorded', async () => {
    const agent = await buildUser(t.deps.db, { role: 'agent', login: 'adm-target' });
    const admin = await buildUser(t.deps.db, { role: 'admin', login: 'adm-1' });
    const adminCookie = await t.signIn('adm-1');
    const agentCookie = await t.signIn('adm-target');
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'adm-target', password: 'wrong' } });
    await expect(t.signIn('adm-target')).rejects.toThrow(/ACCOUNT_LOCKED/);

    const list = (await get('/api/admin/security/users', adminCookie)).json().items;
    expect(list.find((u: { login: string }) => u.login === 'adm-target')).toMatchObject({ lockedUntil: expect.any(String), totpEnabled: false, sessionCount: 1 });
    expect(list.find((u: { login: string }) => u.login === 'adm-1')).toMatchObject({ totpEnabled: true, totpRequired: true, lockedUntil: null });

    const unlock = await t.app.inject({ method: 'POST', url: `/api/admin/security/users/${agent.id}/unlock`, headers: { cookie: adminCookie } });
    expect(unlock.statusCode).toBe(204);
    expect((await get('/api/admin/security/users', adminCookie)).json().items.find((u: { login: string }) => u.login === 'adm-target')).toMatchObject({ lockedUntil: null, failedSignIns: 0 });
    const second = await t.signIn('adm-target');

    const sessions = (await get(`/api/admin/security/users/${agent.id}/sessions`, adminCookie)).json().items;
    expect(sessions).toHaveLength(2);
    expect((await get('/api/auth/me', agentCookie)).statusCode).toBe(200);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/admin/security/users/${agent.id}/sessions`, headers: { cookie: adminCookie } });
    expect(revoke.statusCode).toBe(204);
    expect((await get('/api/auth/me', agentCookie)).statusCode).toBe(401);
    expect((await get('/api/auth/me', second)).statusCode).toBe(401);

    const events = await t.deps.db.selectFrom('security_events').select(['action', 'actor_id']).where('user_id', '=', agent.id).orderBy('occurred_at').orderBy('id').execute();
    expect(events).toEqual([
      { action: 'account_unlocked', actor_id: admin.id },
      { action: 'sessions_revoked', actor_id: admin.id },
    ]);
    expect((await t.app.inject({ method: 'POST', url: '/api/admin/security/users/0190f5a2-8c1e-7b6a-9d3e-123456789abc/unlock', headers: { cookie: adminCookie } })).statusCode).toBe(404);
  });
});

describe('admin functions only from allowed addresses (ADMIN_ALLOWED_IPS)', () => {
  it('default: loopback and private ranges (IPv4, IPv6, IPv4-mapped); others get 403 IP_NOT_ALLOWED', async () => {
    const t = await createTestContext();
    try {
      await buildUser(t.deps.db, { role: 'admin', login: 'ip-admin' });
      await buildUser(t.deps.db, { role: 'supervisor', login: 'ip-sup' });
      const admin = await t.signIn('ip-admin');
      const from = (remoteAddress: string, cookie = admin) => t.app.inject({ method: 'GET', url: '/api/admin/security/users', remoteAddress, headers: { cookie } });
      for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.9', '192.168.10.5', '::1', 'fd12:3456::1', '::ffff:192.168.1.5']) {
        expect((await from(ip)).statusCode, ip).toBe(200);
      }
      for (const ip of ['203.0.113.5', '172.32.0.1', '2001:db8::1', '::ffff:8.8.8.8']) {
        const res = await from(ip);
        expect(res.statusCode, ip).toBe(403);
        expect(res.json().error.code).toBe('IP_NOT_ALLOWED');
      }
      // The address limits admin functions only; the admin's other routes answer from anywhere.
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', remoteAddress: '203.0.113.5', headers: { cookie: admin } })).statusCode).toBe(200);
      // A non-admin is refused for the role first.
      expect((await from('203.0.113.5', await t.signIn('ip-sup'))).json().error.code).toBe('FORBIDDEN');
    } finally {
      await t.close();
    }
  });

  it('a configured list, behind a trusted proxy: the forwarded client address counts', async () => {
    const t = await createTestContext({ ADMIN_ALLOWED_IPS: '198.51.100.0/24, 2001:db8:10::/48', TRUST_PROXY: 'true' });
    try {
      await buildUser(t.deps.db, { role: 'admin', login: 'proxy-admin' });
      const admin = await t.signIn('proxy-admin');
      const via = (client: string) =>
        t.app.inject({ method: 'GET', url: '/api/admin/security/users', remoteAddress: '127.0.0.1', headers: { cookie: admin, 'x-forwarded-for': client } });
      expect((await via('198.51.100.7')).statusCode).toBe(200);
      expect((await via('2001:db8:10::25')).statusCode).toBe(200);
      expect((await via('10.0.0.1')).json().error.code).toBe('IP_NOT_ALLOWED');
    } finally {
      await t.close();
    }
    const direct = await createTestContext({ ADMIN_ALLOWED_IPS: '198.51.100.0/24' });
    try {
      await buildUser(direct.deps.db, { role: 'admin', login: 'direct-admin' });
      const admin = await direct.signIn('direct-admin');
      // Without TRUST_PROXY a forwarded header is ignored: the socket address decides.
      const res = await direct.app.inject({ method: 'GET', url: '/api/admin/security/users', remoteAddress: '127.0.0.1', headers: { cookie: admin, 'x-forwarded-for': '198.51.100.7' } });
      expect(res.json().error.code).toBe('IP_NOT_ALLOWED');
    } finally {
      await direct.close();
    }
  });
});
