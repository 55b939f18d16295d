import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminUser, TemporaryPasswordAnswer } from '../../../core/contracts/users';
import { buildDepartment, buildUser, TEST_PASSWORD } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/** 사용자 관리 (issue #18 item 12): accounts made, changed, deactivated and reset by the admin; temporary passwords. */
describe('user management', () => {
  let t: TestContext;
  let admin: string;
  let departmentId: string;
  beforeAll(async () => {
    t = await createTestContext();
    await buildUser(t.deps.db, { role: 'admin', login: 'um-admin' });
    departmentId = (await buildDepartment(t.deps.db, { name: '도로과' })).id;
    admin = await t.signIn('um-admin');
  });
  afterAll(async () => t.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, cookie = admin) => t.app.inject({ method, url, payload: payload as object, headers: { cookie } });
  const login = (l: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: l, password } });
  const securityEvents = async (userId: string) =>
    (await t.deps.db.selectFrom('security_events').select('action').where('user_id', '=', userId).execute()).map((r) => r.action).sort();

  it('creates an official with a temporary password that must be replaced at the first sign-in', async () => {
    const res = await call('POST', '/api/admin/users', { login: 'kim.doro', name: '김도로', role: 'official', departmentId, title: '주무관', extension: '2301' });
    expect(res.statusCode).toBe(201);
    const { user, temporaryPassword } = res.json<TemporaryPasswordAnswer>();
    expect(user).toMatchObject({ login: 'kim.doro', role: 'official', departmentName: '도로과', isActive: true, mustChangePassword: true });
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
    // The hash is stored, never the password.
    const stored = await t.deps.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored.password_hash).not.toContain(temporaryPassword);

    // The right temporary password gives a 'password' step, not a session.
    const first = await login('kim.doro', temporaryPassword);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ next: 'password' });
    expect(first.cookies.find((c) => c.name === 'onecall_session')).toBeUndefined();
    const challenge = first.json<{ challenge: string }>().challenge;
    // A TOTP code cannot end this step.
    const byCode = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: '123456' } });
    expect(byCode.json().error.code).toBe('TWO_FACTOR_INVALID');

    const again = await login('kim.doro', temporaryPassword);
    const step = again.json<{ challenge: string }>().challenge;
    const same = await t.app.inject({ method: 'POST', url: '/api/auth/login/password', payload: { challenge: step, newPassword: temporaryPassword } });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.details.problems).toEqual(['same_as_current']);
    const weak = await t.app.inject({ method: 'POST', url: '/api/auth/login/password', payload: { challenge: step, newPassword: 'abc' } });
    expect(weak.json().error.code).toBe('VALIDATION_FAILED');
    const done = await t.app.inject({ method: 'POST', url: '/api/auth/login/password', payload: { challenge: step, newPassword: 'doro-gwa-2301!' } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ login: 'kim.doro', role: 'official' });
    expect(done.cookies.find((c) => c.name === 'onecall_session')).toBeDefined();
    // The step is used up, and the new password signs in directly.
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login/password', payload: { challenge: step, newPassword: 'other-pass-99' } })).json().error.code).toBe('TWO_FACTOR_INVALID');
    expect((await login('kim.doro', 'doro-gwa-2301!')).json()).toMatchObject({ login: 'kim.doro' });
    expect((await login('kim.doro', temporaryPassword)).statusCode).toBe(401);
    expect(await securityEvents(user.id)).toEqual(['account_created', 'password_changed'].sort());
  });

  it('a supervisor with a temporary password sets it first, then enrols 2FA', async () => {
    const res = await call('POST', '/api/admin/users', { login: 'super.new', name: '신관리', role: 'supervisor' });
    const { temporaryPassword } = res.json<TemporaryPasswordAnswer>();
    const step = (await login('super.new', temporaryPassword)).json<{ challenge: string; next: string }>();
    expect(step.next).toBe('password');
    const next = await t.app.inject({ method: 'POST', url: '/api/auth/login/password', payload: { challenge: step.challenge, newPassword: 'super-new-2026' } });
    expect(next.json()).toMatchObject({ next: 'enrol' });
    expect(next.cookies.find((c) => c.name === 'onecall_session')).toBeUndefined();
  });

  it('refuses bad accounts with stable codes and writes nothing', async () => {
    const before = (await call('GET', '/api/admin/users')).json<{ items: AdminUser[] }>().items.length;
    const cases: [unknown, number, string][] = [
      [{ login: 'um-admin', name: '중복', role: 'agent' }, 409, 'LOGIN_TAKEN'],
      [{ login: 'no.dept', name: '부서없음', role: 'official' }, 400, 'VALIDATION_FAILED'],
      [{ login: 'bad.dept', name: '없는부서', role: 'official', departmentId: '0190f5a2-8c1e-7b6a-9d3e-123456789abc' }, 400, 'VALIDATION_FAILED'],
      [{ login: 'head.agent', name: '상담부서장', role: 'agent', isDepartmentHead: true }, 400, 'VALIDATION_FAILED'],
      [{ login: 'Bad Login', name: '공백', role: 'agent' }, 400, 'VALIDATION_FAILED'],
      [{ login: 'x1', name: '짧음', role: 'agent' }, 400, 'VALIDATION_FAILED'],
      [{ login: 'ext.bad', name: '내선', role: 'agent', extension: '12-34' }, 400, 'VALIDATION_FAILED'],
      [{ login: 'role.bad', name: '역할', role: 'mayor' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/api/admin/users', body);
      expect([res.statusCode, res.json().error.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await call('GET', '/api/admin/users')).json<{ items: AdminUser[] }>().items.length).toBe(before);
  });

  it('a change of role or department, a deactivation and a reset end the account sessions', async () => {
    const agent = await buildUser(t.deps.db, { role: 'agent', login: 'um-agent' });
    let cookie = await t.signIn('um-agent');
    expect((await call('GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(200);

    // Name and extension only: the session stays.
    const renamed = await call('PATCH', `/api/admin/users/${agent.id}`, { name: '이름바뀜', extension: '1234' });
    expect(renamed.json()).toMatchObject({ name: '이름바뀜', extension: '1234', role: 'agent' });
    expect((await call('GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(200);

    const moved = await call('PATCH', `/api/admin/users/${agent.id}`, { role: 'official', departmentId });
    expect(moved.json()).toMatchObject({ role: 'official', departmentName: '도로과' });
    expect((await call('GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(401);
    // An official cannot be left without a department.
    expect((await call('PATCH', `/api/admin/users/${agent.id}`, { departmentId: null })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await call('PATCH', `/api/admin/users/${agent.id}`, {})).statusCode).toBe(400);

    cookie = await t.signIn('um-agent');
    const off = await call('POST', `/api/admin/users/${agent.id}/deactivate`);
    expect(off.json()).toMatchObject({ isActive: false });
    expect((await call('GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(401);
    expect((await login('um-agent', TEST_PASSWORD)).statusCode).toBe(401);
    // Twice is the same.
    expect((await call('POST', `/api/admin/users/${agent.id}/deactivate`)).json()).toMatchObject({ isActive: false });
    expect((await call('POST', `/api/admin/users/${agent.id}/activate`)).json()).toMatchObject({ isActive: true });

    cookie = await t.signIn('um-agent');
    const reset = await call('POST', `/api/admin/users/${agent.id}/password-reset`);
    const { temporaryPassword, user } = reset.json<TemporaryPasswordAnswer>();
    expect(user.mustChangePassword).toBe(true);
    expect((await call('GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(401);
    expect((await login('um-agent', temporaryPassword)).json()).toMatchObject({ next: 'password' });
    expect(await securityEvents(agent.id)).toEqual(['role_changed', 'account_deactivated', 'account_activated', 'password_reset'].sort());
  });

  it('never leaves the centre without an active admin, and an admin cannot lock themself out', async () => {
    const me = (await call('GET', '/api/auth/me')).json<{ id: string }>().id;
    expect((await call('POST', `/api/admin/users/${me}/deactivate`)).json().error.code).toBe('LAST_ADMIN');
    expect((await call('PATCH', `/api/admin/users/${me}`, { role: 'agent' })).json().error.code).toBe('LAST_ADMIN');
    const other = await buildUser(t.deps.db, { role: 'admin', login: 'um-admin2' });
    expect((await call('POST', `/api/admin/users/${other.id}/deactivate`)).json()).toMatchObject({ isActive: false });
    expect((await call('PATCH', `/api/admin/users/${other.id}`, { role: 'agent' })).statusCode).toBe(200);
    expect((await call('POST', '/api/admin/users/0190f5a2-8c1e-7b6a-9d3e-123456789abc/deactivate')).statusCode).toBe(404);
  });

  it('is for the admin only', async () => {
    await buildUser(t.deps.db, { role: 'supervisor', login: 'um-super' });
    const supervisor = await t.signIn('um-super');
    expect((await call('GET', '/api/admin/users', undefined, supervisor)).statusCode).toBe(403);
    expect((await call('POST', '/api/admin/users', { login: 'sneaky', name: '몰래', role: 'admin' }, supervisor)).statusCode).toBe(403);
  });
});
