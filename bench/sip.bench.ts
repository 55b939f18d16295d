import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createAppDeps } from '../server/deps';
import { loadKeyRing } from '../server/lib/key-ring';
import { Vault } from '../server/lib/vault';
import { prepareSimulation } from '../server/modules/simulation/day-simulator';
import { openSimulationDatabase } from '../server/modules/simulation/simulation-db';
import type { Clock } from '../server/ports/clock/clock.port';
import { issueSipCredentials } from '../server/ports/telephony/sip/credentials';
import { choosePorts, freePort, sipp, startSipStack, until } from '../server/test/sip-stack';
import { percentile, type Bench, type BenchSection } from './types';

const SECRET = 'sip-bench-secret-0123456789abcdef';
/** prepareSimulation's queues answer the number 120 (the general queue takes a call without an IVR choice). */
const CENTRE = '120';

const ms = (v: number) => `${v.toFixed(1)} ms`;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

/**
 * Proportional set size (KiB) of a process and all its descendants: shared memory counted once, as Kamailio's workers
 * share it. Asynchronous (libuv's threads): read every 500 ms during the calls, the synchronous reads of /proc took
 * ~15 % of OneCall's event loop in a profile.
 */
async function pssOfTree(rootPid: number): Promise<{ pss: number; processes: number }> {
  const parent = new Map<number, number>();
  for (const entry of await fs.promises.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await fs.promises.readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, depth = 0; p && depth < 10; p = parent.get(p), depth++) if (p === rootPid) return true;
    return false;
  };
  let pss = 0;
  let processes = 0;
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(await fs.promises.readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
      pss += Number(m?.[1] ?? 0);
      processes++;
    } catch {
      // gone meanwhile
    }
  }
  return { pss, processes };
}

/** CPU seconds (user + system) used so far by a process and all its descendants (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuOfTree(rootPid: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  let ticks = 0;
  for (const [pid, s] of stats) {
    for (let p: number | undefined = pid, depth = 0; p && depth < 10; p = stats.get(p)?.ppid, depth++) {
      if (p === rootPid) {
        ticks += s.ticks;
        break;
      }
    }
  }
  return ticks / 100;
}

/** Why SIPp's calls failed: its error log's lines, counted by their text with numbers and Call-IDs blanked. */
function failureReasons(dir: string): string {
  const counts = new Map<string, number>();
  for (const n of fs.readdirSync(dir).filter((f) => f.endsWith('_errors.log'))) {
    for (const line of fs.readFileSync(path.join(dir, n), 'utf8').split('\n')) {
      if (!/(Aborting|timeout|Timeout|unexpected|Unexpected|failed|Failed)/.test(line)) continue;
      const key = line.replace(/\s+/g, ' ').replace(/^[\d\-:. ]+/, '').replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N').slice(0, 120);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${v}× ${k}`).join('; ') || 'none logged';
}

/** The first lines of SIPp's error logs (-trace_err) in `dir`. */
function sippErrors(dir: string): string {
  return fs.readdirSync(dir).filter((n) => n.endsWith('_errors.log')).map((n) => fs.readFileSync(path.join(dir, n), 'utf8').slice(0, 1500)).join('\n');
}

/** SIPp's per-call response times (-trace_rtt -rtt_freq 1): rtd number → samples in ms. */
function readRtt(dir: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('_rtt.csv'))) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(1)) {
      const [, value, rtd] = line.trim().split(';');
      if (!rtd || value === undefined) continue;
      const list = out.get(rtd) ?? [];
      list.push(Number(value));
      out.set(rtd, list);
    }
  }
  return out;
}

/** The last row of SIPp's statistics file (-trace_stat), by column name. */
function readStats(dir: string): Record<string, string> {
  const f = fs.readdirSync(dir).find((n) => n.startsWith('bench_caller_') && n.endsWith('.csv') && !n.endsWith('_rtt.csv'));
  if (!f) return {};
  const lines = fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n');
  const head = lines[0]!.split(';');
  const last = lines[lines.length - 1]!.split(';');
  return Object.fromEntries(head.map((h, i) => [h, last[i] ?? '']));
}

