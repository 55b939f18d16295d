import type { Insertable } from 'kysely';
import type { Config } from '../../config';
import { parseDatabaseUrl } from '../../config';
import { createAppDeps, type AppDeps } from '../../deps';
import { appendEvents, type ContactEventInput } from '../../modules/events/events.repository';
import { simulateHistory, yesterdayKst } from '../../modules/simulation/history-simulator';
import { openSimulationDatabase } from '../../modules/simulation/simulation-db';
import { insertInteractions } from '../../modules/simulation/simulation.repository';
import type { AgentStateChangeTable, InteractionTable } from '../tables';
import { addDays, kstDayStart } from '../../../core/domain/statistics';
import { newId } from '../../lib/ids';
import { keepAgentStateRollups, type StateRow } from '../../modules/statistics/rollups.repository';
import { insertBulk } from '../../modules/simulation/bulk-insert';

/**
 * Weeks of simulated calls beside the demo data (issues #12 §3 and #19 "History"), so that a supervisor opening
 * 통계 › 서비스 수준 and 운영 › 인력 산정 on a fresh demo sees figures: the demo seed has two months of cases but no queue
 * events, and 인력 산정 plans from the last four weeks of them.
 *
 * The calls come from the history simulator (server/modules/simulation/history-simulator.ts: the day model's arrival
 * curve, seasons, weekends and holidays closed, a first-come-first-served queue), which writes into an empty database
 * of its own: here a throwaway in-memory one. Its calls are then copied into the demo's database as the demo's own —
 * answered by the demo's agents (by login order), queued in the demo's queues (by IVR choice on 120), caller numbers
 * sealed with the demo's vault — through the one event write path (appendEvents), so the statistics' rollups stay
 * equal to the raw log. One transaction per day, oldest first: a reader sees whole days, and once the newest day is
 * there the whole history is. Each day is simulated alone (its own seeded day, as in a longer run; callers who ring
 * again on a later day are not carried over).
 *
 * Each handled call keeps how the agent closed it (`call_dispositioned`: 직접처리 or 이관 and the 업무, mapped by code
 * to the demo's taxonomy), so 업무별, 직접처리율 and FCR count it. The agents' state log comes too (logged in at 08:25,
 * on call, after-call work, lunch, logged out when the line is empty), so 상담사별 shows occupancy and not-ready time:
 * each day's rows are older than anything the ACD writes live (the history ends yesterday), and their rollups are kept
 * in the day's transaction by continuing each agent's own chain (the latest change before the history for the first
 * day, then the previous day's last), never the live state. Left out on purpose: the case and hand-off rows (the
 * demo's own two months of cases, their 접수번호 and people, are what 상담 이력 and 부서별 show, and the journeys rely
 * on them: thousands of simulated cases and open hand-offs would bury them in every list and inbox).
 */

export type DemoHistoryOptions = {
  /** Weeks before today (default 4: what 인력 산정 reads by default). */
  weeks?: number;
  /** Calls of an average working day before the weekday and season factors (default 1,111: Gimpo's busiest days). */
  callsPerDay?: number;
  seed?: string;
};

export type DemoHistoryResult = { fromDay: string; toDay: string; days: number; openDays: number; interactions: number; events: number; stateChanges: number; wallMs: number };

export async function seedDemoHistory(deps: AppDeps, config: Config, options: DemoHistoryOptions = {}): Promise<DemoHistoryResult> {
  const started = performance.now();
  const agents = await deps.db.selectFrom('users').select('id').where('role', '=', 'agent').where('is_active', '=', 1).orderBy('login').execute();
  if (agents.length === 0) throw new Error('the demo has no agents to give the history to');
  const demoQueues = new Map(
    (await deps.db.selectFrom('acd_queue_routes').select(['queue_id', 'ivr_choice']).where('dialled_number', '=', '120').execute()).map((r) => [r.ivr_choice, r.queue_id]),
  );

  const demoCategories = new Map((await deps.db.selectFrom('categories').select(['id', 'code']).execute()).map((c) => [c.code, c.id]));
  const days = 7 * (options.weeks ?? 4);
  const toDay = yesterdayKst(deps.clock.now());
  const result: DemoHistoryResult = { fromDay: addDays(toDay, -(days - 1)), toDay, days, openDays: 0, interactions: 0, events: 0, stateChanges: 0, wallMs: 0 };
  // Each demo agent's state chain the history continues: its latest change before the history (none: its first row).
  const chain = await stateChainsBefore(deps, agents, kstDayStart(result.fromDay));
  // A day at a time, each in a scratch database of its own: the simulator runs without yielding (an in-memory
  // SQLite answers synchronously), so one call for four weeks would hold the server for a minute; a day is a second.
  for (let i = 0; i < days; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const day = addDays(result.fromDay, i);
    const scratch = await openSimulationDatabase(parseDatabaseUrl(':memory:', config.dataDir));
    try {
      const sim = createAppDeps(config, scratch, deps.clock, deps.vault);
      const r = await simulateHistory(sim, {
        days: 1,
        toDay: day,
        seed: options.seed ?? 'demo',
        callsPerDay: options.callsPerDay ?? 1_111,
        agents: agents.length,
        holidays: deps.holidays,
      });
      result.openDays += r.openDays;
      const copied = await copyDay(sim, deps, agents, demoQueues, demoCategories, chain);
      result.interactions += copied.interactions;
      result.events += copied.events;
      result.stateChanges += copied.stateChanges;
    } finally {
      await scratch.close();
    }
  }
  result.wallMs = performance.now() - started;
  return result;
}

