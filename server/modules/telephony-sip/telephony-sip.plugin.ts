import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import type { ServerAcdOptions } from '../acd/acd.plugin';
import { kamailioRoutes, softphoneRoutes } from './telephony-sip.routes';

/**
 * The ACD's options with the SIP adapter added when TELEPHONY=sip (the webhook adapter kept when configured).
 * Without sip the options pass through unchanged: the simulator stays the default.
 */
export function withSipAdapter(_deps: AppDeps, options: ServerAcdOptions | undefined): ServerAcdOptions | undefined {
  return options;
}

/** Softphone credentials (always registered: 404 SOFTPHONE_DISABLED without sip) and, with sip, Kamailio's routes. */
export async function registerTelephonySip(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(softphoneRoutes(deps));
  if (deps.config.sip) await app.register(kamailioRoutes(deps));
}
