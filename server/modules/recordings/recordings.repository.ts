import type { Db } from '../../db/database';
import type { Selectable } from 'kysely';
import type { RecordingTable } from '../../db/tables';

export type RecordingRow = Omit<Selectable<RecordingTable>, 'size_bytes'> & { size_bytes: number | null };

const toRow = (r: Selectable<RecordingTable>): RecordingRow => ({ ...r, size_bytes: r.size_bytes === null ? null : Number(r.size_bytes) });

export async function insertRecording(db: Db, row: RecordingRow): Promise<void> {
  await db.insertInto('recordings').values(row).execute();
}

export async function findRecording(db: Db, id: string): Promise<RecordingRow | undefined> {
  const r = await db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toRow(r);
}

export async function findRecordingByCall(db: Db, callId: string): Promise<RecordingRow | undefined> {
  const r = await db.selectFrom('recordings').selectAll().where('call_id', '=', callId).executeTakeFirst();
  return r && toRow(r);
}

/** Recordings rtpengine may still be writing (or has finished and OneCall has not sealed yet). */
export async function listUnsealed(db: Db, limit = 100): Promise<RecordingRow[]> {
  const rows = await db.selectFrom('recordings').selectAll().where('status', '=', 'recording').orderBy('started_at', 'asc').limit(limit).execute();
  return rows.map(toRow);
}

export async function markEnded(db: Db, callId: string, at: string): Promise<void> {
  await db.updateTable('recordings').set({ ended_at: at }).where('call_id', '=', callId).where('ended_at', 'is', null).execute();
}

export async function markSealed(db: Db, id: string, v: { fileRef: string; keySealed: string; size: number; at: string }): Promise<void> {
  await db
    .updateTable('recordings')
    .set((eb) => ({ status: 'sealed', file_ref: v.fileRef, key_sealed: v.keySealed, size_bytes: v.size, sealed_at: v.at, ended_at: eb.fn.coalesce('ended_at', eb.val(v.at)) }))
    .where('id', '=', id)
    .where('status', '=', 'recording')
    .execute();
}

export async function markFailed(db: Db, id: string, failure: string): Promise<void> {
  await db.updateTable('recordings').set({ status: 'failed', failure: failure.slice(0, 500) }).where('id', '=', id).execute();
}

/**
 * 파기 of recordings started before the cutoff: the rows (with their sealed data keys: the files are crypto-shredded
 * even where a copy survives) are deleted; returns their sealed files' paths, which the caller removes.
 */
export async function deleteRecordingsBefore(db: Db, cutoff: string, dryRun: boolean): Promise<{ count: number; files: string[] }> {
  const rows = await db.selectFrom('recordings').select(['id', 'file_ref']).where('started_at', '<', cutoff).execute();
  if (dryRun || rows.length === 0) return { count: rows.length, files: [] };
  await db.deleteFrom('recordings').where('started_at', '<', cutoff).execute();
  return { count: rows.length, files: rows.map((r) => r.file_ref).filter((f): f is string => !!f) };
}

/** One line of the 통화 녹음 list: the recording with its call's agent, sealed caller number and queue. */
export type RecordingListRow = RecordingRow & { agent_name: string | null; caller_number_sealed: string | null; queue_name: string | null };

/**
 * Recordings started in [from, to) (ISO instants) and/or of one contact, newest first, at most `limit`, with the call's agent, the caller's
 * sealed number and the queue the call waited in (its `call_queued` event: the interaction does not keep it).
 */
export async function searchRecordings(db: Db, range: { from?: string; to?: string; interactionId?: string; limit: number }): Promise<RecordingListRow[]> {
  let q = db
    .selectFrom('recordings as r')
    .leftJoin('interactions as i', 'i.id', 'r.interaction_id')
    .leftJoin('users as u', 'u.id', 'i.agent_id')
    .selectAll('r')
    .select(['u.name as agent_name', 'i.caller_number_sealed'])
    .orderBy('r.started_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(range.limit);
  if (range.from) q = q.where('r.started_at', '>=', range.from);
  if (range.to) q = q.where('r.started_at', '<', range.to);
  if (range.interactionId) q = q.where('r.interaction_id', '=', range.interactionId);
  const rows = await q.execute();
  const ids = [...new Set(rows.map((r) => r.interaction_id))];
  const queueOf = new Map<string, string>();
  if (ids.length > 0) {
    const queued = await db.selectFrom('contact_events').select(['interaction_id', 'data']).where('type', '=', 'call_queued').where('interaction_id', 'in', ids).orderBy('at', 'asc').execute();
    for (const e of queued) {
      const queueId = (JSON.parse(e.data ?? '{}') as { queueId?: unknown }).queueId;
      if (e.interaction_id && typeof queueId === 'string' && !queueOf.has(e.interaction_id)) queueOf.set(e.interaction_id, queueId);
    }
  }
  const names = new Map<string, string>();
  if (queueOf.size > 0) {
    for (const q of await db.selectFrom('acd_queues').select(['id', 'name']).where('id', 'in', [...new Set(queueOf.values())]).execute()) names.set(q.id, q.name);
  }
  return rows.map((r) => {
    const { agent_name, caller_number_sealed, ...rest } = r;
    const queueId = queueOf.get(r.interaction_id);
    return { ...toRow(rest), agent_name: agent_name ?? null, caller_number_sealed: caller_number_sealed ?? null, queue_name: queueId ? (names.get(queueId) ?? null) : null };
  });
}
