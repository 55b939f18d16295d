import { parseArgs } from 'node:util';
import { addDays } from '../../core/domain/statistics';
import { loadConfig, parseDatabaseUrl } from '../config';
import { createAppDeps } from '../deps';
import { loadKeyRing } from '../lib/key-ring';
import { Vault } from '../lib/vault';
import { systemClock } from '../ports/clock/system.adapter';
import { simulateHistory, yesterdayKst } from '../modules/simulation/history-simulator';
import { openSimulationDatabase } from '../modules/simulation/simulation-db';

/**
 * npm run simulate -- --days N [--to YYYY-MM-DD | --from YYYY-MM-DD] [--calls N] [--agents N] [--seed S]
 *                     [--db FILE|postgres://…] [--schema NAME]
 * N days of a centre's history (seasons, weekends and holidays closed) written in bulk into a new SQLite file or a new
 * PostgreSQL schema, kept, so the statistics have months and years to show. docs/SIMULATION.md.
 */
export const HISTORY_USAGE = `usage: npm run simulate -- --days N [--to YYYY-MM-DD | --from YYYY-MM-DD] [--calls N] [--agents N] [--seed S]
                        [--db FILE|postgres://…] [--schema NAME]`;

export class HistoryUsageError extends Error {}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new HistoryUsageError(`--${name} must be a positive integer, got ${v}`);
  return n;
}

export async function runHistory(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      days: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      calls: { type: 'string' },
      agents: { type: 'string' },
      seed: { type: 'string', default: '1' },
      db: { type: 'string' },
      schema: { type: 'string' },
    },
    strict: true,
  });
  const days = positiveInt('days', values.days, 0);
  if (days > 3660) throw new HistoryUsageError(`--days is at most 3660 (ten years), got ${days}`);
  for (const k of ['from', 'to'] as const) {
    const v = values[k];
    if (v !== undefined && !(DAY.test(v) && addDays(v, 0) === v)) throw new HistoryUsageError(`--${k} must be a date YYYY-MM-DD, got ${v}`);
  }
  if (values.from && values.to) throw new HistoryUsageError('give --from or --to, not both');
  const clock = systemClock;
  const toDay = values.to ?? (values.from ? addDays(values.from, days - 1) : yesterdayKst(clock.now()));

  const config = loadConfig();
  const target = values.db ? parseDatabaseUrl(values.db, config.dataDir) : config.database.dialect === 'postgres' ? config.database : parseDatabaseUrl(':memory:', config.dataDir);
  const handle = await openSimulationDatabase(target, { keep: true, schema: values.schema });
  const vault = new Vault(loadKeyRing({ ...config.keys, keysJson: undefined, ephemeral: true }).ring);
  const deps = createAppDeps(config, handle, clock, vault);
  const started = performance.now();
  try {
    console.error(`simulating ${days} days to ${toDay}: ${values.calls ?? 1500} calls per working day, ${values.agents ?? 18} agents, seed ${values.seed}, ${handle.describe}`);
    const r = await simulateHistory(deps, {
      days,
      toDay,
      seed: values.seed,
      callsPerDay: positiveInt('calls', values.calls, 1500),
      agents: positiveInt('agents', values.agents, 18),
      holidays: deps.holidays,
      onProgress: (day, done, total) => {
        if (done % 30 === 0 || done === total) console.error(`  ${day}: ${done}/${total} days (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      },
    });
    const c = r.calls;
    console.log(
      [
        `모의 이력 ${r.fromDay} – ${r.toDay} (seed ${values.seed}): ${r.days} days, ${r.openDays} open, ${handle.describe}`,
        `  인입 ${c.offered}, 응답 ${c.answered}, 포기 ${c.abandoned}, 콜백 ${c.callbacks}, 업무시간 외 ${c.afterHours}`,
        `  상담 기록 ${r.cases}, 이관 ${r.handOffs.total} (기한 내 회신 ${r.handOffs.onTime}, 기한 후 회신 ${r.handOffs.late}, 미회신 ${r.handOffs.open})`,
        `  rows: ${r.interactions} interactions, ${r.events} contact events, ${r.stateChanges} agent state changes (rollups kept in the same transactions)`,
        `  실행 시간 (wall time) ${(r.wallMs / 1000).toFixed(1)} s`,
      ].join('\n'),
    );
  } finally {
    await handle.close();
  }
  return 0;
}
