import type { EditorAction, EditorChange, EditorChangePage, EditorChangeQuery, EditorEntity } from '../../../core/contracts/editors';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { insertEditorChange, listEditorChanges } from './editor-changes.repository';

/**
 * 변경 이력 (issue #18 item 13): every change the org editor (departments, categories) and the article editor make is
 * recorded with who, when and what, in the transaction of the change itself (a change is never without its row).
 */

type Fields = Record<string, unknown>;

/** The fields whose value differs, as { field: [before, after] } (a creation has no before: null). */
export function changedFields(before: Fields | null, after: Fields): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(after)) {
    const was = before ? before[k] : null;
    if (JSON.stringify(was ?? null) !== JSON.stringify(v ?? null)) out[k] = [was ?? null, v ?? null];
  }
  return out;
}

export async function recordEditorChange(
  deps: AppDeps,
  db: Db,
  change: { actorId: string; entity: EditorEntity; entityId: string; action: EditorAction; label: string; changes: Record<string, [unknown, unknown]> },
): Promise<void> {
  await insertEditorChange(db, {
    id: newId(),
    at: deps.clock.now().toISOString(),
    actor_id: change.actorId,
    entity: change.entity,
    entity_id: change.entityId,
    action: change.action,
    label: change.label,
    detail: Object.keys(change.changes).length > 0 ? JSON.stringify(change.changes) : null,
  });
}

const SEP = '~';

function parseCursor(cursor: string): { at: string; id: string } {
  const i = cursor.lastIndexOf(SEP);
  const at = cursor.slice(0, i);
  const id = cursor.slice(i + 1);
  if (i <= 0 || Number.isNaN(Date.parse(at)) || !id) throw new AppError('VALIDATION_FAILED', '잘못된 페이지 위치입니다.', { fields: ['before'] });
  return { at, id };
}

/** The admin's 변경 이력: newest first, one page, and the cursor of the next page (null on the last). */
export async function editorChangePage(deps: AppDeps, q: EditorChangeQuery): Promise<EditorChangePage> {
  const rows = await listEditorChanges(deps.db, {
    ...(q.entity ? { entity: q.entity } : {}),
    limit: q.limit + 1,
    ...(q.before ? { before: parseCursor(q.before) } : {}),
  });
  const page = rows.slice(0, q.limit);
  const items = page.map(
    (r): EditorChange => ({
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name ?? null,
      entity: r.entity as EditorEntity,
      entityId: r.entity_id,
      action: r.action as EditorAction,
      label: r.label,
      changes: r.detail ? (JSON.parse(r.detail) as Record<string, [unknown, unknown]>) : {},
    }),
  );
  const last = page.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? `${last.at}${SEP}${last.id}` : null };
}
