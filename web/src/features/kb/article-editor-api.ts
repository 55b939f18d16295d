import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ArticleAdmin, ArticleListPage, ArticleOwnerOption, ArticleSave, ArticleStatusChange } from '../../../../core/contracts/editors';
import type { ArticleStatus } from '../../../../core/contracts/enums';
import { api } from '../../api/client';

const articlesKey = ['kb', 'editor'] as const;

export type ArticleFilter = { status: ArticleStatus | ''; q: string; reviewOverdue: boolean };

/** Articles on one page of 상담 자료 관리 (이전/다음). */
export const ARTICLE_PAGE_SIZE = 50;

/** 상담 자료 관리: one page of the articles of every status (or one), by title, or only those past their review date. */
export function useEditorArticles(filter: ArticleFilter, offset: number) {
  const p = new URLSearchParams({ limit: String(ARTICLE_PAGE_SIZE), offset: String(offset) });
  if (filter.status) p.set('status', filter.status);
  if (filter.q.trim()) p.set('q', filter.q.trim());
  if (filter.reviewOverdue) p.set('reviewOverdue', 'true');
  return useQuery({ queryKey: [...articlesKey, p.toString()], queryFn: () => api<ArticleListPage>(`/api/kb/editor/articles?${p.toString()}`), placeholderData: (previous) => previous });
}

export function useArticleOwners() {
  return useQuery({ queryKey: [...articlesKey, 'owners'], queryFn: () => api<{ items: ArticleOwnerOption[] }>('/api/kb/editor/owners'), staleTime: 60_000 });
}

function useRefreshing<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => void client.invalidateQueries({ queryKey: articlesKey }) });
}

export function useSaveArticle() {
  return useRefreshing(({ id, body }: { id: string | null; body: ArticleSave }) =>
    id ? api<ArticleAdmin>(`/api/kb/editor/articles/${id}`, { method: 'PUT', body }) : api<ArticleAdmin>('/api/kb/editor/articles', { body }),
  );
}

export function useChangeArticleStatus() {
  return useRefreshing(({ id, body }: { id: string; body: ArticleStatusChange }) => api<ArticleAdmin>(`/api/kb/editor/articles/${id}/status`, { body }));
}
