import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';

type Directives = Record<string, string[]>;

/**
 * The web app's policy. Vite's build is one module script and stylesheet files from /assets, so scripts and styles
 * come from 'self' only (no 'unsafe-inline'; React's style props go through the CSSOM, which CSP allows). The icon
 * is a data: URI. upgrade-insecure-requests only behind TLS: on plain HTTP it would break every asset.
 */
export function appCspDirectives(tls: boolean, connect: readonly string[] = []): Directives {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    // `connect`: the SIP WebSocket of the desk's softphone when TELEPHONY=sip (issue #17 §2).
    'connect-src': ["'self'", ...connect],
    'font-src': ["'self'", 'data:'],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:'],
    // blob: for the call recording player (issue #17 §3): the WAV is fetched with its reason, then played from memory.
    'media-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    ...(tls ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * The API documentation (/docs): Swagger UI's bundle sets inline styles and shows its validator badge, so its
 * pages get a policy of their own with inline styles allowed (scripts stay 'self').
 */
export function docsCsp(tls: boolean): string {
  return cspString({
    ...appCspDirectives(tls),
    'frame-ancestors': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'https://validator.swagger.io'],
  });
}

function cspString(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/**
 * The security headers of every answer — the set helmet sends by default, with our CSP: nosniff, no referrer,
 * frame denial, cross-origin isolation of resources; HSTS only when the app is behind TLS (COOKIE_SECURE), since on
 * plain HTTP it would be ignored at best and lock users out at worst. Computed once: @fastify/helmet builds them per
 * request through its middleware chain, which cost about 30 % of case-recording throughput for headers that never
 * change. /docs pages get their own CSP from @fastify/swagger-ui's staticCSP (docsCsp above), which replaces ours.
 */
export function securityHeaders(tls: boolean, connect: readonly string[] = []): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': cspString(appCspDirectives(tls, connect)),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
    ...(tls ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  });
}

/**
 * The headers of JSON API answers (OWASP REST Security Cheat Sheet): nothing in them may be rendered, framed or
 * cached — they carry citizens' data — so a deny-all CSP, nosniff, DENY and no-store; HSTS behind TLS.
 */
export function apiSecurityHeaders(tls: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    ...(tls ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  });
}

export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const page = securityHeaders(config.cookieSecure, config.sip ? [config.sip.wsUrl] : []);
  const api = apiSecurityHeaders(config.cookieSecure);
  app.addHook('onRequest', async (request, reply) => {
    // By the pattern of the route chosen (not the request's spelling of the URL); the 404 handler sets its own.
    reply.headers(!request.is404 && request.routeOptions.url?.startsWith('/api/') ? api : page);
  });
}
