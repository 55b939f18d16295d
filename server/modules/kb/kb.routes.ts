import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import { ArticleSchema, KbFeedbackInputSchema, KbSearchGapSchema, KbSearchQuerySchema, KbSearchResultSchema } from '../../../core/contracts/kb';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import { getArticle, recordFeedback, searchGaps, searchKnowledgeBase } from './kb.service';
import { SynonymInputSchema, SynonymSchema, deleteSynonym, listSynonyms, updateSynonym, upsertSynonyms } from './search/synonyms';

const KB_READERS = ['agent', 'official', 'supervisor', 'admin'] as const;
/** Who edits the search dictionary (the KB owners). */
const KB_OWNERS = ['supervisor', 'admin'] as const;
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

    app.get(
      '/api/kb/articles/:id',
      { config: { access: KB_READERS }, schema: { tags: ['kb'], params: z.object({ id: IdSchema }), response: { 200: ArticleSchema } } },
      async (request) => getArticle(deps, request.params.id),
    );
  };
}
