import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sipPassword } from '../../ports/telephony/sip/credentials';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

const SECRET = 'sip-secret-for-tests-0123456789';

describe('softphone credentials (GET /api/softphone/credentials) and Kamailio auth check', () => {
  let sip: TestContext;
  let plain: TestContext;
  beforeAll(async () => {
    sip = await createTestContext({ TELEPHONY: 'sip', SIP_SHARED_SECRET: SECRET, SIP_DOMAIN: 'city.test', SIP_WS_URL: 'wss://sip.city.test' });
    plain = await createTestContext();
  });
  afterAll(async () => {
    await sip.close();
    await plain.close();
  });

  it('gives a signed-in agent short-lived credentials Kamailio can verify through OneCall', async () => {
    const agent = await buildUser(sip.deps.db, { role: 'agent' });
    const cookie = await sip.signIn(agent.login);
    const res = await sip.app.inject({ method: 'GET', url: '/api/softphone/credentials', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ wsUrl: 'wss://sip.city.test', sipDomain: 'city.test', aor: `sip:${agent.login}@city.test`, iceServers: [] });
    expect(body.authorizationUsername).toMatch(new RegExp(`^\\d+:${agent.login}$`));
    expect(Date.parse(String(body.expiresAt))).toBeGreaterThan(sip.clock.now().getTime());
    expect(res.headers['cache-control']).toBe('no-store');

    const ask = (headers: Record<string, string>, username = String(body.authorizationUsername)) =>
      sip.app.inject({ method: 'GET', url: `/api/telephony/sip/auth?username=${encodeURIComponent(username)}`, headers, remoteAddress: '127.0.0.1' });
    const ok = await ask({ 'x-onecall-sip-secret': SECRET });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe(body.password);
    expect(ok.body).toBe(sipPassword(SECRET, String(body.authorizationUsername)));
    // Without the secret, or from another address, or an expired / foreign username: refused.
    expect((await ask({})).statusCode).toBe(403);
    expect((await ask({ 'x-onecall-sip-secret': 'wrong-secret-wrong-secret-0000' })).statusCode).toBe(403);
    const far = await sip.app.inject({ method: 'GET', url: `/api/telephony/sip/auth?username=${encodeURIComponent(String(body.authorizationUsername))}`, headers: { 'x-onecall-sip-secret': SECRET }, remoteAddress: '10.1.2.3' });
    expect(far.statusCode).toBe(403);
    expect((await ask({ 'x-onecall-sip-secret': SECRET }, `1000000000:${agent.login}`)).statusCode).toBe(403);
    expect((await ask({ 'x-onecall-sip-secret': SECRET }, `9999999999:nobody-here`)).statusCode).toBe(403);
  });

  it('refuses admins (403) and anonymous callers (401); 404 SOFTPHONE_DISABLED when TELEPHONY is not sip', async () => {
    const admin = await buildUser(sip.deps.db, { role: 'admin' });
    const res = await sip.app.inject({ method: 'GET', url: '/api/softphone/credentials', headers: { cookie: await sip.signIn(admin.login) } });
    expect(res.statusCode).toBe(403);
    expect((await sip.app.inject({ method: 'GET', url: '/api/softphone/credentials' })).statusCode).toBe(401);
    const agent = await buildUser(plain.deps.db, { role: 'agent' });
    const off = await plain.app.inject({ method: 'GET', url: '/api/softphone/credentials', headers: { cookie: await plain.signIn(agent.login) } });
    expect(off.statusCode).toBe(404);
    expect(off.json<{ error: { code: string } }>().error.code).toBe('SOFTPHONE_DISABLED');
  });
});
