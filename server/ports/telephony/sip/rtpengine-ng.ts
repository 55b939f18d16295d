import dgram from 'node:dgram';
import crypto from 'node:crypto';

/** A bencoded value (rtpengine's ng protocol: dictionaries, lists, byte strings, integers). */
export type Bencoded = string | number | Bencoded[] | { [key: string]: Bencoded };

export function bencode(v: Bencoded): string {
  if (typeof v === 'number') return `i${Math.trunc(v)}e`;
  if (typeof v === 'string') return `${Buffer.byteLength(v)}:${v}`;
  if (Array.isArray(v)) return `l${v.map(bencode).join('')}e`;
  return `d${Object.keys(v)
    .sort()
    .map((k) => bencode(k) + bencode(v[k]!))
    .join('')}e`;
}

export function bdecode(buf: Buffer): Bencoded {
  let i = 0;
  const read = (): Bencoded => {
    const c = String.fromCharCode(buf[i]!);
    if (c === 'i') {
      const end = buf.indexOf(0x65, i);
      const n = Number(buf.toString('latin1', i + 1, end));
      i = end + 1;
      return n;
    }
    if (c === 'l') {
      i++;
      const out: Bencoded[] = [];
      while (buf[i] !== 0x65) out.push(read());
      i++;
      return out;
    }
    if (c === 'd') {
      i++;
      const out: Record<string, Bencoded> = {};
      while (buf[i] !== 0x65) {
        const k = read() as string;
        out[k] = read();
      }
      i++;
      return out;
    }
    const colon = buf.indexOf(0x3a, i);
    const len = Number(buf.toString('latin1', i, colon));
    const s = buf.toString('utf8', colon + 1, colon + 1 + len);
    i = colon + 1 + len;
    return s;
  };
  return read();
}

/**
 * A tiny client of rtpengine's ng control protocol (bencode over UDP, "<cookie> <dict>"): query, statistics,
 * play media, start recording … Each request gets its own cookie; an answer is matched by it.
 */
export class RtpengineNg {
  private readonly socket = dgram.createSocket('udp4');
  private readonly pending = new Map<string, { resolve: (v: Record<string, Bencoded>) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs = 2_000,
  ) {
    this.socket.on('message', (msg) => {
      const space = msg.indexOf(0x20);
      const cookie = msg.toString('latin1', 0, space);
      const p = this.pending.get(cookie);
      if (!p) return;
      this.pending.delete(cookie);
      clearTimeout(p.timer);
      try {
        p.resolve(bdecode(msg.subarray(space + 1)) as Record<string, Bencoded>);
      } catch (err) {
        p.reject(err as Error);
      }
    });
    this.socket.unref();
  }

  request(command: string, args: Record<string, Bencoded> = {}): Promise<Record<string, Bencoded>> {
    const cookie = crypto.randomBytes(8).toString('hex');
    const payload = Buffer.from(`${cookie} ${bencode({ ...args, command })}`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(cookie);
        reject(new Error(`rtpengine ${command}: no answer in ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(cookie, { resolve, reject, timer });
      this.socket.send(payload, this.port, this.host, (err) => {
        if (err) {
          clearTimeout(timer);
          this.pending.delete(cookie);
          reject(err);
        }
      });
    });
  }

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.socket.close();
  }
}
