import { createRequire } from 'node:module';

// alawmulaw ships CommonJS whose named exports Node's ESM loader cannot see: loaded through require.
const { alaw, mulaw } = createRequire(import.meta.url)('alawmulaw') as typeof import('alawmulaw');

/**
 * A call recording as something a supervisor can play (issue #17 §3): rtpengine writes a pcap of the call's RTP (both
 * directions, G.711); this turns it into one mono 8 kHz 16-bit PCM WAV, both directions mixed (caller and agent heard
 * together, as on the line). Each RTP stream (one SSRC from one address) is placed on the call's timeline by the
 * arrival time of its first packet, then by its RTP timestamps in sequence order; lost packets are silence, duplicates
 * are dropped, payloads other than PCMU (0) and PCMA (8) — DTMF events, comfort noise — are skipped.
 */
export const SAMPLE_RATE = 8000;

/** Why a recording cannot be turned into audio: a damaged pcap, or one without any G.711 RTP. */
export class RecordingAudioError extends Error {
  constructor(
    readonly reason: 'not_pcap' | 'no_audio' | 'too_long',
    message: string,
  ) {
    super(message);
  }
}

/** Longest recording decoded (a longer timeline is a damaged file, not a call): 4 hours, 115 MB of PCM. */
const MAX_SAMPLES = SAMPLE_RATE * 3600 * 4;
/** A jump in RTP timestamps this far from the arrival times re-anchors the stream on arrival time (a reset sender). */
const MAX_TS_DRIFT = SAMPLE_RATE * 5;

/** G.711 has 256 code words: each decoded once (by alawmulaw) into a table the mixer reads. */
const PCMU = Int16Array.from({ length: 256 }, (_, b) => mulaw.decodeSample(b));
const PCMA = Int16Array.from({ length: 256 }, (_, b) => alaw.decodeSample(b));

type Packet = { at: number; seq: number; ts: number; pt: 0 | 8; payload: Buffer };
type Stream = { packets: Packet[] };

/** The G.711 RTP packets of a pcap, by stream (source address/port + SSRC), in file order. */
export function rtpStreamsOf(pcap: Buffer): Map<string, Stream> {
  if (pcap.length < 24) throw new RecordingAudioError('not_pcap', 'not a pcap file (too short)');
  const magicLe = pcap.readUInt32LE(0);
  const magicBe = pcap.readUInt32BE(0);
  let le: boolean;
  let nano: boolean;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) [le, nano] = [true, magicLe === 0xa1b23c4d];
  else if (magicBe === 0xa1b2c3d4 || magicBe === 0xa1b23c4d) [le, nano] = [false, magicBe === 0xa1b23c4d];
  else throw new RecordingAudioError('not_pcap', 'not a pcap file (unknown magic)');
  const u32 = (o: number) => (le ? pcap.readUInt32LE(o) : pcap.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  const streams = new Map<string, Stream>();
  for (let o = 24; o + 16 <= pcap.length; ) {
    const at = u32(o) + u32(o + 4) / (nano ? 1e9 : 1e6);
    const len = u32(o + 8);
    // A record running past the end: a file cut short (rtpengine stopped mid-write); what came before still plays.
    if (o + 16 + len > pcap.length) break;
    const packet = rtpOf(pcap.subarray(o + 16, o + 16 + len), linkType, at);
    if (packet) {
      const stream = streams.get(packet.key) ?? { packets: [] };
      stream.packets.push(packet.packet);
      streams.set(packet.key, stream);
    }
    o += 16 + len;
  }
  return streams;
}

/** The IPv4 packet inside one captured frame, by the file's link type; undefined for anything else. */
function ipv4Of(frame: Buffer, linkType: number): Buffer | undefined {
  switch (linkType) {
    case 1: {
      // Ethernet, possibly one 802.1Q tag.
      let type = frame.length >= 14 ? frame.readUInt16BE(12) : 0;
      let off = 14;
      if (type === 0x8100 && frame.length >= 18) [type, off] = [frame.readUInt16BE(16), 18];
      return type === 0x0800 ? frame.subarray(off) : undefined;
    }
    case 0: // BSD loopback: a 4-byte address family in host order
    case 108:
      return frame.subarray(4);
    case 12:
    case 14:
    case 101: // raw IP
    case 228: // IPv4
      return frame;
    case 113: // Linux cooked (SLL)
      return frame.length >= 16 && frame.readUInt16BE(14) === 0x0800 ? frame.subarray(16) : undefined;
    case 276: // SLL2
      return frame.length >= 20 && frame.readUInt16BE(0) === 0x0800 ? frame.subarray(20) : undefined;
    default:
      return undefined;
  }
}

