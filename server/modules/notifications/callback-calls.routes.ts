import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import { CallbackTaskSchema } from '../../../core/contracts/notifications';
import { viewerOf } from '../privacy/access-context';
import type { CallbackCalls } from './callback-calls.service';

const DESK = ['agent', 'supervisor'] as const;
const tags = ['notifications'];

/** 회신 전화 through the ACD (issue #11 §4): the task of the agent's current call, and "not reached". */
export function callbackCallsRoutes(calls: CallbackCalls): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/callback-tasks/current',
      {
        config: { access: DESK },
        schema: { tags, summary: 'The callback task of the call the agent holds now (null for any other call)', response: { 200: z.object({ task: CallbackTaskSchema.nullable() }) } },
      },
      async (request) => ({ task: await calls.current(viewerOf(request)) }),
    );

    app.post(
      '/api/callback-tasks/:id/not-reached',
      {
        config: { access: DESK },
        schema: { tags, summary: 'The citizen could not be reached: tried again later, given up after the last attempt', params: z.object({ id: IdSchema }), response: { 200: CallbackTaskSchema } },
      },
      async (request) => calls.reportNotReached(viewerOf(request), request.params.id),
    );
  };
}
