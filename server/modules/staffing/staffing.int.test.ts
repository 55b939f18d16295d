import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffingPlan, StaffingWhatIf } from '../../../core/contracts/staffing';
import { deriveContacts } from '../../../core/domain/kpi';
import { DAY_MS } from '../../../core/domain/kst';
import { createRng } from '../../../core/domain/prng';
import { countHalfHours, type HalfHourCount } from '../../../core/domain/staffing';
import { newId } from '../../lib/ids';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { toKpiEvents } from '../acd/acd.service';
import { appendEvents, type ContactEventInput } from '../events/events.repository';
import { countHalfHoursOfEvents } from './staffing.repository';

/**
 * 인력 산정 on a known history written as raw contact events, each figure checked against a hand computation
 * (Erlang C by the reference's worked example, contact-center.md lines 204–217, or by hand below), on SQLite and
 * PostgreSQL. The history: the four weeks Monday 2 November – Sunday 29 November 2026 (no public holiday), planned
 * on Monday 30 November (date=2026-11-30).
 */
const DATE = '2026-11-30';
const MONDAYS = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];
const TUESDAYS = ['2026-11-03', '2026-11-10', '2026-11-17', '2026-11-24'];
const CLOSED_TUESDAY = '2026-11-10';

type Call = { queuedAt: number; wait: number; exit: 'answered' | 'abandoned'; talk?: number; acw?: number };

let ctx: TestContext;
let supervisor: string;

/** Writes each call as an interaction and its raw events: queued, then answered → ended → wrap-up ended, or abandoned. */
async function writeCalls(calls: readonly Call[]): Promise<void> {
  const interactions = [];
  const events: ContactEventInput[] = [];
  for (const c of calls) {
    const id = newId();
    const at = (s: number) => new Date(c.queuedAt + s * 1000).toISOString();
    const answered = c.exit === 'answered';
    const talk = c.talk ?? 150;
    const end = c.wait + talk;
    interactions.push({
      id,
      channel: 'phone' as const,
      direction: 'inbound' as const,
      caller_number_sealed: '',
      caller_index: null,
      dialled_number: '120',
      citizen_id: null,
      agent_id: null,
      status: 'ended' as const,
      started_at: at(0),
      answered_at: answered ? at(c.wait) : null,
      ended_at: at(answered ? end : c.wait),
    });
    events.push({ type: 'call_queued', at: at(0), interactionId: id, data: { queueId: 'q' } });
    if (answered) {
      events.push(
        { type: 'call_answered', at: at(c.wait), interactionId: id },
        { type: 'call_ended', at: at(end), interactionId: id },
        { type: 'wrap_up_ended', at: at(end + (c.acw ?? 30)), interactionId: id },
      );
    } else events.push({ type: 'call_abandoned', at: at(c.wait), interactionId: id });
  }
  for (let i = 0; i < interactions.length; i += 100) await ctx.deps.db.insertInto('interactions').values(interactions.slice(i, i + 100)).execute();
  for (let i = 0; i < events.length; i += 200) await appendEvents(ctx.deps.db, events.slice(i, i + 200));
}

/** `n` calls queued `spacing` s apart from `day` at `hhmm` KST, answered after 10 s, 150 s talk + 30 s ACW = 180 s. */
function burst(day: string, hhmm: string, n: number, spacing: number): Call[] {
  const start = Date.parse(`${day}T${hhmm}:00+09:00`);
  return Array.from({ length: n }, (_, i) => ({ queuedAt: start + i * spacing * 1000, wait: 10, exit: 'answered' as const }));
}

async function get<T>(url: string, cookie = supervisor, status = 200): Promise<T> {
  const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
  return res.json<T>();
}

const row = <R extends { weekday: number; start: string }>(rows: readonly R[], weekday: number, start: string): R => {
  const r = rows.find((x) => x.weekday === weekday && x.start === start);
  if (!r) throw new Error(`no interval ${weekday} ${start}`);
  return r;
};

