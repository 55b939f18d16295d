import { execFile, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { newId } from '../lib/ids';
import type { SipTelephony } from '../ports/telephony/sip.adapter';
import { buildCategoryChain, buildDepartment, buildUser } from './factories';
import { createTestContext, type TestContext } from './test-app';

/**
 * Kamailio + rtpengine started by scripts/telephony.sh on free loopback ports, and SIPp runs of the scenarios in
 * deploy/telephony/sipp: for `npm run test:sip` and bench/sip.bench.ts. Everything started here is stopped by its
 * own pid.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
export const SIPP_DIR = path.join(ROOT, 'deploy/telephony/sipp');
const run = promisify(execFile);

async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A loopback port free for both TCP and UDP. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await freeTcpPort();
    if (await udpFree(port)) return port;
  }
}

/** A block of 4 consecutive free UDP ports (SIPp's media: audio, audio RTCP, video, video RTCP). */
export async function freeMediaPort(): Promise<number> {
  for (;;) {
    const base = 40000 + 4 * Math.floor(Math.random() * 5000);
    let ok = true;
    for (let i = 0; i < 4 && ok; i++) ok = await udpFree(base + i);
    if (ok) return base;
  }
}

/**
 * One side's RTP in a test: a UDP socket on a free port (put in the SDP with -set rtp_port). `echo` sends every
 * packet back where it came from (the agent's phone); `stream` sends 20 ms G.711 A-law packets (the caller).
 */
export type RtpPeer = { port: number; received: () => number; stream: (port: number, packets: number) => Promise<void>; close: () => void };

export async function rtpPeer(echo: boolean): Promise<RtpPeer> {
  const port = await freeMediaPort();
  const socket = dgram.createSocket('udp4');
  let received = 0;
  socket.on('message', (msg, rinfo) => {
    received++;
    if (echo) socket.send(msg, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  return {
    port,
    received: () => received,
    stream: async (to, packets) => {
      const ssrc = Math.floor(Math.random() * 0xffffffff);
      for (let i = 0; i < packets; i++) {
        const p = Buffer.alloc(12 + 160, 0xd5);
        p[0] = 0x80;
        p[1] = 8;
        p.writeUInt16BE(i & 0xffff, 2);
        p.writeUInt32BE((i * 160) >>> 0, 4);
        p.writeUInt32BE(ssrc >>> 0, 8);
        socket.send(p, to, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => socket.close(),
  };
}

/** The stack's loopback ports: SIP, xhttp/WebSocket, rtpengine's ng, evapi, and the fallback announcement service. */
export type SipPorts = { sipPort: number; httpPort: number; ngPort: number; evapiPort: number; fallbackPort: number };
export type SipStack = SipPorts & { runDir: string; stop: () => Promise<void>; log: () => string };

export async function choosePorts(): Promise<SipPorts> {
  return { sipPort: await freePort(), httpPort: await freePort(), ngPort: await freePort(), evapiPort: await freePort(), fallbackPort: await freePort() };
}

/** OneCall's settings for a stack on these ports (TELEPHONY=sip, Kamailio's xhttp and evapi, rtpengine's ng). */
export function sipSettings(ports: SipPorts, secret: string): Record<string, string> {
  return {
    TELEPHONY: 'sip',
    SIP_SHARED_SECRET: secret,
    SIP_KAMAILIO_HTTP_URL: `http://127.0.0.1:${ports.httpPort}`,
    SIP_KAMAILIO_EVAPI: `127.0.0.1:${ports.evapiPort}`,
    SIP_RTPENGINE_NG: `127.0.0.1:${ports.ngPort}`,
  };
}

/** A temporary folder for one stack (Kamailio's and rtpengine's logs and pid files, the recording spool). */
export function makeRunDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-sip-'));
}

/** Starts the stack (scripts/telephony.sh start) pointed at OneCall's URL, on the given ports. */
export async function startSipStack(
  ports: SipPorts,
  onecallUrl: string,
  secret: string,
  rtpBase: number,
  extraEnv: Record<string, string> = {},
  runDir: string = makeRunDir(),
): Promise<SipStack> {
  const env = {
    ...process.env,
    SIP_SHARED_SECRET: secret,
    ONECALL_URL: onecallUrl,
    SIP_PORT: String(ports.sipPort),
    SIP_HTTP_PORT: String(ports.httpPort),
    SIP_EVAPI_PORT: String(ports.evapiPort),
    RTPENGINE_NG_PORT: String(ports.ngPort),
    SIP_FALLBACK_PORT: String(ports.fallbackPort),
    RTP_PORT_MIN: String(rtpBase),
    RTP_PORT_MAX: String(rtpBase + 999),
    TELEPHONY_RUN_DIR: runDir,
    ...extraEnv,
  };
  const script = path.join(ROOT, 'scripts/telephony.sh');
  await run('bash', [script, 'start'], { env });
  stackRunDir = runDir;
  return {
    ...ports,
    runDir,
    log: () => fs.readFileSync(path.join(runDir, 'kamailio.log'), 'utf8'),
    stop: async () => {
      await run('bash', [script, 'stop'], { env });
      // The temporary folder (logs, pid files, rtpengine's recording spool) goes with the stack.
      // SIP_STACK_KEEP_LOGS=1 keeps it to read Kamailio's log after a failure.
      if (!process.env.SIP_STACK_KEEP_LOGS) fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}

export type SippRun = { done: Promise<{ code: number | null; output: string }>; child: ChildProcess; stop: () => void };

let sippDir: string | null = null;
/** The run folder of the stack started last in this process (removed by its stop): SIPp's traces go there. */
let stackRunDir: string | null = null;

/**
 * SIPp's trace files when no folder is given: the running stack's folder (removed with it), else one folder per
 * process, removed when the process exits.
 */
function defaultSippDir(): string {
  if (stackRunDir && fs.existsSync(stackRunDir)) return stackRunDir;
  if (!sippDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-sipp-'));
    sippDir = dir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return sippDir;
}

/** Runs one SIPp scenario; `done` resolves when it exits. Its trace files (-trace_*) go to `cwd`. */
export function sipp(scenario: string, args: string[], cwd = defaultSippDir()): SippRun {
  const child = spawn('sipp', ['-sf', path.join(SIPP_DIR, scenario), '-i', '127.0.0.1', '-nostdin', '-trace_err', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  return {
    child,
    done,
    stop: () => {
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
    },
  };
}

/** Polls `check` until it returns a value (not undefined), every 25 ms, for at most `ms`. */
export async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A SIP test's centre: OneCall (TELEPHONY=sip) on a real port, the stack pointed at it, one queue for `centre`. */
export type SipCentre = {
  t: TestContext;
  stack: SipStack;
  sip: SipTelephony;
  /** The queue's skill (agents get it from {@link SipCentre.agent}). */
  skill: string;
  runDir: string;
  /** OneCall's settings (to start it again in a restart test). */
  env: Record<string, string>;
  /** A new agent with the queue's skill and a phone port; registered through Kamailio with OneCall's credentials unless `register: false`. */
  agent: (opts?: { register?: boolean }) => Promise<{ user: { id: string; login: string }; phonePort: number }>;
  stop: () => Promise<void>;
};

/**
 * Opens the centre the SIP test files share: ports, a run folder, OneCall with `env(runDir)` added to its SIP settings,
 * the stack, a department and category chain, and a queue answering `centre`.
 */
export async function openSipCentre(opts: { secret: string; centre: string; queueCode: string; env?: (runDir: string) => Record<string, string> }): Promise<SipCentre> {
  const ports = await choosePorts();
  const runDir = makeRunDir();
  // The fallback service (started by the stack) spools accepted callbacks where OneCall reads them.
  const env = { ...sipSettings(ports, opts.secret), SIP_FALLBACK_SPOOL_DIR: path.join(runDir, 'fallback'), ...(opts.env?.(runDir) ?? {}) };
  const t = await createTestContext(env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
  const stack = await startSipStack(ports, url, opts.secret, 20000 + Math.floor(Math.random() * 30) * 1000, {}, runDir);
  const sip = t.app.sip!;
  const dept = await buildDepartment(t.deps.db);
  const chain = await buildCategoryChain(t.deps.db, dept.id);
  const skill = chain.field.id;
  const now = '2026-11-27T00:00:00.000Z';
  const queueId = newId();
  await t.deps.db.insertInto('acd_queues').values({ id: queueId, code: opts.queueCode, name: opts.queueCode.toLowerCase(), skill, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: now, updated_at: now }).execute();
  await t.deps.db.insertInto('acd_queue_routes').values({ id: newId(), queue_id: queueId, dialled_number: opts.centre, ivr_choice: '' }).execute();
  await t.app.acd.reloadConfig();
  return {
    t,
    stack,
    sip,
    skill,
    runDir,
    env,
    agent: async ({ register = true } = {}) => {
      const user = await buildUser(t.deps.db, { role: 'agent' });
      await t.deps.db.insertInto('agent_skills').values({ user_id: user.id, skill, level: 1 }).execute();
      await t.app.acd.reloadConfig();
      const phonePort = await freePort();
      if (register) {
        const cookie = await t.signIn(user.login);
        const creds = (await t.app.inject({ method: 'GET', url: '/api/softphone/credentials', headers: { cookie } })).json<{ authorizationUsername: string; password: string }>();
        const reg = await sipp('register.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', user.login, '-au', creds.authorizationUsername, '-ap', creds.password, '-set', 'domain', 'onecall.local', '-set', 'contact_port', String(phonePort), '-set', 'expires', '3600', '-timeout', '10', '-timeout_error']).done;
        if (reg.code !== 0) throw new Error(`registration of ${user.login} failed (${reg.code}): ${reg.output.slice(-1500)}`);
        // t.app, not the first app: a restart test replaces it.
        await until('registration seen by OneCall', () => (t.app.sip?.isRegistered(user.login) ? true : undefined));
      }
      return { user, phonePort };
    },
    stop: async () => {
      await stack.stop();
      await t.close();
    },
  };
}
