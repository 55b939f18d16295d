import type { Category, Department } from '../../../core/contracts/org';
import type { AppDeps } from '../../deps';
import { listCategories, listDepartments } from './org.repository';

export async function getDepartments(deps: AppDeps): Promise<Department[]> {
  const rows = await listDepartments(deps.db);
  return rows.map((d) => ({ id: d.id, code: d.code, name: d.name, phone: d.phone, location: d.location }));
}

/** The whole taxonomy, flat, in code order, with what each node carries for the legal deadline. */
export async function getCategories(deps: AppDeps): Promise<Category[]> {
  const rows = await listCategories(deps.db);
  return rows.map((c) => ({
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
  }));
}
