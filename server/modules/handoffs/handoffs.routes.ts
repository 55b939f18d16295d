import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import { AnswerHandOffBodySchema, HandOffCountsSchema, HandOffItemSchema, HandOffListQuerySchema, HandOffListSchema } from '../../../core/contracts/handoffs';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import { presentHandOffItem } from '../privacy/citizen-data.presenter';
import { acknowledgeHandOff, answerHandOff, countHandOffs, getHandOff, listHandOffs } from './handoffs.service';

const INBOX_ROLES = ['official', 'supervisor', 'admin'] as const;
const ACT_ROLES = ['official', 'supervisor'] as const;
const params = z.object({ id: IdSchema });

export function handOffsRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/handoffs',
      { config: { access: INBOX_ROLES }, schema: { tags: ['handoffs'], querystring: HandOffListQuerySchema, response: { 200: HandOffListSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return { items: (await listHandOffs(deps, viewer, request.query)).map((i) => presentHandOffItem(viewer.role, i)) };
      },
    );

    app.get(
      '/api/handoffs/counts',
      { config: { access: INBOX_ROLES }, schema: { tags: ['handoffs'], summary: '운영 현황: open, overdue and due-today counts', response: { 200: HandOffCountsSchema } } },
      async (request) => countHandOffs(deps, viewerOf(request)),
    );

    app.get(
      '/api/handoffs/:id',
      { config: { access: INBOX_ROLES }, schema: { tags: ['handoffs'], params, response: { 200: HandOffItemSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return presentHandOffItem(viewer.role, await getHandOff(deps, viewer, request.params.id));
      },
    );

    app.post(
      '/api/handoffs/:id/acknowledge',
      { config: { access: ACT_ROLES }, schema: { tags: ['handoffs'], summary: '접수', params, response: { 200: HandOffItemSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return presentHandOffItem(viewer.role, await acknowledgeHandOff(deps, viewer, request.params.id));
      },
    );

    app.post(
      '/api/handoffs/:id/answer',
      {
        config: { access: ACT_ROLES },
        schema: { tags: ['handoffs'], summary: '회신: record the answer and close the case', params, body: AnswerHandOffBodySchema, response: { 200: HandOffItemSchema } },
      },
      async (request) => {
        const viewer = viewerOf(request);
        return presentHandOffItem(viewer.role, await answerHandOff(deps, viewer, request.params.id, request.body));
      },
    );
  };
}
