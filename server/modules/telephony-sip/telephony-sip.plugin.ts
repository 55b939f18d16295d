import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import { SipTelephony, type AgentDirectory } from '../../ports/telephony/sip.adapter';
import { WebhookTelephony } from '../../ports/telephony/webhook.adapter';
import type { ServerAcdOptions } from '../acd/acd.plugin';
import { RecordingService } from '../recordings/recordings.service';
import { recordingRoutes } from '../recordings/recordings.routes';
import { importFallbackCallbacks } from './fallback-callbacks';
import { KamailioEvapi } from './kamailio-evapi';
import { receiveEvapiMessage } from './sip-intake.service';
import { kamailioRoutes, softphoneRoutes } from './telephony-sip.routes';

const adapters = new WeakMap<AppDeps, SipTelephony>();

/** Agents' SIP names are their logins; a small cache (logins do not change while a call rings). */
function agentDirectory(deps: AppDeps): AgentDirectory {
  const logins = new Map<string, string>();
  const ids = new Map<string, string>();
  return {
    async loginOf(agentId) {
      const cached = logins.get(agentId);
      if (cached) return cached;
      const row = await deps.db.selectFrom('users').select('login').where('id', '=', agentId).executeTakeFirst();
      if (row) logins.set(agentId, row.login);
      return row?.login ?? null;
    },
    async idOf(login) {
      const cached = ids.get(login);
      if (cached) return cached;
      const row = await deps.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirst();
      if (row) ids.set(login, row.id);
      return row?.id ?? null;
    },
  };
}

/** Runs tasks of the same key one after the other (tasks of different keys run side by side). */
function keyedQueue(): (key: string, task: () => Promise<void>) => void {
  const tails = new Map<string, Promise<void>>();
  return (key, task) => {
    const next = (tails.get(key) ?? Promise.resolve()).then(task);
    tails.set(key, next);
    void next.then(() => {
      if (tails.get(key) === next) tails.delete(key);
    });
  };
}

/**
 * The ACD's options with the SIP adapter added when TELEPHONY=sip (the webhook adapter kept when configured).
 * Without sip the options pass through unchanged: the simulator stays the default.
 */
export function withSipAdapter(deps: AppDeps, options: ServerAcdOptions | undefined): ServerAcdOptions | undefined {
  const sipConfig = deps.config.sip;
  if (!sipConfig || options?.adapters) return options;
  const sip = new SipTelephony(sipConfig, agentDirectory(deps), () => deps.clock.now().getTime(), console);
  adapters.set(deps, sip);
  const { webhookSecret, pbxUrl } = deps.config.telephony;
  const webhook = webhookSecret ? [new WebhookTelephony({ secret: webhookSecret, pbxUrl }, deps.clock)] : [];
  return { ...options, adapters: [...webhook, sip] };
}

/** Softphone credentials (always registered: 404 SOFTPHONE_DISABLED without sip) and, with sip, Kamailio's routes. */
export async function registerTelephonySip(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(softphoneRoutes(deps));
  // Recordings stay listed and playable (with a reason) whatever TELEPHONY says now.
  await app.register(recordingRoutes(deps));
  const sip = adapters.get(deps);
  if (!deps.config.sip || !sip) return;
  sip.setLogger(app.log);
  const recorder = new RecordingService(deps, deps.config.sip.recording, sip.rtpengine, app.log);
  sip.recorder = recorder;
  if (recorder.enabled) {
    // Recordings rtpengine finished while OneCall was down, or whose `ended` never came, are sealed by the sweep.
    const sweep = () => void recorder.sweep().catch((err: unknown) => app.log.error({ err }, 'recording: sweep failed'));
    const timer = setInterval(sweep, 60_000);
    timer.unref();
    app.addHook('onReady', async () => sweep());
    app.addHook('onClose', async () => clearInterval(timer));
  }
  // An offer to an agent whose phone is not registered: reconciliation pauses the agent (device lost) and withdraws it.
  sip.onUnregisteredOffer = () => void app.acd.reconcile().catch((err: unknown) => app.log.error({ err }, 'sip: reconcile failed'));
  // A caller of a closed centre who stayed on the line after the hours asked for a callback at the next opening.
  sip.onClosedCallback = async (callId, number) => {
    await app.acd.handleTelephonyEvent('sip', { type: 'callback_requested', eventId: `sip-closed-callback-${callId}`, callId, at: deps.clock.now().toISOString(), callbackNumber: number });
  };
  // Callers waiting in line with early media hear their position again when it changes (every 20 s at most).
  sip.positionOf = (callId) => {
    const contactId = app.acd.contactIdOf('sip', callId);
    return contactId ? app.acd.positionOf(contactId) : null;
  };
  const positions = setInterval(() => void sip.refreshWaiting().catch((err: unknown) => app.log.warn({ err }, 'sip: waiting positions not refreshed')), 20_000);
  positions.unref();
  app.addHook('onClose', async () => clearInterval(positions));
  // Callers the fallback announcement took while OneCall did not answer, who asked to be called back.
  const spool = deps.config.sip.fallbackSpoolDir;
  const importCallbacks = () => void importFallbackCallbacks(spool, app.acd, app.log).catch((err: unknown) => app.log.error({ err }, 'sip fallback: callbacks not imported'));
  const callbacks = setInterval(importCallbacks, 30_000);
  callbacks.unref();
  app.addHook('onReady', async () => importCallbacks());
  app.addHook('onClose', async () => clearInterval(callbacks));
  await sip.loadRegistrations();
  await app.register(kamailioRoutes(deps, app.acd, sip));
  app.decorate('sip', sip);
  app.addHook('onClose', async () => sip.close());
  // Route requests, call events and resumes on one evapi connection (no Kamailio worker waits for OneCall); the HTTP
  // routes above stay for when it is down.
  const evapiAddress = deps.config.sip.kamailioEvapi;
  if (evapiAddress) {
    const acd = app.acd;
    // One call's messages in the order Kamailio sent them (held then resumed; route then abandoned): over HTTP Kamailio
    // waited for each answer, here the next one is taken only when the previous one of that call is done.
    const inOrder = keyedQueue();
    const evapi: KamailioEvapi = new KamailioEvapi(
      evapiAddress,
      deps.config.sip.sharedSecret,
      (message) =>
        inOrder(String(message['callId'] ?? message['aor'] ?? ''), () =>
          receiveEvapiMessage(deps, acd, sip, (m) => evapi.send(m), message, app.log).catch((err: unknown) => app.log.error({ err }, 'sip: evapi message failed')),
        ),
      app.log,
    );
    sip.kamailio.resumeChannel = (command) => (evapi.isReady ? evapi.resume(command) : null);
    evapi.start();
    app.decorate('sipEvapi', evapi);
    app.addHook('onClose', async () => evapi.close());
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The SIP adapter when TELEPHONY=sip (issue #17). */
    sip?: SipTelephony;
    /** OneCall's evapi connection to Kamailio when TELEPHONY=sip and SIP_KAMAILIO_EVAPI is set. */
    sipEvapi?: KamailioEvapi;
  }
}
