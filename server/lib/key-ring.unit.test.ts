import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyRingError, loadKeyRing, parseKeyRing, serialiseKeyRing, writeKeyFile } from './key-ring';
import { generateKeyRing, Vault } from './vault';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-keyring-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');

describe('key ring: from the setting or a key file outside the database', () => {
  it('serialises and parses back the same ring (incl. a pending previous index key)', () => {
    const ring = { ...generateKeyRing('k3'), previousIndexKey: generateKeyRing().indexKey };
    const back = parseKeyRing(serialiseKeyRing(ring), 'test');
    expect(back.current).toBe('k3');
    expect(back.keys.k3!.equals(ring.keys.k3!)).toBe(true);
    expect(back.indexKey.equals(ring.indexKey)).toBe(true);
    expect(back.previousIndexKey!.equals(ring.previousIndexKey)).toBe(true);
    expect(parseKeyRing(serialiseKeyRing(generateKeyRing()), 'test').previousIndexKey).toBeUndefined();
  });

  it.each([
    ['not json', '{', /keys\.json: not valid JSON/],
    ['a short key', JSON.stringify({ current: 'k1', keys: { k1: b64(16) }, indexKey: b64(32) }), /keys\.json: keys\.k1 must be 32 bytes/],
    ['no index key', JSON.stringify({ current: 'k1', keys: { k1: b64(32) } }), /keys\.json: indexKey/],
    ['no current', JSON.stringify({ keys: { k1: b64(32) }, indexKey: b64(32) }), /keys\.json: current/],
  ])('names the file and the field of a broken key file: %s', (_label, text, message) => {
    const file = path.join(dir, 'keys.json');
    fs.writeFileSync(file, text);
    expect(() => loadKeyRing({ keyFile: file, allowGenerate: true, ephemeral: false })).toThrow(message);
    expect(() => loadKeyRing({ keyFile: file, allowGenerate: true, ephemeral: false })).toThrow(KeyRingError);
  });

  it('the setting wins over the file; its errors name ONECALL_KEYS', () => {
    const ring = generateKeyRing('s1');
    const loaded = loadKeyRing({ keysJson: serialiseKeyRing(ring), keyFile: path.join(dir, 'absent.json'), allowGenerate: false, ephemeral: false });
    expect(loaded.source).toBe('setting');
    expect(loaded.ring.current).toBe('s1');
    expect(() => loadKeyRing({ keysJson: '[]', keyFile: 'x', allowGenerate: false, ephemeral: false })).toThrow(/^ONECALL_KEYS: /);
  });

  it('outside production a missing file is generated once (mode 600), then read back the same', () => {
    const file = path.join(dir, 'gen', 'onecall-keys.json');
    const first = loadKeyRing({ keyFile: file, allowGenerate: true, ephemeral: false });
    expect(first.source).toBe('generated');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = loadKeyRing({ keyFile: file, allowGenerate: true, ephemeral: false });
    expect(second.source).toBe('file');
    const sealed = new Vault(first.ring).seal('김영희');
    expect(new Vault(second.ring).open(sealed)).toBe('김영희');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['onecall-keys.json']);
  });

  it('production without keys refuses with a message that says what to do; tests get an in-memory ring', () => {
    const file = path.join(dir, 'none.json');
    expect(() => loadKeyRing({ keyFile: file, allowGenerate: false, ephemeral: false })).toThrow(/No encryption keys: set ONECALL_KEYS or create the key file .*none\.json/);
    expect(fs.existsSync(file)).toBe(false);
    expect(loadKeyRing({ keyFile: file, allowGenerate: false, ephemeral: true }).source).toBe('ephemeral');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('writes the key file atomically: the old file is replaced whole, no temporary file is left', () => {
    const file = path.join(dir, 'atomic.json');
    writeKeyFile(file, generateKeyRing('k1'));
    writeKeyFile(file, generateKeyRing('k2'));
    expect(parseKeyRing(fs.readFileSync(file, 'utf8'), file).current).toBe('k2');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('atomic.json.tmp'))).toEqual([]);
  });
});

describe('key ring: the access-record chain keys (audit)', () => {
  it('round-trip with the ring; a broken audit section is named', () => {
    const ring = generateKeyRing();
    const back = parseKeyRing(serialiseKeyRing(ring), 'test');
    expect(back.audit!.current).toBe('a1');
    expect(back.audit!.keys.a1!.equals(ring.audit!.keys.a1!)).toBe(true);
    const noCurrent = JSON.stringify({ current: 'k1', keys: { k1: b64(32) }, indexKey: b64(32), audit: { current: 'a2', keys: { a1: b64(32) } } });
    expect(() => parseKeyRing(noCurrent, 'f.json')).toThrow(/^f\.json: audit: current audit key a2/);
    const legacyId = JSON.stringify({ current: 'k1', keys: { k1: b64(32) }, indexKey: b64(32), audit: { current: 'legacy-sha256', keys: { 'legacy-sha256': b64(32) } } });
    expect(() => parseKeyRing(legacyId, 'f.json')).toThrow(/bad audit key id/);
  });

  it('a key file from before the chain was keyed gets an audit key added once (file rewritten, data keys unchanged)', () => {
    const file = path.join(dir, 'old.json');
    const old = { current: 'k1', keys: { k1: b64(32) }, indexKey: b64(32) };
    fs.writeFileSync(file, JSON.stringify(old), { mode: 0o600 });
    const first = loadKeyRing({ keyFile: file, allowGenerate: false, ephemeral: false });
    expect(first.auditKeyAdded).toBe(true);
    expect(first.ring.keys.k1!.toString('base64')).toBe(old.keys.k1);
    const second = loadKeyRing({ keyFile: file, allowGenerate: false, ephemeral: false });
    expect(second.auditKeyAdded).toBeUndefined();
    expect(second.ring.audit!.keys.a1!.equals(first.ring.audit!.keys.a1!)).toBe(true);
  });

  it('ONECALL_KEYS without an audit key is refused with what to add', () => {
    const keysJson = JSON.stringify({ current: 'k1', keys: { k1: b64(32) }, indexKey: b64(32) });
    expect(() => loadKeyRing({ keysJson, keyFile: 'x', allowGenerate: true, ephemeral: false })).toThrow(/ONECALL_KEYS: no audit key .*"audit"/);
  });
});
