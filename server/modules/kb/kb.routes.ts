import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import { ArticleSchema, KbFeedbackInputSchema, KbSearchGapSchema, KbSearchQuerySchema, KbSearchResultSchema } from '../../../core/contracts/kb';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import { getArticle, recordFeedback, searchGaps, searchKnowledgeBase } from './kb.service';
import { SynonymInputSchema, SynonymSchema, deleteSynonym, listSynonyms, updateSynonym, upsertSynonyms } from './search/synonyms';
import { ArticleAdminSchema, ArticleListPageSchema, ArticleListQuerySchema, ArticleOwnerOptionSchema, ArticleSaveSchema, ArticleStatusChangeSchema } from '../../../core/contracts/editors';
import { articleOwnerOptions, changeArticleStatus, createArticle, getArticleForEditing, listArticlesForEditing, saveArticle } from './kb-editor.service';

const KB_READERS = ['agent', 'official', 'supervisor', 'admin'] as const;
/** Who edits the search dictionary (the KB owners). */
const KB_OWNERS = ['supervisor', 'admin'] as const;
/** Who opens the article editor: KB owners edit every article, officials their own department's (kb-editor.service.ts). */
const KB_EDITORS = ['official', 'supervisor', 'admin'] as const;
const SynonymListSchema = z.object({ synonyms: z.array(SynonymSchema) });
const SynonymImportSchema = z.object({ synonyms: z.array(SynonymInputSchema).max(5000) });

export function kbRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/kb/search',
      {
        config: { access: KB_READERS },
        schema: { tags: ['kb'], summary: 'Korean knowledge-base search (상담 DB)', querystring: KbSearchQuerySchema, response: { 200: KbSearchResultSchema } },
      },
      async (request) => searchKnowledgeBase(deps, request.query, currentUser(request).id),
    );

    // Learning from agents (issue #13): what the agent did after a search; the owners' list of unanswered questions.
    app.post(
      '/api/kb/feedback',
      {
        config: { access: KB_READERS },
        schema: { tags: ['kb'], summary: 'Record what the agent did after a search (query masked)', body: KbFeedbackInputSchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await recordFeedback(deps, request.body, currentUser(request).id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/kb/search-gaps',
      {
        config: { access: KB_OWNERS },
        schema: { tags: ['kb'], summary: 'Questions that found nothing, were recorded missing or not used (90 days)', response: { 200: z.object({ gaps: z.array(KbSearchGapSchema) }) } },
      },
      async () => ({ gaps: await searchGaps(deps) }),
    );

    // The synonym dictionary (issue #13): list (= export, JSON), add or replace by term, edit, delete, import.
    const tags = ['kb'];
    app.get(
      '/api/kb/synonyms',
      { config: { access: KB_OWNERS }, schema: { tags, summary: 'Search synonym dictionary (export)', response: { 200: SynonymListSchema } } },
      async () => ({ synonyms: await listSynonyms(deps.db) }),
    );
    app.post(
      '/api/kb/synonyms',
      { config: { access: KB_OWNERS }, schema: { tags, summary: 'Add or replace a synonym entry', body: SynonymInputSchema, response: { 200: SynonymListSchema } } },
      async (request) => {
        await upsertSynonyms(deps.db, [request.body], deps.clock.now().toISOString(), currentUser(request).id);
        deps.kbSearch.invalidate();
        return { synonyms: await listSynonyms(deps.db) };
      },
    );
    app.post(
      '/api/kb/synonyms/import',
      { config: { access: KB_OWNERS }, schema: { tags, summary: 'Import synonym entries (add or replace by term)', body: SynonymImportSchema, response: { 200: z.object({ imported: z.number().int() }) } } },
      async (request) => {
        const at = deps.clock.now().toISOString();
        const imported = await deps.db.transaction().execute((trx) => upsertSynonyms(trx, request.body.synonyms, at, currentUser(request).id));
        deps.kbSearch.invalidate();
        return { imported };
      },
    );
    app.put(
      '/api/kb/synonyms/:id',
      { config: { access: KB_OWNERS }, schema: { tags, params: z.object({ id: IdSchema }), body: SynonymInputSchema, response: { 200: SynonymListSchema } } },
      async (request) => {
        await updateSynonym(deps.db, request.params.id, request.body, deps.clock.now().toISOString(), currentUser(request).id);
        deps.kbSearch.invalidate();
        return { synonyms: await listSynonyms(deps.db) };
      },
    );
    app.delete(
      '/api/kb/synonyms/:id',
      { config: { access: KB_OWNERS }, schema: { tags, params: z.object({ id: IdSchema }), response: { 200: SynonymListSchema } } },
      async (request) => {
        await deleteSynonym(deps.db, request.params.id);
        deps.kbSearch.invalidate();
        return { synonyms: await listSynonyms(deps.db) };
      },
    );

    // The article editor (issue #18 item 13): every status, owner, review date, publish/archive, use counts.
    const editorTags = ['kb'];
    const idParams = z.object({ id: IdSchema });
    app.get(
      '/api/kb/editor/articles',
      { config: { access: KB_EDITORS }, schema: { tags: editorTags, summary: '상담 자료 관리: articles of every status', querystring: ArticleListQuerySchema, response: { 200: ArticleListPageSchema } } },
      async (request) => listArticlesForEditing(deps, currentUser(request), request.query),
    );
    app.get(
      '/api/kb/editor/owners',
      { config: { access: KB_EDITORS }, schema: { tags: editorTags, summary: '담당자 후보 (공무원·관리자)', response: { 200: z.object({ items: z.array(ArticleOwnerOptionSchema) }) } } },
      async () => ({ items: await articleOwnerOptions(deps) }),
    );
    app.get(
      '/api/kb/editor/articles/:id',
      { config: { access: KB_EDITORS }, schema: { tags: editorTags, params: idParams, response: { 200: ArticleAdminSchema } } },
      async (request) => getArticleForEditing(deps, currentUser(request), request.params.id),
    );
    app.post(
      '/api/kb/editor/articles',
      { config: { access: KB_EDITORS }, schema: { tags: editorTags, summary: '상담 자료 작성 (초안)', body: ArticleSaveSchema, response: { 201: ArticleAdminSchema } } },
      async (request, reply) => reply.status(201).send(await createArticle(deps, currentUser(request), request.body)),
    );
    app.put(
      '/api/kb/editor/articles/:id',
      { config: { access: KB_EDITORS }, schema: { tags: editorTags, summary: '상담 자료 저장 (새 판, 검색 색인 갱신)', params: idParams, body: ArticleSaveSchema, response: { 200: ArticleAdminSchema } } },
      async (request) => saveArticle(deps, currentUser(request), request.params.id, request.body),
    );
    app.post(
      '/api/kb/editor/articles/:id/status',
      { config: { access: KB_EDITORS }, schema: { tags: editorTags, summary: '게시 / 보관', params: idParams, body: ArticleStatusChangeSchema, response: { 200: ArticleAdminSchema } } },
      async (request) => changeArticleStatus(deps, currentUser(request), request.params.id, request.body),
    );

    app.get(
      '/api/kb/articles/:id',
      { config: { access: KB_READERS }, schema: { tags: ['kb'], params: z.object({ id: IdSchema }), response: { 200: ArticleSchema } } },
      async (request) => getArticle(deps, request.params.id),
    );
  };
}
