import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StaffingWhatIfQuerySchema } from '../core/contracts/staffing';
import { loadConfig } from '../server/config';
import { createAppDeps } from '../server/deps';
import { staffingWhatIf } from '../server/modules/staffing/staffing.service';
import { FakeClock } from '../server/ports/clock/fake.adapter';
import { history } from './stats.bench';
import { percentile, type Bench, type BenchSection } from './types';

/**
 * 인력 산정 (issue #12 §3) on the statistics benchmark's kept history (a Gimpo-sized centre, 1,600 calls a weekday,
 * bench/stats.bench.ts generates it once per size): the plan and what-if over 4, 13 and 52 weeks, on SQLite and
 * PostgreSQL. "First" is a window not counted yet (each sample another plan date, so nothing is cached); "again" is
 * the same window with other targets and what-if agents (the counted history is kept per process, so the answer costs
 * Erlang C). Targets: the screen's answers (again) p95 < 200 ms; the first read of the default 4 weeks < 1 s.
 *
 * STAFFING_BENCH_DAYS overrides the history's days (default: the statistics bench's, 1,826; quick: 90). The history is
 * only read here: run `npm run bench -- stats` (same days) first; a missing one is an error, never generated twice.
 */
const NOW = '2026-12-01T10:00:00+09:00';
const TARGET_AGAIN_P95_MS = 200;
const TARGET_FIRST_4W_MS = 1_000;

type Row = { dialect: string; weeks: number; firstP50: number; firstMax: number; againP50: number; againP95: number; callsPerWeek: number };

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export const run: Bench = async ({ quick }) => {
  const days = Number(process.env.STAFFING_BENCH_DAYS ?? process.env.STATS_BENCH_DAYS ?? (quick ? 90 : 1_826));
  const weeksList = [4, 13, 52].filter((w) => w * 7 + 7 <= days);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const rows: Row[] = [];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    console.log(`  ${dialect}: history of ${days} days…`);
    // The statistics bench marks a finished history with this file (bench/stats.bench.ts `history`).
    const done = path.join(os.tmpdir(), `onecall_stats_${days}d_1600_v1.${dialect}.json`);
    if (!fs.existsSync(done)) throw new Error(`no statistics history of ${days} days on ${dialect} (${done}): run npm run bench -- stats first`);
    const { handle } = await history(dialect, days);
    try {
      const deps = createAppDeps(config, handle, new FakeClock(NOW));
      for (const weeks of weeksList) {
        const firsts: number[] = [];
        const firstSamples = quick || weeks >= 52 ? 3 : 5;
        let callsPerWeek = 0;
        for (let k = 0; k < firstSamples; k++) {
          // Another plan date each time: a window nobody has counted in this process.
          const q = StaffingWhatIfQuerySchema.parse({ weeks, date: addDays('2026-11-30', -k - 1), agents: 12 });
          firsts.push(await timed(async () => (callsPerWeek = (await staffingWhatIf(deps, q)).summary.weeklyOffered)));
        }
        const agains: number[] = [];
        for (let i = 0; i < (quick ? 20 : 60); i++) {
          const q = StaffingWhatIfQuerySchema.parse({ weeks, date: '2026-11-29', agents: 10 + (i % 25), targetSl: 70 + (i % 25), shrinkage: 20 + (i % 15) });
          agains.push(await timed(() => staffingWhatIf(deps, q)));
        }
        rows.push({ dialect, weeks, firstP50: percentile(firsts, 50), firstMax: Math.max(...firsts), againP50: percentile(agains.slice(1), 50), againP95: percentile(agains.slice(1), 95), callsPerWeek: Math.round(callsPerWeek) });
        console.log(`  ${dialect} ${weeks} weeks: first p50 ${percentile(firsts, 50).toFixed(0)} ms, again p95 ${percentile(agains.slice(1), 95).toFixed(1)} ms`);
      }
    } finally {
      await handle.close();
    }
  }
  const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const table = [
    '| database | history | calls a week (average) | first read p50 ms | first read max ms | again p50 ms | again p95 ms |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.dialect} | ${r.weeks} weeks | ${r.callsPerWeek.toLocaleString('en')} | ${ms(r.firstP50)} | ${ms(r.firstMax)} | ${ms(r.againP50)} | ${ms(r.againP95)} |`),
  ].join('\n');
  const againMet = rows.every((r) => r.againP95 < TARGET_AGAIN_P95_MS);
  const firstMet = rows.filter((r) => r.weeks === 4).every((r) => r.firstP50 < TARGET_FIRST_4W_MS);
  const section: BenchSection = {
    title: '인력 산정 (staffing plan and what-if)',
    targetsMet: againMet && firstMet && rows.length > 0,
    markdown: [
      `History: the statistics benchmark's ${days} days of a Gimpo-sized centre (1,600 calls a weekday). The service`,
      'function `staffingWhatIf` timed in-process (the route adds zod checks and ~80 KB of JSON). "First read": a window',
      'not counted yet in this process (raw contact events of the window read and counted per half hour, then Erlang C for',
      '336 half hours); "again": the same window with other targets, shrinkage and what-if agents (the counted history is',
      'kept 10 minutes per process: Erlang C only).',
      '',
      table,
      '',
      `Targets: again p95 < ${TARGET_AGAIN_P95_MS} ms (${againMet ? 'met' : '**not met**'}); first read of 4 weeks p50 < ${TARGET_FIRST_4W_MS} ms (${firstMet ? 'met' : '**not met**'}).`,
      'A year is read from the raw events (the statistics rollups are hourly; a half-hour grain would make it a few',
      'hundred rows): expect seconds for 52 weeks the first time.',
    ].join('\n'),
  };
  return [section];
};
