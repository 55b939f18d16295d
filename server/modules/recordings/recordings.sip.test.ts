import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../../test/factories';
import type { TestContext } from '../../test/test-app';
import { freeMediaPort, freePort, openSipCentre, rtpPeer, sipp, until, type SipCentre, type SipStack } from '../../test/sip-stack';

const SECRET = 'sip-test-secret-0123456789abcdef';
const CENTRE = '0315180121';
const PCAP_MAGIC = [0xa1b2c3d4, 0xd4c3b2a1];

/** The RTP packets in a pcap file (any link type: the RTP header is found after the UDP header). */
function rtpPacketsIn(pcap: Buffer): number {
  const le = pcap.readUInt32LE(0) === 0xa1b2c3d4;
  const u32 = (o: number) => (le ? pcap.readUInt32LE(o) : pcap.readUInt32BE(o));
  let n = 0;
  for (let o = 24; o + 16 <= pcap.length; ) {
    const len = u32(o + 8);
    const data = pcap.subarray(o + 16, o + 16 + len);
    // IPv4 (possibly after a link header): find 0x45, protocol 17 (UDP), then the RTP version bits after 8 bytes of UDP.
    const ip = data.indexOf(0x45);
    if (ip >= 0 && data[ip + 9] === 17) {
      const rtp = data.subarray(ip + 20 + 8);
      if (rtp.length >= 12 && rtp[0]! >> 6 === 2 && (rtp[1]! & 0x7f) === 8) n++;
    }
    o += 16 + len;
  }
  return n;
}

/**
 * Call recording through the real stack (issue #17 §3): SIP_RECORDING=on, rtpengine records the answered call (pcap in
 * its spool), OneCall seals it into its own store and deletes the plain file; playback with a reason gives the bytes
 * back and writes an access record.
 */
