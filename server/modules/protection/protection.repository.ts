import type { Db } from '../../db/database';
import type {
  CallerFlagTable,
  ProtectionIncidentTable,
  ProtectionRecoveryTable,
  ProtectionRequestTable,
  ProtectionWarningTable,
  QueueNoticeTable,
} from '../../db/tables';

/** Queries of 감정노동 보호 (issue #14). Warnings, incidents and recoveries are only ever inserted (DB triggers). */

export async function findSettingsRow(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('protection_settings').select('settings').where('id', '=', 'default').executeTakeFirst();
  return row?.settings;
}

export async function saveSettingsRow(db: Db, settings: string, at: string, by: string): Promise<void> {
  await db
    .insertInto('protection_settings')
    .values({ id: 'default', settings, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('id').doUpdateSet({ settings, updated_at: at, updated_by: by }))
    .execute();
}

export async function listQueueNoticeRows(db: Db): Promise<QueueNoticeTable[]> {
  return db.selectFrom('queue_notices').selectAll().execute();
}

export async function saveQueueNoticeRow(db: Db, row: QueueNoticeTable): Promise<void> {
  const { queue_id: _q, ...rest } = row;
  await db
    .insertInto('queue_notices')
    .values(row)
    .onConflict((oc) => oc.column('queue_id').doUpdateSet(rest))
    .execute();
}

export async function listQueueNames(db: Db): Promise<Array<{ id: string; name: string; is_active: number }>> {
  return db.selectFrom('acd_queues').select(['id', 'name', 'is_active']).orderBy('name').execute();
}

export async function insertWarning(db: Db, row: ProtectionWarningTable): Promise<void> {
  await db.insertInto('protection_warnings').values(row).execute();
}

export async function listWarnings(db: Db, interactionId: string): Promise<ProtectionWarningTable[]> {
  return db.selectFrom('protection_warnings').selectAll().where('interaction_id', '=', interactionId).orderBy('at').orderBy('id').execute();
}

/** The call's interaction: who handled it and the caller's blind index (known callers only). */
export async function findInteraction(db: Db, id: string) {
  return db.selectFrom('interactions').select(['id', 'agent_id', 'citizen_id', 'caller_index', 'answered_at', 'ended_at', 'status']).where('id', '=', id).executeTakeFirst();
}

export async function insertIncident(db: Db, row: ProtectionIncidentTable): Promise<void> {
  await db.insertInto('protection_incidents').values(row).execute();
}

type IncidentFilter = { agentId?: string; from?: string; to?: string; type?: string; interactionId?: string };

/** Every version of the matching incidents, with the agent's and the recorder's names, newest incident first. */
export async function listIncidentVersions(db: Db, filter: IncidentFilter & { incidentId?: string }) {
  let q = db
    .selectFrom('protection_incidents as i')
    .innerJoin('users as a', 'a.id', 'i.agent_id')
    .innerJoin('users as r', 'r.id', 'i.recorded_by')
    .selectAll('i')
    .select(['a.name as agent_name', 'r.name as recorded_by_name']);
  if (filter.incidentId) q = q.where('i.incident_id', '=', filter.incidentId);
  if (filter.agentId) q = q.where('i.agent_id', '=', filter.agentId);
  if (filter.interactionId) q = q.where('i.interaction_id', '=', filter.interactionId);
  if (filter.type) q = q.where('i.type', '=', filter.type);
  // The period is of the first version (when the incident happened), filtered after grouping by the service.
  return q.orderBy('i.incident_id', 'desc').orderBy('i.version').execute();
}

/** The protocol end (종료 / 긴급종료) of a call, if one was recorded: at most one (migration 0028). */
export async function findProtocolEnd(db: Db, interactionId: string): Promise<{ incident_id: string; agent_id: string } | undefined> {
  return db
    .selectFrom('protection_incidents')
    .select(['incident_id', 'agent_id'])
    .where('interaction_id', '=', interactionId)
    .where('version', '=', 1)
    .where('end_kind', 'in', ['after_warnings', 'emergency'])
    .executeTakeFirst();
}

export async function insertRecovery(db: Db, row: ProtectionRecoveryTable): Promise<void> {
  await db.insertInto('protection_recoveries').values(row).execute();
}

export async function listRecoveries(db: Db, from: string, to: string, agentId?: string): Promise<ProtectionRecoveryTable[]> {
  let q = db.selectFrom('protection_recoveries').selectAll().where('at', '>=', from).where('at', '<', to);
  if (agentId) q = q.where('agent_id', '=', agentId);
  return q.orderBy('at').execute();
}

export async function insertRequest(db: Db, row: ProtectionRequestTable): Promise<void> {
  await db.insertInto('protection_requests').values(row).execute();
}

export async function findRequest(db: Db, id: string) {
  return db
    .selectFrom('protection_requests as q')
    .innerJoin('users as a', 'a.id', 'q.agent_id')
    .selectAll('q')
    .select('a.name as agent_name')
    .where('q.id', '=', id)
    .executeTakeFirst();
}

export async function listRequests(db: Db, agentId?: string) {
  let q = db.selectFrom('protection_requests as q').innerJoin('users as a', 'a.id', 'q.agent_id').selectAll('q').select('a.name as agent_name');
  if (agentId) q = q.where('q.agent_id', '=', agentId);
  return q.orderBy('q.created_at', 'desc').limit(500).execute();
}

/** Moves a request only if it is still in the status seen (a double click gets nothing). */
export async function updateRequestStatus(db: Db, id: string, from: string, patch: { status: string; outcome: string | null; updated_at: string; updated_by: string }): Promise<boolean> {
  const r = await db.updateTable('protection_requests').set(patch).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertFlag(db: Db, row: CallerFlagTable): Promise<void> {
  await db.insertInto('caller_flags').values(row).execute();
}

export async function listFlagRows(db: Db) {
  return db
    .selectFrom('caller_flags as f')
    .innerJoin('users as u', 'u.id', 'f.flagged_by')
    .selectAll('f')
    .select('u.name as flagged_by_name')
    .orderBy('f.flagged_at', 'desc')
    .limit(1000)
    .execute();
}

/** Flags still counting at `now` (for the routing cache). */
export async function listActiveFlags(db: Db, now: string): Promise<Array<Pick<CallerFlagTable, 'caller_index' | 'expires_at' | 'mode'>>> {
  return db.selectFrom('caller_flags').select(['caller_index', 'expires_at', 'mode']).where('cleared_at', 'is', null).where('expires_at', '>', now).execute();
}

export async function clearFlagRow(db: Db, id: string, at: string, by: string, reason: string): Promise<boolean> {
  const r = await db
    .updateTable('caller_flags')
    .set({ cleared_at: at, cleared_by: by, clear_reason: reason })
    .where('id', '=', id)
    .where('cleared_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findFlag(db: Db, id: string) {
  return db.selectFrom('caller_flags').selectAll().where('id', '=', id).executeTakeFirst();
}

/** True when the centre has had a call from this blind index (a flag on a number never seen is refused). */
export async function isKnownCaller(db: Db, callerIndex: string): Promise<boolean> {
  const row = await db.selectFrom('interactions').select('id').where('caller_index', '=', callerIndex).where('citizen_id', 'is not', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function findUserName(db: Db, id: string): Promise<{ id: string; name: string; role: string } | undefined> {
  return db.selectFrom('users').select(['id', 'name', 'role']).where('id', '=', id).executeTakeFirst();
}

/** The call's contact events in order (for the evidence package). */
export async function listCallEvents(db: Db, interactionId: string) {
  return db.selectFrom('contact_events').select(['type', 'at', 'detail']).where('interaction_id', '=', interactionId).orderBy('at').orderBy('id').execute();
}

/** State changes of agents in [from, to) (for time in each state), oldest first. */
export async function listStateChanges(db: Db, from: string, to: string, agentId?: string) {
  let q = db
    .selectFrom('agent_state_changes as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.user_id', 'c.at', 'c.status', 'u.name'])
    .where('c.at', '>=', from)
    .where('c.at', '<', to)
    .where('u.role', 'in', ['agent', 'supervisor']);
  if (agentId) q = q.where('c.user_id', '=', agentId);
  return q.orderBy('c.at').orderBy('c.id').execute();
}
