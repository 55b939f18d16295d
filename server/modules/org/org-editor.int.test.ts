import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CategoryAdmin, DepartmentAdmin, EditorChangePage } from '../../../core/contracts/editors';
import type { TransferTarget } from '../../../core/contracts/directory';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { testDialect } from '../../test/test-db';

/** 부서·상담 분류 관리 (issue #18 item 13): the admin's editors of departments and the category tree. */
describe(`department and category editors (${testDialect()})`, () => {
  let t: TestContext;
  let admin: string;
  let agent: string;
  let supervisor: string;
  let dept: { id: string };
  let chain: Awaited<ReturnType<typeof buildCategoryChain>>;

  beforeAll(async () => {
    t = await createTestContext();
    dept = await buildDepartment(t.deps.db, { code: 'T01', name: '세정과' });
    chain = await buildCategoryChain(t.deps.db, dept.id);
    await buildUser(t.deps.db, { role: 'admin', login: 'ed-admin' });
    await buildUser(t.deps.db, { role: 'agent', login: 'ed-agent' });
    await buildUser(t.deps.db, { role: 'supervisor', login: 'ed-sup' });
    await buildUser(t.deps.db, { role: 'official', login: 'ed-official', departmentId: dept.id });
    admin = await t.signIn('ed-admin');
    agent = await t.signIn('ed-agent');
    supervisor = await t.signIn('ed-sup');
  });
  afterAll(async () => t.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, cookie = admin) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const departments = async () => (await call('GET', '/api/admin/departments')).json().items as DepartmentAdmin[];
  const categories = async () => (await call('GET', '/api/admin/categories')).json().items as CategoryAdmin[];
  const countRows = async (table: 'departments' | 'categories') => Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('lists departments with their categories, officials and open hand-offs', async () => {
    const agentCookie = await t.signIn('ed-agent');
    const c = await call('POST', '/api/calls/simulate', { callerNumber: '010-3333-0001' }, agentCookie);
    const rec = await call('POST', '/api/cases', { interactionId: c.json().interaction.id, categoryId: chain.detail.id, summary: '연납 신청 방법 문의', outcome: 'handed_off' }, agentCookie);
    expect(rec.statusCode, rec.body).toBe(201);
    const row = (await departments()).find((d) => d.id === dept.id)!;
    expect(row).toMatchObject({ code: 'T01', name: '세정과', active: true, counts: { categories: 2, officials: 1, openHandOffs: 1 } });
  });

  it('creates, renames and sets phone and hours; a code already used is 409 CODE_TAKEN', async () => {
    const res = await call('POST', '/api/admin/departments', { code: 'T02', name: ' 도로과 ', phone: '031-5180-2401', hours: '평일 09:00–18:00' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as DepartmentAdmin;
    expect(created).toMatchObject({ code: 'T02', name: '도로과', phone: '031-5180-2401', hours: '평일 09:00–18:00', location: null, active: true });
    const edited = await call('PUT', `/api/admin/departments/${created.id}`, { name: '도로관리과', phone: '031-5180-2402', location: '별관 1층', hours: null, active: true });
    expect(edited.json()).toMatchObject({ name: '도로관리과', phone: '031-5180-2402', location: '별관 1층', hours: null });
    const dup = await call('POST', '/api/admin/departments', { code: 'T02', name: '다른 과' });
    expect([dup.statusCode, dup.json().error.code]).toEqual([409, 'CODE_TAKEN']);
  });

  it('deletes an unreferenced department; a referenced one is 409 DEPARTMENT_IN_USE and is deactivated instead', async () => {
    const spare = (await call('POST', '/api/admin/departments', { code: 'T09', name: '오타과' })).json() as DepartmentAdmin;
    expect((await call('DELETE', `/api/admin/departments/${spare.id}`)).statusCode).toBe(204);
    const before = await countRows('departments');
    const refused = await call('DELETE', `/api/admin/departments/${dept.id}`);
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'DEPARTMENT_IN_USE']);
    expect(await countRows('departments')).toBe(before);
    // Still the owner of active categories: it cannot be switched off either, until they move.
    const off = await call('PUT', `/api/admin/departments/${dept.id}`, { name: '세정과', phone: null, location: null, hours: null, active: false });
    expect([off.statusCode, off.json().error.code]).toEqual([409, 'DEPARTMENT_IN_USE']);
    const road = (await departments()).find((d) => d.code === 'T02')!;
    const offRoad = await call('PUT', `/api/admin/departments/${road.id}`, { name: road.name, phone: road.phone, location: road.location, hours: road.hours, active: false });
    expect(offRoad.json()).toMatchObject({ active: false });
    // A deactivated department is no longer offered to pickers nor taken as an owner.
    const listed = (await call('GET', '/api/departments', undefined, agent)).json() as { id: string }[];
    expect(listed.map((d) => d.id)).not.toContain(road.id);
    const owner = await call('POST', '/api/admin/categories', { parentId: chain.field.id, code: `${chain.field.code}-7`, name: '도로', departmentId: road.id, complaintType: 'inquiry', deadlineDays: null, active: true });
    expect([owner.statusCode, owner.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('adds a task with its complaint type and deadline, shows the computed working-day due time, refuses bad trees', async () => {
    const res = await call('POST', '/api/admin/categories', { parentId: chain.field.id, code: `${chain.field.code}-2`, name: '취득세', departmentId: null, complaintType: 'statutory', deadlineDays: 7, active: true });
    expect(res.statusCode, res.body).toBe(400); // a task needs a department (none to inherit from a 분야)
    const ok = await call('POST', '/api/admin/categories', { parentId: chain.field.id, code: `${chain.field.code}-2`, name: '취득세', departmentId: dept.id, complaintType: 'statutory', deadlineDays: 7, active: true });
    expect(ok.statusCode, ok.body).toBe(201);
    const task = ok.json() as CategoryAdmin;
    // Received Friday 2026-11-27 10:00 KST (day 1) + 7 working days, weekends skipped → Monday 2026-12-07 18:00 KST.
    expect(task).toMatchObject({ level: 2, path: `세무 > 취득세`, complaintType: 'statutory', deadlineDays: 7, departmentName: '세정과' });
    expect(task.deadlineExample?.basis).toContain('처리기간 7일');
    expect(task.deadlineExample?.dueAt).toBe('2026-12-07T09:00:00.000Z');
    const detail = await call('POST', '/api/admin/categories', { parentId: task.id, code: `${task.code}-1`, name: '취득세 신고', departmentId: null, complaintType: null, deadlineDays: null, active: true });
    expect(detail.json()).toMatchObject({ level: 3, departmentId: dept.id, complaintType: 'statutory', deadlineDays: 7 });

    const before = await countRows('categories');
    const bad: [object, number, string][] = [
      [{ parentId: (detail.json() as CategoryAdmin).id, code: `${task.code}-1-1`, name: '4단계', departmentId: null, complaintType: null, deadlineDays: null, active: true }, 400, 'VALIDATION_FAILED'],
      [{ parentId: task.id, code: 'X-1', name: '코드 틀림', departmentId: null, complaintType: null, deadlineDays: null, active: true }, 400, 'VALIDATION_FAILED'],
      [{ parentId: task.id, code: `${task.code}-1`, name: '중복', departmentId: null, complaintType: null, deadlineDays: null, active: true }, 409, 'CODE_TAKEN'],
      [{ parentId: task.id, code: `${task.code}-2`, name: '', departmentId: null, complaintType: null, deadlineDays: null, active: true }, 400, 'VALIDATION_FAILED'],
      [{ parentId: task.id, code: `${task.code}-2`, name: '기한', departmentId: null, complaintType: null, deadlineDays: 0, active: true }, 400, 'VALIDATION_FAILED'],
      [{ parentId: task.id, code: `${task.code}-2`, name: '유형', departmentId: null, complaintType: 'urgent', deadlineDays: null, active: true }, 400, 'VALIDATION_FAILED'],
      [{ parentId: '0190f5a2-8c1e-7b6a-9d3e-123456789abc', code: 'Z-1', name: '부모 없음', departmentId: null, complaintType: null, deadlineDays: null, active: true }, 404, 'NOT_FOUND'],
    ];
    for (const [payload, status, code] of bad) {
      const r = await call('POST', '/api/admin/categories', payload);
      expect([r.statusCode, r.json().error?.code]).toEqual([status, code]);
    }
    expect(await countRows('categories')).toBe(before);
  });

  it('a changed complaint type or deadline passes down to the sub-categories but never rewrites a sent hand-off’s due time', async () => {
    const sent = await t.deps.db.selectFrom('handoffs').select(['id', 'due_at', 'complaint_type']).executeTakeFirstOrThrow();
    const res = await call('PUT', `/api/admin/categories/${chain.task.id}`, { name: '자동차세(연납)', departmentId: dept.id, complaintType: 'interpretation', deadlineDays: null, active: true });
    expect(res.statusCode, res.body).toBe(200);
    const all = await categories();
    const detail = all.find((c) => c.id === chain.detail.id)!;
    expect(detail).toMatchObject({ complaintType: 'interpretation', path: '세무 > 자동차세(연납) > 자동차세 연납' });
    expect(detail.deadlineExample?.basis).toContain('14일');
    expect(await t.deps.db.selectFrom('handoffs').select(['id', 'due_at', 'complaint_type']).where('id', '=', sent.id).executeTakeFirstOrThrow()).toEqual(sent);
  });

  it('deactivating a task takes its details out of the pickers; only the admin edits', async () => {
    const res = await call('PUT', `/api/admin/categories/${chain.task.id}`, { name: '자동차세(연납)', departmentId: dept.id, complaintType: 'interpretation', deadlineDays: null, active: false });
    expect(res.json()).toMatchObject({ active: false });
    const picker = (await call('GET', '/api/categories', undefined, agent)).json() as { id: string }[];
    expect(picker.map((c) => c.id)).not.toContain(chain.detail.id);
    for (const cookie of [agent, supervisor]) {
      expect((await call('GET', '/api/admin/departments', undefined, cookie)).statusCode).toBe(403);
      expect((await call('PUT', `/api/admin/categories/${chain.task.id}`, { name: 'x', departmentId: null, complaintType: null, deadlineDays: null, active: true }, cookie)).statusCode).toBe(403);
    }
    const bad = await call('PUT', `/api/admin/departments/${dept.id}`, { name: '', phone: 'abc', active: true });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
  it('a department name already used (trimmed, spaces collapsed) is 409 DEPARTMENT_NAME_TAKEN, on create and on rename', async () => {
    const before = await countRows('departments');
    const dup = await call('POST', '/api/admin/departments', { code: 'T30', name: '  세정과 ' });
    expect([dup.statusCode, dup.json().error.code]).toEqual([409, 'DEPARTMENT_NAME_TAKEN']);
    expect(dup.json().error.message).toContain('같은 이름의 부서');
    expect(await countRows('departments')).toBe(before);
    const other = (await call('POST', '/api/admin/departments', { code: 'T31', name: '기후  에너지과' })).json() as DepartmentAdmin;
    expect(other.name).toBe('기후 에너지과');
    const spaced = await call('POST', '/api/admin/departments', { code: 'T32', name: '기후 에너지과' });
    expect([spaced.statusCode, spaced.json().error.code]).toEqual([409, 'DEPARTMENT_NAME_TAKEN']);
    const rename = await call('PUT', `/api/admin/departments/${other.id}`, { name: '세정과', phone: null, location: null, hours: null, active: true });
    expect([rename.statusCode, rename.json().error.code]).toEqual([409, 'DEPARTMENT_NAME_TAKEN']);
    // Keeping its own name (or changing only its spacing) is no conflict.
    const same = await call('PUT', `/api/admin/departments/${other.id}`, { name: ' 기후 에너지과', phone: '031-5180-2901', location: null, hours: null, active: true });
    expect(same.statusCode, same.body).toBe(200);
  });

  it('a deactivated department and its officials leave the 업무분장 directory and the transfer targets', async () => {
    const parks = (await call('POST', '/api/admin/departments', { code: 'T40', name: '공원녹지과', phone: '031-5180-4001' })).json() as DepartmentAdmin;
    const ranger = await buildUser(t.deps.db, { role: 'official', login: 'ed-ranger', departmentId: parks.id, name: '공원담당' });
    await t.deps.db.updateTable('users').set({ extension: '4011' }).where('id', '=', ranger.id).execute();
    const taskChain = await buildCategoryChain(t.deps.db, parks.id, 'inquiry', ['공원', '공원 시설', '놀이터']);
    const duty = await call('POST', '/api/directory/duties', { code: 'PARK-1', name: '공원 시설 관리', departmentId: parks.id, categoryIds: [taskChain.task.id], officials: [{ userId: ranger.id, extension: '4011' }] });
    expect(duty.statusCode, duty.body).toBe(201);
    const targets = async () => ((await call('GET', '/api/directory/transfer-targets', undefined, agent)).json() as { items: TransferTarget[] }).items;
    const duties = async () => ((await call('GET', '/api/directory')).json() as { duties: { code: string }[] }).duties.map((d) => d.code);
    expect((await targets()).map((x) => x.target)).toEqual(expect.arrayContaining(['031-5180-4001', '4011']));
    expect(await duties()).toContain('PARK-1');

    await t.deps.db.updateTable('categories').set({ is_active: 0 }).where('department_id', '=', parks.id).execute();
    const off = await call('PUT', `/api/admin/departments/${parks.id}`, { name: parks.name, phone: parks.phone, location: null, hours: null, active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect((await targets()).map((x) => x.target)).not.toEqual(expect.arrayContaining(['031-5180-4001']));
    expect((await targets()).map((x) => x.target)).not.toContain('4011');
    expect(await duties()).not.toContain('PARK-1');
    // Typed by hand, neither the extension nor the number is a transfer target any more.
    await expect(t.app.directory.resolveTransferTarget('4011')).rejects.toMatchObject({ code: 'TRANSFER_TARGET_UNKNOWN' });
    await expect(t.app.directory.resolveTransferTarget('031-5180-4001')).rejects.toMatchObject({ code: 'TRANSFER_TARGET_UNKNOWN' });
  });

  it('writes every editor change to the 변경 이력 with who, when and what; the admin reads it a page at a time', async () => {
    const page = async (q = '') => (await call('GET', `/api/admin/editor-changes${q}`)).json() as EditorChangePage;
    const all = (await page('?limit=100')).items;
    const adminRow = await t.deps.db.selectFrom('users').select(['id', 'name']).where('login', '=', 'ed-admin').executeTakeFirstOrThrow();
    const road = all.filter((c) => c.entity === 'department' && (c.label === '도로과' || c.label === '도로관리과'));
    // Newest first: deactivated, renamed, created.
    expect(road.map((c) => c.action)).toEqual(['deactivate', 'update', 'create']);
    expect(road[1]).toMatchObject({ actorId: adminRow.id, actorName: adminRow.name, changes: { name: ['도로과', '도로관리과'], phone: ['031-5180-2401', '031-5180-2402'] } });
    expect(road[0]!.changes).toEqual({ active: [true, false] });
    expect(all.find((c) => c.entity === 'department' && c.action === 'delete')).toMatchObject({ label: '오타과' });
    expect(all.filter((c) => c.entity === 'category').map((c) => c.action)).toEqual(expect.arrayContaining(['create', 'update', 'deactivate']));
    // Refused changes leave nothing.
    expect(all.filter((c) => c.label === '세정과' && c.entity === 'department')).toEqual([]);
    // Pages join up to the whole list, by the cursor.
    const first = await page('?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await page(`?limit=2&before=${encodeURIComponent(first.nextCursor!)}`);
    expect([...first.items, ...second.items].map((c) => c.id)).toEqual(all.slice(0, 4).map((c) => c.id));
    expect((await page('?entity=category&limit=100')).items.every((c) => c.entity === 'category')).toBe(true);
    const bad = await call('GET', '/api/admin/editor-changes?before=nonsense');
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    for (const cookie of [agent, supervisor]) expect((await call('GET', '/api/admin/editor-changes', undefined, cookie)).statusCode).toBe(403);
  });
});
