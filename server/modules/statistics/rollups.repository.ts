import { PostgresAdapter, sql, type Insertable, type Kysely } from 'kysely';
import type { ContactEventType } from '../../../core/contracts/enums';
import { MONTH_GRAIN_OF, ROLLUP_COUNTERS, addContribution, addFcr, splitByKstDay, type DispositionFact, type RollupDelta } from '../../../core/domain/stat-rollups';
import { kstMonthStartOf, kstNextMonthStartOf, type StatContact } from '../../../core/domain/statistics';
import type { Db } from '../../db/database';
import { prepared, preparedRows, slotsOf, sqliteRollbackCount } from '../../db/prepared';
import type { AgentStateChangeTable, Database, StatRollupTable } from '../../db/tables';
import { keepParsedEvents } from '../acd/counters';
import { fillHandOffWaitMonthsIfMissing, rebuildHandOffRollups } from './handoff-rollups.repository';
import { statContactsOf, type StatEventRow } from './stat-contacts';
import { STAT_EVENT_TYPES } from './statistics.repository';

/**
 * Keeps the statistics' rollups (migration 0018, core/domain/stat-rollups.ts) in step with the raw rows, in the
 * transaction that appends them: appendEvents (server/modules/events) and appendAgentStateChanges (ACD) call in here
 * before inserting. For the contacts the new events touch, the rollups get contribution(after) − contribution(before),
 * both derived from the contact's whole log by the same code the raw reports use. `npm run stats:rebuild` recomputes
 * everything from the raw rows.
 */

const STAT_TYPES = new Set<string>(STAT_EVENT_TYPES);
const FCR_WINDOW_MS = 7 * 86_400_000;
const CHUNK = 500;

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const ROLLUP_COLUMNS = ['grain', 'bucket', 'dim', ...ROLLUP_COUNTERS] as const;
const upsertRollupRows = preparedRows<Insertable<StatRollupTable>>('stat_rollups.add', (db, rows) =>
  db
    .insertInto('stat_rollups')
    .values(rows.map((r) => slotsOf(r, ROLLUP_COLUMNS)))
    .onConflict((oc) =>
      oc
        .columns(['grain', 'bucket', 'dim'])
        .doUpdateSet((eb) => Object.fromEntries(ROLLUP_COUNTERS.map((k) => [k, eb(eb.ref(`stat_rollups.${k}`), '+', eb.ref(`excluded.${k}`))]))),
    ),
);

/**
 * Adds the deltas to stat_rollups (rows created at 0 when missing); all-zero deltas are skipped. A day row of handling
 * per category or agent is added to its KST month's row too (task_m, agent_m), summed here first.
 */
export async function addRollupDeltas(db: Db, deltas: Iterable<RollupDelta>): Promise<void> {
  const rows: Insertable<StatRollupTable>[] = [];
  const months = new Map<string, Insertable<StatRollupTable>>();
  for (const d of deltas) {
    if (ROLLUP_COUNTERS.every((k) => d.counts[k] === 0)) continue;
    rows.push({ grain: d.grain, bucket: d.bucket, dim: d.dim, ...d.counts });
    if (d.grain !== 'task' && d.grain !== 'agent') continue;
    const grain = MONTH_GRAIN_OF[d.grain];
    const bucket = kstMonthStartOf(d.bucket);
    const key = `${grain}|${bucket}|${d.dim}`;
    const month = months.get(key);
    if (!month) months.set(key, { grain, bucket, dim: d.dim, ...d.counts });
    else for (const k of ROLLUP_COUNTERS) (month[k] as number) += d.counts[k];
  }
  rows.push(...months.values());
  if (rows.length > 0) await upsertRollupRows(db, rows);
}

/**
 * A database whose handling rollups predate the month rows (task_m, agent_m) gets them once, from its day rows: one
 * INSERT … SELECT per KST month and grain. Returns the months filled (0 when they were there or nothing needs them).
 */
