import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallConnected, CallerCard } from '../../../core/contracts/calls';
import type { CaseDetail, RecordCaseResult } from '../../../core/contracts/cases';
import type { HandOffItem } from '../../../core/contracts/handoffs';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

// 추가 민원 / 독촉 (issue #11 §3) through the real HTTP API on the run's dialect: a citizen with an open hand-off calls
// again; the agent adds the call to that hand-off instead of opening a duplicate; the department is told, the chase
// counted, the notes masked (the city's own numbers kept); officials filter their duties and reveal the number.
describe('a repeat call about an open hand-off', () => {
  let t: TestContext;
  let agentCookie: string;
  let dutyOfficialCookie: string;
  let colleagueCookie: string;
  let otherOfficialCookie: string;
  let department: Awaited<ReturnType<typeof buildDepartment>>;
  let chain: Awaited<ReturnType<typeof buildCategoryChain>>;
  let otherChain: Awaited<ReturnType<typeof buildCategoryChain>>;
  let dutyOfficial: Awaited<ReturnType<typeof buildUser>>;
  let first: { call: CallConnected; result: RecordCaseResult };

  beforeAll(async () => {
    t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '480' });
    const db = t.deps.db;
    department = await buildDepartment(db, { name: '상하수도사업소' });
    await db.updateTable('departments').set({ phone: '031-5180-2501' }).where('id', '=', department.id).execute();
    const other = await buildDepartment(db, { name: '세정과' });
    chain = await buildCategoryChain(db, department.id, 'other', ['상하수도', '누수·단수', '옥내 누수']);
    otherChain = await buildCategoryChain(db, department.id, 'other', ['상하수도', '요금', '요금 문의']);
    await buildUser(db, { role: 'agent', login: 'rc-agent' });
    dutyOfficial = await buildUser(db, { role: 'official', login: 'rc-duty', departmentId: department.id, name: '박수도' });
    await buildUser(db, { role: 'official', login: 'rc-colleague', departmentId: department.id, name: '김동료' });
    await buildUser(db, { role: 'official', login: 'rc-other', departmentId: other.id });
    // 업무분장: 박수도 is the primary official of the leak duty (the task, so its detail categories count too).
    await t.app.directory.create({ code: 'W-01', name: '누수', departmentId: department.id, categoryIds: [chain.task.id], officials: [{ userId: dutyOfficial.id, extension: '2502' }] });
    agentCookie = await t.signIn('rc-agent');
    dutyOfficialCookie = await t.signIn('rc-duty');
    colleagueCookie = await t.signIn('rc-colleague');
    otherOfficialCookie = await t.signIn('rc-other');

    const call = await simulateCall('010-4444-5555');
    const res = await record({ interactionId: call.interaction.id, categoryId: chain.detail.id, summary: '도로 누수', notes: '집 앞 도로에서 물이 샘', outcome: 'handed_off' });
    expect(res.statusCode).toBe(201);
    first = { call, result: res.json() };
  });
  afterAll(async () => t.close());

  async function simulateCall(number: string): Promise<CallConnected> {
    const res = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: agentCookie }, payload: { callerNumber: number } });
    expect(res.statusCode).toBe(201);
    return res.json();
  }
  const record = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie: agentCookie }, payload });
  const count = async (table: 'handoffs' | 'cases' | 'handoff_additions') =>
    Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const inbox = async (cookie: string, query = '') => (await t.app.inject({ method: 'GET', url: `/api/handoffs${query}`, headers: { cookie } })).json().items as HandOffItem[];

  it('adds the call to the open hand-off: no duplicate, the chase counted, the department told, notes masked', async () => {
    const handOffId = first.result.handOff!.id;
    const again = await simulateCall('01044445555');
    expect(again.callerCard.openHandOffs.map((c) => c.handOff?.id)).toEqual([handOffId]);
    const notify = vi.spyOn(t.app.realtime, 'notifyDepartmentInbox');
    const [handOffsBefore, casesBefore] = [await count('handoffs'), await count('cases')];

    t.clock.advance(60 * 60_000);
    const res = await record({
      interactionId: again.interaction.id,
      categoryId: chain.detail.id,
      summary: '누수 독촉: 아직 물이 샘',
      notes: '다시 전화함. 연락처 010-9999-8888로 연락 요망. 사업소 대표번호 (031-5180-2501) 안내함',
      outcome: 'handed_off',
      appendToHandOffId: handOffId,
    });
    expect(res.statusCode).toBe(201);
    const result: RecordCaseResult = res.json();
    expect(result).toMatchObject({
      status: 'closed',
      outcome: 'handed_off',
      handOff: { id: handOffId, departmentName: '상하수도사업소', dueAt: first.result.handOff!.dueAt },
      addedTo: { caseNumber: first.result.number, chaseCount: 1 },
      maskedKinds: ['phone'],
    });
    expect(await count('handoffs')).toBe(handOffsBefore);
    expect(await count('cases')).toBe(casesBefore + 1);
    expect(notify).toHaveBeenCalledWith(department.id, expect.any(String));
    notify.mockRestore();

    const row = await t.deps.db.selectFrom('handoffs').select(['chase_count', 'last_chased_at', 'status']).where('id', '=', handOffId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ chase_count: 1, status: 'pending' });
    expect(new Date(row.last_chased_at!).toISOString()).toBe(t.clock.now().toISOString());
    const event = await t.deps.db.selectFrom('contact_events').selectAll().where('type', '=', 'handoff_chased').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ handoff_id: handOffId, case_id: first.result.caseId, interaction_id: again.interaction.id });

    // The new case links to the hand-off; the caller card still shows one open hand-off, chased once.
    const detail: CaseDetail = (await t.app.inject({ method: 'GET', url: `/api/cases/${result.caseId}`, headers: { cookie: agentCookie } })).json();
    expect(detail.notes).toBe('다시 전화함. 연락처 010-****-8888로 연락 요망. 사업소 대표번호 (031-5180-2501) 안내함');
    expect(detail.handOff).toMatchObject({ id: handOffId, caseId: first.result.caseId, chaseCount: 1 });
    expect(detail.timeline.map((e) => e.type)).toContain('handoff_chased');
    const card: CallerCard = (await t.app.inject({ method: 'GET', url: `/api/citizens/${again.callerCard.citizenId}/card`, headers: { cookie: agentCookie } })).json();
    expect(card.openHandOffs).toHaveLength(1);
    expect(card.openHandOffs[0]?.handOff).toMatchObject({ id: handOffId, chaseCount: 1 });
  });

  it("shows the official 독촉 1회 with the added notes, on the hand-off's own timeline too", async () => {
    const handOffId = first.result.handOff!.id;
    const [item] = await inbox(dutyOfficialCookie);
    expect(item).toMatchObject({ id: handOffId, chaseCount: 1 });
    const one: HandOffItem = (await t.app.inject({ method: 'GET', url: `/api/handoffs/${handOffId}`, headers: { cookie: dutyOfficialCookie } })).json();
    expect(one.additions).toEqual([expect.objectContaining({ summary: '누수 독촉: 아직 물이 샘', notes: expect.stringContaining('010-****-8888') })]);
    const original: CaseDetail = (await t.app.inject({ method: 'GET', url: `/api/cases/${first.result.caseId}`, headers: { cookie: dutyOfficialCookie } })).json();
    expect(original.timeline.find((e) => e.type === 'handoff_chased')).toMatchObject({ actorName: expect.any(String), detail: expect.stringContaining('1회째') });
  });

  it('counts a second chase', async () => {
    const again = await simulateCall('010-4444-5555');
    const res = await record({ interactionId: again.interaction.id, categoryId: chain.detail.id, summary: '또 독촉', outcome: 'handed_off', appendToHandOffId: first.result.handOff!.id });
    expect(res.statusCode).toBe(201);
    expect(res.json().addedTo).toMatchObject({ chaseCount: 2 });
    expect((await inbox(dutyOfficialCookie))[0]?.chaseCount).toBe(2);
  });

  it("refuses another citizen's hand-off, a hand-off no longer open, and bad combinations, writing nothing", async () => {
    const stranger = await simulateCall('010-7777-1212');
    const before = [await count('cases'), await count('handoff_additions')];
    const foreign = await record({ interactionId: stranger.interaction.id, categoryId: chain.detail.id, summary: '남의 이관', outcome: 'handed_off', appendToHandOffId: first.result.handOff!.id });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('HANDOFF_OTHER_CITIZEN');

    const unknown = await record({ interactionId: stranger.interaction.id, categoryId: chain.detail.id, summary: '없는 이관', outcome: 'handed_off', appendToHandOffId: '01900000-0000-7000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    const resolved = await record({ interactionId: stranger.interaction.id, categoryId: chain.detail.id, summary: '처리 완료인데 추가', outcome: 'resolved', appendToHandOffId: first.result.handOff!.id });
    expect(resolved.statusCode).toBe(400);
    expect(resolved.json().error.code).toBe('VALIDATION_FAILED');

    // The stranger's own hand-off, answered: a repeat call can no longer add to it.
    const own = await record({ interactionId: stranger.interaction.id, categoryId: otherChain.detail.id, summary: '요금 이의', outcome: 'handed_off' });
    const ownHandOff = (own.json() as RecordCaseResult).handOff!.id;
    expect((await t.app.inject({ method: 'POST', url: `/api/handoffs/${ownHandOff}/acknowledge`, headers: { cookie: colleagueCookie } })).statusCode).toBe(200);
    // Issue #18 item 8: the department's number in the answer reaches the citizen intact; the citizen's own is masked.
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/handoffs/${ownHandOff}/answer`,
      headers: { cookie: colleagueCookie },
      payload: { answer: '요금을 정정했습니다. 문의: 상하수도사업소 (031-5180-2501), 담당 직통 031-5180-2502. 민원인 010-7777-1212' },
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.json().answer).toBe('요금을 정정했습니다. 문의: 상하수도사업소 (031-5180-2501), 담당 직통 031-5180-2502. 민원인 010-****-1212');
    const later = await simulateCall('010-7777-1212');
    const closed = await record({ interactionId: later.interaction.id, categoryId: otherChain.detail.id, summary: '다시 문의', outcome: 'handed_off', appendToHandOffId: ownHandOff });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('HANDOFF_NOT_OPEN');
    expect([await count('cases'), await count('handoff_additions')]).toEqual([before[0]! + 1, before[1]]);
  });

  it('records 회신 방법 with a new hand-off in the same transaction (#18 item 6), or nothing at all', async () => {
    const call = await simulateCall('010-5151-6262');
    const before = await count('cases');
    const badEmail = await record({ interactionId: call.interaction.id, categoryId: otherChain.detail.id, summary: '요금 문의', outcome: 'handed_off', replyPreference: { channel: 'email', consent: true, address: 'not-an-address' } });
    expect([badEmail.statusCode, badEmail.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const resolved = await record({ interactionId: call.interaction.id, categoryId: otherChain.detail.id, summary: '요금 문의', outcome: 'resolved', replyPreference: { channel: 'sms', consent: true } });
    expect(resolved.statusCode).toBe(400);
    expect(await count('cases')).toBe(before);

    const res = await record({ interactionId: call.interaction.id, categoryId: otherChain.detail.id, summary: '요금 문의', outcome: 'handed_off', replyPreference: { channel: 'sms', consent: true } });
    expect(res.statusCode, res.body).toBe(201);
    const caseId = (res.json() as RecordCaseResult).caseId;
    const delivery = await t.app.inject({ method: 'GET', url: `/api/cases/${caseId}/delivery`, headers: { cookie: agentCookie } });
    expect(delivery.json().preference).toMatchObject({ channel: 'sms', consent: true });
    // The answer goes to the number the citizen called from, sealed at rest.
    const stored = await t.deps.db.selectFrom('reply_preferences').select(['address_sealed', 'recorded_by']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(t.deps.vault.open(stored.address_sealed!)).toBe('+821051516262');
    const records = await t.deps.db.selectFrom('access_records').select('target').where('target', '=', `case:${caseId}:reply-preference`).execute();
    expect(records).toHaveLength(1);
  });

  it("filters '나에게 배정' by duty or assignee", async () => {
    const all = await inbox(colleagueCookie);
    expect(all.length).toBeGreaterThanOrEqual(1);
    // 박수도 holds the leak duty; the colleague holds no duty and is assigned nothing open.
    expect((await inbox(dutyOfficialCookie, '?assigned=me')).map((i) => i.id)).toEqual([first.result.handOff!.id]);
    expect(await inbox(colleagueCookie, '?assigned=me')).toEqual([]);
    // A hand-off the colleague took (접수) is his.
    const call = await simulateCall('010-3131-2020');
    const res = await record({ interactionId: call.interaction.id, categoryId: otherChain.detail.id, summary: '요금 문의', outcome: 'handed_off' });
    const id = (res.json() as RecordCaseResult).handOff!.id;
    await t.app.inject({ method: 'POST', url: `/api/handoffs/${id}/acknowledge`, headers: { cookie: colleagueCookie } });
    expect((await inbox(colleagueCookie, '?assigned=me')).map((i) => i.id)).toEqual([id]);
    expect((await inbox(dutyOfficialCookie, '?assigned=me')).map((i) => i.id)).not.toContain(id);
  });

  it("lets the department's official reveal the caller's number with a reason, recorded; another department's cannot", async () => {
    const citizenId = first.call.callerCard.citizenId;
    const payload = { citizenId, field: 'phone', reasonCode: 'callback', reasonText: '회신 전화' };
    const res = await t.app.inject({ method: 'POST', url: '/api/privacy/unmask', headers: { cookie: dutyOfficialCookie }, payload });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ value: '010-4444-5555' });
    const record = await t.deps.db.selectFrom('access_records').select(['action', 'subject', 'reason', 'user_id']).where('action', '=', 'unmask').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(record).toMatchObject({ action: 'unmask', subject: citizenId, user_id: dutyOfficial.id, reason: expect.stringContaining('회신 전화') });
    const foreign = await t.app.inject({ method: 'POST', url: '/api/privacy/unmask', headers: { cookie: otherOfficialCookie }, payload });
    expect(foreign.statusCode).toBe(404);
  });
});
