import type { Db } from '../../db/database';
import { listContactEvents } from '../statistics/statistics.repository';

/**
 * Reads of 인력 산정 (issue #12 §3): the raw contact events the plan counts (through the statistics' one reader of
 * the event log) and the days the centre was closed.
 */

/** The events that say when a call entered and left the queue and how long it was handled (no dispositions). */
const QUEUE_AND_HANDLING_EVENTS = [
  'call_queued',
  'call_answered',
  'call_abandoned',
  'callback_requested',
  'call_held',
  'call_resumed',
  'call_transferred',
  'call_ended',
  'wrap_up_ended',
] as const;

/** Contact events of calls in [fromIso, toIso) that the staffing history counts. */
export async function listQueueAndHandlingEvents(db: Db, fromIso: string, toIso: string) {
  return listContactEvents(db, fromIso, toIso, QUEUE_AND_HANDLING_EVENTS);
}

/** Days in [fromDay, toDay) an administrator declared closed (acd_closed_days), YYYY-MM-DD. */
export async function listClosedDaysBetween(db: Db, fromDay: string, toDay: string): Promise<string[]> {
  const rows = await db.selectFrom('acd_closed_days').select('day').where('day', '>=', fromDay).where('day', '<', toDay).execute();
  return rows.map((r) => r.day);
}
