import type { ByAgentQuery } from '../../../core/contracts/statistics';
import type { ProtectionReport } from '../../../core/contracts/protection';
import { ABUSE_TYPES, ABUSE_TYPE_LABELS, type AbuseType } from '../../../core/domain/protection';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import type { SessionUser } from '../../http/access';
import type { BreakService } from '../protection/breaks.service';
import type { StatsExport } from './statistics.export';
import { resolvePeriod } from './statistics.service';

/**
 * 통계 › 상담사 보호 (issue #14 §5): the protection figures of a period, from the append-only protection tables
 * (incidents with their corrections, 회복 started and extended, requests, caller flags) and the scheduled breaks.
 * An agent sees only their own (another agent asked: 403 FORBIDDEN); supervisors and admins everyone's.
 */

const iso = (ms: number) => new Date(ms).toISOString();

async function incidentsOf(db: Db, from: string, to: string, agentId?: string) {
  // Incidents that happened in the period (their first version), each as its latest version says (type corrected).
  let first = db.selectFrom('protection_incidents').select('incident_id').where('version', '=', 1).where('recorded_at', '>=', from).where('recorded_at', '<', to);
  if (agentId) first = first.where('agent_id', '=', agentId);
  const rows = await db
    .selectFrom('protection_incidents')
    .select(['incident_id', 'version', 'agent_id', 'type', 'end_kind', 'caller_index', 'ended_at', 'recorded_at'])
    .where('incident_id', 'in', first)
    .orderBy('incident_id')
    .orderBy('version')
    .execute();
  const byId = new Map<string, (typeof rows)[number] & { at: string }>();
  for (const r of rows) {
    const seen = byId.get(r.incident_id);
    byId.set(r.incident_id, { ...r, at: seen?.at ?? r.ended_at ?? r.recorded_at });
  }
  return [...byId.values()];
}

export async function protectionReport(deps: Pick<AppDeps, 'db' | 'clock'>, breaks: BreakService, user: SessionUser, q: ByAgentQuery): Promise<ProtectionReport> {
  if (user.role === 'agent' && q.agent && q.agent !== user.id) throw new AppError('FORBIDDEN', '다른 상담사의 보호 통계는 볼 수 없습니다.', { agent: q.agent });
  const agentId = user.role === 'agent' ? user.id : q.agent;
  const db = deps.db;
  if (agentId && user.role !== 'agent') {
    const found = await db.selectFrom('users').select('role').where('id', '=', agentId).executeTakeFirst();
    if (!found || (found.role !== 'agent' && found.role !== 'supervisor')) throw new AppError('NOT_FOUND', '상담사를 찾을 수 없습니다.', { field: 'agent' });
  }
  const now = deps.clock.now();
  const period = resolvePeriod(q, now);
  const from = iso(period.from);
  const to = iso(period.to);
  let recoveriesQ = db.selectFrom('protection_recoveries').select(['agent_id', 'seconds']).where('at', '>=', from).where('at', '<', to);
  let requestsQ = db.selectFrom('protection_requests').select(['agent_id', 'status']).where('kind', '=', 'counselling').where('created_at', '>=', from).where('created_at', '<', to);
  if (agentId) {
    recoveriesQ = recoveriesQ.where('agent_id', '=', agentId);
    requestsQ = requestsQ.where('agent_id', '=', agentId);
  }
  const [incidents, recoveries, requests, flags, breakDays] = await Promise.all([
    incidentsOf(db, from, to, agentId),
    recoveriesQ.execute(),
    requestsQ.execute(),
    db.selectFrom('caller_flags').select(['caller_index', 'flagged_at', 'expires_at', 'cleared_at']).execute(),
    breaks.summary(period.fromDay, period.toDay, agentId),
  ]);

  type Row = ProtectionReport['byAgent'][number];
  const agents = new Map<string, Row>();
  const rowOf = (id: string) => {
    let r = agents.get(id);
    if (!r) agents.set(id, (r = { agentId: id, agentName: '', incidents: 0, recoveryMinutes: 0, counsellingRequests: 0, breaksTaken: 0, breaksMissed: 0 }));
    return r;
  };
  const byType = new Map<AbuseType, number>(ABUSE_TYPES.map((t) => [t, 0]));
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0 }));
  const flagOf = (index: string, at: string) =>
    flags.some((f) => f.caller_index === index && f.flagged_at <= at && at < f.expires_at && (f.cleared_at === null || at < f.cleared_at));
  const byCallerFlag = { flagged: 0, notFlagged: 0, unknownCaller: 0, repeatCallers: 0, repeatFlaggedCallers: 0 };
  const perCaller = new Map<string, { count: number; flagged: boolean }>();
  let emergencyEnds = 0;
  for (const i of incidents) {
    rowOf(i.agent_id).incidents++;
    byType.set(i.type as AbuseType, (byType.get(i.type as AbuseType) ?? 0) + 1);
    byHour[new Date(Date.parse(i.at) + 9 * 3_600_000).getUTCHours()]!.count++;
    if (i.end_kind === 'emergency') emergencyEnds++;
    if (!i.caller_index) {
      byCallerFlag.unknownCaller++;
      continue;
    }
    const flagged = flagOf(i.caller_index, i.at);
    if (flagged) byCallerFlag.flagged++;
    else byCallerFlag.notFlagged++;
    const c = perCaller.get(i.caller_index) ?? { count: 0, flagged: false };
    perCaller.set(i.caller_index, { count: c.count + 1, flagged: c.flagged || flagged });
  }
  for (const c of perCaller.values()) {
    if (c.count < 2) continue;
    byCallerFlag.repeatCallers++;
    if (c.flagged) byCallerFlag.repeatFlaggedCallers++;
  }
  for (const r of recoveries) rowOf(r.agent_id).recoveryMinutes += r.seconds / 60;
  for (const r of requests) rowOf(r.agent_id).counsellingRequests++;
  for (const [id, b] of breakDays) Object.assign(rowOf(id), { breaksTaken: b.taken, breaksMissed: b.missed });
  const ids = [...agents.keys()];
  const names = ids.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  for (const n of names) agents.get(n.id)!.agentName = n.name;
  const byAgent = [...agents.values()].sort((a, b) => b.incidents - a.incidents || a.agentName.localeCompare(b.agentName, 'ko'));
  const sum = (f: (r: Row) => number) => byAgent.reduce((s, r) => s + f(r), 0);
  return {
    period: { fromDay: period.fromDay, toDay: period.toDay, from, to },
    asOf: now.toISOString(),
    totals: {
      incidents: incidents.length,
      emergencyEnds,
      recoveryMinutes: sum((r) => r.recoveryMinutes),
      counsellingRequests: requests.length,
      counsellingDone: requests.filter((r) => r.status === 'done').length,
      breaksTaken: sum((r) => r.breaksTaken),
      breaksMissed: sum((r) => r.breaksMissed),
    },
    byType: [...byType.entries()].map(([type, count]) => ({ type, count })),
    byHour,
    byAgent,
    byCallerFlag,
  };
}

