import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors';
import { ERROR_STATUS } from '../../http/error-status';
import { RecordingAudioError, recordingToWav } from './recording-audio';
import { RecordingDecoder, transferListOf } from './recording-decoder';
import { ipUdpRtp, pcap } from './test-pcap';

/*
 * The recording decoder's worker pool (issue #17 §3) with a real worker thread: the same WAV as the decoder in
 * process, its errors with their reasons, the pcap moved rather than copied, and the bound on waiting decodes. The
 * bound is checked without timing: decodes asked in one synchronous turn cannot have been answered yet.
 */
const seconds = (n: number, ssrc = 9, pt = 8) =>
  pcap(Array.from({ length: n * 50 }, (_, i) => ({ at: 1_796_000_000 + i * 0.02, data: ipUdpRtp({ seq: i, ts: i * 160, ssrc, pt, payload: Buffer.alloc(160, (i * 7) & 0xff), at: 0 }) })));

describe('RecordingDecoder', () => {
  let decoder: RecordingDecoder | undefined;
  afterEach(async () => decoder?.close());

  it('answers the WAV recordingToWav makes, moving the pcap to the worker; a damaged pcap keeps its reason', async () => {
    decoder = new RecordingDecoder();
    const call = seconds(20);
    const expected = recordingToWav(call);
    const sent = Buffer.from(call);
    const wav = await decoder.decode(sent);
    expect(wav.equals(expected)).toBe(true);
    // Transferred, not copied: the Buffer given is detached.
    expect(sent.byteLength).toBe(0);

    const silent = pcap([{ at: 1_796_000_000, data: ipUdpRtp({ seq: 1, ts: 0, ssrc: 1, pt: 101, payload: Buffer.from([1, 0, 0, 160]), at: 0 }) }]);
    for (const [bytes, reason] of [[Buffer.from('this is no pcap'), 'not_pcap'], [silent, 'no_audio']] as const) {
      const err = await decoder.decode(bytes).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordingAudioError);
      expect((err as RecordingAudioError).reason).toBe(reason);
    }
  });

  it('small Buffers from the shared pool are copied, not transferred (the pool would be detached)', () => {
    const pooled = Buffer.from('a small buffer');
    expect(pooled.byteLength).toBeLessThan(pooled.buffer.byteLength);
    expect(transferListOf(pooled)).toEqual([]);
    const own = Buffer.alloc(10_000);
    expect(transferListOf(own)).toEqual([own.buffer]);
  });

  it('beyond the workers and the waiting bound a decode is refused at once with RECORDING_DECODER_BUSY (503); the queue then drains', async () => {
    decoder = new RecordingDecoder({ workers: 1, maxWaiting: 2 });
    const call = seconds(5);
    const asked = Array.from({ length: 5 }, () => decoder!.decode(Buffer.from(call)).then((wav) => wav, (err: unknown) => err));
    expect(decoder.load).toEqual({ running: 1, waiting: 2 });
    const answers = await Promise.all(asked);
    const expected = recordingToWav(call);
    expect(answers.slice(0, 3).map((a) => a instanceof Buffer && a.equals(expected))).toEqual([true, true, true]);
    for (const refused of answers.slice(3)) {
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('RECORDING_DECODER_BUSY');
    }
    expect(ERROR_STATUS.RECORDING_DECODER_BUSY).toBe(503);
    expect(decoder.load).toEqual({ running: 0, waiting: 0 });
    expect((await decoder.decode(Buffer.from(call))).equals(expected)).toBe(true);
  });

  it('a worker that dies fails its decode and the next decode gets a new worker; close fails the waiting ones', async () => {
    decoder = new RecordingDecoder({ workers: 1, maxWaiting: 1 });
    const call = seconds(2);
    // The running decode is an hour-long call: a 2 s one could be decoded (on a busy machine, it was) before the
    // terminate below took effect.
    const running = decoder.decode(seconds(3600)).catch((e: unknown) => e);
    const waiting = decoder.decode(Buffer.from(call));
    // Killing the worker under the running decode: it fails; the waiting one runs on a new worker.
    const slots = (decoder as unknown as { slots: Set<{ worker: { terminate(): Promise<number> } }> }).slots;
    await [...slots][0]!.worker.terminate();
    expect(await running).toBeInstanceOf(Error);
    expect((await waiting).equals(recordingToWav(call))).toBe(true);

    const pending = decoder.decode(Buffer.from(call)).catch((e: unknown) => e);
    const queued = decoder.decode(Buffer.from(call)).catch((e: unknown) => e);
    await decoder.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(await queued).toBeInstanceOf(Error);
    await expect(decoder.decode(Buffer.from(call))).rejects.toThrow('closed');
  });
});