export async function fillMonthRollupsIfMissing(db: Db): Promise<number> {
  const hasDays = await db.selectFrom('stat_rollups').select('grain').where('grain', 'in', ['task', 'agent']).limit(1).executeTakeFirst();
  const hasMonths = await db.selectFrom('stat_rollups').select('grain').where('grain', 'in', ['task_m', 'agent_m']).limit(1).executeTakeFirst();
  if (!hasDays || hasMonths) return 0;
  const days = await db.selectFrom('stat_rollups').select('bucket').distinct().where('grain', 'in', ['task', 'agent']).execute();
  const monthStarts = [...new Set(days.map((d) => kstMonthStartOf(Number(d.bucket))))].sort((a, b) => a - b);
  const sums = sql.join(ROLLUP_COUNTERS.map((k) => sql`sum(${sql.ref(k)})`));
  for (const month of monthStarts)
    for (const [day, grain] of Object.entries(MONTH_GRAIN_OF))
      await sql`insert into stat_rollups (grain, bucket, dim, ${sql.join(ROLLUP_COUNTERS.map((k) => sql.ref(k)))})
        select ${grain}, ${month}, dim, ${sums} from stat_rollups
        where grain = ${day} and bucket >= ${month} and bucket < ${kstNextMonthStartOf(month)} group by dim`.execute(db);
  return monthStarts.length;
}

// One call's events and its callback parent: the live path (a use case appends events of one call) runs these built
// once (server/db/prepared.ts); lists of calls (simulated history, the rebuild) go through Kysely in chunks.
const eventsOfOne = prepared<{ id: string }, StatEventRow>('stat.events_of_one', (db, p) =>
  db
    .selectFrom('contact_events')
    .select(['interaction_id', 'type', 'at', 'actor_id', 'data'])
    .where('interaction_id', '=', p.id)
    .where('type', 'in', [...STAT_EVENT_TYPES]),
);
const parentsOfOne = prepared<{ id: string }, { interaction_id: string }>('stat.callback_parent', (db, p) =>
  db.selectFrom('stat_callbacks').select('interaction_id').where('callback_id', '=', p.id),
);

async function eventsOf(db: Db, ids: readonly string[], types: readonly string[] = STAT_EVENT_TYPES): Promise<StatEventRow[]> {
  if (ids.length === 1 && types === STAT_EVENT_TYPES) return eventsOfOne(db, { id: ids[0]! });
  const out: StatEventRow[] = [];
  for (const part of chunks(ids)) {
    out.push(
      ...(await db
        .selectFrom('contact_events')
        .select(['interaction_id', 'type', 'at', 'actor_id', 'data'])
        .where('interaction_id', 'in', part)
        .where('type', 'in', [...types] as ContactEventType[])
        .execute()),
    );
  }
  return out;
}

/**
 * The statistics events of recent calls, kept in memory on an embedded SQLite database so that each decision on a live
 * call (answer, hold, end, the case, the end of wrap-up: a handful per call) need not read the call's log back to
 * know its contribution before. Exact, not a guess: the log is append-only and every append goes through
 * keepContactRollups, which puts the rows here only after they are inserted; the whole cache is dropped as soon as the
 * connection has run any ROLLBACK (a transaction or savepoint undone may have held rows put here). SQLite is one
 * connection in one process (the ACD is one process by design); on PostgreSQL other connections write too, so the
 * log is always read there. A call not in the cache (evicted, or after a restart) is read from the table as before.
 */
/** A call's logged statistics events; `contacts`: what they derive to when the call's decisions touch it alone. */
type LiveLog = { rows: StatEventRow[]; contacts?: StatContact[] };
type LiveLogs = { rollbacks: number; logs: Map<string, LiveLog> };
const LIVE_LOGS_MAX = 4_096;
const liveLogsByAdapter = new WeakMap<object, LiveLogs>();

function liveLogsOf(db: Db): LiveLogs | undefined {
  const rollbacks = sqliteRollbackCount(db);
  if (rollbacks === undefined) return undefined;
  const adapter = db.getExecutor().adapter;
  let live = liveLogsByAdapter.get(adapter);
  if (!live) liveLogsByAdapter.set(adapter, (live = { rollbacks, logs: new Map() }));
  if (live.rollbacks !== rollbacks) {
    live.logs.clear();
    live.rollbacks = rollbacks;
  }
  return live;
}

