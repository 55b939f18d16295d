import type { Category, Department } from '../../../core/contracts/org';
import { normalizeDepartmentName, type CategoryAdmin, type CategoryCreate, type CategoryUpdate, type DepartmentAdmin, type DepartmentCreate, type DepartmentUpdate } from '../../../core/contracts/editors';
import { computeDueAt, deadlineRuleFor } from '../../../core/domain/deadlines';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { CategoryTable } from '../../db/tables';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { changedFields, recordEditorChange } from './editor-changes';
import {
  deleteDepartment,
  departmentReferences,
  findAnyDepartment,
  findCategoryRow,
  findDepartmentByCode,
  insertCategory,
  insertDepartment,
  listAllCategories,
  listCategories,
  listDepartments,
  listDepartmentsWithCounts,
  maxCategorySortOrder,
  updateCategory,
  updateDepartment,
} from './org.repository';

export async function getDepartments(deps: AppDeps): Promise<Department[]> {
  const rows = await listDepartments(deps.db);
  return rows.map((d) => ({ id: d.id, code: d.code, name: d.name, phone: d.phone, location: d.location }));
}

/** The whole taxonomy, flat, in code order, with what each node carries for the legal deadline. */
export async function getCategories(deps: AppDeps): Promise<Category[]> {
  return (await listCategories(deps.db)).map(toCategory);
}

type CategoryFields = Pick<CategoryTable, 'id' | 'parent_id' | 'level' | 'code' | 'name' | 'path' | 'department_id' | 'complaint_type' | 'deadline_days'> & { department_name: string | null };

/** A category row as the pickers and the editor see it. */
function toCategory(c: CategoryFields): Category {
  return {
    id: c.id,
    parentId: c.parent_id,
    level: c.level,
    code: c.code,
    name: c.name,
    path: c.path,
    departmentId: c.department_id,
    departmentName: c.department_name,
    complaintType: c.complaint_type,
    deadlineDays: c.deadline_days,
  };
}

// ── The admin's department editor (issue #18 item 13) ──────────────────────────────────────────────────────────

export async function listDepartmentsForAdmin(deps: AppDeps, db: Db = deps.db): Promise<DepartmentAdmin[]> {
  const rows = await listDepartmentsWithCounts(db);
  return rows.map((d) => ({
    id: d.id,
    code: d.code,
    name: d.name,
    phone: d.phone,
    location: d.location,
    hours: d.hours,
    active: d.is_active === 1,
    counts: { categories: Number(d.categories ?? 0), officials: Number(d.officials ?? 0), openHandOffs: Number(d.open_handoffs ?? 0) },
  }));
}

async function departmentOut(deps: AppDeps, db: Db, id: string): Promise<DepartmentAdmin> {
  const found = (await listDepartmentsForAdmin(deps, db)).find((d) => d.id === id);
  if (!found) throw new AppError('NOT_FOUND', '부서를 찾을 수 없습니다.');
  return found;
}

/** The fields of a department the 변경 이력 compares. */
const departmentFields = (d: Pick<DepartmentAdmin, 'name' | 'phone' | 'location' | 'hours' | 'active'>) => ({ name: d.name, phone: d.phone, location: d.location, hours: d.hours, active: d.active });

/**
 * Two departments never share a name (compared trimmed, spaces collapsed): the directory, the transfer list and the
 * hand-off picker find a department by it. DEPARTMENT_NAME_TAKEN (409) names the one that has it.
 */
async function assertDepartmentNameFree(db: Db, name: string, exceptId: string | null): Promise<void> {
  const wanted = normalizeDepartmentName(name);
  const other = (await listDepartmentsWithCounts(db)).find((d) => d.id !== exceptId && normalizeDepartmentName(d.name) === wanted);
  if (other) {
    throw new AppError('DEPARTMENT_NAME_TAKEN', `같은 이름의 부서가 이미 있습니다 (${other.name}, 코드 ${other.code}${other.is_active === 1 ? '' : ', 사용 중지'}).`, {
      field: 'name',
      departmentId: other.id,
    });
  }
}

export async function createDepartment(deps: AppDeps, input: DepartmentCreate, actorId: string): Promise<DepartmentAdmin> {
  return deps.db.transaction().execute(async (trx) => {
    if (await findDepartmentByCode(trx, input.code)) throw new AppError('CODE_TAKEN', `부서 코드 '${input.code}'는 이미 쓰고 있습니다.`, { field: 'code' });
    const name = normalizeDepartmentName(input.name);
    await assertDepartmentNameFree(trx, name, null);
    const id = newId();
    await insertDepartment(trx, { id, code: input.code, name, phone: input.phone, location: input.location, hours: input.hours, created_at: deps.clock.now().toISOString() });
    const out = await departmentOut(deps, trx, id);
    await recordEditorChange(deps, trx, { actorId, entity: 'department', entityId: id, action: 'create', label: name, changes: changedFields(null, { code: input.code, ...departmentFields(out) }) });
    return out;
  });
}

