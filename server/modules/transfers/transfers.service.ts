import type { RealtimeServerMessage } from '../../../core/contracts/acd';
import type { StartTransferBody, TransferAttempt, TransferCard } from '../../../core/contracts/transfers';
import { maskPersonalData } from '../../../core/domain/pii';
import {
  allowedTransferActions,
  fallbackSentence,
  fallsBackToHandOff,
  LIVE_TRANSFER_STATUSES,
  transitionTransfer,
  type TransferAction,
  type TransferDisposition,
  type TransferStatus,
} from '../../../core/domain/transfer-attempt';
import type { PresenceState } from '../../../core/domain/duty-directory';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import type { AcdNotice, AcdService } from '../acd/acd.service';
import { getCallerCard } from '../calls/calls.service';
import { findCitizen } from '../calls/calls.repository';
import { cityPhoneKeys } from '../directory/city-phones';
import { maskFreeText } from '../../../core/domain/name-detection';
import { recordCase } from '../cases/cases.service';
import { appendEvents } from '../events/events.repository';
import type { Viewer } from '../privacy/access-context';
import { presentCallerCard } from '../privacy/citizen-data.presenter';
import {
  assignHandOffTo,
  findActingViewer,
  findCategoryLevel,
  findCitizenOfCall,
  findLiveAttemptOfCall,
  findTransferAttempt,
  findTransferTarget,
  insertTransferAttempt,
  listExpiredRinging,
  listFallbacksWithoutHandOff,
  listLiveAttempts,
  listLiveAttemptsForOfficial,
  setAttemptFallback,
  updateAttemptIf,
  type TransferAttemptRow,
} from './transfers.repository';

/** Where officials' presence comes from (the duty directory, modules/directory). */
export type PresenceSource = { presenceList(filter: { userId?: string }): Promise<Array<{ presence: { state: PresenceState; reachable: boolean } }>> };

/** The attempt's immediate end when the official cannot take a call now (declared or derived presence). */
function unreachableAction(state: PresenceState): 'official_busy' | 'official_away' | 'official_off_duty' {
  if (state === 'on_call') return 'official_busy';
  if (state === 'off_duty' || state === 'on_leave') return 'official_off_duty';
  return 'official_away';
}

/** Where the service sends its screen updates (the WebSocket hub; tests may collect them). */
export type TransferNotifier = {
  sendToUser(userId: string, message: RealtimeServerMessage): void;
  notifyDepartmentInbox(departmentId: string, at: string): void;
};

const FALLBACK_STATUSES: readonly TransferStatus[] = ['declined', 'no_answer', 'busy', 'away', 'off_duty', 'unreachable', 'caller_left'];

/**
 * Warm transfer (3자통화, issue #11 §2): the agent asks an official to take the caller; the official's screen shows
 * the card (the agent's notes, the caller's history masked for the official's role) before the phones connect; the
 * caller waits on hold while agent and official talk (the ACD's consultative transfer); the agent then hands the
 * caller over or makes it a conference and leaves. Every other end falls back by itself to an electronic hand-off
 * (이관) to the official's department, assigned to that official, with the same notes and the legal deadline, and
 * the agent is given the sentence to tell the caller.
 *
 * State lives in the database (transfer_attempts): compare-and-set updates make double and late answers harmless, the
 * ring timer is a deadline column (tick), and a restart resolves every live attempt to the fall-back (recover).
 */