/** Drops what the cache holds of a database (after rows were written around keepContactRollups, e.g. in bulk). */
export function forgetLiveLogs(db: Db): void {
  liveLogsByAdapter.delete(db.getExecutor().adapter);
}

const statRowOf = (r: StatEventRow): StatEventRow => ({ interaction_id: r.interaction_id, type: r.type, at: r.at, actor_id: r.actor_id, data: r.data });

/** The callback contacts the rows' callback requests name (their answer ends the caller's wait). */
function callbackIdsOf(rows: readonly StatEventRow[]): string[] {
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.type !== 'callback_requested' || !r.data) continue;
    const id = (JSON.parse(r.data) as { callbackId?: unknown }).callbackId;
    if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

/** The contacts of `scope` derived from rows, with the answers of the callbacks they name. */
function contactsIn(rows: readonly StatEventRow[], scope: ReadonlySet<string>): StatContact[] {
  return statContactsOf(rows).contacts.filter((c) => scope.has(c.interactionId));
}

type CallbackRow = {
  interaction_id: string;
  callback_id: string | null;
  queued_at_ms: number | null;
  delay_ms: number | null;
};
const callbackRowOf = (c: StatContact): CallbackRow | null =>
  c.queueExit === 'callback' && c.callbackRequestedAt !== null
    ? {
        interaction_id: c.interactionId,
        callback_id: c.callbackId,
        queued_at_ms: c.queuedAt,
        delay_ms: c.callbackAnsweredAt !== null ? c.callbackAnsweredAt - c.callbackRequestedAt : null,
      }
    : null;

const insertCallbackRows = preparedRows<CallbackRow>('stat_callbacks.put', (db, rows) =>
  db
    .insertInto('stat_callbacks')
    .values(rows.map((r) => slotsOf(r, ['interaction_id', 'callback_id', 'queued_at_ms', 'delay_ms'])))
    .onConflict((oc) =>
      oc.column('interaction_id').doUpdateSet((eb) => ({
        callback_id: eb.ref('excluded.callback_id'),
        queued_at_ms: eb.ref('excluded.queued_at_ms'),
        delay_ms: eb.ref('excluded.delay_ms'),
      })),
    ),
);

type DispositionRow = {
  interaction_id: string;
  at_ms: number;
  caller_key: string | null;
  category_id: string | null;
  outcome: string | null;
};
const insertDispositionRows = preparedRows<DispositionRow>('stat_dispositions.insert', (db, rows) =>
  db.insertInto('stat_dispositions').values(rows.map((r) => slotsOf(r, ['interaction_id', 'at_ms', 'caller_key', 'category_id', 'outcome']))),
);

/** The first disposition of each contact among event rows (or among their events, already derived). */
function firstDispositions(rows: readonly StatEventRow[], derived: ReturnType<typeof statContactsOf>['events'] = statContactsOf(rows).events): Map<string, DispositionFact> {
  const out = new Map<string, DispositionFact>();
  for (const e of derived) {
    if (e.type !== 'call_dispositioned') continue;
    const seen = out.get(e.interactionId);
    if (!seen || e.at < seen.at)
      out.set(e.interactionId, {
        interactionId: e.interactionId,
        at: e.at,
        callerKey: e.callerKey || null,
        categoryId: e.categoryId || null,
        outcome: e.outcome ?? null,
      });
  }
  return out;
}

const dispositionRowOf = (d: DispositionFact): DispositionRow => ({
  interaction_id: d.interactionId,
  at_ms: d.at,
  caller_key: d.callerKey,
  category_id: d.categoryId,
  outcome: d.outcome,
});

// One caller's dispositions around a new one (a case recorded: the live path), built once.
const dispositionsOfCaller = prepared<{ key: string; min: number; max: number }, DispositionRow>('stat_dispositions.of_caller', (db, p) =>
  db
    .selectFrom('stat_dispositions')
    .select(['interaction_id', 'at_ms', 'caller_key', 'category_id', 'outcome'])
    .where('caller_key', '=', p.key)
    .where('at_ms', '>=', p.min)
    .where('at_ms', '<=', p.max),
);