function rtpOf(frame: Buffer, linkType: number, at: number): { key: string; packet: Packet } | undefined {
  const ip = ipv4Of(frame, linkType);
  if (!ip || ip.length < 20 || ip[0]! >> 4 !== 4 || ip[9] !== 17) return undefined;
  // A fragment (offset or more-fragments set) is not a whole RTP packet: G.711's 160-byte frames are never fragmented.
  if ((ip.readUInt16BE(6) & 0x3fff) !== 0) return undefined;
  const ihl = (ip[0]! & 0x0f) * 4;
  const total = Math.min(ip.readUInt16BE(2) || ip.length, ip.length);
  const udp = ip.subarray(ihl, total);
  if (udp.length < 8 + 12) return undefined;
  const rtp = udp.subarray(8, Math.min(udp.readUInt16BE(4) || udp.length, udp.length));
  if (rtp.length < 12 || rtp[0]! >> 6 !== 2) return undefined;
  const pt = rtp[1]! & 0x7f;
  if (pt !== 0 && pt !== 8) return undefined;
  let off = 12 + (rtp[0]! & 0x0f) * 4;
  if (rtp[0]! & 0x10) {
    if (rtp.length < off + 4) return undefined;
    off += 4 + rtp.readUInt16BE(off + 2) * 4;
  }
  let end = rtp.length;
  if (rtp[0]! & 0x20) end -= rtp[rtp.length - 1]!;
  if (end <= off) return undefined;
  const ssrc = rtp.readUInt32BE(8);
  const key = `${ip.subarray(12, 16).join('.')}:${udp.readUInt16BE(0)}/${ssrc}`;
  return { key, packet: { at, seq: rtp.readUInt16BE(2), ts: rtp.readUInt32BE(4), pt, payload: rtp.subarray(off, end) } };
}

/** Sequence numbers (16-bit) and timestamps (32-bit) unwrapped against the previous packet's. */
const unwrap = (value: number, prev: number, bits: 16 | 32): number => {
  const span = 2 ** bits;
  let v = value + Math.floor(prev / span) * span;
  if (v - prev > span / 2) v -= span;
  else if (prev - v > span / 2) v += span;
  return v;
};

/** Where each packet's first sample goes on the call's timeline (sample index from `t0`), duplicates removed. */
function placeStream(stream: Stream, t0: number): Array<{ pos: number; packet: Packet }> {
  const inFileOrder = stream.packets;
  let prevSeq = inFileOrder[0]!.seq;
  const withSeq = inFileOrder.map((p) => {
    prevSeq = unwrap(p.seq, prevSeq, 16);
    return { seq: prevSeq, packet: p };
  });
  withSeq.sort((a, b) => a.seq - b.seq);
  const placed: Array<{ pos: number; packet: Packet }> = [];
  let last: { seq: number; ts: number; pos: number; at: number } | undefined;
  for (const { seq, packet } of withSeq) {
    if (last && seq === last.seq) continue;
    const byArrival = Math.round((packet.at - t0) * SAMPLE_RATE);
    let pos = byArrival;
    let ts = packet.ts;
    if (last) {
      ts = unwrap(packet.ts, last.ts, 32);
      const byTs = last.pos + (ts - last.ts);
      const expected = last.pos + Math.round((packet.at - last.at) * SAMPLE_RATE);
      if (ts >= last.ts && Math.abs(byTs - expected) <= MAX_TS_DRIFT) pos = byTs;
    }
    placed.push({ pos: Math.max(0, pos), packet });
    last = { seq, ts, pos: Math.max(0, pos), at: packet.at };
  }
  return placed;
}

/** The samples of the whole call, both directions mixed (saturating), silence where nothing was received. */
export function mixRecording(pcap: Buffer): Int16Array {
  const streams = [...rtpStreamsOf(pcap).values()];
  if (streams.length === 0) throw new RecordingAudioError('no_audio', 'the recording holds no G.711 (PCMU/PCMA) RTP');
  let t0 = Infinity;
  for (const s of streams) for (const p of s.packets) t0 = Math.min(t0, p.at);
  const placed = streams.map((s) => placeStream(s, t0));
  let length = 0;
  for (const s of placed) for (const { pos, packet } of s) length = Math.max(length, pos + packet.payload.length);
  if (length > MAX_SAMPLES) throw new RecordingAudioError('too_long', 'the recording is longer than 4 hours');
  const mix = new Int16Array(length);
  for (const s of placed) {
    for (const { pos, packet } of s) {
      const table = packet.pt === 0 ? PCMU : PCMA;
      const bytes = packet.payload;
      for (let i = 0; i < bytes.length; i++) {
        const v = mix[pos + i]! + table[bytes[i]!]!;
        mix[pos + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
  }
  return mix;
}

const LITTLE_ENDIAN = new Uint8Array(Int16Array.of(1).buffer)[0] === 1;

/** A mono 16-bit PCM WAV (RIFF, little-endian) of the samples at 8 kHz. */
export function wavOf(samples: Int16Array): Buffer {
  const data = samples.length * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16); // fmt chunk size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(SAMPLE_RATE, 24);
  out.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(data, 40);
  if (LITTLE_ENDIAN) Buffer.from(samples.buffer, samples.byteOffset, data).copy(out, 44);
  else for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, 44 + i * 2);
  return out;
}

/** The pcap rtpengine wrote, as a WAV a browser's <audio> plays; RecordingAudioError when it holds no playable audio. */
export function recordingToWav(pcap: Buffer): Buffer {
  return wavOf(mixRecording(pcap));
}
