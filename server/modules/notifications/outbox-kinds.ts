import type { Db } from '../../db/database';
import type { Vault } from '../../lib/vault';
import type { Delivered } from '../../ports/delivery';
import { deliverCaseMessage } from '../connectors/case-system.service';
import { CASE_SYSTEM_KIND } from '../connectors/case-system.repository';
import { SURVEY_INVITE, surveyOutboxKind } from '../surveys/surveys.outbox';
import { recordCitizenTold } from './citizen-told';
import { isAwaitingTold, openCallbackTask } from './notifications.repository';
import type { OutboxRow } from './outbox.repository';

/**
 * What a kind of message means to the rest of OneCall, run in the transaction that records the outcome: `onSent`
 * when it was delivered, `onGaveUp` when the outbox stopped trying. Later kinds (surveys, the external case system)
 * add their entry here.
 */
export type OutboxKind = {
  onSent(trx: Db, message: OutboxRow, at: string, deps: { vault: Vault }): Promise<void>;
  onGaveUp(trx: Db, message: OutboxRow, at: string): Promise<void>;
  /** Its own delivery (instead of the sms/email channel), e.g. the external case system. */
  deliver?(deps: { db: Db; vault: Vault }, message: OutboxRow): Promise<Delivered>;
};

/** The department's answer to a handed-off case (회신 안내). */
export const HANDOFF_ANSWER = 'handoff_answer';

export const OUTBOX_KINDS: Readonly<Record<string, OutboxKind>> = {
  [HANDOFF_ANSWER]: {
    async onSent(trx, m, at, deps) {
      if (!m.handoff_id || !m.case_id) return;
      await recordCitizenTold(trx, deps, { handOffId: m.handoff_id, caseId: m.case_id }, m.channel as 'sms' | 'email', at, null, { messageId: m.id });
    },
    // The citizen is still owed the answer: an agent calls back and reads it (the desk's callback list).
    async onGaveUp(trx, m, at) {
      if (!m.case_id || (m.handoff_id && !(await isAwaitingTold(trx, m.handoff_id)))) return;
      await openCallbackTask(trx, { case_id: m.case_id, handoff_id: m.handoff_id, outbox_message_id: m.id, reason: 'delivery_failed', created_at: at });
    },
  },
  // A survey link (issue #15): undelivered → the invitation no longer counts as asked.
  [SURVEY_INVITE]: surveyOutboxKind,
  // The administrative case system (issue #16 §1): a failure shows on the admin's 연계 screen (retry / skip).
  [CASE_SYSTEM_KIND]: { onSent: async () => undefined, onGaveUp: async () => undefined, deliver: deliverCaseMessage },
};