/**
 * First-contact resolution of new first dispositions: each is counted, and an earlier resolved contact of the same
 * caller and category within 7 days before it loses its "no repeat" (the fcr grain gets after − before over the
 * affected neighbours).
 */
async function keepFcr(db: Db, added: readonly DispositionFact[], deltas: Map<string, RollupDelta>): Promise<void> {
  if (added.length === 0) return;
  const keyed = added.filter((d) => d.callerKey && d.categoryId);
  const neighbours: DispositionFact[] = [];
  if (keyed.length > 0) {
    const min = Math.min(...keyed.map((d) => d.at)) - FCR_WINDOW_MS;
    const max = Math.max(...keyed.map((d) => d.at)) + FCR_WINDOW_MS;
    for (const part of chunks([...new Set(keyed.map((d) => d.callerKey!))])) {
      const rows =
        part.length === 1
          ? await dispositionsOfCaller(db, { key: part[0]!, min, max })
          : await db
              .selectFrom('stat_dispositions')
              .select(['interaction_id', 'at_ms', 'caller_key', 'category_id', 'outcome'])
              .where('caller_key', 'in', part)
              .where('at_ms', '>=', min)
              .where('at_ms', '<=', max)
              .execute();
      for (const r of rows)
        neighbours.push({
          interactionId: r.interaction_id,
          at: Number(r.at_ms),
          callerKey: r.caller_key,
          categoryId: r.category_id,
          outcome: r.outcome,
        });
    }
  }
  const addedAt = new Map<string, number[]>();
  for (const d of keyed) {
    const key = `${d.callerKey}\u0000${d.categoryId}`;
    addedAt.set(key, [...(addedAt.get(key) ?? []), d.at]);
  }
  const affected = (n: DispositionFact) => (addedAt.get(`${n.callerKey}\u0000${n.categoryId}`) ?? []).some((t) => n.at >= t - FCR_WINDOW_MS && n.at < t);
  const isNew = new Set(added.map((d) => d.interactionId));
  addFcr(deltas, neighbours, -1, affected);
  addFcr(deltas, [...neighbours, ...added], 1, (d) => isNew.has(d.interactionId) || affected(d));
  await insertDispositionRows(db, added.map(dispositionRowOf));
}

/**
 * Keeps the rollups in step with contact events about to be appended (call before inserting them, in the same
 * transaction). On PostgreSQL the calls' interaction rows are locked first, so two transactions writing events of
 * the same call (the ACD's end and the desk's disposition) apply their deltas one after the other.
 */
