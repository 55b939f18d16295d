import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createAppDeps, type AppDeps } from '../../deps';
import { RetentionScheduler, RETENTION_ACTOR } from '../../jobs/retention-scheduler';
import { newId } from '../../lib/ids';
import { FakeClock } from '../../ports/clock/fake.adapter';
import { buildDepartment, buildUser } from '../../test/factories';
import { createTestDb } from '../../test/test-db';
import { insertContact, insertQueue } from '../acd/acd.repository';
import { findCitizenByPhone, insertCitizen, insertInteraction } from '../calls/calls.repository';
import { verifyAccessChain } from '../privacy/access-chain';
import { appendAccessRecords } from '../privacy/access-records.repository';
import { runRetention, type RetentionHook } from './retention.service';

/*
 * 파기 (PIPA 제21조, privacy-security-kr.md §8): with the default periods (citizens 3 y without contact, cases 3 y,
 * caller numbers 1 y, sessions 30 d after expiry), records past retention are gone or anonymised after the job, each
 * kind leaves a destruction-log row, and the daily job runs on the injected clock.
 */
const NOW = '2026-11-27T01:00:00.000Z';
const YEAR = 365 * 86_400_000;
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();

describe('retention and destruction', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let deps: AppDeps;
  const clock = new FakeClock(NOW);
  const ids = { a: newId(), b: newId(), c: newId(), d: newId() };
  const calls = { a: newId(), b: newId(), d: newId() };
  const cases = { a: newId(), b: newId(), c: newId(), d: newId() };
  const callbacks = { done: newId(), waiting: newId() };
  let userId: string;
  const count = async (table: 'citizens' | 'sessions' | 'destruction_log') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestDb();
    deps = createAppDeps(loadConfig({ NODE_ENV: 'test' }), t, clock);
    const dept = await buildDepartment(t.db);
    userId = (await buildUser(t.db, { role: 'agent', departmentId: dept.id })).id;
    const citizen = async (id: string, phone: string, name: string) => insertCitizen(t.db, deps.vault, { id, phone, name, created_at: ago(4 * YEAR) });
    const call = async (id: string, citizenId: string, phone: string, at: string) =>
      insertInteraction(t.db, deps.vault, { id, channel: 'phone', direction: 'inbound', caller_number: phone, dialled_number: '120', citizen_id: citizenId, agent_id: userId, status: 'ended', started_at: at, answered_at: at, ended_at: at });
    const kase = async (id: string, citizenId: string, interactionId: string | null, at: string, status: 'open' | 'closed', notes: string) =>
      t.db
        .insertInto('cases')
        .values({ id, number: `X-${id.slice(-8)}`, interaction_id: interactionId, citizen_id: citizenId, agent_id: userId, category_id: null, complaint_type: 'inquiry', summary: '수도요금 문의', notes, outcome: status === 'open' ? 'handed_off' : 'resolved', status, created_at: at, closed_at: status === 'closed' ? at : null })
        .execute();

    // A: no contact for 4 years → deleted; its case anonymised (notes of an older version still hold a number).
    await citizen(ids.a, '+821011110001', '가나다');
    await call(calls.a, ids.a, '+821011110001', ago(4 * YEAR));
    await kase(cases.a, ids.a, calls.a, ago(4 * YEAR), 'closed', '회신 번호 010-1111-0001 로 안내');
    await t.db.insertInto('handoffs').values({ id: newId(), case_id: cases.a, department_id: dept.id, assignee_id: null, status: 'closed', complaint_type: 'inquiry', deadline_basis: 'x', received_at: ago(4 * YEAR), due_at: ago(4 * YEAR), acknowledged_at: null, answered_at: ago(4 * YEAR), closed_at: ago(4 * YEAR), answer: '010-1111-0001 로 회신함', created_by: null, updated_at: ago(4 * YEAR) }).execute();
    // B: last call 2 years ago → kept, but that call's number is past 1 year → erased; its case (2 y) stays linked.
    await citizen(ids.b, '+821011110002', '라마바');
    await call(calls.b, ids.b, '+821011110002', ago(2 * YEAR));
    await kase(cases.b, ids.b, calls.b, ago(2 * YEAR), 'closed', '안내함');
    // C: 4 years without contact but an open case → kept, case untouched.
    await citizen(ids.c, '+821011110003', '사아자');
    await kase(cases.c, ids.c, null, ago(4 * YEAR), 'open', '처리 중');
    // D: a case closed 3.5 years ago (anonymised) and a call half a year ago (kept, number kept).
    await citizen(ids.d, '+821011110004', '차카타');
    await kase(cases.d, ids.d, null, ago(3.5 * YEAR), 'closed', '연락처 010-1111-0004');
    await call(calls.d, ids.d, '+821011110004', ago(0.5 * YEAR));
    // Access records (접속기록): two older than 2 years (pruned with an anchor), one recent (kept, chain still verifies).
    const record = (at: string) => ({ at, userId, userLogin: 'retention-agent', role: 'agent' as const, ip: '10.0.0.1', action: 'view' as const, subjects: [ids.d], target: 'caller_card', recordCount: 1 });
    await t.db.transaction().execute((trx) => appendAccessRecords(trx, [record(ago(2.5 * YEAR)), record(ago(2.1 * YEAR)), record(ago(0.1 * YEAR))]));
    // ACD callbacks (numbers sealed): one done 2 years ago (its number erased, and its call's as a caller number), one
    // still waiting from 2 years ago (kept: it is needed to call back).
    const queueId = newId();
    await insertQueue(t.db, { id: queueId, code: 'RET', name: '보존', skill: null, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: ago(3 * YEAR), updated_at: ago(3 * YEAR) });
    for (const [id, status] of [[callbacks.done, 'ended'], [callbacks.waiting, 'waiting']] as const) {
      await insertInteraction(t.db, deps.vault, { id, channel: 'phone', direction: 'outbound', caller_number: '+821011110005', dialled_number: '120', citizen_id: null, agent_id: null, status: status === 'ended' ? 'ended' : 'offered', started_at: ago(2 * YEAR), answered_at: null, ended_at: null });
      await insertContact(t.db, {
        id, kind: 'callback', source: 'simulator', external_call_id: `cb-${id}`, queue_id: queueId, skill: null, priority: 0, dialled_number: '120', ivr_choice: null,
        entered_at: ago(2 * YEAR), virtual_start_at: ago(2 * YEAR), ready_at: null, status, agent_id: null, offered_at: null, offer_expires_at: null,
        answered_at: null, ended_at: status === 'ended' ? ago(2 * YEAR) : null, excluded_agents: null, callback_number_sealed: deps.vault.seal('+821011110005'), origin_id: null, updated_at: ago(2 * YEAR),
      });
    }
    // Sessions: one expired 40 days ago (deleted), one 10 days ago (kept).
    for (const [id, days] of [['s-old', 40], ['s-new', 10]] as const) {
      await t.db.insertInto('sessions').values({ id: `${id}-${newId()}`, user_id: userId, created_at: ago(days * 86_400_000 + 3_600_000), last_seen_at: ago(days * 86_400_000), expires_at: ago(days * 86_400_000), ip: '10.0.0.1', user_agent: 'x' }).execute();
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('a dry run counts what is due and changes or records nothing', async () => {
    const r = await runRetention(deps, { actor: 'cli:tester', dryRun: true });
    expect(Object.fromEntries(r.items.map((i) => [i.kind, i.count]))).toEqual({ citizens: 1, cases: 2, call_numbers: 3, sessions: 1, sign_in_challenges: 0, callback_numbers: 1, reply_contacts: 0, survey_contacts: 0, recordings: 0, access_records: 2 });
    expect(await count('citizens')).toBe(4);
    expect(await count('sessions')).toBe(2);
    expect(await count('destruction_log')).toBe(0);
  });

  it('destroys and anonymises what is past retention and logs each kind: what, how many, when, how, by whom', async () => {
    const r = await runRetention(deps, { actor: RETENTION_ACTOR });
    expect(Object.fromEntries(r.items.map((i) => [i.kind, i.count]))).toEqual({ citizens: 1, cases: 1, call_numbers: 2, sessions: 1, sign_in_challenges: 0, callback_numbers: 1, reply_contacts: 0, survey_contacts: 0, recordings: 0, access_records: 2 });

    // A is gone: no row, not found by number; its call lost the link and the number; its case kept anonymised.
    expect(await t.db.selectFrom('citizens').select('id').where('id', '=', ids.a).executeTakeFirst()).toBeUndefined();
    expect(await findCitizenByPhone(t.db, deps.vault, '+821011110001')).toBeUndefined();
    expect(await t.db.selectFrom('interactions').select(['citizen_id', 'caller_number_sealed', 'caller_index']).where('id', '=', calls.a).executeTakeFirst()).toEqual({ citizen_id: null, caller_number_sealed: '', caller_index: '' });
    const caseA = await t.db.selectFrom('cases').select(['citizen_id', 'notes', 'summary']).where('id', '=', cases.a).executeTakeFirstOrThrow();
    expect(caseA.citizen_id).toBeNull();
    expect(caseA.summary).toBe('수도요금 문의');
    expect(caseA.notes).not.toContain('1111-0001');
    expect(caseA.notes).toContain('회신 번호');
    const answer = await t.db.selectFrom('handoffs').select('answer').where('case_id', '=', cases.a).executeTakeFirstOrThrow();
    expect(answer.answer).not.toContain('1111-0001');

    // B kept; its 2-year-old call's number erased; its case still linked.
    expect((await findCitizenByPhone(t.db, deps.vault, '+821011110002'))?.name).toBe('라마바');
    expect(await t.db.selectFrom('interactions').select(['citizen_id', 'caller_number_sealed']).where('id', '=', calls.b).executeTakeFirst()).toEqual({ citizen_id: ids.b, caller_number_sealed: '' });
    expect((await t.db.selectFrom('cases').select('citizen_id').where('id', '=', cases.b).executeTakeFirstOrThrow()).citizen_id).toBe(ids.b);
    // C kept with its open case.
    expect((await t.db.selectFrom('cases').select(['citizen_id', 'notes']).where('id', '=', cases.c).executeTakeFirstOrThrow())).toEqual({ citizen_id: ids.c, notes: '처리 중' });
    // D kept; its old case anonymised; its recent call keeps the number.
    expect((await t.db.selectFrom('cases').select('citizen_id').where('id', '=', cases.d).executeTakeFirstOrThrow()).citizen_id).toBeNull();
    expect((await t.db.selectFrom('interactions').select('caller_index').where('id', '=', calls.d).executeTakeFirstOrThrow()).caller_index).toBe(deps.vault.phoneIndex('+821011110004'));
    expect(await count('sessions')).toBe(1);
    // The finished callback lost its number; the waiting one keeps it (sealed, still opens).
    const callbackNumbers = await t.db.selectFrom('acd_contacts').select(['id', 'callback_number_sealed']).where('kind', '=', 'callback').execute();
    expect(callbackNumbers.find((c) => c.id === callbacks.done)?.callback_number_sealed).toBeNull();
    expect(deps.vault.open(callbackNumbers.find((c) => c.id === callbacks.waiting)!.callback_number_sealed!)).toBe('+821011110005');
    const kept = await t.db.selectFrom('access_records').select('at').execute();
    expect(kept.map((k) => new Date(k.at).toISOString())).toEqual([ago(0.1 * YEAR)]);
    expect((await verifyAccessChain(t.db)).ok).toBe(true);

    const log = await t.db.selectFrom('destruction_log').selectAll().where('run_id', '=', r.runId).orderBy('kind').execute();
    expect(log.map((l) => [l.kind, l.method, Number(l.count), l.actor])).toEqual([
      ['access_records', 'delete', 2, RETENTION_ACTOR],
      ['call_numbers', 'anonymise', 2, RETENTION_ACTOR],
      ['callback_numbers', 'anonymise', 1, RETENTION_ACTOR],
      ['cases', 'anonymise', 1, RETENTION_ACTOR],
      ['citizens', 'delete', 1, RETENTION_ACTOR],
      ['recordings', 'delete', 0, RETENTION_ACTOR],
      ['reply_contacts', 'anonymise', 0, RETENTION_ACTOR],
      ['sessions', 'delete', 1, RETENTION_ACTOR],
      ['sign_in_challenges', 'delete', 0, RETENTION_ACTOR],
      ['survey_contacts', 'anonymise', 0, RETENTION_ACTOR],
    ]);
    expect(new Date(log[0]!.at).toISOString()).toBe(NOW);
    expect(new Date(log.find((l) => l.kind === 'citizens')!.cutoff).toISOString()).toBe(ago(1095 * 86_400_000));
  });

  it('is idempotent: a second run destroys nothing more and still records that it ran', async () => {
    const r = await runRetention(deps, { actor: RETENTION_ACTOR });
    expect(r.items.every((i) => i.count === 0)).toBe(true);
    expect(await count('destruction_log')).toBe(20);
  });

  it("runs other modules' hooks, each in its own transaction with its log row; a failing hook leaves no half", async () => {
    const deleted: string[] = [];
    const ok: RetentionHook = { kind: 'test_records', method: 'delete', days: () => 730, apply: async (_db, cutoff) => (deleted.push(cutoff), 3) };
    const failing: RetentionHook = {
      kind: 'broken_records',
      method: 'delete',
      days: () => 1,
      apply: async (db) => {
        await db.deleteFrom('sessions').execute();
        throw new Error('boom');
      },
    };
    await expect(runRetention(deps, { actor: 'cli:tester', hooks: [ok, failing] })).rejects.toThrow('boom');
    expect(deleted).toEqual([ago(730 * 86_400_000)]);
    expect(await count('sessions')).toBe(1);
    const rows = await t.db.selectFrom('destruction_log').select(['kind', 'count']).where('actor', '=', 'cli:tester').execute();
    expect(rows.map((x) => [x.kind, Number(x.count)]).filter(([k]) => k === 'test_records' || k === 'broken_records')).toEqual([['test_records', 3]]);
  });

  it('the daily job runs at 03:00 KST on the injected clock, once a day', async () => {
    const s = new RetentionScheduler(deps);
    expect(s.nextRunAt.toISOString()).toBe('2026-11-27T18:00:00.000Z');
    expect(await s.tick()).toBeNull();
    clock.set('2026-11-27T17:59:59.000Z');
    expect(await s.tick()).toBeNull();
    clock.set('2026-11-27T18:00:00.000Z');
    const r = await s.tick();
    expect(r?.actor).toBe(RETENTION_ACTOR);
    expect(s.nextRunAt.toISOString()).toBe('2026-11-28T18:00:00.000Z');
    expect(await s.tick()).toBeNull();
    clock.advance(86_400_000);
    expect((await s.tick())?.runId).toBeDefined();
  });
});
