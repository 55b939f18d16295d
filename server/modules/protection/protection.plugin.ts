import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import { protectionRoutes } from './protection.routes';
import { ProtectionService } from './protection.service';

declare module 'fastify' {
  interface FastifyInstance {
    /** 감정노동 보호 (issue #14). */
    protection: ProtectionService;
  }
}

/** Starts 감정노동 보호 on the app's ACD and hub (register after the ACD): routing policy, routes. */
export async function registerProtection(app: FastifyInstance, deps: AppDeps): Promise<ProtectionService> {
  const protection = new ProtectionService(deps, app.acd, app.realtime);
  await protection.start();
  app.decorate('protection', protection);
  await app.register(protectionRoutes(protection));
  app.addHook('onClose', async () => protection.close());
  return protection;
}
