import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * 상황판 표시 모드 (issue #18 item 7): a wall-TV display session is view-only (the wallboard and nothing else), never
 * idle-signed-out, replaces the supervisor's session in that browser, and is ended by the supervisor.
 */
describe('wallboard display sessions', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
    await buildUser(t.deps.db, { role: 'supervisor', login: 'tv-super' });
    await buildUser(t.deps.db, { role: 'agent', login: 'tv-agent' });
  });
  afterAll(async () => t.close());

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const startDisplay = async (cookie: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/display-session', headers: { cookie } });
    const session = res.cookies.find((c) => c.name === 'onecall_session');
    return { res, cookie: session ? `onecall_session=${session.value}` : '' };
  };

  it('turns the browser into a view-only wallboard display that never idles out', async () => {
    const supervisor = await t.signIn('tv-super');
    const display = await startDisplay(supervisor);
    expect(display.res.statusCode).toBe(200);
    expect(display.res.json()).toMatchObject({ login: 'tv-super', role: 'supervisor', display: true });
    // The supervisor's own session in this browser is gone.
    expect((await get('/api/auth/me', supervisor)).statusCode).toBe(401);

    expect((await get('/api/acd/wallboard', display.cookie)).statusCode).toBe(200);
    expect((await get('/api/auth/me', display.cookie)).json()).toMatchObject({ display: true });
    for (const url of ['/api/handoffs', '/api/acd/me', '/api/acd/waiting', '/api/auth/security', '/api/stats/headline']) {
      const res = await get(url, display.cookie);
      expect([url, res.statusCode, res.json().error?.code]).toEqual([url, 403, 'DISPLAY_ONLY']);
    }
    expect((await startDisplay(display.cookie)).res.json().error.code).toBe('DISPLAY_ONLY');

    // Hours without input: still showing (a normal session ends after 30 idle minutes).
    const other = await t.signIn('tv-super');
    t.clock.advance(3 * 3_600_000);
    expect((await get('/api/acd/wallboard', display.cookie)).statusCode).toBe(200);
    expect((await get('/api/auth/me', other)).statusCode).toBe(401);
  });

  it('is listed in the supervisor’s sessions and ended from there', async () => {
    const tv = await startDisplay(await t.signIn('tv-super'));
    const desk = await t.signIn('tv-super');
    const sessions = (await get('/api/auth/security', desk)).json<{ sessions: { id: string; isDisplay: boolean }[] }>().sessions;
    const shown = sessions.filter((s) => s.isDisplay);
    expect(shown.length).toBeGreaterThanOrEqual(1);
    for (const s of shown) expect((await t.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${s.id}`, headers: { cookie: desk } })).statusCode).toBe(204);
    expect((await get('/api/acd/wallboard', tv.cookie)).statusCode).toBe(401);
  });

  it('is for supervisors and admins only', async () => {
    const agent = await t.signIn('tv-agent');
    expect((await startDisplay(agent)).res.statusCode).toBe(403);
  });
});