/** The report as a file (CSV/XLSX through the statistics' writer): 합계, 유형별, 시간대별, 상담사별, 민원인 지정별. */
export function protectionExport(r: ProtectionReport): StatsExport {
  const p = r.period;
  const col = (header: string, kind: 'text' | 'int', width?: number) => (width ? { header, kind, width } : { header, kind });
  return {
    report: 'protection',
    name: '상담사 보호 통계',
    period: p.fromDay === p.toDay ? p.fromDay : `${p.fromDay} ~ ${p.toDay}`,
    days: p.fromDay === p.toDay ? p.fromDay : `${p.fromDay}_${p.toDay}`,
    tables: [
      {
        title: '합계',
        columns: [col('사건', 'int'), col('긴급종료', 'int'), col('회복(분)', 'int'), col('심리상담 요청', 'int'), col('심리상담 완료', 'int'), col('휴식', 'int'), col('놓친 휴식', 'int')],
        rows: [[r.totals.incidents, r.totals.emergencyEnds, Math.round(r.totals.recoveryMinutes), r.totals.counsellingRequests, r.totals.counsellingDone, r.totals.breaksTaken, r.totals.breaksMissed]],
      },
      { title: '유형별', columns: [col('유형', 'text', 16), col('사건', 'int')], rows: r.byType.map((t) => [ABUSE_TYPE_LABELS[t.type], t.count]) },
      { title: '시간대별', columns: [col('시', 'text'), col('사건', 'int')], rows: r.byHour.map((h) => [`${String(h.hour).padStart(2, '0')}시`, h.count]) },
      {
        title: '상담사별',
        columns: [col('상담사', 'text', 14), col('사건', 'int'), col('회복(분)', 'int'), col('심리상담 요청', 'int'), col('휴식', 'int'), col('놓친 휴식', 'int')],
        rows: r.byAgent.map((a) => [a.agentName, a.incidents, Math.round(a.recoveryMinutes), a.counsellingRequests, a.breaksTaken, a.breaksMissed]),
      },
      {
        title: '민원인 지정별',
        columns: [col('지정 중 민원인', 'int'), col('지정 안 된 민원인', 'int'), col('번호 없음', 'int'), col('반복 민원인', 'int'), col('반복 민원인(지정 중)', 'int')],
        rows: [[r.byCallerFlag.flagged, r.byCallerFlag.notFlagged, r.byCallerFlag.unknownCaller, r.byCallerFlag.repeatCallers, r.byCallerFlag.repeatFlaggedCallers]],
      },
    ],
  };
}