export async function keepContactRollups(db: Db, added: readonly StatEventRow[], created?: ReadonlySet<string>): Promise<(() => void) | undefined> {
  const rows = added.filter((r) => r.interaction_id && STAT_TYPES.has(r.type));
  if (rows.length === 0) return undefined;
  const touched = [...new Set(rows.map((r) => r.interaction_id!))];
  if (isPostgres(db)) {
    for (const part of chunks([...touched].sort()))
      await db.selectFrom('interactions').select('id').where('id', 'in', part).orderBy('id').forUpdate().execute();
  }
  const scope = new Set(touched);
  // `created`: interactions the caller created in this transaction (the ACD's new calls): they have no rows to read yet.
  const stored = created ? touched.filter((id) => !created.has(id)) : touched;
  for (const part of chunks(stored)) {
    const parents =
      part.length === 1 ? await parentsOfOne(db, { id: part[0]! }) : await db.selectFrom('stat_callbacks').select('interaction_id').where('callback_id', 'in', part).execute();
    for (const p of parents) scope.add(p.interaction_id);
  }
  const live = liveLogsOf(db);
  const rollbacksBefore = live?.rollbacks;
  const existing: StatEventRow[] = [];
  const unread: string[] = [];
  for (const id of scope) {
    if (created?.has(id)) continue;
    const kept = live?.logs.get(id);
    if (kept) existing.push(...kept.rows);
    else unread.push(id);
  }
  if (unread.length > 0) existing.push(...(await eventsOf(db, unread)));
  const named = callbackIdsOf([...existing, ...rows]).filter((id) => !scope.has(id));
  const answers = named.length > 0 ? await eventsOf(db, named, ['call_answered']) : [];
  const deltas = new Map<string, RollupDelta>();
  // A decision about one call with no callback in it: its contribution before is what the last one left (kept below).
  const lone = scope.size === 1 && named.length === 0 ? live?.logs.get(scope.values().next().value!)?.contacts : undefined;
  const before = lone ?? contactsIn([...existing, ...answers], scope);
  const after = contactsIn([...existing, ...answers, ...rows], scope);
  for (const c of before) addContribution(deltas, c, -1);
  for (const c of after) addContribution(deltas, c, 1);

  const callbacks = after.map(callbackRowOf).filter((r): r is CallbackRow => r !== null);
  const gone = before.filter((c) => callbackRowOf(c) && !callbacks.some((r) => r.interaction_id === c.interactionId)).map((c) => c.interactionId);
  if (gone.length > 0) await db.deleteFrom('stat_callbacks').where('interaction_id', 'in', gone).execute();
  if (callbacks.length > 0) await insertCallbackRows(db, callbacks);

  // First dispositions (a call normally has one: the case recorded for it).
  if (rows.some((r) => r.type === 'call_dispositioned')) {
    const had = firstDispositions(existing);
    const added = [...firstDispositions(rows).values()].filter((d) => !had.has(d.interactionId));
    await keepFcr(db, added, deltas);
  }
  await addRollupDeltas(db, deltas.values());
  if (!live) return undefined;
  // The caller inserts the rows next; once they are in, the calls' logs are what is now in the table.
  return () => {
    // A rollback came first, or the cache was dropped: nothing is kept.
    if (sqliteRollbackCount(db) !== rollbacksBefore || liveLogsByAdapter.get(db.getExecutor().adapter) !== live) return;
    const logs = new Map<string, StatEventRow[]>();
    for (const r of existing) logs.set(r.interaction_id!, [...(logs.get(r.interaction_id!) ?? []), r]);
    const kept = rows.map(statRowOf);
    keepParsedEvents(kept);
    for (const r of kept) logs.set(r.interaction_id!, [...(logs.get(r.interaction_id!) ?? []), r]);
    for (const id of scope) {
      live.logs.delete(id); // re-inserted last: the least recently written call is evicted first
      live.logs.set(id, { rows: logs.get(id) ?? [], ...(scope.size === 1 && named.length === 0 ? { contacts: after } : {}) });
    }
    for (const id of live.logs.keys()) {
      if (live.logs.size <= LIVE_LOGS_MAX) break;
      live.logs.delete(id);
    }
  };
}

export type StateRow = {
  user_id: string;
  at: string;
  status: string;
  reason: string | null;
};
type AgentStateRollupRow = {
  day: number;
  user_id: string;
  status: string;
  reason: string;
  ms: number;
};

const addDayStateRows = preparedRows<AgentStateRollupRow>('agent_state_rollups.add', (db, rows) =>
  db
    .insertInto('agent_state_rollups')
    .values(rows.map((r) => slotsOf(r, ['day', 'user_id', 'status', 'reason', 'ms'])))
    .onConflict((oc) =>
      oc.columns(['day', 'user_id', 'status', 'reason']).doUpdateSet((eb) => ({
        ms: eb(eb.ref('agent_state_rollups.ms'), '+', eb.ref('excluded.ms')),
      })),
    ),
);

type AgentStateMonthRow = Omit<AgentStateRollupRow, 'day'> & { month: number };

const addMonthStateRows = preparedRows<AgentStateMonthRow>('agent_state_month_rollups.add', (db, rows) =>
  db
    .insertInto('agent_state_month_rollups')
    .values(rows.map((r) => slotsOf(r, ['month', 'user_id', 'status', 'reason', 'ms'])))
    .onConflict((oc) =>
      oc.columns(['month', 'user_id', 'status', 'reason']).doUpdateSet((eb) => ({
        ms: eb(eb.ref('agent_state_month_rollups.ms'), '+', eb.ref('excluded.ms')),
      })),
    ),
);

