import { createHash, createHmac } from 'node:crypto';
import { PostgresAdapter, sql } from 'kysely';
import type { AccessAction } from '../../../core/contracts/privacy';
import type { Role } from '../../../core/contracts/enums';
import { maskPersonalData } from '../../../core/domain/pii';
import type { Db } from '../../db/database';
import type { AccessRecordTable } from '../../db/tables';
import { newId } from '../../lib/ids';
import { LEGACY_CHAIN_KEY_ID, type AuditKeys } from '../../lib/vault';
import type { Clock } from '../../ports/clock/clock.port';
import type { ChainHeadStore } from '../../ports/chain-head/chain-head.port';
import { prepared, preparedRows, slotsOf } from '../../db/prepared';

/** What a use case says about one access; the chain fields are added on append. */
export type AccessRecordInput = {
  at: string;
  userId: string;
  userLogin: string;
  role: Role;
  ip: string | null;
  action: AccessAction;
  /** Whose data: citizen ids (deduplicated and joined on append). */
  subjects: readonly (string | null)[];
  target: string;
  recordCount: number;
  /** Free text of the user (the unmask or download reason): personal data in it is masked before it is stored. */
  reason?: string | null;
  result?: 'success' | 'denied';
};

export type AccessRecordRow = AccessRecordTable;

/** The previous hash of the first record of a chain that was never pruned. */
export const GENESIS_HASH = '0'.repeat(64);

// One key for every append: appends are serialised so that two transactions never chain to the same head.
const CHAIN_LOCK_KEY = 0x0ca11_ac;

/**
 * What the chain of one database is keyed and kept with: bound once per process to the database (createAppDeps, the
 * CLIs), so that every use case appending a record gets it without passing it along. Keyed by the dialect's adapter,
 * which a Kysely instance shares with its transactions (like server/db/prepared.ts).
 */
export type AccessChainBinding = {
  /** The audit keys of the key ring (outside the database): new records are chained with `current`. */
  keys: AuditKeys;
  /** Time for verification (the keeping period) and for the kept head. */
  clock: Clock;
  /** The keeping period in days (ACCESS_RECORD_RETENTION_DAYS): anchors may only cover records older than this. */
  keepDays: number;
  /** The copy of the head outside the database. */
  headStore: ChainHeadStore;
  /** Told after each append (inside its transaction): the head keeper then copies the committed head, throttled. */
  noteAppend: () => void;
};

const bindings = new WeakMap<object, AccessChainBinding>();

/** Binds the chain's keys and head store to a database (every transaction of it). The last binding wins. */
export function bindAccessChain(db: Db, binding: AccessChainBinding): void {
  bindings.set(db.getExecutor().adapter, binding);
}

/** The chain binding of a database; throws when none was bound (a process that skipped createAppDeps). */
export function accessChainOf(db: Db): AccessChainBinding {
  const binding = bindings.get(db.getExecutor().adapter);
  if (!binding) throw new Error('the access-record chain has no key: bind it with bindAccessChain (createAppDeps does)');
  return binding;
}

// Lone UTF-16 surrogates and NUL: no database stores them as given (UTF-8 drivers write U+FFFD for a lone surrogate,
// PostgreSQL refuses NUL), so the hash of the given text would never match what is read back.
const UNSTORABLE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/g;

// The form PostgreSQL gives a timestamptz back in (server/db/database.ts); anything else is brought to it.
const CANONICAL_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A text exactly as the database will store and give it back: lone surrogates and NUL replaced by U+FFFD, cut to
 * `maxChars` characters (code points, as varchar(n) counts, never inside a surrogate pair). The chain hashes this.
 */
export function storedText(text: string, maxChars?: number): string {
  const clean = text.replace(UNSTORABLE_RE, '\ufffd');
  if (maxChars === undefined || clean.length <= maxChars) return clean;
  const chars = Array.from(clean);
  return chars.length <= maxChars ? clean : chars.slice(0, maxChars).join('');
}

