import { HandOffStatusSchema, type HandOffStatus } from '../../../core/contracts/enums';
import type { CaseSystemEvent } from '../../../core/domain/case-system';
import type { Db } from '../../db/database';
import type { Vault } from '../../lib/vault';
import { newId } from '../../lib/ids';
import { enqueueMessage } from '../notifications/outbox.repository';
import { CASE_SYSTEM_KIND, hasQueuedMessage, isLinkEnabled } from './case-system.repository';

/** Attempts per message (30 s doubling up to the outbox's cap): about a day of an unreachable case system. */
export const CASE_SYSTEM_MAX_ATTEMPTS = 12;

/**
 * The idempotency key of a hand-off's message: also what the case system receives to drop a repeat. A status message
 * names its status (`…:status:acknowledged:<id>`), so the admin's history can say which status went out while the
 * payload stays sealed.
 */
export const caseMessageKey = (handOffId: string, e: CaseSystemEvent, messageId?: string) =>
  e.event === 'created'
    ? `${CASE_SYSTEM_KIND}:${handOffId}:created`
    : `${CASE_SYSTEM_KIND}:${handOffId}:${e.event}:${e.event === 'status' ? `${e.status}:` : ''}${messageId ?? newId()}`;

/** The event a message carries, read from its key (the payload is sealed). */
export const eventOfKey = (key: string): string => key.split(':')[2] ?? '';

/** The hand-off status a status message carried, from its key; null for other events and keys written before it was named. */
export function statusOfKey(key: string): HandOffStatus | null {
  const parts = key.split(':');
  const status = parts.length === 5 && parts[2] === 'status' ? parts[3] : undefined;
  return HandOffStatusSchema.safeParse(status).success ? (status as HandOffStatus) : null;
}

/**
 * The hook the hand-off code calls in its own transaction (issue #16 §1): when the case-system link is on, the
 * hand-off's creation, later status changes and answer each become one outbox message (sealed payload), so the
 * message exists exactly when the change committed. A hand-off created while the link was off is not followed later.
 */
export async function queueCaseSystemEvent(trx: Db, deps: { vault: Vault }, h: { handOffId: string; caseId: string; at: string }, e: CaseSystemEvent): Promise<void> {
  if (!(await isLinkEnabled(trx))) return;
  if (e.event !== 'created' && !(await hasQueuedMessage(trx, caseMessageKey(h.handOffId, { event: 'created' })))) return;
  await enqueueMessage(trx, {
    kind: CASE_SYSTEM_KIND,
    channel: 'case_system',
    payloadSealed: deps.vault.seal(JSON.stringify(e)),
    idempotencyKey: caseMessageKey(h.handOffId, e),
    maxAttempts: CASE_SYSTEM_MAX_ATTEMPTS,
    at: h.at,
    caseId: h.caseId,
    handOffId: h.handOffId,
  });
}
