import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_HEADER } from '../../../core/contracts/common';
import type { TransferAttempt } from '../../../core/contracts/transfers';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import { openDatabase, type DatabaseHandle } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/tables';
import { createAppDeps, type AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { FakeClock } from '../../ports/clock/fake.adapter';
import { buildCategoryChain, buildDepartment, buildUser, TEST_PASSWORD } from '../../test/factories';
import { testDatabaseUrl, testDialect } from '../../test/test-db';
import { insertQueue, replaceQueueRoutes } from '../acd/acd.repository';

/**
 * Issue #11, "Bad input and faults": a server restart in the middle of a warm transfer resolves the attempt to the
 * fall-back, nothing lost. A real restart: the first app is closed and its database connection too; a second app is
 * started on the same database (the same SQLite file, or the same PostgreSQL schema through a new pool) and must find
 * the ringing attempt ended as unreachable with its hand-off, the caller back with the agent, and late answers of the
 * official changing nothing.
 */

/** A database that outlives one connection: open() may be called again after the previous handle was closed. */
function durableDatabase(): { open: () => DatabaseHandle; migrateOptions: { schema?: string }; destroy: () => Promise<void> } {
  if (testDialect() === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-restart-'));
    const file = path.join(dir, 'onecall.db');
    return { open: () => openDatabase({ dialect: 'sqlite', file }), migrateOptions: {}, destroy: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const open = (): DatabaseHandle => {
    const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 4, options: `-c search_path=${schema} -c max_parallel_workers_per_gather=0` });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  };
  return {
    open,
    migrateOptions: { schema },
    destroy: async () => {
      const h = open();
      await sql.raw(`drop schema if exists ${schema} cascade`).execute(h.db);
      await h.close();
    },
  };
}

async function createSchema(migrateOptions: { schema?: string }): Promise<void> {
  if (!migrateOptions.schema) return;
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`create schema ${migrateOptions.schema}`);
  await admin.end();
}