/** Adds state time to the day rows and to the month rows (migration 0031) together. */
async function addAgentStateRows(db: Db, rows: readonly AgentStateRollupRow[]): Promise<void> {
  await addDayStateRows(db, [...rows]);
  const months = new Map<string, AgentStateMonthRow>();
  for (const r of rows) {
    const month = kstMonthStartOf(r.day);
    const key = `${month}|${r.user_id}|${r.status}|${r.reason}`;
    const m = months.get(key);
    if (m) m.ms += r.ms;
    else months.set(key, { month, user_id: r.user_id, status: r.status, reason: r.reason, ms: r.ms });
  }
  await addMonthStateRows(db, [...months.values()]);
}

/** Time of each closed state interval (a state until the agent's next change), split by KST day. */
function addStateIntervals(into: Map<string, AgentStateRollupRow>, chain: readonly StateRow[]): void {
  for (let i = 0; i + 1 < chain.length; i++) {
    const a = chain[i]!;
    const from = Date.parse(a.at);
    const to = Date.parse(chain[i + 1]!.at);
    for (const [day, ms] of splitByKstDay(from, to)) {
      const reason = a.reason ?? '';
      const key = `${day}|${a.user_id}|${a.status}|${reason}`;
      const row = into.get(key);
      if (row) row.ms += ms;
      else
        into.set(key, {
          day,
          user_id: a.user_id,
          status: a.status,
          reason,
          ms,
        });
    }
  }
}

/** Each agent's latest state change (by time, then id): one indexed look-up per agent (agent_state_changes_user_at_idx). */
export async function latestStateChanges(db: Db, userIds: readonly string[]): Promise<Map<string, StateRow>> {
  const out = new Map<string, StateRow>();
  const rows = await Promise.all(userIds.map((user) => latestStateChange(db, { user })));
  rows.forEach(([row], i) => row && out.set(userIds[i]!, row));
  return out;
}

const latestStateChange = prepared<{ user: string }, StateRow>('agent_state_changes.latest', (db, p) =>
  db.selectFrom('agent_state_changes').select(['user_id', 'at', 'status', 'reason']).where('user_id', '=', p.user).orderBy('at', 'desc').orderBy('id', 'desc').limit(1),
);

/**
 * Keeps agent_state_rollups in step with agent state changes about to be appended (call before inserting them, in
 * the same transaction): the interval each new change closes (the agent's previous state) is added, split by KST day.
 * Changes are appended in time order per agent (the ACD writes them as they happen). `known`: each agent's latest
 * change already committed, where the caller knows it (the ACD's persistence), so it is not read again.
 */
export async function keepAgentStateRollups(db: Db, added: readonly Insertable<AgentStateChangeTable>[], known?: ReadonlyMap<string, StateRow>): Promise<void> {
  if (added.length === 0) return;
  const users = [...new Set(added.map((r) => r.user_id))];
  // The ACD, the one writer of the state log, knows each agent's latest committed change: only the others are read.
  const unknown = known ? users.filter((u) => !known.has(u)) : users;
  const latest = unknown.length > 0 ? await latestStateChanges(db, unknown) : new Map<string, StateRow>();
  if (known) for (const u of users) if (known.has(u)) latest.set(u, known.get(u)!);
  const into = new Map<string, AgentStateRollupRow>();
  for (const user of users) {
    const prev = latest.get(user);
    const chain: StateRow[] = [
      ...(prev ? [prev] : []),
      ...added
        .filter((r) => r.user_id === user)
        .map((r) => ({
          user_id: r.user_id,
          at: r.at,
          status: r.status,
          reason: r.reason ?? null,
        })),
    ];
    addStateIntervals(into, chain);
  }
  const rows = [...into.values()].filter((r) => r.ms !== 0);
  if (rows.length > 0) await addAgentStateRows(db, rows);
}

/**
 * Recomputes every rollup from the raw rows (npm run stats:rebuild, and the test that proves the kept rollups equal
 * it): contacts page by page of interaction ids, agent states agent by agent in time order, first-contact resolution
 * in one SQL pass over the dispositions. Run it in a transaction, or on a database nothing else writes to.
 */
