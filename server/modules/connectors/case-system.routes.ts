import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CasePreviewBodySchema, CasePreviewSchema, CaseSettingsBodySchema, CaseSettingsSchema, CaseStatusSchema, InboundResultSchema } from '../../../core/contracts/case-system';
import { ErrorBodySchema, IdSchema } from '../../../core/contracts/common';
import type { AppDeps } from '../../deps';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../ports/telephony/webhook.adapter';
import { viewerOf } from '../privacy/access-context';
import {
  CASE_WEBHOOK_PATH,
  caseSystemStatus,
  getCaseSettings,
  previewCaseMapping,
  receiveCaseWebhook,
  retryCaseMessage,
  saveCaseSettings,
  skipCaseMessage,
} from './case-system.service';

const IdParams = z.object({ id: IdSchema });
const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The administrative case system link (issue #16 §1): the admin's settings and 연계 현황, and the signed webhook. */
export function caseSystemRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/connectors/case-system',
      { config: { access: ['admin'] }, schema: { tags: ['connectors'], summary: '민원처리시스템 연계 설정 (secrets never returned)', response: { 200: CaseSettingsSchema } } },
      async () => getCaseSettings(deps),
    );
    app.put(
      '/api/admin/connectors/case-system',
      {
        config: { access: ['admin'] },
        schema: {
          tags: ['connectors'],
          summary: '연계 설정 저장: a misconfigured mapping is 422 CASE_MAPPING_INVALID with the reasons; secrets are write-only',
          body: CaseSettingsBodySchema,
          response: { 200: CaseSettingsSchema, 422: ErrorBodySchema },
        },
      },
      async (request) => saveCaseSettings(deps, viewerOf(request), request.body),
    );
    app.post(
      '/api/admin/connectors/case-system/preview',
      {
        config: { access: ['admin'] },
        schema: { tags: ['connectors'], summary: '매핑 미리보기 against a fictional sample hand-off', body: CasePreviewBodySchema, response: { 200: CasePreviewSchema, 422: ErrorBodySchema } },
      },
      async (request) => previewCaseMapping(request.body.mapping),
    );
    app.get(
      '/api/admin/connectors/case-system/status',
      { config: { access: ['admin'] }, schema: { tags: ['connectors'], summary: '연계 현황: health, queue depth, failed and waiting messages, delivery history', response: { 200: CaseStatusSchema } } },
      async () => caseSystemStatus(deps),
    );
    app.post(
      '/api/admin/connectors/case-system/messages/:id/retry',
      { config: { access: ['admin'] }, schema: { tags: ['connectors'], summary: '다시 보내기', params: IdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await retryCaseMessage(deps, request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/admin/connectors/case-system/messages/:id/skip',
      { config: { access: ['admin'] }, schema: { tags: ['connectors'], summary: '건너뛰기 (failed messages only)', params: IdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await skipCaseMessage(deps, request.params.id);
        return reply.status(204).send(null);
      },
    );

    // The webhook keeps the raw body (encapsulated: only here) for the HMAC; it is parsed after the signature.
    await app.register(async (hook) => {
      hook.removeContentTypeParser('application/json');
      hook.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (request, body, done) => {
        request.rawBody = body as string;
        done(null, {});
      });
      hook.post(
        CASE_WEBHOOK_PATH,
        {
          config: { access: 'public', signedWebhook: true },
          schema: {
            tags: ['connectors'],
            summary: 'Case-system webhook: a status or answer, signed (X-OneCall-Timestamp, X-OneCall-Signature: v1=HMAC-SHA256); docs/CONNECTORS.md',
            response: { 200: InboundResultSchema, 400: ErrorBodySchema, 401: ErrorBodySchema },
          },
        },
        async (request) =>
          receiveCaseWebhook(deps, { raw: request.rawBody ?? '', timestamp: single(request.headers[TIMESTAMP_HEADER]), signature: single(request.headers[SIGNATURE_HEADER]) }),
      );
    });
  };
}
