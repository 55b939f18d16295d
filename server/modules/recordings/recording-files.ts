import crypto from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * A recording sealed at rest (issue #17 §3, privacy-security-kr.md §5: 녹취 암호화): the file is encrypted with its own
 * data key (AES-256-GCM, the recording's id as associated data, so a file moved under another row does not open), and
 * the data key is sealed by the vault in the database row. Destroying the row's key crypto-shreds the file, also in
 * backups of the file store. Format: "OCR1" | iv[12] | ciphertext | tag[16].
 */
const MAGIC = Buffer.from('OCR1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class RecordingFileError extends Error {}

/** A new random data key (32 bytes). */
export function newDataKey(): Buffer {
  return crypto.randomBytes(32);
}

/**
 * Encrypts `plainPath` into `sealedPath` (written as `.part`, synced, then renamed, so a crash never leaves a
 * half-sealed file under the final name). Returns the sealed file's size. The plain file is left to the caller.
 */
export async function sealFile(plainPath: string, sealedPath: string, key: Buffer, recordingId: string): Promise<number> {
  await fs.mkdir(path.dirname(sealedPath), { recursive: true, mode: 0o700 });
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(recordingId));
  const part = `${sealedPath}.part`;
  const fh = await fs.open(part, 'w', 0o600);
  let size = 0;
  try {
    const write = async (b: Buffer) => {
      if (b.length === 0) return;
      await fh.write(b);
      size += b.length;
    };
    await write(Buffer.concat([MAGIC, iv]));
    for await (const chunk of createReadStream(plainPath)) await write(cipher.update(chunk as Buffer));
    await write(Buffer.concat([cipher.final(), cipher.getAuthTag()]));
    await fh.sync();
  } catch (err) {
    await fh.close();
    await fs.rm(part, { force: true });
    throw err;
  }
  await fh.close();
  await fs.rename(part, sealedPath);
  return size;
}

/** How much is decrypted between two turns of the event loop (about 1–3 ms of AES-GCM). */
const OPEN_SLICE_BYTES = 1 << 20;

/**
 * Decrypts a sealed recording; a tampered file, a wrong key or another recording's file throws RecordingFileError.
 * An hour's recording is ~75 MiB: decrypted in one call it held the event loop for 0.2–0.4 s, so it goes a slice per
 * turn of the loop. The result is a Buffer of its own memory (never a slice of Node's pool), which the recording
 * decoder can move to its worker.
 */
export async function openSealedFile(sealedPath: string, key: Buffer, recordingId: string): Promise<Buffer> {
  const raw = await fs.readFile(sealedPath);
  if (raw.length < MAGIC.length + IV_BYTES + TAG_BYTES || !raw.subarray(0, MAGIC.length).equals(MAGIC)) throw new RecordingFileError('not a sealed recording');
  const iv = raw.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(recordingId));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  const sealed = raw.subarray(MAGIC.length + IV_BYTES, raw.length - TAG_BYTES);
  // GCM is a stream cipher: the plain text is as long as the cipher text.
  const plain = Buffer.allocUnsafeSlow(sealed.length);
  let at = 0;
  try {
    for (let from = 0; from < sealed.length; from += OPEN_SLICE_BYTES) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      at += decipher.update(sealed.subarray(from, from + OPEN_SLICE_BYTES)).copy(plain, at);
    }
    at += decipher.final().copy(plain, at);
  } catch {
    throw new RecordingFileError('sealed recording failed authentication');
  }
  return at === plain.length ? plain : plain.subarray(0, at);
}

/**
 * The Call-ID in the name of rtpengine's metadata file, `rtpengine-meta-<call-id, %-escaped>-<random hex>.txt`
 * (rtpengine escapes characters such as `@` as `%40`); undefined for any other name.
 */
export function callIdOfMetadataName(name: string): string | undefined {
  const m = /^rtpengine-meta-(.+)-[0-9a-f]{8,32}\.txt$/.exec(name);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

/**
 * rtpengine's finished recording of a call (--recording-method=pcap): when the call is deleted, rtpengine moves its
 * metadata file `rtpengine-meta-<call-id>-<random>.txt` from `tmp/` to `metadata/`; the file's first line is the pcap's
 * path. Undefined while the call is still being recorded. A pcap path outside the spool is refused.
 */
export async function finishedSpoolFile(spoolDir: string, callId: string): Promise<{ metadata: string; pcap: string } | undefined> {
  const metaDir = path.join(spoolDir, 'metadata');
  let names: string[];
  try {
    names = await fs.readdir(metaDir);
  } catch {
    return undefined;
  }
  const name = names.find((n) => callIdOfMetadataName(n) === callId);
  if (!name) return undefined;
  const metadata = path.join(metaDir, name);
  const first = (await fs.readFile(metadata, 'utf8')).split('\n')[0]?.trim() ?? '';
  const pcap = path.resolve(spoolDir, first);
  if (!first || !pcap.startsWith(path.resolve(spoolDir) + path.sep)) throw new RecordingFileError(`rtpengine's metadata names no pcap in the spool (${name})`);
  return { metadata, pcap };
}
