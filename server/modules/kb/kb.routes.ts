import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import { ArticleSchema, KbSearchQuerySchema, KbSearchResultSchema } from '../../../core/contracts/kb';
import type { AppDeps } from '../../deps';
import { getArticle, searchKnowledgeBase } from './kb.service';

const KB_READERS = ['agent', 'official', 'supervisor', 'admin'] as const;

export function kbRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/kb/search',
      {
        config: { access: KB_READERS },
        schema: { tags: ['kb'], summary: 'Korean knowledge-base search (상담 DB)', querystring: KbSearchQuerySchema, response: { 200: KbSearchResultSchema } },
      },
      async (request) => searchKnowledgeBase(deps, request.query),
    );

    app.get(
      '/api/kb/articles/:id',
      { config: { access: KB_READERS }, schema: { tags: ['kb'], params: z.object({ id: IdSchema }), response: { 200: ArticleSchema } } },
      async (request) => getArticle(deps, request.params.id),
    );
  };
}
