// Recording playback (issue #17 §3): what a pcap → WAV decode costs the event loop, on it vs on the decoder's worker.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordingToWav } from '../server/modules/recordings/recording-audio';
import { RecordingDecoder } from '../server/modules/recordings/recording-decoder';
import { newDataKey, openSealedFile, sealFile } from '../server/modules/recordings/recording-files';
import { ipUdpRtp, pcap } from '../server/modules/recordings/test-pcap';
import { percentile, type Bench } from './types';

const TICK_MS = 1;

/** A call of `minutes` as rtpengine records it: both directions, 20 ms G.711 packets (PCMA one way, PCMU the other). */
function callPcap(minutes: number): Buffer {
  const packets = minutes * 60 * 50;
  const frames: Array<{ at: number; data: Buffer }> = [];
  const payload = Buffer.alloc(160);
  for (let i = 0; i < packets; i++) {
    payload.fill((i * 7) & 0xff);
    frames.push({ at: 1_796_000_000 + i * 0.02, data: ipUdpRtp({ seq: i, ts: i * 160, ssrc: 1, pt: 8, src: '10.0.0.1', payload, at: 0 }) });
    frames.push({ at: 1_796_000_000 + i * 0.02 + 0.007, data: ipUdpRtp({ seq: i, ts: i * 160, ssrc: 2, pt: 0, src: '10.0.0.9', payload, at: 0 }) });
  }
  return pcap(frames);
}

/**
 * How long work arriving at the event loop waits while `task` runs: a 1 ms timer stands for the ACD's ticks and the SIP
 * route requests; every 1 ms instant of the task's duration counts as one arrival, waiting until the loop next ran a
 * tick (so a loop blocked for 1.3 s counts 1,300 arrivals waiting up to 1.3 s, not one late tick).
 */
async function loopWaitDuring(task: () => Promise<unknown>): Promise<{ waits: number[]; wallMs: number }> {
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(performance.now()), TICK_MS);
  await new Promise((r) => setTimeout(r, 20));
  const start = performance.now();
  await task();
  const end = performance.now();
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  const waits: number[] = [];
  let next = 0;
  for (let at = start; at < end; at += TICK_MS) {
    while (next < ticks.length && ticks[next]! < at) next++;
    if (next < ticks.length) waits.push(ticks[next]! - at);
  }
  return { waits, wallMs: end - start };
}

/** openSealedFile as it was before it decrypted in slices: the whole file in one decipher call. */
async function openInOneCall(file: string, key: Buffer, recordingId: string): Promise<Buffer> {
  const raw = await fs.promises.readFile(file);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(4, 16));
  decipher.setAAD(Buffer.from(recordingId));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(16, raw.length - 16)), decipher.final()]);
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

/**
 * One call decoded three times each way: in process (recordingToWav, as GET /api/recordings/:id/audio did) and on the
 * decoder's worker (RecordingDecoder, pcap moved to the worker and the WAV back), after one warm-up decode each (the
 * worker's start, tsx loading the decoder). Also the decryption of the sealed file before the decode (on the event
 * loop, now a slice per turn), against the one decipher call it was.
 */
export const run: Bench = async ({ quick }) => {
  const minutes = quick ? 10 : 60;
  const rounds = 3;
  const plain = callPcap(minutes);
  const expected = recordingToWav(plain);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-rec-bench-'));
  const decoder = new RecordingDecoder();
  try {
    fs.writeFileSync(path.join(dir, 'call.pcap'), plain);
    const key = newDataKey();
    const sealed = path.join(dir, 'call.ocrec');
    await sealFile(path.join(dir, 'call.pcap'), sealed, key, 'bench');
    if (!(await openInOneCall(sealed, key, 'bench')).equals(plain)) throw new Error('the one-call decryption differs');
    if (!(await decoder.decode(Buffer.from(plain))).equals(expected)) throw new Error('the worker decoded another WAV than recordingToWav');

    const inProcess = { waits: [] as number[], walls: [] as number[] };
    const onWorker = { waits: [] as number[], walls: [] as number[] };
    const opening = { waits: [] as number[], walls: [] as number[] };
    const openingBefore = { waits: [] as number[], walls: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      const a = await loopWaitDuring(async () => recordingToWav(plain));
      inProcess.waits.push(...a.waits);
      inProcess.walls.push(a.wallMs);
      const copy = Buffer.from(plain);
      let wav: Buffer | undefined;
      const b = await loopWaitDuring(async () => (wav = await decoder.decode(copy)));
      if (!wav?.equals(expected)) throw new Error('the worker decoded another WAV than recordingToWav');
      onWorker.waits.push(...b.waits);
      onWorker.walls.push(b.wallMs);
      const c = await loopWaitDuring(() => openSealedFile(sealed, key, 'bench'));
      opening.waits.push(...c.waits);
      opening.walls.push(c.wallMs);
      const d = await loopWaitDuring(() => openInOneCall(sealed, key, 'bench'));
      openingBefore.waits.push(...d.waits);
      openingBefore.walls.push(d.wallMs);
    }
    const row = (name: string, m: { waits: number[]; walls: number[] }) =>
      `| ${name} | ${ms(percentile(m.walls, 50))} ms | ${ms(percentile(m.waits, 50))} ms | ${ms(percentile(m.waits, 99))} ms | ${ms(Math.max(...m.waits))} ms |`;
    const markdown = [
      `One ${minutes}-minute call (${(plain.length / 2 ** 20).toFixed(0)} MiB pcap, both directions, 20 ms G.711 packets → ${(expected.length / 2 ** 20).toFixed(0)} MiB WAV),`,
      `decoded ${rounds} times each way after a warm-up. "Loop wait" is how long work reaching the event loop during the decode`,
      `waits for it (a ${TICK_MS} ms timer; every ${TICK_MS} ms instant of the decode counts as an arrival, so a blocked loop counts`,
      'every arrival it held up). No target in the issue; the figure of interest is the wait p99 (the ACD and the SIP route',
      'service share this loop).',
      '',
      '| decode | wall p50 | loop wait p50 | loop wait p99 | loop wait max |',
      '|---|---|---|---|---|',
      row('before: in process (recordingToWav on the loop)', inProcess),
      row('after: on the worker (RecordingDecoder, 1 worker)', onWorker),
      row('opening the sealed file, before: decrypted in one call', openingBefore),
      row('opening the sealed file, after: 1 MiB per turn of the loop', opening),
      '',
      `Load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${os.cpus().length} cores.`,
    ].join('\n');
    return [{ title: 'Recording playback: decoding off the event loop', markdown, targetsMet: true }];
  } finally {
    await decoder.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
