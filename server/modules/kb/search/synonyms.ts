import { z } from 'zod';
import { compactText } from '../../../../core/domain/korean-search';
import { AppError } from '../../../../core/errors';
import type { Db } from '../../../db/database';
import { newId } from '../../../lib/ids';
import { particleOf } from '../../../../core/domain/josa';

/*
 * The city's synonym and colloquial-term dictionary (issue #13): a caller's phrase (쓰레기봉투, 아기 수당, 끌려) and
 * the manual's words it stands for (종량제봉투, 아동수당, 견인). Matched on the compact question, so spacing does not
 * matter and a stem (끌려) covers its endings (끌려갔어요). KB owners edit it in the admin screen; it is exported
 * and imported as JSON with the KB; the demo seed loads the starter dictionary (server/db/seed/data).
 */

export const SynonymInputSchema = z.object({
  term: z.string().trim().min(1).max(100).refine((t) => compactText(t) !== '', '글자나 숫자가 있어야 합니다.'),
  expansions: z.array(z.string().trim().min(1).max(100)).min(1).max(10),
  note: z.string().trim().max(200).nullish(),
});
export type SynonymInput = z.infer<typeof SynonymInputSchema>;

export const SynonymSchema = SynonymInputSchema.extend({ id: z.string(), updatedAt: z.string() });
export type Synonym = z.infer<typeof SynonymSchema>;

export async function listSynonyms(db: Db): Promise<Synonym[]> {
  const rows = await db.selectFrom('search_synonyms').selectAll().orderBy('term').execute();
  return rows.map((r) => ({ id: r.id, term: r.term, expansions: JSON.parse(r.expansions) as string[], note: r.note, updatedAt: r.updated_at }));
}

/** Adds or replaces (by term) dictionary entries; returns how many were written. */
export async function upsertSynonyms(db: Db, entries: readonly SynonymInput[], at: string, userId: string | null): Promise<number> {
  for (const e of entries) {
    const values = { expansions: JSON.stringify(e.expansions), note: e.note ?? null, updated_by: userId, updated_at: at };
    const existing = await db.selectFrom('search_synonyms').select('id').where('term', '=', e.term).executeTakeFirst();
    if (existing) await db.updateTable('search_synonyms').set(values).where('id', '=', existing.id).execute();
    else await db.insertInto('search_synonyms').values({ id: newId(), term: e.term, created_at: at, ...values }).execute();
  }
  return entries.length;
}

export async function updateSynonym(db: Db, id: string, e: SynonymInput, at: string, userId: string | null): Promise<void> {
  const clash = await db.selectFrom('search_synonyms').select('id').where('term', '=', e.term).where('id', '!=', id).executeTakeFirst();
  if (clash) throw new AppError('CONFLICT', `'${e.term}'${particleOf(e.term, '은/는')} 이미 사전에 있습니다.`);
  const result = await db
    .updateTable('search_synonyms')
    .set({ term: e.term, expansions: JSON.stringify(e.expansions), note: e.note ?? null, updated_by: userId, updated_at: at })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new AppError('NOT_FOUND', '사전 항목을 찾을 수 없습니다.');
}

export async function deleteSynonym(db: Db, id: string): Promise<void> {
  const result = await db.deleteFrom('search_synonyms').where('id', '=', id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new AppError('NOT_FOUND', '사전 항목을 찾을 수 없습니다.');
}
