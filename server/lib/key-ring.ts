import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { generateAuditKeys, generateKeyRing, validateAuditKeys, VaultError, type KeyRing } from './vault';

/**
 * Where the vault's keys come from: the ONECALL_KEYS setting (JSON) or a key file outside the database
 * (ONECALL_KEY_FILE, default DATA_DIR/onecall-keys.json), never from the database itself (제7조⑥).
 * File format: {"current":"k1","keys":{"k1":"<base64 32 bytes>"},"indexKey":"<base64 32 bytes>",
 * "audit":{"current":"a1","keys":{"a1":"<base64 32 bytes>"}}} — `audit` keys the access-record chain (HMAC).
 */
const Base64Key = z
  .string()
  .transform((s) => Buffer.from(s, 'base64'))
  .refine((b) => b.length === 32, 'must be 32 bytes in base64');

const KeyFileSchema = z.object({
  current: z.string().min(1),
  keys: z.record(z.string(), Base64Key),
  indexKey: Base64Key,
  /** Only while an index-key rotation is unfinished (see KeyRing.previousIndexKey). */
  previousIndexKey: Base64Key.optional(),
  /** The access-record chain's HMAC keys; a key file from before them gets one added at load (loadKeyRing). */
  audit: z.object({ current: z.string().min(1), keys: z.record(z.string(), Base64Key) }).optional(),
});

/** The key setting or file is missing or unreadable: the message names where and what. */
export class KeyRingError extends Error {}

export type KeySource = { keysJson?: string | undefined; keyFile: string; allowGenerate: boolean; ephemeral: boolean };

export type LoadedKeyRing = {
  ring: KeyRing;
  source: 'setting' | 'file' | 'generated' | 'ephemeral';
  file?: string;
  /** The key file had no audit key: one was added and the file rewritten (back it up again). */
  auditKeyAdded?: boolean;
};

export function parseKeyRing(json: string, where: string): KeyRing {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new KeyRingError(`${where}: not valid JSON`);
  }
  const parsed = KeyFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new KeyRingError(`${where}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  }
  const { previousIndexKey, audit, ...ring } = parsed.data;
  if (audit) {
    try {
      validateAuditKeys(audit);
    } catch (err) {
      throw new KeyRingError(`${where}: audit: ${err instanceof VaultError ? err.message : String(err)}`);
    }
  }
  return { ...ring, ...(previousIndexKey ? { previousIndexKey } : {}), ...(audit ? { audit } : {}) };
}

export function serialiseKeyRing(ring: KeyRing): string {
  const keys = Object.fromEntries(Object.entries(ring.keys).map(([id, k]) => [id, k.toString('base64')]));
  const previous = ring.previousIndexKey ? { previousIndexKey: ring.previousIndexKey.toString('base64') } : {};
  const audit = ring.audit
    ? { audit: { current: ring.audit.current, keys: Object.fromEntries(Object.entries(ring.audit.keys).map(([id, k]) => [id, k.toString('base64')])) } }
    : {};
  return `${JSON.stringify({ current: ring.current, keys, indexKey: ring.indexKey.toString('base64'), ...previous, ...audit }, null, 2)}\n`;
}

/** Writes a key file readable by its owner only. */
export function writeKeyFile(file: string, ring: KeyRing): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  // Written beside the target, flushed, then renamed over it: a crash leaves the old file or the new one, never half.
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, serialiseKeyRing(ring));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * Loads the key ring. Order: the ONECALL_KEYS setting; the key file; in tests an in-memory ring; outside production a
 * new key file generated once (the demo start says where); otherwise an error (production never invents keys).
 * A key file from before the access-record chain was keyed gets an audit key added (the file is rewritten
 * atomically and `auditKeyAdded` says so); ONECALL_KEYS cannot be rewritten, so it must carry `audit` itself.
 */
export function loadKeyRing(source: KeySource): LoadedKeyRing {
  if (source.keysJson) {
    const ring = parseKeyRing(source.keysJson, 'ONECALL_KEYS');
    if (!ring.audit) {
      throw new KeyRingError(
        'ONECALL_KEYS: no audit key for the access-record chain: add "audit":{"current":"a1","keys":{"a1":"<base64 of 32 random bytes>"}} (see docs/OPERATIONS.md)',
      );
    }
    return { ring, source: 'setting' };
  }
  if (fs.existsSync(source.keyFile)) {
    const ring = parseKeyRing(fs.readFileSync(source.keyFile, 'utf8'), source.keyFile);
    if (ring.audit) return { ring, source: 'file', file: source.keyFile };
    const upgraded: KeyRing = { ...ring, audit: generateAuditKeys() };
    writeKeyFile(source.keyFile, upgraded);
    return { ring: upgraded, source: 'file', file: source.keyFile, auditKeyAdded: true };
  }
  if (source.ephemeral) return { ring: generateKeyRing(), source: 'ephemeral' };
  if (!source.allowGenerate) {
    throw new KeyRingError(`No encryption keys: set ONECALL_KEYS or create the key file ${source.keyFile} (see docs/OPERATIONS.md)`);
  }
  const ring = generateKeyRing();
  writeKeyFile(source.keyFile, ring);
  return { ring, source: 'generated', file: source.keyFile };
}
