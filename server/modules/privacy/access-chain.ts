import type { ChainVerification } from '../../../core/contracts/privacy';
import type { Db } from '../../db/database';
import { newId } from '../../lib/ids';
import { findLatestAnchor, GENESIS_HASH, hashAccessRecord, listAccessRecordsAfter, lockAccessChain } from './access-records.repository';

const PAGE = 5_000;

/**
 * Walks the access-record chain from its start (or from the anchor of the last prune) and names the first broken
 * link: a gap in the positions (a record removed), a record whose hash does not match its content (edited), or a
 * record whose previous hash is not the hash before it (a record before it replaced or inserted).
 *
 * What a chain alone cannot show: a rewrite of every hash from the tampered record to the end, or removal of the
 * newest records. Against those, keep the `head` of each verification somewhere else (the monthly report prints it).
 */
export async function verifyAccessChain(db: Db): Promise<ChainVerification> {
  const anchor = await findLatestAnchor(db);
  let expectedSeq = anchor ? Number(anchor.last_seq) + 1 : 1;
  let expectedPrev = anchor ? anchor.last_hash : GENESIS_HASH;
  let checked = 0;
  let head: ChainVerification['head'] = anchor ? { seq: Number(anchor.last_seq), hash: anchor.last_hash } : null;
  const anchorOut = anchor ? { lastSeq: Number(anchor.last_seq), lastHash: anchor.last_hash, prunedBefore: anchor.pruned_before } : null;
  const result = (broken: ChainVerification['broken']): ChainVerification => ({ ok: broken === null, checked, head, anchor: anchorOut, broken });

  let after = expectedSeq - 1;
  for (;;) {
    const page = await listAccessRecordsAfter(db, after, PAGE);
    for (const r of page) {
      if (r.seq !== expectedSeq) {
        return result({
          seq: r.seq,
          id: r.id,
          problem: 'seq_gap',
          message:
            expectedSeq === r.seq - 1
              ? `record ${expectedSeq} is missing before record ${r.seq}`
              : `records ${expectedSeq}–${r.seq - 1} are missing before record ${r.seq}`,
        });
      }
      const { hash, ...rest } = r;
      if (hashAccessRecord(rest) !== hash) {
        return result({ seq: r.seq, id: r.id, problem: 'hash_mismatch', message: `record ${r.seq} does not match its hash: its content was changed` });
      }
      if (r.prev_hash !== expectedPrev) {
        return result({
          seq: r.seq,
          id: r.id,
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
  return result(null);
}

/** The cutoff of the keeping period: records older than this may be pruned (제8조①: OneCall keeps 2 years). */
export function accessRecordCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 86_400_000);
}

export type PruneResult = { pruned: number; anchor: { lastSeq: number; lastHash: string } | null };

/**
 * Deletes access records older than `cutoff` (the retention job computes it with accessRecordCutoff) while keeping
 * the chain verifiable: in one transaction it first stores an anchor with the position and hash of the last record
 * it removes (the database allows deleting only records an anchor covers), then deletes them. Only a contiguous
 * oldest stretch is removed: it stops before the first record at or after the cutoff. Refuses to prune a chain that
 * does not verify, so that pruning never launders evidence of tampering.
 */
export async function pruneAccessRecordsBefore(db: Db, cutoff: Date, now: Date = new Date()): Promise<PruneResult> {
  const check = await verifyAccessChain(db);
  if (!check.ok) throw new Error(`access records do not verify (${check.broken?.message ?? ''}); not pruning`);
  const cut = cutoff.toISOString();
  const run = async (trx: Db): Promise<PruneResult> => {
    await lockAccessChain(trx);
    const anchor = await findLatestAnchor(trx);
    const floor = anchor ? Number(anchor.last_seq) : 0;
    const firstKept = await trx.selectFrom('access_records').select((eb) => eb.fn.min('seq').as('seq')).where('at', '>=', cut).executeTakeFirst();
    const last = await trx.selectFrom('access_records').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    const boundary = firstKept?.seq != null ? Number(firstKept.seq) - 1 : last?.seq != null ? Number(last.seq) : floor;
    if (boundary <= floor) return { pruned: 0, anchor: null };
    const edge = await trx.selectFrom('access_records').select(['seq', 'hash']).where('seq', '=', boundary).executeTakeFirstOrThrow();
    const count = await trx
      .selectFrom('access_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seq', '<=', boundary)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('access_record_anchors')
      .values({ id: newId(), at: now.toISOString(), pruned_before: cut, last_seq: boundary, last_hash: edge.hash, pruned_count: Number(count.n) })
      .execute();
    await trx.deleteFrom('access_records').where('seq', '<=', boundary).execute();
    return { pruned: Number(count.n), anchor: { lastSeq: boundary, lastHash: edge.hash } };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
