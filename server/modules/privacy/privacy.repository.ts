import type { Db } from '../../db/database';
import type { Vault } from '../../lib/vault';

/** True when a case of this citizen was handed off to the department (an official's reason to see the citizen). */
export async function isCitizenOfDepartment(db: Db, citizenId: string, departmentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('handoffs as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .select('h.id')
    .where('c.citizen_id', '=', citizenId)
    .where('h.department_id', '=', departmentId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export type ExportCaseRow = {
  id: string;
  number: string;
  created_at: string;
  closed_at: string | null;
  status: string;
  outcome: string | null;
  category_path: string | null;
  summary: string;
  agent_name: string | null;
  citizen_id: string | null;
  citizen_phone: string | null;
  citizen_name: string | null;
  department_name: string | null;
  handoff_status: string | null;
  due_at: string | null;
};

/** Cases created in [from, to), oldest first, with the latest hand-off of each; the citizen's values opened. */
export async function listCasesForExport(db: Db, vault: Vault, from: string, to: string, limit: number): Promise<ExportCaseRow[]> {
  const rows = await db
    .selectFrom('cases as c')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('users as a', 'a.id', 'c.agent_id')
    .leftJoin('citizens as z', 'z.id', 'c.citizen_id')
    .leftJoin('handoffs as h', 'h.case_id', 'c.id')
    .leftJoin('departments as d', 'd.id', 'h.department_id')
    .select([
      'c.id',
      'c.number',
      'c.created_at',
      'c.closed_at',
      'c.status',
      'c.outcome',
      'cat.path as category_path',
      'c.summary',
      'a.name as agent_name',
      'c.citizen_id',
      'z.phone_sealed as citizen_phone_sealed',
      'z.name_sealed as citizen_name_sealed',
      'd.name as department_name',
      'h.status as handoff_status',
      'h.due_at',
      'h.updated_at as handoff_updated_at',
    ])
    .where('c.created_at', '>=', from)
    .where('c.created_at', '<', to)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .orderBy('h.updated_at', 'desc')
    .limit(limit)
    .execute();
  const out: ExportCaseRow[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.id)) continue; // an older hand-off of the same case
    seen.add(r.id);
    const { citizen_phone_sealed, citizen_name_sealed, handoff_updated_at: _, ...rest } = r;
    out.push({ ...rest, citizen_phone: vault.openNullable(citizen_phone_sealed), citizen_name: vault.openNullable(citizen_name_sealed) });
  }
  return out;
}
