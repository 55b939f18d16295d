import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { CaseDetail, RecordCaseResult } from '../../../core/contracts/cases';
import type { HandOffItem } from '../../../core/contracts/handoffs';
import { newId } from '../../lib/ids';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { insertCitizen } from '../calls/calls.repository';

// Issue 3 layer 5 (free-text protection) through the real HTTP API on the run's dialect: personal data typed into a
// case's summary and notes or an official's answer is masked before it is stored, and the sender is told what kinds
// were masked. The rows are read back from the database, not through the API that could re-mask them.

const RAW_NOTES = '주민번호 900101-1234567, 연락처 010-1234-5678 로 회신 요청';
const MASKED_NOTES = '주민번호 900101-1******, 연락처 010-****-5678 로 회신 요청';
// Fragments of the raw values that no masked form contains.
const RAW_FRAGMENTS = ['1234567', '1234-5678', '12345678', 'hong.gildong'];

describe('free-text protection: personal data is masked before it is stored', () => {
  let t: TestContext;
  let agentCookie: string;
  let officialCookie: string;
  let chain: Awaited<ReturnType<typeof buildCategoryChain>>;

  beforeAll(async () => {
    t = await createTestContext();
    const db = t.deps.db;
    const department = await buildDepartment(db, { name: '세정과' });
    chain = await buildCategoryChain(db, department.id);
    await buildUser(db, { role: 'agent', login: 'agent-p' });
    await buildUser(db, { role: 'official', login: 'official-p', departmentId: department.id });
    agentCookie = await t.signIn('agent-p');
    officialCookie = await t.signIn('official-p');
  });
  afterAll(async () => t.close());

  async function call(callerNumber = '031-777-8888'): Promise<CallConnected> {
    // The caller's own number is a structured field (layer 1), kept apart from the digits typed into the notes.
    const res = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: agentCookie }, payload: { callerNumber } });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  async function recordCase(payload: Record<string, unknown>): Promise<RecordCaseResult> {
    const c = await call();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: agentCookie },
      payload: { interactionId: c.interaction.id, categoryId: chain.detail.id, ...payload },
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  /** Every free-text column that staff fill: case summaries and notes, answers, and event details. */
  async function storedFreeText(): Promise<string[]> {
    const db = t.deps.db;
    const [cases, handOffs, events] = await Promise.all([
      db.selectFrom('cases').select(['summary', 'notes']).execute(),
      db.selectFrom('handoffs').select('answer').execute(),
      db.selectFrom('contact_events').select('detail').execute(),
    ]);
    return [...cases.flatMap((c) => [c.summary, c.notes]), ...handOffs.map((h) => h.answer ?? ''), ...events.map((e) => e.detail ?? '')];
  }

  it('masks the notes and summary of a case and reports the kinds, once each and in order', async () => {
    const result = await recordCase({ summary: '세금 문의 (hong.gildong@example.com)', notes: RAW_NOTES, outcome: 'resolved' });
    expect(result.maskedKinds).toEqual(['email', 'resident_registration', 'phone']);

    const row = await t.deps.db.selectFrom('cases').select(['summary', 'notes']).where('id', '=', result.caseId).executeTakeFirstOrThrow();
    expect(row.notes).toBe(MASKED_NOTES);
    expect(row.summary).toBe('세금 문의 (ho**********@example.com)');

    const detail = await t.app.inject({ method: 'GET', url: `/api/cases/${result.caseId}`, headers: { cookie: agentCookie } });
    expect((detail.json() as CaseDetail).notes).toBe(MASKED_NOTES);
  });

  it('keeps the location of a field problem for the department, masked like the notes (#18 item 6)', async () => {
    const result = await recordCase({ summary: '보도 누수', location: '한빛로 123 앞 보도 (세입자 010-1234-5678)', outcome: 'handed_off' });
    expect(result.maskedKinds).toEqual(['phone']);
    const detail = (await t.app.inject({ method: 'GET', url: `/api/cases/${result.caseId}`, headers: { cookie: agentCookie } })).json() as CaseDetail;
    expect(detail.location).toBe('한빛로 123 앞 보도 (세입자 010-****-5678)');
    const list = (await t.app.inject({ method: 'GET', url: '/api/handoffs?filter=open', headers: { cookie: officialCookie } })).json() as { items: HandOffItem[] };
    expect(list.items.find((i) => i.caseId === result.caseId)?.location).toBe('한빛로 123 앞 보도 (세입자 010-****-5678)');
    // Too long: refused whole, nothing written.
    const c = await call();
    const long = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: agentCookie },
      payload: { interactionId: c.interaction.id, categoryId: chain.detail.id, summary: '긴 위치', location: '가'.repeat(201), outcome: 'resolved' },
    });
    expect([long.statusCode, long.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(long.json().error.message).toContain('위치');
  });

  it('leaves a case without personal data as typed and reports nothing', async () => {
    const notes = '2026-11-27 14:00 방문 예정, 자동차세 50,000원 연납 문의 (접수번호 20261127-00042)';
    const result = await recordCase({ summary: '자동차세 연납 문의', notes, outcome: 'resolved' });
    expect(result.maskedKinds).toEqual([]);
    const row = await t.deps.db.selectFrom('cases').select(['summary', 'notes']).where('id', '=', result.caseId).executeTakeFirstOrThrow();
    expect(row).toEqual({ summary: '자동차세 연납 문의', notes });
  });

  it('refuses with 400 a summary or notes whose masked form outgrows the limit, and stores nothing (issue #10 finding 10)', async () => {
    const before = await t.deps.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // 200 and 4000 characters as typed (within the contract), 202 and 4002 once 01012345678 becomes 010-****-5678.
    const cases = [
      { field: 'summary', max: 200, payload: { summary: `${'가'.repeat(189)}01012345678` } },
      { field: 'notes', max: 4000, payload: { summary: '요약', notes: `${'나'.repeat(3989)}01012345678` } },
    ];
    for (const c of cases) {
      const connected = await call();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { cookie: agentCookie },
        payload: { interactionId: connected.interaction.id, categoryId: chain.detail.id, outcome: 'resolved', ...c.payload },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: c.field, max: c.max, length: c.max + 2 } } });
      expect(res.json<{ error: { message: string } }>().error.message).toContain(`${c.max}자를 넘습니다`);
    }
    const after = await t.deps.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // Exactly at the limit once masked: stored as is.
    const fits = await recordCase({ summary: `${'가'.repeat(187)}01012345678`, outcome: 'resolved' });
    const row = await t.deps.db.selectFrom('cases').select('summary').where('id', '=', fits.caseId).executeTakeFirstOrThrow();
    expect(row.summary).toBe(`${'가'.repeat(187)}010-****-5678`);
  });

  it("masks the caller's registered name and names after 민원인/성명/이름/본인 in notes and answers (issue #10 finding 6)", async () => {
    await insertCitizen(t.deps.db, t.deps.vault, { id: newId(), phone: '+821055501234', name: '김영희', created_at: '2026-11-01T00:00:00.000Z' });
    const c = await call('010-5550-1234');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: agentCookie },
      payload: {
        interactionId: c.interaction.id,
        categoryId: chain.detail.id,
        summary: '김영희 님 자동차세 환급 문의',
        notes: '본인 확인 완료. 김영희 씨 대신 보호자 성명: 박지민 (민원인 김 영희의 딸)',
        outcome: 'handed_off',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const result: RecordCaseResult = res.json();
    expect(result.maskedKinds).toEqual(['person_name']);
    const row = await t.deps.db.selectFrom('cases').select(['summary', 'notes']).where('id', '=', result.caseId).executeTakeFirstOrThrow();
    expect(row).toEqual({ summary: '김*희 님 자동차세 환급 문의', notes: '본인 확인 완료. 김*희 씨 대신 보호자 성명: 박*민 (민원인 김*희의 딸)' });

    const handOffId = result.handOff?.id ?? '';
    await t.app.inject({ method: 'POST', url: `/api/handoffs/${handOffId}/acknowledge`, headers: { cookie: officialCookie } });
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/handoffs/${handOffId}/answer`,
      headers: { cookie: officialCookie },
      payload: { answer: '김영희 님께 환급 완료를 안내함' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ answer: '김*희 님께 환급 완료를 안내함', maskedKinds: ['person_name'] });
    const stored = await t.deps.db.selectFrom('handoffs').select('answer').where('id', '=', handOffId).executeTakeFirstOrThrow();
    expect(stored.answer).toBe('김*희 님께 환급 완료를 안내함');
    expect((await storedFreeText()).filter((text) => text.includes('영희') || text.includes('지민'))).toEqual([]);
  });

  it('refuses with 400 an answer whose masked form outgrows 4000 characters, and leaves the hand-off open', async () => {
    const result = await recordCase({ summary: '자동차세 환급 요청', outcome: 'handed_off' });
    const handOffId = result.handOff?.id ?? '';
    await t.app.inject({ method: 'POST', url: `/api/handoffs/${handOffId}/acknowledge`, headers: { cookie: officialCookie } });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/handoffs/${handOffId}/answer`,
      headers: { cookie: officialCookie },
      payload: { answer: `${'다'.repeat(3989)}01012345678` },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'answer', max: 4000, length: 4002 } } });
    const row = await t.deps.db.selectFrom('handoffs').select(['status', 'answer']).where('id', '=', handOffId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'acknowledged', answer: null });
  });

  it("masks a hand-off's notes for the official and the official's answer, and reports the answer's kinds", async () => {
    const result = await recordCase({ summary: '자동차세 환급 요청', notes: RAW_NOTES, outcome: 'handed_off' });
    expect(result.maskedKinds).toEqual(['resident_registration', 'phone']);
    const handOffId = result.handOff?.id ?? '';

    const seen = await t.app.inject({ method: 'GET', url: `/api/handoffs/${handOffId}`, headers: { cookie: officialCookie } });
    expect((seen.json() as HandOffItem).notes).toBe(MASKED_NOTES);
    // Outside the answer endpoint nothing was masked, so nothing is reported.
    expect(seen.json()).not.toHaveProperty('maskedKinds');

    const ack = await t.app.inject({ method: 'POST', url: `/api/handoffs/${handOffId}/acknowledge`, headers: { cookie: officialCookie } });
    expect(ack.statusCode).toBe(200);
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/handoffs/${handOffId}/answer`,
      headers: { cookie: officialCookie },
      payload: { answer: '환급금을 농협 계좌 301-1234-5678-91 로 입금했고 010 1234 5678 로 안내함' },
    });
    expect(answered.statusCode).toBe(200);
    const item: HandOffItem = answered.json();
    const maskedAnswer = '환급금을 농협 계좌 301-1234-****-** 로 입금했고 010-****-5678 로 안내함';
    expect(item).toMatchObject({ status: 'answered', answer: maskedAnswer, maskedKinds: ['bank_account', 'phone'] });

    const row = await t.deps.db.selectFrom('handoffs').select('answer').where('id', '=', handOffId).executeTakeFirstOrThrow();
    expect(row.answer).toBe(maskedAnswer);
    const event = await t.deps.db
      .selectFrom('contact_events')
      .select('detail')
      .where('handoff_id', '=', handOffId)
      .where('type', '=', 'handoff_answered')
      .executeTakeFirstOrThrow();
    expect(event.detail).toBe(maskedAnswer);
  });

  it('an answer without personal data reports an empty list', async () => {
    const result = await recordCase({ summary: '자동차세 납부 확인', outcome: 'handed_off' });
    const handOffId = result.handOff?.id ?? '';
    await t.app.inject({ method: 'POST', url: `/api/handoffs/${handOffId}/acknowledge`, headers: { cookie: officialCookie } });
    const answered = await t.app.inject({ method: 'POST', url: `/api/handoffs/${handOffId}/answer`, headers: { cookie: officialCookie }, payload: { answer: '납부 확인되었습니다.' } });
    expect(answered.json()).toMatchObject({ answer: '납부 확인되었습니다.', maskedKinds: [] });
  });

  it('no stored free text holds the raw digits', async () => {
    const texts = await storedFreeText();
    expect(texts.join('\n')).toContain('900101-1******');
    for (const fragment of RAW_FRAGMENTS) {
      expect(texts.filter((s) => s.includes(fragment))).toEqual([]);
    }
  });
});