/** Rename, phone, location, hours, (de)activate. A department that still owns active categories stays active. */
export async function editDepartment(deps: AppDeps, id: string, input: DepartmentUpdate, actorId: string): Promise<DepartmentAdmin> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await departmentOut(deps, trx, id);
    if (before.active && !input.active && before.counts.categories > 0) {
      throw new AppError('DEPARTMENT_IN_USE', `활성 상담 분류 ${before.counts.categories}개의 담당 부서입니다. 분류를 다른 부서로 옮기거나 사용 중지한 뒤 비활성화하세요.`, {
        field: 'active',
        counts: before.counts,
      });
    }
    const name = normalizeDepartmentName(input.name);
    if (name !== normalizeDepartmentName(before.name)) await assertDepartmentNameFree(trx, name, id);
    await updateDepartment(trx, id, { name, phone: input.phone, location: input.location, hours: input.hours, is_active: input.active ? 1 : 0 });
    const after = await departmentOut(deps, trx, id);
    const changes = changedFields(departmentFields(before), departmentFields(after));
    if (Object.keys(changes).length > 0) {
      const action = before.active && !after.active ? 'deactivate' : !before.active && after.active ? 'activate' : 'update';
      await recordEditorChange(deps, trx, { actorId, entity: 'department', entityId: id, action, label: after.name, changes });
    }
    return after;
  });
}

/** Deletes a department nothing refers to (a typing slip); one still referenced is deactivated instead (409). */
export async function removeDepartment(deps: AppDeps, id: string, actorId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const dept = await findAnyDepartment(trx, id);
    if (!dept) throw new AppError('NOT_FOUND', '부서를 찾을 수 없습니다.');
    const refs = await departmentReferences(trx, id);
    if (Object.values(refs).some((n) => n > 0)) {
      throw new AppError('DEPARTMENT_IN_USE', '분류·직원·이관·상담 자료·업무분장이 이 부서를 가리키고 있어 삭제할 수 없습니다. 비활성화하세요.', { references: refs });
    }
    await deleteDepartment(trx, id);
    await recordEditorChange(deps, trx, { actorId, entity: 'department', entityId: id, action: 'delete', label: dept.name, changes: changedFields({ code: dept.code, name: dept.name }, { code: null, name: null }) });
  });
}

// ── The category editor: the 분야 > 업무 > 세부 tree with 민원 유형, 처리기한 and owner ──────────────────────────────

type CategoryRow = Awaited<ReturnType<typeof listAllCategories>>[number];

function categoryOut(deps: AppDeps, c: CategoryRow, now: Date): CategoryAdmin {
  const example =
    c.level >= 2 && c.complaint_type
      ? (() => {
          const rule = deadlineRuleFor(c.complaint_type, c.deadline_days, c.path);
          return { basis: rule.basis, receivedAt: now.toISOString(), dueAt: computeDueAt(now, rule, (d) => deps.holidays.isHoliday(d)).toISOString() };
        })()
      : null;
  return { ...toCategory(c), active: c.is_active === 1, deadlineExample: example };
}

export async function listCategoriesForAdmin(deps: AppDeps, db: Db = deps.db): Promise<CategoryAdmin[]> {
  const now = deps.clock.now();
  return (await listAllCategories(db)).map((c) => categoryOut(deps, c, now));
}

async function categoryAdminOut(deps: AppDeps, db: Db, id: string): Promise<CategoryAdmin> {
  const found = (await listCategoriesForAdmin(deps, db)).find((c) => c.id === id);
  if (!found) throw new AppError('NOT_FOUND', '상담 분류를 찾을 수 없습니다.');
  return found;
}

/** The effective values of a node: its own, else its parent's; 업무 and 세부 need an active department and a type. */
async function effectiveValues(db: Db, input: CategoryUpdate, parent: { department_id: string | null; complaint_type: CategoryTable['complaint_type']; deadline_days: number | null } | null, level: number) {
  const departmentId = input.departmentId ?? parent?.department_id ?? null;
  const complaintType = input.complaintType ?? parent?.complaint_type ?? null;
  const deadlineDays = input.deadlineDays ?? parent?.deadline_days ?? null;
  if (input.departmentId) {
    const dept = await findAnyDepartment(db, input.departmentId);
    if (!dept) throw new AppError('NOT_FOUND', '없는 부서입니다.', { field: 'departmentId' });
    if (dept.is_active !== 1) throw new AppError('VALIDATION_FAILED', '사용 중지된 부서는 담당 부서로 정할 수 없습니다.', { field: 'departmentId' });
  }
  if (level >= 2 && !departmentId) throw new AppError('VALIDATION_FAILED', '업무·세부 분류에는 담당 부서가 필요합니다.', { field: 'departmentId' });
  if (level >= 2 && !complaintType) throw new AppError('VALIDATION_FAILED', '업무·세부 분류에는 민원 유형이 필요합니다.', { field: 'complaintType' });
  return { department_id: departmentId, complaint_type: complaintType, deadline_days: deadlineDays };
}

