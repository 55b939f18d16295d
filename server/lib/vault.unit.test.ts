import { describe, expect, it } from 'vitest';
import { generateKeyRing, Vault, VaultError, type KeyRing } from './vault';

const ring = generateKeyRing('k1');
const vault = new Vault(ring);

describe('Vault: AES-256-GCM sealed values with a key id, HMAC blind index', () => {
  it.each(['+821077771234', '김영희', '남궁민수 (경기도 김포시 사우동 123-45)', '', '😀 emoji', 'x'.repeat(5000)])('round-trips %j', (plain) => {
    const sealed = vault.seal(plain);
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(vault.open(sealed)).toBe(plain);
    if (plain.length > 0) expect(sealed).not.toContain(plain);
  });

  it('seals the same value differently each time (random IV) and keeps nulls null', () => {
    expect(vault.seal('김영희')).not.toBe(vault.seal('김영희'));
    expect(vault.sealNullable(null)).toBeNull();
    expect(vault.openNullable(undefined)).toBeNull();
  });

  it('detects tampering with the ciphertext, the tag, the IV, or the key id', () => {
    const sealed = vault.seal('+821077771234');
    const [p, id, body] = sealed.split('.') as [string, string, string];
    const raw = Buffer.from(body, 'base64url');
    for (const at of [0, 12, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at] = bad[at]! ^ 1;
      expect(() => vault.open(`${p}.${id}.${bad.toString('base64url')}`)).toThrow(/failed authentication/);
    }
    // A value moved under another key id of the ring does not open either.
    const two = new Vault({ ...ring, keys: { ...ring.keys, k2: generateKeyRing().keys.k1! } });
    expect(() => two.open(`${p}.k2.${body}`)).toThrow(VaultError);
  });

  it('names an unknown key id, a wrong prefix, a malformed or short value', () => {
    const sealed = vault.seal('a');
    expect(() => vault.open(sealed.replace('.k1.', '.k9.'))).toThrow('key k9 is not in the key ring');
    expect(() => vault.open(sealed.replace(/^v1\./, 'v2.'))).toThrow('not a sealed value');
    expect(() => vault.open('+821077771234')).toThrow('not a sealed value');
    expect(() => vault.open(`${sealed}.extra`)).toThrow('not a sealed value');
    expect(() => vault.open('v1.k1.AAAA')).toThrow('too short');
    expect(vault.keyIdOf(sealed)).toBe('k1');
    expect(vault.keyIdOf('plain')).toBeNull();
  });

  it('rotation: a ring with old and new keys opens both and seals with the new one', () => {
    const old = vault.seal('박준호');
    const rotated = new Vault({ current: 'k2', keys: { ...ring.keys, k2: generateKeyRing().keys.k1! }, indexKey: ring.indexKey });
    expect(rotated.open(old)).toBe('박준호');
    const fresh = rotated.seal('박준호');
    expect(rotated.keyIdOf(fresh)).toBe('k2');
    expect(() => vault.open(fresh)).toThrow('key k2 is not in the key ring');
  });

  it('blind index: deterministic per key, domain-separated, different under another index key', () => {
    expect(vault.phoneIndex('+821077771234')).toBe(vault.phoneIndex('+821077771234'));
    expect(vault.phoneIndex('+821077771234')).toMatch(/^[0-9a-f]{64}$/);
    expect(vault.phoneIndex('+821077771234')).not.toBe(vault.phoneIndex('+821077771235'));
    expect(vault.blindIndex('name', '+821077771234')).not.toBe(vault.phoneIndex('+821077771234'));
    const other = new Vault(generateKeyRing());
    expect(other.phoneIndex('+821077771234')).not.toBe(vault.phoneIndex('+821077771234'));
  });

  it('during an index-key rotation look-ups try the new and the previous index', () => {
    const next: KeyRing = { ...ring, indexKey: generateKeyRing().indexKey, previousIndexKey: ring.indexKey };
    const v = new Vault(next);
    expect(v.phoneIndexCandidates('+821077771234')).toEqual([v.phoneIndex('+821077771234'), vault.phoneIndex('+821077771234')]);
    expect(vault.phoneIndexCandidates('+821077771234')).toEqual([vault.phoneIndex('+821077771234')]);
  });

  it('refuses a malformed ring', () => {
    const k = ring.keys.k1!;
    expect(() => new Vault({ current: 'k2', keys: { k1: k }, indexKey: ring.indexKey })).toThrow('current key k2 is not in the key ring');
    expect(() => new Vault({ current: 'k1', keys: { k1: k.subarray(0, 16) }, indexKey: ring.indexKey })).toThrow('32 bytes');
    expect(() => new Vault({ current: 'k.1', keys: { 'k.1': k }, indexKey: ring.indexKey })).toThrow('key id');
    expect(() => new Vault({ current: 'k1', keys: { k1: k }, indexKey: Buffer.alloc(8) })).toThrow('index key');
  });
});
