import type { AgentDeskState, RealtimeServerMessage } from '../../../core/contracts/acd';
import type {
  CallProtection,
  CallerFlag,
  Incident,
  IncidentDetail,
  ProtectionRequest,
  ProtectionSettingsBody,
  QueueNotice,
  Wellbeing,
} from '../../../core/contracts/protection';
import { ProtectionSettingsSchema } from '../../../core/contracts/protection';
import type { Announcement } from '../../../core/contracts/telephony';
import { normalizePhone } from '../../../core/domain/phone';
import {
  ABUSE_TYPES,
  DEFAULT_PROTECTION_SETTINGS,
  DEFAULT_QUEUE_NOTICE_TEXT,
  assertMayEnd,
  assertRequestTransition,
  canEmergencyEnd,
  canEndAfterWarnings,
  flagExpiresAt,
  nextWarning,
  occupancy,
  stateDurations,
  workTimes,
  type AbuseType,
  type AbusiveEndKind,
  type FlagMode,
  type ProtectionRequestKind,
  type ProtectionRequestStatus,
  type ProtectionSettings,
  type StateChange,
} from '../../../core/domain/protection';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { ProtectionIncidentTable, ProtectionWarningTable, QueueNoticeTable } from '../../db/tables';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import type { RealtimeHub } from '../../realtime/hub';
import type { AcdService, CallerPolicy } from '../acd/acd.service';
import { appendEvents } from '../events/events.repository';
import { accessBy, type Viewer } from '../privacy/access-context';
import { appendAccessRecords } from '../privacy/access-records.repository';
import type { BreakService } from './breaks.service';
import { buildEvidencePackage } from './evidence-package';
import * as repo from './protection.repository';

type IncidentRow = Awaited<ReturnType<typeof repo.listIncidentVersions>>[number];
type Alert = Extract<RealtimeServerMessage, { type: 'protection.alert' }>['alert'];

/** Why an evidence package is taken (the reason is recorded with the access). */
const EVIDENCE_REASONS = { legal_request: '수사·소송 제출', citizen_request: '당사자 요청', other: '기타' } as const;

