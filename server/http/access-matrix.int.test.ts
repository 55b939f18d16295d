import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/contracts/enums';
import { ACCESS, ID, ROLES } from '../test/access-table';
import { buildDepartment, buildUser } from '../test/factories';
import { createTestContext, type TestContext } from '../test/test-app';

describe('access control: deny by default, role by role', () => {
  let t: TestContext;
  const cookies = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await createTestContext();
    const dept = await buildDepartment(t.deps.db);
    for (const role of ROLES) {
      await buildUser(t.deps.db, { role, login: `m-${role}`, departmentId: role === 'official' ? dept.id : null });
      cookies[role] = await t.signIn(`m-${role}`);
    }
  });
  afterAll(async () => t.close());

  function routes(): string[] {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  }

  it('every API route has a rule in this table, and every rule a route', () => {
    expect(routes().sort()).toEqual(Object.keys(ACCESS).sort());
  });

  it.each(Object.entries(ACCESS))('%s', async (route, rule) => {
    const [method, path] = route.split(' ') as [string, string];
    const url = path.replace('{id}', ID) + (path === '/api/kb/search' ? '?q=여권' : '');
    const send = (cookie?: string) =>
      t.app.inject({ method: method as 'GET', url, ...(cookie ? { headers: { cookie } } : {}), ...(method === 'POST' ? { payload: {} } : {}) });

    const anonymous = await send();
    if (rule === 'signed') {
      // No session makes a difference: anonymous and every role get the same refusal (here 503: no secret configured).
      expect(anonymous.statusCode).toBeGreaterThanOrEqual(400);
      for (const role of ROLES) expect((await send(cookies[role])).statusCode).toBe(anonymous.statusCode);
      return;
    }
    if (rule === 'public') {
      expect(anonymous.statusCode).not.toBe(401);
      return;
    }
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    for (const role of ROLES) {
      // Signing out and turning the browser into a wallboard display end the session: use a fresh one for those.
      const cookie = route === 'POST /api/auth/logout' || route === 'POST /api/auth/display-session' ? await t.signIn(`m-${role}`) : cookies[role];
      const res = await send(cookie);
      if (rule.includes(role)) expect(res.statusCode, `${role} may call ${route}`).not.toBe(403);
      else {
        expect(res.statusCode, `${role} may not call ${route}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    }
  });
});
