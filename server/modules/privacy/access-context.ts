import type { FastifyRequest } from 'fastify';
import type { AccessAction } from '../../../core/contracts/privacy';
import { currentUser, type SessionUser } from '../../http/access';
import type { AccessRecordInput } from './access-records.repository';

/** The signed-in user of a request and where the request came from: what an access record needs (제8조). */
export type Viewer = SessionUser & { ip: string | null };

/** The viewer of a request (its access rule already guaranteed a user). request.ip honours TRUST_PROXY. */
export function viewerOf(request: FastifyRequest): Viewer {
  return { ...currentUser(request), ip: request.ip ?? null };
}

/** One access record of a use case: who (the viewer), when, what action on whose data. */
export function accessBy(
  viewer: Viewer,
  at: string,
  action: AccessAction,
  subjects: readonly (string | null)[],
  target: string,
  recordCount: number,
  extra: { reason?: string | null; result?: 'success' | 'denied' } = {},
): AccessRecordInput {
  return { at, userId: viewer.id, userLogin: viewer.login, role: viewer.role, ip: viewer.ip, action, subjects, target, recordCount, ...extra };
}
