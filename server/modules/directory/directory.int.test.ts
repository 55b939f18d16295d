import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory, Duty, ImportProblem, OfficialPresence, TransferProposalAnswer } from '../../../core/contracts/directory';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * 업무분장 and presence (issue #11 §1) through the API on a real database (both dialects): duties CRUD, CSV and XLSX
 * import refused whole with every problem by line, export → import round trip, the official's own presence, the
 * phone system's hook, the 담당자 연결 proposal, and who may do what. Fake clock: Friday 2026-11-27 10:00 KST.
 */
describe('duty directory', () => {
  let t: TestContext;
  let admin: string;
  let agent: string;
  let official: string;
  const ids = {} as Record<'dept' | 'other' | 'task' | 'detail' | 'task2' | 'o1' | 'o2' | 'o3' | 'oOther', string>;
  const codes = {} as Record<'task' | 'task2' | 'detail', string>;

  beforeAll(async () => {
    t = await createTestContext();
    const db = t.deps.db;
    const dept = await buildDepartment(db, { name: '세정과', code: 'DX1' });
    const other = await buildDepartment(db, { name: '징수과', code: 'DX2' });
    const chain = await buildCategoryChain(db, dept.id);
    const chain2 = await buildCategoryChain(db, dept.id, 'inquiry', ['세무', '재산세', '재산세 분할납부']);
    Object.assign(ids, { dept: dept.id, other: other.id, task: chain.task.id, detail: chain.detail.id, task2: chain2.task.id });
    Object.assign(codes, { task: chain.task.code, detail: chain.detail.code, task2: chain2.task.code });
    const o1 = await buildUser(db, { role: 'official', login: 'dir-o1', name: '김주무', departmentId: dept.id });
    const o2 = await buildUser(db, { role: 'official', login: 'dir-o2', name: '이백업', departmentId: dept.id });
    const o3 = await buildUser(db, { role: 'official', login: 'dir-o3', name: '박동료', departmentId: dept.id });
    const oOther = await buildUser(db, { role: 'official', login: 'dir-o4', name: '최타과', departmentId: other.id });
    Object.assign(ids, { o1: o1.id, o2: o2.id, o3: o3.id, oOther: oOther.id });
    await db.updateTable('users').set({ extension: '2103' }).where('id', '=', o1.id).execute();
    await buildUser(db, { role: 'admin', login: 'dir-admin' });
    await buildUser(db, { role: 'agent', login: 'dir-agent' });
    admin = await t.signIn('dir-admin');
    agent = await t.signIn('dir-agent');
    official = await t.signIn('dir-o1');
  });
  afterAll(async () => t.close());

  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const dutyBody = (over: Record<string, unknown> = {}) => ({
    code: 'W-01',
    name: '자동차세',
    departmentId: ids.dept,
    categoryIds: [ids.task],
    officials: [{ userId: ids.o1 }, { userId: ids.o2, extension: '2104' }],
    ...over,
  });
  const directory = async () => (await call(admin, 'GET', '/api/directory')).json<Directory>();
  const importFile = (format: 'csv' | 'xlsx', content: string, dryRun = false) => call(admin, 'POST', '/api/directory/import', { format, content, dryRun });
  const csv = (...lines: string[]) => ['업무코드,업무명,분류코드,부서,순위,담당자,아이디,내선', ...lines].join('\n');

  describe('duties CRUD', () => {
    let duty: Duty;
    it('adds a duty with its officials in order and the second official’s extension', async () => {
      const res = await call(admin, 'POST', '/api/directory/duties', dutyBody());
      expect(res.statusCode, res.body).toBe(201);
      duty = res.json<Duty>();
      expect(duty).toMatchObject({ code: 'W-01', departmentName: '세정과', categories: [{ id: ids.task }] });
      expect(duty.officials.map((o) => [o.login, o.rank, o.extension])).toEqual([
        ['dir-o1', 1, '2103'],
        ['dir-o2', 2, '2104'],
      ]);
    });

    it('keeps the flat duty table of the transfer flow in step', async () => {
      const rows = await t.deps.db.selectFrom('duties').select(['user_id', 'category_id']).execute();
      expect(rows.map((r) => r.user_id).sort()).toEqual([ids.o1, ids.o2].sort());
      expect(rows.every((r) => r.category_id === ids.task)).toBe(true);
    });

    it('rewrites a duty: the backup becomes the 주 담당자', async () => {
      const res = await call(admin, 'PUT', `/api/directory/duties/${duty.id}`, dutyBody({ officials: [{ userId: ids.o2 }, { userId: ids.o1 }, { userId: ids.o3 }] }));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Duty>().officials.map((o) => o.login)).toEqual(['dir-o2', 'dir-o1', 'dir-o3']);
    });

    it.each([
      ['a code already used', () => dutyBody({ categoryIds: [ids.task2] }), 409, 'CONFLICT'],
      ['a category held by another duty', () => dutyBody({ code: 'W-02' }), 409, 'CONFLICT'],
      ['an extension someone else has', () => dutyBody({ code: 'W-02', categoryIds: [ids.task2], officials: [{ userId: ids.o3, extension: '2103' }] }), 409, 'CONFLICT'],
      ['an official of another department', () => dutyBody({ code: 'W-02', categoryIds: [ids.task2], officials: [{ userId: ids.oOther }] }), 400, 'VALIDATION_FAILED'],
      ['the same official twice', () => dutyBody({ code: 'W-02', categoryIds: [ids.task2], officials: [{ userId: ids.o3 }, { userId: ids.o3 }] }), 400, 'VALIDATION_FAILED'],
      ['no officials', () => dutyBody({ code: 'W-02', categoryIds: [ids.task2], officials: [] }), 400, 'VALIDATION_FAILED'],
      ['a bad code', () => dutyBody({ code: '=cmd()' }), 400, 'VALIDATION_FAILED'],
      ['a bad extension', () => dutyBody({ code: 'W-02', categoryIds: [ids.task2], officials: [{ userId: ids.o3, extension: '12a' }] }), 400, 'VALIDATION_FAILED'],
      ['an unknown field', () => ({ ...dutyBody({ code: 'W-02', categoryIds: [ids.task2] }), rank: 1 }), 400, 'VALIDATION_FAILED'],
      ['an unknown department', () => dutyBody({ code: 'W-02', categoryIds: [ids.task2], departmentId: '0190f5a2-8c1e-7b6a-9d3e-123456789abc' }), 400, 'VALIDATION_FAILED'],
    ])('refuses %s', async (_name, body, status, code) => {
      const res = await call(admin, 'POST', '/api/directory/duties', body());
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
    });

    it('answers 404 for a duty that is not there, and 400 for a bad id', async () => {
      expect((await call(admin, 'PUT', '/api/directory/duties/0190f5a2-8c1e-7b6a-9d3e-123456789abc', dutyBody())).statusCode).toBe(404);
      expect((await call(admin, 'DELETE', '/api/directory/duties/0190f5a2-8c1e-7b6a-9d3e-123456789abc')).statusCode).toBe(404);
      expect((await call(admin, 'DELETE', '/api/directory/duties/not-an-id')).statusCode).toBe(400);
    });

    it('removes a duty (and its flat rows)', async () => {
      const extra = await call(admin, 'POST', '/api/directory/duties', dutyBody({ code: 'W-09', categoryIds: [ids.task2], officials: [{ userId: ids.o3 }] }));
      expect(extra.statusCode, extra.body).toBe(201);
      expect((await call(admin, 'DELETE', `/api/directory/duties/${extra.json<Duty>().id}`)).statusCode).toBe(204);
      expect((await directory()).duties.map((d) => d.code)).toEqual(['W-01']);
      const flat = await t.deps.db.selectFrom('duties').select('category_id').where('category_id', '=', ids.task2).execute();
      expect(flat).toEqual([]);
    });
  });

  describe('import and export', () => {
    const problemsOf = (res: { json: () => { error: { code: string; details: { problems: ImportProblem[] } } } }) => res.json().error.details.problems;

    it('refuses a CSV with problems whole, every problem with its line, and changes nothing', async () => {
      const before = await directory();
      const res = await importFile(
        'csv',
        csv(
          `W-10,자동차세,${codes.task},세정과,1,김주무,dir-o1,2103`, // line 2: fine
          `W-10,자동차세,${codes.task},세정과,1,이백업,dir-o2,`, // line 3: rank 1 twice
          `W-11,재산세,NOPE-1,없는과,x,박동료,dir-o3,12a`, // line 4: category, department, rank, extension
          `W-12,재산세2,${codes.task},세정과,1,홍길동,dir-o3,`, // line 5: category already on W-10, name does not match login
          `W-13,징수,${codes.task2},세정과,1,최타과,dir-o4,`, // line 6: official of another department
          `W-14,없음,${codes.task2},세정과,2,,nobody,`, // line 7: category already on W-13, unknown login, no rank 1
        ),
      );
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('IMPORT_INVALID');
      const problems = problemsOf(res);
      const lines = problems.map((p) => p.line);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
      expect(new Set(lines)).toEqual(new Set([3, 4, 5, 6, 7]));
      // W-11's only row has no valid 순위, so it also has no 주 담당자.
      expect(problems.filter((p) => p.line === 4).map((p) => p.column)).toEqual(['분류코드', '부서', '순위', '내선', '순위']);
      expect(problems.find((p) => p.line === 3)?.message).toContain('순위 1');
      expect(problems.find((p) => p.line === 5 && p.column === '분류코드')?.message).toContain('2행');
      expect(problems.find((p) => p.line === 5 && p.column === '담당자')).toBeDefined();
      expect(problems.find((p) => p.line === 6)?.message).toContain('세정과 소속이 아닙니다');
      expect(problems.filter((p) => p.line === 7).map((p) => p.column).sort()).toEqual(['분류코드', '순위', '아이디']);
      expect(await directory()).toEqual(before);
    });

    it('refuses a file without the required columns or without rows', async () => {
      const noColumns = await importFile('csv', '업무,담당자\n자동차세,김주무');
      expect(noColumns.statusCode).toBe(422);
      expect(problemsOf(noColumns)).toEqual([{ line: 1, message: expect.stringContaining('업무코드') }]);
      const empty = await importFile('csv', csv());
      expect(empty.statusCode).toBe(422);
      expect(problemsOf(empty)[0]?.line).toBe(0);
    });

    it('refuses an XLSX with problems by sheet row, and a file that is not XLSX', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('업무분장');
      ws.addRow(['업무코드', '업무명', '분류코드', '부서', '순위', '담당자', '아이디', '내선']);
      ws.addRow(['W-20', '자동차세', codes.task, '세정과', 1, '김주무', 'dir-o1', 2103]);
      ws.addRow([]);
      ws.addRow(['W-20', '자동차세', codes.task, '세정과', 2, '이백업', 'dir-agent', null]); // row 4: not an official
      const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
      const res = await importFile('xlsx', content);
      expect(res.statusCode, res.body).toBe(422);
      expect(problemsOf(res)).toEqual([expect.objectContaining({ line: 4, column: '아이디' })]);
      const junk = await importFile('xlsx', Buffer.from('not a workbook').toString('base64'));
      expect(junk.statusCode).toBe(422);
      expect(problemsOf(junk)[0]?.message).toContain('XLSX');
    });

    it('replaces the directory with a good CSV (a dry run first changes nothing)', async () => {
      const file = csv(
        `W-01,자동차세,"${codes.task}",세정과,1,김주무,dir-o1,2103`,
        `W-01,자동차세,"${codes.task}",세정과,2,박동료,dir-o3,2105`,
        `W-02,재산세,"${codes.task2}",DX1,1,이백업,dir-o2,`,
      );
      const dry = await importFile('csv', file, true);
      expect(dry.json()).toEqual({ dryRun: true, duties: 2, rows: 3 });
      expect((await directory()).duties.map((d) => d.code)).toEqual(['W-01']);
      const res = await importFile('csv', file);
      expect(res.statusCode, res.body).toBe(200);
      const after = await directory();
      expect(after.duties.map((d) => [d.code, d.officials.map((o) => `${o.login}:${o.rank}:${o.extension}`)])).toEqual([
        ['W-01', ['dir-o1:1:2103', 'dir-o3:2:2105']],
        ['W-02', ['dir-o2:1:2104']],
      ]);
    });

    it.each(['csv', 'xlsx'] as const)('round-trips the directory through %s export and import', async (format) => {
      const before = await directory();
      const res = await call(admin, 'GET', `/api/directory/export?format=${format}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain(`.${format}`);
      const content = format === 'csv' ? res.body : res.rawPayload.toString('base64');
      if (format === 'csv') expect(res.body.startsWith('\uFEFF업무코드,업무명,분류코드,부서,순위,담당자,아이디,내선')).toBe(true);
      const again = await importFile(format, content);
      expect(again.statusCode, again.body).toBe(200);
      const after = await directory();
      const shape = (d: Directory) => d.duties.map(({ updatedAt: _u, ...rest }) => rest);
      expect(shape(after)).toEqual(shape(before));
    });

    it('refuses a bad export format and a bad import body', async () => {
      expect((await call(admin, 'GET', '/api/directory/export?format=pdf')).statusCode).toBe(400);
      expect((await call(admin, 'POST', '/api/directory/import', { format: 'csv' })).statusCode).toBe(400);
      expect((await call(admin, 'POST', '/api/directory/import', { format: 'ods', content: 'x' })).statusCode).toBe(400);
    });
  });

  describe('presence', () => {
    const mine = async () => (await call(official, 'GET', '/api/directory/presence/me')).json<OfficialPresence>();

    it('starts available during the department’s hours', async () => {
      expect((await mine()).presence).toEqual({ state: 'available', source: 'default', reachable: true, leaveUntil: null });
    });

    it('the official sets his own state in one call; the desk sees it', async () => {
      const res = await call(official, 'PUT', '/api/directory/presence/me', { state: 'in_meeting' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<OfficialPresence>().presence).toMatchObject({ state: 'in_meeting', reachable: false, source: 'declared' });
      const list = (await call(agent, 'GET', `/api/directory/presence?departmentId=${ids.dept}`)).json<{ items: OfficialPresence[] }>();
      expect(list.items.find((i) => i.officialId === ids.o1)?.presence.state).toBe('in_meeting');
      expect(list.items.every((i) => i.departmentId === ids.dept)).toBe(true);
    });

    it('휴가 needs a last day that has not passed', async () => {
      expect((await call(official, 'PUT', '/api/directory/presence/me', { state: 'on_leave' })).statusCode).toBe(400);
      expect((await call(official, 'PUT', '/api/directory/presence/me', { state: 'on_leave', leaveUntil: '2026-11-26' })).statusCode).toBe(400);
      expect((await call(official, 'PUT', '/api/directory/presence/me', { state: 'away', leaveUntil: '2026-12-01' })).statusCode).toBe(400);
      expect((await call(official, 'PUT', '/api/directory/presence/me', { state: 'on_leave', leaveUntil: '2026-02-30' })).statusCode).toBe(400);
      const ok = await call(official, 'PUT', '/api/directory/presence/me', { state: 'on_leave', leaveUntil: '2026-12-01' });
      expect(ok.json<OfficialPresence>().presence).toEqual({ state: 'on_leave', source: 'leave', reachable: false, leaveUntil: '2026-12-01' });
    });

    it('an official sets only his own state; nobody else sets it', async () => {
      const other = await call(official, 'PUT', '/api/directory/presence/me', { state: 'away', userId: ids.o2 });
      expect(other.statusCode).toBe(400);
      expect((await call(agent, 'PUT', '/api/directory/presence/me', { state: 'away' })).statusCode).toBe(403);
      expect((await call(admin, 'PUT', '/api/directory/presence/me', { state: 'away' })).statusCode).toBe(403);
      expect((await call(official, 'PUT', '/api/directory/presence/me', { state: 'sleeping' })).statusCode).toBe(400);
    });

    it('the phone system’s hook marks an extension on a call and back, and logs the changes', async () => {
      await call(official, 'PUT', '/api/directory/presence/me', { state: 'available' });
      expect(await t.app.directory.markExtensionOnCall('2103', true)).toBe(true);
      expect((await mine()).presence).toMatchObject({ state: 'on_call', source: 'telephony' });
      expect(await t.app.directory.markExtensionOnCall('2103', true)).toBe(false);
      expect(await t.app.directory.markExtensionOnCall('9999', true)).toBe(false);
      expect(await t.app.directory.markExtensionOnCall('2103', false)).toBe(true);
      expect((await mine()).presence.state).toBe('available');
      const log = await t.deps.db.selectFrom('official_presence_changes').select(['state', 'source']).where('user_id', '=', ids.o1).orderBy('at').orderBy('id').execute();
      expect(log.slice(-3)).toEqual([
        { state: 'available', source: 'official' },
        { state: 'on_call', source: 'telephony' },
        { state: 'available', source: 'telephony' },
      ]);
    });

    it('after the department’s hours everyone is off duty', async () => {
      t.clock.set(new Date('2026-11-27T10:00:00Z')); // 19:00 KST
      try {
        // Straight to the service: a session would have ended by idleness over these nine hours.
        const [me] = await t.app.directory.presenceList({ userId: ids.o1 });
        expect(me?.presence).toMatchObject({ state: 'off_duty', source: 'hours' });
      } finally {
        t.clock.set(new Date('2026-11-27T01:00:00Z'));
      }
    });
  });

  describe('담당자 연결 proposal', () => {
    const propose = async (categoryId: string) => {
      const res = await call(agent, 'GET', `/api/directory/proposal?categoryId=${categoryId}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<TransferProposalAnswer>();
    };

    it('proposes the 주 담당자, lists the backups and the reachable others of the department', async () => {
      await call(official, 'PUT', '/api/directory/presence/me', { state: 'available' });
      const p = await propose(ids.detail);
      expect(p.duty?.code).toBe('W-01');
      expect(p.proposed).toMatchObject({ officialId: ids.o1, rank: 1, extension: '2103', departmentName: '세정과', needsReason: false });
      expect(p.backups.map((b) => [b.officialId, b.rank, b.needsReason])).toEqual([[ids.o3, 2, false]]);
      expect(p.othersInDepartment.map((o) => [o.officialId, o.needsReason])).toEqual([[ids.o2, true]]);
    });

    it('proposes the first reachable backup when the 주 담당자 is in a meeting', async () => {
      await call(official, 'PUT', '/api/directory/presence/me', { state: 'in_meeting' });
      const p = await propose(ids.task);
      expect(p.proposed?.officialId).toBe(ids.o3);
      expect(p.backups[0]).toMatchObject({ officialId: ids.o1, presence: { state: 'in_meeting', reachable: false } });
    });

    it('answers 404 for an unknown category and 400 for a bad id', async () => {
      expect((await call(agent, 'GET', '/api/directory/proposal?categoryId=0190f5a2-8c1e-7b6a-9d3e-123456789abc')).statusCode).toBe(404);
      expect((await call(agent, 'GET', '/api/directory/proposal?categoryId=x')).statusCode).toBe(400);
      expect((await call(agent, 'GET', '/api/directory/proposal')).statusCode).toBe(400);
    });
  });

  describe('access', () => {
    it('an agent reads presence and proposals but cannot read or change the directory', async () => {
      expect((await call(agent, 'GET', '/api/directory')).statusCode).toBe(403);
      expect((await call(agent, 'POST', '/api/directory/duties', dutyBody({ code: 'W-77' }))).statusCode).toBe(403);
      expect((await call(agent, 'POST', '/api/directory/import', { format: 'csv', content: csv() })).statusCode).toBe(403);
    });

    it('an official cannot change the directory or see proposals', async () => {
      expect((await call(official, 'POST', '/api/directory/import', { format: 'csv', content: csv() })).statusCode).toBe(403);
      expect((await call(official, 'GET', `/api/directory/proposal?categoryId=${ids.task}`)).statusCode).toBe(403);
    });
  });
});