/** Per demo agent, its latest state change before `beforeMs` (the chain the history's rows continue), where it has one. */
async function stateChainsBefore(deps: AppDeps, agents: readonly { id: string }[], beforeMs: number): Promise<Map<string, StateRow>> {
  const out = new Map<string, StateRow>();
  const before = new Date(beforeMs).toISOString();
  for (const a of agents) {
    const row = await deps.db
      .selectFrom('agent_state_changes')
      .select(['user_id', 'at', 'status', 'reason'])
      .where('user_id', '=', a.id)
      .where('at', '<', before)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row) out.set(a.id, row);
  }
  return out;
}

/**
 * One simulated day's calls, their events (with the category each was closed with, no cases) and the agents' state
 * changes into the demo's database as the demo's own, in one transaction. `chain`: each demo agent's last state change
 * before this day, moved on to the day's last.
 */
async function copyDay(
  sim: AppDeps,
  deps: AppDeps,
  agents: readonly { id: string }[],
  demoQueues: ReadonlyMap<string, string>,
  demoCategories: ReadonlyMap<string, string>,
  chain: Map<string, StateRow>,
): Promise<{ interactions: number; events: number; stateChanges: number }> {
  // The simulated centre's people and queues → the demo's.
  const simAgents = await sim.db.selectFrom('users').select('id').where('role', '=', 'agent').orderBy('login').execute();
  const agentOf = new Map(simAgents.map((a, i) => [a.id, agents[i % agents.length]!.id]));
  const simRoutes = await sim.db.selectFrom('acd_queue_routes').select(['queue_id', 'ivr_choice']).execute();
  const queueOf = new Map(simRoutes.map((q) => [q.queue_id, demoQueues.get(q.ivr_choice) ?? null]));
  const mapAgent = (id: string | null) => (id === null ? null : (agentOf.get(id) ?? null));
  // Both taxonomies come from the same seed files: the same codes.
  const simCategories = await sim.db.selectFrom('categories').select(['id', 'code']).execute();
  const categoryOf = new Map(simCategories.map((c) => [c.id, demoCategories.get(c.code) ?? null]));

  const interactions = await sim.db.selectFrom('interactions').selectAll().orderBy('started_at').execute();
  const events = await sim.db
    .selectFrom('contact_events')
    .select(['at', 'type', 'interaction_id', 'actor_id', 'detail', 'data'])
    .where('case_id', 'is', null)
    .where('handoff_id', 'is', null)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const rows: Insertable<InteractionTable>[] = interactions.map((row) => ({ ...row, agent_id: mapAgent(row.agent_id), citizen_id: null }));
  const inputs: ContactEventInput[] = events.map((e) => {
    const data = e.data ? (JSON.parse(e.data) as Record<string, unknown>) : null;
    if (data && typeof data.queueId === 'string') data.queueId = queueOf.get(data.queueId) ?? data.queueId;
    if (data && typeof data.categoryId === 'string') data.categoryId = categoryOf.get(data.categoryId) ?? null;
    return { type: e.type, at: e.at, interactionId: e.interaction_id, actorId: mapAgent(e.actor_id), detail: e.detail, data };
  });
  const states: Insertable<AgentStateChangeTable>[] = (
    await sim.db.selectFrom('agent_state_changes').select(['user_id', 'at', 'status', 'reason']).orderBy('at').orderBy('id').execute()
  ).flatMap((r) => {
    const user = mapAgent(r.user_id);
    return user ? [{ id: newId(), user_id: user, at: r.at, status: r.status, reason: r.reason, source: 'simulation', contact_id: null }] : [];
  });
  // An agent without a change before the history starts its chain at its first row (nothing to close before it).
  const known = new Map(chain);
  for (const r of states) if (!known.has(r.user_id)) known.set(r.user_id, { user_id: r.user_id, at: r.at, status: r.status, reason: r.reason ?? null });
  await deps.db.transaction().execute(async (trx) => {
    await insertInteractions(trx, rows);
    await appendEvents(trx, inputs);
    await keepAgentStateRollups(trx, states, known);
    await insertBulk(trx, 'agent_state_changes', states);
  });
  for (const r of states) chain.set(r.user_id, { user_id: r.user_id, at: r.at, status: r.status, reason: r.reason ?? null });
  return { interactions: rows.length, events: inputs.length, stateChanges: states.length };
}
