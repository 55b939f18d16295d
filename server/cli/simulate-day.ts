import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { isAppError } from '../../core/errors';
import { loadConfig, parseDatabaseUrl } from '../config';
import { createAppDeps } from '../deps';
import { loadKeyRing } from '../lib/key-ring';
import { Vault } from '../lib/vault';
import { FakeClock } from '../ports/clock/fake.adapter';
import { createRng } from '../../core/domain/prng';
import { occupancyVerdict, realisticDay, SIM_PRESETS, type RealisticDay } from '../../core/domain/sim-presets';
import { SHIFT_KIND_ORDER, SHIFT_KINDS } from '../../core/domain/sim-staffing';
import { runSimulatedDay, type SimulationResult } from '../modules/simulation/day-simulator';
import { openSimulationDatabase } from '../modules/simulation/simulation-db';

/**
 * npm run simulate [-- --preset gimpo|seoul] [--calls N] [--agents N] [--seed S] [--date YYYY-MM-DD] [--db TARGET]
 *                  [--keep-db] [--poisson-total] [--writes deferred|immediate] [--json] [--json-out FILE]
 * npm run simulate -- --days N …: N days of history instead (server/cli/simulate-history.ts).
 * Plays a simulated weekday of a city call centre against the real ACD on a virtual clock and prints its KPIs,
 * recomputed from the contact event log. docs/SIMULATION.md describes the model and every option. For JSON on stdout
 * through npm use `npm run -s simulate -- --json` (npm prints a banner first otherwise), or `--json-out FILE`.
 */
const PRESET_NAMES = Object.keys(SIM_PRESETS).join(', ');