/** The fields of a category the 변경 이력 compares. */
const categoryFields = (c: CategoryAdmin) => ({ name: c.name, departmentName: c.departmentName, complaintType: c.complaintType, deadlineDays: c.deadlineDays, active: c.active });

export async function createCategory(deps: AppDeps, input: CategoryCreate, actorId: string): Promise<CategoryAdmin> {
  return deps.db.transaction().execute(async (trx) => {
    const parent = input.parentId ? await findCategoryRow(trx, input.parentId) : null;
    if (input.parentId && !parent) throw new AppError('NOT_FOUND', '상위 분류를 찾을 수 없습니다.', { field: 'parentId' });
    const level = parent ? parent.level + 1 : 1;
    if (level > 3) throw new AppError('VALIDATION_FAILED', '분류는 3단계(분야 > 업무 > 세부)까지입니다.', { field: 'parentId' });
    // Case search finds a category with its sub-categories by code prefix: a child's code extends its parent's.
    if (parent && !input.code.startsWith(`${parent.code}-`)) {
      throw new AppError('VALIDATION_FAILED', `하위 분류 코드는 상위 코드 '${parent.code}-'로 시작합니다.`, { field: 'code' });
    }
    if (!parent && input.code.includes('-')) throw new AppError('VALIDATION_FAILED', '분야 코드에는 하이픈을 쓰지 않습니다.', { field: 'code' });
    const taken = await trx.selectFrom('categories').select('id').where('code', '=', input.code).executeTakeFirst();
    if (taken) throw new AppError('CODE_TAKEN', `분류 코드 '${input.code}'는 이미 쓰고 있습니다.`, { field: 'code' });
    const values = await effectiveValues(trx, input, parent ?? null, level);
    const id = newId();
    await insertCategory(trx, {
      id,
      parent_id: parent?.id ?? null,
      level,
      code: input.code,
      name: input.name,
      path: parent ? `${parent.path} > ${input.name}` : input.name,
      ...values,
      sort_order: (await maxCategorySortOrder(trx)) + 1,
      is_active: input.active && (parent ? parent.is_active === 1 : true) ? 1 : 0,
    });
    const out = await categoryAdminOut(deps, trx, id);
    await recordEditorChange(deps, trx, { actorId, entity: 'category', entityId: id, action: 'create', label: out.path, changes: changedFields(null, { code: out.code, ...categoryFields(out) }) });
    return out;
  });
}

/**
 * Renames a node (its path and its sub-categories' paths follow), sets its department, 민원 유형, 처리기한 and active
 * flag. A value the sub-categories inherited (equal to the node's old one) passes down; a value they set themselves
 * stays. Deactivating a node deactivates its sub-categories. Hand-offs already sent keep their due time: the deadline
 * is fixed when a case is handed off (cases.service), never recomputed from the category.
 */
export async function editCategory(deps: AppDeps, id: string, input: CategoryUpdate, actorId: string): Promise<CategoryAdmin> {
  return deps.db.transaction().execute(async (trx) => {
    const node = await findCategoryRow(trx, id);
    if (!node) throw new AppError('NOT_FOUND', '상담 분류를 찾을 수 없습니다.');
    const before = await categoryAdminOut(deps, trx, id);
    const parent = node.parent_id ? await findCategoryRow(trx, node.parent_id) : null;
    if (input.active && parent && parent.is_active !== 1) throw new AppError('VALIDATION_FAILED', '상위 분류가 사용 중지되어 있습니다. 상위 분류를 먼저 사용하세요.', { field: 'active' });
    const values = await effectiveValues(trx, input, parent ?? null, node.level);
    const path = parent ? `${parent.path} > ${input.name}` : input.name;
    await updateCategory(trx, id, { name: input.name, path, ...values, is_active: input.active ? 1 : 0 });

    const descendants = await trx.selectFrom('categories').selectAll().where('code', 'like', `${node.code}-%`).orderBy('code').execute();
    for (const d of descendants) {
      const set: Partial<CategoryTable> = { path: path + d.path.slice(node.path.length) };
      if (d.department_id === node.department_id) set.department_id = values.department_id;
      if (d.complaint_type === node.complaint_type) set.complaint_type = values.complaint_type;
      if (d.deadline_days === node.deadline_days) set.deadline_days = values.deadline_days;
      if (!input.active) set.is_active = 0;
      await updateCategory(trx, d.id, set);
    }
    const after = await categoryAdminOut(deps, trx, id);
    const changes = changedFields(categoryFields(before), categoryFields(after));
    if (Object.keys(changes).length > 0) {
      const action = before.active && !after.active ? 'deactivate' : !before.active && after.active ? 'activate' : 'update';
      await recordEditorChange(deps, trx, { actorId, entity: 'category', entityId: id, action, label: after.path, changes });
    }
    return after;
  });
}
