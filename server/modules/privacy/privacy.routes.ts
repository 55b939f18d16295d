import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccessRecordPageSchema,
  AccessRecordQuerySchema,
  CaseExportBodySchema,
  ChainVerificationSchema,
  MonthlyReviewSchema,
  MonthQuerySchema,
  UnmaskBodySchema,
  UnmaskResultSchema,
} from '../../../core/contracts/privacy';
import type { AppDeps } from '../../deps';
import { viewerOf } from './access-context';
import { exportCases, monthlyReview, searchRecords, unmaskCitizenField, verifyRecords } from './privacy.service';

/** Layer 2 and 4 of issue 3: unmasking, exports with a reason, and the privacy officer's access-record tools. */
export function privacyRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/privacy/unmask',
      {
        // Admins reach the rule, which refuses them unless UNMASK_LIMIT_ADMIN > 0.
        config: { access: ['agent', 'official', 'supervisor', 'admin'] },
        schema: {
          tags: ['privacy'],
          summary: '마스킹 해제: reveal one field of one citizen, with a reason; limited per role per day and recorded',
          body: UnmaskBodySchema,
          response: { 200: UnmaskResultSchema },
        },
      },
      async (request) => unmaskCitizenField(deps, viewerOf(request), request.body),
    );

    app.post(
      '/api/cases/export',
      {
        config: { access: ['supervisor', 'admin'] },
        schema: {
          tags: ['privacy'],
          summary: '상담이력 다운로드 (CSV or XLSX, masked) with a required reason; recorded as a download',
          body: CaseExportBodySchema,
          response: { 200: z.any().describe('text/csv or XLSX file') },
        },
      },
      async (request, reply) => {
        const file = await exportCases(deps, viewerOf(request), request.body);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('x-onecall-export-rows', String(file.rows))
          .serializer((payload: unknown) => payload as string)
          .send(file.body);
      },
    );

    app.get(
      '/api/privacy/access-records',
      {
        config: { access: ['admin'] },
        schema: { tags: ['privacy'], summary: '접속기록 조회 (newest first)', querystring: AccessRecordQuerySchema, response: { 200: AccessRecordPageSchema } },
      },
      async (request) => searchRecords(deps, request.query),
    );

    app.get(
      '/api/privacy/access-records/verify',
      {
        config: { access: ['admin'] },
        schema: { tags: ['privacy'], summary: 'Verify the hash chain of the access records', response: { 200: ChainVerificationSchema } },
      },
      async () => verifyRecords(deps.db),
    );

    app.get(
      '/api/privacy/monthly-review',
      {
        config: { access: ['admin'] },
        schema: { tags: ['privacy'], summary: '월간 접속기록 점검 보고서', querystring: MonthQuerySchema, response: { 200: MonthlyReviewSchema } },
      },
      async (request) => monthlyReview(deps.db, deps.config.privacy.review, request.query.month),
    );
  };
}
