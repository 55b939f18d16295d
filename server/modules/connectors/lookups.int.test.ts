import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LookupAdmin, LookupResult } from '../../../core/contracts/connectors';
import { startStandin, STANDIN_API_KEY, type Standin } from '../../cli/standin';
import { newId } from '../../lib/ids';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { demoLookups } from './demo-lookups';
import { setBreakerPolicy } from './lookups.service';

/**
 * Department look-ups (issue #16 §2) against the stand-in as a real HTTP server on port 0 (SQLite and PostgreSQL):
 * admin definitions with sealed secrets, bad mappings refused on save, the desk's 조회 with consent and an access
 * record, an invalid identifier that never leaves OneCall, slow / 5xx / malformed / unreachable systems and the
 * circuit breaker (down after 3 failures, told at once, half-open after the cool-down on the fake clock).
 */
let ctx: TestContext;
let standin: Standin;
let admin: string;
let agent: string;
let otherAgent: string;
let agentId: string;
let callId: string;
let citizenId: string;
const byName = new Map<string, LookupAdmin>();

async function inject(cookie: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  return ctx.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}
const run = (name: string, identifier: string, cookie = agent, extra: object = {}) =>
  inject(cookie, 'POST', `/api/connectors/lookups/${byName.get(name)!.id}/run`, {
    interactionId: callId,
    identifier,
    consent: true,
    reason: '체납 문의',
    ...extra,
  });
const lookupRecords = () => ctx.deps.db.selectFrom('access_records').selectAll().where('target', 'like', 'lookup:%').orderBy('seq').execute();

beforeAll(async () => {
  standin = await startStandin({ port: 0 });
  ctx = await createTestContext();
  setBreakerPolicy(ctx.deps, { failuresToOpen: 3, coolDownMs: 30_000 });
  await buildUser(ctx.deps.db, { role: 'admin', login: 'admin1' });
  agentId = (await buildUser(ctx.deps.db, { role: 'agent', login: 'agent1' })).id;
  await buildUser(ctx.deps.db, { role: 'agent', login: 'agent2' });
  admin = await ctx.signIn('admin1');
  agent = await ctx.signIn('agent1');
  otherAgent = await ctx.signIn('agent2');
  citizenId = newId();
  const at = ctx.clock.now().toISOString();
  const phone = '+821012345678';
  await ctx.deps.db
    .insertInto('citizens')
    .values({
      id: citizenId,
      phone_sealed: ctx.deps.vault.seal(phone),
      phone_index: ctx.deps.vault.phoneIndex(phone),
      name_sealed: null,
      created_at: at,
    })
    .execute();
  callId = newId();
  await ctx.deps.db
    .insertInto('interactions')
    .values({
      id: callId,
      channel: 'phone',
      direction: 'inbound',
      caller_number_sealed: '',
      caller_index: null,
      dialled_number: '120',
      citizen_id: citizenId,
      agent_id: agentId,
      status: 'connected',
      started_at: at,
      answered_at: at,
      ended_at: null,
    })
    .execute();
  for (const body of demoLookups(standin.url)) {
    const res = await inject(admin, 'POST', '/api/admin/connectors/lookups', body);
    expect(res.statusCode, res.body).toBe(201);
    const saved = res.json<LookupAdmin>();
    byName.set(saved.name, saved);
  }
});

afterAll(async () => {
  await ctx?.close();
  await standin?.close();
});

beforeEach(() => {
  standin.fault = { mode: 'ok' };
});

