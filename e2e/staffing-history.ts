import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DEFAULT_INTRADAY_PROFILE, minutesOf } from '../core/domain/day-model';
import { createRng } from '../core/domain/prng';
import { openDatabase } from '../server/db/database';
import { rebuildRollups } from '../server/modules/statistics/rollups.repository';

/**
 * Weeks of call history for the 인력 산정 screen, written straight into a SQLite database of OneCall as the ACD would
 * log it (an interaction and its raw contact events: queued, answered, ended, wrap-up ended, or abandoned): the
 * demo seed has no past weeks, and the journey needs a plan to look at. Weekdays only, on the simulator's intraday
 * profile (core/domain/day-model.ts), seeded so every run writes the same calls. The raw rows are written in bulk, then
 * the statistics' rollups are rebuilt from the raw log (as `npm run stats:rebuild` does), so the 통계 reports that read
 * them stay equal to the recomputation for the journeys that run after this one.
 *
 * Also a command for a demo database: `npx tsx e2e/staffing-history.ts DATA_DIR/onecall.db [weeks] [callsPerDay]`.
 */
export async function writeStaffingHistory(file: string, now: Date, options: { weeks?: number; callsPerDay?: number; seed?: string } = {}): Promise<number> {
  const weeks = options.weeks ?? 4;
  const callsPerDay = options.callsPerDay ?? 700;
  const rng = createRng(options.seed ?? 'staffing-history');
  const exp = (mean: number) => -Math.log(1 - rng.next()) * mean;
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  const insertCall = db.prepare(
    `insert into interactions (id, channel, direction, caller_number_sealed, dialled_number, status, started_at, answered_at, ended_at)
     values (?, 'phone', 'inbound', '', '120', 'ended', ?, ?, ?)`,
  );
  const insertEvent = db.prepare('insert into contact_events (id, at, type, interaction_id, data) values (?, ?, ?, ?, ?)');
  const iso = (ms: number) => new Date(ms).toISOString();
  const kstToday = new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
  const todayStart = Date.parse(`${kstToday}T00:00:00+09:00`);
  let written = 0;
  db.transaction(() => {
    for (let d = 1; d <= weeks * 7; d++) {
      const dayStart = todayStart - d * 86_400_000;
      const weekday = new Date(dayStart + 9 * 3_600_000).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      for (const interval of DEFAULT_INTRADAY_PROFILE) {
        const from = dayStart + minutesOf(interval.start) * 60_000;
        const calls = Math.round(callsPerDay * interval.weight * (0.9 + 0.2 * rng.next()));
        for (let i = 0; i < calls; i++) {
          const id = randomUUID();
          const queued = from + Math.floor(rng.next() * 1_800_000);
          const abandons = rng.next() < 0.04;
          const wait = Math.round((abandons ? 3 + exp(40) : exp(12)) * 1000);
          const talk = Math.round((100 + exp(80)) * 1000);
          const ended = queued + wait + talk;
          insertCall.run(id, iso(queued), abandons ? null : iso(queued + wait), iso(abandons ? queued + wait : ended));
          insertEvent.run(randomUUID(), iso(queued), 'call_queued', id, JSON.stringify({ queueId: 'demo' }));
          if (abandons) insertEvent.run(randomUUID(), iso(queued + wait), 'call_abandoned', id, null);
          else {
            insertEvent.run(randomUUID(), iso(queued + wait), 'call_answered', id, null);
            insertEvent.run(randomUUID(), iso(ended), 'call_ended', id, null);
            insertEvent.run(randomUUID(), iso(ended + 30_000), 'wrap_up_ended', id, null);
          }
          written++;
        }
      }
    }
  })();
  db.close();
  const handle = openDatabase({ dialect: 'sqlite', file });
  try {
    await handle.db.transaction().execute((trx) => rebuildRollups(trx));
  } finally {
    await handle.close();
  }
  return written;
}

if (process.argv[1]?.endsWith('staffing-history.ts') && process.argv[2]) {
  const n = await writeStaffingHistory(process.argv[2], new Date(), { weeks: Number(process.argv[3] ?? 4), callsPerDay: Number(process.argv[4] ?? 700) });
  console.log(`wrote ${n} calls and rebuilt the statistics' rollups`);
}
