import type { KpiEvent } from '../../../core/domain/kpi';
import type { Db } from '../../db/database';

/**
 * Reads of 인력 산정 (issue #12 §3): the raw contact events the plan counts and the days the centre was closed.
 * Times are ISO-8601 UTC strings on both dialects, so a range is a string comparison on the indexed `at` column.
 */

/**
 * The events that say when a call entered and left the queue and when its handling ended. Holds are not read: the
 * handle time (talk + hold + after-call work) is answer → end → wrap-up end whatever the holds in between.
 */
const QUEUE_AND_HANDLING_EVENTS = ['call_queued', 'call_answered', 'call_abandoned', 'callback_requested', 'call_transferred', 'call_ended', 'wrap_up_ended'] as const;

/**
 * The queue and handling events of calls in [fromIso, toIso) as core/domain/kpi.ts reads them: only the call, the
 * type and the time (no data column to parse: the plan needs neither queue nor callback link), a few weeks of a
 * Gimpo-sized centre being some 60,000 rows.
 */
export async function listQueueAndHandlingEvents(db: Db, fromIso: string, toIso: string): Promise<KpiEvent[]> {
  const rows = await db
    .selectFrom('contact_events')
    .select(['interaction_id', 'type', 'at'])
    .where('at', '>=', fromIso)
    .where('at', '<', toIso)
    .where('interaction_id', 'is not', null)
    .where('type', 'in', [...QUEUE_AND_HANDLING_EVENTS])
    .execute();
  return rows.map((r) => ({ interactionId: r.interaction_id!, type: r.type, at: Date.parse(r.at) }));
}

/** Days in [fromDay, toDay) an administrator declared closed (acd_closed_days), YYYY-MM-DD. */
export async function listClosedDaysBetween(db: Db, fromDay: string, toDay: string): Promise<string[]> {
  const rows = await db.selectFrom('acd_closed_days').select('day').where('day', '>=', fromDay).where('day', '<', toDay).orderBy('day').execute();
  return rows.map((r) => r.day);
}
