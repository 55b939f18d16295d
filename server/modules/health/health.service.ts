import { pingDatabase } from '../../db/database';
import type { AppDeps } from '../../deps';

export type Health = { status: 'ok' | 'degraded'; database: { dialect: 'sqlite' | 'postgres'; ok: boolean }; time: string };

/** Liveness and database reachability, for load balancers and operators. */
export async function checkHealth(deps: AppDeps): Promise<Health> {
  const ok = await pingDatabase(deps.db);
  return { status: ok ? 'ok' : 'degraded', database: { dialect: deps.dialect, ok }, time: deps.clock.now().toISOString() };
}
