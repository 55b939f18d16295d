import type { Insertable } from 'kysely';
import type { Db } from '../../db/database';
import type { EditorChangeTable } from '../../db/tables';

/** 변경 이력 of the org and article editors (issue #18 item 13): append-only rows, read newest first. */

export async function insertEditorChange(db: Db, row: Insertable<EditorChangeTable>): Promise<void> {
  await db.insertInto('editor_changes').values(row).execute();
}

/** A page of changes, newest first; `before` is the (at, id) of the last row of the previous page. */
export async function listEditorChanges(db: Db, f: { entity?: string; entityId?: string; limit: number; before?: { at: string; id: string } }) {
  let q = db
    .selectFrom('editor_changes as c')
    .leftJoin('users as u', 'u.id', 'c.actor_id')
    .select(['c.id', 'c.at', 'c.actor_id', 'u.name as actor_name', 'c.entity', 'c.entity_id', 'c.action', 'c.label', 'c.detail']);
  if (f.entity) q = q.where('c.entity', '=', f.entity);
  if (f.entityId) q = q.where('c.entity_id', '=', f.entityId);
  const before = f.before;
  if (before) q = q.where((eb) => eb.or([eb('c.at', '<', before.at), eb.and([eb('c.at', '=', before.at), eb('c.id', '<', before.id)])]));
  return q.orderBy('c.at', 'desc').orderBy('c.id', 'desc').limit(f.limit).execute();
}