/**
 * The canonical serialisation that is hashed: a JSON array of every field in a fixed order, the key id and the
 * previous hash included, so any edit, removal or insertion changes some record's hash or breaks the next record's
 * link. Version 2 (keyed); version 1 is the legacy unkeyed form. Hashed as UTF-8: the row holds only text that the
 * database stores as is (storedText), so these are the bytes that are stored.
 */
export function canonicalAccessRecord(r: Omit<AccessRecordRow, 'hash'>): string {
  const fields = [r.seq, r.id, r.at, r.user_id, r.user_login, r.role, r.ip, r.action, r.subject, r.target, r.record_count, r.reason, r.result, r.prev_hash];
  return JSON.stringify(r.key_id === LEGACY_CHAIN_KEY_ID ? [1, ...fields] : [2, r.key_id, ...fields]);
}

/**
 * The chain hash of a record (hex): HMAC-SHA256 under the audit key it names; for legacy records (chained before
 * migration 0008) plain SHA-256. Undefined when the key is not in the ring.
 */
export function hashAccessRecord(r: Omit<AccessRecordRow, 'hash'>, keys: AuditKeys): string | undefined {
  if (r.key_id === LEGACY_CHAIN_KEY_ID) return createHash('sha256').update(canonicalAccessRecord(r), 'utf8').digest('hex');
  const key = keys.keys[r.key_id];
  return key ? createHmac('sha256', key).update(canonicalAccessRecord(r), 'utf8').digest('hex') : undefined;
}

const isPg = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Serialises chain writers until the transaction ends. PostgreSQL: a transaction-scoped advisory lock. SQLite has
 * one writer (and Kysely one connection), so the transaction itself serialises.
 */
export async function lockAccessChain(trx: Db): Promise<void> {
  if (!trx.isTransaction) throw new Error('access records are appended inside the use case transaction');
  if (isPg(trx)) await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(trx);
}

const chainHeadRow = prepared<Record<string, never>, { seq: number; hash: string }>('access_records.head', (db) =>
  db.selectFrom('access_records').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1),
);

/** The newest link: the last record, or (when every record was pruned) the newest anchor; undefined for none. */
export async function findChainHead(db: Db): Promise<{ seq: number; hash: string } | undefined> {
  // Built once (server/db/prepared.ts) on the hot path (every access appends): Kysely's query building costs more than
  // the indexed read.
  const [last] = await chainHeadRow(db, {});
  if (last) return { seq: Number(last.seq), hash: last.hash };
  const anchor = await findLatestAnchor(db);
  return anchor ? { seq: Number(anchor.last_seq), hash: anchor.last_hash } : undefined;
}

export async function findLatestAnchor(db: Db) {
  const row = await db.selectFrom('access_record_anchors').selectAll().orderBy('last_seq', 'desc').limit(1).executeTakeFirst();
  return row && { ...row, last_seq: Number(row.last_seq), pruned_count: Number(row.pruned_count) };
}

/** Every prune anchor, oldest first (few: at most one a day). */
export async function listAnchors(db: Db) {
  const rows = await db.selectFrom('access_record_anchors').selectAll().orderBy('last_seq', 'asc').execute();
  return rows.map((r) => ({ ...r, last_seq: Number(r.last_seq), pruned_count: Number(r.pruned_count) }));
}

/** The hash of the record at `seq`, if it is still there. */
export async function findRecordHash(db: Db, seq: number): Promise<string | undefined> {
  const row = await db.selectFrom('access_records').select('hash').where('seq', '=', seq).executeTakeFirst();
  return row?.hash;
}

/**
 * Appends access records to the chain inside the caller's transaction (the use case's own, so a failed record fails
 * the request and a rolled-back use case leaves no record). Takes the chain lock, reads the head, hashes (HMAC with
 * the current audit key of the database's binding), inserts. Every text is first brought to its stored form, and the
 * reason masked like every other free text (core/domain/pii.ts), so what is hashed is exactly what is stored.
 */
