/** Test helpers: pcaps built the way rtpengine writes them (IPv4/UDP/RTP records), for the recording decoder's tests. */

/** One RTP packet; `at` is unused by ipUdpRtp (the pcap record carries the arrival time). */
export type Rtp = { seq: number; ts: number; ssrc: number; pt: number; payload: Buffer; at: number; src?: string; port?: number; marker?: boolean; csrc?: number; padding?: number };

export function ipUdpRtp(p: Rtp): Buffer {
  const csrc = p.csrc ?? 0;
  const pad = p.padding ?? 0;
  const rtp = Buffer.alloc(12 + csrc * 4 + p.payload.length + pad);
  rtp[0] = 0x80 | csrc | (pad ? 0x20 : 0);
  rtp[1] = (p.marker ? 0x80 : 0) | p.pt;
  rtp.writeUInt16BE(p.seq & 0xffff, 2);
  rtp.writeUInt32BE(p.ts >>> 0, 4);
  rtp.writeUInt32BE(p.ssrc, 8);
  p.payload.copy(rtp, 12 + csrc * 4);
  if (pad) rtp[rtp.length - 1] = pad;
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(p.port ?? 30000, 0);
  udp.writeUInt16BE(40000, 2);
  udp.writeUInt16BE(8 + rtp.length, 4);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + rtp.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  Buffer.from((p.src ?? '10.0.0.1').split('.').map(Number)).copy(ip, 12);
  Buffer.from([10, 0, 0, 2]).copy(ip, 16);
  return Buffer.concat([ip, udp, rtp]);
}

export function pcap(frames: Array<{ at: number; data: Buffer }>, opts: { linkType?: number; bigEndian?: boolean } = {}): Buffer {
  const be = opts.bigEndian ?? false;
  const u32 = (b: Buffer, v: number, o: number) => (be ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
  const head = Buffer.alloc(24);
  u32(head, 0xa1b2c3d4, 0);
  (be ? head.writeUInt16BE.bind(head) : head.writeUInt16LE.bind(head))(2, 4);
  (be ? head.writeUInt16BE.bind(head) : head.writeUInt16LE.bind(head))(4, 6);
  u32(head, 65535, 16);
  u32(head, opts.linkType ?? 101, 20);
  const records = frames.map((f) => {
    const r = Buffer.alloc(16);
    u32(r, Math.floor(f.at), 0);
    u32(r, Math.round((f.at % 1) * 1e6), 4);
    u32(r, f.data.length, 8);
    u32(r, f.data.length, 12);
    return Buffer.concat([r, f.data]);
  });
  return Buffer.concat([head, ...records]);
}
