import type { AgentBreak, BreakPlans, MyBreaks } from '../../../core/contracts/breaks';
import type { AgentStatus } from '../../../core/domain/agent-state';
import {
  BREAK_REASON,
  EMPTY_BREAK_PLAN,
  breakAction,
  isOnBreak,
  kstDayOf,
  nextBreak,
  postponedMinutes,
  validateBreakPlan,
  type BreakKind,
  type BreakPlan,
} from '../../../core/domain/breaks';
import { stateDurations } from '../../../core/domain/protection';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import type { AcdService } from '../acd/acd.service';
import type { Viewer } from '../privacy/access-context';
import * as repo from './breaks.repository';
import { findUserName, listStateChanges } from './protection.repository';

type Agent = { agentId: string; name: string; status: AgentStatus; reason: string | null };
const OPEN = ['due', 'pending', 'on_break'];
const isSupervisor = (v: Viewer) => v.role === 'supervisor' || v.role === 'admin';
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const isHandling = (s: AgentStatus) => s === 'reserved' || s === 'on_call' || s === 'on_hold' || s === 'consulting' || s === 'after_call_work';

/** What one check of the scheduler did (tests assert it). */
export type BreakTickResult = { started: number; afterCall: number; taken: number; missed: number };

/**
 * Scheduled breaks (issue #14 §4): the plans (the centre's default and each agent's own) and the check that puts
 * breaks due, sends idle agents on their break (not ready, 휴식 or 점심), leaves an agent on a call until the call and
 * its wrap-up are over (the ACD's pending not-ready: a call is never cut), records when the break started and ended,
 * and marks a break missed when it could not start within the grace time. Runs on deps.clock
 * (server/jobs/break-scheduler.ts every 15 s; tests call {@link tick} on their fake clock).
 */
