import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { insertInteraction } from '../calls/calls.repository';
import { recordingToWav } from './recording-audio';
import { newDataKey, sealFile } from './recording-files';
import { insertRecording } from './recordings.repository';
import { ipUdpRtp, pcap } from './test-pcap';

/*
 * 녹취 청취 (issue #17 §3) through the API on a real database: the 통화 녹음 list by KST day (agent, masked caller,
 * length, queue), and playback as audio/wav with the same reason rule and access record as the pcap download; a
 * recording that cannot be played is a 422 with a stable code and leaves no access record.
 */
const NOW = Date.parse('2026-11-27T01:00:00.000Z'); // the test clock: Friday 10:00 KST

describe('recordings: list by day and playback as WAV', () => {
  let t: TestContext;
  let cookie: string;
  let agentCookie: string;
  let agentId: string;
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-rec-audio-'));

  beforeAll(async () => {
    t = await createTestContext();
    const supervisor = await buildUser(t.deps.db, { role: 'supervisor' });
    const agent = await buildUser(t.deps.db, { role: 'agent', name: '김상담' });
    agentId = agent.id;
    cookie = await t.signIn(supervisor.login);
    agentCookie = await t.signIn(agent.login);
  });

  afterAll(async () => {
    await t.close();
    fs.rmSync(store, { recursive: true, force: true });
  });

  /** A sealed recording of a call that started at `startedAt` and lasted `seconds`, with `plain` as its file. */
  async function recording(startedAt: number, seconds: number, plain: Buffer, queue?: { id: string; name: string }) {
    const id = newId();
    const interactionId = newId();
    const at = new Date(startedAt).toISOString();
    const end = new Date(startedAt + seconds * 1000).toISOString();
    await insertInteraction(t.deps.db, t.deps.vault, {
      id: interactionId, channel: 'phone', direction: 'inbound', caller_number: '+821012345678', dialled_number: '0315180121', citizen_id: null, agent_id: agentId,
      status: 'ended', started_at: at, answered_at: at, ended_at: end,
    });
    if (queue) {
      await t.deps.db.insertInto('acd_queues').values({ id: queue.id, code: queue.id.slice(-6), name: queue.name, skill: null, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: at, updated_at: at }).execute();
      await t.deps.db.insertInto('contact_events').values({ id: newId(), at, type: 'call_queued', interaction_id: interactionId, case_id: null, handoff_id: null, actor_id: null, detail: null, data: JSON.stringify({ queueId: queue.id }) }).execute();
    }
    const plainPath = path.join(store, `${id}.pcap`);
    fs.writeFileSync(plainPath, plain);
    const key = newDataKey();
    const fileRef = path.join(store, `${id}.ocrec`);
    const size = await sealFile(plainPath, fileRef, key, id);
    fs.rmSync(plainPath);
    await insertRecording(t.deps.db, {
      id, interaction_id: interactionId, call_id: `call-${id}`, status: 'sealed', file_ref: fileRef, key_sealed: t.deps.vault.seal(key.toString('base64')), size_bytes: size,
      started_at: at, ended_at: end, sealed_at: end, retain_until: new Date(startedAt + 365 * 86_400_000).toISOString(), failure: null,
    });
    return { id, interactionId, fileRef };
  }

  const call = pcap(
    Array.from({ length: 3 }, (_, i) => ({ at: 1_796_000_000 + i * 0.02, data: ipUdpRtp({ seq: i, ts: i * 160, ssrc: 9, pt: 8, payload: Buffer.alloc(160, 0xd5 ^ i), at: 0 }) })),
  );
  const records = (id: string) => t.deps.db.selectFrom('access_records').select(['user_id', 'action', 'reason', 'result']).where('target', '=', `recording:${id}`).execute();

  it('lists the recordings of a KST day, newest first, with agent, masked caller, length and queue', async () => {
    const morning = await recording(NOW - 3600_000, 95, call, { id: newId(), name: '세무 상담' });
    const now = await recording(NOW, 30, call);
    // 2026-11-26 23:30 KST: the day before.
    await recording(Date.parse('2026-11-26T14:30:00.000Z'), 10, call);

    const res = await t.app.inject({ method: 'GET', url: '/api/recordings', headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ items: Array<Record<string, unknown>>; truncated: boolean }>();
    expect(body.items.map((i) => i.id)).toEqual([now.id, morning.id]);
    expect(body.items[1]).toMatchObject({ agentName: '김상담', callerMasked: '010-****-5678', durationSec: 95, queueName: '세무 상담', status: 'sealed', contactId: morning.interactionId });
    expect(body.items[0]).toMatchObject({ queueName: null, durationSec: 30 });
    expect(JSON.stringify(body)).not.toContain('12345678');

    const both = await t.app.inject({ method: 'GET', url: '/api/recordings?from=2026-11-26&to=2026-11-27', headers: { cookie } });
    expect(both.json<{ items: unknown[] }>().items).toHaveLength(3);
    const byContact = await t.app.inject({ method: 'GET', url: `/api/recordings?contactId=${morning.interactionId}`, headers: { cookie } });
    expect(byContact.json<{ items: Array<{ id: string }> }>().items.map((i) => i.id)).toEqual([morning.id]);

    for (const q of ['from=2026-11-28&to=2026-11-27', 'from=2026-02-30', 'from=2026-01-01&to=2026-12-31', 'from=yesterday']) {
      const bad = await t.app.inject({ method: 'GET', url: `/api/recordings?${q}`, headers: { cookie } });
      expect(bad.statusCode, q).toBe(400);
      expect(bad.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/recordings', headers: { cookie: agentCookie } })).statusCode).toBe(403);
  });

  it('plays a recording as audio/wav with a reason, one access record each; no reason or an agent: refused, no record', async () => {
    const rec = await recording(NOW - 60_000, 20, call);
    const url = `/api/recordings/${rec.id}/audio`;
    for (const u of [url, `${url}?reason=%20`]) {
      const res = await t.app.inject({ method: 'GET', url: u, headers: { cookie } });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('RECORDING_REASON_REQUIRED');
    }
    expect((await t.app.inject({ method: 'GET', url: `${url}?reason=${encodeURIComponent('민원 확인')}`, headers: { cookie: agentCookie } })).statusCode).toBe(403);
    expect(await records(rec.id)).toEqual([]);

    const res = await t.app.inject({ method: 'GET', url: `${url}?reason=${encodeURIComponent('민원인 이의 제기 확인')}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    expect(res.headers['cache-control']).toBe('no-store');
    const wav = res.rawPayload;
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt32LE(40)).toBe(3 * 160 * 2);
    // A-law 0xd5 is the smallest positive step (+8).
    expect(wav.readInt16LE(44)).toBe(8);
    expect((await records(rec.id)).map((r) => [r.action, r.reason, r.result])).toEqual([['export', '민원인 이의 제기 확인', 'success']]);

    expect((await t.app.inject({ method: 'GET', url: `/api/recordings/${newId()}/audio?reason=check`, headers: { cookie } })).statusCode).toBe(404);
  });

  it('the WAV decoded on the worker thread is the one the decoder makes in process (two directions, PCMU and PCMA, a lost packet)', async () => {
    const direction = (ssrc: number, pt: number, src: string, offset: number) =>
      Array.from({ length: 1500 }, (_, i) => i)
        .filter((i) => i !== 700)
        .map((i) => ({ at: 1_796_000_000 + offset + i * 0.02, data: ipUdpRtp({ seq: i, ts: 4000 + i * 160, ssrc, pt, src, payload: Buffer.alloc(160, (i * 13 + ssrc) & 0xff), at: 0 }) }));
    const plain = pcap([...direction(7, 0, '10.0.0.1', 0), ...direction(8, 8, '10.0.0.9', 0.013)].sort((a, b) => a.at - b.at));
    const rec = await recording(NOW - 300_000, 30, plain);
    const res = await t.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}/audio?reason=${encodeURIComponent('통화 품질 확인')}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const expected = recordingToWav(plain);
    expect(res.rawPayload.length).toBe(expected.length);
    expect(res.rawPayload.equals(expected)).toBe(true);
  });

  it('a recording without G.711 audio, a damaged pcap or a damaged sealed file is 422 RECORDING_UNPLAYABLE, without an access record', async () => {
    const silent = await recording(NOW - 120_000, 5, pcap([{ at: 1_796_000_000, data: ipUdpRtp({ seq: 1, ts: 0, ssrc: 1, pt: 101, payload: Buffer.from([1, 0, 0, 160]), at: 0 }) }]));
    const garbage = await recording(NOW - 130_000, 5, Buffer.from('this is no pcap'));
    // Two packets five hours apart: a timeline over the 4-hour limit.
    const endless = await recording(NOW - 135_000, 5, pcap([0, 5 * 3600].map((s, i) => ({ at: 1_796_000_000 + s, data: ipUdpRtp({ seq: i, ts: i * 160, ssrc: 3, pt: 0, src: `10.0.0.${i + 1}`, payload: Buffer.alloc(160, 0xff), at: 0 }) }))));
    const tampered = await recording(NOW - 140_000, 5, call);
    const sealed = fs.readFileSync(tampered.fileRef);
    sealed[sealed.length - 20] = sealed[sealed.length - 20]! ^ 0xff;
    fs.writeFileSync(tampered.fileRef, sealed);

    for (const [rec, reason, route] of [[silent, 'no_audio', 'audio'], [garbage, 'not_pcap', 'audio'], [endless, 'too_long', 'audio'], [tampered, 'sealed_file_damaged', 'audio'], [tampered, 'sealed_file_damaged', 'file']] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}/${route}?reason=check`, headers: { cookie } });
      expect(res.statusCode, `${reason} ${route}`).toBe(422);
      expect(res.json<{ error: { code: string; details: unknown } }>().error).toMatchObject({ code: 'RECORDING_UNPLAYABLE', details: { reason } });
      expect(await records(rec.id)).toEqual([]);
    }
    // The undamaged pcap of the silent call is still handed out as it is.
    expect((await t.app.inject({ method: 'GET', url: `/api/recordings/${silent.id}/file?reason=check`, headers: { cookie } })).statusCode).toBe(200);
  });
});
