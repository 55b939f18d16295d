import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBodySchema } from '../../../core/contracts/common';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { SipTelephony } from '../../ports/telephony/sip.adapter';
import type { AcdService } from '../acd/acd.service';
import { dialSipCallback, receiveSipEvent, routeSipCall, SipEventSchema } from './sip-intake.service';
import { currentUser } from '../../http/access';
import { issueSipCredentials, loginOfSipUsername, sipPassword } from '../../ports/telephony/sip/credentials';
import { assertKamailio } from './kamailio-guard';

export const SoftphoneCredentialsSchema = z.object({
  wsUrl: z.string(),
  sipDomain: z.string(),
  aor: z.string(),
  authorizationUsername: z.string(),
  password: z.string(),
  expiresAt: z.string(),
  iceServers: z.array(z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() })),
});

const SOFTPHONE_ROLES = ['agent', 'official', 'supervisor'] as const;

/** The browser softphone's credentials and Kamailio's auth check (docs/TELEPHONY-SIP.md). */
export function softphoneRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/softphone/credentials',
      {
        config: { access: SOFTPHONE_ROLES },
        schema: {
          tags: ['telephony'],
          summary: 'Short-lived SIP credentials for the browser softphone (404 SOFTPHONE_DISABLED unless TELEPHONY=sip)',
          response: { 200: SoftphoneCredentialsSchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema },
        },
      },
      async (request, reply) => {
        const sip = deps.config.sip;
        if (!sip) throw new AppError('SOFTPHONE_DISABLED', '이 센터는 브라우저 전화(SIP)를 사용하지 않습니다.');
        const user = currentUser(request);
        const creds = issueSipCredentials(sip.sharedSecret, user.login, deps.clock.now().getTime(), sip.credentialTtlSeconds);
        void reply.header('cache-control', 'no-store');
        return { wsUrl: sip.wsUrl, sipDomain: sip.domain, aor: `sip:${user.login}@${sip.domain}`, ...creds, iceServers: [] };
      },
    );
  };
}

/** The routes only Kamailio calls (TELEPHONY=sip): auth check, route service, call and registration events. */
export function kamailioRoutes(deps: AppDeps, acd: AcdService, sip: SipTelephony): FastifyPluginAsyncZod {
  return async (app) => {
    // Kamailio's http_client posts JSON under its own content type: in this scope every body is read as JSON.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('VALIDATION_FAILED', 'JSON 형식이 아닙니다.'), undefined);
      }
    });
    // The route service: Kamailio asks for every call to the centre (synchronously: answer in a few ms).
    app.get(
      '/api/telephony/sip/route',
      {
        config: { access: 'public' },
        schema: {
          tags: ['telephony'],
          summary: 'Kamailio only: where a new call goes (the ACD decides; the caller then waits ringing for the offer)',
          querystring: z.object({
            callid: z.string().min(1).max(128),
            caller: z.string().max(64).default(''),
            callee: z.string().min(1).max(32),
            /** The caller's From tag and SDP offer (base64): early media while in line or outside hours, as over evapi. */
            fromtag: z.string().min(1).max(128).optional(),
            sdp: z.string().max(16_384).regex(/^[A-Za-z0-9+/=]*$/).optional(),
          }),
        },
      },
      async (request) => {
        assertKamailio(request, deps.config.sip);
        const { fromtag, sdp, ...q } = request.query;
        const media = fromtag && sdp ? { fromTag: fromtag, sdp: Buffer.from(sdp, 'base64').toString('utf8') } : undefined;
        return routeSipCall(deps, acd, sip, { ...q, ...(media ? { media } : {}) });
      },
    );

    // An agent's phone dialled the callback code: the number of the agent's callback at the trunk, or a refusal.
    app.get(
      '/api/telephony/sip/dial',
      {
        config: { access: 'public' },
        schema: {
          tags: ['telephony'],
          summary: "Kamailio only: where an agent's call to the callback code goes (the citizen of the callback the ACD offered that agent)",
          querystring: z.object({ callid: z.string().min(1).max(128), agent: z.string().min(1).max(64) }),
        },
      },
      async (request) => {
        assertKamailio(request, deps.config.sip);
        return dialSipCallback(acd, sip, request.query);
      },
    );

    app.post(
      '/api/telephony/sip/events',
      {
        // No session and no CSRF header: the shared secret from loopback is the authentication (assertKamailio).
        config: { access: 'public', signedWebhook: true },
        schema: { tags: ['telephony'], summary: 'Kamailio only: dialog and registration events', body: SipEventSchema },
      },
      async (request) => {
        assertKamailio(request, deps.config.sip);
        return receiveSipEvent(deps, acd, sip, request.body);
      },
    );

    // Kamailio's digest check: the expected password of an unexpired username of an active softphone user, as text.
    app.get(
      '/api/telephony/sip/auth',
      {
        config: { access: 'public' },
        schema: { tags: ['telephony'], summary: 'Kamailio only: expected password of an ephemeral SIP username', querystring: z.object({ username: z.string().max(100) }) },
      },
      async (request, reply) => {
        const sip = assertKamailio(request, deps.config.sip);
        const login = loginOfSipUsername(request.query.username, deps.clock.now().getTime());
        const user = login
          ? await deps.db.selectFrom('users').select(['role', 'is_active']).where('login', '=', login).executeTakeFirst()
          : undefined;
        if (!user || user.is_active !== 1 || !(SOFTPHONE_ROLES as readonly string[]).includes(user.role)) {
          throw new AppError('FORBIDDEN', '알 수 없거나 만료된 SIP 사용자입니다.');
        }
        return reply.type('text/plain').send(sipPassword(sip.sharedSecret, request.query.username));
      },
    );
  };
}
