import type { AgentStateConfig } from '../../../core/domain/agent-state';
import { newId } from '../../lib/ids';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { insertQueue, replaceAgentSkills, replaceQueueRoutes } from './acd.repository';
import { AcdEngine } from './engine';
import type { AcdStartOptions } from './model';

/**
 * An ACD engine of its own on a real database (the run's dialect), for the rooms' tests: one queue TAX (120 → 1)
 * with a tax skill (a category), timers ticked by hand on the test's fake clock (Friday 2026-11-27 10:00 KST, open), the in-process
 * phone system connected to it. A room is tested through its own methods on `e.<room>`; `restart()` builds a second
 * engine on the same database, as a new process would.
 */
export type RoomHarness = {
  t: TestContext;
  e: AcdEngine;
  queueId: string;
  /** A new agent with the tax skill (level 1 unless given), known to the engine. */
  agent(level?: number): Promise<string>;
  /** Moves the fake clock on and runs the timers due. */
  advance(seconds: number): Promise<void>;
  /** A caller dials 120 → 1; the contact id. */
  call(callerNumber: string): Promise<{ callId: string; contactId: string }>;
  /** A second engine on the same database, rebuilt from it (a restart). */
  restart(): Promise<AcdEngine>;
  /** The contact's events in order. */
  eventsOf(contactId: string): Promise<string[]>;
  close(): Promise<void>;
};

const build = async (t: TestContext, options: AcdStartOptions): Promise<AcdEngine> => {
  const e = new AcdEngine(t.deps, { timers: 'manual', ...options });
  e.simulator.connect({ handleTelephonyEvent: (source, event) => e.calls.handleTelephonyEvent(source, event) });
  await e.reconciliation.load();
  return e;
};

export async function roomHarness(agentConfig: Partial<AgentStateConfig> = {}, options: AcdStartOptions = {}): Promise<RoomHarness> {
  const t = await createTestContext();
  const at = t.clock.now().toISOString();
  const queueId = newId();
  const skill = (await buildCategoryChain(t.deps.db, (await buildDepartment(t.deps.db)).id)).field.id;
  await insertQueue(t.deps.db, { id: queueId, code: 'TAX', name: '세무', skill, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: at, updated_at: at });
  await replaceQueueRoutes(t.deps.db, queueId, [{ id: newId(), dialled_number: '120', ivr_choice: '1' }]);
  const opts: AcdStartOptions = { agentConfig: { offerTimeoutSeconds: 15, maxMissedOffers: 2, wrapUpSeconds: 30, ...agentConfig }, ...options };
  const e = await build(t, opts);
  const engines = [e];
  return {
    t,
    e,
    queueId,
    async agent(level = 1) {
      const user = await buildUser(t.deps.db, { role: 'agent' });
      await replaceAgentSkills(t.deps.db, user.id, [{ skill, level }]);
      for (const x of engines) await x.reconciliation.reloadConfig();
      await e.agents.of(user.id);
      return user.id;
    },
    async advance(seconds) {
      t.clock.advance(seconds * 1000);
      await e.timers.tick();
    },
    async call(callerNumber) {
      const { callId, result } = await e.simulator.placeCall({ callerNumber, ivrChoice: '1' });
      const contactId = result.decision?.contactId;
      if (!contactId) throw new Error(`no contact for ${callerNumber}: ${JSON.stringify(result)}`);
      return { callId, contactId };
    },
    async restart() {
      const next = await build(t, opts);
      engines.push(next);
      return next;
    },
    async eventsOf(contactId) {
      const rows = await t.deps.db.selectFrom('contact_events').select('type').where('interaction_id', '=', contactId).orderBy('at').orderBy('id').execute();
      return rows.map((r) => r.type);
    },
    async close() {
      for (const x of engines) x.timers.stop();
      await t.close();
    },
  };
}
