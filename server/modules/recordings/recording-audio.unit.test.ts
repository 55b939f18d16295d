import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { mixRecording, RecordingAudioError, recordingToWav, rtpStreamsOf } from './recording-audio';
import { ipUdpRtp, pcap } from './test-pcap';

const { alaw, mulaw } = createRequire(import.meta.url)('alawmulaw') as typeof import('alawmulaw');

/*
 * The recording decoder (issue #17 §3) on pcaps built here the way rtpengine writes them: G.711 bytes in, their PCM
 * out at the right place of the call's timeline, both directions mixed, gaps silent.
 */
const ethernet = (ip: Buffer) => Buffer.concat([Buffer.alloc(12, 0x02), Buffer.from([0x08, 0x00]), ip]);

/** 20 ms G.711 frames of pseudo-random bytes, and the PCM those bytes decode to (the known samples). */
function frames(n: number, seed: number): Buffer[] {
  let x = seed;
  return Array.from({ length: n }, () =>
    Buffer.from(
      Array.from({ length: 160 }, () => {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        return (x >> 16) & 0xff;
      }),
    ),
  );
}
const pcmOf = (pt: 0 | 8, bytes: Buffer) => Array.from(pt === 0 ? mulaw.decode(bytes) : alaw.decode(bytes));
const T0 = 1_796_000_000;

describe('recording audio (pcap of G.711 RTP → WAV)', () => {
  it('gives back the samples of one µ-law stream, in order, with a lost packet as silence', () => {
    const f = frames(5, 1);
    const packets = f.map((payload, i) => ({ seq: 65534 + i, ts: 4_294_967_000 + i * 160, ssrc: 7, pt: 0, payload, at: T0 + i * 0.02 }));
    const lost = packets.filter((_, i) => i !== 2);
    // Out of order in the file, and one duplicate: sequence order wins, the copy is dropped.
    const file = pcap([lost[0]!, lost[2]!, lost[1]!, lost[3]!, lost[1]!].map((p) => ({ at: p.at, data: ipUdpRtp(p) })));
    const mix = Array.from(mixRecording(file));
    expect(mix).toEqual([...pcmOf(0, f[0]!), ...pcmOf(0, f[1]!), ...Array<number>(160).fill(0), ...pcmOf(0, f[3]!), ...pcmOf(0, f[4]!)]);
  });

  it('places both directions (A-law) on the call timeline by arrival and mixes them; DTMF events are skipped', () => {
    const caller = frames(3, 2);
    const agent = frames(2, 3);
    const file = pcap([
      ...caller.map((payload, i) => ({ at: T0 + i * 0.02, data: ethernet(ipUdpRtp({ seq: 100 + i, ts: 8000 + i * 160, ssrc: 1, pt: 8, payload, at: 0 })) })),
      // The agent starts speaking 1 s later, with a timestamp base of its own and CSRCs and padding.
      ...agent.map((payload, i) => ({ at: T0 + 1 + i * 0.02, data: ethernet(ipUdpRtp({ seq: 9 + i, ts: 123_456 + i * 160, ssrc: 2, pt: 8, payload, at: 0, src: '10.0.0.9', csrc: 1, padding: 3 })) })),
      { at: T0 + 1.01, data: ethernet(ipUdpRtp({ seq: 11, ts: 123_456, ssrc: 2, pt: 101, payload: Buffer.from([1, 0, 0, 160]), at: 0, src: '10.0.0.9' })) },
    ], { linkType: 1 });
    expect(rtpStreamsOf(file).size).toBe(2);
    const mix = Array.from(mixRecording(file));
    expect(mix.length).toBe(8000 + 2 * 160);
    expect(mix.slice(0, 480)).toEqual(caller.flatMap((b) => pcmOf(8, b)));
    expect(mix.slice(480, 8000).every((v) => v === 0)).toBe(true);
    expect(mix.slice(8000)).toEqual(agent.flatMap((b) => pcmOf(8, b)));
  });

  it('sums overlapping directions (saturating) and reads a big-endian pcap', () => {
    const a = Buffer.alloc(160, 0x80); // µ-law 0x80: +32124
    const b = Buffer.alloc(160, 0x80);
    const file = pcap([
      { at: T0, data: ipUdpRtp({ seq: 1, ts: 0, ssrc: 1, pt: 0, payload: a, at: 0 }) },
      { at: T0, data: ipUdpRtp({ seq: 1, ts: 0, ssrc: 2, pt: 0, payload: b, at: 0, port: 30002 }) },
    ], { bigEndian: true });
    expect(Array.from(mixRecording(file)).every((v) => v === 32767)).toBe(true);
  });

  it('writes a mono 8 kHz 16-bit WAV whose data are the samples', () => {
    const f = frames(2, 4);
    const file = pcap(f.map((payload, i) => ({ at: T0 + i * 0.02, data: ipUdpRtp({ seq: i, ts: i * 160, ssrc: 5, pt: 0, payload, at: 0 }) })));
    const wav = recordingToWav(file);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect([wav.readUInt16LE(20), wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)]).toEqual([1, 1, 8000, 16]);
    expect(wav.readUInt32LE(40)).toBe(320 * 2);
    const samples = Array.from({ length: 320 }, (_, i) => wav.readInt16LE(44 + i * 2));
    expect(samples).toEqual(f.flatMap((b) => pcmOf(0, b)));
  });

  it('a file cut short plays what came before; not a pcap and no audio are RecordingAudioError', () => {
    const f = frames(2, 5);
    const whole = pcap(f.map((payload, i) => ({ at: T0 + i * 0.02, data: ipUdpRtp({ seq: i, ts: i * 160, ssrc: 5, pt: 0, payload, at: 0 }) })));
    expect(mixRecording(whole.subarray(0, whole.length - 10)).length).toBe(160);

    const reason = (b: Buffer) => {
      try {
        mixRecording(b);
        return 'decoded';
      } catch (err) {
        return err instanceof RecordingAudioError ? err.reason : 'other';
      }
    };
    expect(reason(Buffer.from('not a pcap at all, just some text'))).toBe('not_pcap');
    expect(reason(Buffer.alloc(10))).toBe('not_pcap');
    expect(reason(pcap([]))).toBe('no_audio');
    // Only comfort noise / DTMF, or UDP that is not RTP: no audio.
    expect(reason(pcap([{ at: T0, data: ipUdpRtp({ seq: 1, ts: 0, ssrc: 1, pt: 13, payload: Buffer.from([40]), at: 0 }) }]))).toBe('no_audio');
    const notRtp = ipUdpRtp({ seq: 1, ts: 0, ssrc: 1, pt: 0, payload: Buffer.alloc(160), at: 0 });
    notRtp[28] = 0x00;
    expect(reason(pcap([{ at: T0, data: notRtp }]))).toBe('no_audio');
  });

  it('a timestamp jump that disagrees with arrival re-anchors on arrival time instead of hours of silence', () => {
    const f = frames(2, 6);
    const file = pcap([
      { at: T0, data: ipUdpRtp({ seq: 1, ts: 0, ssrc: 1, pt: 0, payload: f[0]!, at: 0 }) },
      { at: T0 + 0.02, data: ipUdpRtp({ seq: 2, ts: 2_000_000_000, ssrc: 1, pt: 0, payload: f[1]!, at: 0 }) },
    ]);
    expect(Array.from(mixRecording(file))).toEqual([...pcmOf(0, f[0]!), ...pcmOf(0, f[1]!)]);
  });
});
