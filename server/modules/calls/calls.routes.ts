import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CallConnectedSchema, CallerCardSchema, InteractionSchema, SimulateCallBodySchema } from '../../../core/contracts/calls';
import { IdSchema } from '../../../core/contracts/common';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import { connectSimulatedCall, endCall, getCallerCard } from './calls.service';

const DESK_ROLES = ['agent', 'supervisor'] as const;

export function callsRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/calls/simulate',
      {
        config: { access: DESK_ROLES },
        schema: {
          tags: ['calls'],
          summary: 'A simulated incoming call, answered by the signed-in agent (the desk button does the same)',
          body: SimulateCallBodySchema,
          response: { 201: CallConnectedSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await connectSimulatedCall(deps, currentUser(request), request.body)),
    );

    app.post(
      '/api/calls/:id/end',
      {
        config: { access: DESK_ROLES },
        schema: { tags: ['calls'], params: z.object({ id: IdSchema }), response: { 200: InteractionSchema } },
      },
      async (request) => endCall(deps, currentUser(request), request.params.id),
    );

    app.get(
      '/api/citizens/:id/card',
      {
        config: { access: DESK_ROLES },
        schema: { tags: ['calls'], params: z.object({ id: IdSchema }), response: { 200: CallerCardSchema } },
      },
      async (request) => getCallerCard(deps, request.params.id),
    );
  };
}
