import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CallConnectedSchema, CallerCardSchema, InteractionSchema, SetCitizenNameBodySchema, SimulateCallBodySchema } from '../../../core/contracts/calls';
import { IdSchema } from '../../../core/contracts/common';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import { presentCallConnected, presentCallerCard, presentInteraction } from '../privacy/citizen-data.presenter';
import { NeedToKnowQuerySchema } from '../privacy/need-to-know';
import { connectSimulatedCall, endCall, nameCitizen, openCallerCard } from './calls.service';

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
      async (request, reply) => {
        const viewer = viewerOf(request);
        return reply.status(201).send(presentCallConnected(viewer.role, await connectSimulatedCall(deps, viewer, request.body)));
      },
    );

    app.post(
      '/api/calls/:id/end',
      {
        config: { access: DESK_ROLES },
        schema: { tags: ['calls'], params: z.object({ id: IdSchema }), response: { 200: InteractionSchema } },
      },
      async (request) => {
        const viewer = viewerOf(request);
        return presentInteraction(viewer.role, await endCall(deps, viewer, request.params.id, request.server.acd));
      },
    );

    app.get(
      '/api/citizens/:id/card',
      {
        config: { access: DESK_ROLES },
        schema: {
          tags: ['calls'],
          summary: 'The caller card; an agent who never served the citizen needs ?reason= (recorded), else 403 NEED_TO_KNOW',
          params: z.object({ id: IdSchema }),
          querystring: NeedToKnowQuerySchema,
          response: { 200: CallerCardSchema },
        },
      },
      async (request) => {
        const viewer = viewerOf(request);
        return presentCallerCard(viewer.role, await openCallerCard(deps, viewer, request.params.id, request.query.reason));
      },
    );

    app.put(
      '/api/citizens/:id/name',
      {
        config: { access: DESK_ROLES },
        schema: {
          tags: ['calls'],
          summary: "민원인 이름: write down an unknown caller's name (or correct it); need-to-know, sealed, recorded",
          params: z.object({ id: IdSchema }),
          body: SetCitizenNameBodySchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await nameCitizen(deps, viewerOf(request), request.params.id, request.body.name);
        return reply.status(204).send(null);
      },
    );
  };
}