export async function appendAccessRecords(trx: Db, inputs: readonly AccessRecordInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const chain = accessChainOf(trx);
  await lockAccessChain(trx);
  const head = await findChainHead(trx);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const rows: AccessRecordRow[] = [];
  const keyId = chain.keys.current;
  for (const input of inputs) {
    const subjects = [...new Set(input.subjects.filter((s): s is string => typeof s === 'string'))];
    const row: Omit<AccessRecordRow, 'hash'> = {
      id: newId(),
      seq: ++seq,
      at: CANONICAL_TIME_RE.test(input.at) ? input.at : new Date(input.at).toISOString(),
      user_id: input.userId,
      user_login: storedText(input.userLogin, 100),
      role: input.role,
      ip: input.ip === null ? null : storedText(input.ip, 64),
      action: input.action,
      subject: subjects.length > 0 ? storedText(subjects.join(',')) : null,
      target: storedText(input.target, 200),
      record_count: input.recordCount,
      reason: input.reason ? storedText(maskPersonalData(storedText(input.reason)).text, 500) : null,
      result: input.result ?? 'success',
      prev_hash: prev,
      key_id: keyId,
    };
    prev = hashAccessRecord(row, chain.keys)!;
    rows.push({ ...row, hash: prev });
  }
  await insertAccessRows(trx, rows);
  chain.noteAppend();
}

const ACCESS_RECORD_COLUMNS = [
  'id', 'seq', 'at', 'user_id', 'user_login', 'role', 'ip', 'action', 'subject', 'target', 'record_count', 'reason', 'result',
  'prev_hash', 'hash', 'key_id',
] as const satisfies readonly (keyof AccessRecordRow)[];
const insertAccessRows = preparedRows<AccessRecordRow>('access_records.insert', (db, rows) =>
  db.insertInto('access_records').values(rows.map((r) => slotsOf(r, ACCESS_RECORD_COLUMNS))),
);

/** Records in chain order from `afterSeq` on, a page at a time (for verification). */
export async function listAccessRecordsAfter(db: Db, afterSeq: number, limit: number): Promise<AccessRecordRow[]> {
  const rows = await db.selectFrom('access_records').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), record_count: Number(r.record_count) }));
}

/** How many unmasks (granted) this user made since a time. */
export async function countUnmasksSince(db: Db, userId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('access_records')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('at', '>=', since)
    .where('action', '=', 'unmask')
    .where('result', '=', 'success')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type AccessRecordFilter = {
  from?: string | undefined;
  to?: string | undefined;
  login?: string | undefined;
  action?: AccessAction | undefined;
  subject?: string | undefined;
  beforeSeq?: number | undefined;
  limit: number;
};

/** The privacy officer's search, newest first. */
export async function searchAccessRecords(db: Db, f: AccessRecordFilter): Promise<AccessRecordRow[]> {
  let q = db.selectFrom('access_records').selectAll();
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.login) q = q.where('user_login', '=', f.login);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.subject) q = q.where('subject', 'like', `%${f.subject}%`);
  if (f.beforeSeq) q = q.where('seq', '<', f.beforeSeq);
  const rows = await q.orderBy('seq', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), record_count: Number(r.record_count) }));
}

/** The counted fields of a month's records (the review aggregates them in core/domain/access-review.ts). */
export async function listReviewRows(db: Db, from: string, to: string) {
  return db
    .selectFrom('access_records')
    .select(['id', 'user_id', 'user_login', 'role', 'at', 'action', 'record_count'])
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('seq', 'asc')
    .execute();
}

/** Whole records of a month, of some actions (exports, unmasks) or at night (by KST hour, filtered by the caller). */
export async function listRecordsOfActions(db: Db, from: string, to: string, actions: readonly AccessAction[]): Promise<AccessRecordRow[]> {
  const rows = await db
    .selectFrom('access_records')
    .selectAll()
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('action', 'in', [...actions])
    .orderBy('seq', 'asc')
    .execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), record_count: Number(r.record_count) }));
}

/** Whole records of a month by id (the night-access list). */
export async function listRecordsByIds(db: Db, ids: readonly string[]): Promise<AccessRecordRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('access_records').selectAll().where('id', 'in', [...ids]).orderBy('seq', 'asc').execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), record_count: Number(r.record_count) }));
}
