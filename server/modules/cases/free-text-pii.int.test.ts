import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { CaseDetail, RecordCaseResult } from '../../../core/contracts/cases';
import type { HandOffItem } from '../../../core/contracts/handoffs';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

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

  async function call(): Promise<CallConnected> {
    // The caller's own number is a structured field (layer 1), kept apart from the digits typed into the notes.
    const res = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: agentCookie }, payload: { callerNumber: '031-777-8888' } });
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

  it('leaves a case without personal data as typed and reports nothing', async () => {
    const notes = '2026-11-27 14:00 방문 예정, 자동차세 50,000원 연납 문의 (접수번호 20261127-00042)';
    const result = await recordCase({ summary: '자동차세 연납 문의', notes, outcome: 'resolved' });
    expect(result.maskedKinds).toEqual([]);
    const row = await t.deps.db.selectFrom('cases').select(['summary', 'notes']).where('id', '=', result.caseId).executeTakeFirstOrThrow();
    expect(row).toEqual({ summary: '자동차세 연납 문의', notes });
  });

  it('keeps a summary whose masked form outgrows the column within it (PostgreSQL enforces varchar(200))', async () => {
    const summary = `${'가'.repeat(189)}01012345678`;
    const result = await recordCase({ summary, outcome: 'resolved' });
    expect(result.maskedKinds).toEqual(['phone']);
    const row = await t.deps.db.selectFrom('cases').select('summary').where('id', '=', result.caseId).executeTakeFirstOrThrow();
    expect(row.summary).toHaveLength(200);
    expect(row.summary).toBe(`${'가'.repeat(189)}010-****-56`);
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
