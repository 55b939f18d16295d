import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferCard } from '../../../core/contracts/transfers';
import { newId } from '../../lib/ids';
import { insertCitizen } from '../calls/calls.repository';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * The agent's notes on the official's incoming-transfer card are masked like every note (issue #11 §3 "masked by role
 * as everywhere"): the caller's registered name typed in full, a name after 성명, the caller's number; the caller card
 * beside them masked for the official's role; the city's own numbers kept. Real ACD + simulator, both dialects.
 */
describe("the official's transfer card shows the notes masked", () => {
  let t: TestContext;
  let agentId: string;
  let agentCookie: string;
  let officialId: string;
  let officialCookie: string;
  let taskId: string;

  beforeAll(async () => {
    t = await createTestContext();
    const db = t.deps.db;
    const dept = await buildDepartment(db, { name: '상하수도사업소' });
    await db.updateTable('departments').set({ phone: '031-5180-2501' }).where('id', '=', dept.id).execute();
    const chain = await buildCategoryChain(db, dept.id, 'inquiry', ['상하수도', '누수', '옥내 누수']);
    taskId = chain.task.id;
    await buildUser(db, { role: 'admin', login: 'tm-admin' });
    const admin = await t.signIn('tm-admin');
    const queue = await t.app.inject({
      method: 'POST',
      url: '/api/acd/queues',
      headers: { cookie: admin },
      payload: { code: 'WATER', name: 'WATER', skill: chain.field.id, routes: [{ dialledNumber: '120', ivrChoice: '1' }] },
    });
    expect(queue.statusCode, queue.body).toBe(201);
    const agent = await buildUser(db, { role: 'agent', login: 'tm-agent' });
    agentId = agent.id;
    await t.app.inject({ method: 'PUT', url: `/api/acd/agents/${agent.id}/skills`, headers: { cookie: admin }, payload: { skills: [{ skill: chain.field.id, level: 1 }] } });
    const official = await buildUser(db, { role: 'official', login: 'tm-official', name: '홍기수', departmentId: dept.id });
    officialId = official.id;
    await db.updateTable('users').set({ extension: '2502' }).where('id', '=', official.id).execute();
    await db.insertInto('duties').values({ user_id: official.id, category_id: chain.task.id }).execute();
    await insertCitizen(db, t.deps.vault, { id: newId(), phone: '+821077771234', name: '김영희', created_at: '2026-11-01T00:00:00.000Z' });
    agentCookie = await t.signIn('tm-agent');
    officialCookie = await t.signIn('tm-official');
  });
  afterAll(async () => t.close());

  it('masks the name, the number and a cued name in the notes and the summary, and keeps the department number', async () => {
    await t.app.acd.setAgentState(agentId, { status: 'available' });
    const { result } = await t.app.acd.simulator.placeCall({ callerNumber: '010-7777-1234', ivrChoice: '1' });
    const contactId = result.decision!.contactId!;
    await t.app.acd.answer(agentId, contactId);

    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/transfers',
      headers: { cookie: agentCookie },
      payload: {
        contactId,
        officialId,
        categoryId: taskId,
        summary: '김영희 님 천장 누수',
        notes: '김영희 님이 윗집 누수 신고. 보호자 성명: 박지민. 연락처 010-7777-1234. 사업소 (031-5180-2501) 안내함',
      },
    });
    expect(asked.statusCode, asked.body).toBe(200);

    const incoming = await t.app.inject({ method: 'GET', url: '/api/transfers/incoming', headers: { cookie: officialCookie } });
    const [card] = incoming.json().items as TransferCard[];
    expect(card?.attempt).toMatchObject({
      summary: '김*희 님 천장 누수',
      notes: '김*희 님이 윗집 누수 신고. 보호자 성명: 박*민. 연락처 010-****-1234. 사업소 (031-5180-2501) 안내함',
    });
    expect(card?.callerCard).toMatchObject({ name: '김*희', phone: '010-****-1234' });
    expect(incoming.body).not.toContain('김영희');
    expect(incoming.body).not.toContain('7777-1234');
    // Stored so: nothing unmasked at rest either.
    const row = await t.deps.db.selectFrom('transfer_attempts').select(['summary', 'notes']).where('interaction_id', '=', contactId).executeTakeFirstOrThrow();
    expect(row.notes).toBe(card?.attempt.notes);
  });
});
