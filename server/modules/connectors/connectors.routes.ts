import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import { LookupAdminSchema, LookupOptionSchema, LookupResultSchema, LookupRunBodySchema, LookupSaveBodySchema } from '../../../core/contracts/connectors';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import { createLookup, deleteLookup, listLookupsForAdmin, listLookupsForDesk, runLookup, updateLookup } from './lookups.service';

const IdParams = z.object({ id: IdSchema });

/** Department look-ups (issue #16 §2): the admin's definitions and the desk's 조회. */
export function connectorsRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/connectors/lookups',
      {
        config: { access: ['admin'] },
        schema: {
          tags: ['connectors'],
          summary: '부서 시스템 조회 설정 목록 (secrets never returned) with health',
          response: { 200: z.array(LookupAdminSchema) },
        },
      },
      async () => listLookupsForAdmin(deps),
    );
    app.post(
      '/api/admin/connectors/lookups',
      {
        config: { access: ['admin'] },
        schema: {
          tags: ['connectors'],
          summary: '조회 설정 추가: a bad mapping or template is refused with the reason',
          body: LookupSaveBodySchema,
          response: { 201: LookupAdminSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await createLookup(deps, viewerOf(request), request.body)),
    );
    app.put(
      '/api/admin/connectors/lookups/:id',
      {
        config: { access: ['admin'] },
        schema: {
          tags: ['connectors'],
          summary: '조회 설정 변경 (authSecret null keeps the sealed secret)',
          params: IdParams,
          body: LookupSaveBodySchema,
          response: { 200: LookupAdminSchema },
        },
      },
      async (request) => updateLookup(deps, viewerOf(request), request.params.id, request.body),
    );
    app.delete(
      '/api/admin/connectors/lookups/:id',
      {
        config: { access: ['admin'] },
        schema: {
          tags: ['connectors'],
          summary: '조회 설정 삭제',
          params: IdParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await deleteLookup(deps, request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/connectors/lookups',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: {
          tags: ['connectors'],
          summary: "The look-ups the user's role may run, with their health",
          response: { 200: z.array(LookupOptionSchema) },
        },
      },
      async (request) => listLookupsForDesk(deps, viewerOf(request).role),
    );
    app.post(
      '/api/connectors/lookups/:id/run',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: {
          tags: ['connectors'],
          summary: '조회: one look-up during a call with the caller’s consent; recorded as an access record; nothing stored',
          params: IdParams,
          body: LookupRunBodySchema,
          response: { 200: LookupResultSchema },
        },
      },
      async (request) => runLookup(deps, viewerOf(request), request.params.id, request.body),
    );
  };
}
