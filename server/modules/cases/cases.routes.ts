import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CaseDetailSchema, CaseSearchAnswerSchema, CaseSearchQuerySchema, CaseSummarySchema, RecordCaseBodySchema, RecordCaseResultSchema } from '../../../core/contracts/cases';
import { IdSchema } from '../../../core/contracts/common';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import { presentCaseDetail } from '../privacy/citizen-data.presenter';
import { NeedToKnowQuerySchema } from '../privacy/need-to-know';
import { getCaseDetail, listCases, recordCase, searchCases } from './cases.service';

export function casesRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/cases',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: {
          tags: ['cases'],
          summary: 'Record the consultation of a call and finish it as resolved or handed off (이관)',
          body: RecordCaseBodySchema,
          response: { 201: RecordCaseResultSchema },
        },
      },
      async (request, reply) => {
        // Typed by the agent: a text that masking makes too long is refused, never cut (issue #10 finding 10).
        const result = await recordCase(deps, viewerOf(request), request.body, { overLimit: 'refuse' });
        // The department's officials see the new hand-off at once (the inbox also polls, for a socket that is down).
        if (result.handOff) app.realtime.notifyDepartmentInbox(result.handOff.departmentId, deps.clock.now().toISOString());
        return reply.status(201).send(result);
      },
    );

    app.get(
      '/api/cases',
      {
        config: { access: ['supervisor', 'admin'] },
        schema: {
          tags: ['cases'],
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ items: z.array(CaseSummarySchema) }) },
        },
      },
      async (request) => ({ items: await listCases(deps, viewerOf(request), request.query.limit) }),
    );

    app.get(
      '/api/cases/search',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: { tags: ['cases'], summary: '상담 이력 검색: caller number (blind index), case number, category, KST dates, outcome', querystring: CaseSearchQuerySchema, response: { 200: CaseSearchAnswerSchema } },
      },
      async (request) => searchCases(deps, viewerOf(request), request.query),
    );

    app.get(
      '/api/cases/:id',
      {
        config: { access: ['agent', 'official', 'supervisor', 'admin'] },
        schema: {
          tags: ['cases'],
          summary: "A case with its timeline; an agent who never served the case's citizen needs ?reason= (recorded), else 403 NEED_TO_KNOW",
          params: z.object({ id: IdSchema }),
          querystring: NeedToKnowQuerySchema,
          response: { 200: CaseDetailSchema },
        },
      },
      async (request) => {
        const viewer = viewerOf(request);
        return presentCaseDetail(viewer.role, await getCaseDetail(deps, viewer, request.params.id, request.query.reason));
      },
    );
  };
}
