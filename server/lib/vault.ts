import crypto from 'node:crypto';

/**
 * Layer 1 of personal-data protection (privacy-security-kr.md §5, 개인정보 안전성 확보조치 기준 제7조): citizens'
 * identifiers are stored sealed with AES-256-GCM under a key id, and looked up through a keyed blind index (HMAC-SHA256),
 * never in plain text. Keys live outside the database (configuration or a key file); see server/lib/key-ring.ts.
 *
 * Sealed format: `v1.<keyId>.<base64url(iv[12] | ciphertext | tag[16])>`. The key id travels with each value so that
 * rotation can re-encrypt value by value while old and new keys are both in the ring.
 */
export type KeyRing = Readonly<{
  /** Key id that new values are sealed with. */
  current: string;
  /** Every key that may still open a stored value: id → 32 bytes. */
  keys: Readonly<Record<string, Buffer>>;
  /** Key of the blind index (32 bytes). Changing it means recomputing every index (the rotate command does). */
  indexKey: Buffer;
  /**
   * The blind-index key being replaced while `npm run keys:rotate -- --index-key` recomputes the indexes: look-ups try
   * both so that no citizen goes missing half-way. Removed from the key file when the rotation has finished.
   */
  previousIndexKey?: Buffer | undefined;
  /**
   * Keys of the access-record chain (layer 4, server/modules/privacy/access-chain.ts): each record and prune anchor
   * is an HMAC-SHA256 under `current` and names its key id. Rotation adds a key; old ones stay to verify old records.
   * Optional only for rings built by hand in tests; loadKeyRing always supplies them.
   */
  audit?: AuditKeys | undefined;
}>;

/** The access-record chain's HMAC keys: id → 32 bytes, and the id new records are chained with. */
export type AuditKeys = Readonly<{ current: string; keys: Readonly<Record<string, Buffer>> }>;

/** The key id of records chained by plain SHA-256 before the chain was keyed (migration 0008); never a ring key. */
export const LEGACY_CHAIN_KEY_ID = 'legacy-sha256';

const PREFIX = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_RE = /^[A-Za-z0-9_-]{1,32}$/;

export class VaultError extends Error {}

export class Vault {
  constructor(private readonly ring: KeyRing) {
    if (!KEY_ID_RE.test(ring.current)) throw new VaultError('key id must be 1-32 letters, digits, - or _');
    for (const [id, key] of Object.entries(ring.keys)) {
      if (!KEY_ID_RE.test(id)) throw new VaultError(`bad key id ${JSON.stringify(id)}`);
      if (key.length !== 32) throw new VaultError(`key ${id} must be 32 bytes (AES-256)`);
    }
    if (!ring.keys[ring.current]) throw new VaultError(`current key ${ring.current} is not in the key ring`);
    if (ring.indexKey.length !== 32) throw new VaultError('index key must be 32 bytes');
    if (ring.previousIndexKey && ring.previousIndexKey.length !== 32) throw new VaultError('previous index key must be 32 bytes');
    if (ring.audit) validateAuditKeys(ring.audit);
  }

  /** The key ring (for the rotation command, which writes a new one). */
  get keyRing(): KeyRing {
    return this.ring;
  }

  get currentKeyId(): string {
    return this.ring.current;
  }

  /** Encrypts one value under the current key. */
  seal(plain: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.ring.keys[this.ring.current]!, iv);
    const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${this.ring.current}.${body.toString('base64url')}`;
  }

  sealNullable(plain: string | null | undefined): string | null {
    return plain == null ? null : this.seal(plain);
  }

  /** Decrypts one sealed value; a tampered value or an unknown key id throws VaultError. */
  open(sealed: string): string {
    const [prefix, keyId, body, extra] = sealed.split('.');
    if (prefix !== PREFIX || !keyId || body === undefined || extra !== undefined) throw new VaultError('not a sealed value');
    const key = this.ring.keys[keyId];
    if (!key) throw new VaultError(`key ${keyId} is not in the key ring`);
    const raw = Buffer.from(body, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new VaultError('sealed value is too short');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultError('sealed value failed authentication');
    }
  }

  openNullable(sealed: string | null | undefined): string | null {
    return sealed == null ? null : this.open(sealed);
  }

  /** Key id a sealed value was sealed with (for rotation). */
  keyIdOf(sealed: string): string | null {
    const parts = sealed.split('.');
    return parts.length === 3 && parts[0] === PREFIX ? parts[1]! : null;
  }

  /**
   * Keyed blind index of a value for equality look-ups (phone numbers: pass the E.164 form so that every spelling
   * of one number finds the same row). Hex HMAC-SHA256, domain-separated by `kind`.
   */
  blindIndex(kind: string, normalised: string): string {
    const input = `${kind}\u0000${normalised}`;
    // One use case indexes the same number several times (a call's arrival: the caller, the citizen look-up, insert).
    if (input === this.lastIndexInput) return this.lastIndex;
    const index = crypto.createHmac('sha256', this.ring.indexKey).update(input).digest('hex');
    this.lastIndexInput = input;
    this.lastIndex = index;
    return index;
  }

  private lastIndexInput = '';
  private lastIndex = '';

  /** Blind index of an E.164 phone number. */
  phoneIndex(e164: string): string {
    return this.blindIndex('phone', e164);
  }

  /**
   * Every index a stored number may carry: the current one, and during an index-key rotation also the previous one.
   * Look-ups match any of them; writes always use phoneIndex.
   */
  phoneIndexCandidates(e164: string): string[] {
    const current = this.phoneIndex(e164);
    if (!this.ring.previousIndexKey) return [current];
    const previous = crypto.createHmac('sha256', this.ring.previousIndexKey).update(`phone\u0000${e164}`).digest('hex');
    return [current, previous];
  }
}

/** Throws VaultError unless the audit keys are well formed (ids as for data keys, 32 bytes, current present). */
export function validateAuditKeys(audit: AuditKeys): void {
  for (const [id, key] of Object.entries(audit.keys)) {
    if (!KEY_ID_RE.test(id) || id === LEGACY_CHAIN_KEY_ID) throw new VaultError(`bad audit key id ${JSON.stringify(id)}`);
    if (key.length !== 32) throw new VaultError(`audit key ${id} must be 32 bytes`);
  }
  if (!audit.keys[audit.current]) throw new VaultError(`current audit key ${audit.current} is not in the key ring`);
}

/** Fresh audit keys: one random key under `keyId`. */
export function generateAuditKeys(keyId = 'a1'): AuditKeys {
  return { current: keyId, keys: { [keyId]: crypto.randomBytes(32) } };
}

/** A fresh random key ring (tests, and the first demo start before it is written to a key file). */
export function generateKeyRing(keyId = 'k1'): KeyRing {
  return { current: keyId, keys: { [keyId]: crypto.randomBytes(32) }, indexKey: crypto.randomBytes(32), audit: generateAuditKeys() };
}
