import type { Db } from '../../db/tables';
import { markInvitationSkipped } from './surveys.repository';

/** The outbox kind of a survey link. */
export const SURVEY_INVITE = 'survey_invite';

/**
 * What a survey link message means to the outbox (server/modules/notifications/outbox-kinds.ts): nothing to record
 * when delivered (the invitation is already `sent`); when the outbox gives up, the invitation is `skipped` as
 * undelivered, so it no longer counts as asked in the response rate.
 */
export const surveyOutboxKind = {
  onSent: async () => undefined,
  async onGaveUp(trx: Db, m: { idempotency_key: string }): Promise<void> {
    const invitationId = m.idempotency_key.split(':')[1];
    if (invitationId) await markInvitationSkipped(trx, invitationId, 'undelivered');
  },
};