describe('admin definitions', () => {
  it('lists the look-ups without any secret, only whether one is stored; the stored secret is sealed', async () => {
    const res = await inject(admin, 'GET', '/api/admin/connectors/lookups');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(STANDIN_API_KEY);
    expect(res.body).not.toContain('water-demo');
    const tax = res.json<LookupAdmin[]>().find((l) => l.name === '지방세 부과·납부 현황')!;
    expect(tax.hasSecret).toBe(true);
    expect(tax).not.toHaveProperty('authSecret');
    const row = await ctx.deps.db.selectFrom('connector_lookups').selectAll().where('id', '=', tax.id).executeTakeFirstOrThrow();
    expect(row.auth_secret_sealed).not.toContain(STANDIN_API_KEY);
    expect(row.definition).not.toContain(STANDIN_API_KEY);
    expect(ctx.deps.vault.open(row.auth_secret_sealed!)).toBe(STANDIN_API_KEY);
  });

  it('refuses a bad mapping, pattern, URL or template on save with the reason, field by field', async () => {
    const good = demoLookups(standin.url)[2]!;
    const cases: [object, string, string][] = [
      [{ fields: [{ label: '금액', path: 'a..b' }] }, 'fields.0.path', "항목 '금액'의 위치 'a..b'를 해석할 수 없습니다."],
      [
        {
          fields: [
            { label: 'x', path: 'a' },
            { label: 'x', path: 'b' },
          ],
        },
        'fields.1.label',
        "항목 이름 'x'이(가) 두 번 있습니다.",
      ],
      [{ identifierPattern: '(\\d{3}' }, 'identifierPattern', '식별번호 형식(정규식)이 올바르지 않습니다.'],
      [{ urlTemplate: 'ftp://x/{identifier}' }, 'urlTemplate', '주소는 http:// 또는 https:// 로 시작해야 합니다.'],
      [{ urlTemplate: 'http://x/fixed' }, 'urlTemplate', '주소 또는 요청 본문에 {identifier} 자리가 있어야 합니다.'],
      [
        {
          method: 'POST',
          requestTemplate: '{"a": {identifier}',
          urlTemplate: 'http://x/p',
        },
        'requestTemplate',
        '요청 본문이 올바른 JSON이 아닙니다.',
      ],
      [{ authKind: 'api_key', authName: 'Cookie' }, 'authName', 'API 키를 보낼 헤더 이름이 올바르지 않습니다.'],
      [{ resultPath: 'a[x]' }, 'resultPath', "결과 위치 'a[x]'를 해석할 수 없습니다."],
    ];
    for (const [change, field, message] of cases) {
      const res = await inject(admin, 'POST', '/api/admin/connectors/lookups', {
        ...good,
        name: `잘못된 설정 ${field}`,
        ...change,
      });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      const body = res.json<{
        error: {
          code: string;
          details: { issues: { path: string; message: string }[] };
        };
      }>();
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details.issues.map((i) => [i.path.replace(/^\//, '').replaceAll('/', '.'), i.message])).toContainEqual([field, message]);
    }
    expect((await inject(admin, 'POST', '/api/admin/connectors/lookups', good)).statusCode).toBe(409);
  });

  it('keeps the sealed secret when an edit sends none and refuses non-admins', async () => {
    const water = byName.get('상하수도 요금')!;
    const body = {
      ...demoLookups(standin.url)[1]!,
      authSecret: null,
      timeoutMs: 2500,
    };
    const res = await inject(admin, 'PUT', `/api/admin/connectors/lookups/${water.id}`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<LookupAdmin>()).toMatchObject({
      hasSecret: true,
      timeoutMs: 2500,
    });
    expect((await run('상하수도 요금', '1234-5678')).statusCode).toBe(200);
    expect((await inject(agent, 'GET', '/api/admin/connectors/lookups')).statusCode).toBe(403);
  });
});

describe('the desk look-up', () => {
  it('answers labelled fields from the real system (API key, basic, POST body) and records who, which caller, which system, the masked identifier', async () => {
    const before = (await lookupRecords()).length;
    const res = await run('지방세 부과·납부 현황', '11-000123');
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<LookupResult>();
    expect(result).toMatchObject({
      found: true,
      identifierMasked: '11-****23',
    });
    expect(result.rows).toHaveLength(2);
    expect(result.rows[1]).toEqual([
      { label: '세목', value: '자동차세(2기)' },
      { label: '과세연도', value: '2026' },
      { label: '부과액', value: '145,600원' },
      { label: '납부액', value: '0원' },
      { label: '미납액', value: '145,600원' },
      { label: '납기', value: '2026. 12. 31.' },
    ]);
    const records = await lookupRecords();
    expect(records).toHaveLength(before + 1);
    const rec = records.at(-1)!;
    expect(rec).toMatchObject({
      user_login: 'agent1',
      action: 'view',
      subject: citizenId,
      result: 'success',
      target: 'lookup:지방세 부과·납부 현황:납세번호 또는 차량번호 11-****23',
    });
    expect(rec.reason).toContain('민원인 동의 후 조회: 체납 문의');
    expect(JSON.stringify(records)).not.toContain('11-000123');

    const water = (await run('상하수도 요금', '1234-5678')).json<LookupResult>();
    expect(water.rows[0]).toContainEqual({ label: '요금', value: '27,450원' });
    const passport = (await run('여권 교부 준비', 'P2026-1102')).json<LookupResult>();
    expect(passport.rows[0]).toContainEqual({
      label: '진행 상태',
      value: '제작 중',
    });
    const none = (await run('주정차 과태료 처분 현황', '2026119999')).json<LookupResult>();
    expect(none).toMatchObject({ found: false, rows: [] });
  });

  it('stores nothing of the answer', async () => {
    await run('지방세 부과·납부 현황', '12가3456');
    const dump = JSON.stringify(await ctx.deps.db.selectFrom('access_records').selectAll().execute());
    expect(dump).not.toContain('260000');
    expect(dump).not.toContain('이*영');
  });

  it('refuses an invalid identifier before anything leaves OneCall, and a look-up without consent', async () => {
    const sent = standin.lookups;
    const records = (await lookupRecords()).length;
    const bad = await run('주정차 과태료 처분 현황', '20261100011');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        message: '고지서번호 형식이 올바르지 않습니다. 예: 2026110001',
        details: { field: 'identifier' },
      },
    });
    expect(
      (
        await run('주정차 과태료 처분 현황', '2026110001', agent, {
          consent: false,
        })
      ).statusCode,
    ).toBe(400);
    for (const bad of ['2026\u00001001', '2026\ud800110001']) {
      const res = await run('주정차 과태료 처분 현황', bad);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect(standin.lookups).toBe(sent);
    expect(await lookupRecords()).toHaveLength(records);
  });

  it("refuses another agent's call (no record, nothing sent)", async () => {
    const sent = standin.lookups;
    const res = await run('주정차 과태료 처분 현황', '2026110001', otherAgent);
    expect(res.statusCode).toBe(404);
    expect(standin.lookups).toBe(sent);
  });

  it('says clearly when the system is slow, fails, answers broken JSON or cannot be reached', async () => {
    const fines = '주정차 과태료 처분 현황';
    const expectUnavailable = async (reason: string, message: string) => {
      const res = await run(fines, '2026110001');
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toMatchObject({
        error: { code: 'LOOKUP_UNAVAILABLE', message, details: { reason } },
      });
    };
    standin.fault = { mode: 'error' };
    await expectUnavailable('http_status', `${fines} 시스템이 오류로 응답했습니다 (HTTP 503).`);
    standin.fault = { mode: 'malformed' };
    await expectUnavailable('malformed', `${fines} 시스템의 응답을 읽을 수 없습니다 (JSON 형식 오류).`);
    // A success in between closes the breaker again (failures must be in a row).
    standin.fault = { mode: 'ok' };
    expect((await run(fines, '2026110001')).statusCode).toBe(200);
    const body = { ...demoLookups(standin.url)[2]!, timeoutMs: 300 };
    await inject(admin, 'PUT', `/api/admin/connectors/lookups/${byName.get(fines)!.id}`, body);
    standin.fault = { mode: 'slow', delayMs: 1500 };
    await expectUnavailable('timeout', `${fines} 시스템이 0.3초 안에 응답하지 않았습니다.`);
    standin.fault = { mode: 'drop' };
    await expectUnavailable('unreachable', `${fines} 시스템에 연결할 수 없습니다. 잠시 후 다시 시도하거나 담당 부서에 문의하세요.`);
  });

  it('marks a system down after 3 failures in a row, refuses at once without calling it, and tries again after the cool-down', async () => {
    const water = '상하수도 요금';
    standin.fault = { mode: 'error' };
    for (let i = 0; i < 3; i++) expect((await run(water, '1234-5678')).statusCode).toBe(503);
    const sent = standin.lookups;
    const refused = await run(water, '1234-5678');
    expect(refused.json()).toMatchObject({
      error: { code: 'LOOKUP_UNAVAILABLE', details: { reason: 'down' } },
    });
    expect(standin.lookups).toBe(sent);
    const desk = (await inject(agent, 'GET', '/api/connectors/lookups')).json<{ name: string; health: { state: string } }[]>();
    expect(desk.find((l) => l.name === water)!.health.state).toBe('down');

    standin.fault = { mode: 'ok' };
    ctx.clock.advance(29_000);
    expect((await run(water, '1234-5678')).statusCode).toBe(503);
    ctx.clock.advance(1_000);
    const desk2 = (await inject(agent, 'GET', '/api/connectors/lookups')).json<{ name: string; health: { state: string } }[]>();
    expect(desk2.find((l) => l.name === water)!.health.state).toBe('half_open');
    expect((await run(water, '1234-5678')).statusCode).toBe(200);
    const desk3 = (await inject(agent, 'GET', '/api/connectors/lookups')).json<{ name: string; health: { state: string } }[]>();
    expect(desk3.find((l) => l.name === water)!.health.state).toBe('up');
  });

  it('a failed trial opens the breaker again for a whole cool-down', async () => {
    const water = '상하수도 요금';
    standin.fault = { mode: 'error' };
    for (let i = 0; i < 3; i++) await run(water, '1234-5678');
    ctx.clock.advance(30_000);
    expect((await run(water, '1234-5678')).json()).toMatchObject({
      error: { details: { reason: 'http_status' } },
    });
    expect((await run(water, '1234-5678')).json()).toMatchObject({
      error: { details: { reason: 'down' } },
    });
    standin.fault = { mode: 'ok' };
    ctx.clock.advance(30_000);
    expect((await run(water, '1234-5678')).statusCode).toBe(200);
  });

  it('says so when the stored secret cannot be opened (a retired key), without calling the system', async () => {
    const tax = byName.get('지방세 부과·납부 현황')!;
    const row = await ctx.deps.db.selectFrom('connector_lookups').select('auth_secret_sealed').where('id', '=', tax.id).executeTakeFirstOrThrow();
    await ctx.deps.db.updateTable('connector_lookups').set({ auth_secret_sealed: 'v1.gone.AAAA' }).where('id', '=', tax.id).execute();
    const sent = standin.lookups;
    const res = await run('지방세 부과·납부 현황', '11-000123');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'LOOKUP_UNAVAILABLE', details: { reason: 'secret' } } });
    expect(standin.lookups).toBe(sent);
    await ctx.deps.db.updateTable('connector_lookups').set({ auth_secret_sealed: row.auth_secret_sealed }).where('id', '=', tax.id).execute();
    expect((await run('지방세 부과·납부 현황', '11-000123')).statusCode).toBe(200);
  });

  it('lists only the look-ups the role may run', async () => {
    const list = (await inject(agent, 'GET', '/api/connectors/lookups')).json<{ name: string }[]>();
    expect(list.map((l) => l.name).sort()).toEqual([...byName.keys()].sort());
  });
});
