import type { ComplaintType } from '../../../core/contracts/enums';
import type { Db } from '../../db/database';
import { newId } from '../../lib/ids';

/** A department of an import file or the demo seed, keyed by its code. */
export type DepartmentInput = { code: string; name: string; phone?: string | null; location?: string | null };

/** One category (분야/업무/세부), flat, with its parent's code; `line` is where it stands in the file. */
export type CategoryInput = {
  line: number;
  code: string;
  name: string;
  parentCode: string | null;
  department?: string | undefined;
  complaintType?: ComplaintType | undefined;
  deadlineDays?: number | undefined;
};

export type TaxonomyProblem = { line: number; message: string };

type Node = { id: string; level: number; path: string; departmentId: string | null; complaintType: ComplaintType | null; deadlineDays: number | null };

/**
 * Inserts or updates (by code) departments and categories in the caller's transaction. A category inherits its
 * parent's department, 민원 유형 and deadline unless it names its own; tasks (level 2) must end up with both a
 * department and a type. Returns the problems found, each with its line; the caller refuses the whole file if any.
 */
export async function upsertTaxonomy(
  trx: Db,
  at: string,
  departments: DepartmentInput[],
  categories: CategoryInput[],
): Promise<{ categoryIds: Map<string, string>; problems: TaxonomyProblem[] }> {
  const deptIds = new Map((await trx.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  for (const d of departments) {
    const existing = deptIds.get(d.code);
    if (existing) {
      await trx.updateTable('departments').set({ name: d.name, phone: d.phone ?? null, location: d.location ?? null }).where('id', '=', existing).execute();
    } else {
      const id = newId();
      deptIds.set(d.code, id);
      await trx.insertInto('departments').values({ id, code: d.code, name: d.name, phone: d.phone ?? null, location: d.location ?? null, created_at: at }).execute();
    }
  }

  const existingCats = await trx
    .selectFrom('categories')
    .select(['id', 'code', 'level', 'path', 'department_id', 'complaint_type', 'deadline_days', 'sort_order'])
    .execute();
  const nodes = new Map<string, Node>(
    existingCats.map((c) => [c.code, { id: c.id, level: c.level, path: c.path, departmentId: c.department_id, complaintType: c.complaint_type, deadlineDays: c.deadline_days }]),
  );
  let order = existingCats.reduce((m, c) => Math.max(m, c.sort_order), 0);
  const problems: TaxonomyProblem[] = [];

  for (const c of categories) {
    const parent = c.parentCode ? nodes.get(c.parentCode) : null;
    if (c.parentCode && !parent) {
      problems.push({ line: c.line, message: `code ${c.code}: 상위 분류 '${c.parentCode}'가 없습니다` });
      continue;
    }
    const level = parent ? parent.level + 1 : 1;
    if (level > 3) {
      problems.push({ line: c.line, message: `code ${c.code}: 분류는 3단계(분야 > 업무 > 세부)까지입니다` });
      continue;
    }
    let departmentId = parent?.departmentId ?? null;
    if (c.department) {
      departmentId = deptIds.get(c.department) ?? null;
      if (!departmentId) {
        problems.push({ line: c.line, message: `department: 없는 부서 코드 '${c.department}'` });
        continue;
      }
    }
    const complaintType = c.complaintType ?? parent?.complaintType ?? null;
    const deadlineDays = c.deadlineDays ?? parent?.deadlineDays ?? null;
    if (level >= 2 && (!departmentId || !complaintType)) {
      problems.push({ line: c.line, message: `code ${c.code}: 업무·세부 분류에는 담당 부서와 민원 유형이 필요합니다` });
      continue;
    }
    const path = parent ? `${parent.path} > ${c.name}` : c.name;
    const row = { parent_id: parent?.id ?? null, level, name: c.name, path, department_id: departmentId, complaint_type: complaintType, deadline_days: deadlineDays };
    const existing = nodes.get(c.code);
    if (existing) {
      await trx.updateTable('categories').set(row).where('id', '=', existing.id).execute();
      nodes.set(c.code, { ...existing, level, path, departmentId, complaintType, deadlineDays });
    } else {
      const id = newId();
      await trx.insertInto('categories').values({ id, code: c.code, ...row, sort_order: ++order, is_active: 1 }).execute();
      nodes.set(c.code, { id, level, path, departmentId, complaintType, deadlineDays });
    }
  }
  return { categoryIds: new Map([...nodes].map(([code, n]) => [code, n.id])), problems };
}

/** A category tree as in server/db/seed/data/categories.json. */
export type CategoryTreeNode = {
  code: string;
  name: string;
  department?: string | undefined;
  complaintType?: ComplaintType | undefined;
  deadlineDays?: number | undefined;
  children?: CategoryTreeNode[] | undefined;
};

/** Flattens a category tree in pre-order (parents before children); `lineOf` tells where a code stands in its file. */
export function flattenCategoryTree(nodes: CategoryTreeNode[], lineOf: (code: string) => number = () => 0, parentCode: string | null = null): CategoryInput[] {
  return nodes.flatMap((n) => [
    { line: lineOf(n.code), code: n.code, name: n.name, parentCode, department: n.department, complaintType: n.complaintType, deadlineDays: n.deadlineDays },
    ...flattenCategoryTree(n.children ?? [], lineOf, n.code),
  ]);
}