export class BreakService {
  private defaultPlan: BreakPlan = EMPTY_BREAK_PLAN;
  private readonly plans = new Map<string, BreakPlan>();

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock'>,
    private readonly acd: AcdService,
  ) {}

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  async start(): Promise<void> {
    this.plans.clear();
    this.defaultPlan = EMPTY_BREAK_PLAN;
    for (const r of await repo.listPlanRows(this.deps.db)) {
      const plan = JSON.parse(r.plan) as BreakPlan;
      if (r.agent_id) this.plans.set(r.agent_id, plan);
      else this.defaultPlan = plan;
    }
  }

  planFor(agentId: string): BreakPlan {
    return this.plans.get(agentId) ?? this.defaultPlan;
  }

  async listPlans(): Promise<BreakPlans> {
    const rows = await repo.listPlanRows(this.deps.db);
    const agents = rows.filter((r) => r.agent_id).map((r) => ({ agentId: r.agent_id!, agentName: r.agent_name ?? '', plan: JSON.parse(r.plan) as BreakPlan }));
    agents.sort((a, b) => a.agentName.localeCompare(b.agentName, 'ko'));
    return { defaultPlan: this.defaultPlan, agents };
  }

  /** A supervisor sets the centre's default (agentId null) or one agent's plan; VALIDATION_FAILED with the reasons. */
  async savePlan(viewer: Viewer, agentId: string | null, plan: BreakPlan): Promise<BreakPlans> {
    const problems = validateBreakPlan(plan);
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join(' '), { problems });
    if (agentId && !(await findUserName(this.deps.db, agentId))) throw new AppError('NOT_FOUND', '상담사를 찾을 수 없습니다.');
    await repo.savePlanRow(this.deps.db, agentId, JSON.stringify(plan), new Date(this.now()).toISOString(), viewer.id);
    if (agentId) this.plans.set(agentId, plan);
    else this.defaultPlan = plan;
    return this.listPlans();
  }

  /** The agent follows the centre's default again. */
  async clearPlan(agentId: string): Promise<BreakPlans> {
    await repo.deletePlanRow(this.deps.db, agentId);
    this.plans.delete(agentId);
    return this.listPlans();
  }

  private present(r: repo.AgentBreakRow, now: number): AgentBreak {
    const startedAt = r.started_at ? Date.parse(r.started_at) : null;
    const endedAt = r.ended_at ? Date.parse(r.ended_at) : r.status === 'on_break' ? now : null;
    return {
      id: r.id,
      agentId: r.agent_id,
      agentName: r.agent_name,
      day: r.day,
      slot: r.slot,
      kind: r.kind as BreakKind,
      minutes: r.minutes,
      dueAt: r.due_at,
      status: r.status as AgentBreak['status'],
      startedAt: r.started_at,
      endedAt: r.ended_at,
      postponedMinutes: postponedMinutes(Date.parse(r.due_at), startedAt),
      restedMinutes: startedAt !== null && endedAt !== null ? Math.round((endedAt - startedAt) / 6_000) / 10 : 0,
    };
  }

  /** The breaks of KST days from..to (supervisors: everyone's; agents: their own). */
  async listBreaks(viewer: Viewer, from: string, to: string = from, agentId?: string): Promise<AgentBreak[]> {
    const now = this.now();
    const rows = await repo.listBreaks(this.deps.db, from, to, isSupervisor(viewer) ? agentId : viewer.id);
    return rows.map((r) => this.present(r, now));
  }

  /** Logged-in time of an agent from `since` to `now`, ms (any state but logged out). */
  private async workedMs(agentId: string, since: number, now: number): Promise<number> {
    const log = await listStateChanges(this.deps.db, new Date(since - 86_400_000).toISOString(), new Date(now).toISOString(), agentId);
    const d = stateDurations(
      log.map((c) => ({ at: Date.parse(c.at), status: c.status })),
      since,
      now,
    );
    return Object.entries(d).reduce((sum, [status, s]) => (status === 'logged_out' ? sum : sum + s * 1000), 0);
  }

  /** The next break of an agent not on one: from the plan and the breaks of the day so far. */
  private async planned(agentId: string, day: string, now: number, mine: readonly repo.AgentBreakRow[]) {
    const plan = this.planFor(agentId);
    if (plan.slots.length === 0 && plan.everyMinutes === null) return null;
    let interval: { intervalCount: number; workedMs: number } | null = null;
    if (plan.everyMinutes !== null) {
      const lastEnd = mine.reduce((t, b) => Math.max(t, b.ended_at ? Date.parse(b.ended_at) : 0), Date.parse(`${day}T00:00:00+09:00`));
      interval = { intervalCount: mine.filter((b) => b.slot.startsWith('every-')).length, workedMs: await this.workedMs(agentId, lastEnd, now) };
    }
    return nextBreak(plan, day, now, new Set(mine.map((b) => b.slot)), interval);
  }

  /**
   * One check: moves the open breaks on (started, taken, missed) and puts each logged-in agent's next break due when
   * its time has come. Safe to run on two nodes at once: a slot is inserted once and a break moves only from the
   * status it was read in.
   */
  async tick(): Promise<BreakTickResult> {
    const now = this.now();
    const at = new Date(now).toISOString();
    const day = kstDayOf(now);
    const result: BreakTickResult = { started: 0, afterCall: 0, taken: 0, missed: 0 };
    const agents = new Map<string, Agent>(this.acd.wallboard().agents.map((a) => [a.agentId, a]));
    const rows = await repo.listBreaks(this.deps.db, dayBefore(day), day);
    for (const r of rows) if (OPEN.includes(r.status)) await this.advance(r, agents.get(r.agent_id), now, at, result);
    for (const a of agents.values()) {
      const mine = rows.filter((r) => r.agent_id === a.agentId && r.day === day);
      if (mine.some((r) => OPEN.includes(r.status))) continue;
      const next = await this.planned(a.agentId, day, now, mine);
      if (!next || next.dueAt > now) continue;
      const row = { id: newId(), agent_id: a.agentId, day, slot: next.slot, kind: next.kind, minutes: next.minutes, due_at: new Date(next.dueAt).toISOString(), status: 'due', started_at: null, ended_at: null, updated_at: at };
      if (await repo.insertBreak(this.deps.db, row)) await this.advance({ ...row, agent_name: a.name }, a, now, at, result);
    }
    return result;
  }

  private async advance(r: repo.AgentBreakRow, agent: Agent | undefined, now: number, at: string, result: BreakTickResult): Promise<void> {
    const kind = r.kind as BreakKind;
    const status = agent?.status ?? 'logged_out';
    const reason = agent?.reason ?? null;
    if (r.status === 'on_break') {
      if (!isOnBreak(status, reason, kind) && (await repo.moveBreak(this.deps.db, r.id, 'on_break', { status: 'taken', ended_at: at, updated_at: at }))) result.taken++;
      return;
    }
    if (r.status === 'pending') {
      if (isOnBreak(status, reason, kind)) {
        if (await repo.moveBreak(this.deps.db, r.id, 'pending', { status: 'on_break', started_at: at, updated_at: at })) result.started++;
        return;
      }
      if (isHandling(status)) return; // the call or its wrap-up goes on: never cut
      // The call is over without the break (회복 came first, or the agent took the pending pause back): due again.
      if (!(await repo.moveBreak(this.deps.db, r.id, 'pending', { status: 'due', updated_at: at }))) return;
    }
    const action = breakAction(status, reason, kind, Date.parse(r.due_at), now);
    if (action === 'missed') {
      if (await repo.moveBreak(this.deps.db, r.id, 'due', { status: 'missed', updated_at: at })) result.missed++;
    } else if (action === 'start' && agent) {
      if (status === 'available') await this.acd.setAgentState(agent.agentId, { status: 'not_ready', reason: BREAK_REASON[kind] }, 'supervisor');
      if (await repo.moveBreak(this.deps.db, r.id, 'due', { status: 'on_break', started_at: at, updated_at: at })) result.started++;
    } else if (action === 'after_call' && agent) {
      await this.acd.setAgentState(agent.agentId, { status: 'not_ready', reason: BREAK_REASON[kind] }, 'supervisor');
      if (await repo.moveBreak(this.deps.db, r.id, 'due', { status: 'pending', updated_at: at })) result.afterCall++;
    }
  }

  /** The desk's 휴식 panel: the break now and when it ends, the next one (the countdown), today's breaks. */
  async myBreaks(viewer: Viewer): Promise<MyBreaks> {
    const now = this.now();
    const day = kstDayOf(now);
    const rows = await repo.listBreaks(this.deps.db, day, day, viewer.id);
    const today = rows.map((r) => this.present(r, now));
    const on = rows.find((r) => r.status === 'on_break');
    const current = on?.started_at
      ? { kind: on.kind as BreakKind, startedAt: on.started_at, endsAt: new Date(Date.parse(on.started_at) + on.minutes * 60_000).toISOString() }
      : null;
    let next: MyBreaks['next'] = null;
    const open = rows.find((r) => r.status === 'due' || r.status === 'pending');
    const status = this.acd.agentActivity(viewer.id).status;
    if (open) next = { kind: open.kind as BreakKind, minutes: open.minutes, dueAt: open.due_at, afterCall: open.status === 'pending' || isHandling(status) };
    else if (!on && status !== 'logged_out') {
      const planned = await this.planned(viewer.id, day, now, rows);
      if (planned) next = { kind: planned.kind, minutes: planned.minutes, dueAt: new Date(planned.dueAt).toISOString(), afterCall: false };
    }
    return { current, next, today };
  }

  /** Per agent over KST days from..to: breaks taken, minutes rested, missed, postponed (wellbeing and reports). */
  async summary(from: string, to: string, agentId?: string): Promise<Map<string, { agentName: string; taken: number; minutes: number; missed: number; postponed: number }>> {
    const now = this.now();
    const out = new Map<string, { agentName: string; taken: number; minutes: number; missed: number; postponed: number }>();
    for (const r of await repo.listBreaks(this.deps.db, from, to, agentId)) {
      const b = this.present(r, now);
      const s = out.get(b.agentId) ?? { agentName: b.agentName, taken: 0, minutes: 0, missed: 0, postponed: 0 };
      if (b.status === 'taken' || b.status === 'on_break') s.taken++;
      if (b.status === 'missed') s.missed++;
      if (b.postponedMinutes > 0) s.postponed++;
      s.minutes += b.restedMinutes;
      out.set(b.agentId, s);
    }
    return out;
  }
}
