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

export async function listRecordingsOf(db: Db, interactionId: string): Promise<RecordingRow[]> {
  const rows = await db.selectFrom('recordings').selectAll().where('interaction_id', '=', interactionId).orderBy('started_at', 'asc').execute();
  return rows.map(toRow);
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
