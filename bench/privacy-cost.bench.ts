import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFixtureServer } from './server-process';
import type { Bench, BenchSection } from './types';

/**
 * What the privacy layers (issue #3: encryption at rest with blind index, role masking, access records, session
 * checks) cost a whole consultation: the same HTTP call flow is driven against this tree and against a tree of the
 * commit before those layers, on the same machine in the same run, alternating.
 *
 * One flow = POST /api/calls/simulate (look the caller up by phone, store the call) → GET /api/citizens/{id}/card
 * (the screen pop: decrypt, mask, record the access) → POST /api/cases (case + events) → POST /api/calls/{id}/end.
 */
const BASELINE_COMMIT = 'd990fea';
const TARGET_MAX_COST = 0.25;

type FlowServer = { port: number; cookie: string; categoryId: string; dbFile: string };

function prepareBaseline(): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-baseline-'));
  try {
    const tar = path.join(dir, 'tree.tar');
    execFileSync('git', ['archive', '--format=tar', '-o', tar, BASELINE_COMMIT], { stdio: 'ignore' });
    execFileSync('tar', ['-xf', tar, '-C', dir]);
    fs.rmSync(tar);
    fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'), 'dir');
    return dir;
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

async function post(base: string, cookie: string, url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(base + url, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-onecall-request': '1' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${url} → ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function drive(info: FlowServer, seconds: number): Promise<{ flows: number; perSecond: number; p50: number; p99: number; errors: number }> {
  const base = `http://127.0.0.1:${info.port}`;
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const worker = async (w: number) => {
    while (performance.now() < deadline) {
      const i = n++;
      // 2,000 different callers, each calling several times: look-ups find existing citizens most of the time.
      const callerNumber = `010-5${String(w).padStart(3, '0')}-${String(1000 + (i % 200)).padStart(4, '0')}`;
      const started = performance.now();
      try {
        const call = await post(base, info.cookie, '/api/calls/simulate', { callerNumber });
        const interaction = call.interaction as { id: string };
        // The screen pop again, as the desk does when it refreshes the card after recording.
        const citizenId = (call.callerCard as { citizenId: string }).citizenId;
        const card = await fetch(`${base}/api/citizens/${citizenId}/card`, { headers: { cookie: info.cookie } });
        if (card.status !== 200) throw new Error(`card → ${card.status}`);
        await card.arrayBuffer();
        await post(base, info.cookie, '/api/cases', {
          interactionId: interaction.id,
          categoryId: info.categoryId,
          summary: '아파트 앞 도로 누수 신고',
          notes: '어제 저녁부터 보도블록 사이로 물이 솟음. 현장 확인 후 회신 요청.',
          outcome: 'resolved',
        });
        await post(base, info.cookie, `/api/calls/${interaction.id}/end`, {});
        latencies.push(performance.now() - started);
      } catch (err) {
        if (errors++ === 0) console.error(`  first error: ${(err as Error).message}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 10 }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { flows: latencies.length, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

export const run: Bench = async ({ quick }) => {
  const seconds = quick ? 3 : 8;
  const baseline = prepareBaseline();
  if (!baseline) {
    return [{ title: 'Privacy layers: cost per consultation', targetsMet: false, markdown: `Baseline commit ${BASELINE_COMMIT} is not in this clone (shallow?): not measured.` }];
  }
  const trees = [
    { name: 'before (commit ' + BASELINE_COMMIT + ')', root: baseline },
    { name: 'now', root: process.cwd() },
  ];
  const results: Record<string, { perSecond: number[]; p50: number[]; p99: number[]; errors: number; flows: number }> = {};
  try {
    // Alternate twice so that drift of the machine hits both sides alike.
    for (let round = 0; round < 2; round++) {
      for (const tree of trees) {
        const { info, stop } = await startFixtureServer<FlowServer>(path.resolve('bench/fixtures/call-flow-server.ts'), ['--root', tree.root]);
        try {
          await drive(info, 1); // warm-up
          const r = await drive(info, seconds);
          const acc = (results[tree.name] ??= { perSecond: [], p50: [], p99: [], errors: 0, flows: 0 });
          acc.perSecond.push(r.perSecond);
          acc.p50.push(r.p50);
          acc.p99.push(r.p99);
          acc.errors += r.errors;
          acc.flows += r.flows;
          console.log(`  ${tree.name}: ${r.perSecond.toFixed(0)} flows/s, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}`);
        } finally {
          await stop();
        }
      }
    }
  } finally {
    fs.rmSync(baseline, { recursive: true, force: true });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const before = results[trees[0]!.name]!;
  const now = results[trees[1]!.name]!;
  const cost = 1 - mean(now.perSecond) / mean(before.perSecond);
  const met = cost <= TARGET_MAX_COST && now.errors === 0 && before.errors === 0;
  const row = (name: string, r: typeof now) =>
    `| ${name} | ${r.perSecond.map((x) => x.toFixed(0)).join(' / ')} | ${mean(r.perSecond).toFixed(0)} | ${mean(r.p50).toFixed(1)} | ${mean(r.p99).toFixed(1)} | ${r.flows} | ${r.errors} |`;
  const section: BenchSection = {
    title: 'Privacy layers: cost per consultation (issue #3)',
    targetsMet: met,
    markdown: [
      `The same HTTP call flow against this tree and against commit \`${BASELINE_COMMIT}\` (before encryption at rest, blind index,`,
      'role masking and access records), alternating twice, 10 concurrent callers, ' + `${seconds} s each after a 1 s warm-up, file-backed SQLite.`,
      'One flow = simulated call (caller looked up by phone) → caller card (screen pop) → record a case → end the call: 4 requests.',
      `Target (issue #3): encryption and the access record cost at most ${TARGET_MAX_COST * 100}% of throughput.`,
      '',
      '| tree | flows/s per run | flows/s (mean) | p50 ms | p99 ms | flows | errors |',
      '|---|---|---|---|---|---|---|',
      row(trees[0]!.name, before),
      row(trees[1]!.name, now),
      '',
      `**Cost of the privacy layers: ${(cost * 100).toFixed(1)}% of flow throughput** (target ≤ ${TARGET_MAX_COST * 100}%): ${met ? 'met' : '**not met**'}.`,
    ].join('\n'),
  };
  return [section];
};
