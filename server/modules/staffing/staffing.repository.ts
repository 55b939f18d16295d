import { sql, type RawBuilder } from 'kysely';
import type { HalfHourCount } from '../../../core/domain/staffing';
import type { Db, Dialect } from '../../db/database';

/**
 * Reads of 인력 산정 (issue #12 §3): the half-hour counts of the raw contact events and the days the centre was
 * closed. The counts are `countHalfHours` of core/domain/staffing.ts done by the database (staffing.int.test.ts proves
 * them equal on a random history, on both dialects): a month of a Gimpo-sized centre is ~120,000 events, which would
 * otherwise all travel to the process.
 */

/** The events that say when a call entered and left the queue and when its handling ended (holds cancel out). */
const QUEUE_AND_HANDLING_EVENTS = ['call_queued', 'call_answered', 'call_abandoned', 'callback_requested', 'call_transferred', 'call_ended', 'wrap_up_ended'] as const;

/** Dialect-specific pieces: the KST day and half hour of a time column, and whole milliseconds between two. */
function timeSql(dialect: Dialect) {
  if (dialect === 'postgres') {
    const local = (col: string) => `(${col} at time zone 'Asia/Seoul')`;
    return {
      day: (col: string) => sql.raw(`to_char(${local(col)}, 'YYYY-MM-DD')`),
      slot: (col: string) => sql.raw(`(extract(hour from ${local(col)}) * 2 + floor(extract(minute from ${local(col)}) / 30))::int`),
      ms: (from: string, to: string) => `round(extract(epoch from (${to} - ${from})) * 1000)`,
      max0: (x: string) => `greatest(0, ${x})`,
    };
  }
  // ISO-8601 UTC text: SQLite's date functions read it; julianday differences rounded to whole ms are exact.
  return {
    day: (col: string) => sql.raw(`strftime('%Y-%m-%d', ${col}, '+9 hours')`),
    slot: (col: string) => sql.raw(`(cast(strftime('%H', ${col}, '+9 hours') as integer) * 2 + cast(strftime('%M', ${col}, '+9 hours') as integer) / 30)`),
    ms: (from: string, to: string) => `round((julianday(${to}) - julianday(${from})) * 86400000)`,
    max0: (x: string) => `max(0, ${x})`,
  };
}

/**
 * Per KST day and half hour of [fromIso, toIso): contacts offered by queue entry (an abandon within `shortAbandonMs`
 * left out) and contacts handled by answer with Σ handle time. Each call keeps the earliest event of each type, and
 * its way out of the queue is the earliest of answer, abandon and callback request (ties in that order), as
 * core/domain/kpi.ts derives them. Events are read from a day before to a day after the window (`readFromIso`,
 * `readToIso`) so calls that cross its edges are whole.
 */
export async function countHalfHoursOfEvents(
  db: Db,
  dialect: Dialect,
  w: { fromIso: string; toIso: string; readFromIso: string; readToIso: string },
  shortAbandonMs: number,
): Promise<HalfHourCount[]> {
  const t = timeSql(dialect);
  const types = sql.join(QUEUE_AND_HANDLING_EVENTS.map((type) => sql.lit(type)));
  const first = (type: string): RawBuilder<unknown> => sql.raw(`min(case when type = '${type}' then at end)`);
  // The short abandon: the call left the queue by abandoning (before any answer, not after a callback request).
  const shortAbandon = sql.raw(`ab is not null and (a is null or ab < a) and (cb is null or cb >= ab) and ${t.ms('q', 'ab')} < `);
  const handleMs = sql.raw(`${t.max0(t.ms('a', 'e'))} + coalesce(${t.max0(t.ms('e', 'w'))}, 0)`);
  const rows = await sql<{ kind: 'offered' | 'handled'; day: string; slot: number | string; contacts: number | string; handle_ms: number | string | null }>`
    with c as (
      select ${first('call_queued')} as q, ${first('call_answered')} as a, ${first('call_abandoned')} as ab,
        ${first('callback_requested')} as cb, min(case when type in ('call_ended', 'call_transferred') then at end) as e,
        ${first('wrap_up_ended')} as w
      from contact_events
      where at >= ${w.readFromIso} and at < ${w.readToIso} and interaction_id is not null and type in (${types})
      group by interaction_id
    )
    select 'offered' as kind, ${t.day('q')} as day, ${t.slot('q')} as slot, count(*) as contacts, 0 as handle_ms
    from c
    where q >= ${w.fromIso} and q < ${w.toIso} and not (${shortAbandon}${shortAbandonMs})
    group by 2, 3
    union all
    select 'handled' as kind, ${t.day('a')} as day, ${t.slot('a')} as slot, count(*) as contacts, sum(${handleMs}) as handle_ms
    from c
    where a >= ${w.fromIso} and a < ${w.toIso} and e is not null
    group by 2, 3
  `.execute(db);
  return rows.rows.map((r) => ({ kind: r.kind, day: r.day, slot: Number(r.slot), contacts: Number(r.contacts), handleMs: Number(r.handle_ms ?? 0) }));
}

/** Days in [fromDay, toDay) an administrator declared closed (acd_closed_days), YYYY-MM-DD. */
export async function listClosedDaysBetween(db: Db, fromDay: string, toDay: string): Promise<string[]> {
  const rows = await db.selectFrom('acd_closed_days').select('day').where('day', '>=', fromDay).where('day', '<', toDay).orderBy('day').execute();
  return rows.map((r) => r.day);
}
