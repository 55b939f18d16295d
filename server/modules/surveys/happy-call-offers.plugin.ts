import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CurrentHappyCallSchema } from '../../../core/contracts/surveys';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import { HappyCallOffers } from './happy-call-offers.service';

declare module 'fastify' {
  interface FastifyInstance {
    /** 만족도 조사 전화 offered to agents by the ACD (issue #15). */
    happyCallOffers: HappyCallOffers;
  }
}

/** Happy calls through the ACD (after the ACD is registered): the ticker and the desk's current questionnaire. */
export async function registerHappyCallOffers(app: FastifyInstance, deps: AppDeps): Promise<HappyCallOffers> {
  const offers = new HappyCallOffers(deps, app.acd);
  app.decorate('happyCallOffers', offers);
  await app.register(happyCallOffersRoutes(offers));
  return offers;
}

function happyCallOffersRoutes(offers: HappyCallOffers): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/surveys/calls/current',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: {
          tags: ['surveys'],
          summary: 'The questionnaire of the happy call the ACD gave this agent, once answered (null otherwise; 410 when consent was withdrawn)',
          response: { 200: CurrentHappyCallSchema },
        },
      },
      async (request) => offers.current(viewerOf(request)),
    );
  };
}
