import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import { protectionStatsRoutes } from '../statistics/protection-stats.routes';
import { breakRoutes } from './breaks.routes';
import { BreakService } from './breaks.service';
import { protectionRoutes } from './protection.routes';
import { ProtectionService } from './protection.service';

declare module 'fastify' {
  interface FastifyInstance {
    /** 감정노동 보호 (issue #14). */
    protection: ProtectionService;
    /** Scheduled breaks (issue #14 §4); server/main.ts runs its BreakScheduler, tests call tick(). */
    breaks: BreakService;
  }
}

/** Starts 감정노동 보호 on the app's ACD and hub (register after the ACD): routing policy, routes. */
export async function registerProtection(app: FastifyInstance, deps: AppDeps): Promise<ProtectionService> {
  const breaks = new BreakService(deps, app.acd);
  await breaks.start();
  app.decorate('breaks', breaks);
  const protection = new ProtectionService(deps, app.acd, app.realtime, breaks);
  await protection.start();
  app.decorate('protection', protection);
  await app.register(protectionRoutes(protection));
  await app.register(breakRoutes(breaks, () => deps.clock.now().getTime()));
  await app.register(protectionStatsRoutes(deps, breaks));
  // Continuous talk time (issue #14 §4): checked every 30 s in the server; tests call checkLongTalk on their clock.
  let timer: ReturnType<typeof setInterval> | null = null;
  if (deps.config.env !== 'test') {
    timer = setInterval(() => protection.checkLongTalk(app.acd.wallboard().agents), 30_000);
    timer.unref();
  }
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    protection.close();
  });
  return protection;
}
