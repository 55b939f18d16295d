import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import {
  ConnectTransferBodySchema,
  DeclineTransferBodySchema,
  StartTransferBodySchema,
  TransferAttemptSchema,
  TransferCardSchema,
} from '../../../core/contracts/transfers';
import { viewerOf } from '../privacy/access-context';
import type { TransfersService } from './transfers.service';

const DESK = ['agent', 'supervisor'] as const;
const OFFICIAL = ['official'] as const;
const params = z.object({ id: IdSchema });

/** Warm transfer (3자통화, issue #11 §2): the agent's requests and the official's answers. */
export function transfersRoutes(transfers: TransfersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/transfers',
      {
        config: { access: DESK },
        schema: { tags: ['transfers'], summary: '담당자 연결: ask an official to take the current call', body: StartTransferBodySchema, response: { 200: TransferAttemptSchema } },
      },
      async (request) => transfers.start(viewerOf(request), request.body),
    );
    app.get(
      '/api/transfers/incoming',
      { config: { access: OFFICIAL }, schema: { tags: ['transfers'], summary: "The official's open incoming-transfer cards", response: { 200: z.object({ items: z.array(TransferCardSchema) }) } } },
      async (request) => ({ items: await transfers.incoming(viewerOf(request)) }),
    );
    app.get(
      '/api/transfers/:id',
      { config: { access: ['agent', 'official', 'supervisor'] }, schema: { tags: ['transfers'], params, response: { 200: TransferAttemptSchema } } },
      async (request) => transfers.get(viewerOf(request), request.params.id),
    );
    app.post(
      '/api/transfers/:id/accept',
      { config: { access: OFFICIAL }, schema: { tags: ['transfers'], summary: '수락: talk with the agent first', params, response: { 200: TransferAttemptSchema } } },
      async (request) => transfers.accept(viewerOf(request), request.params.id),
    );
    app.post(
      '/api/transfers/:id/decline',
      {
        config: { access: OFFICIAL },
        schema: { tags: ['transfers'], summary: '거절 (사유): it becomes a hand-off to the official', params, body: DeclineTransferBodySchema, response: { 200: TransferAttemptSchema } },
      },
      async (request) => transfers.decline(viewerOf(request), request.params.id, request.body.reason),
    );
    app.post(
      '/api/transfers/:id/connect',
      {
        config: { access: DESK },
        schema: { tags: ['transfers'], summary: '연결 완료: hand the caller over, or conference and leave', params, body: ConnectTransferBodySchema, response: { 200: TransferAttemptSchema } },
      },
      async (request) => transfers.connect(viewerOf(request), request.params.id, request.body.mode),
    );
    app.post(
      '/api/transfers/:id/cancel',
      { config: { access: DESK }, schema: { tags: ['transfers'], summary: '연결 취소: take the caller back', params, response: { 200: TransferAttemptSchema } } },
      async (request) => transfers.cancel(viewerOf(request), request.params.id),
    );
  };
}