const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};
const lastDayOf = (month: string) => new Date(Date.parse(`${nextMonth(month)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const isSupervisor = (v: Viewer) => v.role === 'supervisor' || v.role === 'admin';
const kstStart = (day: string) => new Date(Date.parse(`${day}T00:00:00+09:00`)).toISOString();
const kstEnd = (day: string) => new Date(Date.parse(`${day}T00:00:00+09:00`) + 86_400_000).toISOString();

/** Version 1 of a new incident, recorded by `by` at `at`. */
function firstVersion(
  incidentId: string,
  by: string,
  at: string,
  facts: Omit<ProtectionIncidentTable, 'id' | 'incident_id' | 'version' | 'agent_id' | 'correction_reason' | 'recorded_by' | 'recorded_at'>,
): ProtectionIncidentTable {
  return { id: incidentId, incident_id: incidentId, version: 1, agent_id: by, ...facts, correction_reason: null, recorded_by: by, recorded_at: at };
}

/**
 * 감정노동 보호 (issue #14): the protocol the software enforces the same way every time — warnings played through the
 * telephony port and counted, the end after the configured warnings (긴급종료 at once for threats) with the
 * termination notice, the incident record (append-only), 회복 that only a timer ends and a supervisor extends,
 * requests tracked to their outcome, repeat callers flagged by blind index and routed to the senior queue, and the
 * notice every caller hears on entering a queue. Supervisors are alerted on their sockets at once.
 *
 * Routing asks {@link ProtectionService.onEnteringQueue} synchronously, so the settings, queue notices and active
 * flags are kept in memory (loaded at start, updated by this service's own writes).
 */
export class ProtectionService implements CallerPolicy {
  private settings: ProtectionSettings = DEFAULT_PROTECTION_SETTINGS;
  private readonly notices = new Map<string, QueueNoticeTable>();
  /** Active flags by blind index: when the flag runs out, and how the caller is routed. */
  private flags = new Map<string, { expiresAt: number; mode: FlagMode }>();

  constructor(
    private readonly deps: AppDeps,
    private readonly acd: AcdService,
    private readonly hub: RealtimeHub,
    private readonly breaks: BreakService | null = null,
  ) {}

  /** Loads settings, queue notices and active flags, and gives the ACD its routing policy. */
  async start(): Promise<void> {
    const raw = await repo.findSettingsRow(this.deps.db);
    if (raw) {
      const parsed = ProtectionSettingsSchema.safeParse(JSON.parse(raw));
      if (parsed.success) this.settings = parsed.data;
    }
    for (const n of await repo.listQueueNoticeRows(this.deps.db)) this.notices.set(n.queue_id, n);
    await this.reloadFlags();
    this.acd.setCallerPolicy(this);
  }

  close(): void {
    this.acd.setCallerPolicy(null);
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  private async reloadFlags(): Promise<void> {
    const rows = await repo.listActiveFlags(this.deps.db, new Date(this.now()).toISOString());
    const next = new Map<string, { expiresAt: number; mode: FlagMode }>();
    for (const r of rows) {
      const expiresAt = Date.parse(r.expires_at);
      const known = next.get(r.caller_index);
      if (!known || known.expiresAt < expiresAt) next.set(r.caller_index, { expiresAt, mode: r.mode as FlagMode });
    }
    this.flags = next;
  }

  private isFlagged(callerIndex: string | null, now: number): { mode: FlagMode } | null {
    if (!callerIndex) return null;
    const f = this.flags.get(callerIndex);
    if (!f) return null;
    if (now >= f.expiresAt) {
      this.flags.delete(callerIndex);
      return null;
    }
    return f;
  }

  // ————————————————————————————————————— before the call (routing) —————————————————————————————————————

  /**
   * Asked by the ACD for every call entering a queue: the queue's notice (recording + no-abuse, 시행규칙 제41조 1호);
   * a flagged caller goes to the senior queue, or hears the flagged-caller notice first and stays in line.
   */
  onEnteringQueue(callerIndex: string, queueId: string, now: number): { queueId: string; messages: Announcement[]; flagged: boolean } {
    const messages: Announcement[] = [];
    const notice = this.notices.get(queueId);
    if (!notice || notice.is_enabled === 1) {
      messages.push({ kind: 'message', purpose: 'queue_notice', text: notice?.text ?? DEFAULT_QUEUE_NOTICE_TEXT, audioId: notice?.audio_id ?? null, step: null });
    }
    const flag = this.isFlagged(callerIndex, now);
    if (!flag) return { queueId, messages, flagged: false };
    const senior = this.settings.seniorQueueId;
    if (flag.mode === 'senior_queue' && senior) return { queueId: senior, messages, flagged: true };
    messages.push({ kind: 'message', purpose: 'flagged_caller', text: this.settings.flaggedCallerText, audioId: null, step: null });
    return { queueId, messages, flagged: true };
  }

  // ————————————————————————————————————— during the call —————————————————————————————————————

  private static byType(warnings: readonly ProtectionWarningTable[], type: AbuseType): number {
    return warnings.filter((w) => w.type === type).length;
  }

  private callState(interactionId: string, warnings: readonly ProtectionWarningTable[]): CallProtection {
    return {
      interactionId,
      warnings: warnings.map((w) => ({ type: w.type as AbuseType, step: w.step, text: w.text, at: w.at })),
      types: ABUSE_TYPES.map((type) => {
        const given = ProtectionService.byType(warnings, type);
        return {
          type,
          given,
          warningsBeforeEnd: this.settings.warningsBeforeEnd[type],
          canEnd: canEndAfterWarnings(this.settings, type, given),
          canEmergencyEnd: canEmergencyEnd(type),
        };
      }),
    };
  }

  /** The desk's view of one of the agent's calls (after a reload too). */
  async callProtection(viewer: Viewer, interactionId: string): Promise<CallProtection> {
    const interaction = await repo.findInteraction(this.deps.db, interactionId);
    if (!interaction || (interaction.agent_id !== viewer.id && !isSupervisor(viewer))) throw new AppError('NOT_FOUND', '해당 통화를 찾을 수 없습니다.');
    return this.callState(interactionId, await repo.listWarnings(this.deps.db, interactionId));
  }

  /** One press of 경고: the next warning of the type is recorded, then played to the caller through the port. */
  async warn(viewer: Viewer, interactionId: string, type: AbuseType): Promise<CallProtection> {
    this.acd.agentCall(viewer.id, interactionId); // NOT_FOUND unless this is the agent's live call
    const at = new Date(this.now()).toISOString();
    const warnings = await repo.listWarnings(this.deps.db, interactionId);
    const { step, text } = nextWarning(this.settings, type, ProtectionService.byType(warnings, type));
    const row: ProtectionWarningTable = { id: newId(), interaction_id: interactionId, agent_id: viewer.id, type, step, text, at };
    await this.deps.db.transaction().execute(async (trx) => {
      await repo.insertWarning(trx, row);
      await appendEvents(trx, [{ type: 'abuse_warning', at, interactionId, actorId: viewer.id, detail: type, data: { type, step } }]);
    });
    await this.acd.playToCaller(viewer.id, interactionId, { kind: 'message', purpose: 'warning', text, audioId: null, step });
    return this.callState(interactionId, [...warnings, row]);
  }

  /** Protocol ends under way in this process, per call: a second request for the same call gets the same answer. */
  private readonly ending = new Map<string, { agentId: string; result: Promise<{ incident: Incident; desk: AgentDeskState }> }>();

  /**
   * 종료 / 긴급종료: refused unless the protocol allows it (warnings given, or a threat); then the phone system plays
   * the termination notice and hangs up, the agent rests, the incident (with its warnings, the recording reference
   * and the caller's blind index) and the 회복 are recorded in one transaction, and supervisors are alerted.
   *
   * Exactly once per call: two ends of the same call at once (a double press, a retry) share one answer; the ACD
   * decides in one step whether the end still finds the call, and the database holds at most one protocol end per
   * call (migration 0028), so a later retry answers the incident already recorded. When the caller hung up while
   * the agent was ending, the call is over without the protocol: the incident is recorded once, as reported.
   */
  async endCall(viewer: Viewer, interactionId: string, body: { type: AbuseType; kind: AbusiveEndKind; notes?: string | undefined }): Promise<{ incident: Incident; desk: AgentDeskState }> {
    const running = this.ending.get(interactionId);
    if (running) {
      if (running.agentId !== viewer.id) throw new AppError('NOT_FOUND', '지금 통화 중인 전화가 아닙니다.');
      return running.result;
    }
    const result = this.endCallOnce(viewer, interactionId, body).finally(() => this.ending.delete(interactionId));
    this.ending.set(interactionId, { agentId: viewer.id, result });
    return result;
  }

  /** The protocol end already recorded for this call by this agent, as the answer of {@link endCall}. */
  private async recordedEnd(viewer: Viewer, interactionId: string): Promise<{ incident: Incident; desk: AgentDeskState } | null> {
    const row = await repo.findProtocolEnd(this.deps.db, interactionId);
    if (!row || row.agent_id !== viewer.id) return null;
    return { incident: await this.incident(viewer, row.incident_id), desk: this.acd.deskState(viewer.id) };
  }

  private isLiveCall(agentId: string, interactionId: string): boolean {
    try {
      this.acd.agentCall(agentId, interactionId);
      return true;
    } catch {
      return false;
    }
  }

  private async endCallOnce(viewer: Viewer, interactionId: string, body: { type: AbuseType; kind: AbusiveEndKind; notes?: string | undefined }): Promise<{ incident: Incident; desk: AgentDeskState }> {
    let call: ReturnType<AcdService['agentCall']>;
    try {
      call = this.acd.agentCall(viewer.id, interactionId);
    } catch (err) {
      // A retry of an end whose answer was lost: the same incident again.
      const done = await this.recordedEnd(viewer, interactionId);
      if (done) return done;
      throw err;
    }
    const warnings = await repo.listWarnings(this.deps.db, interactionId);
    assertMayEnd(this.settings, body.type, ProtectionService.byType(warnings, body.type), body.kind);
    const interaction = await repo.findInteraction(this.deps.db, interactionId);
    const now = this.now();
    const at = new Date(now).toISOString();
    const recoverySeconds = this.settings.recoveryMinutes * 60;
    const termination: Announcement = { kind: 'message', purpose: 'termination', text: this.settings.terminationText, audioId: null, step: null };
    let desk: AgentDeskState;
    try {
      desk = await this.acd.endAbusiveCall(viewer.id, interactionId, termination, recoverySeconds);
    } catch (err) {
      if (!(err instanceof AppError) || this.isLiveCall(viewer.id, interactionId)) throw err;
      const done = await this.recordedEnd(viewer, interactionId);
      if (done) return done;
      // The caller hung up first: no termination notice, no 회복 by the protocol (the agent is in 후처리), but the
      // abuse is on record once, as an incident reported after the call.
      return { incident: await this.reportIncident(viewer, { interactionId, type: body.type, notes: body.notes }), desk: this.acd.deskState(viewer.id) };
    }
    const incidentId = newId();
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        await repo.insertIncident(
          trx,
          firstVersion(incidentId, viewer.id, at, {
            interaction_id: interactionId,
            type: body.type,
            end_kind: body.kind,
            warnings_given: warnings.length,
            call_answered_at: call.answeredAt,
            first_warning_at: warnings[0]?.at ?? null,
            ended_at: at,
            recording_ref: `${call.source}:${call.callId}`,
            notes: body.notes || null,
            caller_index: interaction?.citizen_id ? interaction.caller_index : null,
          }),
        );
        await repo.insertRecovery(trx, {
          id: newId(),
          agent_id: viewer.id,
          incident_id: incidentId,
          kind: 'started',
          seconds: recoverySeconds,
          at,
          ends_at: new Date(now + recoverySeconds * 1000).toISOString(),
          by_user: viewer.id,
          reason: null,
        });
        await appendEvents(trx, [{ type: 'abuse_call_ended', at, interactionId, actorId: viewer.id, detail: body.type, data: { type: body.type, kind: body.kind, warnings: warnings.length } }]);
      });
    } catch (err) {
      // Another node recorded this call's end first (protection_incidents_call_end_uq): that one stands.
      const done = await this.recordedEnd(viewer, interactionId);
      if (done) return done;
      throw err;
    }
    this.alert({ kind: body.kind === 'emergency' ? 'emergency_end' : 'incident', agentId: viewer.id, agentName: viewer.name, abuseType: body.type, incidentId, at });
    return { incident: await this.incident(viewer, incidentId), desk };
  }

  // ————————————————————————————————————— after the call —————————————————————————————————————

  /** An incident reported after the call (the caller hung up first): the agent's own call only. */
  async reportIncident(viewer: Viewer, body: { interactionId: string; type: AbuseType; notes?: string | undefined }): Promise<Incident> {
    const interaction = await repo.findInteraction(this.deps.db, body.interactionId);
    if (!interaction || interaction.agent_id !== viewer.id) throw new AppError('NOT_FOUND', '내가 받은 통화만 신고할 수 있습니다.');
    const warnings = await repo.listWarnings(this.deps.db, body.interactionId);
    const at = new Date(this.now()).toISOString();
    const incidentId = newId();
    await repo.insertIncident(
      this.deps.db,
      firstVersion(incidentId, viewer.id, at, {
        interaction_id: body.interactionId,
        type: body.type,
        end_kind: 'reported',
        warnings_given: warnings.length,
        call_answered_at: interaction.answered_at,
        first_warning_at: warnings[0]?.at ?? null,
        ended_at: interaction.ended_at,
        recording_ref: null,
        notes: body.notes || null,
        caller_index: interaction.citizen_id ? interaction.caller_index : null,
      }),
    );
    this.alert({ kind: 'incident', agentId: viewer.id, agentName: viewer.name, abuseType: body.type, incidentId, at });
    return this.incident(viewer, incidentId);
  }

  /** A correction: a new version of the incident (type and notes), with the reason; the old versions stay. */
  async correctIncident(viewer: Viewer, incidentId: string, body: { type?: AbuseType | undefined; notes?: string | undefined; reason: string }): Promise<IncidentDetail> {
    const versions = await this.versions(viewer, incidentId);
    const last = versions.at(-1)!;
    const at = new Date(this.now()).toISOString();
    const { agent_name: _a, recorded_by_name: _r, ...row } = last;
    await repo.insertIncident(this.deps.db, {
      ...row,
      id: newId(),
      version: last.version + 1,
      type: body.type ?? last.type,
      notes: body.notes !== undefined ? body.notes || null : last.notes,
      correction_reason: body.reason,
      recorded_by: viewer.id,
      recorded_at: at,
    });
    return this.incidentDetail(viewer, incidentId);
  }

  private async versions(viewer: Viewer, incidentId: string): Promise<IncidentRow[]> {
    const rows = await repo.listIncidentVersions(this.deps.db, { incidentId });
    // An agent sees only their own incidents; another's answers NOT_FOUND, like a missing one.
    if (rows.length === 0 || (!isSupervisor(viewer) && rows[0]!.agent_id !== viewer.id)) throw new AppError('NOT_FOUND', '해당 사건을 찾을 수 없습니다.');
    return rows;
  }

  private present(r: IncidentRow): Incident {
    return {
      id: r.incident_id,
      version: r.version,
      interactionId: r.interaction_id,
      agentId: r.agent_id,
      agentName: r.agent_name,
      type: r.type as AbuseType,
      endKind: r.end_kind as Incident['endKind'],
      warningsGiven: r.warnings_given,
      callAnsweredAt: r.call_answered_at,
      firstWarningAt: r.first_warning_at,
      endedAt: r.ended_at,
      recordingRef: r.recording_ref,
      notes: r.notes,
      hasCaller: r.caller_index !== null && r.caller_index !== '',
      callerFlagged: this.isFlagged(r.caller_index, this.now()) !== null,
      correctionReason: r.correction_reason,
      recordedByName: r.recorded_by_name,
      recordedAt: r.recorded_at,
    };
  }

  async incident(viewer: Viewer, incidentId: string): Promise<Incident> {
    return this.present((await this.versions(viewer, incidentId)).at(-1)!);
  }

  async incidentDetail(viewer: Viewer, incidentId: string): Promise<IncidentDetail> {
    const versions = await this.versions(viewer, incidentId);
    const interactionId = versions[0]!.interaction_id;
    const warnings = interactionId ? await repo.listWarnings(this.deps.db, interactionId) : [];
    return {
      incident: this.present(versions.at(-1)!),
      versions: versions.map((v) => this.present(v)),
      warnings: warnings.map((w) => ({ type: w.type as AbuseType, step: w.step, text: w.text, at: w.at })),
    };
  }

  /** Incidents (latest version each), newest first; agents see their own, supervisors all. The period is KST days. */
  async listIncidents(viewer: Viewer, q: { from?: string | undefined; to?: string | undefined; agentId?: string | undefined; type?: AbuseType | undefined }): Promise<Incident[]> {
    const agentId = isSupervisor(viewer) ? q.agentId : viewer.id;
    const rows = await repo.listIncidentVersions(this.deps.db, { ...(agentId ? { agentId } : {}) });
    const from = q.from ? kstStart(q.from) : null;
    const to = q.to ? kstEnd(q.to) : null;
    const byIncident = new Map<string, { first: IncidentRow; last: IncidentRow }>();
    for (const r of rows) {
      const known = byIncident.get(r.incident_id);
      if (!known) byIncident.set(r.incident_id, { first: r, last: r });
      else if (r.version > known.last.version) known.last = r;
    }
    return [...byIncident.values()]
      .filter(({ first, last }) => (!from || first.recorded_at >= from) && (!to || first.recorded_at < to) && (!q.type || last.type === q.type))
      .sort((a, b) => (a.first.recorded_at < b.first.recorded_at ? 1 : -1))
      .map(({ last }) => this.present(last));
  }

  /**
   * The evidence package of an incident (ZIP), only with a reason: recorded as an 'export' access record of the
   * caller (고시 제8조) in the same transaction as the read; a failed record fails the export.
   */
  async exportEvidence(viewer: Viewer, incidentId: string, body: { reasonCode: keyof typeof EVIDENCE_REASONS; reasonText: string }): Promise<{ filename: string; body: Buffer }> {
    const at = new Date(this.now()).toISOString();
    const reason = `${EVIDENCE_REASONS[body.reasonCode]}: ${body.reasonText}`;
    const { detail, events } = await this.deps.db.transaction().execute(async (trx) => {
      const versions = await repo.listIncidentVersions(trx, { incidentId });
      if (versions.length === 0) throw new AppError('NOT_FOUND', '해당 사건을 찾을 수 없습니다.');
      const interactionId = versions[0]!.interaction_id;
      const interaction = interactionId ? await repo.findInteraction(trx, interactionId) : undefined;
      const warnings = interactionId ? await repo.listWarnings(trx, interactionId) : [];
      const callEvents = interactionId ? await repo.listCallEvents(trx, interactionId) : [];
      await appendAccessRecords(trx, [accessBy(viewer, at, 'export', [interaction?.citizen_id ?? null], `protection:evidence:${incidentId}`, 1, { reason })]);
      return {
        detail: {
          incident: this.present(versions.at(-1)!),
          versions: versions.map((v) => this.present(v)),
          warnings: warnings.map((w) => ({ type: w.type as AbuseType, step: w.step, text: w.text, at: w.at })),
        },
        events: callEvents,
      };
    });
    const zip = await buildEvidencePackage({ detail, events, exportedBy: `${viewer.name} (${viewer.login})`, exportedAt: at, reason });
    return { filename: `onecall-incident-${incidentId}.zip`, body: zip };
  }

  // ————————————————————————————————————— 회복 —————————————————————————————————————

  /** A supervisor gives an agent in 회복 more rest, with the reason (recorded); the agent can never shorten it. */
  async extendRecovery(viewer: Viewer, agentId: string, minutes: number, reason: string): Promise<AgentDeskState> {
    const agent = await repo.findUserName(this.deps.db, agentId);
    if (!agent) throw new AppError('NOT_FOUND', '상담사를 찾을 수 없습니다.');
    const desk = await this.acd.extendRecovery(agentId, minutes * 60);
    const at = new Date(this.now()).toISOString();
    await repo.insertRecovery(this.deps.db, {
      id: newId(),
      agent_id: agentId,
      incident_id: null,
      kind: 'extended',
      seconds: minutes * 60,
      at,
      ends_at: desk.timerEndsAt ?? at,
      by_user: viewer.id,
      reason,
    });
    this.alert({ kind: 'recovery_extended', agentId, agentName: agent.name, abuseType: null, incidentId: null, at });
    return desk;
  }

  // ————————————————————————————————————— requests (심리상담, off the phones, 고소·고발 지원) —————————————————————————————————————

  private presentRequest(r: NonNullable<Awaited<ReturnType<typeof repo.findRequest>>>): ProtectionRequest {
    return {
      id: r.id,
      agentId: r.agent_id,
      agentName: r.agent_name,
      incidentId: r.incident_id,
      kind: r.kind as ProtectionRequestKind,
      status: r.status as ProtectionRequestStatus,
      note: r.note,
      outcome: r.outcome,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  /** The agent files a request for themselves (an incident of theirs, or none); supervisors are alerted. */
  async fileRequest(viewer: Viewer, body: { kind: ProtectionRequestKind; incidentId?: string | null | undefined; note?: string | undefined }): Promise<ProtectionRequest> {
    if (body.incidentId) await this.versions(viewer, body.incidentId);
    const at = new Date(this.now()).toISOString();
    const id = newId();
    await repo.insertRequest(this.deps.db, {
      id,
      agent_id: viewer.id,
      incident_id: body.incidentId ?? null,
      kind: body.kind,
      status: 'requested',
      note: body.note || null,
      outcome: null,
      created_at: at,
      updated_at: at,
      updated_by: viewer.id,
    });
    this.alert({ kind: 'request', agentId: viewer.id, agentName: viewer.name, abuseType: null, incidentId: body.incidentId ?? null, at });
    return this.presentRequest((await repo.findRequest(this.deps.db, id))!);
  }

  async listRequests(viewer: Viewer): Promise<ProtectionRequest[]> {
    const rows = await repo.listRequests(this.deps.db, isSupervisor(viewer) ? undefined : viewer.id);
    return rows.map((r) => this.presentRequest(r));
  }

  /**
   * A supervisor moves a request on (core REQUEST_FLOW). Approving "off the phones today" makes the agent not ready
   * at once (or when the current call ends; after 회복 the agent is not ready anyway).
   */
  async updateRequest(viewer: Viewer, id: string, body: { status: ProtectionRequestStatus; outcome?: string | undefined }): Promise<ProtectionRequest> {
    const r = await repo.findRequest(this.deps.db, id);
    if (!r) throw new AppError('NOT_FOUND', '요청을 찾을 수 없습니다.');
    assertRequestTransition(r.kind as ProtectionRequestKind, r.status, body.status, body.outcome || null);
    const at = new Date(this.now()).toISOString();
    const moved = await repo.updateRequestStatus(this.deps.db, id, r.status, { status: body.status, outcome: body.outcome || r.outcome, updated_at: at, updated_by: viewer.id });
    if (!moved) throw new AppError('CONFLICT', '다른 사람이 먼저 바꾸었습니다. 다시 불러와 주세요.');
    if (r.kind === 'off_phones' && body.status === 'approved' && this.acd.agentActivity(r.agent_id).status !== 'recovery') {
      await this.acd.setAgentState(r.agent_id, { status: 'not_ready', reason: 'admin' }, 'supervisor');
    }
    return this.presentRequest((await repo.findRequest(this.deps.db, id))!);
  }

  // ————————————————————————————————————— repeat callers —————————————————————————————————————

  private presentFlag(r: Awaited<ReturnType<typeof repo.listFlagRows>>[number], now: number): CallerFlag {
    return {
      id: r.id,
      incidentId: r.incident_id,
      reason: r.reason,
      mode: r.mode as FlagMode,
      flaggedByName: r.flagged_by_name,
      flaggedAt: r.flagged_at,
      expiresAt: r.expires_at,
      clearedAt: r.cleared_at,
      clearReason: r.clear_reason,
      isActive: r.cleared_at === null && now < Date.parse(r.expires_at),
    };
  }

  /**
   * Flags a repeat caller by blind index only (the number is never stored): the caller of an incident, or a number
   * the centre has had a call from. A caller the centre does not know is refused (CALLER_UNKNOWN).
   */
  async flagCaller(viewer: Viewer, body: { incidentId?: string | undefined; phoneNumber?: string | undefined; reason: string }): Promise<CallerFlag> {
    let callerIndex: string | null = null;
    if (body.incidentId) {
      const last = (await this.versions(viewer, body.incidentId)).at(-1)!;
      callerIndex = last.caller_index || null;
    } else if (body.phoneNumber) {
      const e164 = normalizePhone(body.phoneNumber);
      const index = e164 ? this.deps.vault.phoneIndex(e164) : null;
      callerIndex = index && (await repo.isKnownCaller(this.deps.db, index)) ? index : null;
    }
    if (!callerIndex) throw new AppError('CALLER_UNKNOWN', '센터에 전화한 적이 없는(또는 번호를 알 수 없는) 민원인은 지정할 수 없습니다.');
    const now = this.now();
    const id = newId();
    const mode = this.settings.flagMode;
    await repo.insertFlag(this.deps.db, {
      id,
      caller_index: callerIndex,
      incident_id: body.incidentId ?? null,
      reason: body.reason,
      mode,
      flagged_by: viewer.id,
      flagged_at: new Date(now).toISOString(),
      expires_at: new Date(flagExpiresAt(now, this.settings.flagDays)).toISOString(),
      cleared_at: null,
      cleared_by: null,
      clear_reason: null,
    });
    await this.reloadFlags();
    return (await this.listFlags()).find((f) => f.id === id)!;
  }

  async listFlags(): Promise<CallerFlag[]> {
    const now = this.now();
    return (await repo.listFlagRows(this.deps.db)).map((r) => this.presentFlag(r, now));
  }

  /** A supervisor clears a flag with a reason (kept with the flag). */
  async clearFlag(viewer: Viewer, id: string, reason: string): Promise<CallerFlag> {
    const flag = await repo.findFlag(this.deps.db, id);
    if (!flag) throw new AppError('NOT_FOUND', '지정을 찾을 수 없습니다.');
    if (!(await repo.clearFlagRow(this.deps.db, id, new Date(this.now()).toISOString(), viewer.id, reason))) {
      throw new AppError('CONFLICT', '이미 해제된 지정입니다.');
    }
    await this.reloadFlags();
    return (await this.listFlags()).find((f) => f.id === id)!;
  }

  // ————————————————————————————————————— wellbeing —————————————————————————————————————

  /**
   * 상담사 건강 (issue #14 §4–5) for one KST day or month: per agent the incidents, 회복 taken, counselling asked for,
   * talk time and occupancy (warned above the setting), and incidents by type and hour. Agents see their own row.
   */
  async wellbeing(viewer: Viewer, q: { day?: string | undefined; month?: string | undefined }): Promise<Wellbeing> {
    const now = this.now();
    const kind = q.month ? 'month' : 'day';
    const label = q.month ?? q.day ?? new Date(now + 9 * 3_600_000).toISOString().slice(0, 10);
    const from = kind === 'month' ? kstStart(`${label}-01`) : kstStart(label);
    const to = kind === 'month' ? kstStart(nextMonth(label)) : kstEnd(label);
    const until = new Date(Math.min(Date.parse(to), now)).toISOString();
    const agentId = isSupervisor(viewer) ? undefined : viewer.id;
    // A day before the period too, so that the state an agent was in when it began is known.
    const lookBack = new Date(Date.parse(from) - 86_400_000).toISOString();
    const [changes, incidents, recoveries, requests] = await Promise.all([
      repo.listStateChanges(this.deps.db, lookBack, until, agentId),
      this.listIncidents(viewer, { from: kind === 'month' ? `${label}-01` : label, to: kind === 'month' ? lastDayOf(label) : label }),
      repo.listRecoveries(this.deps.db, from, to, agentId),
      this.listRequests(viewer),
    ]);
    const [fromDay, toDay] = kind === 'month' ? [`${label}-01`, lastDayOf(label)] : [label, label];
    const breakDays = this.breaks ? await this.breaks.summary(fromDay, toDay, agentId) : new Map<string, { agentName: string; taken: number; minutes: number; missed: number }>();
    const rows = new Map<string, Wellbeing['agents'][number] & { log: StateChange[] }>();
    const rowOf = (id: string, name: string) => {
      let r = rows.get(id);
      if (!r) {
        const b = breakDays.get(id);
        r = { agentId: id, agentName: name, incidents: 0, recoveryMinutes: 0, counsellingRequests: 0, breaksTaken: b?.taken ?? 0, breakMinutes: b?.minutes ?? 0, breaksMissed: b?.missed ?? 0, talkMinutes: 0, occupancy: null, isOccupancyHigh: false, log: [] };
        rows.set(id, r);
      }
      return r;
    };
    for (const c of changes) rowOf(c.user_id, c.name).log.push({ at: Date.parse(c.at), status: c.status });
    for (const i of incidents) rowOf(i.agentId, i.agentName).incidents++;
    for (const r of recoveries) {
      const row = rows.get(r.agent_id);
      if (row) row.recoveryMinutes += r.seconds / 60;
    }
    for (const [id, b] of breakDays) rowOf(id, b.agentName);
    for (const r of requests) if (r.kind === 'counselling' && r.createdAt >= from && r.createdAt < to) rowOf(r.agentId, r.agentName).counsellingRequests++;
    const agents = [...rows.values()].map(({ log, ...row }) => {
      const times = workTimes(stateDurations(log, Date.parse(from), Date.parse(until)));
      const occ = occupancy(times.handlingSeconds, times.availableSeconds);
      return { ...row, talkMinutes: Math.round(times.talkSeconds / 6) / 10, occupancy: occ, isOccupancyHigh: occ !== null && occ > this.settings.occupancyWarnAbove };
    });
    agents.sort((a, b) => a.agentName.localeCompare(b.agentName, 'ko'));
    const byHour = new Map<number, number>();
    for (const i of incidents) {
      const hour = new Date(Date.parse(i.endedAt ?? i.recordedAt) + 9 * 3_600_000).getUTCHours();
      byHour.set(hour, (byHour.get(hour) ?? 0) + 1);
    }
    return {
      period: { kind, label, from, to },
      occupancyWarnAbove: this.settings.occupancyWarnAbove,
      continuousTalkAlertMinutes: this.settings.continuousTalkAlertMinutes,
      agents,
      incidentsByType: ABUSE_TYPES.map((type) => ({ type, count: incidents.filter((i) => i.type === type).length })),
      incidentsByHour: [...byHour.entries()].sort((a, b) => a[0] - b[0]).map(([hour, count]) => ({ hour, count })),
    };
  }

  private readonly longTalkAlerted = new Set<string>();

  /**
   * Alerts supervisors once per call when an agent has talked on one call for longer than the setting (issue #14
   * §4, continuous talk time). The server runs it every 30 s; tests call it on their fake clock.
   */
  checkLongTalk(agents: ReadonlyArray<{ agentId: string; name: string }>): number {
    const now = this.now();
    const limitMs = this.settings.continuousTalkAlertMinutes * 60_000;
    let alerted = 0;
    for (const a of agents) {
      const { status, contactId } = this.acd.agentActivity(a.agentId);
      if (!contactId || !(status === 'on_call' || status === 'on_hold' || status === 'consulting') || this.longTalkAlerted.has(contactId)) continue;
      let answeredAt: string | null = null;
      try {
        answeredAt = this.acd.agentCall(a.agentId, contactId).answeredAt;
      } catch {
        continue; // in consultation: the call is not the agent's connected call right now
      }
      if (answeredAt && now - Date.parse(answeredAt) >= limitMs) {
        this.longTalkAlerted.add(contactId);
        if (this.longTalkAlerted.size > 10_000) this.longTalkAlerted.clear();
        this.alert({ kind: 'long_talk', agentId: a.agentId, agentName: a.name, abuseType: null, incidentId: null, at: new Date(now).toISOString() });
        alerted++;
      }
    }
    return alerted;
  }

  // ————————————————————————————————————— settings and queue notices —————————————————————————————————————

  getSettings(): ProtectionSettings {
    return this.settings;
  }

  async saveSettings(viewer: Viewer, body: ProtectionSettingsBody): Promise<ProtectionSettings> {
    await repo.saveSettingsRow(this.deps.db, JSON.stringify(body), new Date(this.now()).toISOString(), viewer.id);
    this.settings = body;
    return this.settings;
  }

  async queueNotices(db: Db = this.deps.db): Promise<QueueNotice[]> {
    const queues = await repo.listQueueNames(db);
    return queues
      .filter((q) => q.is_active === 1)
      .map((q) => {
        const n = this.notices.get(q.id);
        return { queueId: q.id, queueName: q.name, text: n?.text ?? DEFAULT_QUEUE_NOTICE_TEXT, audioId: n?.audio_id ?? null, isEnabled: n ? n.is_enabled === 1 : true, isDefault: !n };
      });
  }

  async saveQueueNotice(viewer: Viewer, queueId: string, body: { text: string; audioId?: string | null | undefined; isEnabled: boolean }): Promise<QueueNotice> {
    const queues = await repo.listQueueNames(this.deps.db);
    if (!queues.some((q) => q.id === queueId)) throw new AppError('NOT_FOUND', '대기열을 찾을 수 없습니다.');
    const row: QueueNoticeTable = {
      queue_id: queueId,
      text: body.text,
      audio_id: body.audioId ?? null,
      is_enabled: body.isEnabled ? 1 : 0,
      updated_at: new Date(this.now()).toISOString(),
      updated_by: viewer.id,
    };
    await repo.saveQueueNoticeRow(this.deps.db, row);
    this.notices.set(queueId, row);
    return (await this.queueNotices()).find((n) => n.queueId === queueId)!;
  }

  private alert(alert: Alert): void {
    this.hub.sendToBoards({ type: 'protection.alert', alert });
  }
}