export async function rebuildRollups(db: Db, onProgress?: (done: number) => void): Promise<{ contacts: number; stateChanges: number; handOffs: number }> {
  for (const table of ['stat_rollups', 'stat_callbacks', 'stat_dispositions', 'agent_state_rollups', 'agent_state_month_rollups'] as const) await db.deleteFrom(table).execute();
  let last: string | null = null;
  let contacts = 0;
  const deltas = new Map<string, RollupDelta>();
  for (;;) {
    let page = db.selectFrom('interactions').select('id');
    if (last !== null) page = page.where('id', '>', last);
    const ids = (await page.orderBy('id').limit(2000).execute()).map((r) => r.id);
    if (ids.length === 0) break;
    last = ids[ids.length - 1]!;
    const scope = new Set(ids);
    const rows = await eventsOf(db, ids);
    const named = callbackIdsOf(rows).filter((id) => !scope.has(id));
    const answers = named.length > 0 ? await eventsOf(db, named, ['call_answered']) : [];
    const { found, dispositions } = await addWholeContacts(db, rows, answers, scope, deltas);
    if (dispositions.length > 0) await insertDispositionRows(db, dispositions.map(dispositionRowOf));
    contacts += found;
    onProgress?.(contacts);
  }
  await addRollupDeltas(db, deltas.values());
  await rebuildFcr(db);
  const stateChanges = await rebuildAgentStates(db);
  return { contacts, stateChanges, handOffs: await rebuildHandOffRollups(db) };
}

/**
 * The contributions of contacts whose whole log is `rows` (with `answers`: the answers of callbacks they name that
 * lie outside `scope`), added to `deltas`; their callback rows written. Returns how many contacts and their first
 * dispositions (first-contact resolution is the caller's: one SQL pass in the rebuild, keepFcr for a new day).
 * The one derivation of the rebuild and of logs written whole (keepNewContactRollups).
 */
async function addWholeContacts(
  db: Db,
  rows: readonly StatEventRow[],
  answers: readonly StatEventRow[],
  scope: ReadonlySet<string>,
  deltas: Map<string, RollupDelta>,
): Promise<{ found: number; dispositions: DispositionFact[] }> {
  const derived = statContactsOf(answers.length > 0 ? [...rows, ...answers] : rows);
  const found = derived.contacts.filter((c) => scope.has(c.interactionId));
  for (const c of found) addContribution(deltas, c, 1);
  const callbacks = found.map(callbackRowOf).filter((r): r is CallbackRow => r !== null);
  if (callbacks.length > 0) await insertCallbackRows(db, callbacks);
  const ownEvents = answers.length > 0 ? derived.events.filter((e) => scope.has(e.interactionId)) : derived.events;
  return { found: found.length, dispositions: [...firstDispositions(rows, ownEvents).values()] };
}

/**
 * Keeps the rollups for contacts written whole, in bulk (simulated history's day: call before inserting the rows, in
 * the same transaction). Precondition, the caller's to keep: every contact in `rows` is new (no event of it is logged
 * yet) and `rows` hold all its events, including the answers of the callbacks it names; nothing else writes events
 * of these contacts meanwhile. Then the contacts' "before" is empty and nothing needs to be read back or locked: the
 * contributions come from the rebuild's derivation (addWholeContacts), first-contact resolution is kept against the
 * dispositions already logged (keepFcr, as on the live path), and the deltas are added once.
 */
export async function keepNewContactRollups(db: Db, added: readonly StatEventRow[]): Promise<void> {
  const rows = added.filter((r) => r.interaction_id && STAT_TYPES.has(r.type));
  if (rows.length === 0) return;
  const scope = new Set(rows.map((r) => r.interaction_id!));
  const deltas = new Map<string, RollupDelta>();
  const { dispositions } = await addWholeContacts(db, rows, [], scope, deltas);
  await keepFcr(db, dispositions, deltas);
  await addRollupDeltas(db, deltas.values());
}

