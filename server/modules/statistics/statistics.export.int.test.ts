import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ByTaskReport, ServiceReport } from '../../../core/contracts/statistics';
import { newId } from '../../lib/ids';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { appendEvents } from '../events/events.repository';

/**
 * Export of the statistics (issue #12 §2): each report as CSV (UTF-8 with BOM) and XLSX with Korean headers, the
 * figures equal to the report's JSON, the same access rules (agents' figures: supervisors and admins only) and the
 * same stable answers to bad input.
 */
const DAY = '2026-12-01'; // a Tuesday
let ctx: TestContext;
let supervisor: string;
let official: string;
let agentCookie: string;
let ownDept: string;
let otherDept: string;
let fieldId: string;

async function call(atIso: string, categoryId: string, outcome: 'resolved' | 'handed_off', waitSeconds: number) {
  const id = newId();
  const t = Date.parse(atIso);
  const at = (s: number) => new Date(t + s * 1000).toISOString();
  await ctx.deps.db
    .insertInto('interactions')
    .values({ id, channel: 'phone', direction: 'inbound', caller_number_sealed: '', caller_index: null, dialled_number: '120', citizen_id: null, agent_id: null, status: 'ended', started_at: at(0), answered_at: at(waitSeconds), ended_at: at(waitSeconds + 120) })
    .execute();
  await appendEvents(ctx.deps.db, [
    { type: 'call_queued', at: at(0), interactionId: id, data: { queueId: 'q' } },
    { type: 'call_answered', at: at(waitSeconds), interactionId: id },
    { type: 'call_ended', at: at(waitSeconds + 120), interactionId: id },
    { type: 'wrap_up_ended', at: at(waitSeconds + 150), interactionId: id },
    { type: 'call_dispositioned', at: at(waitSeconds + 140), interactionId: id, data: { outcome, categoryId, callerKey: `k${id}` } },
  ]);
}

async function download(url: string, cookie: string) {
  return ctx.app.inject({ method: 'GET', url, headers: { cookie } });
}

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