const USAGE = `usage: npm run simulate -- [--preset ${PRESET_NAMES}] [--calls N] [--agents N] [--seed S] [--date YYYY-MM-DD]
                        [--db :memory:|FILE|postgres://…] [--keep-db] [--poisson-total]
                        [--writes deferred|immediate] [--json] [--json-out FILE]
       npm run simulate -- --days N [--to|--from YYYY-MM-DD] [--calls N] [--agents N] [--seed S] [--db …] [--schema NAME]`;

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got ${v}`);
  return n;
}

class UsageError extends Error {}

async function run(): Promise<number> {
  // --days N: simulated history (server/cli/simulate-history.ts), not one day against the ACD.
  if (process.argv.slice(2).some((a) => a === '--days' || a.startsWith('--days='))) {
    const { runHistory, HistoryUsageError, HISTORY_USAGE } = await import('./simulate-history');
    try {
      return await runHistory(process.argv.slice(2));
    } catch (err) {
      if (err instanceof HistoryUsageError) throw new UsageError(`${err.message}\n${HISTORY_USAGE}`);
      throw err;
    }
  }
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      calls: { type: 'string' },
      agents: { type: 'string' },
      seed: { type: 'string', default: '1' },
      date: { type: 'string', default: '2026-12-01' },
      db: { type: 'string' },
      'keep-db': { type: 'boolean', default: false },
      'poisson-total': { type: 'boolean', default: false },
      writes: { type: 'string', default: 'deferred' },
      json: { type: 'boolean', default: false },
      'json-out': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const preset = SIM_PRESETS[values.preset ?? 'gimpo'];
  if (!preset) throw new UsageError(`unknown preset ${values.preset} (${PRESET_NAMES})`);
  // The preset's realistic day (shifts from the Erlang C plan, retrials, chases …); --agents N: the old flat day instead
  // (N agents logged in from 08:25 until the line is empty, none of the realistic behaviour).
  const flatAgents = positiveInt('agents', values.agents);
  const day: RealisticDay | null = flatAgents === undefined ? realisticDay(preset, createRng(values.seed).fork('roster'), { plannedCalls: positiveInt('calls', values.calls) }) : null;
  const calls = day ? day.calls : (positiveInt('calls', values.calls) ?? preset.plannedCalls);
  const agents = day ? day.roster.length : flatAgents!;
  if (values.writes !== 'deferred' && values.writes !== 'immediate') throw new UsageError(`--writes must be deferred or immediate, got ${values.writes}`);
  const writes: 'deferred' | 'immediate' = values.writes;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError(`--date must be YYYY-MM-DD, got ${values.date}`);

  const config = loadConfig();
  // Never the centre's own database: --db, else a fresh schema on DATABASE_URL's PostgreSQL, else in-memory SQLite.
  const target = values.db ? parseDatabaseUrl(values.db, config.dataDir) : config.database.dialect === 'postgres' ? config.database : parseDatabaseUrl(':memory:', config.dataDir);
  const handle = await openSimulationDatabase(target, { keep: values['keep-db'] });
  const clock = new FakeClock(`${values.date}T00:00:00+09:00`);
  // Throwaway keys: the simulated callers' numbers are sealed like real ones, with keys that die with the run.
  const vault = new Vault(loadKeyRing({ ...config.keys, keysJson: undefined, ephemeral: true }).ring);
  const deps = createAppDeps(config, handle, clock, vault);

  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 100);
  sample.unref();
  let result: SimulationResult;
  try {
    if (!values.json) console.error(`simulating ${values.date}: ${calls} calls, ${agents} agents, seed ${values.seed}, ${handle.describe}, ACD writes ${writes}`);
    result = await runSimulatedDay(deps, clock, {
      calls,
      agents,
      seed: values.seed,
      date: values.date,
      exactTotal: !values['poisson-total'],
      writes,
      ...(day ? { roster: day.roster, mix: day.mix, params: day.params } : {}),
      // Progress goes to stderr (stdout stays the report or clean JSON).
      onProgress: (done: number, total: number) => console.error(`  ${done}/${total} calls placed (${((performance.now() - started) / 1000).toFixed(1)} s)`),
    });
  } finally {
    clearInterval(sample);
    await handle.close();
  }
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  const wallSeconds = (performance.now() - started) / 1000;
  // CPU time of this process (user + system): on a shared machine, wall time also counts the time others had the CPU.
  const cpu = process.cpuUsage(cpuStart);
  const run = { wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: peakRss / 2 ** 20, peakHeapMiB: peakHeap / 2 ** 20 };
  const verdict = day ? targetOf(result, day) : null;
  const json = JSON.stringify({ ...result, writes, run, ...(day ? { preset: day.preset.name, staffingPlan: day.plan, rostered: day.rostered, target: verdict } : {}) }, null, 2);
  // A file is JSON whatever runs the command (npm prints its banner on stdout before the program's output).
  if (values['json-out']) {
    fs.writeFileSync(values['json-out'], `${json}\n`);
    console.error(`JSON written to ${values['json-out']}`);
  }
  if (values.json) console.log(json);
  else {
    console.log(formatReport(result, run, `${handle.describe}, ACD writes ${writes}`));
    if (day && verdict) console.log(formatStaffing(result, day, verdict));
  }
  return result.accounting.lost === 0 ? 0 : 1;
}

/** Whether the centre met its target (80/20, standard and counting every call) and whether the preset expected it. */
function targetOf(r: SimulationResult, day: RealisticDay) {
  const sl = r.kpis.serviceLevel;
  const met = sl !== null && sl >= 0.8;
  return {
    serviceLevel: sl,
    allCallsServiceLevel: r.kpis.allCalls.serviceLevel,
    met,
    expected: day.preset.expectMeetsTarget,
    occupancy: r.kpis.occupancy,
    occupancyTarget: occupancyVerdict(day, r.kpis.occupancy),
    erlangC: day.expected,
    agentHours: day.hours,
  };
}

/** The staffing plan (Erlang C) against the roster and the agents actually logged in, per half hour; the verdict. */
export function formatStaffing(r: SimulationResult, day: RealisticDay, target: ReturnType<typeof targetOf>): string {
  const staffed = new Map(r.staffed.map((s) => [s.start, s]));
  const byKind = SHIFT_KIND_ORDER.map((k) => [k, day.roster.filter((s) => s.kind === k).length] as const).filter(([, n]) => n > 0);
  const kinds = byKind.map(([k, n]) => `${n} on ${SHIFT_KINDS[k].paidMinutes / 60}-hour`).join(', ');
  const occ = target.occupancyTarget;
  const lines = [
    `${day.preset.label} (preset ${day.preset.name}): ${day.roster.length} agents (${kinds} shifts), ${r.calls} calls planned, ${r.callers.retrials} retrials, ${r.callers.unique} callers, ${r.callers.chases} 독촉 on open hand-offs; offers missed ${r.offers.missed}, rejected ${r.offers.rejected}`,
    `  FCR ${pct(r.callers.fcr.rate)} (${r.callers.fcr.resolvedWithoutRepeat}/${r.callers.fcr.contacts}; a retrial is the same caller)`,
    `  근무표 ${day.hours.roster} agent-hours paid for the plan's ${day.hours.plan.toFixed(1)} on the phones (${pct(day.hours.roster / day.hours.plan - 1)} more: breaks, lunch, whole shifts)`,
    `  Erlang C: plan SL ${pct(day.expected.plan.serviceLevel)}, occupancy ${pct(day.expected.plan.occupancy)}; this roster on today's calls SL ${pct(day.expected.roster.serviceLevel)}, occupancy ${pct(day.expected.roster.occupancy)} — simulated occupancy ${pct(r.kpis.occupancy)}`,
    '  시간대   계획콜  필요(on phones)  배치계획(on phones)  근무표  로그인  통화가능',
    ...day.plan.map((p, i) => {
      const s = staffed.get(p.start);
      return `  ${p.start}  ${p.calls.toFixed(0).padStart(7)}  ${String(p.onPhones).padStart(15)}  ${String(p.atDesks).padStart(19)}  ${String(day.rostered[i]).padStart(6)}  ${(s?.loggedIn ?? 0).toFixed(1).padStart(6)}  ${(s?.onPhones ?? 0).toFixed(1).padStart(8)}`;
    }),
    `  목표 80/20: ${target.met ? '달성' : '미달'} (서비스 레벨 표준 ${pct(target.serviceLevel)}, 전체 호 ${pct(target.allCallsServiceLevel)}; 이 날은 ${target.expected ? '달성' : '미달'}이 예상됨${target.met === target.expected ? '' : ' — 예상과 다름'})`,
    occ
      ? `  목표 점유율 ${pct(occ.min)}–${pct(occ.max)}: ${occ.met ? '달성' : '미달'} (모의 ${pct(occ.simulated)}; 이 날은 ${occ.expected ? '달성' : '미달'}이 예상됨${occ.expected ? '' : `: 80/20을 지키는 Erlang C 점유율 ${pct(occ.erlangC)} — 이 규모의 센터는 85%에 이를 수 없음`}${occ.met === occ.expected ? '' : ' — 예상과 다름'})`
      : '',
  ].filter(Boolean);
  return lines.join('\n');
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const sec = (x: number | null) => (x === null ? '–' : `${x.toFixed(1)} s`);