async function rebuildFcr(db: Db): Promise<void> {
  const identified = sql`d.caller_key is not null and d.category_id is not null`;
  const rows = await db
    .selectFrom('stat_dispositions as d')
    .select([
      sql<number>`d.at_ms - ((d.at_ms + 32400000) % 86400000)`.as('bucket'),
      sql<number>`sum(case when ${identified} then 0 else 1 end)`.as('unidentified'),
      sql<number>`sum(case when ${identified} then 1 else 0 end)`.as('contacts'),
      sql<number>`sum(case when ${identified} and d.outcome = 'resolved' and not exists (
        select 1 from stat_dispositions r where r.caller_key = d.caller_key and r.category_id = d.category_id
        and r.at_ms > d.at_ms and r.at_ms <= d.at_ms + ${FCR_WINDOW_MS}) then 1 else 0 end)`.as('resolved'),
    ])
    .groupBy(sql`d.at_ms - ((d.at_ms + 32400000) % 86400000)`)
    .execute();
  const deltas: RollupDelta[] = rows.map((r) => {
    const d: RollupDelta = {
      grain: 'fcr',
      bucket: Number(r.bucket),
      dim: '',
      counts: Object.fromEntries(ROLLUP_COUNTERS.map((k) => [k, 0])) as RollupDelta['counts'],
    };
    d.counts.fcr_contacts = Number(r.contacts);
    d.counts.fcr_resolved = Number(r.resolved);
    d.counts.fcr_unidentified = Number(r.unidentified);
    return d;
  });
  await addRollupDeltas(db, deltas);
}

async function rebuildAgentStates(db: Db): Promise<number> {
  const users = (await db.selectFrom('agent_state_changes').select('user_id').distinct().execute()).map((r) => r.user_id);
  let count = 0;
  for (const user of users) {
    let carry: (StateRow & { id: string }) | null = null;
    for (;;) {
      let q = db.selectFrom('agent_state_changes').select(['id', 'user_id', 'at', 'status', 'reason']).where('user_id', '=', user);
      if (carry) {
        const c = carry;
        q = q.where((eb) => eb.or([eb('at', '>', c.at), eb.and([eb('at', '=', c.at), eb('id', '>', c.id)])]));
      }
      const page = await q.orderBy('at').orderBy('id').limit(20_000).execute();
      if (page.length === 0) break;
      const into = new Map<string, AgentStateRollupRow>();
      addStateIntervals(into, carry ? [carry, ...page] : page);
      const rows = [...into.values()].filter((r) => r.ms !== 0);
      if (rows.length > 0) await addAgentStateRows(db, rows);
      count += page.length;
      carry = page[page.length - 1]!;
    }
  }
  return count;
}

/**
 * A database written before the rollups existed (migration 0018 on a running centre; 0039 for the hand-offs) has raw
 * rows and no rollups: rebuild them once at start, in one transaction. Returns the counts, or null when nothing was needed.
 */
export async function rebuildRollupsIfMissing(db: Kysely<Database>): Promise<{ contacts: number; stateChanges: number; handOffs: number } | null> {
  const hasHandOffRollups = await db.selectFrom('handoff_rollups').select('day').limit(1).executeTakeFirst();
  const hasHandOffs = await db.selectFrom('handoffs').select('id').limit(1).executeTakeFirst();
  const hasRollups = await db.selectFrom('stat_rollups').select('grain').limit(1).executeTakeFirst();
  const hasEvents = await db.selectFrom('contact_events').select('id').where('type', 'in', ['call_queued', 'call_offered', 'call_dispositioned']).limit(1).executeTakeFirst();
  const hasStates = await db.selectFrom('agent_state_changes').select('id').limit(1).executeTakeFirst();
  if (!hasRollups && (hasEvents || hasStates)) return db.transaction().execute((trx) => rebuildRollups(trx));
  await db.transaction().execute((trx) => fillMonthRollupsIfMissing(trx));
  if (!hasHandOffRollups && hasHandOffs) return { contacts: 0, stateChanges: 0, handOffs: await db.transaction().execute((trx) => rebuildHandOffRollups(trx)) };
  await db.transaction().execute((trx) => fillHandOffWaitMonthsIfMissing(trx)); // answer times' month rows (0041) of day rows written before them
  return null;
}
