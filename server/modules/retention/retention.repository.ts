import { maskPersonalData } from '../../../core/domain/pii';
import type { Db } from '../../db/database';

/*
 * The destruction queries of the retention job. Each takes the cutoff (ISO UTC) and a dry-run flag: a dry run counts
 * what would be destroyed and changes nothing. Erased caller numbers are '' (sealed column and index).
 */

const BATCH = 500;

function masked(text: string): string {
  return maskPersonalData(text).text;
}

/** Anonymises cases: the citizen link goes; summary, notes and hand-off answers are masked again (statistics stay). */
async function anonymiseCaseRows(db: Db, caseIds: string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const rows = await db.selectFrom('cases').select(['id', 'summary', 'notes']).where('id', 'in', caseIds).execute();
  for (const r of rows) {
    await db.updateTable('cases').set({ citizen_id: null, summary: masked(r.summary), notes: masked(r.notes), location: null }).where('id', '=', r.id).execute();
  }
  const answers = await db.selectFrom('handoffs').select(['id', 'answer']).where('case_id', 'in', caseIds).where('answer', 'is not', null).execute();
  for (const a of answers) await db.updateTable('handoffs').set({ answer: masked(a.answer ?? '') }).where('id', '=', a.id).execute();
}

/** Closed cases older than the cutoff that still point to a citizen. */
export async function anonymiseExpiredCases(db: Db, cutoff: string, dryRun: boolean): Promise<number> {
  const expired = db.selectFrom('cases').where('status', '=', 'closed').where('closed_at', '<', cutoff).where('citizen_id', 'is not', null);
  if (dryRun) return Number((await expired.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  let total = 0;
  for (;;) {
    const ids = (await expired.select('id').limit(BATCH).execute()).map((r) => r.id);
    await anonymiseCaseRows(db, ids);
    total += ids.length;
    if (ids.length < BATCH) return total;
  }
}

/** Erases the caller's number of ended calls older than the cutoff. */
export async function eraseExpiredCallerNumbers(db: Db, cutoff: string, dryRun: boolean): Promise<number> {
  if (dryRun) {
    const row = await db
      .selectFrom('interactions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'ended')
      .where('started_at', '<', cutoff)
      .where('caller_number_sealed', '<>', '')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const res = await db
    .updateTable('interactions')
    .set({ caller_number_sealed: '', caller_index: '' })
    .where('status', '=', 'ended')
    .where('started_at', '<', cutoff)
    .where('caller_number_sealed', '<>', '')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Deletes citizens with no call and no case since the cutoff and no open case. Their calls lose the link and the
 * number, their cases are anonymised, then the row (sealed number, name, blind index) is deleted.
 */
export async function deleteInactiveCitizens(db: Db, cutoff: string, dryRun: boolean): Promise<number> {
  const inactive = db
    .selectFrom('citizens as z')
    .where('z.created_at', '<', cutoff)
    .where(({ not, exists, selectFrom, or }) =>
      not(
        or([
          exists(selectFrom('interactions as i').select('i.id').whereRef('i.citizen_id', '=', 'z.id').where('i.started_at', '>=', cutoff)),
          exists(
            selectFrom('cases as c')
              .select('c.id')
              .whereRef('c.citizen_id', '=', 'z.id')
              .where((w) => w.or([w('c.created_at', '>=', cutoff), w('c.status', '=', 'open')])),
          ),
        ]),
      ),
    );
  if (dryRun) return Number((await inactive.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  let total = 0;
  for (;;) {
    const ids = (await inactive.select('z.id').limit(BATCH).execute()).map((r) => r.id);
    if (ids.length > 0) {
      await db.updateTable('interactions').set({ citizen_id: null, caller_number_sealed: '', caller_index: '' }).where('citizen_id', 'in', ids).execute();
      const caseIds = (await db.selectFrom('cases').select('id').where('citizen_id', 'in', ids).execute()).map((r) => r.id);
      await anonymiseCaseRows(db, caseIds);
      await db.deleteFrom('citizens').where('id', 'in', ids).execute();
    }
    total += ids.length;
    if (ids.length < BATCH) return total;
  }
}

/** Deletes sessions that expired before the cutoff. */
export async function deleteExpiredSessions(db: Db, cutoff: string, dryRun: boolean): Promise<number> {
  if (dryRun) {
    return Number((await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('expires_at', '<', cutoff).executeTakeFirstOrThrow()).n);
  }
  return Number((await db.deleteFrom('sessions').where('expires_at', '<', cutoff).executeTakeFirst()).numDeletedRows);
}

/** Deletes unfinished two-factor sign-ins that expired before the cutoff. */
export async function deleteExpiredSignInChallenges(db: Db, cutoff: string, dryRun: boolean): Promise<number> {
  if (dryRun) {
    return Number((await db.selectFrom('sign_in_challenges').select((eb) => eb.fn.countAll<number>().as('n')).where('expires_at', '<', cutoff).executeTakeFirstOrThrow()).n);
  }
  return Number((await db.deleteFrom('sign_in_challenges').where('expires_at', '<', cutoff).executeTakeFirst()).numDeletedRows);
}

export async function insertDestructionLog(db: Db, row: { id: string; run_id: string; at: string; kind: string; method: 'delete' | 'anonymise'; count: number; cutoff: string; actor: string }): Promise<void> {
  await db.insertInto('destruction_log').values(row).execute();
}

export async function listDestructionLog(db: Db, limit: number) {
  return db.selectFrom('destruction_log').selectAll().orderBy('at', 'desc').orderBy('kind').limit(limit).execute();
}
