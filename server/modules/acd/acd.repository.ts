import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/database';
import { prepared, preparedRows, slotsOf } from '../../db/prepared';
import type {
  AcdContactTable,
  Database,
  AcdQueueTable,
  AgentStateChangeTable,
  AgentStateTable,
} from '../../db/tables';
import { keepAgentStateRollups, type StateRow } from '../statistics/rollups.repository';

/** ACD persistence: every query of the ACD lives here (house style: repositories as functions of db | trx). */

export async function listQueues(db: Db) {
  return db.selectFrom('acd_queues').selectAll().orderBy('code').execute();
}

export async function findQueue(db: Db, id: string) {
  return db.selectFrom('acd_queues').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findQueueByCode(db: Db, code: string) {
  return db.selectFrom('acd_queues').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertQueue(db: Db, row: Insertable<AcdQueueTable>): Promise<void> {
  await db.insertInto('acd_queues').values(row).execute();
}

/** Inserts a queue unless one with its code exists (two starts at once make one queue). */
export async function insertQueueIfMissing(db: Db, row: Insertable<AcdQueueTable>): Promise<void> {
  await db.insertInto('acd_queues').values(row).onConflict((oc) => oc.column('code').doNothing()).execute();
}

export async function updateQueue(db: Db, id: string, patch: Updateable<AcdQueueTable>): Promise<void> {
  await db.updateTable('acd_queues').set(patch).where('id', '=', id).execute();
}

export async function listRoutes(db: Db) {
  return db.selectFrom('acd_queue_routes').selectAll().execute();
}

export async function replaceQueueRoutes(
  db: Db,
  queueId: string,
  routes: { id: string; dialled_number: string; ivr_choice: string }[],
): Promise<void> {
  await db.deleteFrom('acd_queue_routes').where('queue_id', '=', queueId).execute();
  if (routes.length) await db.insertInto('acd_queue_routes').values(routes.map((r) => ({ ...r, queue_id: queueId }))).execute();
}

/** Routes of other queues that use one of these (number, choice) pairs: a conflict. */
export async function findRouteConflicts(db: Db, queueId: string | null, pairs: { dialled_number: string; ivr_choice: string }[]) {
  if (pairs.length === 0) return [];
  let q = db
    .selectFrom('acd_queue_routes')
    .select(['dialled_number', 'ivr_choice', 'queue_id'])
    .where((eb) => eb.or(pairs.map((p) => eb.and([eb('dialled_number', '=', p.dialled_number), eb('ivr_choice', '=', p.ivr_choice)]))));
  if (queueId) q = q.where('queue_id', '<>', queueId);
  return q.execute();
}

export async function listSkills(db: Db) {
  return db.selectFrom('agent_skills').selectAll().execute();
}

export async function listAgentSkills(db: Db, userId: string) {
  return db.selectFrom('agent_skills').select(['skill', 'level']).where('user_id', '=', userId).orderBy('skill').execute();
}

export async function replaceAgentSkills(db: Db, userId: string, skills: { skill: string; level: number }[]): Promise<void> {
  await db.deleteFrom('agent_skills').where('user_id', '=', userId).execute();
  if (skills.length) await db.insertInto('agent_skills').values(skills.map((s) => ({ user_id: userId, ...s }))).execute();
}

export async function countCategories(db: Db, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await db.selectFrom('categories').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', ids).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Users who can take calls (agents and supervisors, active) with their stored ACD state, if any. */
export async function listAgentUsers(db: Db, userId?: string) {
  let q = db
    .selectFrom('users as u')
    .leftJoin('agent_states as s', 's.user_id', 'u.id')
    .select([
      'u.id',
      'u.name',
      'u.extension',
      's.status',
      's.reason',
      's.since',
      's.missed_offers',
      's.pending_not_ready',
      's.pending_logout',
      's.timer_ends_at',
      's.contact_id',
      's.last_offered_at',
      's.calls_handled',
      's.calls_day',
    ])
    .where('u.role', 'in', ['agent', 'supervisor'])
    .where('u.is_active', '=', 1);
  if (userId) q = q.where('u.id', '=', userId);
  return q.execute();
}

export async function listAgentStateChanges(db: Db, fromIso: string, toIso: string) {
  return db.selectFrom('agent_state_changes').select(['user_id', 'status', 'at']).where('at', '>=', fromIso).where('at', '<', toIso).orderBy('at').execute();
}

/** Contacts the ACD still holds: everything not ended or abandoned (the line, callbacks, calls being handled). */
export async function listOpenContacts(db: Db) {
  return db.selectFrom('acd_contacts').selectAll().where('status', 'not in', ['ended', 'abandoned']).execute();
}

export async function findContact(db: Db, id: string) {
  return db.selectFrom('acd_contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether a contact of this phone-system call was ever written (any status). */
export async function hasContactOfExternalCall(db: Db, externalCallId: string): Promise<boolean> {
  return (await db.selectFrom('acd_contacts').select('id').where('external_call_id', '=', externalCallId).executeTakeFirst()) !== undefined;
}

export async function findInteractionRow(db: Db, id: string) {
  return db.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listBusinessHours(db: Db) {
  return db.selectFrom('acd_business_hours').selectAll().orderBy('weekday').execute();
}

export async function countBusinessHourRows(db: Db): Promise<number> {
  const row = await db.selectFrom('acd_business_hours').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function replaceBusinessHours(db: Db, days: { weekday: number; opens: string; closes: string }[]): Promise<void> {
  await db.deleteFrom('acd_business_hours').execute();
  if (days.length) await db.insertInto('acd_business_hours').values(days).execute();
}

export async function listClosedDays(db: Db) {
  return db.selectFrom('acd_closed_days').selectAll().orderBy('day').execute();
}

export async function insertClosedDay(db: Db, row: { day: string; reason: string; created_by: string | null; created_at: string }): Promise<boolean> {
  const res = await db.insertInto('acd_closed_days').values(row).onConflict((oc) => oc.column('day').doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteClosedDay(db: Db, day: string): Promise<boolean> {
  const res = await db.deleteFrom('acd_closed_days').where('day', '=', day).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/**
 * 파기 of callback numbers (the retention job's `callback_numbers`): a callback that is over (ended or abandoned) and
 * entered the line before the cutoff loses its sealed number; one still waiting keeps it (it is needed to call back).
 * Returns how many (in a dry run, how many would).
 */
export async function eraseCallbackNumbersBefore(db: Db, cutoff: string, dryRun: boolean): Promise<number> {
  const due = (eb: ExpressionBuilder<Database, 'acd_contacts'>) =>
    eb.and([
      eb('kind', '=', 'callback'),
      eb('status', 'in', ['ended', 'abandoned']),
      eb('entered_at', '<', cutoff),
      eb('callback_number_sealed', 'is not', null),
    ]);
  if (dryRun) {
    const row = await db.selectFrom('acd_contacts').select((eb) => eb.fn.countAll<number>().as('n')).where(due).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const res = await db.updateTable('acd_contacts').set({ callback_number_sealed: null }).where(due).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Records a webhook event id; false when it was already recorded (a replay). */
export async function recordWebhookEvent(db: Db, eventId: string, at: string): Promise<boolean> {
  const res = await db
    .insertInto('telephony_webhook_events')
    .values({ event_id: eventId, received_at: at })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Has this webhook event id been accepted (and applied) already? */
export async function hasWebhookEvent(db: Db, eventId: string): Promise<boolean> {
  return (await db.selectFrom('telephony_webhook_events').select('event_id').where('event_id', '=', eventId).executeTakeFirst()) !== undefined;
}

export async function pruneWebhookEvents(db: Db, beforeIso: string): Promise<void> {
  await db.deleteFrom('telephony_webhook_events').where('received_at', '<', beforeIso).execute();
}

/** The ACD events of calls from `fromIso` on (today's wallboard figures are rebuilt from them at start). */
export async function listCallEventsSince(db: Db, fromIso: string) {
  return db
    .selectFrom('contact_events')
    .select(['interaction_id', 'type', 'at', 'actor_id', 'data'])
    .where('at', '>=', fromIso)
    .where('interaction_id', 'is not', null)
    .where('type', 'in', ['call_queued', 'call_answered', 'call_abandoned', 'callback_requested', 'call_ended', 'wrap_up_ended', 'call_held', 'call_resumed'])
    .execute();
}

/** Every call event of interactions (a KPI recomputation over a window reads these). */
export async function listCallEventsBetween(db: Db, fromIso: string, toIso: string) {
  return db
    .selectFrom('contact_events')
    .select(['interaction_id', 'type', 'at', 'actor_id', 'data'])
    .where('at', '>=', fromIso)
    .where('at', '<', toIso)
    .where('interaction_id', 'is not', null)
    .execute();
}

// ——————————————————————— hot path: statements built once (server/db/prepared.ts) ———————————————————————
//
// The engine writes a few rows per telephony event (43,000 calls a day in Seoul); building the same Kysely query for
// every row cost about a fifth of the CPU of a simulated day.

const CONTACT_COLUMNS = [
  'kind', 'source', 'external_call_id', 'queue_id', 'skill', 'priority', 'dialled_number', 'ivr_choice', 'entered_at',
  'virtual_start_at', 'ready_at', 'status', 'agent_id', 'offered_at', 'offer_expires_at', 'answered_at', 'ended_at',
  'excluded_agents', 'callback_number_sealed', 'origin_id', 'updated_at',
] as const satisfies readonly (keyof AcdContactTable)[];
type ContactColumns = Pick<Insertable<AcdContactTable>, (typeof CONTACT_COLUMNS)[number]>;
type ContactRow = ContactColumns & { id: string };

const insertContactRow = prepared<ContactRow>('acd.contact.insert', (db, p) =>
  db.insertInto('acd_contacts').values(slotsOf(p, ['id', ...CONTACT_COLUMNS])),
);

/** Inserts a contact with every column the engine holds. */
export async function insertContact(db: Db, row: ContactRow): Promise<void> {
  await insertContactRow(db, row);
}

/** The columns of a contact that change after its insert (the others are fixed when it enters the line). */
const CONTACT_STATE_COLUMNS = [
  'ready_at', 'status', 'agent_id', 'offered_at', 'offer_expires_at', 'answered_at', 'ended_at', 'excluded_agents', 'updated_at',
] as const satisfies readonly (typeof CONTACT_COLUMNS)[number][];
type ContactState = Pick<ContactColumns, (typeof CONTACT_STATE_COLUMNS)[number]> & { id: string };

const updateContactState = prepared<ContactState>('acd.contact.state', (db, p) =>
  db.updateTable('acd_contacts').set(slotsOf(p, CONTACT_STATE_COLUMNS)).where('id', '=', p.id),
);

/** Writes the changing columns of a contact (status, agent, offer, answer, end, who is passed over). */
export async function writeContactState(db: Db, row: ContactState): Promise<void> {
  await updateContactState(db, row);
}

const AGENT_STATE_COLUMNS = [
  'user_id', 'status', 'reason', 'since', 'missed_offers', 'pending_not_ready', 'pending_logout', 'timer_ends_at',
  'contact_id', 'last_offered_at', 'calls_handled', 'calls_day', 'updated_at',
] as const satisfies readonly (keyof AgentStateTable)[];

const upsertAgentStateRow = prepared<Insertable<AgentStateTable>>('acd.agent_state.upsert', (db, p) =>
  db
    .insertInto('agent_states')
    .values(slotsOf(p, AGENT_STATE_COLUMNS))
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) =>
        Object.fromEntries(AGENT_STATE_COLUMNS.filter((c) => c !== 'user_id').map((c) => [c, eb.ref(`excluded.${c}`)])),
      ),
    ),
);

/** Inserts or replaces an agent's state row . */
export async function writeAgentStateRow(db: Db, row: Insertable<AgentStateTable>): Promise<void> {
  await upsertAgentStateRow(db, row);
}

const STATE_CHANGE_COLUMNS = ['id', 'user_id', 'at', 'status', 'reason', 'source', 'contact_id'] as const satisfies readonly (keyof AgentStateChangeTable)[];

const insertAgentStateChanges = preparedRows<Insertable<AgentStateChangeTable>>('acd.agent_state_changes.insert', (db, rows) =>
  db.insertInto('agent_state_changes').values(rows.map((r) => slotsOf(r, STATE_CHANGE_COLUMNS))),
);

/** Appends agent state changes (multi-row statements); the statistics' state rollups move with them, in the same transaction. */
export async function appendAgentStateChanges(db: Db, rows: readonly Insertable<AgentStateChangeTable>[], known?: ReadonlyMap<string, StateRow>): Promise<void> {
  await keepAgentStateRollups(db, rows, known);
  await insertAgentStateChanges(db, rows);
}

const citizenIdByIndex = prepared<{ index: string }, { id: string }>('acd.citizen_id.by_phone_index', (db, p) =>
  db.selectFrom('citizens').select('id').where('phone_index', '=', p.index).limit(1),
);

/**
 * The citizen of a caller's number, by the blind index of each key in rotation (current first): the id only, nothing
 * opened. One `=` look-up per key on the unique index: SQLite builds an `in (?)` list anew on every run (~7× the cost).
 */
export async function findCitizenIdByPhoneIndex(db: Db, indexes: readonly string[]): Promise<string | undefined> {
  for (const index of indexes) {
    const [row] = await citizenIdByIndex(db, { index });
    if (row) return row.id;
  }
  return undefined;
}

const markConnected = prepared<{ id: string; agent_id: string; answered_at: string }>('acd.interaction.connected', (db, p) =>
  db.updateTable('interactions').set({ status: 'connected', agent_id: p.agent_id, answered_at: p.answered_at }).where('id', '=', p.id),
);

/** The call's interaction is connected to an agent. */
export async function markInteractionConnected(db: Db, id: string, agentId: string, answeredAt: string): Promise<void> {
  await markConnected(db, { id, agent_id: agentId, answered_at: answeredAt });
}

const markEnded = prepared<{ id: string; ended_at: string }>('acd.interaction.ended', (db, p) =>
  db.updateTable('interactions').set({ status: 'ended', ended_at: p.ended_at }).where('id', '=', p.id),
);

/** The call's interaction ended. */
export async function markInteractionEnded(db: Db, id: string, endedAt: string): Promise<void> {
  await markEnded(db, { id, ended_at: endedAt });
}
