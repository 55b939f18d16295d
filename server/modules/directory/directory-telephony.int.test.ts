import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficialPresence, TransferTarget } from '../../../core/contracts/directory';
import { signWebhook } from '../../ports/telephony/webhook.adapter';
import { buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

const SECRET = 'webhook-secret-for-directory-tests-0123';

/**
 * The directory meets the phone system (issue #11 §1, §3): the 호 전환 list and its server-side check, and calls on an
 * official's extension setting "통화 중" and back, through the in-process simulator and the signed CTI webhook.
 */
describe('directory and telephony', () => {
  let t: TestContext;
  let agent: string;
  let seq = 0;
  const ids = {} as Record<'dept' | 'o1' | 'o2', string>;

  beforeAll(async () => {
    t = await createTestContext({ TELEPHONY_WEBHOOK_SECRET: SECRET });
    const db = t.deps.db;
    const dept = await buildDepartment(db, { name: '세정과' });
    await db.updateTable('departments').set({ phone: '031-5180-2101' }).where('id', '=', dept.id).execute();
    const o1 = await buildUser(db, { role: 'official', login: 'tel-o1', name: '김세무', departmentId: dept.id });
    const o2 = await buildUser(db, { role: 'official', login: 'tel-o2', name: '이징수', departmentId: dept.id });
    await buildUser(db, { role: 'official', login: 'tel-gone', name: '퇴직자', departmentId: dept.id, isActive: false }).then((u) =>
      db.updateTable('users').set({ extension: '2199' }).where('id', '=', u.id).execute(),
    );
    await db.updateTable('users').set({ extension: '2102', title: '주무관' }).where('id', '=', o1.id).execute();
    await db.updateTable('users').set({ extension: '2103' }).where('id', '=', o2.id).execute();
    Object.assign(ids, { dept: dept.id, o1: o1.id, o2: o2.id });
    await buildUser(db, { role: 'agent', login: 'tel-agent' });
    agent = await t.signIn('tel-agent');
  });
  afterAll(async () => t.close());

  const presenceOf = async (officialId: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/directory/presence?departmentId=${ids.dept}`, headers: { cookie: agent } });
    return (res.json().items as OfficialPresence[]).find((o) => o.officialId === officialId)?.presence;
  };
  const targets = async () => (await t.app.inject({ method: 'GET', url: '/api/directory/transfer-targets', headers: { cookie: agent } })).json().items as TransferTarget[];

  it("lists the 호 전환 targets: active officials' extensions with presence, and department numbers", async () => {
    const items = (await targets()).filter((i) => i.departmentId === ids.dept);
    expect(items).toEqual([
      { kind: 'department', target: '031-5180-2101', name: '세정과', title: null, departmentId: ids.dept, departmentName: '세정과', presence: null },
      expect.objectContaining({ kind: 'official', target: '2102', name: '김세무', title: '주무관', departmentName: '세정과', presence: expect.objectContaining({ state: 'available' }) }),
      expect.objectContaining({ kind: 'official', target: '2103', name: '이징수' }),
    ]);
    expect(items.some((i) => i.target === '2199')).toBe(false);
    const official = await t.signIn('tel-o1');
    expect((await t.app.inject({ method: 'GET', url: '/api/directory/transfer-targets', headers: { cookie: official } })).statusCode).toBe(403);
  });

  it('accepts only targets of the directory: an extension or a department number in any layout', async () => {
    await expect(t.app.directory.resolveTransferTarget('2102')).resolves.toBe('2102');
    await expect(t.app.directory.resolveTransferTarget(' 03151802101 ')).resolves.toBe('031-5180-2101');
    for (const bad of ['세정과', '2199', '9999', '010-1234-5678', '']) {
      await expect(t.app.directory.resolveTransferTarget(bad)).rejects.toMatchObject({ code: 'TRANSFER_TARGET_UNKNOWN' });
    }
  });

  it("sets 통화 중 from the simulator's extension events and back; an unknown extension changes nothing", async () => {
    const sim = t.app.acd.simulator;
    expect(await sim.extensionCall('2102', true)).toMatchObject({ outcome: 'applied' });
    expect(await presenceOf(ids.o1)).toMatchObject({ state: 'on_call', source: 'telephony', reachable: false });
    expect(await presenceOf(ids.o2)).toMatchObject({ state: 'available' });
    // The same news again, and an extension nobody holds (or a retired official's), change nothing.
    expect(await sim.extensionCall('2102', true)).toMatchObject({ outcome: 'ignored', reason: 'no_change' });
    expect(await sim.extensionCall('2199', true)).toMatchObject({ outcome: 'ignored' });
    expect(await sim.extensionCall('9999', true)).toMatchObject({ outcome: 'ignored' });
    // The desk's proposal sees it too: 통화 중 is not rung.
    expect((await targets()).find((i) => i.target === '2102')?.presence).toMatchObject({ state: 'on_call' });
    t.clock.advance(5 * 60_000);
    expect(await sim.extensionCall('2102', false)).toMatchObject({ outcome: 'applied' });
    expect(await presenceOf(ids.o1)).toMatchObject({ state: 'available' });
    const changes = await t.deps.db.selectFrom('official_presence_changes').select(['state', 'source']).where('user_id', '=', ids.o1).orderBy('at').execute();
    expect(changes).toEqual([
      { state: 'on_call', source: 'telephony' },
      { state: 'available', source: 'telephony' },
    ]);
  });

  it('sets 통화 중 from signed CTI webhook events, once per event id', async () => {
    const post = (body: Record<string, unknown>) => {
      const raw = JSON.stringify(body);
      const ts = String(Math.floor(t.clock.now().getTime() / 1000));
      return t.bareInject({
        method: 'POST',
        url: '/api/telephony/events',
        headers: { 'content-type': 'application/json', 'x-onecall-timestamp': ts, 'x-onecall-signature': signWebhook(SECRET, ts, raw) },
        payload: raw,
      });
    };
    const event = (onCall: boolean) => ({ eventId: `ext-${++seq}`, callId: 'pbx-ext-1', type: 'extension_state', at: t.clock.now().toISOString(), extension: '2103', onCall });
    const busy = event(true);
    const res = await post(busy);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'applied' });
    expect(await presenceOf(ids.o2)).toMatchObject({ state: 'on_call', source: 'telephony' });
    const replay = await post(busy);
    expect([replay.statusCode, replay.json().error.code]).toEqual([401, 'WEBHOOK_REPLAYED']);
    const bad = await post({ ...event(true), extension: '내선2103' });
    expect(bad.statusCode).toBe(400);
    expect((await post(event(false))).json()).toMatchObject({ outcome: 'applied' });
    expect(await presenceOf(ids.o2)).toMatchObject({ state: 'available' });
  });
});
