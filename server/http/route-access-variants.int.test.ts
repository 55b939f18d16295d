import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_HEADER } from '../../core/contracts/common';
import type { Role } from '../../core/contracts/enums';
import { ACCESS, ID, ROLES } from '../test/access-table';
import { buildDepartment, buildUser } from '../test/factories';
import { createTestContext, type TestContext } from '../test/test-app';

/**
 * Issue #10, finding 1: the access rules were skipped when the request target was spelled differently from the
 * route (`/%61pi/...`, `/a%70i/...`, `GET http://host/api/...`): the hooks tested the raw URL string while the router
 * decoded it. Every route of the OpenAPI document is sent here over real HTTP (raw request targets, as an attacker's
 * client sends them) in each spelling, anonymous and as each role, and must answer as the plain path does.
 */

type Answer = { status: number; code: string | undefined };

/** Every character percent-encoded (lower-case hex). */
const encodeAll = (segment: string) => [...segment].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');

/** Spellings the router takes to the same route: they must get exactly the plain path's answer. */
const SAME_ROUTE: Array<[string, (path: string, host: string) => string]> = [
  ['first letter of api percent-encoded', (p) => p.replace(/^\/api\//, '/%61pi/')],
  ['a later letter of api percent-encoded', (p) => p.replace(/^\/api\//, '/a%70i/')],
  ['the second segment encoded, lower-case hex', (p) => p.replace(/^\/api\/([a-z]+)/, (_, seg: string) => `/api/${encodeAll(seg)}`)],
  ['the second segment encoded, upper-case hex', (p) => p.replace(/^\/api\/([a-z]+)/, (_, seg: string) => `/api/${encodeAll(seg).toUpperCase()}`)],
  ['absolute form', (p, host) => `http://${host}${p}`],
  ['absolute form, encoded', (p, host) => `http://${host}${p.replace(/^\/api\//, '/%61pi/')}`],
];

/** Spellings that name no route, or another one: never a success where the plain path refuses. */
const OTHER_ROUTE: Array<[string, (path: string, host: string) => string]> = [
  ['double-encoded', (p) => p.replace(/^\/api\//, '/%2561pi/')],
  ['upper case', (p) => p.replace(/^\/api\//, '/API/')],
  ['mixed case', (p) => p.replace(/^\/api\//, '/Api/')],
  ['trailing slash', (p) => `${p}/`],
  ['double slash', (p) => `/${p}`],
  ['dot segment', (p) => p.replace(/^\/api\//, '/x/../api/')],
];

/** Routes that end the caller's own session: probed anonymously only, so the shared sessions live on. */
const ENDS_SESSION = new Set(['POST /api/auth/logout', 'POST /api/auth/display-session']);

describe.each([
  ['any client address', {}],
  ['admin routes closed to this address', { ADMIN_ALLOWED_IPS: '10.0.0.0/8' }],
])('every route, every spelling of its path (%s)', (_label, env) => {
  let t: TestContext;
  let host: string;
  const cookies = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await createTestContext(env);
    const dept = await buildDepartment(t.deps.db);
    for (const role of ROLES) {
      await buildUser(t.deps.db, { role, login: `v-${role}`, departmentId: role === 'official' ? dept.id : null });
      cookies[role] = await t.signIn(`v-${role}`);
    }
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    host = `127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => t.close());

  /** One request with a raw request target, exactly as given (no client-side normalising). */
  function send(method: string, target: string, headers: Record<string, string>): Promise<Answer> {
    const [hostname, port] = host.split(':') as [string, string];
    return new Promise((resolve, reject) => {
      const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
      const req = http.request(
        { hostname, port: Number(port), method, path: target, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            let code: string | undefined;
            try {
              code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
            } catch {
              code = undefined;
            }
            resolve({ status: res.statusCode ?? 0, code });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const isRefusal = (a: Answer) => a.status === 401 || a.status === 403;

  it.each(Object.entries(ACCESS))('%s', async (route, rule) => {
    const [method, pattern] = route.split(' ') as [string, string];
    const path = pattern.replace('{id}', ID).replace('{day}', '2026-12-25') + (pattern === '/api/kb/search' ? '?q=%EC%97%AC%EA%B6%8C' : '');
    const identities: Array<[string, Record<string, string>]> = [['anonymous', {}]];
    if (!ENDS_SESSION.has(route)) for (const role of ROLES) identities.push([role, { cookie: cookies[role] }]);

    for (const [who, auth] of identities) {
      const headers = { ...auth, [REQUEST_HEADER]: '1' };
      const plain = await send(method, path, headers);
      // (The webhook answers 503 here: no signing secret is configured in tests.)
      if (rule !== 'signed') expect(plain.status, `${who} ${route}: a plain request never fails on the server`).toBeLessThan(500);
      for (const [name, spell] of SAME_ROUTE) {
        const answer = await send(method, spell(path, host), headers);
        const what = `${who} ${method} ${spell(path, host)} (${name})`;
        if (isRefusal(plain) || rule === 'signed') expect(answer, what).toEqual(plain);
        else expect(isRefusal(answer), `${what}: ${answer.status} ${answer.code ?? ''}`).toBe(false);
        if (rule !== 'signed') expect(answer.status, what).toBeLessThan(500);
      }
      for (const [name, spell] of OTHER_ROUTE) {
        const answer = await send(method, spell(path, host), headers);
        const what = `${who} ${method} ${spell(path, host)} (${name})`;
        // Such a spelling may reach another route (`/api/cases/` is `/api/cases/{id}` with an empty id), which applies
        // its own rule; what must never happen is a success where the plain path refuses.
        if (isRefusal(plain)) expect(answer.status, `${what}: ${answer.status} ${answer.code ?? ''}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, what).toBeLessThan(rule === 'signed' ? 600 : 500);
      }
      // Without the CSRF header a state-changing call is refused in every spelling (or not routed at all).
      if (method !== 'GET' && rule !== 'signed') {
        for (const [name, spell] of [...SAME_ROUTE, ...OTHER_ROUTE]) {
          const answer = await send(method, spell(path, host), auth);
          const what = `${who} ${method} ${spell(path, host)} (${name}) without the CSRF header`;
          if (answer.status !== 404) expect([401, 403, 429], `${what}: ${answer.status}`).toContain(answer.status);
        }
      }
    }
  });

  it('routes the encoded and absolute spellings at all (the test above would otherwise prove nothing)', async () => {
    const headers = { cookie: cookies.agent, [REQUEST_HEADER]: '1' };
    for (const [, spell] of SAME_ROUTE) {
      expect((await send('GET', spell('/api/auth/me', host), headers)).status).toBe(200);
      expect(await send('GET', spell('/api/admin/security/users', host), {})).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await send('GET', spell('/api/admin/security/users', host), headers)).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
  });
});
