import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { RecordCaseResult } from '../../../core/contracts/cases';
import { newId } from '../../lib/ids';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { insertCitizen } from '../calls/calls.repository';
import { NEED_TO_KNOW_REASON_PREFIX } from './need-to-know';

// Need-to-know for agents (issue #10 finding 9), through the real HTTP API on the run's dialect: an agent opens the
// caller card, a case or unmasks a citizen only when he served that citizen or states a reason, which is recorded;
// a refusal is 403 NEED_TO_KNOW and a denied access record. Supervisors keep the wider view.

const PHONE = '010-4444-7777';
const REASON = '민원인 재문의 대응(담당 상담사 부재)';

describe('need-to-know: agents see only the citizens they served, or with a recorded reason', () => {
  let t: TestContext;
  let chainId: string;
  let citizenId: string;
  let caseId: string;
  const cookies: Record<'served' | 'stranger' | 'other' | 'supervisor', string> = { served: '', stranger: '', other: '', supervisor: '' };

  async function signInAll() {
    cookies.served = await t.signIn('ntk-served');
    cookies.stranger = await t.signIn('ntk-stranger');
    cookies.other = await t.signIn('ntk-other');
    cookies.supervisor = await t.signIn('ntk-supervisor');
  }

  beforeAll(async () => {
    t = await createTestContext();
    const db = t.deps.db;
    const department = await buildDepartment(db, { name: '세정과' });
    chainId = (await buildCategoryChain(db, department.id)).detail.id;
    await buildUser(db, { role: 'agent', login: 'ntk-served' });
    await buildUser(db, { role: 'agent', login: 'ntk-stranger' });
    await buildUser(db, { role: 'agent', login: 'ntk-other' });
    await buildUser(db, { role: 'supervisor', login: 'ntk-supervisor' });
    await signInAll();
    citizenId = newId();
    await insertCitizen(db, t.deps.vault, { id: citizenId, phone: '+821044447777', name: '김영희', created_at: '2026-11-01T00:00:00.000Z' });
    const call = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: cookies.served }, payload: { callerNumber: PHONE } });
    expect(call.statusCode).toBe(201);
    const connected: CallConnected = call.json();
    const recorded = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: cookies.served },
      payload: { interactionId: connected.interaction.id, categoryId: chainId, summary: '자동차세 환급 문의', outcome: 'handed_off' },
    });
    expect(recorded.statusCode).toBe(201);
    caseId = recorded.json<RecordCaseResult>().caseId;
  }, 120_000);
  afterAll(async () => t.close());

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const unmask = (cookie: string) =>
    t.app.inject({ method: 'POST', url: '/api/privacy/unmask', headers: { cookie }, payload: { citizenId, field: 'name', reasonCode: 'identity_check', reasonText: '본인 확인' } });
  const routes = () => ({ card: `/api/citizens/${citizenId}/card`, case: `/api/cases/${caseId}` });
  const lastRecord = () => t.deps.db.selectFrom('access_records').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  const withReason = (url: string, reason = REASON) => `${url}?reason=${encodeURIComponent(reason)}`;

  it('the agent who served the citizen opens the card and the case and unmasks, without a reason', async () => {
    for (const url of Object.values(routes())) {
      const res = await get(url, cookies.served);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      expect(await lastRecord()).toMatchObject({ user_login: 'ntk-served', action: 'view', subject: citizenId, reason: null, result: 'success' });
    }
    expect((await unmask(cookies.served)).statusCode).toBe(200);
  });

  it('an agent who never served the citizen gets 403 NEED_TO_KNOW on each route, recorded as denied', async () => {
    const targets = { card: 'caller-card', case: `case:${caseId}` };
    for (const [name, url] of Object.entries(routes())) {
      const res = await get(url, cookies.stranger);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'NEED_TO_KNOW', details: { needsReason: true } } });
      expect(res.body).not.toContain('자동차세');
      expect(await lastRecord()).toMatchObject({
        user_login: 'ntk-stranger',
        action: 'view',
        subject: citizenId,
        target: targets[name as keyof typeof targets],
        record_count: 0,
        result: 'denied',
      });
    }
    const refused = await unmask(cookies.stranger);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'NEED_TO_KNOW' } });
    expect(refused.body).not.toContain('김영희');
    expect(await lastRecord()).toMatchObject({ user_login: 'ntk-stranger', action: 'unmask', subject: citizenId, result: 'denied' });
    // The unmask allowance is not spent by a refusal.
    const granted = await t.deps.db.selectFrom('access_records').select('id').where('user_login', '=', 'ntk-stranger').where('result', '=', 'success').execute();
    expect(granted).toEqual([]);
  });

  it('a reason too short to mean anything is a 400', async () => {
    const res = await get(withReason(routes().card, '가'), cookies.stranger);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('with a reason the agent gets 200 and the reason is in the access record; it covers that citizen for the day', async () => {
    const card = await get(withReason(routes().card), cookies.stranger);
    expect(card.statusCode, card.body).toBe(200);
    expect(card.body).not.toContain('김영희');
    expect(await lastRecord()).toMatchObject({
      user_login: 'ntk-stranger',
      action: 'view',
      subject: citizenId,
      target: 'caller-card',
      reason: `${NEED_TO_KNOW_REASON_PREFIX}${REASON}`,
      result: 'success',
    });
    // The card's cases and unmasking the same day: the recorded reason covers them (and is recorded again).
    expect((await get(routes().case, cookies.stranger)).statusCode).toBe(200);
    expect(await lastRecord()).toMatchObject({ target: `case:${caseId}`, reason: `${NEED_TO_KNOW_REASON_PREFIX}${REASON}`, result: 'success' });
    const revealed = await unmask(cookies.stranger);
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toMatchObject({ value: '김영희' });

    // Another agent's reason is his alone: the case with its own reason, still 403 without.
    expect((await get(routes().case, cookies.other)).statusCode).toBe(403);
    const other = await get(withReason(routes().case, '정보공개 청구 처리'), cookies.other);
    expect(other.statusCode, other.body).toBe(200);
    expect(await lastRecord()).toMatchObject({ user_login: 'ntk-other', target: `case:${caseId}`, reason: `${NEED_TO_KNOW_REASON_PREFIX}정보공개 청구 처리` });
  });

  it('a supervisor keeps the wider view without a reason', async () => {
    for (const url of Object.values(routes())) {
      const res = await get(url, cookies.supervisor);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      expect(await lastRecord()).toMatchObject({ user_login: 'ntk-supervisor', reason: null, result: 'success' });
    }
  });

  it('the next KST day the reason no longer covers the citizen', async () => {
    t.clock.set('2026-11-28T01:00:00.000Z');
    await signInAll();
    expect((await get(routes().card, cookies.stranger)).statusCode).toBe(403);
    expect((await unmask(cookies.stranger)).statusCode).toBe(403);
    // The agent who served the citizen still may.
    expect((await get(routes().card, cookies.served)).statusCode).toBe(200);
  });
});
