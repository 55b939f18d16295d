import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { RecordCaseResult } from '../../../core/contracts/cases';
import type { Role } from '../../../core/contracts/enums';
import type { AccessRecordPage, MonthlyReview } from '../../../core/contracts/privacy';
import { newId } from '../../lib/ids';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { insertCitizen } from '../calls/calls.repository';

const ROLES: Role[] = ['agent', 'official', 'supervisor', 'admin'];
// The seeded citizen, and every plain form of his identifiers that must never leave the server unasked.
const NAME = '홍길동';
const PHONE_E164 = '+821098765432';
const PLAIN = [NAME, '길동', '9876', '98765432'];
const MASKED_PHONE = '010-****-5432';
const MASKED_NAME = '홍*동';

describe('masking, unmasking, exports and the monthly review (issue 3 layers 2 and 4)', () => {
  let t: TestContext;
  const cookies = {} as Record<Role, string>;
  let citizenId: string;
  let caseId: string;
  let handOffId: string;
  let interactionId: string;
  let otherOfficialCookie: string;

  beforeAll(async () => {
    t = await createTestContext({ UNMASK_LIMIT_AGENT: '3' });
    const db = t.deps.db;
    const dept = await buildDepartment(db, { name: '상하수도사업소' });
    const other = await buildDepartment(db, { name: '세정과' });
    const chain = await buildCategoryChain(db, dept.id, 'other', ['상하수도', '누수·단수', '옥내 누수']);
    for (const role of ROLES) await buildUser(db, { role, login: `p-${role}`, departmentId: role === 'official' ? dept.id : null });
    await buildUser(db, { role: 'official', login: 'p-official-other', departmentId: other.id });
    for (const role of ROLES) cookies[role] = await t.signIn(`p-${role}`);
    otherOfficialCookie = await t.signIn('p-official-other');
    citizenId = newId();
    await insertCitizen(db, t.deps.vault, { id: citizenId, phone: PHONE_E164, name: NAME, created_at: '2026-11-01T00:00:00.000Z' });

    const call = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: cookies.agent }, payload: { callerNumber: '010-9876-5432' } });
    expect(call.statusCode).toBe(201);
    const connected: CallConnected = call.json();
    interactionId = connected.interaction.id;
    const recorded = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: cookies.agent },
      payload: { interactionId, categoryId: chain.detail.id, summary: '아파트 앞 도로 누수', notes: '현장 확인 요청', outcome: 'handed_off' },
    });
    expect(recorded.statusCode).toBe(201);
    const result: RecordCaseResult = recorded.json();
    caseId = result.caseId;
    handOffId = result.handOff!.id;
  }, 120_000);
  afterAll(async () => t.close());

  // Moving the fake clock by hours ends sessions (idle sign-out): sign everyone in again at the new time.
  async function setClock(at: string) {
    t.clock.set(at);
    for (const role of ROLES) cookies[role] = await t.signIn(`p-${role}`);
    otherOfficialCookie = await t.signIn('p-official-other');
  }

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, cookie: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });
  const expectNoPlain = (body: string, where: string) => {
    for (const plain of PLAIN) expect(body.includes(plain), `${where} shows ${plain}`).toBe(false);
  };

  it('every API answer carrying the citizen is masked, for every role (explicit routes)', async () => {
    const checks: Array<{ role: Role; method: 'GET' | 'POST'; url: string; payload?: unknown; expect: string[] }> = [];
    for (const role of ['agent', 'supervisor'] as const) {
      checks.push({ role, method: 'GET', url: `/api/citizens/${citizenId}/card`, expect: [MASKED_PHONE, MASKED_NAME] });
      checks.push({ role, method: 'POST', url: '/api/calls/simulate', payload: { callerNumber: '01098765432' }, expect: [MASKED_PHONE, MASKED_NAME] });
    }
    checks.push({ role: 'agent', method: 'POST', url: `/api/calls/${interactionId}/end`, payload: {}, expect: [MASKED_PHONE] });
    for (const role of ROLES) checks.push({ role, method: 'GET', url: `/api/cases/${caseId}`, expect: [MASKED_PHONE, MASKED_NAME] });
    for (const role of ['official', 'supervisor', 'admin'] as const) {
      checks.push({ role, method: 'GET', url: '/api/handoffs?status=all', expect: [MASKED_PHONE, MASKED_NAME] });
      checks.push({ role, method: 'GET', url: `/api/handoffs/${handOffId}`, expect: [MASKED_PHONE, MASKED_NAME] });
    }
    for (const role of ['supervisor', 'admin'] as const) {
      checks.push({ role, method: 'GET', url: '/api/cases', expect: [] });
      checks.push({ role, method: 'POST', url: '/api/cases/export', payload: { format: 'csv', from: '2026-11-27', to: '2026-11-27', reasonCode: 'statistics', reasonText: '월간 통계' }, expect: [MASKED_PHONE, MASKED_NAME] });
    }
    for (const c of checks) {
      const res = c.method === 'GET' ? await get(c.url, cookies[c.role]) : await post(c.url, cookies[c.role], c.payload);
      expect(res.statusCode, `${c.role} ${c.method} ${c.url}: ${res.body}`).toBeLessThan(300);
      expectNoPlain(res.body, `${c.role} ${c.url}`);
      for (const masked of c.expect) expect(res.body, `${c.role} ${c.url}`).toContain(masked);
    }
  });

  it('no GET route of the API shows the citizen unmasked to any role (every route of the OpenAPI document)', { timeout: 120_000 }, async () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const ids = [citizenId, caseId, handOffId, interactionId];
    let answered = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!('get' in ops)) continue;
      const urls = path.includes('{id}') ? ids.map((id) => path.replace('{id}', id)) : [path];
      for (const url of urls) {
        for (const role of ROLES) {
          const q = url.includes('monthly-review') ? '?month=2026-11' : url.includes('kb/search') ? '?q=누수' : url.endsWith('/handoffs') ? '?status=all' : '';
          const res = await get(url + q, cookies[role]);
          if (res.statusCode < 300) answered += 1;
          expectNoPlain(res.body, `${role} GET ${url}`);
        }
      }
    }
    expect(answered).toBeGreaterThan(10);
  });

  it('each view is an access record: who, from where, whose data, what', async () => {
    await get(`/api/citizens/${citizenId}/card`, cookies.agent);
    const rec = await t.deps.db.selectFrom('access_records').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(rec).toMatchObject({ user_login: 'p-agent', role: 'agent', ip: '127.0.0.1', action: 'view', subject: citizenId, target: 'caller-card', result: 'success' });
    const created = await t.deps.db.selectFrom('access_records').selectAll().where('target', '=', `case:${caseId}`).where('action', '=', 'create').executeTakeFirst();
    expect(created?.subject).toBe(citizenId);
  });

  it('unmasking reveals one value with a reason, within the daily allowance, and is recorded', { timeout: 120_000 }, async () => {
    const body = { citizenId, field: 'phone', reasonCode: 'callback', reasonText: '회신 전화 요청' };
    const noReason = await post('/api/privacy/unmask', cookies.agent, { ...body, reasonText: ' ' });
    expect(noReason.statusCode).toBe(400);
    const first = await post('/api/privacy/unmask', cookies.agent, body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ citizenId, field: 'phone', value: '010-9876-5432', remainingToday: 2 });
    const name = await post('/api/privacy/unmask', cookies.agent, { ...body, field: 'name', reasonCode: 'identity_check', reasonText: '본인 확인' });
    expect(name.json()).toMatchObject({ value: NAME, remainingToday: 1 });
    expect((await post('/api/privacy/unmask', cookies.agent, body)).statusCode).toBe(200);

    const over = await post('/api/privacy/unmask', cookies.agent, body);
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('UNMASK_LIMIT');
    expectNoPlain(over.body, 'refused unmask');

    const records = await t.deps.db.selectFrom('access_records').selectAll().where('action', '=', 'unmask').orderBy('seq').execute();
    expect(records.map((r) => r.result)).toEqual(['success', 'success', 'success', 'denied']);
    expect(records[0]).toMatchObject({ subject: citizenId, target: `citizen:${citizenId}.phone`, reason: '회신 전화: 회신 전화 요청', user_login: 'p-agent' });

    // The allowance is per KST day: the next morning the agent may unmask again.
    await setClock('2026-11-28T01:00:00.000Z');
    expect((await post('/api/privacy/unmask', cookies.agent, body)).statusCode).toBe(200);
    await setClock('2026-11-27T01:00:00.000Z');
  });

  it('unmasking is refused to admins by default and hidden from another department', async () => {
    const body = { citizenId, field: 'name', reasonCode: 'handoff_work', reasonText: '민원 처리' };
    expect((await post('/api/privacy/unmask', cookies.admin, body)).statusCode).toBe(403);
    expect((await post('/api/privacy/unmask', otherOfficialCookie, body)).statusCode).toBe(404);
    const own = await post('/api/privacy/unmask', cookies.official, body);
    expect(own.json()).toMatchObject({ value: NAME });
    expect((await post('/api/privacy/unmask', cookies.agent, { ...body, citizenId: newId() })).statusCode).toBe(404);
  });

  it('exports need a reason, are masked, carry a stamp and are recorded as downloads', async () => {
    const payload = { format: 'xlsx', from: '2026-11-01', to: '2026-11-30', reasonCode: 'legal_request', reasonText: '감사 자료 제출' };
    expect((await post('/api/cases/export', cookies.supervisor, { ...payload, reasonText: '' })).statusCode).toBe(400);
    expect((await post('/api/cases/export', cookies.agent, payload)).statusCode).toBe(403);
    expect((await post('/api/cases/export', cookies.supervisor, { ...payload, from: '2026-12-01' })).statusCode).toBe(400);

    const res = await post('/api/cases/export', cookies.supervisor, payload);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('onecall-cases-20261101-20261130.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toContain('p-supervisor');
    expect(String(ws.getCell('A1').value)).toContain('감사 자료 제출');
    expect(ws.getRow(2).values).toContain('전화번호');
    const cells = (ws.getRow(3).values as unknown[]).map(String);
    expect(cells).toContain(MASKED_PHONE);
    expect(cells).toContain(MASKED_NAME);
    expectNoPlain(cells.join('|'), 'xlsx');

    const csv = await post('/api/cases/export', cookies.admin, { ...payload, format: 'csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF접수번호,')).toBe(true);
    expect(csv.body).toContain(MASKED_PHONE);

    const exports = await t.deps.db.selectFrom('access_records').selectAll().where('action', '=', 'export').orderBy('seq', 'desc').limit(2).execute();
    expect(exports[1]).toMatchObject({ user_login: 'p-supervisor', reason: '법령에 따른 요청: 감사 자료 제출', subject: citizenId, record_count: 1 });
    expect(exports[1]!.target).toBe('cases:export:xlsx:2026-11-01..2026-11-30');
  });

  it('the monthly review lists volumes, night access, downloads and unmasks, with the chain check', { timeout: 120_000 }, async () => {
    // A card viewed at 23:30 KST is night access.
    await setClock('2026-11-27T14:30:00.000Z');
    expect((await get(`/api/citizens/${citizenId}/card`, cookies.supervisor)).statusCode).toBe(200);
    await setClock('2026-11-27T01:00:00.000Z');

    expect((await get('/api/privacy/monthly-review?month=2026-13', cookies.admin)).statusCode).toBe(400);
    const res = await get('/api/privacy/monthly-review?month=2026-11', cookies.admin);
    expect(res.statusCode).toBe(200);
    const review: MonthlyReview = res.json();
    expect(review.from).toBe('2026-10-31T15:00:00.000Z');
    expect(review.chain).toMatchObject({ ok: true, broken: null });
    const agent = review.users.find((u) => u.userLogin === 'p-agent')!;
    expect(agent.byAction).toMatchObject({ create: 1 });
    expect(agent.total).toBeGreaterThan(5);
    expect(review.nightAccess.map((e) => e.userLogin)).toEqual(['p-supervisor']);
    expect(review.exports.map((e) => e.reason)).toContain('법령에 따른 요청: 감사 자료 제출');
    expect(review.unmasks.filter((e) => e.result === 'denied')).toHaveLength(1);
    expect(review.unmasks.every((e) => e.reason)).toBe(true);
    // Next month is empty.
    expect((await get('/api/privacy/monthly-review?month=2026-12', cookies.admin)).json()).toMatchObject({ total: 0, users: [] });
  });

  it('the privacy officer searches access records and verifies the chain', async () => {
    const page: AccessRecordPage = (await get(`/api/privacy/access-records?action=unmask&limit=2`, cookies.admin)).json();
    expect(page.items).toHaveLength(2);
    expect(page.items.every((i) => i.action === 'unmask')).toBe(true);
    expect(page.items[0]!.seq).toBeGreaterThan(page.items[1]!.seq);
    const next: AccessRecordPage = (await get(`/api/privacy/access-records?action=unmask&limit=2&beforeSeq=${page.nextBeforeSeq}`, cookies.admin)).json();
    expect(next.items[0]!.seq).toBeLessThan(page.items[1]!.seq);
    const bySubject: AccessRecordPage = (await get(`/api/privacy/access-records?subject=${citizenId}&login=p-official`, cookies.admin)).json();
    expect(bySubject.items.length).toBeGreaterThan(0);
    expect(bySubject.items.every((i) => i.userLogin === 'p-official' && i.subject?.includes(citizenId))).toBe(true);

    const verify = await get('/api/privacy/access-records/verify', cookies.admin);
    expect(verify.json()).toMatchObject({ ok: true, broken: null });
    expect(verify.json().checked).toBeGreaterThan(20);
  });
});
