import { transitionHandOff } from '../../../core/domain/handoff-lifecycle';
import type { Db } from '../../db/database';
import type { Vault } from '../../lib/vault';
import { queueCaseSystemEvent } from '../connectors/case-system.queue';
import { appendEvents } from '../events/events.repository';
import { cancelOpenCallbackTasks, closeToldHandOff } from './notifications.repository';

/** How the citizen was told; `declined` when the citizen asked not to be contacted. */
export type ToldChannel = 'sms' | 'email' | 'callback' | 'declined';

/**
 * The citizen has been told the answer (or declined to be): in the caller's transaction the answered hand-off becomes
 * `closed` with the channel and time, any other open callback task for it is cancelled, and `citizen_told` (detail:
 * the channel) and `handoff_closed` go into the contact event log. A hand-off already closed (a retried message
 * delivered after an agent's callback) stays as it was: false. When the case-system link is on, the 'closed' status
 * is queued for it in the same transaction, after the hand-off's earlier messages (issue #16 §1).
 */
export async function recordCitizenTold(
  trx: Db,
  deps: { vault: Vault },
  h: { handOffId: string; caseId: string },
  channel: ToldChannel,
  at: string,
  actorId: string | null,
  data: Record<string, unknown> = {},
): Promise<boolean> {
  transitionHandOff('answered', 'close');
  if (!(await closeToldHandOff(trx, h.handOffId, channel, at))) return false;
  await cancelOpenCallbackTasks(trx, h.handOffId, at);
  const ids = { caseId: h.caseId, handOffId: h.handOffId, actorId };
  await appendEvents(trx, [
    ...(channel === 'declined' ? [] : [{ type: 'citizen_told' as const, at, ...ids, detail: channel, data: { channel, ...data } }]),
    { type: 'handoff_closed', at, ...ids, detail: channel === 'declined' ? 'citizen_declined' : null },
  ]);
  await queueCaseSystemEvent(trx, deps, { handOffId: h.handOffId, caseId: h.caseId, at }, { event: 'status', status: 'closed', at });
  return true;
}
