import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBodySchema } from '../../../core/contracts/common';
import { TelephonyEventResultSchema } from '../../../core/contracts/telephony';
import type { AppDeps } from '../../deps';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../ports/telephony/webhook.adapter';
import type { AcdService } from './acd.service';
import { receiveWebhookEvent } from './telephony-webhook.service';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates each request by its own signature (no session, no CSRF header). */
    signedWebhook?: boolean;
  }
  interface FastifyRequest {
    rawBody?: string;
  }
}

const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** POST /api/telephony/events: the CTI webhook (docs/TELEPHONY-WEBHOOK.md). The raw body is kept for the HMAC. */
export function telephonyRoutes(deps: AppDeps, acd: AcdService): FastifyPluginAsyncZod {
  return async (app) => {
    // Encapsulated: only this plugin's routes keep the raw body; parsing and validation happen after the signature.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (request, body, done) => {
      request.rawBody = body as string;
      done(null, {});
    });

    app.post(
      '/api/telephony/events',
      {
        config: { access: 'public', signedWebhook: true },
        schema: {
          tags: ['telephony'],
          summary: 'CTI webhook: one signed telephony event (X-OneCall-Timestamp, X-OneCall-Signature); see docs/TELEPHONY-WEBHOOK.md',
          response: { 200: TelephonyEventResultSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 503: ErrorBodySchema },
        },
      },
      async (request) =>
        receiveWebhookEvent(deps, acd, {
          raw: request.rawBody ?? '',
          timestamp: single(request.headers[TIMESTAMP_HEADER]),
          signature: single(request.headers[SIGNATURE_HEADER]),
        }),
    );
  };
}
