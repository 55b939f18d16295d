import type { Db } from '../../db/database';

/** The call states in which the ACD has put a caller in front of an agent (offered, talking, on hold, consulting). */
const LIVE_CONTACT_STATUSES = ['reserved', 'connected', 'held', 'consulting'] as const;

/**
 * Whether the agent served the citizen: a call of theirs with him (interactions.agent_id is set when the call is
 * answered), a case he recorded about him, or a call of his the ACD is offering or has connected to the agent now.
 * Each look-up uses the citizen's index (interactions, cases) or the contact's primary key.
 */
export async function hasServedCitizen(db: Db, agentId: string, citizenId: string): Promise<boolean> {
  const call = await db.selectFrom('interactions').select('id').where('citizen_id', '=', citizenId).where('agent_id', '=', agentId).limit(1).executeTakeFirst();
  if (call) return true;
  const recorded = await db.selectFrom('cases').select('id').where('citizen_id', '=', citizenId).where('agent_id', '=', agentId).limit(1).executeTakeFirst();
  if (recorded) return true;
  const offered = await db
    .selectFrom('acd_contacts as c')
    .innerJoin('interactions as i', 'i.id', 'c.id')
    .select('c.id')
    .where('i.citizen_id', '=', citizenId)
    .where('c.agent_id', '=', agentId)
    .where('c.status', 'in', [...LIVE_CONTACT_STATUSES])
    .limit(1)
    .executeTakeFirst();
  return offered !== undefined;
}

/**
 * The reason of the user's latest granted view of the citizen since a time that was opened with a need-to-know
 * reason (`reasonPrefix`), or undefined. One user's records of one day: the `at` index, then a filter.
 */
export async function findNeedToKnowReason(db: Db, userId: string, citizenId: string, since: string, reasonPrefix: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('access_records')
    .select('reason')
    .where('at', '>=', since)
    .where('user_id', '=', userId)
    .where('subject', '=', citizenId)
    .where('action', '=', 'view')
    .where('result', '=', 'success')
    .where('reason', 'like', `${reasonPrefix}%`)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.reason ?? undefined;
}
