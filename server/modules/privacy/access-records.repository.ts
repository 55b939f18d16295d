import { createHash } from 'node:crypto';
import { PostgresAdapter, sql } from 'kysely';
import type { AccessAction } from '../../../core/contracts/privacy';
import type { Role } from '../../../core/contracts/enums';
import type { Db } from '../../db/database';
import type { AccessRecordTable } from '../../db/tables';
import { newId } from '../../lib/ids';
import { preparedRows, slotsOf } from '../../db/prepared';

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
  reason?: string | null;
  result?: 'success' | 'denied';
};

export type AccessRecordRow = AccessRecordTable;

/** The previous hash of the first record of a chain that was never pruned. */
export const GENESIS_HASH = '0'.repeat(64);

// One key for every append: appends are serialised so that two transactions never chain to the same head.
const CHAIN_LOCK_KEY = 0x0ca11_ac;

/**
 * The canonical serialisation that is hashed: a JSON array of every field in a fixed order, the previous hash
 * included, so any edit, removal or insertion changes some record's hash or breaks the next record's link.
 */
export function canonicalAccessRecord(r: Omit<AccessRecordRow, 'hash'>): string {
  return JSON.stringify([
    1,
    r.seq,
    r.id,
    r.at,
    r.user_id,
    r.user_login,
    r.role,
    r.ip,
    r.action,
    r.subject,
    r.target,
    r.record_count,
    r.reason,
    r.result,
    r.prev_hash,
  ]);
}

/** SHA-256 (hex) of the canonical serialisation. */
export function hashAccessRecord(r: Omit<AccessRecordRow, 'hash'>): string {
  return createHash('sha256').update(canonicalAccessRecord(r)).digest('hex');
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

/** The newest link: the last record, or (when every record was pruned) the newest anchor; undefined for none. */
export async function findChainHead(db: Db): Promise<{ seq: number; hash: string } | undefined> {
  // Raw SQL on the hot path (every access appends): Kysely's query building costs more than the indexed read.
  const { rows } = await sql<{ seq: number; hash: string }>`select seq, hash from access_records order by seq desc limit 1`.execute(db);
  const last = rows[0];
  if (last) return { seq: Number(last.seq), hash: last.hash };
  const anchor = await findLatestAnchor(db);
  return anchor ? { seq: Number(anchor.last_seq), hash: anchor.last_hash } : undefined;
}

export async function findLatestAnchor(db: Db) {
  return db.selectFrom('access_record_anchors').selectAll().orderBy('last_seq', 'desc').limit(1).executeTakeFirst();
}

/**
 * Appends access records to the chain inside the caller's transaction (the use case's own, so a failed record fails
 * the request and a rolled-back use case leaves no record). Takes the chain lock, reads the head, hashes, inserts.
 */
export async function appendAccessRecords(trx: Db, inputs: readonly AccessRecordInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await lockAccessChain(trx);
  const head = await findChainHead(trx);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const rows: AccessRecordRow[] = [];
  for (const input of inputs) {
    const subjects = [...new Set(input.subjects.filter((s): s is string => typeof s === 'string'))];
    const row: Omit<AccessRecordRow, 'hash'> = {
      id: newId(),
      seq: ++seq,
      at: input.at,
      user_id: input.userId,
      user_login: input.userLogin,
      role: input.role,
      ip: input.ip,
      action: input.action,
      subject: subjects.length > 0 ? subjects.join(',') : null,
      target: input.target.slice(0, 200),
      record_count: input.recordCount,
      reason: input.reason ? input.reason.slice(0, 500) : null,
      result: input.result ?? 'success',
      prev_hash: prev,
    };
    prev = hashAccessRecord(row);
    rows.push({ ...row, hash: prev });
  }
  await insertAccessRows(trx, rows);
}

const ACCESS_RECORD_COLUMNS = [
  'id', 'seq', 'at', 'user_id', 'user_login', 'role', 'ip', 'action', 'subject', 'target', 'record_count', 'reason', 'result',
  'prev_hash', 'hash',
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