export class TransfersService {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: AppDeps,
    private readonly acd: AcdService,
    private readonly notifier: TransferNotifier,
    private readonly presence: PresenceSource | null = null,
  ) {}

  /** Follows the ACD: a caller who hangs up while waiting for the official ends the attempt (and it falls back). */
  listen(): void {
    this.unsubscribe = this.acd.subscribe((notice) => void this.onAcdNotice(notice).catch(() => undefined));
  }

  close(): void {
    this.unsubscribe?.();
  }

  /** 담당자 연결: starts an attempt on the agent's current call. */
  async start(user: Viewer, body: StartTransferBody): Promise<TransferAttempt> {
    const activity = this.acd.agentActivity(user.id);
    if (activity.contactId !== body.contactId || !['on_call', 'on_hold'].includes(activity.status)) {
      throw new AppError('CONFLICT', '통화 중인 전화만 담당자에게 연결할 수 있습니다.', { status: activity.status });
    }
    const live = await findLiveAttemptOfCall(this.deps.db, body.contactId);
    if (live) throw new AppError('CONFLICT', '이 통화는 이미 담당자 연결 중입니다.', { transferId: live.id });

    const target = await findTransferTarget(this.deps.db, body.officialId, body.categoryId);
    if (!target || target.role !== 'official' || target.is_active !== 1) throw new AppError('NOT_FOUND', '연결할 담당자를 찾을 수 없습니다.', { field: 'officialId' });
    const category = await findCategoryLevel(this.deps.db, body.categoryId);
    if (!category) throw new AppError('NOT_FOUND', '상담 분류를 찾을 수 없습니다.', { field: 'categoryId' });
    if (category.level < 2) throw new AppError('VALIDATION_FAILED', '업무 또는 세부 분류를 선택하세요.', { field: 'categoryId' });
    const reason = body.reason ? maskPersonalData(body.reason).text : null;
    if (!target.isOnDuty && !reason) {
      throw new AppError('VALIDATION_FAILED', '이 업무의 담당자가 아닌 직원에게 연결하려면 사유를 적으세요.', { field: 'reason' });
    }

    // The notes reach the official's screen as they are stored: masked like every note, the caller's own name (as
    // typed in full) and names after 민원인/성명 included; the city's own numbers kept (issue #11 §3, #18 item 8).
    const citizenId = await findCitizenOfCall(this.deps.db, body.contactId);
    const callerName = citizenId ? ((await findCitizen(this.deps.db, this.deps.vault, citizenId))?.name ?? null) : null;
    const masking = { keepPhones: await cityPhoneKeys(this.deps) };
    const summary = maskFreeText(body.summary, [callerName], masking).text.slice(0, 200);
    const notes = maskFreeText(body.notes, [callerName], masking).text;

    const now = this.deps.clock.now();
    const at = now.toISOString();
    const id = newId();
    const ringSeconds = this.deps.config.transfers.ringTimeoutSeconds;
    await this.deps.db.transaction().execute(async (trx) => {
      await insertTransferAttempt(trx, {
        id,
        interaction_id: body.contactId,
        agent_id: user.id,
        official_id: target.id,
        department_id: target.department_id,
        category_id: body.categoryId,
        summary,
        notes,
        outside_duty_reason: target.isOnDuty ? null : reason,
        status: 'ringing',
        decline_reason: null,
        created_at: at,
        ring_deadline_at: new Date(now.getTime() + ringSeconds * 1000).toISOString(),
        accepted_at: null,
        ended_at: null,
        case_id: null,
        handoff_id: null,
      });
      await appendEvents(trx, [
        { type: 'transfer_attempted', at, interactionId: body.contactId, actorId: user.id, detail: target.name, data: { transferId: id, officialId: target.id, departmentId: target.department_id, onDuty: target.isOnDuty } },
      ]);
    });

    // An official who is on a call, away, in a meeting, off duty or on leave is not rung: the request becomes a
    // hand-off at once, and the agent tells the caller when to expect the answer.
    const [presence] = this.presence ? await this.presence.presenceList({ userId: target.id }) : [];
    if (presence && !presence.presence.reachable) {
      await this.end(id, unreachableAction(presence.presence.state));
      return this.view(id, user);
    }

    // The caller is put on hold and the phone system rings the official's extension (consultative leg).
    try {
      await this.acd.transfer(user.id, body.contactId, { mode: 'consultative', target: target.extension ?? `user:${target.id}` });
    } catch (err) {
      // The call ended or moved in between: nothing is lost, the request becomes a hand-off.
      await this.end(id, 'caller_left');
      throw err;
    }
    const attempt = await this.view(id, user);
    await this.announceIncoming(id);
    this.notifier.sendToUser(user.id, { type: 'transfer.update', attempt });
    return attempt;
  }

  /** The official takes it: agent and official talk first (the caller still waits). Idempotent. */
  async accept(user: Viewer, id: string): Promise<TransferAttempt> {
    const row = await this.officialsAttempt(user, id);
    const at = this.deps.clock.now().toISOString();
    if (row.status === 'ringing') {
      transitionTransfer(row.status, 'accept');
      const moved = await this.deps.db.transaction().execute(async (trx) => {
        if (!(await updateAttemptIf(trx, id, ['ringing'], { status: 'consulting', accepted_at: at }))) return false;
        await appendEvents(trx, [{ type: 'transfer_accepted', at, interactionId: row.interaction_id, actorId: user.id, data: { transferId: id } }]);
        return true;
      });
      if (moved) await this.broadcast(id);
    }
    // A double or late accept changes nothing: the answer is where the attempt stands.
    return this.view(id, user);
  }

  /** The official cannot take it now: it falls back to a hand-off assigned to them. Idempotent. */
  async decline(user: Viewer, id: string, reason: string): Promise<TransferAttempt> {
    const row = await this.officialsAttempt(user, id);
    if (LIVE_TRANSFER_STATUSES.includes(row.status)) await this.end(id, 'decline', maskPersonalData(reason).text);
    return this.view(id, user);
  }

  /** After talking, the agent hands the caller over (or makes it a conference and leaves). */
  async connect(user: Viewer, id: string, mode: 'transfer' | 'conference'): Promise<TransferAttempt> {
    const row = await this.agentsAttempt(user, id);
    transitionTransfer(row.status, 'connect');
    if (!(await this.markConnected(row, mode, user.id, ['consulting']))) throw new AppError('CONFLICT', '담당자 연결이 이미 끝났습니다.', { transferId: id });
    if (mode === 'conference') await this.acd.conference(user.id, row.interaction_id, row.official_extension ?? `user:${row.official_id}`);
    await this.acd.completeTransfer(user.id, row.interaction_id);
    await this.broadcast(id);
    return this.view(id, user);
  }

  /** Records the connection (compare-and-set from `from`); false when the attempt had already ended. */
  private async markConnected(row: TransferAttemptRow, mode: 'transfer' | 'conference', actorId: string | null, from: readonly TransferStatus[] = LIVE_TRANSFER_STATUSES): Promise<boolean> {
    const at = this.deps.clock.now().toISOString();
    const moved = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await updateAttemptIf(trx, row.id, from, { status: 'connected', ended_at: at }))) return false;
      await appendEvents(trx, [
        {
          type: 'transfer_ended',
          at,
          interactionId: row.interaction_id,
          actorId,
          detail: 'connected',
          data: { transferId: row.id, disposition: 'connected', mode, officialId: row.official_id, departmentId: row.department_id },
        },
      ]);
      return true;
    });
    if (moved && actorId === null) await this.broadcast(row.id);
    return moved;
  }

  /** The agent takes the call back (no fall-back: the agent records the call as usual). */
  async cancel(user: Viewer, id: string): Promise<TransferAttempt> {
    const row = await this.agentsAttempt(user, id);
    if (LIVE_TRANSFER_STATUSES.includes(row.status)) await this.end(id, 'cancel');
    return this.view(id, user);
  }

  /** Ends ringing attempts whose ring time is up (no answer): called every second by the server, by tests directly. */
  async tick(): Promise<number> {
    const expired = await listExpiredRinging(this.deps.db, this.deps.clock.now().toISOString());
    for (const id of expired) await this.end(id, 'ring_timeout');
    return expired.length;
  }

  /**
   * At start-up: no phone is ringing for an attempt of the previous process, so every live attempt becomes
   * unreachable and falls back; a fall-back interrupted before its hand-off was written is completed.
   */
  async recover(): Promise<number> {
    const live = await listLiveAttempts(this.deps.db);
    for (const id of live) await this.end(id, 'unreachable');
    const unfinished = await listFallbacksWithoutHandOff(this.deps.db, FALLBACK_STATUSES);
    for (const id of unfinished) await this.writeFallback(id);
    return live.length + unfinished.length;
  }

  /** One attempt as this viewer sees it (agent who asked, the official asked, supervisors). */
  async get(user: Viewer, id: string): Promise<TransferAttempt> {
    const row = await findTransferAttempt(this.deps.db, id);
    if (!row || !this.maySee(user, row)) throw new AppError('NOT_FOUND', '담당자 연결 요청을 찾을 수 없습니다.');
    return this.present(row, user);
  }

  /** The official's incoming cards still open (after a reload of the official's screen). */
  async incoming(user: Viewer): Promise<TransferCard[]> {
    const rows = await listLiveAttemptsForOfficial(this.deps.db, user.id);
    return Promise.all(rows.map((r) => this.card(r, user)));
  }

  // ————————————————————————————————————————— internals —————————————————————————————————————————

  /**
   * Ends a live attempt with `action` (compare-and-set: whoever gets there first decides), then, for a failure,
   * writes the fall-back hand-off and gives the caller back to the agent. Nothing happens when it already ended.
   */
  private async end(id: string, action: Exclude<TransferAction, 'accept' | 'connect'>, declineReason: string | null = null): Promise<void> {
    const row = await findTransferAttempt(this.deps.db, id);
    if (!row || !LIVE_TRANSFER_STATUSES.includes(row.status)) return;
    const disposition = transitionTransfer(row.status, action) as TransferDisposition;
    const at = this.deps.clock.now().toISOString();
    const moved = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await updateAttemptIf(trx, id, [row.status], { status: disposition, ended_at: at, decline_reason: declineReason }))) return false;
      await appendEvents(trx, [
        {
          type: 'transfer_ended',
          at,
          interactionId: row.interaction_id,
          actorId: action === 'decline' ? row.official_id : action === 'cancel' ? row.agent_id : null,
          detail: disposition,
          data: { transferId: id, disposition, officialId: row.official_id, departmentId: row.department_id, ...(declineReason ? { reason: declineReason } : {}) },
        },
      ]);
      return true;
    });
    if (!moved) return;
    // The caller comes back to the agent (when still there) to hear what happens next.
    const activity = this.acd.agentActivity(row.agent_id);
    if (activity.contactId === row.interaction_id && activity.status === 'consulting') await this.acd.cancelTransfer(row.agent_id, row.interaction_id);
    if (fallsBackToHandOff(disposition)) await this.writeFallback(id);
    await this.broadcast(id);
  }

  /**
   * The electronic hand-off an unsuccessful attempt becomes: the case is recorded on the agent's behalf (the agent's
   * notes, the task, 이관 to the official's department with its legal deadline) and assigned to the official asked.
   */
  private async writeFallback(id: string): Promise<void> {
    const row = await findTransferAttempt(this.deps.db, id);
    if (!row || row.handoff_id) return;
    const onBehalf = await findActingViewer(this.deps.db, row.agent_id, 'transfer-fallback');
    const outcome = `담당자 연결 실패(${row.status}) 후 자동 이관`;
    const result = await recordCase(this.deps, onBehalf, {
      interactionId: row.interaction_id,
      categoryId: row.category_id,
      summary: row.summary,
      notes: [row.notes, `[${outcome}] ${row.official_name}${row.decline_reason ? ` · 사유: ${row.decline_reason}` : ''}`].filter(Boolean).join('\n'),
      articleIds: [],
      outcome: 'handed_off',
      ...(row.department_id ? { departmentId: row.department_id } : {}),
    });
    if (!result.handOff) return;
    const handOffId = result.handOff.id;
    await this.deps.db.transaction().execute(async (trx) => {
      await setAttemptFallback(trx, id, result.caseId, handOffId);
      await assignHandOffTo(trx, handOffId, row.official_id);
    });
    this.notifier.notifyDepartmentInbox(result.handOff.departmentId, this.deps.clock.now().toISOString());
  }

  private async onAcdNotice(notice: AcdNotice): Promise<void> {
    if (notice.kind !== 'agent' || notice.message.type !== 'call.event') return;
    const { event, contactId } = notice.message;
    if (event !== 'ended' && event !== 'abandoned' && event !== 'transferred') return;
    const live = await findLiveAttemptOfCall(this.deps.db, contactId);
    if (!live) return;
    // The agent completed the consultation from the desk's own call controls (or the phone system did): the official
    // has the caller, whether or not the card was accepted first.
    if (event === 'transferred') await this.markConnected(live, 'transfer', null);
    else await this.end(live.id, 'caller_left');
  }

  private async officialsAttempt(user: Viewer, id: string): Promise<TransferAttemptRow> {
    const row = await findTransferAttempt(this.deps.db, id);
    // Another official (or department) neither sees nor acts on the card.
    if (!row || row.official_id !== user.id) throw new AppError('NOT_FOUND', '담당자 연결 요청을 찾을 수 없습니다.');
    return row;
  }

  private async agentsAttempt(user: Viewer, id: string): Promise<TransferAttemptRow> {
    const row = await findTransferAttempt(this.deps.db, id);
    if (!row || row.agent_id !== user.id) throw new AppError('NOT_FOUND', '담당자 연결 요청을 찾을 수 없습니다.');
    return row;
  }

  private maySee(user: Viewer, row: TransferAttemptRow): boolean {
    return user.role === 'supervisor' || user.id === row.agent_id || user.id === row.official_id;
  }

  private async view(id: string, user: Viewer): Promise<TransferAttempt> {
    const row = await findTransferAttempt(this.deps.db, id);
    if (!row) throw new AppError('NOT_FOUND', '담당자 연결 요청을 찾을 수 없습니다.');
    return this.present(row, user);
  }

  private present(row: TransferAttemptRow, user: Pick<Viewer, 'id'>): TransferAttempt {
    const actions = allowedTransferActions(row.status).filter((a) =>
      user.id === row.official_id ? a === 'accept' || a === 'decline' : user.id === row.agent_id ? a === 'connect' || a === 'cancel' : false,
    );
    return {
      id: row.id,
      contactId: row.interaction_id,
      status: row.status,
      agentId: row.agent_id,
      agentName: row.agent_name,
      official: { id: row.official_id, name: row.official_name, departmentId: row.department_id, departmentName: row.department_name, extension: row.official_extension },
      categoryPath: row.category_path,
      summary: row.summary,
      notes: row.notes,
      outsideDutyReason: row.outside_duty_reason,
      declineReason: row.decline_reason,
      createdAt: row.created_at,
      ringDeadlineAt: row.ring_deadline_at,
      acceptedAt: row.accepted_at,
      endedAt: row.ended_at,
      fallback:
        row.case_id && row.handoff_id && row.handoff_due_at
          ? {
              caseId: row.case_id,
              caseNumber: row.case_number ?? '',
              handOffId: row.handoff_id,
              dueAt: row.handoff_due_at,
              sentence: fallbackSentence(row.department_name, new Date(row.handoff_due_at)),
            }
          : null,
      allowedActions: actions,
    };
  }

  /** The official's card: the attempt and the caller's history, masked for the official's role and recorded. */
  private async card(row: TransferAttemptRow, official: Viewer): Promise<TransferCard> {
    const citizenId = await findCitizenOfCall(this.deps.db, row.interaction_id);
    const callerCard = citizenId ? presentCallerCard(official.role, await getCallerCard(this.deps, citizenId, row.interaction_id, official)) : null;
    return { attempt: this.present(row, official), callerCard };
  }

  private async announceIncoming(id: string): Promise<void> {
    const row = await findTransferAttempt(this.deps.db, id);
    if (!row) return;
    const viewer = await findActingViewer(this.deps.db, row.official_id, 'transfer-card');
    this.notifier.sendToUser(row.official_id, { type: 'transfer.incoming', card: await this.card(row, viewer) });
  }

  /** Both screens get the attempt as it now stands. */
  private async broadcast(id: string): Promise<void> {
    const row = await findTransferAttempt(this.deps.db, id);
    if (!row) return;
    this.notifier.sendToUser(row.agent_id, { type: 'transfer.update', attempt: this.present(row, { id: row.agent_id }) });
    this.notifier.sendToUser(row.official_id, { type: 'transfer.update', attempt: this.present(row, { id: row.official_id }) });
  }
}