describe('statistics export (CSV and XLSX)', () => {
  beforeAll(async () => {
    ctx = await createTestContext();
    ctx.clock.set(new Date('2026-12-02T10:00:00+09:00'));
    ownDept = (await buildDepartment(ctx.deps.db, { name: '세정과' })).id;
    otherDept = (await buildDepartment(ctx.deps.db, { name: '민원여권과' })).id;
    const tax = await buildCategoryChain(ctx.deps.db, ownDept, 'inquiry', ['세무', '자동차세', '자동차세 연납']);
    // A name that a spreadsheet would take for a formula stays text.
    const passport = await buildCategoryChain(ctx.deps.db, otherDept, 'inquiry', ['여권', '=여권 발급', '재발급']);
    fieldId = tax.field.id;
    await call(`${DAY}T09:00:00+09:00`, tax.detail.id, 'resolved', 8);
    await call(`${DAY}T09:30:00+09:00`, tax.detail.id, 'resolved', 30);
    await call(`${DAY}T10:00:00+09:00`, tax.task.id, 'handed_off', 12);
    await call(`${DAY}T14:00:00+09:00`, passport.detail.id, 'resolved', 4);
    supervisor = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'supervisor' })).login);
    official = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'official', departmentId: ownDept })).login);
    agentCookie = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'agent' })).login);
  });
  afterAll(async () => ctx?.close());

  it('업무별 as XLSX: Korean headers, the same figures as the report, a formula-like name kept as text', async () => {
    const json = (await download(`/api/stats/by-task?date=${DAY}`, supervisor)).json<ByTaskReport>();
    const res = await download(`/api/stats/by-task/export?date=${DAY}&format=xlsx`, supervisor);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`filename="onecall-stats-by-task-${DAY}.xlsx"`);
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1] ?? '')).toBe(`업무별 통계_${DAY}.xlsx`);
    const wb = await workbook(res.rawPayload);
    const sheet = wb.getWorksheet('업무별')!;
    expect(sheet.getRow(1).getCell(1).value).toBe(`업무별 통계 · 업무별 · ${DAY} (이전 기간 2026-11-30)`);
    expect(sheet.getRow(2).values).toEqual([undefined, '분류코드', '분류', '단계', '상담 건수', '직접처리율(%)', '이관율(%)', '평균 처리 시간(초)', '이전 기간 건수', '증감률(%)']);
    const rows = json.rows.map((r) => [r.name, r.contacts, r.resolvedRate]);
    const sheetRows = [];
    for (let i = 3; i <= sheet.rowCount; i++) {
      const row = sheet.getRow(i);
      sheetRows.push([row.getCell(2).value, row.getCell(4).value, row.getCell(5).value ?? null]);
    }
    expect(sheetRows).toEqual(rows);
    expect(json.rows.find((r) => r.name === '세무')).toMatchObject({ contacts: 3 });
    expect(sheet.getRow(3).getCell(5).numFmt).toBe('0.0%');
    const top = wb.getWorksheet('상위 업무')!;
    expect(top.getRow(2).values).toEqual([undefined, '순위', '분류 경로', '상담 건수']);
    expect(top.getRow(3).values).toEqual([undefined, 1, '세무 > 자동차세 > 자동차세 연납', 2]);

    // The drill-down into 세무, and the formula-like 업무 name of 여권.
    const drill = await workbook((await download(`/api/stats/by-task/export?date=${DAY}&format=xlsx&category=${fieldId}`, supervisor)).rawPayload);
    expect(drill.worksheets[0]!.name).toBe('업무별 - 세무');
    const passportField = json.rows.find((r) => r.name === '여권')!;
    const passportTasks = await workbook((await download(`/api/stats/by-task/export?date=${DAY}&format=xlsx&category=${passportField.id}`, supervisor)).rawPayload);
    expect(passportTasks.worksheets[0]!.getRow(3).getCell(2).value).toBe("'=여권 발급");
  });

  it('서비스 수준 as CSV: UTF-8 with BOM, Korean labels, the report\'s figures', async () => {
    const json = (await download(`/api/stats/service?date=${DAY}`, supervisor)).json<ServiceReport>();
    expect(json.offered).toBe(4);
    const res = await download(`/api/stats/service/export?date=${DAY}&format=csv`, supervisor);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.rawPayload.toString('utf8').slice(1).split('\r\n');
    expect(lines.slice(0, 5)).toEqual(['서비스 수준', `기간: ${DAY}`, '', '서비스 수준', '항목,값']);
    expect(lines).toContain(`인입,${json.offered}`);
    // 3 of 4 answered within 20 s.
    expect(lines).toContain('서비스레벨(20초),75.0%');
  });

  it('every report answers as CSV and as XLSX (by period: comparison, series, heat map)', async () => {
    for (const report of ['by-task', 'by-period', 'by-department', 'by-agent', 'service', 'headline']) {
      for (const format of ['csv', 'xlsx']) {
        const res = await download(`/api/stats/${report}/export?period=week&date=${DAY}&format=${format}`, supervisor);
        expect(res.statusCode, `${report} ${format}: ${res.body.slice(0, 200)}`).toBe(200);
      }
    }
    const wb = await workbook((await download(`/api/stats/by-period/export?date=${DAY}&format=xlsx`, supervisor)).rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['기간 비교', '추이', '요일×시간 인입']);
    expect(wb.getWorksheet('기간 비교')!.getRow(3).getCell(3).value).toBe(4); // 인입 this day
    const heat = wb.getWorksheet('요일×시간 인입')!;
    expect(heat.getRow(4).getCell(1).value).toBe('화');
    expect(heat.getRow(4).getCell(2 + 9).value).toBe(2); // Tuesday 09 h: two calls
    expect(wb.getWorksheet('추이')!.rowCount).toBe(2 + 24);
  });

  it('same access as the report: a department head exports their own department only, agents\' figures are for supervisors', async () => {
    const own = await download(`/api/stats/by-department/export?date=${DAY}&format=csv`, official);
    expect(own.statusCode, own.body).toBe(200);
    const text = own.rawPayload.toString('utf8');
    expect(text).toContain('세정과');
    expect(text).not.toContain('민원여권과');
    for (const path of ['by-department', 'by-task']) {
      const refused = await download(`/api/stats/${path}/export?date=${DAY}&format=csv&department=${otherDept}`, official);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('FORBIDDEN');
    }
    for (const [path, cookie] of [['by-agent', agentCookie], ['by-agent', official], ['service', official], ['by-task', agentCookie]] as const) {
      const refused = await download(`/api/stats/${path}/export?date=${DAY}&format=xlsx`, cookie);
      expect(refused.statusCode, path).toBe(403);
    }
  });

  it('refuses bad input with the report\'s stable codes', async () => {
    const cases: Array<[string, number, string, string?]> = [
      [`/api/stats/service/export?date=${DAY}`, 400, 'VALIDATION_FAILED'],
      [`/api/stats/service/export?date=${DAY}&format=pdf`, 400, 'VALIDATION_FAILED'],
      ['/api/stats/service/export?format=csv&period=custom&from=2026-12-02&to=2026-12-01', 400, 'VALIDATION_FAILED', 'reversed'],
      ['/api/stats/service/export?format=csv&date=2026-12-03', 400, 'VALIDATION_FAILED', 'future'],
      ['/api/stats/by-period/export?format=xlsx&period=custom&from=2020-01-01&to=2026-12-01', 400, 'VALIDATION_FAILED', 'too_long'],
      ['/api/stats/by-period/export?format=xlsx&period=year&date=2026-12-01&granularity=hour', 400, 'VALIDATION_FAILED', 'too_many_buckets'],
      ['/api/stats/by-task/export?format=csv&colour=blue', 400, 'VALIDATION_FAILED'],
      [`/api/stats/by-task/export?format=csv&category=${newId()}`, 404, 'NOT_FOUND'],
      [`/api/stats/by-department/export?format=csv&department=${newId()}`, 404, 'NOT_FOUND'],
    ];
    for (const [url, status, code, reason] of cases) {
      const res = await download(url, supervisor);
      expect(res.statusCode, url).toBe(status);
      const body = res.json<{ error: { code: string; details?: { reason?: string } } }>();
      expect(body.error.code, url).toBe(code);
      if (reason) expect(body.error.details?.reason, url).toBe(reason);
    }
  });
});