describe('인력 산정: the plan of a known history equals the hand computation', () => {
  beforeAll(async () => {
    ctx = await createTestContext();
    ctx.clock.set(new Date(`${DATE}T10:00:00+09:00`));
    const calls: Call[] = [];
    // Monday 09:00–09:30: 43 + 44 + 44 + 44 = 175 calls over 4 Mondays → 43.75 per half hour, AHT 180 s → 4.375 Erl
    // ("flat over 8 h"). Three short abandons (2 s) each Monday are not demand.
    MONDAYS.forEach((d, i) => {
      calls.push(...burst(d, '09:00', i === 0 ? 43 : 44, 40));
      for (let k = 0; k < 3; k++) calls.push({ queuedAt: Date.parse(`${d}T09:15:0${k}+09:00`), wait: 2, exit: 'abandoned' });
    });
    // Monday 10:00–10:30: 52 + 53 + 52 + 53 = 210 → 52.5 per half hour → 5.25 Erl (the reference's peak hour).
    MONDAYS.forEach((d, i) => calls.push(...burst(d, '10:00', i % 2 === 0 ? 52 : 53, 30)));
    // Tuesday 14:00–14:30: 10 calls on each open Tuesday (the closed one's 25 calls are left out) → 1 Erl.
    for (const d of TUESDAYS) calls.push(...burst(d, '14:00', d === CLOSED_TUESDAY ? 25 : 10, 120));
    // Sunday 23:59:50 KST (14:59:50 UTC), answered 00:00:05 KST Monday: offered on Sunday 23:30, handled on Monday 00:00,
    // across the two-week slices the server reads the window in.
    calls.push({ queuedAt: Date.parse('2026-11-15T23:59:50+09:00'), wait: 15, exit: 'answered', talk: 60, acw: 0 });
    // And one answered on Sunday 23:59:40 whose end (00:00:40 Monday) is in the next slice: handled on Sunday, 60 s.
    calls.push({ queuedAt: Date.parse('2026-11-15T23:59:30+09:00'), wait: 10, exit: 'answered', talk: 60, acw: 0 });
    // Outside the window: the Monday before it and the planning day itself.
    calls.push(...burst('2026-10-26', '09:00', 30, 40), ...burst(DATE, '09:00', 30, 40));
    await writeCalls(calls);
    await ctx.deps.db.insertInto('acd_closed_days').values({ day: CLOSED_TUESDAY, reason: '시설 점검', created_by: null, created_at: new Date().toISOString() }).execute();
    supervisor = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'supervisor' })).login);
  });
  afterAll(async () => ctx?.close());

  it('the window is the 4 whole KST weeks before the date; the closed day is left out', async () => {
    const plan = await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}`);
    expect(plan.window).toEqual({ fromDay: '2026-11-02', toDay: '2026-11-29', weeks: 4, excludedDays: [CLOSED_TUESDAY] });
    expect(plan.targets).toEqual({ targetServiceLevel: 0.8, targetAnswerSeconds: 20, shrinkage: 0.3 });
    expect(plan.intervals).toHaveLength(336);
    expect(plan.intervals[0]).toMatchObject({ weekday: 1, slot: 0, start: '00:00', end: '00:30', days: 4 });
  });

  it('Monday 09:00: 43.75 calls, AHT 180 s, 4.375 Erl → 7 on the phones (85.5%, ASA 13.3 s), 10 scheduled with 30% shrinkage', async () => {
    const r = row((await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}`)).intervals, 1, '09:00');
    expect(r.days).toBe(4);
    expect(r.offered).toBe(43.75);
    expect(r.ahtSeconds).toBeCloseTo(180, 9);
    expect(r.trafficErlangs).toBeCloseTo(4.375, 9);
    expect(r.required).toMatchObject({ agentsOnPhones: 7, scheduledAgents: 10, meetsTarget: true });
    expect(r.required.serviceLevel).toBeCloseTo(0.855, 3);
    expect(r.required.asaSeconds).toBeCloseTo(13.3, 1);
    expect(r.required.occupancy).toBeCloseTo(0.625, 3);
  });

  it('Monday 10:00: 52.5 calls → 5.25 Erl → 8 on the phones (84.8%, ASA 13.5 s), 12 scheduled', async () => {
    const r = row((await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}`)).intervals, 1, '10:00');
    expect(r.offered).toBe(52.5);
    expect(r.trafficErlangs).toBeCloseTo(5.25, 9);
    expect(r.required).toMatchObject({ agentsOnPhones: 8, scheduledAgents: 12 });
    expect(r.required.serviceLevel).toBeCloseTo(0.848, 3);
    expect(r.required.asaSeconds).toBeCloseTo(13.5, 1);
  });

  it('Tuesday 14:00 over the 3 open Tuesdays: 10 calls → 1 Erl → 3 on the phones, 5 scheduled (by hand)', async () => {
    // A = 1: B₂ = 0.5/2.5 = 0.2, P_w(2) = 0.4/1.2 = 1/3, SL = 1 − ⅓·e^(−20/180) = 0.7017 < 0.8;
    // B₃ = 0.2/3.2 = 0.0625, P_w(3) = 0.1875/2.0625 = 1/11, SL = 1 − e^(−40/180)/11 = 0.9272, ASA = 180/11/2 = 8.18 s;
    // 3 / 0.7 = 4.29 → 5 scheduled.
    const r = row((await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}`)).intervals, 2, '14:00');
    expect(r.days).toBe(3);
    expect(r.offered).toBe(10);
    expect(r.required).toMatchObject({ agentsOnPhones: 3, scheduledAgents: 5 });
    expect(r.required.serviceLevel).toBeCloseTo(1 - Math.exp(-40 / 180) / 11, 9);
    expect(r.required.asaSeconds).toBeCloseTo(180 / 11 / 2, 9);
  });

  it('half hours are KST: a call queued at Sunday 23:59:50 is offered on Sunday 23:30 and handled on Monday 00:00; one ended after midnight is handled on Sunday', async () => {
    const plan = await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}`);
    const sunday = row(plan.intervals, 7, '23:30');
    expect(sunday).toMatchObject({ offered: 0.5, ahtSeconds: 60, ahtSource: 'interval' });
    const monday = row(plan.intervals, 1, '00:00');
    expect(monday).toMatchObject({ offered: 0, ahtSeconds: 60, ahtSource: 'interval', trafficErlangs: 0 });
    expect(plan.intervals.filter((r) => r.offered > 0).map((r) => `${r.weekday} ${r.start}`)).toEqual(['1 09:00', '1 10:00', '2 14:00', '7 23:30']);
    expect(plan.summary).toMatchObject({ intervalsWithTraffic: 4, peakScheduled: 12, peakAt: { weekday: 1, slot: 20 } });
    expect(plan.summary.weeklyOffered).toBeCloseTo(43.75 + 52.5 + 10 + 0.5, 9);
  });

  it('targets and shrinkage change the plan: 90/20 needs more, 0% shrinkage schedules exactly N, 1 week reads only 23 November', async () => {
    const strict = row((await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}&targetSl=90`)).intervals, 1, '09:00');
    expect(strict.required.agentsOnPhones).toBe(8);
    const none = row((await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}&shrinkage=0`)).intervals, 1, '10:00');
    expect(none.required.scheduledAgents).toBe(8);
    const oneWeek = await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}&weeks=1`);
    expect(oneWeek.window).toMatchObject({ fromDay: '2026-11-23', toDay: '2026-11-29', excludedDays: [] });
    expect(row(oneWeek.intervals, 1, '10:00').offered).toBe(53);
  });

  it('what-if 10 → 12 → 30 scheduled agents: expected SL and ASA per half hour and over the week', async () => {
    const ten = await get<StaffingWhatIf>(`/api/staffing/what-if?date=${DATE}&agents=10`);
    expect(ten.agents).toBe(10);
    // 10 scheduled × 0.7 = 7 on the phones: 85.5% / 13.3 s at 09:00, 68.1% / 39.8 s at 10:00 (lines 212–213).
    expect(row(ten.intervals, 1, '09:00').whatIf).toMatchObject({ scheduledAgents: 10, agentsOnPhones: 7, meetsTarget: true });
    expect(row(ten.intervals, 1, '09:00').whatIf.serviceLevel).toBeCloseTo(0.855, 3);
    const peakTen = row(ten.intervals, 1, '10:00').whatIf;
    expect(peakTen.meetsTarget).toBe(false);
    expect(peakTen.serviceLevel).toBeCloseTo(0.681, 3);
    expect(peakTen.asaSeconds).toBeCloseTo(39.8, 1);
    expect(ten.whatIf).toMatchObject({ intervalsWithTraffic: 4, intervalsMeetingTarget: 3, intervalsOverloaded: 0 });
    const weighted = ten.intervals.reduce((s, r) => s + r.offered * r.whatIf.serviceLevel, 0) / ten.intervals.reduce((s, r) => s + r.offered, 0);
    expect(ten.whatIf.serviceLevel).toBeCloseTo(weighted, 12);

    const twelve = await get<StaffingWhatIf>(`/api/staffing/what-if?date=${DATE}&agents=12`);
    expect(row(twelve.intervals, 1, '10:00').whatIf.serviceLevel).toBeCloseTo(0.848, 3);
    expect(row(twelve.intervals, 1, '10:00').whatIf.asaSeconds).toBeCloseTo(13.5, 1);
    expect(twelve.whatIf.intervalsMeetingTarget).toBe(4);

    const thirty = await get<StaffingWhatIf>(`/api/staffing/what-if?date=${DATE}&agents=30`);
    expect(row(thirty.intervals, 1, '10:00').whatIf.agentsOnPhones).toBe(21);
    expect(thirty.whatIf.serviceLevel!).toBeGreaterThan(0.999);

    const four = await get<StaffingWhatIf>(`/api/staffing/what-if?date=${DATE}&agents=4`); // 2 on the phones
    expect(row(four.intervals, 1, '10:00').whatIf).toMatchObject({ agentsOnPhones: 2, serviceLevel: 0, asaSeconds: null });
    expect(four.whatIf).toMatchObject({ asaSeconds: null, intervalsOverloaded: 2 });
  });

  it('a closed day declared after a plan was read counts at once (the counted history is kept, keyed by the closed days)', async () => {
    const before = await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}&weeks=2`);
    expect(before.window.excludedDays).toEqual([]);
    expect(row(before.intervals, 2, '14:00')).toMatchObject({ days: 2, offered: 10 });
    await ctx.deps.db.insertInto('acd_closed_days').values({ day: '2026-11-24', reason: '임시 휴무', created_by: null, created_at: new Date().toISOString() }).execute();
    const after = await get<StaffingPlan>(`/api/staffing/plan?date=${DATE}&weeks=2`);
    expect(after.window.excludedDays).toEqual(['2026-11-24']);
    expect(row(after.intervals, 2, '14:00')).toMatchObject({ days: 1, offered: 10 });
    await ctx.deps.db.deleteFrom('acd_closed_days').where('day', '=', '2026-11-24').execute();
  });

  it('the what-if as XLSX and CSV: Korean headers, the half hours with calls, the conditions in the title', async () => {
    const xlsx = await ctx.app.inject({ method: 'GET', url: `/api/staffing/what-if/export?date=${DATE}&agents=12&format=xlsx`, headers: { cookie: supervisor } });
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(String(xlsx.headers['content-disposition'])).toContain(encodeURIComponent('인력 산정'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(1).getCell(1).value)).toContain('목표 80% / 20초 · 비가동률 30% · 가정 배치 12명');
    expect(ws.getRow(2).values).toEqual(expect.arrayContaining(['요일', '시간대', '평균 인입', '통화 인원', '배치 인원', '예상 서비스 수준(%)']));
    const peak = ws.getRows(3, ws.rowCount - 2)!.find((r) => r.getCell(1).value === '월' && r.getCell(2).value === '10:00–10:30')!;
    expect(peak.getCell(3).value).toBe(52.5);
    expect(peak.getCell(6).value).toBe(8);
    expect(peak.getCell(7).value).toBe(12);
    expect(peak.getCell(9).value as number).toBeCloseTo(0.848, 3);
    expect(ws.rowCount - 2).toBe(4); // the four half hours with calls

    const csv = await ctx.app.inject({ method: 'GET', url: `/api/staffing/what-if/export?date=${DATE}&agents=10&format=csv`, headers: { cookie: supervisor } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\uFEFF인력 산정')).toBe(true);
    expect(csv.body).toContain('월,10:00–10:30,52.5,180,5.3,8,12,10,68.1,39.8,75.0');
    await get('/api/staffing/what-if/export?agents=12&format=pdf', supervisor, 400);
  });

  it.each([
    ['weeks=0', '/api/staffing/plan?weeks=0', 'weeks'],
    ['weeks=53', '/api/staffing/plan?weeks=53', 'weeks'],
    ['weeks=1.5', '/api/staffing/plan?weeks=1.5', 'weeks'],
    ['targetSl=0', '/api/staffing/plan?targetSl=0', 'targetSl'],
    ['targetSl=100', '/api/staffing/plan?targetSl=100', 'targetSl'],
    ['targetSeconds=0', '/api/staffing/plan?targetSeconds=0', 'targetSeconds'],
    ['shrinkage=-1', '/api/staffing/plan?shrinkage=-1', 'shrinkage'],
    ['shrinkage=95', '/api/staffing/plan?shrinkage=95', 'shrinkage'],
    ['shrinkage=abc', '/api/staffing/plan?shrinkage=abc', 'shrinkage'],
    ['a malformed date', '/api/staffing/plan?date=2026-11-31', 'date'],
    ['an unknown parameter', '/api/staffing/plan?week=4', ''],
    ['agents=-1', '/api/staffing/what-if?agents=-1', 'agents'],
    ['agents missing', '/api/staffing/what-if', 'agents'],
    ['agents=2.5', '/api/staffing/what-if?agents=2.5', 'agents'],
  ])('%s → 400 VALIDATION_FAILED', async (_name, url, field) => {
    const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie: supervisor } });
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json<{ error: { code: string; message: string; details?: { fields?: string[] } } }>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    if (field) expect(body.error.details?.fields).toContain(field);
  });

  it('a date after today (KST) → 400 with reason future; today is allowed', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/staffing/plan?date=2026-12-01', headers: { cookie: supervisor } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'date', reason: 'future' } } });
    await get<StaffingPlan>('/api/staffing/plan?date=2026-11-30');
    expect(ctx.clock.now().getTime() - Date.parse(`${DATE}T00:00:00+09:00`)).toBeLessThan(DAY_MS);
  });

  it('supervisors and admins only: an agent or an official is refused (403), no session 401', async () => {
    const agent = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'agent' })).login);
    const official = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'official' })).login);
    const admin = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'admin' })).login);
    await get('/api/staffing/plan', agent, 403);
    await get('/api/staffing/what-if?agents=12', official, 403);
    await get('/api/staffing/plan', admin, 200);
    const anonymous = await ctx.app.inject({ method: 'GET', url: '/api/staffing/plan' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('인력 산정: the database counts equal core/domain/staffing.ts over the raw events', () => {
  let c: TestContext;
  afterAll(async () => c?.close());

  it('a random history (abandons short and long, callbacks, transfers, repeated and tied events, calls across midnight and the window edges)', async () => {
    c = await createTestContext();
    const rng = createRng('staffing-sql');
    const base = Date.parse('2026-11-02T00:00:00+09:00');
    const events: ContactEventInput[] = [];
    const interactions = [];
    const sec = (n: number) => n * 1000;
    for (let i = 0; i < 400; i++) {
      const id = newId();
      // Three days and a half hour either side of them, dense around midnight and half-hour edges.
      const q = base - 1_800_000 + Math.floor(rng.next() * (3 * 86_400_000 + 3_600_000));
      const at = (ms: number) => new Date(ms).toISOString();
      const push = (type: ContactEventInput['type'], ms: number) => events.push({ type, at: at(ms), interactionId: id });
      const r = rng.next();
      // Waits to the ms, some exactly on the 5 s short-abandon threshold.
      const wait = rng.next() < 0.1 ? 5_000 : Math.floor(rng.next() * 40_000);
      if (r < 0.85) push('call_queued', q); // else: a callback contact or a call seen only from its answer
      if (r < 0.55) {
        push('call_answered', q + wait);
        const end = q + wait + sec(30 + Math.floor(rng.next() * 400));
        push(rng.next() < 0.15 ? 'call_transferred' : 'call_ended', end);
        if (rng.next() < 0.8) push('wrap_up_ended', end + sec(Math.floor(rng.next() * 60)));
        if (rng.next() < 0.1) push('call_answered', q + wait + sec(5)); // a repeated event: the earliest counts
      } else if (r < 0.7) {
        push('call_abandoned', q + wait); // short (< 5 s) or not
        if (rng.next() < 0.2) push('callback_requested', q + wait); // tied: the abandon was first
      } else if (r < 0.8) {
        push('callback_requested', q + wait);
      } else if (r < 0.85) {
        // still waiting at the end of the log
      } else {
        push('call_answered', q);
        push('call_ended', q + sec(90));
      }
      interactions.push({ id, channel: 'phone' as const, direction: 'inbound' as const, caller_number_sealed: '', caller_index: null, dialled_number: '120', citizen_id: null, agent_id: null, status: 'ended' as const, started_at: at(q), answered_at: null, ended_at: null });
    }
    for (let i = 0; i < interactions.length; i += 100) await c.deps.db.insertInto('interactions').values(interactions.slice(i, i + 100)).execute();
    for (let i = 0; i < events.length; i += 200) await appendEvents(c.deps.db, events.slice(i, i + 200));

    const window = { from: base, to: base + 2 * 86_400_000 };
    const iso = (ms: number) => new Date(ms).toISOString();
    const fromDb = await countHalfHoursOfEvents(
      c.deps.db,
      c.deps.dialect,
      { fromIso: iso(window.from), toIso: iso(window.to), readFromIso: iso(window.from - 86_400_000), readToIso: iso(window.to + 86_400_000) },
      5_000,
    );
    const rows = await c.deps.db.selectFrom('contact_events').select(['interaction_id', 'type', 'at', 'actor_id', 'data']).execute();
    const fromCore = countHalfHours(deriveContacts(toKpiEvents(rows)), window, 5);
    const key = (r: HalfHourCount) => `${r.kind} ${r.day} ${String(r.slot).padStart(2, '0')}`;
    const sorted = (list: HalfHourCount[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(fromCore.length).toBeGreaterThan(100);
    expect(sorted(fromDb)).toEqual(sorted(fromCore));
  });
});
