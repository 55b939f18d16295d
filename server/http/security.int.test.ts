import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../test/factories';
import { createTestContext, type TestContext } from '../test/test-app';

describe('CSRF: state-changing API calls need X-OneCall-Request or a same-origin Origin', () => {
  let t: TestContext;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestContext();
    await buildUser(t.deps.db, { role: 'agent', login: 'csrf-agent' });
    cookie = await t.signIn('csrf-agent');
  });
  afterAll(async () => t.close());

  const simulate = (headers: Record<string, string>) =>
    t.bareInject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie, ...headers }, payload: { callerNumber: '010-3333-4444' } });

  it.each([
    ['no header', {}],
    ['a wrong header value', { 'x-onecall-request': '0' }],
    ['a cross-site Origin', { origin: 'https://evil.example' }],
    ['an opaque Origin', { origin: 'null' }],
    ['a same host on another port', { origin: 'http://localhost:9999' }],
  ])('refuses a POST with %s: 403 FORBIDDEN, nothing written', async (_name, headers) => {
    const before = await t.deps.db.selectFrom('interactions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await simulate(headers);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/허용되지 않은 요청/) });
    const after = await t.deps.db.selectFrom('interactions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('accepts the header, or an Origin of this very site', async () => {
    expect((await simulate({ 'x-onecall-request': '1' })).statusCode).toBe(201);
    expect((await simulate({ origin: 'http://localhost:80', host: 'localhost:80' })).statusCode).toBe(201);
  });

  it('guards sign-in too, but not reads', async () => {
    const res = await t.bareInject({ method: 'POST', url: '/api/auth/login', payload: { login: 'csrf-agent', password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(403);
    expect(res.cookies).toEqual([]);
    expect((await t.bareInject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
  });
});

/** The CSP header as directive → sources. */
function cspOf(header: unknown): Record<string, string> {
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
  );
}

describe('security headers', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  it('sends the web app a strict CSP, nosniff and no HSTS on plain HTTP', async () => {
    for (const url of ['/', '/agent', '/no-such-page']) {
      const res = await t.app.inject({ method: 'GET', url });
      const csp = cspOf(res.headers['content-security-policy']);
      expect(csp).toMatchObject({ 'default-src': "'self'", 'script-src': "'self'", 'style-src': "'self'", 'frame-ancestors': "'none'", 'object-src': "'none'" });
      expect(String(res.headers['content-security-policy'])).not.toContain('unsafe');
      expect(csp['upgrade-insecure-requests']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it("sends API answers a deny-all CSP and no-store: they carry citizens' data", async () => {
    for (const url of ['/api/health', '/api/nothing-here']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(cspOf(res.headers['content-security-policy'])).toEqual({ 'default-src': "'none'", 'frame-ancestors': "'none'" });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('gives the API documentation its own policy, with inline styles for Swagger UI', async () => {
    for (const url of ['/docs/', '/docs/static/swagger-ui.css']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(cspOf(res.headers['content-security-policy'])).toMatchObject({ 'script-src': "'self'", 'style-src': "'self' 'unsafe-inline'" });
    }
  });
});

describe('security headers behind TLS (COOKIE_SECURE=true)', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ COOKIE_SECURE: 'true' });
  });
  afterAll(async () => t.close());

  it('adds HSTS and upgrade-insecure-requests', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/' });
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(cspOf(page.headers['content-security-policy'])['upgrade-insecure-requests']).toBe('');
    const api = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(api.headers['strict-transport-security']).toBe('max-age=31536000');
  });
});
