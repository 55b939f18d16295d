import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callbackNumberOf, readSpool, writeSpool } from './fallback';

describe('the fallback service spool (callbacks taken while OneCall did not answer)', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'oc-fallback-'));
    dirs.push(d);
    return path.join(d, 'spool');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('one file per call, read back oldest first; half-written (.part) files are not read; a damaged one reads as null', async () => {
    const dir = tmp();
    await writeSpool(dir, { callId: 'b@host', caller: '0212340002', callee: '120', at: '2026-12-06T02:00:01.000Z' });
    await writeSpool(dir, { callId: 'a@host', caller: '0212340001', callee: '120', at: '2026-12-06T02:00:00.000Z' });
    fs.writeFileSync(path.join(dir, 'x.json.part'), '{');
    fs.writeFileSync(path.join(dir, '20261206020002000-damaged.json'), '{"callId":');
    const read = await readSpool(dir);
    expect(read.map((r) => r.entry?.callId ?? null)).toEqual(['a@host', 'b@host', null]);
    expect((fs.statSync(read[0]!.file).mode & 0o777).toString(8)).toBe('600');
  });

  it('refuses to spool what OneCall could not call back, and reads a missing folder as empty', async () => {
    await expect(writeSpool(tmp(), { callId: 'c', caller: 'not-a-number', callee: '120', at: '2026-12-06T02:00:00.000Z' })).rejects.toThrow();
    expect(await readSpool(path.join(os.tmpdir(), 'oc-fallback-missing-folder'))).toEqual([]);
  });

  it('offers the callback only to a caller with a real phone number', () => {
    expect(callbackNumberOf('0212345678')).toBe('0212345678');
    expect(callbackNumberOf('01012345678')).toBe('01012345678');
    expect(callbackNumberOf('anonymous')).toBeNull();
    expect(callbackNumberOf('agent07')).toBeNull();
    expect(callbackNumberOf('')).toBeNull();
  });
});
