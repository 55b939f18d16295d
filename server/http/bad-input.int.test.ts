import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCategoryChain, buildDepartment, buildUser } from '../test/factories';
import { createTestContext, type TestContext } from '../test/test-app';

describe('bad input gets a clear 4xx with a stable code and leaves nothing half-written', () => {
  let t: TestContext;
  let cookie: string;
  let interactionId: string;
  let chain: Awaited<ReturnType<typeof buildCategoryChain>>;

  beforeAll(async () => {
    t = await createTestContext();
    const dept = await buildDepartment(t.deps.db);
    chain = await buildCategoryChain(t.deps.db, dept.id);
    await buildUser(t.deps.db, { role: 'agent', login: 'bad-agent' });
    cookie = await t.signIn('bad-agent');
    const call = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie }, payload: { callerNumber: '010-4444-5555' } });
    interactionId = call.json().interaction.id;
  });
  afterAll(async () => t.close());

  const counts = async () => {
    const db = t.deps.db;
    const n = async (table: 'cases' | 'handoffs' | 'contact_events' | 'citizens') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { cases: await n('cases'), handoffs: await n('handoffs'), events: await n('contact_events'), citizens: await n('citizens') };
  };

  const good = (): Good => ({ interactionId, categoryId: chain.task.id, summary: '문의', outcome: 'handed_off' });

  type Good = { interactionId: string; categoryId: string; summary: string; outcome: string };
  const UNKNOWN = '0190f5a2-8c1e-7b6a-9d3e-123456789abc';
  // Payloads are built inside each test: the fixtures exist only after beforeAll.
  it.each([
    ['malformed JSON', () => '{"summary":', 'application/json', 400, 'VALIDATION_FAILED'],
    ['missing fields', () => ({ summary: 'x' }), undefined, 400, 'VALIDATION_FAILED'],
    ['empty summary after trimming', (g: Good) => ({ ...g, summary: '   ' }), undefined, 400, 'VALIDATION_FAILED'],
    ['unknown outcome', (g: Good) => ({ ...g, outcome: 'maybe' }), undefined, 400, 'VALIDATION_FAILED'],
    ['not a uuid', (g: Good) => ({ ...g, categoryId: 'abc' }), undefined, 400, 'VALIDATION_FAILED'],
    ['unknown category', (g: Good) => ({ ...g, categoryId: UNKNOWN }), undefined, 404, 'NOT_FOUND'],
    ['a field (level 1) is too coarse', (g: Good) => ({ ...g, categoryId: chain.field.id }), undefined, 400, 'VALIDATION_FAILED'],
    ['unknown interaction', (g: Good) => ({ ...g, interactionId: UNKNOWN }), undefined, 404, 'NOT_FOUND'],
    ['unknown article used', (g: Good) => ({ ...g, articleIds: [UNKNOWN] }), undefined, 400, 'VALIDATION_FAILED'],
    ['department on a resolved case', (g: Good) => ({ ...g, outcome: 'resolved', departmentId: UNKNOWN }), undefined, 400, 'VALIDATION_FAILED'],
    ['unknown hand-off department', (g: Good) => ({ ...g, departmentId: UNKNOWN }), undefined, 404, 'NOT_FOUND'],
    ['text/plain body', () => 'hello', 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a 2 MB body', (g: Good) => ({ ...g, notes: '가'.repeat(700_000) }), undefined, 413, 'PAYLOAD_TOO_LARGE'],
  ] as const)('POST /api/cases with %s', async (_name, makePayload, contentType, status, code) => {
    const before = await counts();
    const payload = makePayload(good()) as string | Record<string, unknown>;
    const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie, ...(contentType ? { 'content-type': contentType } : {}) }, payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(typeof res.json().error.message).toBe('string');
    expect(await counts()).toEqual(before);
  });

  it('names the fields that failed, in the message and the details', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie }, payload: { ...good(), summary: '', categoryId: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/입력값이 올바르지 않습니다 \(.*summary.*\)|입력값이 올바르지 않습니다 \(.*categoryId.*\)/);
    expect(res.json().error.details.fields).toEqual(expect.arrayContaining(['categoryId', 'summary']));
  });

  it.each([
    ['not a phone number', { callerNumber: 'hello' }],
    ['too short', { callerNumber: '12' }],
    ['missing', {}],
  ])('POST /api/calls/simulate with %s → 400', async (_name, payload) => {
    const before = await counts();
    const res = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(await counts()).toEqual(before);
  });

  it('an archived article cannot be recorded as used', async () => {
    const id = '0190f5a2-8c1e-7b6a-9d3e-0000000000aa';
    const at = '2026-11-27T01:00:00.000Z';
    await t.deps.db
      .insertInto('articles')
      .values({ id, seq: 9001, category_id: chain.task.id, department_id: null, title: '폐지된 안내', body: '더 이상 쓰지 않는 안내입니다.', keywords: '[]', status: 'archived', version: 1, review_by: null, created_by: null, created_at: at, updated_at: at })
      .execute();
    const before = await counts();
    const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie }, payload: { ...good(), articleIds: [id] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(await counts()).toEqual(before);
  });

  it('wrong password → 401 INVALID_CREDENTIALS, the same as an unknown login', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'bad-agent', password: 'nope-nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'nobody', password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('unknown API path → 404 NOT_FOUND; a bad search query → 400', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/nothing-here', headers: { cookie } })).json().error.code).toBe('NOT_FOUND');
    const empty = await t.app.inject({ method: 'GET', url: '/api/kb/search?q=%20%20', headers: { cookie } });
    expect(empty.statusCode).toBe(400);
    const long = await t.app.inject({ method: 'GET', url: `/api/kb/search?q=${'가'.repeat(200)}`, headers: { cookie } });
    expect(long.statusCode).toBe(400);
  });

  it('GET /api/health reports the database', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: { ok: true } });
  });
});