describe('call recording: rtpengine records, OneCall seals it, playback with a reason', () => {
  let t: TestContext;
  let stack: SipStack;
  let centre: SipCentre;
  let runDir = '';
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-recordings-'));

  beforeAll(async () => {
    centre = await openSipCentre({
      secret: SECRET,
      centre: CENTRE,
      queueCode: 'REC',
      env: (dir) => ({
        SIP_RECORDING: 'on',
        SIP_RECORDING_SPOOL_DIR: path.join(dir, 'recordings'),
        SIP_RECORDING_DIR: store,
        RECORDING_RETENTION_DAYS: '60',
        ACD_OFFER_TIMEOUT_SECONDS: '5',
      }),
    });
    ({ t, stack, runDir } = centre);
  }, 60_000);

  afterAll(async () => {
    await centre?.stop();
    fs.rmSync(store, { recursive: true, force: true });
  });

  const filesUnder = (dir: string): string[] =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name)) : [];

  it('a recorded call: a sealed file exists and no plaintext is left; a supervisor with a reason gets the audio back, an access record is written', async () => {
    const { user, phonePort } = await centre.agent();
    const agentCookie = await t.signIn(user.login);
    const sip = centre.sip;
    await t.app.acd.setAgentState(user.id, { status: 'available' });

    const phoneRtp = await rtpPeer(true);
    const callerRtp = await rtpPeer(false);
    const phone = sipp('agent_answers.xml', ['-p', String(phonePort), '-m', '1', '-set', 'rtp_port', String(phoneRtp.port), '-mp', String(await freeMediaPort()), '-timeout', '30']);
    const caller = sipp('caller.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345678', '-set', 'rtp_port', String(callerRtp.port), '-d', '4000', '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    const onCall = await until('agent on the call', () => (t.app.acd.agentActivity(user.id).status === 'on_call' ? t.app.acd.agentActivity(user.id) : undefined));
    const contactId = onCall.contactId!;
    // rtpengine is recording: the row says so, and the plain pcap is being written in the spool.
    const started = await until('recording row', async () => (await t.deps.db.selectFrom('recordings').selectAll().where('interaction_id', '=', contactId).executeTakeFirst()) ?? undefined);
    expect(started.status).toBe('recording');

    // The caller's side of the call in rtpengine, then 50 packets each way (the phone echoes them).
    const callerLocalPort = await until('the call in rtpengine', async () => {
      const q = await sip.rtpengine.request('query', { 'call-id': started.call_id });
      type Stream = { 'local port'?: number; endpoint?: { port?: number } };
      const streams = Object.values((q['tags'] ?? {}) as Record<string, { medias?: Array<{ streams?: Stream[] }> }>).flatMap((tag) => (tag.medias ?? []).flatMap((m) => m.streams ?? []));
      return streams.find((s) => s.endpoint?.port === callerRtp.port)?.['local port'];
    });
    await callerRtp.stream(callerLocalPort, 50);
    await until('echo back at the caller', () => (callerRtp.received() >= 40 ? true : undefined));
    const [c, p] = await Promise.all([caller.done, phone.done]);
    expect(c.code, c.output).toBe(0);
    expect(p.code, p.output).toBe(0);
    phoneRtp.close();
    callerRtp.close();

    const sealed = await until('recording sealed', async () => {
      const row = await t.deps.db.selectFrom('recordings').selectAll().where('id', '=', started.id).executeTakeFirstOrThrow();
      return row.status === 'recording' ? undefined : row;
    }, 20_000).catch((err: unknown) => {
      console.log('DBG spool', filesUnder(path.join(runDir, 'recordings')), started.call_id, fs.readFileSync(path.join(runDir, 'rtpengine.log'), 'utf8').slice(-3000));
      throw err;
    });
    expect(sealed.status, sealed.failure ?? '').toBe('sealed');
    expect(sealed.key_sealed).toMatch(/^v1\./);
    expect(new Date(sealed.retain_until).getTime() - new Date(sealed.started_at).getTime()).toBe(60 * 86_400_000);
    // The sealed file: in the store, not a pcap, no RTP payload readable; the spool has neither the pcap nor its metadata.
    const file = fs.readFileSync(sealed.file_ref!);
    expect(file.length).toBe(Number(sealed.size_bytes));
    expect(sealed.file_ref!.startsWith(store)).toBe(true);
    expect(PCAP_MAGIC).not.toContain(file.readUInt32LE(0));
    expect(file.subarray(0, 4).toString()).toBe('OCR1');
    expect(file.includes(Buffer.alloc(64, 0xd5))).toBe(false);
    const spool = path.join(runDir, 'recordings');
    expect(filesUnder(path.join(spool, 'pcaps'))).toEqual([]);
    expect(filesUnder(path.join(spool, 'metadata'))).toEqual([]);
    expect(filesUnder(spool).filter((f) => f.endsWith('.pcap'))).toEqual([]);

    // The contact's recordings (no content) for a supervisor.
    const supervisor = await buildUser(t.deps.db, { role: 'supervisor' });
    const cookie = await t.signIn(supervisor.login);
    const list = await t.app.inject({ method: 'GET', url: `/api/recordings?contactId=${contactId}`, headers: { cookie } });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: Array<{ id: string; status: string }> }>().items).toEqual([expect.objectContaining({ id: sealed.id, status: 'sealed' })]);

    // Without a reason: 400 with a stable code, and no access record.
    const recordsBefore = await t.deps.db.selectFrom('access_records').select('id').where('target', '=', `recording:${sealed.id}`).execute();
    expect(recordsBefore).toEqual([]);
    for (const url of [`/api/recordings/${sealed.id}/file`, `/api/recordings/${sealed.id}/file?reason=%20`]) {
      const noReason = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json<{ error: { code: string } }>().error.code).toBe('RECORDING_REASON_REQUIRED');
    }
    // An agent: 403, even with a reason (the agent who took the call too).
    const byAgent = await t.app.inject({ method: 'GET', url: `/api/recordings/${sealed.id}/file?reason=${encodeURIComponent('민원 확인')}`, headers: { cookie: agentCookie } });
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json<{ error: { code: string } }>().error.code).toBe('FORBIDDEN');
    expect((await t.app.inject({ method: 'GET', url: `/api/recordings?contactId=${contactId}`, headers: { cookie: agentCookie } })).statusCode).toBe(403);
    expect(await t.deps.db.selectFrom('access_records').select('id').where('target', '=', `recording:${sealed.id}`).execute()).toEqual([]);

    // With a reason: the pcap rtpengine wrote (both directions' RTP), and one access record with the reason.
    const played = await t.app.inject({ method: 'GET', url: `/api/recordings/${sealed.id}/file?reason=${encodeURIComponent('민원인 이의 제기 확인')}`, headers: { cookie } });
    expect(played.statusCode, played.body).toBe(200);
    expect(played.headers['content-type']).toBe('application/vnd.tcpdump.pcap');
    const bytes = played.rawPayload;
    expect(PCAP_MAGIC).toContain(bytes.readUInt32LE(0));
    expect(rtpPacketsIn(bytes)).toBeGreaterThanOrEqual(80);
    const records = await t.deps.db.selectFrom('access_records').selectAll().where('target', '=', `recording:${sealed.id}`).execute();
    expect(records.map((r) => [r.user_id, r.action, r.reason, r.result])).toEqual([[supervisor.id, 'export', '민원인 이의 제기 확인', 'success']]);

    // An unknown recording: 404.
    expect((await t.app.inject({ method: 'GET', url: `/api/recordings/0190f5a2-0000-7000-8000-000000000000/file?reason=check`, headers: { cookie } })).statusCode).toBe(404);
    await t.app.acd.setAgentState(user.id, { status: 'logged_out' });
  });
  it("the desk's 응답 reaches the ACD before Kamailio's report of the answer (the softphone's order): the call is recorded all the same", async () => {
    const { user, phonePort } = await centre.agent();
    await t.app.acd.setAgentState(user.id, { status: 'available' });
    const phoneRtp = await rtpPeer(true);
    // The phone rings 1.5 s before its 200: time for the desk's answer to reach the ACD first.
    const phone = sipp('agent_answers.xml', ['-p', String(phonePort), '-m', '1', '-d', '1500', '-set', 'rtp_port', String(phoneRtp.port), '-mp', String(await freeMediaPort()), '-timeout', '30']);
    const caller = sipp('caller.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345679', '-set', 'rtp_port', String(await freeMediaPort()), '-d', '3000', '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    await until('the phone rings', () => (centre.sip.isRinging(user.id) ? true : undefined));
    const contactId = t.app.acd.agentActivity(user.id).contactId!;
    await t.app.acd.answer(user.id, contactId, null);
    expect(t.app.acd.agentActivity(user.id).status).toBe('on_call');
    const row = await until('recording row', async () => (await t.deps.db.selectFrom('recordings').selectAll().where('interaction_id', '=', contactId).executeTakeFirst()) ?? undefined);
    expect(row.status).toBe('recording');
    const [c, p] = await Promise.all([caller.done, phone.done]);
    expect(c.code, c.output).toBe(0);
    expect(p.code, p.output).toBe(0);
    phoneRtp.close();
    const sealed = await until('recording sealed', async () => {
      const r = await t.deps.db.selectFrom('recordings').select(['status', 'failure']).where('id', '=', row.id).executeTakeFirstOrThrow();
      return r.status === 'recording' ? undefined : r;
    }, 20_000);
    expect(sealed.status, sealed.failure ?? '').toBe('sealed');
    await t.app.acd.setAgentState(user.id, { status: 'logged_out' });
  });
});
