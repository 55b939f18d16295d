import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChainVerification } from '../../../core/contracts/privacy';
import { DAY_MS } from '../../../core/domain/kst';
import type { Db } from '../../db/database';
import { newId } from '../../lib/ids';
import { LEGACY_CHAIN_KEY_ID, type AuditKeys } from '../../lib/vault';
import type { Clock } from '../../ports/clock/clock.port';
import { ChainHeadFileError } from '../../ports/chain-head/file.adapter';
import type { KeptChainHead } from '../../ports/chain-head/chain-head.port';
import {
  accessChainOf,
  findChainHead,
  findLatestAnchor,
  findRecordHash,
  GENESIS_HASH,
  hashAccessRecord,
  listAccessRecordsAfter,
  listAnchors,
  lockAccessChain,
  type AccessChainBinding,
} from './access-records.repository';

const PAGE = 5_000;

/**
 * The keeping period no configuration can shorten (제8조①: OneCall keeps access records 2 years;
 * ACCESS_RECORD_RETENTION_DAYS ≥ 730). Verification flags an anchor that pruned anything younger than this; the prune
 * itself refuses a cutoff inside the configured period (which may be longer, and may be raised later without making
 * earlier anchors look wrong).
 */
export const MIN_KEEP_DAYS = 730;

type Head = { seq: number; hash: string };
type Anchor = NonNullable<Awaited<ReturnType<typeof findLatestAnchor>>>;
type Broken = NonNullable<ChainVerification['broken']>;

