import type { CallbackTask } from '../../../core/contracts/notifications';
import { CALLBACK_MAX_ATTEMPTS, callbackRetryAt } from '../../../core/domain/notifications';
import { normalizePhone } from '../../../core/domain/phone';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { AcdService } from '../acd/acd.service';
import { appendEvents } from '../events/events.repository';
import { accessBy, type Viewer } from '../privacy/access-context';
import { appendAccessRecords } from '../privacy/access-records.repository';
import {
  findCallbackTask,
  findCallbackTaskOfContact,
  giveUpCallbackTask,
  linkCallbackContact,
  listCallbackTasksInCall,
  listCallbackTasksOfContacts,
  listDueCallbackTasks,
  recordCallbackNotReached,
  type CallbackTaskRow,
} from './notifications.repository';
import { callbackNumberOf, toTask } from './notifications.service';

/** How many due tasks one tick hands to the ACD (the rest on the next tick, a second later). */
const BATCH = 50;

/**
 * 회신 전화 through the ACD (issue #11 §4): a callback task (the citizen chose a call back, gave no preference, or the
 * message finally failed) is queued by the ACD on its outbound queue and offered to an available agent like a call;
 * the phone system dials the citizen on the offer. The desk shows the answer to read and the number (masked; revealed
 * with a reason like any number). The agent then reports: told (the hand-off closes, notifications.service.ts) or not
 * reached (tried again later; after {@link CALLBACK_MAX_ATTEMPTS} the task is given up, visibly, on the case and the
 * list of given-up tasks).
 *
 * State lives in the database: `contact_id` is written in the ACD's own transaction with the contact, so a restart
 * neither loses nor repeats an attempt. `tick()` (every second in the server; tests call it) queues what is due,
 * takes back queued calls of tasks finished another way, and counts an attempt whose contact the ACD no longer holds
 * without a report (an agent who left, a restart mid-call) as not reached.
 */
export class CallbackCalls {
  private queueId: string | null = null;
  private running = false;

  constructor(
    private readonly deps: AppDeps,
    private readonly acd: AcdService,
  ) {}

  async tick(): Promise<{ queued: number; withdrawn: number; unreported: number; unreachable: number }> {
    const result = { queued: 0, withdrawn: 0, unreported: 0, unreachable: 0 };
    if (this.running) return result;
    this.running = true;
    try {
      const db = this.deps.db;
      // The outbound queue is made when the first task is due (a centre that never calls back has no such queue).
      this.queueId ??= await this.acd.outboundCallbackQueue(false);

      for (const t of await listCallbackTasksInCall(db)) {
        if (t.contact_id && !this.acd.holdsContact(t.contact_id) && (await this.notReached(t.id, t.contact_id, null))) result.unreported++;
      }

      // Calls still in line or ringing an agent for tasks finished another way meanwhile are taken back.
      const pending = this.queueId ? this.acd.pendingOutboundCallbacks(this.queueId) : [];
      const tasks = new Map((await listCallbackTasksOfContacts(db, pending)).map((t) => [t.contact_id, t]));
      for (const id of pending) {
        if (tasks.get(id)?.status === 'open') continue;
        if (await this.acd.withdrawOutboundCallback(id)) result.withdrawn++;
      }

      const at = this.deps.clock.now().toISOString();
      const due = await listDueCallbackTasks(db, at, BATCH);
      if (due.length > 0) this.queueId ??= await this.acd.outboundCallbackQueue(true);
      for (const t of due) {
        const number = callbackNumberOf(this.deps.vault, t);
        const e164 = number ? normalizePhone(number) : undefined;
        // A caller who withheld the number (and left none for the answer) cannot be called back: given up, visibly.
        if (!e164) {
          if (await this.giveUpWithoutNumber(t, at)) result.unreachable++;
          continue;
        }
        if (!this.queueId) continue;
        await this.acd.queueOutboundCallback({ number: e164, citizenId: t.citizen_id, queueId: this.queueId, readyAt: null }, (trx, contactId) =>
          linkCallbackContact(trx, t.id, contactId, at),
        );
        result.queued++;
      }
      return result;
    } finally {
      this.running = false;
    }
  }

  /** The callback task of the call the agent holds now (offered, on the line or in wrap-up), or null. */
  async current(viewer: Viewer): Promise<CallbackTask | null> {
    const { contactId } = this.acd.agentActivity(viewer.id);
    if (!contactId) return null;
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await findCallbackTaskOfContact(trx, contactId);
      if (!row) return null;
      const at = this.deps.clock.now().toISOString();
      await appendAccessRecords(trx, [accessBy(viewer, at, 'view', [row.citizen_id], `callback-task:${row.id}`, 1)]);
      return toTask(viewer, this.deps.vault, row);
    });
  }

  /** The agent could not reach the citizen on this attempt: tried again later, or given up after the last attempt. */
  async reportNotReached(viewer: Viewer, id: string): Promise<CallbackTask> {
    const task = await findCallbackTask(this.deps.db, id);
    if (!task) throw new AppError('NOT_FOUND', '회신 전화 업무를 찾을 수 없습니다.');
    if (task.status !== 'open') throw new AppError('CONFLICT', '이미 처리된 회신 전화입니다.', { status: task.status });
    if (!task.contact_id) throw new AppError('CONFLICT', '진행 중인 회신 전화가 없습니다. 상담사 배정을 기다리는 중입니다.');
    if (!(await this.notReached(id, task.contact_id, viewer))) throw new AppError('CONFLICT', '이미 처리된 회신 전화입니다.');
    return toTask(viewer, this.deps.vault, (await findCallbackTask(this.deps.db, id))!);
  }

  private async giveUpWithoutNumber(t: CallbackTaskRow, at: string): Promise<boolean> {
    return this.deps.db.transaction().execute(async (trx) => {
      if (!(await giveUpCallbackTask(trx, t.id, at))) return false;
      await appendEvents(trx, [
        { type: 'callback_not_reached', at, caseId: t.case_id, handOffId: t.handoff_id, actorId: null, detail: 'no_number', data: { callbackTaskId: t.id, attempt: 0 } },
      ]);
      return true;
    });
  }

  /** Counts an attempt that did not reach the citizen (compare-and-set on its contact) with its contact event. */
  private async notReached(id: string, contactId: string, viewer: Viewer | null): Promise<boolean> {
    const now = this.deps.clock.now();
    const at = now.toISOString();
    return this.deps.db.transaction().execute(async (trx) => {
      const task = await findCallbackTask(trx, id);
      if (!task || task.status !== 'open' || task.contact_id !== contactId) return false;
      const attempt = task.attempts + 1;
      const givesUp = attempt >= CALLBACK_MAX_ATTEMPTS;
      const next = givesUp ? null : callbackRetryAt(attempt, now).toISOString();
      if (!(await recordCallbackNotReached(trx, id, contactId, at, next, viewer?.id ?? null))) return false;
      await appendEvents(trx, [
        {
          type: 'callback_not_reached',
          at,
          interactionId: contactId,
          caseId: task.case_id,
          handOffId: task.handoff_id,
          actorId: viewer?.id ?? null,
          detail: givesUp ? 'gave_up' : viewer ? 'not_reached' : 'unreported',
          data: { callbackTaskId: id, attempt, nextAttemptAt: next },
        },
      ]);
      if (viewer) await appendAccessRecords(trx, [accessBy(viewer, at, 'update', [task.citizen_id], `callback-task:${id}`, 1)]);
      return true;
    });
  }
}