/**
 * The SIP bench (issue #17): Kamailio and rtpengine (scripts/telephony.sh) and OneCall in this process (TELEPHONY=sip,
 * SQLite file, the real clock moved to a weekday morning so the centre is open), N agents whose phones register
 * through Kamailio with OneCall's ephemeral credentials (one SIPp UAS answers for all of them), then SIPp places
 * 100 new calls per second for 10 s to the centre. Every call is routed by the ACD: route request (on OneCall's evapi
 * connection, or HTTP with SIP_BENCH_EVAPI=off), 180 while queued, the offer resumes the suspended INVITE towards the
 * agent, the agent's phone answers, the caller talks 1 s and hangs up, the agent's wrap-up is 0 s.
 *
 * Measured: failed calls (SIPp), the route decision by stage — in transit to OneCall (Kamailio's stamp → OneCall takes
 * it), OneCall's handler, Kamailio's round trip (xlog µs), and the caller's INVITE → 180 (SIPp rtd 1, which adds
 * Kamailio's own work and the loopback) — CPU (also per call: less sensitive to a shared machine's load than the
 * times), and memory: OneCall's RSS (this process) and Kamailio's PSS (all its processes).
 */
export const run: Bench = async ({ quick }) => {
  // SIP_BENCH_RATE: another rate for a diagnosis (what the machine sustains now); the target is 100.
  const rate = Number(process.env.SIP_BENCH_RATE ?? 100);
  const seconds = quick ? 3 : 10;
  const calls = rate * seconds;
  const talkMs = 1000;
  const agentsN = quick ? 200 : 400;
  // Each route request and each call event holds a Kamailio worker while OneCall answers (synchronous http_client; the
  // asynchronous http_async_client is not packaged in Debian 12): 8 workers per socket instead of the tests' 4.
  const workers = Number(process.env.KAMAILIO_CHILDREN ?? 8);
  // Route requests and call events on OneCall's evapi connection (no Kamailio worker waits for OneCall); SIP_BENCH_EVAPI=off
  // measures the HTTP path (http_client, one synchronous request per route and per event) instead.
  const evapi = process.env.SIP_BENCH_EVAPI !== 'off';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-sip-bench-'));

  // The real clock moved to a Tuesday 10:00 KST: timers and ring times run in real time, the centre is open.
  const offset = Date.parse('2026-12-08T01:00:00.000Z') - Date.now();
  const clock: Clock = { now: () => new Date(Date.now() + offset) };
  const ports = await choosePorts();
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    TELEPHONY: 'sip',
    SIP_SHARED_SECRET: SECRET,
    SIP_KAMAILIO_HTTP_URL: `http://127.0.0.1:${ports.httpPort}`,
    SIP_KAMAILIO_EVAPI: evapi ? `127.0.0.1:${ports.evapiPort}` : '',
    SIP_RTPENGINE_NG: `127.0.0.1:${ports.ngPort}`,
    ACD_OFFER_TIMEOUT_SECONDS: '10',
    ACD_WRAP_UP_SECONDS: '0',
  });
  const handle = await openSimulationDatabase({ dialect: 'sqlite', file: path.join(dir, 'onecall.db') });
  const deps = createAppDeps(config, handle, clock, new Vault(loadKeyRing({ ...config.keys, keysJson: undefined, ephemeral: true }).ring));
  const { agents } = await prepareSimulation(deps, agentsN);
  const app = await buildApp(deps, { logger: false });
  const routeMs: number[] = [];
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url === '/api/telephony/sip/route') routeMs.push(reply.elapsedTime);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const stack = await startSipStack(ports, url, SECRET, 31000, { KAMAILIO_CHILDREN: String(workers) });
  const sip = app.sip!;
  const kamailioPid = Number(fs.readFileSync(path.join(stack.runDir, 'kamailio.pid'), 'utf8'));
  const uasPort = await freePort();
  const uas = sipp('agent_answers.xml', ['-p', String(uasPort), '-set', 'rtp_port', String(await freePort()), '-mp', String(await freePort())], dir);
  try {
    // Every agent's phone registers (digest through OneCall's auth check; register.xml, 16 SIPp runs at a time: this
    // SIPp does not take injected fields inside [authentication]), then the agent is available.
    const queue = [...agents];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let a = queue.shift(); a; a = queue.shift()) {
          const c = issueSipCredentials(SECRET, a.user.login, clock.now().getTime(), 3600);
          const reg = sipp('register.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', a.user.login, '-au', c.authorizationUsername, '-ap', c.password, '-set', 'domain', 'onecall.local', '-set', 'contact_port', String(uasPort), '-set', 'expires', '3600', '-timeout', '20', '-timeout_error'], dir);
          const r = await reg.done;
          if (r.code !== 0) throw new Error(`registration of ${a.user.login} failed (${r.code}): ${sippErrors(dir)}`);
        }
      }),
    );
    await until('every agent registered', () => (agents.every((a) => sip.isRegistered(a.user.login)) ? true : undefined), 20_000);
    for (const a of agents) await app.acd.setAgentState(a.id, { status: 'available' });
    if (evapi && !(await app.sipEvapi?.ready(10_000))) throw new Error('OneCall did not connect to Kamailio over evapi');
    const answeredBefore = app.acd.wallboard().answeredToday;
    const kamailioLogStart = stack.log().length;
    routeMs.length = 0;

    const rtpenginePid = Number(fs.readFileSync(path.join(stack.runDir, 'rtpengine.pid'), 'utf8'));
    const cpuBefore = { onecall: process.cpuUsage(), kamailio: cpuOfTree(kamailioPid), rtpengine: cpuOfTree(rtpenginePid) };
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const loadAtStart = os.loadavg()[0]!;
    // SIP_BENCH_CPU_PROFILE=<file.cpuprofile>: OneCall's CPU profile of the calls only (not the set-up), for DevTools.
    const profileFile = process.env.SIP_BENCH_CPU_PROFILE;
    const profiler = profileFile ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const started = performance.now();
    let peakKamailio = 0;
    let peakRss = 0;
    let sampling = false;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (sampling) return;
      sampling = true;
      void pssOfTree(kamailioPid)
        .then((m) => (peakKamailio = Math.max(peakKamailio, m.pss)))
        .finally(() => (sampling = false));
    }, 500);
    const callers = sipp(
      'bench_caller.xml',
      [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-s', CENTRE, '-set', 'caller', '0212345678', '-r', String(rate), '-rp', '1000', '-m', String(calls), '-l', String(agentsN), '-d', String(talkMs), '-mp', String(await freePort()), '-trace_rtt', '-rtt_freq', '1', '-trace_stat', '-fd', '1', '-timeout', '120', '-timeout_error', '-recv_timeout', '20000', '-default_behaviors', 'all,-abortunexp'],
      dir,
    );
    const done = await callers.done;
    const wall = (performance.now() - started) / 1000;
    clearInterval(sampler);
    loopDelay.disable();
    if (profiler && profileFile) {
      const { profile } = await profiler.post('Profiler.stop');
      fs.writeFileSync(profileFile, JSON.stringify(profile));
      profiler.disconnect();
    }
    const onecallCpu = process.cpuUsage(cpuBefore.onecall);
    const cpu = {
      onecall: (onecallCpu.user + onecallCpu.system) / 1e6,
      kamailio: cpuOfTree(kamailioPid) - cpuBefore.kamailio,
      rtpengine: cpuOfTree(rtpenginePid) - cpuBefore.rtpengine,
    };
    const loadAtEnd = os.loadavg()[0]!;
    const reasons = failureReasons(dir);
    await until('every call ended in the ACD', () => (app.acd.wallboard().agentsByStatus.available >= agentsN ? true : undefined), 30_000).catch(() => undefined);

    const stats = readStats(dir);
    if (!stats['FailedCall(C)']) throw new Error(`SIPp's callers did not run (${done.code}): ${done.output.slice(-2000)}`);
    const rtt = readRtt(dir);
    const failed = Number(stats['FailedCall(C)'] ?? NaN);
    const succeeded = Number(stats['SuccessfulCall(C)'] ?? NaN);
    const answered = app.acd.wallboard().answeredToday - answeredBefore;
    const routeLines = [...stack.log().slice(kamailioLogStart).matchAll(/onecall route ci=\S+ us=(\d+) answer=(\{.*\})/g)];
    const kamailioUs = routeLines.map((m) => Number(m[1]) / 1000);
    // Over evapi OneCall's answer carries its own stages (sip-intake.service.ts): waited in line, decided in.
    const stages = routeLines.map((m) => JSON.parse(m[2]!) as { waitedMs?: number; decidedMs?: number });
    const waitedMs = stages.flatMap((x) => (x.waitedMs === undefined ? [] : [x.waitedMs]));
    const decidedMs = stages.flatMap((x) => (x.decidedMs === undefined ? [] : [x.decidedMs]));
    if (evapi) routeMs.push(...decidedMs);
    const routeFailures = (stack.log().slice(kamailioLogStart).match(/onecall route failed/g) ?? []).length;
    const invite180 = rtt.get('1') ?? [];
    const ring200 = rtt.get('2') ?? [];
    const kamailioNow = await pssOfTree(kamailioPid);
    const p99 = (xs: number[]) => percentile(xs, 99);
    const routeP99 = Math.max(p99(kamailioUs), p99(invite180));
    const targetsMet = rate >= 100 && seconds >= 10 && failed === 0 && succeeded === calls && routeP99 < 20;

    const markdown = [
      `${rate} new calls/s for ${seconds} s (${calls} calls) from SIPp through Kamailio 5.6 (${workers} UDP workers; route requests and`,
      `call events ${evapi ? 'on OneCall\'s evapi connection, asynchronous' : 'over synchronous http_client (SIP_BENCH_EVAPI=off)'}) with OneCall (in process, SQLite file,`,
      `TELEPHONY=sip) deciding every route; ${agentsN} agents registered`,
      `through Kamailio (one SIPp UAS answers for all), each call answered at once, ${talkMs / 1000} s of talk, no wrap-up.`,
      `SIPp finished in ${wall.toFixed(1)} s (exit ${done.code}). Load average (1 min) at the start ${loadAtStart.toFixed(2)}, at the end ${loadAtEnd.toFixed(2)}.`,
      `CPU during the run: OneCall ${cpu.onecall.toFixed(1)} s (${((cpu.onecall * 1000) / calls).toFixed(1)} ms per call), Kamailio ${cpu.kamailio.toFixed(1)} s (all processes), rtpengine ${cpu.rtpengine.toFixed(1)} s;`,
      `OneCall's event-loop delay p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} / p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} / max ${(loopDelay.max / 1e6).toFixed(1)} ms.`,
      `Failed calls, SIPp's reasons: ${reasons}.`,
      '',
      '| measure | p50 | p99 | max | target |',
      '|---|---|---|---|---|',
      ...(evapi ? [`| route request in transit (Kamailio's stamp → OneCall takes it: Kamailio's socket, OneCall's event loop, n=${waitedMs.length}) | ${ms(percentile(waitedMs, 50))} | ${ms(p99(waitedMs))} | ${ms(Math.max(...waitedMs))} | |`] : []),
      `| route decision, OneCall's handler (${evapi ? 'evapi message → answer' : 'Fastify'}, n=${routeMs.length}) | ${ms(percentile(routeMs, 50))} | ${ms(p99(routeMs))} | ${ms(Math.max(...routeMs))} | |`,
      `| route decision, Kamailio's round trip (${evapi ? 'evapi request → t_continue' : 'http_client'}, xlog, n=${kamailioUs.length}) | ${ms(percentile(kamailioUs, 50))} | ${ms(p99(kamailioUs))} | ${ms(Math.max(...kamailioUs))} | p99 < 20 ms |`,
      `| caller's INVITE → 180 (SIPp rtd 1, n=${invite180.length}) | ${ms(percentile(invite180, 50))} | ${ms(p99(invite180))} | ${ms(Math.max(...invite180))} | p99 < 20 ms |`,
      `| 180 → 200: offer, ring, answer (SIPp rtd 2, n=${ring200.length}) | ${ms(percentile(ring200, 50))} | ${ms(p99(ring200))} | ${ms(Math.max(...ring200))} | |`,
      '',
      '| calls | count | target |',
      '|---|---|---|',
      `| successful (SIPp) | ${succeeded} | ${calls} |`,
      `| failed (SIPp) | ${failed} | 0 |`,
      `| answered by agents (ACD wallboard) | ${answered} | ${calls} |`,
      `| route requests Kamailio could not complete | ${routeFailures} | 0 |`,
      '',
      '| memory | peak during the run | after |',
      '|---|---|---|',
      `| OneCall RSS (this process: Node, Fastify, the ACD, SQLite) | ${mib(peakRss / 1024)} | ${mib(process.memoryUsage().rss / 1024)} |`,
      `| Kamailio PSS (${kamailioNow.processes} processes, shared memory counted once; -m 128 -M 16) | ${mib(peakKamailio)} | ${mib(kamailioNow.pss)} |`,
    ].join('\n');
    return [{ title: 'SIP: 100 calls/s through Kamailio with OneCall routing (#17)', markdown, targetsMet }] satisfies BenchSection[];
  } finally {
    uas.stop();
    await uas.done;
    await stack.stop();
    await app.close();
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