describe('a restart in the middle of a warm transfer (issue #11 §2, faults)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function start(handle: DatabaseHandle, clock: FakeClock, vault?: AppDeps['vault']) {
    const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', IDLE_TIMEOUT_MINUTES: '1440' }), handle, clock, vault);
    const app = await buildApp(deps, { logger: false });
    await app.ready();
    return { app, deps };
  }

  it('resolves the ringing attempt to unreachable with its hand-off; the caller is back with the agent; late answers change nothing', async () => {
    const store = durableDatabase();
    cleanups.push(store.destroy);
    await createSchema(store.migrateOptions);
    const clock = new FakeClock('2026-11-27T01:00:00.000Z');

    // ——— the first process ———
    const first = store.open();
    await migrateToLatest(first.db, store.migrateOptions);
    const one = await start(first, clock);
    const db = one.deps.db;
    const dept = await buildDepartment(db, { name: '상수도과' });
    const chain = await buildCategoryChain(db, dept.id, 'inquiry', ['상하수도', '누수', '옥내 누수']);
    const at = clock.now().toISOString();
    const queueId = newId();
    await insertQueue(db, { id: queueId, code: 'WATER', name: '상하수도', skill: null, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: at, updated_at: at });
    await replaceQueueRoutes(db, queueId, [{ id: newId(), dialled_number: '120', ivr_choice: '1' }]);
    await one.app.acd.reloadConfig();
    const agent = await buildUser(db, { role: 'agent', login: 'rs-agent', name: '김상담' });
    const official = await buildUser(db, { role: 'official', login: 'rs-official', name: '홍기수', departmentId: dept.id });
    await db.updateTable('users').set({ extension: '2501' }).where('id', '=', official.id).execute();
    await db.insertInto('duties').values({ user_id: official.id, category_id: chain.task.id }).execute();

    const signIn = async (login: string) => {
      const res = await one.app.inject({ method: 'POST', url: '/api/auth/login', headers: { [REQUEST_HEADER]: '1' }, payload: { login, password: TEST_PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      return `onecall_session=${res.cookies.find((c) => c.name === 'onecall_session')!.value}`;
    };
    const agentCookie = await signIn('rs-agent');
    const officialCookie = await signIn('rs-official');

    await one.app.acd.setAgentState(agent.id, { status: 'available' });
    const { result } = await one.app.acd.simulator.placeCall({ callerNumber: '010-7777-1234', ivrChoice: '1' });
    const contactId = result.decision!.contactId!;
    await one.app.acd.answer(agent.id, contactId);
    const asked = await one.app.inject({
      method: 'POST',
      url: '/api/transfers',
      headers: { cookie: agentCookie, [REQUEST_HEADER]: '1' },
      payload: { contactId, officialId: official.id, categoryId: chain.task.id, summary: '아파트 천장 누수', notes: '어제부터 물이 샘' },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const attempt = asked.json<TransferAttempt>();
    expect(attempt.status).toBe('ringing');
    expect(one.app.acd.deskState(agent.id).status).toBe('consulting');

    // The process stops while the official's phone rings (and its connections with it).
    await one.app.close();
    await first.close();
    clock.advance(5_000);

    // ——— the next process, on the same database ———
    const second = store.open();
    const two = await start(second, clock, one.deps.vault);
    cleanups.push(async () => {
      await two.app.close();
      await second.close();
    });
    const db2 = two.deps.db;
    const row = await db2.selectFrom('transfer_attempts').selectAll().where('id', '=', attempt.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'unreachable', handoff_id: expect.any(String), case_id: expect.any(String) });
    const handOff = await db2.selectFrom('handoffs').selectAll().where('id', '=', row.handoff_id!).executeTakeFirstOrThrow();
    expect(handOff).toMatchObject({ department_id: dept.id, assignee_id: official.id, status: 'pending' });
    const kase = await db2.selectFrom('cases').selectAll().where('id', '=', row.case_id!).executeTakeFirstOrThrow();
    expect(kase).toMatchObject({ outcome: 'handed_off', summary: '아파트 천장 누수', interaction_id: contactId });
    expect(kase.notes).toContain('어제부터 물이 샘');
    // The caller (still on the line in the phone system) is back with the agent, who tells them when to expect the answer.
    expect(two.app.acd.deskState(agent.id)).toMatchObject({ status: 'on_call', contact: { id: contactId } });
    const ended = await db2.selectFrom('contact_events').select(['type', 'detail']).where('interaction_id', '=', contactId).where('type', '=', 'transfer_ended').execute();
    expect(ended).toEqual([{ type: 'transfer_ended', detail: 'unreachable' }]);

    // The sessions survived the restart: the agent's screen reads the fall-back sentence with the due date.
    const seen = await two.app.inject({ method: 'GET', url: `/api/transfers/${attempt.id}`, headers: { cookie: agentCookie, [REQUEST_HEADER]: '1' } });
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json<TransferAttempt>().fallback?.sentence).toMatch(/^담당 부서\(상수도과\)에서 \d+월 \d+일\([월화수목금토일]\)까지 회신드립니다\.$/);

    // The official answers the card late (a screen still open from before): nothing changes, nothing is duplicated.
    for (const [action, payload] of [['accept', undefined], ['decline', { reason: '늦게 봄' }]] as const) {
      const late = await two.app.inject({ method: 'POST', url: `/api/transfers/${attempt.id}/${action}`, headers: { cookie: officialCookie, [REQUEST_HEADER]: '1' }, ...(payload ? { payload } : {}) });
      expect(late.statusCode, late.body).toBe(200);
      expect(late.json()).toMatchObject({ status: 'unreachable', declineReason: null });
    }
    expect(await db2.selectFrom('handoffs').select('id').execute()).toHaveLength(1);
    // A third start finds nothing left to resolve.
    expect(await two.app.transfers.recover()).toBe(0);
  });
});