const hmacHex = (key: Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');
const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The signature of a prune anchor: HMAC-SHA256 over every field but itself, under the audit key it names. */
export function signAnchor(a: Omit<Anchor, 'signature' | 'key_id'>, keyId: string, keys: AuditKeys): string | undefined {
  const key = keys.keys[keyId];
  if (!key) return undefined;
  return hmacHex(key, JSON.stringify(['anchor', 1, keyId, a.id, a.at, a.pruned_before, a.last_seq, a.last_hash, a.last_at, a.pruned_count]));
}

function isAnchorSigned(a: Anchor, keys: AuditKeys): boolean {
  if (!a.key_id || !a.signature) return false;
  const expected = signAnchor(a, a.key_id, keys);
  return expected !== undefined && sameHex(expected, a.signature);
}

/** Why an anchor is not acceptable, or null: unsigned or forged, or covering records younger than the keeping period. */
function anchorProblem(a: Anchor, keys: AuditKeys, now: Date): Broken | null {
  if (!isAnchorSigned(a, keys)) {
    return {
      seq: a.last_seq,
      id: a.id,
      problem: 'anchor_forged',
      message: `the prune anchor up to record ${a.last_seq} is not signed with an audit key: it was not written by the retention job`,
    };
  }
  const floor = accessRecordCutoff(now, MIN_KEEP_DAYS).toISOString();
  if (!a.last_at || a.pruned_before > floor || a.last_at >= a.pruned_before || a.at > now.toISOString()) {
    return {
      seq: a.last_seq,
      id: a.id,
      problem: 'anchor_too_recent',
      message: `the prune anchor up to record ${a.last_seq} covers records younger than the keeping period (${MIN_KEEP_DAYS} days)`,
    };
  }
  return null;
}

const headText = (h: Pick<KeptChainHead, 'seq' | 'hash' | 'at'>) => JSON.stringify(['head', 1, h.seq, h.hash, h.at]);

/** A kept head for `head`, signed with the current audit key. */
export function signHead(head: Head, at: Date, keys: AuditKeys): KeptChainHead {
  const kept = { seq: head.seq, hash: head.hash, at: at.toISOString() };
  return { ...kept, keyId: keys.current, mac: hmacHex(keys.keys[keys.current]!, headText(kept)) };
}

/**
 * Whether the database still holds what the kept head says: null when it does (the chain may have grown or been pruned
 * past it since), else what is wrong. Checks the copy's own signature first.
 */
async function keptHeadProblem(db: Db, kept: KeptChainHead, dbHead: Head | undefined, keys: AuditKeys): Promise<string | null> {
  const key = keys.keys[kept.keyId];
  if (!key || !sameHex(hmacHex(key, headText(kept)), kept.mac)) return 'the kept head copy is not signed with an audit key of the key ring: it was edited';
  if (!dbHead || dbHead.seq < kept.seq) {
    return `the database ends at record ${dbHead?.seq ?? 0} but the kept head is record ${kept.seq}: newer records were removed (truncated)`;
  }
  const hash = await findRecordHash(db, kept.seq);
  if (hash !== undefined) {
    return hash === kept.hash ? null : `record ${kept.seq} differs from the kept head: the chain was rewritten from there or before`;
  }
  const anchor = await findLatestAnchor(db);
  if (anchor && anchor.last_seq > kept.seq) return null; // pruned since (the anchor itself is checked by verification)
  if (anchor && anchor.last_seq === kept.seq) return anchor.last_hash === kept.hash ? null : `the prune anchor at record ${kept.seq} differs from the kept head`;
  return `record ${kept.seq} of the kept head is missing`;
}

/** Reads the kept head; an unreadable copy is a problem to report, not a crash. */
async function readKept(chain: AccessChainBinding): Promise<{ kept: KeptChainHead | null; problem: string | null }> {
  try {
    return { kept: await chain.headStore.read(), problem: null };
  } catch (err) {
    if (err instanceof ChainHeadFileError) return { kept: null, problem: `the kept head copy cannot be read: ${err.message}` };
    throw err;
  }
}

// One copy writer at a time per binding (the keeper's timer, a verification, a prune).
const writing = new WeakMap<AccessChainBinding, Promise<unknown>>();

export type KeepHeadResult = { written: boolean; head: Head | null; problem: string | null };

/**
 * Copies the database's current head to the head store, but only if it extends what is kept there (a database that
 * lost records or was rewritten is never blessed: the problem is returned and the old copy stays). `head` is a head
 * the caller has just verified; by default the newest committed one is read.
 */
export async function keepChainHead(db: Db, head?: Head): Promise<KeepHeadResult> {
  const chain = accessChainOf(db);
  const run = async (): Promise<KeepHeadResult> => {
    const dbHead = head ?? (await findChainHead(db));
    if (!dbHead) return { written: false, head: null, problem: null };
    const { kept, problem: unreadable } = await readKept(chain);
    if (unreadable) return { written: false, head: dbHead, problem: unreadable };
    if (kept) {
      if (kept.seq >= dbHead.seq && kept.hash === dbHead.hash) return { written: false, head: dbHead, problem: null };
      if (kept.seq > dbHead.seq && !head) return { written: false, head: dbHead, problem: await keptHeadProblem(db, kept, dbHead, chain.keys) };
      if (kept.seq > dbHead.seq) return { written: false, head: dbHead, problem: null }; // a verified head older than a newer copy
      const problem = await keptHeadProblem(db, kept, dbHead, chain.keys);
      if (problem) return { written: false, head: dbHead, problem };
    }
    await chain.headStore.write(signHead(dbHead, chain.clock.now(), chain.keys));
    return { written: true, head: dbHead, problem: null };
  };
  const previous = writing.get(chain) ?? Promise.resolve();
  const next = previous.then(run, run);
  writing.set(chain, next);
  return next;
}

export type VerifyOptions = {
  /** Copy the verified head to the head store when the chain is whole (default true). */
  keepHead?: boolean;
  /**
   * The operator's decision after restoring a database backup (npm run audit:verify -- --accept-head): the kept head
   * is not compared, and the verified head replaces it even when it is older.
   */
  acceptHead?: boolean;
};

/**
 * Walks the access-record chain from its start (or from the anchor of the last prune) and names the first broken
 * link: a forged or too recent prune anchor; a gap in the positions (a record removed); a record whose hash does not
 * match its content under its audit key (edited, or forged without the key); a record of an unknown key, or an
 * unkeyed (legacy) record after the first keyed one; a record whose previous hash is not the hash before it (a record
 * before it replaced or inserted); and last, a database that does not hold the head kept outside it (records cut from
 * the end, or the chain rewritten). A whole chain's head is then kept (see keepChainHead).
 */
export async function verifyAccessChain(db: Db, options: VerifyOptions = {}): Promise<ChainVerification> {
  const chain = accessChainOf(db);
  const now = chain.clock.now();
  const anchors = await listAnchors(db);
  const anchor = anchors[anchors.length - 1];
  const { kept, problem: unreadable } = await readKept(chain);
  let expectedSeq = anchor ? anchor.last_seq + 1 : 1;
  let expectedPrev = anchor ? anchor.last_hash : GENESIS_HASH;
  let checked = 0;
  let keyed = false;
  let head: ChainVerification['head'] = anchor ? { seq: anchor.last_seq, hash: anchor.last_hash } : null;
  const anchorOut = anchor ? { lastSeq: anchor.last_seq, lastHash: anchor.last_hash, prunedBefore: anchor.pruned_before } : null;
  const keptOut = kept ? { seq: kept.seq, hash: kept.hash, at: kept.at } : null;
  const result = (broken: Broken | null): ChainVerification => ({ ok: broken === null, checked, head, anchor: anchorOut, keptHead: keptOut, broken });

  for (const a of anchors) {
    const problem = anchorProblem(a, chain.keys, now);
    if (problem) return result(problem);
  }

  let after = expectedSeq - 1;
  for (;;) {
    const page = await listAccessRecordsAfter(db, after, PAGE);
    for (const r of page) {
      const at = { seq: r.seq, id: r.id };
      if (r.seq !== expectedSeq) {
        return result({
          ...at,
          problem: 'seq_gap',
          message:
            expectedSeq === r.seq - 1
              ? `record ${expectedSeq} is missing before record ${r.seq}`
              : `records ${expectedSeq}–${r.seq - 1} are missing before record ${r.seq}`,
        });
      }
      if (r.key_id === LEGACY_CHAIN_KEY_ID) {
        if (keyed) return result({ ...at, problem: 'unkeyed_record', message: `record ${r.seq} is unkeyed (plain SHA-256) after keyed records: it was forged` });
      } else {
        keyed = true;
        if (!chain.keys.keys[r.key_id]) {
          return result({ ...at, problem: 'unknown_key', message: `record ${r.seq} names audit key ${r.key_id}, which is not in the key ring` });
        }
      }
      const { hash, ...rest } = r;
      if (hashAccessRecord(rest, chain.keys) !== hash) {
        return result({ ...at, problem: 'hash_mismatch', message: `record ${r.seq} does not match its hash: its content was changed` });
      }
      if (r.prev_hash !== expectedPrev) {
        return result({
          ...at,
          problem: 'prev_hash_mismatch',
          message: `record ${r.seq} does not link to the record before it: a record before it was replaced, inserted or removed`,
        });
      }
      checked += 1;
      expectedSeq += 1;
      expectedPrev = hash;
      head = { seq: r.seq, hash };
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }

  if (options.acceptHead) {
    if (head) await chain.headStore.write(signHead(head, now, chain.keys));
    return result(null);
  }
  const headProblem = unreadable ?? (kept ? await keptHeadProblem(db, kept, head ?? undefined, chain.keys) : null);
  if (headProblem) return result({ seq: kept?.seq ?? head?.seq ?? 0, id: null, problem: 'head_mismatch', message: headProblem });
  if (head && options.keepHead !== false) await keepChainHead(db, head);
  return result(null);
}

/** The cutoff of the keeping period: records older than this may be pruned (제8조①: OneCall keeps 2 years). */
export function accessRecordCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export type PruneResult = { pruned: number; anchor: { lastSeq: number; lastHash: string } | null };

/**
 * Deletes access records older than `cutoff` (the retention job computes it with accessRecordCutoff) while keeping
 * the chain verifiable: in one transaction it first stores an anchor signed with the audit key, with the position,
 * hash and time of the last record it removes (the database allows deleting only records an anchor covers), then
 * deletes them. Only a contiguous oldest stretch is removed: it stops before the first record at or after the cutoff.
 * Refuses a cutoff inside the keeping period, and a chain that does not verify (pruning never launders tampering).
 */
export async function pruneAccessRecordsBefore(db: Db, cutoff: Date, now?: Date): Promise<PruneResult> {
  const chain = accessChainOf(db);
  const at = now ?? chain.clock.now();
  const latest = accessRecordCutoff(at, chain.keepDays);
  if (cutoff.getTime() > latest.getTime()) {
    throw new Error(`refusing to prune access records younger than the keeping period (${chain.keepDays} days): cutoff ${cutoff.toISOString()} is after ${latest.toISOString()}`);
  }
  const check = await verifyAccessChain(db);
  if (!check.ok) throw new Error(`access records do not verify (${check.broken?.message ?? ''}); not pruning`);
  const cut = cutoff.toISOString();
  const run = async (trx: Db): Promise<PruneResult> => {
    await lockAccessChain(trx);
    const anchor = await findLatestAnchor(trx);
    const floor = anchor ? anchor.last_seq : 0;
    const firstKept = await trx.selectFrom('access_records').select((eb) => eb.fn.min('seq').as('seq')).where('at', '>=', cut).executeTakeFirst();
    const last = await trx.selectFrom('access_records').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    const boundary = firstKept?.seq != null ? Number(firstKept.seq) - 1 : last?.seq != null ? Number(last.seq) : floor;
    if (boundary <= floor) return { pruned: 0, anchor: null };
    const edge = await trx.selectFrom('access_records').select(['seq', 'hash', 'at']).where('seq', '=', boundary).executeTakeFirstOrThrow();
    const count = await trx
      .selectFrom('access_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seq', '<=', boundary)
      .executeTakeFirstOrThrow();
    const row = {
      id: newId(),
      at: at.toISOString(),
      pruned_before: cut,
      last_seq: boundary,
      last_hash: edge.hash,
      last_at: new Date(edge.at).toISOString(),
      pruned_count: Number(count.n),
    };
    await trx
      .insertInto('access_record_anchors')
      .values({ ...row, key_id: chain.keys.current, signature: signAnchor(row, chain.keys.current, chain.keys)! })
      .execute();
    await trx.deleteFrom('access_records').where('seq', '<=', boundary).execute();
    return { pruned: Number(count.n), anchor: { lastSeq: boundary, lastHash: edge.hash } };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * Keeps the chain's head outside the database without a file write per access (appends sit on every caller card's
 * path): appends only note that the head moved; `tick()` copies the committed head at most once per `minIntervalMs`
 * of the Clock, and keeps looking for 5 s after the last append (a transaction may commit after its append noted
 * it). `start()` calls tick every second on a timer; `stop()` copies once more (shutdown). A head that does not extend
 * the kept one is reported to `onProblem` (once per distinct message) and never written.
 */
export class ChainHeadKeeper {
  private watchUntilMs = Number.NEGATIVE_INFINITY;
  private lastFlushMs = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private lastProblem: string | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly onProblem: (message: string) => void = () => undefined,
    private readonly minIntervalMs = 1_000,
  ) {}

  /** Called by appendAccessRecords (through the binding): cheap, no I/O. */
  noteAppend(): void {
    this.watchUntilMs = this.clock.now().getTime() + 5_000;
  }

  /** Copies the head if appends were noted and the last copy is at least minIntervalMs old; true when it wrote. */
  async tick(): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (now - this.lastFlushMs < this.minIntervalMs || this.lastFlushMs > this.watchUntilMs) return false;
    return this.flush();
  }

  /** Copies the committed head now; true when it wrote. */
  async flush(): Promise<boolean> {
    this.lastFlushMs = this.clock.now().getTime();
    const r = await keepChainHead(this.db);
    if (r.problem && r.problem !== this.lastProblem) this.onProblem(r.problem);
    this.lastProblem = r.problem;
    return r.written;
  }

  start(intervalMs = 1_000, onError: (err: unknown) => void = () => undefined): void {
    this.timer = setInterval(() => void this.tick().catch(onError), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and copies the head a last time. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
