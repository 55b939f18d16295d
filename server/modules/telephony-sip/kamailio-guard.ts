import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../core/errors';
import type { SipConfig } from '../../config';

export const SIP_SECRET_HEADER = 'x-onecall-sip-secret';

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');
}

/**
 * Only Kamailio may ask the route service, the auth check and the event intake: the shared secret in
 * X-OneCall-Sip-Secret (constant-time compare) from loopback or an address in SIP_ROUTE_ALLOW. Anyone else: 403.
 */
export function assertKamailio(request: FastifyRequest, sip: SipConfig | null): SipConfig {
  if (!sip) throw new AppError('SOFTPHONE_DISABLED', 'SIP 전화가 설정되어 있지 않습니다.');
  const ip = request.socket.remoteAddress ?? '';
  const fromAllowed = isLoopback(ip) || sip.routeAllow.includes(ip.replace(/^::ffff:/, ''));
  const given = request.headers[SIP_SECRET_HEADER];
  const a = Buffer.from(typeof given === 'string' ? given : '');
  const b = Buffer.from(sip.sharedSecret);
  const secretOk = a.length === b.length && crypto.timingSafeEqual(a, b);
  if (!fromAllowed || !secretOk) throw new AppError('FORBIDDEN', 'SIP 프록시만 호출할 수 있습니다.');
  return sip;
}
