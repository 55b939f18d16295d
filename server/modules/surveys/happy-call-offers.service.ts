import type { CurrentHappyCall } from '../../../core/contracts/surveys';
import { normalizePhone } from '../../../core/domain/phone';
import { HAPPY_CALL_CLAIM_MINUTES, nextHappyCallStep } from '../../../core/domain/surveys';
import type { AppDeps } from '../../deps';
import { HAPPY_CALL_QUEUE, type AcdService } from '../acd/acd.service';
import type { Viewer } from '../privacy/access-context';
import { openHappyCallSheet } from './happy-calls.service';
import * as repo from './surveys.repository';
import { getSettings } from './surveys.service';

/** How many due happy calls one tick hands to the ACD (the rest on the next tick). */
const BATCH = 50;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'vault' | 'config'>;

/**
 * 만족도 조사 전화 through the ACD (issue #15), the way 회신 전화 works (notifications/callback-calls.service.ts): a due
 * happy call is queued by the ACD on its outbound queue 만족도 조사 전화 and offered to an available agent like a call;
 * the phone system dials the citizen on the offer (dial_callback). The agent who answers the offer gets the
 * questionnaire on the desk (GET /api/surveys/calls/current: consent and opt-out checked again, the call held by that
 * agent), and writes down the answers, 부재 or 거절 exactly as from the list (happy-calls.service.ts).
 *
 * State lives in the database: the invitation's `contact_id` is written in the ACD's own transaction with the contact,
 * so a restart neither loses nor repeats a try. `tick()` (with the survey scheduler, every 5 s; tests call it) queues
 * what is due, takes back calls still in line or ringing whose survey is over (answered, expired, consent withdrawn),
 * and counts a try whose contact the ACD no longer holds without a report (the agent finished without writing
 * anything, a restart mid-call) as 부재: tried again after the wait, closed after the last try.
 *
 * The list on the desk stays: it shows what is owed, who has one and the tries (a supervisor's view of the backlog),
 * and is how happy calls are made when a supervisor turns the 만족도 조사 전화 queue off (nothing is queued then).
 */
export class HappyCallOffers {
  private queueId: string | null = null;
  private running = false;

  constructor(
    private readonly deps: Deps,
    private readonly acd: AcdService,
  ) {}

  async tick(): Promise<{ queued: number; withdrawn: number; unreported: number; skipped: number }> {
    const result = { queued: 0, withdrawn: 0, unreported: 0, skipped: 0 };
    if (this.running) return result;
    this.running = true;
    try {
      const db = this.deps.db;
      const now = this.deps.clock.now();
      const at = now.toISOString();
      const settings = await getSettings(db);
      // The queue is made when the first happy call is due; asked again each tick (a supervisor may turn it off or on).
      this.queueId = await this.acd.outboundQueue(HAPPY_CALL_QUEUE, false);

      for (const h of await repo.listHappyCallsInCall(db)) {
        if (this.acd.holdsContact(h.contact_id)) continue;
        const step = nextHappyCallStep(h.call_attempts, 'no_answer', now, { maxAttempts: settings.happyCallMaxAttempts, retryMinutes: settings.happyCallRetryMinutes });
        const nextAttemptAt = step.nextAttemptAt?.toISOString() ?? null;
        if (await repo.recordUnreportedHappyCall(db, h.id, h.contact_id, at, { attempts: step.attempts, nextAttemptAt, closedFor: step.status === 'closed' ? 'no_answer' : null })) result.unreported++;
      }

      // Calls still in line or ringing an agent whose survey is over meanwhile are taken back; so are those of citizens
      // who withdrew consent or opted out since they were queued (the phone system dials on the offer).
      const pending = this.queueId ? this.acd.pendingOutboundCallbacks(this.queueId) : [];
      const owed = await repo.listHappyCallsOfContacts(db, pending);
      const pendingIndexes = [...new Set(owed.map((h) => h.phone_index))];
      const [pendingOptOuts, pendingConsents] = await Promise.all([repo.findOptOuts(db, pendingIndexes), repo.findConsents(db, pendingIndexes)]);
      const byContact = new Map(owed.map((h) => [h.contact_id, h]));
      for (const id of pending) {
        const h = byContact.get(id);
        const refusal = h ? refusalOf(h.phone_index, pendingOptOuts, pendingConsents) : null;
        if (h?.status === 'scheduled' && !refusal) continue;
        if (h?.status === 'scheduled' && refusal) await repo.markInvitationSkipped(db, h.id, refusal);
        if (await this.acd.withdrawOutboundCallback(id)) result.withdrawn++;
      }

      const expiredBefore = new Date(now.getTime() - settings.expiryHours * 3_600_000).toISOString();
      const staleBefore = new Date(now.getTime() - HAPPY_CALL_CLAIM_MINUTES * 60_000).toISOString();
      const due = await repo.listHappyCallsToQueue(db, at, expiredBefore, staleBefore, BATCH);
      if (due.length === 0) return result;
      this.queueId ??= await this.acd.outboundQueue(HAPPY_CALL_QUEUE, true);
      if (!this.queueId) return result;
      const indexes = [...new Set(due.map((d) => d.phone_index))];
      const [optOuts, consents] = await Promise.all([repo.findOptOuts(db, indexes), repo.findConsents(db, indexes)]);
      for (const h of due) {
        const consent = consents.get(h.phone_index);
        const number = consent?.address_sealed ? normalizePhone(this.deps.vault.open(consent.address_sealed)) : undefined;
        // Consent and opt-out are checked before the citizen is called (and again when the agent answers the offer).
        const refusal = refusalOf(h.phone_index, optOuts, consents) ?? (number ? null : 'no_consent');
        if (refusal || !number) {
          await repo.markInvitationSkipped(db, h.id, refusal ?? 'no_consent');
          result.skipped++;
          continue;
        }
        await this.acd.queueOutboundCallback({ number, citizenId: h.citizen_id ?? null, queueId: this.queueId, readyAt: null }, (trx, contactId) =>
          repo.linkHappyCallContact(trx, h.id, contactId),
        );
        result.queued++;
      }
      return result;
    } finally {
      this.running = false;
    }
  }

  /**
   * The questionnaire of the happy call this agent answered (on the line or in wrap-up); null while it only rings or
   * when the agent's contact is not a happy call. 410 SURVEY_CLOSED when the citizen withdrew consent or opted out.
   */
  async current(viewer: Viewer): Promise<CurrentHappyCall> {
    const { status, contactId } = this.acd.agentActivity(viewer.id);
    if (!contactId || status === 'reserved') return { sheet: null };
    const row = await repo.findHappyCallOfContact(this.deps.db, contactId);
    if (!row || row.status !== 'scheduled') return { sheet: null };
    return { sheet: await openHappyCallSheet(this.deps, viewer, row.id, contactId) };
  }
}

/** Why a citizen may not be called for a survey now: opted out, or no consent to be asked by phone; null when he may. */
function refusalOf(phoneIndex: string, optOuts: Set<string>, consents: Map<string, repo.ConsentRow>): 'opted_out' | 'no_consent' | null {
  if (optOuts.has(phoneIndex)) return 'opted_out';
  const consent = consents.get(phoneIndex);
  return consent?.surveys === 1 && consent.channel === 'call' ? null : 'no_consent';
}
