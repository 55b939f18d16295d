import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callIdOfMetadataName, finishedSpoolFile, newDataKey, openSealedFile, RecordingFileError, sealFile } from './recording-files';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-recfiles-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sealed recording files', () => {
  it('seal → open gives the bytes back; the sealed file holds none of them in clear', async () => {
    const plain = path.join(dir, 'a.pcap');
    const bytes = Buffer.concat([Buffer.from([0xd4, 0xc3, 0xb2, 0xa1]), Buffer.alloc(200_000, 0xd5), crypto.randomBytes(1000)]);
    fs.writeFileSync(plain, bytes);
    const key = newDataKey();
    const sealed = path.join(dir, 'x', 'a.ocrec');
    const size = await sealFile(plain, sealed, key, 'rec-1');
    const raw = fs.readFileSync(sealed);
    expect(raw.length).toBe(size);
    expect(raw.length).toBe(4 + 12 + bytes.length + 16);
    expect(raw.includes(Buffer.alloc(32, 0xd5))).toBe(false);
    expect(fs.existsSync(`${sealed}.part`)).toBe(false);
    expect((await openSealedFile(sealed, key, 'rec-1')).equals(bytes)).toBe(true);
  });

  it('a file of several slices opens whole, and a change in its last slice still fails authentication', async () => {
    const plain = path.join(dir, 'long.pcap');
    const bytes = crypto.randomBytes(3 * 1024 * 1024 + 123);
    fs.writeFileSync(plain, bytes);
    const key = newDataKey();
    const sealed = path.join(dir, 'long.ocrec');
    await sealFile(plain, sealed, key, 'rec-long');
    const opened = await openSealedFile(sealed, key, 'rec-long');
    expect(opened.equals(bytes)).toBe(true);
    // Its own memory, not a view into a bigger one (the decoder moves it to its worker).
    expect(opened.byteOffset === 0 && opened.byteLength === opened.buffer.byteLength).toBe(true);
    const raw = fs.readFileSync(sealed);
    raw[raw.length - 100] = raw[raw.length - 100]! ^ 1;
    fs.writeFileSync(sealed, raw);
    await expect(openSealedFile(sealed, key, 'rec-long')).rejects.toBeInstanceOf(RecordingFileError);
  });

  it('a tampered file, another key or another recording id does not open', async () => {
    const plain = path.join(dir, 'b.pcap');
    fs.writeFileSync(plain, Buffer.from('some audio bytes'));
    const key = newDataKey();
    const sealed = path.join(dir, 'b.ocrec');
    await sealFile(plain, sealed, key, 'rec-2');
    await expect(openSealedFile(sealed, newDataKey(), 'rec-2')).rejects.toBeInstanceOf(RecordingFileError);
    await expect(openSealedFile(sealed, key, 'rec-3')).rejects.toBeInstanceOf(RecordingFileError);
    const raw = fs.readFileSync(sealed);
    raw[20] = raw[20]! ^ 1;
    fs.writeFileSync(sealed, raw);
    await expect(openSealedFile(sealed, key, 'rec-2')).rejects.toBeInstanceOf(RecordingFileError);
    fs.writeFileSync(sealed, Buffer.from('plain text, not sealed at all'));
    await expect(openSealedFile(sealed, key, 'rec-2')).rejects.toThrow('not a sealed recording');
  });

  it("finds rtpengine's finished file by Call-ID (escaped in the name) and refuses a pcap outside the spool", async () => {
    expect(callIdOfMetadataName('rtpengine-meta-1-12000%40127.0.0.1-d46a0e5f367d80fb.txt')).toBe('1-12000@127.0.0.1');
    expect(callIdOfMetadataName('rtpengine-meta-abc.tmp')).toBeUndefined();
    const spool = path.join(dir, 'spool');
    fs.mkdirSync(path.join(spool, 'metadata'), { recursive: true });
    fs.mkdirSync(path.join(spool, 'pcaps'), { recursive: true });
    expect(await finishedSpoolFile(spool, 'c1@host')).toBeUndefined();
    const pcap = path.join(spool, 'pcaps', 'c1%40host-0123456789abcdef.pcap');
    fs.writeFileSync(pcap, 'x');
    fs.writeFileSync(path.join(spool, 'metadata', 'rtpengine-meta-c1%40host-0123456789abcdef.txt'), `${pcap}\n\n\ncall start time: x\n`);
    expect(await finishedSpoolFile(spool, 'c1@host')).toEqual({ metadata: path.join(spool, 'metadata', 'rtpengine-meta-c1%40host-0123456789abcdef.txt'), pcap });
    expect(await finishedSpoolFile(spool, 'c1')).toBeUndefined();
    fs.writeFileSync(path.join(spool, 'metadata', 'rtpengine-meta-c2-0123456789abcdef.txt'), '/etc/passwd\n');
    await expect(finishedSpoolFile(spool, 'c2')).rejects.toBeInstanceOf(RecordingFileError);
  });
});
