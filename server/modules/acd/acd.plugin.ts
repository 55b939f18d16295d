import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import { WebhookTelephony } from '../../ports/telephony/webhook.adapter';
import { RealtimeHub } from '../../realtime/hub';
import { isSessionAlive } from '../auth/auth.service';
import { realtimeRoutes } from '../../realtime/realtime.routes';
import { acdRoutes } from './acd.routes';
import { AcdService, type AcdStartOptions } from './acd.service';
import { telephonyRoutes } from './telephony.routes';
import { TransfersService } from '../transfers/transfers.service';
import { transfersRoutes } from '../transfers/transfers.routes';
import { CallbackCalls } from '../notifications/callback-calls.service';
import { callbackCallsRoutes } from '../notifications/callback-calls.routes';

/** What a caller (tests, the app's options) may set: never `writes`, the server commits every decision. */
export type ServerAcdOptions = Partial<Omit<AcdStartOptions, 'writes'>>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The process's ACD (issue #4). */
    acd: AcdService;
    /** The process's WebSocket hub. */
    realtime: RealtimeHub;
    /** Warm transfers to officials (issue #11). */
    transfers: TransfersService;
    /** 회신 전화: callback tasks queued to agents by the ACD (issue #11 §4). */
    callbackCalls: CallbackCalls;
  }
}

/**
 * Starts the ACD for the app (state rebuilt from the database), its telephony adapters (the in-process simulator,
 * and the CTI webhook when a secret is configured), the WebSocket hub, and their routes. Timers run by themselves
 * except under NODE_ENV=test, where tests tick the ACD on their fake clock.
 */
export async function registerAcd(app: FastifyInstance, deps: AppDeps, overrides: ServerAcdOptions = {}): Promise<AcdService> {
  const { webhookSecret, pbxUrl } = deps.config.telephony;
  const acd = await AcdService.start(deps, {
    timers: deps.config.env === 'test' ? 'manual' : 'auto',
    adapters: webhookSecret ? [new WebhookTelephony({ secret: webhookSecret, pbxUrl }, deps.clock)] : [],
    logger: app.log,
    agentConfig: {
      offerTimeoutSeconds: deps.config.acd.offerTimeoutSeconds,
      maxMissedOffers: deps.config.acd.maxMissedOffers,
      wrapUpSeconds: deps.config.acd.wrapUpSeconds,
    },
    ...overrides,
    // The server commits every decision before it takes effect: a restart loses no waiting call (never 'deferred').
    writes: 'immediate',
  });
  const hub = new RealtimeHub(acd, (sessionId) => isSessionAlive(deps, sessionId));
  if (deps.config.env !== 'test') hub.startSessionChecks();
  app.decorate('acd', acd);
  // Telephony events on an official's extension set his presence "on a call" and back (issue #11 §1).
  if (app.hasDecorator('directory')) acd.extensionListener = (extension, onCall) => app.directory.markExtensionOnCall(extension, onCall);
  app.decorate('realtime', hub);
  // Warm transfers: attempts left live by an earlier process fall back to hand-offs before anyone can act on them.
  const transfers = new TransfersService(deps, acd, hub, app.hasDecorator('directory') ? app.directory : null);
  await transfers.recover();
  transfers.listen();
  app.decorate('transfers', transfers);
  // Callback tasks reach agents through the ACD's outbound queue (what is due is queued at start and every second).
  const callbackCalls = new CallbackCalls(deps, acd);
  await callbackCalls.tick();
  app.decorate('callbackCalls', callbackCalls);
  await app.register(fastifyWebsocket, { options: { maxPayload: 16 * 1024 } });
  // An upgrade refused by an earlier hook (no session, wrong Origin) never reaches @fastify/websocket's own hooks,
  // which would close the socket: close it here, or every refused attempt would leave a connection open.
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400 && request.headers.upgrade?.toLowerCase() === 'websocket') reply.raw.socket?.destroy();
  });
  await app.register(acdRoutes(deps, acd));
  await app.register(telephonyRoutes(deps, acd));
  await app.register(transfersRoutes(transfers));
  await app.register(callbackCallsRoutes(callbackCalls));
  await app.register(
    realtimeRoutes(hub, async (userId) => {
      await acd.ensureAgent(userId);
      return acd.deskState(userId);
    }),
  );
  app.addHook('onClose', async () => {
    transfers.close();
    hub.close();
    await acd.stop();
  });
  return acd;
}

/**
 * The server process's one-second ticks of warm transfers (ring timeouts: no answer becomes a hand-off) and of 회신
 * 전화 (due callback tasks to the ACD). Started by server/main.ts on the real clock; tests built with buildApp call
 * tick() on their fake clock instead. The e2e server (NODE_ENV=test) rings out transfers but does not route callback
 * tasks: a callback offered to the journeys' agents would take the place of the simulated calls they wait for (the
 * integration tests cover that routing). Returns stop.
 */
export function startSecondTicks(app: FastifyInstance, env: AppDeps['config']['env']): () => void {
  const timer = setInterval(() => {
    void app.transfers.tick().catch((err: unknown) => app.log.error({ err }, 'transfer ring timer'));
    if (env !== 'test') void app.callbackCalls.tick().catch((err: unknown) => app.log.error({ err }, 'callback calls tick'));
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
