import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pingDatabase } from '../../db/database';
import type { AppDeps } from '../../deps';

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ dialect: z.enum(['sqlite', 'postgres']), ok: z.boolean() }),
  time: z.string(),
});

export function healthRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/health',
      { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: HealthSchema, 503: HealthSchema } } },
      async (_request, reply) => {
        const ok = await pingDatabase(deps.db);
        const body = { status: ok ? ('ok' as const) : ('degraded' as const), database: { dialect: deps.dialect, ok }, time: deps.clock.now().toISOString() };
        return reply.status(ok ? 200 : 503).send(body);
      },
    );
  };
}
