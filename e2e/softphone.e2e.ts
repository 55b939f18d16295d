import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, DEMO_PASSWORD } from './browser';

/*
 * The desk's softphone on real SIP (issue #17 §2, §4): a OneCall server of its own with TELEPHONY=sip, Kamailio and
 * rtpengine started by scripts/telephony.sh, headless Chromium with fake media devices as agent07's browser, SIPp as
 * the citizen calling the representative number 120. The softphone registers, the call is routed by the ACD to
 * agent07, rings the desk, is answered with 응답, audio arrives in the browser (getStats), 통화 종료 hangs up; a browser
 * whose microphone is refused shows why and does not register.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const SECRET = 'softphone-e2e-secret-0123456789ab';
const LOGIN = 'agent07';
const run = promisify(execFile);

/**
 * The citizen (SIPp): calls -s <number> through Kamailio's Record-Route, plays G.711 A-law once answered, and waits
 * for the agent to hang up (BYE → 200).
 */
const CALLER_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="citizen calls, the agent hangs up">
  <send retrans="500"><![CDATA[

INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:01055557007@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: sip:01055557007@[local_ip]:[local_port]
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8
a=rtpmap:8 PCMA/8000

]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" rrs="true"/>
  <send><![CDATA[

ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:01055557007@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
[routes]
CSeq: 1 ACK
Contact: sip:01055557007@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0

]]></send>
  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/></action></nop>
  <recv request="BYE"/>
  <send><![CDATA[

SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
</scenario>
`;

/**
 * Two citizens asked for a callback while OneCall did not answer (the fallback service's spool, read at start): the
 * first is called back from a desk phone, the second from the browser.
 */
const DESK_PHONE_NUMBER = '01055557300';
const CALLBACK_NUMBER = '01055557100';
const SIPP_DIR = path.join(ROOT, 'deploy/telephony/sipp');

/**
 * The carrier's trunk and the citizen's phone behind it: takes the callback the agent's browser dials (the number
 * dialled is logged: -trace_logs -log_file), answers, plays G.711 A-law, and hangs up after -d <ms>.
 */
const CITIZEN_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="citizen takes the callback">
  <recv request="INVITE" crlf="true">
    <action>
      <ereg regexp="INVITE sip:([^@ ]+)@" search_in="msg" check_it="true" assign_to="ruri,dialled"/>
      <ereg regexp="sip:[^>]*" search_in="hdr" header="Contact:" check_it="true" assign_to="peer"/>
      <ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="peerfrom"/>
      <ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="ownto"/>
      <ereg regexp="&lt;sip:[^>]*>" search_in="hdr" header="Record-Route:" check_it="true" assign_to="rr"/>
      <log message="dialled=[$dialled] ([$ruri])"/>
    </action>
  </recv>
  <send><![CDATA[

SIP/2.0 180 Ringing
[last_Via:]
[last_Record-Route:]
[last_From:]
[last_To:];tag=[pid]CB01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
Content-Length: 0

]]></send>
  <send retrans="500"><![CDATA[

SIP/2.0 200 OK
[last_Via:]
[last_Record-Route:]
[last_From:]
[last_To:];tag=[pid]CB01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8
a=rtpmap:8 PCMA/8000

]]></send>
  <recv request="ACK" crlf="true"/>
  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/></action></nop>
  <pause/>
  <send retrans="500"><![CDATA[

BYE [$peer] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
Route: [$rr]
From: [$ownto];tag=[pid]CB01[call_number]
To: [$peerfrom]
Call-ID: [call_id]
CSeq: 1 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200"/>
</scenario>
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the softphone on the desk, with Kamailio and rtpengine', () => {
  let server: ChildProcess | null = null;
  let browser: Browser;
  let baseUrl = '';
  let tmp = '';
  let stackEnv: NodeJS.ProcessEnv = {};
  let sipPort = 0;
  let trunkPort = 0;
  const shots = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

  beforeAll(async () => {
    await run('bash', [path.join(ROOT, 'scripts/telephony.sh'), 'install'], { cwd: ROOT });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-softphone-'));
    sipPort = await freePort();
    trunkPort = await freePort();
    // A citizen who asked, through the fallback announcement, to be called back: queued when OneCall starts.
    const spool = path.join(tmp, 'fallback');
    fs.mkdirSync(spool, { recursive: true });
    for (const [i, caller] of [DESK_PHONE_NUMBER, CALLBACK_NUMBER].entries()) {
      const at = new Date(Date.now() - (10 - i) * 60_000).toISOString();
      fs.writeFileSync(path.join(spool, `${at.replace(/[^0-9]/g, '')}-softphone-journey-${i}.json`), JSON.stringify({ callId: `softphone-journey-callback-${i}`, caller, callee: '120', at }));
    }
    const httpPort = await freePort();
    const ngPort = await freePort();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const log = fs.openSync(path.join(tmp, 'server.log'), 'w');
    server = spawn('npx', ['tsx', 'server/main.ts'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: path.join(tmp, 'softphone.db'),
        SEED_DEMO: 'true',
        LOG_LEVEL: 'warn',
        // Its own data folder: the access-record chain's head and keys are not the developer's (.data).
        DATA_DIR: path.join(tmp, 'data'),
        TELEPHONY: 'sip',
        SIP_SHARED_SECRET: SECRET,
        SIP_DOMAIN: 'onecall.local',
        SIP_WS_URL: `ws://127.0.0.1:${httpPort}`,
        SIP_KAMAILIO_HTTP_URL: `http://127.0.0.1:${httpPort}`,
        SIP_RTPENGINE_NG: `127.0.0.1:${ngPort}`,
        SIP_FALLBACK_SPOOL_DIR: spool,
        SIP_TRUNK_URI: `sip:127.0.0.1:${trunkPort}`,
      },
    });
    await until(
      'OneCall /api/health',
      async () => {
        if (server?.exitCode !== null) throw new Error(`the server exited: ${fs.readFileSync(path.join(tmp, 'server.log'), 'utf8').slice(-3000)}`);
        return (await fetch(`${baseUrl}/api/health`).catch(() => null))?.ok ? true : undefined;
      },
      90_000,
    );
    // rtpengine's ports (20000–34999) and SIPp's media ports (50000–57999) never meet.
    const rtpBase = 20000 + Math.floor(Math.random() * 15) * 1000;
    stackEnv = {
      ...process.env,
      SIP_SHARED_SECRET: SECRET,
      ONECALL_URL: baseUrl,
      SIP_DOMAIN: 'onecall.local',
      SIP_PORT: String(sipPort),
      SIP_HTTP_PORT: String(httpPort),
      RTPENGINE_NG_PORT: String(ngPort),
      RTP_PORT_MIN: String(rtpBase),
      RTP_PORT_MAX: String(rtpBase + 999),
      TELEPHONY_RUN_DIR: path.join(tmp, 'telephony'),
    };
    await run('bash', [path.join(ROOT, 'scripts/telephony.sh'), 'start'], { cwd: ROOT, env: stackEnv });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (stackEnv.TELEPHONY_RUN_DIR) await run('bash', [path.join(ROOT, 'scripts/telephony.sh'), 'stop'], { cwd: ROOT, env: stackEnv }).catch(() => undefined);
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      process.kill(-server.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    if (tmp) {
      try {
        fs.copyFileSync(path.join(tmp, 'telephony', 'kamailio.log'), path.join(ARTIFACTS, 'softphone-kamailio.log'));
        fs.copyFileSync(path.join(tmp, 'server.log'), path.join(ARTIFACTS, 'softphone-server.log'));
        fs.copyFileSync(path.join(tmp, 'telephony', 'rtpengine.log'), path.join(ARTIFACTS, 'softphone-rtpengine.log'));
      } catch {
        // nothing to keep
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  async function deskOf(opts: { permissions?: string[] } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul', permissions: opts.permissions });
    const res = await context.request.post('/api/auth/login', { data: { login: LOGIN, password: DEMO_PASSWORD }, headers: { 'x-onecall-request': '1' } });
    expect(res.ok(), await res.text()).toBe(true);
    // Every peer connection the page makes, so that the test can read its statistics.
    await context.addInitScript(() => {
      const Original = window.RTCPeerConnection;
      const all: RTCPeerConnection[] = [];
      (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = all;
      window.RTCPeerConnection = function (this: unknown, config?: RTCConfiguration) {
        const pc = new Original(config);
        all.push(pc);
        return pc;
      } as unknown as typeof RTCPeerConnection;
      window.RTCPeerConnection.prototype = Original.prototype;
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/') && r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
    });
    await page.goto('/agent');
    return { context, page, problems };
  }

  const inboundPackets = (page: Page) =>
    page.evaluate(async () => {
      let n = 0;
      for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
        const stats = await pc.getStats();
        stats.forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.packetsReceived ?? 0;
        });
      }
      return n;
    });

  /** SIPp in the run folder: `done` is its exit code. */
  const sipp = (args: string[]) => {
    const child = spawn('sipp', [...args, '-i', '127.0.0.1', '-nostdin'], { stdio: 'ignore', cwd: tmp });
    return { child, done: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))) };
  };
  const mediaPort = () => String(50000 + 4 * Math.floor(Math.random() * 2000));
  /** The citizen behind the trunk: answers the callback, plays G.711, hangs up after `talkMs`; the number dialled is logged. */
  const citizenAtTrunk = (talkMs: number, log: string) => {
    const scenario = path.join(tmp, 'citizen.xml');
    fs.writeFileSync(scenario, CITIZEN_SCENARIO);
    return sipp(['-sf', scenario, '-p', String(trunkPort), '-m', '1', '-d', String(talkMs), '-mp', mediaPort(), '-trace_logs', '-log_file', log, '-timeout', '90']);
  };
  /** A desk whose browser refuses the microphone (as a user who clicked 차단): the softphone does not register. */
  const refuseMicrophone = async (context: BrowserContext, page: Page) => {
    await context.clearPermissions();
    // Chromium's fake-UI flag grants every prompt: refuse the microphone for this page.
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await page.reload();
    await page.getByText('마이크 권한이 거부되었습니다').waitFor({ timeout: 15_000 });
  };

  const agentStatus = async (context: BrowserContext) => {
    const me = await context.request.get('/api/acd/me', { headers: { 'x-onecall-request': '1' } });
    return me.ok() ? ((await me.json()) as { status?: string }).status : undefined;
  };

  it('a desk-phone user (the browser refuses the microphone, the desk phone registered): the callback offer says to dial *77, the desk phone does, the citizen answers and hangs up', async () => {
    const { context, page, problems } = await deskOf({ permissions: [] });
    await refuseMicrophone(context, page);
    // The desk phone (SIPp) registers as agent07 with the credentials the desk gives (docs/TELEPHONY-SIP.md).
    const creds = (await (await context.request.get('/api/softphone/credentials', { headers: { 'x-onecall-request': '1' } })).json()) as { authorizationUsername: string; password: string };
    const auth = ['-au', creds.authorizationUsername, '-ap', creds.password, '-set', 'domain', 'onecall.local'];
    const register = async (expires: number) =>
      sipp(['-sf', path.join(SIPP_DIR, 'register.xml'), `127.0.0.1:${sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', LOGIN, ...auth, '-set', 'contact_port', '5999', '-set', 'expires', String(expires), '-timeout', '10', '-timeout_error']).done;
    expect(await register(3600)).toBe(0);
    const citizenLog = path.join(tmp, 'citizen-desk.log');
    const citizen = citizenAtTrunk(4000, citizenLog);
    try {
      const ready = await context.request.post('/api/acd/agent/state', { data: { status: 'available' }, headers: { 'x-onecall-request': '1' } });
      expect(ready.ok(), await ready.text()).toBe(true);
      await page.getByRole('heading', { name: '콜백 요청 전화를 거세요' }).waitFor({ timeout: 20_000 });
      expect(await page.locator('.offer__number').textContent()).toBe('010-****-7300');
      await page.getByText('책상 전화기로 *77을 누르면 이 민원인에게 전화가 걸립니다.').waitFor();
      await shots(page, 'softphone-deskphone-callback-offer');
      // The agent dials *77 on the desk phone: that takes the callback, the citizen answers.
      const phoneLog = path.join(tmp, 'desk-phone.log');
      const phone = sipp(['-sf', path.join(SIPP_DIR, 'agent_dials_callback.xml'), `127.0.0.1:${sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', '*77', ...auth, '-set', 'login', LOGIN, '-set', 'rtp_port', mediaPort(), '-mp', mediaPort(), '-trace_logs', '-log_file', phoneLog, '-timeout', '60', '-timeout_error']);
      await page.getByText('통화 중', { exact: true }).first().waitFor({ timeout: 15_000 });
      await shots(page, 'softphone-deskphone-callback-talking');
      // The citizen hangs up after 4 s: the desk goes to 후처리.
      expect(await phone.done).toBe(0);
      expect(fs.readFileSync(phoneLog, 'utf8')).toContain('outcome=answered');
      expect(fs.readFileSync(citizenLog, 'utf8')).toContain(`dialled=${DESK_PHONE_NUMBER}`);
      await until('after-call work', async () => ((await agentStatus(context)) === 'after_call_work' ? true : undefined));
      await page.getByText('통화 종료됨').waitFor({ timeout: 15_000 });
      const off = await context.request.post('/api/acd/agent/state', { data: { status: 'logged_out' }, headers: { 'x-onecall-request': '1' } });
      expect(off.ok(), await off.text()).toBe(true);
    } finally {
      if (citizen.child.exitCode === null && citizen.child.pid) process.kill(citizen.child.pid, 'SIGTERM');
      await register(0);
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('a callback: 전화 걸기 on the offer makes the browser call the citizen through the trunk (the number never on the page), audio arrives, the citizen hangs up', async () => {
    const { context, page, problems } = await deskOf();
    await page.locator('[data-registration="registered"]').waitFor({ timeout: 20_000 });
    const citizenLog = path.join(tmp, 'citizen.log');
    const { child: citizen } = citizenAtTrunk(8000, citizenLog);
    try {
      const ready = await context.request.post('/api/acd/agent/state', { data: { status: 'available' }, headers: { 'x-onecall-request': '1' } });
      expect(ready.ok(), await ready.text()).toBe(true);
      // The callback from the spool is offered: its number masked, nothing rings in the browser.
      await page.getByRole('heading', { name: '콜백 요청 전화를 거세요' }).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: /전화 걸기/ }).waitFor();
      expect(await page.locator('.offer__number').textContent()).toBe('010-****-7100');
      expect(await page.locator('[data-softphone="ringing"]').count()).toBe(0);
      await shots(page, 'softphone-callback-offer');
      await page.keyboard.press('Alt+A');
      // The browser calls *77; OneCall gives Kamailio the callback's number; the citizen answers and talks.
      await page.getByText('통화 중', { exact: true }).first().waitFor({ timeout: 15_000 });
      const packets = await until('audio from the citizen in the browser', async () => {
        const n = await inboundPackets(page);
        return n > 50 ? n : undefined;
      }).catch(async (err: unknown) => {
        // What the browser's peer connection says (rtpengine's side: .artifacts/e2e/softphone-rtpengine.log).
        const pcs = await page.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.map((pc) => `${pc.iceConnectionState}/${pc.connectionState}`));
        throw new Error(`${String(err)}; peer connections (ICE/DTLS): ${pcs.join(', ')}`);
      });
      expect(packets).toBeGreaterThan(50);
      expect(fs.readFileSync(citizenLog, 'utf8')).toContain(`dialled=${CALLBACK_NUMBER}`);
      expect(await page.content()).not.toContain('55557100');
      await shots(page, 'softphone-callback-talking');
      // The citizen hangs up: the callback's call is over, the agent in after-call work.
      await page.getByText('통화 종료됨').waitFor({ timeout: 20_000 });
      await until('after-call work', async () => ((await agentStatus(context)) === 'after_call_work' ? true : undefined));
      await until('the SIP call ended', async () => ((await page.getByRole('button', { name: '음소거', exact: true }).count()) === 0 ? true : undefined));
      await shots(page, 'softphone-callback-ended');
      // Off the line for the next journey (which makes the agent available again).
      const off = await context.request.post('/api/acd/agent/state', { data: { status: 'logged_out' }, headers: { 'x-onecall-request': '1' } });
      expect(off.ok(), await off.text()).toBe(true);
    } finally {
      if (citizen.exitCode === null && citizen.pid) process.kill(citizen.pid, 'SIGTERM');
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('registers, rings on a routed call, answers with 응답, hears the caller, hangs up with 통화 종료', async () => {
    const { context, page, problems } = await deskOf();
    const badge = page.locator('[data-registration]');
    await badge.and(page.locator('[data-registration="registered"]')).waitFor({ timeout: 20_000 });
    expect(await badge.textContent()).toContain('소프트폰 등록됨');
    await shots(page, 'softphone-registered');

    const ready = await context.request.post('/api/acd/agent/state', { data: { status: 'available' }, headers: { 'x-onecall-request': '1' } });
    expect(ready.ok(), await ready.text()).toBe(true);

    const callerPort = await freePort();
    const scenario = path.join(tmp, 'caller.xml');
    fs.writeFileSync(scenario, CALLER_SCENARIO);
    const caller = spawn(
      'sipp',
      ['-sf', scenario, `127.0.0.1:${sipPort}`, '-i', '127.0.0.1', '-p', String(callerPort), '-m', '1', '-s', '120', '-mp', String(50000 + 4 * Math.floor(Math.random() * 2000)), '-nostdin', '-timeout', '90'],
      { stdio: 'ignore', cwd: tmp },
    );
    try {
      // The ACD's offer on the desk and the SIP call ringing in this browser.
      await page.locator('[data-softphone="ringing"]').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: /응답/ }).first().waitFor();
      await shots(page, 'softphone-ringing');
      await page.keyboard.press('Alt+A');
      await page.getByText('통화 중', { exact: true }).first().waitFor({ timeout: 15_000 });
      // Audio from the caller (SIPp plays G.711 through rtpengine) reaches the browser.
      const packets = await until('inbound audio packets in the browser', async () => {
        const n = await inboundPackets(page);
        return n > 50 ? n : undefined;
      });
      expect(packets).toBeGreaterThan(50);
      await page.getByRole('button', { name: '음소거', exact: true }).click();
      await page.getByText('마이크가 꺼져 있습니다').waitFor();
      await shots(page, 'softphone-in-call');
      await page.getByRole('button', { name: '음소거 해제' }).click();

      await page.getByRole('button', { name: '통화 종료' }).click();
      await page.getByText('통화 종료됨').waitFor({ timeout: 15_000 });
      // The SIP call is over too: no mute control, still registered for the next call.
      await until('the SIP call ended', async () => ((await page.getByRole('button', { name: '음소거', exact: true }).count()) === 0 ? true : undefined));
      expect(await page.locator('[data-registration]').getAttribute('data-registration')).toBe('registered');
      // The ACD counts the call ended: the agent is in after-call work.
      await until('after-call work', async () => ((await agentStatus(context)) === 'after_call_work' ? true : undefined));
    } finally {
      if (caller.exitCode === null && caller.pid) process.kill(caller.pid, 'SIGTERM');
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('a refused microphone is explained in Korean and the desk does not register', async () => {
    const { context, page } = await deskOf({ permissions: [] });
    await refuseMicrophone(context, page);
    expect(await page.locator('[data-registration]').getAttribute('data-registration')).toBe('disconnected');
    await shots(page, 'softphone-mic-denied');
    await context.close();
  }, 60_000);
});