/** The day's report, Korean labels first. */
export function formatReport(r: SimulationResult, run: { wallSeconds: number; cpuSeconds: number; peakRssMiB: number; peakHeapMiB: number }, db: string): string {
  const k = r.kpis;
  const a = r.accounting;
  const rows: Array<[string, string]> = [
    ['인입 (offered, queued)', String(k.offered)],
    ['응답 (answered)', `${k.answered}  (응대율 ${pct(k.answerRate)})`],
    ['서비스 레벨 80/20, 표준 (SL 20 s, callbacks excluded)', pct(k.serviceLevel)],
    ['서비스 레벨 80/20, 전체 호 (all calls, callbacks included)', pct(k.allCalls.serviceLevel)],
    ['평균 응답 대기 (ASA) 표준 / 전체 호', `${sec(k.asaSeconds)} / ${sec(k.allCalls.asaSeconds)}`],
    ['평균 처리 시간 (AHT)', `${sec(k.ahtSeconds)}  (talk ${sec(k.averageTalkSeconds)}, hold ${sec(k.averageHoldSeconds)}, ACW ${sec(k.averageAfterCallWorkSeconds)})`],
    ['포기 (abandoned ≥ 5 s)', `${k.abandoned}  (포기율 ${pct(k.abandonmentRate)}; short < 5 s: ${k.shortAbandoned})`],
    ['포기율 전체 호 (all calls: + callbacks not called back)', `${pct(k.allCalls.abandonmentRate)}  (응대율 ${pct(k.allCalls.answerRate)})`],
    ['점유율 (occupancy)', pct(k.occupancy)],
    ['콜백 (callbacks)', `${a.callbacksRequested} requested, ${a.callbacksCompleted} completed, ${a.callbacksPending} pending`],
    ['콜백 지연 (callback delay, request → answered)', `median ${sec(k.callbackDelay.medianSeconds)}, p90 ${sec(k.callbackDelay.p90Seconds)} (${k.callbackDelay.answered} callbacks)`],
    ['처리 (handled, calls + callbacks)', String(k.handled)],
    ['직접처리 / 3자통화·이관 (resolved / handed on)', `${pct(k.directResolutionRate)} / ${pct(k.handOffRate)}  (cases ${r.cases.recorded}; hand-offs with a legal deadline ${r.cases.handOffsWithDeadline})`],
    ['최장 응답 대기 (longest answered wait)', sec(k.longestAnswerWaitSeconds)],
    ['유실 (calls lost)', `${a.lost}  (placed ${a.placed} = answered ${a.answeredAndEnded} + abandoned ${a.abandoned} + callbacks done ${a.callbacksCompleted} + pending ${a.callbacksPending} + refused ${a.refused} + lost ${a.lost})`],
    ['라우팅 결정 (routing decision)', `p50 ${r.routingMs.p50.toFixed(3)} ms, p99 ${r.routingMs.p99.toFixed(3)} ms (${r.routingMs.samples} decisions)`],
    ['실행 시간 (wall time)', `${run.wallSeconds.toFixed(1)} s (CPU ${run.cpuSeconds.toFixed(1)} s)`],
    ['최대 메모리 (peak memory)', `RSS ${run.peakRssMiB.toFixed(0)} MiB, heap ${run.peakHeapMiB.toFixed(0)} MiB`],
  ];
  const width = Math.max(...rows.map(([l]) => l.length));
  return [
    `모의 하루 ${r.date} (seed ${r.seed}): ${r.calls} calls, ${r.agents} agents, ${db}`,
    `virtual day: opens ${r.virtual.opensAt}, last arrival ${r.virtual.lastArrivalAt ?? '–'}, drained ${r.virtual.drainedAt}`,
    ...rows.map(([l, v]) => `  ${l.padEnd(width)}  ${v}`),
    r.refusedActions > 0 ? `  (agent actions refused by the ACD: ${r.refusedActions} ${JSON.stringify(r.refusedBy)}; case recordings failed: ${r.cases.failed})` : '',
    `  time per step: ${Object.entries(r.steps)
      .sort((x, y) => y[1].ms - x[1].ms)
      .map(([name, s]) => `${name} ${(s.ms / 1000).toFixed(1)} s/${s.n} (${((s.ms / s.n) * 1000).toFixed(0)} µs)`)
      .join(', ')}`,
  ]
    .filter(Boolean)
    .join('\n');
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(isAppError(err) ? err.message : err);
    process.exit(1);
  },
);
