import type { KbFeedbackInput, KbSearchGap } from '../../../../core/contracts/kb';
import { maskFreeText } from '../../../../core/domain/name-detection';
import type { Db } from '../../../db/database';
import { newId } from '../../../lib/ids';
import type { KbSearch } from './kb-search';

/*
 * Learning from agents (issue #13): search_feedback rows say what an agent did after a search: 'open' and 'use'
 * (an article chosen; the engine ranks it higher for similar questions, see learnedPreference), 'shown' (results
 * settled on screen), 'none' (the search found nothing; written by the search itself) and 'missing' (recorded as a
 * missing article). Only the masked question and its concept key are kept: never the caller's data.
 */

/** Feedback kinds; 'none' is written by the search, the others by the desk. */
export type FeedbackKind = KbFeedbackInput['kind'] | 'none';

/** A repeat of the same (user, question key, kind) within this window is not written again. */
const REPEAT_WINDOW_MS = 10 * 60_000;

/**
 * Records one feedback row with the question masked (phone numbers, resident numbers, names…) and its concept key.
 * Returns false when nothing was written: a question with no meaningful word, or a repeat within the window.
 */
export async function recordSearchFeedback(
  db: Db,
  kbSearch: KbSearch,
  input: { kind: FeedbackKind; query: string; articleId?: string | null; userId: string | null },
  now: Date,
): Promise<boolean> {
  const query = maskFreeText(input.query).text.slice(0, 200);
  const queryKey = (await kbSearch.questionKey(query)).slice(0, 200);
  if (queryKey === '') return false;
  const since = new Date(now.getTime() - REPEAT_WINDOW_MS).toISOString();
  let repeat = db
    .selectFrom('search_feedback')
    .select('id')
    .where('query_key', '=', queryKey)
    .where('kind', '=', input.kind)
    .where('created_at', '>=', since);
  repeat = input.userId === null ? repeat.where('user_id', 'is', null) : repeat.where('user_id', '=', input.userId);
  repeat = input.articleId ? repeat.where('article_id', '=', input.articleId) : repeat;
  if (await repeat.executeTakeFirst()) return false;
  await db
    .insertInto('search_feedback')
    .values({ id: newId(), kind: input.kind, query, query_key: queryKey, article_id: input.articleId ?? null, user_id: input.userId, created_at: now.toISOString() })
    .execute();
  if (input.kind === 'open' || input.kind === 'use') kbSearch.invalidateLearned();
  return true;
}

/**
 * The questions KB owners should look at, most frequent first: found nothing, recorded as missing, or shown without
 * any article of theirs being opened or used (per question key, since `since`).
 */
export async function listSearchGaps(db: Db, since: string, limit = 200): Promise<KbSearchGap[]> {
  const rows = await db
    .selectFrom('search_feedback')
    .select(['query_key', 'kind', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('created_at').as('last_at')])
    .where('created_at', '>=', since)
    .groupBy(['query_key', 'kind'])
    .execute();
  const byKey = new Map<string, { none: number; missing: number; shown: number; chosen: number; lastAt: string }>();
  for (const r of rows) {
    const g = byKey.get(r.query_key) ?? { none: 0, missing: 0, shown: 0, chosen: 0, lastAt: '' };
    const n = Number(r.n);
    if (r.kind === 'none') g.none += n;
    else if (r.kind === 'missing') g.missing += n;
    else if (r.kind === 'shown') g.shown += n;
    else g.chosen += n;
    if (String(r.last_at) > g.lastAt) g.lastAt = String(r.last_at);
    byKey.set(r.query_key, g);
  }
  const gaps = [...byKey]
    .map(([queryKey, g]) => ({ queryKey, ...g, unused: g.chosen === 0 ? g.shown : 0 }))
    .filter((g) => g.none + g.missing + g.unused > 0)
    .sort((a, b) => b.none + b.missing + b.unused - (a.none + a.missing + a.unused) || (a.lastAt < b.lastAt ? 1 : -1))
    .slice(0, limit);
  if (gaps.length === 0) return [];
  // The latest wording of each question (already masked when stored).
  const latest = await db
    .selectFrom('search_feedback')
    .select(['query_key', 'query', 'created_at'])
    .where('query_key', 'in', gaps.map((g) => g.queryKey))
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .execute();
  const wording = new Map<string, string>();
  for (const r of latest) if (!wording.has(r.query_key)) wording.set(r.query_key, r.query);
  return gaps.map((g) => ({
    query: wording.get(g.queryKey) ?? g.queryKey,
    queryKey: g.queryKey,
    nothingFound: g.none,
    recordedMissing: g.missing,
    shownNotOpened: g.unused,
    lastAt: g.lastAt,
  }));
}
