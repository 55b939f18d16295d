import type { ArticleStatus } from '../contracts/enums';
import { allowedActions, assertTransition, type TransitionTable } from './lifecycle';

/** 게시 / 보관 of a knowledge article (issue #18 item 13). */
export type ArticleAction = 'publish' | 'archive';

/**
 * draft → published → archived. An archived article is kept (cases that used it still name it) and found by no
 * desk search; it may be published again. A draft nobody wants is archived, never deleted.
 */
export const ARTICLE_TRANSITIONS: TransitionTable<ArticleStatus, ArticleAction> = {
  publish: { from: ['draft', 'archived'], to: 'published' },
  archive: { from: ['draft', 'published'], to: 'archived' },
};

export function transitionArticle(status: ArticleStatus, action: ArticleAction): ArticleStatus {
  return assertTransition(ARTICLE_TRANSITIONS, status, action, '상담 자료');
}

export function allowedArticleActions(status: ArticleStatus): ArticleAction[] {
  return allowedActions(ARTICLE_TRANSITIONS, status);
}
