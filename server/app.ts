import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from './deps';
import { enforceAccessDeclarations, withDefaultAccess } from './http/access';
import { registerCsrfCheck } from './http/csrf';
import { registerErrorHandler } from './http/error-handler';
import { apiSecurityHeaders, docsCsp, registerSecurityHeaders } from './http/security-headers';
import { registerSessionAuth } from './http/session-plugin';
import { safeTextValidatorCompiler } from './http/validator';
import { authRoutes } from './modules/auth/auth.routes';
import { callsRoutes } from './modules/calls/calls.routes';
import { casesRoutes } from './modules/cases/cases.routes';
import { handOffsRoutes } from './modules/handoffs/handoffs.routes';
import { notificationsRoutes } from './modules/notifications/notifications.routes';
import { healthRoutes } from './modules/health/health.routes';
import { kbRoutes } from './modules/kb/kb.routes';
import { orgRoutes } from './modules/org/org.routes';
import { privacyRoutes } from './modules/privacy/privacy.routes';
import { registerAcd, type ServerAcdOptions } from './modules/acd/acd.plugin';
import { registerProtection } from './modules/protection/protection.plugin';
import { registerDirectory } from './modules/directory/directory.plugin';
import { securityRoutes } from './modules/auth/security.routes';
import { usersRoutes } from './modules/users/users.routes';
import { statisticsRoutes } from './modules/statistics/statistics.routes';
import { staffingRoutes } from './modules/staffing/staffing.routes';
import { connectorsRoutes } from './modules/connectors/connectors.routes';
import { registerHappyCallOffers } from './modules/surveys/happy-call-offers.plugin';
import { registerKeypadSurveys } from './modules/surveys/keypad-surveys.plugin';
import { surveysRoutes } from './modules/surveys/surveys.routes';
import { caseSystemRoutes } from './modules/connectors/case-system.routes';
import { registerTelephonySip, withSipAdapter } from './modules/telephony-sip/telephony-sip.plugin';

/** Officials reachable at any hour (DEPARTMENT_HOURS=always: the demo centre is open around the clock too). */
const AROUND_THE_CLOCK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' }));

/**
 * Requests are logged at debug (method, route pattern, status, time): at the default info level the console shows
 * start-up, warnings and errors, not every call of every desk. Failed requests keep Fastify's error line.
 */
class DebugRequestLogs extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
    else reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

export type BuildAppOptions = {
  /** Pino options, or false for no logging (tests). */
  logger?: boolean | Record<string, unknown>;
  /** Folder of the built web app (served with SPA fallback) when it exists. */
  webRoot?: string;
  /** ACD overrides (issue #4): e.g. a shared simulator or timers for a test. */
  acd?: ServerAcdOptions;
};

/** Builds the Fastify app from its dependencies, without listening (house style: test through inject()). */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new DebugRequestLogs(),
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  // The API speaks JSON only: any other body type is a 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(safeTextValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  enforceAccessDeclarations(app);

  registerSecurityHeaders(app, deps.config);
  // Rate limits are declared per route (config.rateLimit); nothing is limited by default.
  await app.register(fastifyRateLimit, { global: false });
  registerCsrfCheck(app);
  await app.register(fastifyCookie);
  registerSessionAuth(app, deps);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'OneCall API', description: '민원콜센터 OneCall HTTP API', version: '0.1.0' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'onecall_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // The API documentation is public; its plugin's routes take their rule from this scope.
  await withDefaultAccess(app, 'public', async (scope) => {
    await scope.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: docsCsp(deps.config.cookieSecure) });
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  await app.register(healthRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(usersRoutes(deps));
  await app.register(securityRoutes(deps));
  await app.register(orgRoutes(deps));
  await app.register(kbRoutes(deps));
  await app.register(callsRoutes(deps));
  await app.register(casesRoutes(deps));
  await app.register(handOffsRoutes(deps));
  await app.register(notificationsRoutes(deps));
  await app.register(privacyRoutes(deps));
  await app.register(statisticsRoutes(deps));
  await app.register(staffingRoutes(deps));
  await app.register(connectorsRoutes(deps));
  await app.register(surveysRoutes(deps));
  await app.register(caseSystemRoutes(deps));
  // The directory first: the ACD's warm transfers ask it for officials' presence.
  await registerDirectory(app, deps, deps.config.transfers.departmentHours === 'always' ? { departmentHours: AROUND_THE_CLOCK } : {});
  await registerAcd(app, deps, withSipAdapter(deps, options.acd));
  registerKeypadSurveys(app, deps);
  await registerHappyCallOffers(app, deps);
  await registerTelephonySip(app, deps);
  await registerProtection(app, deps);

  // The built web app is public (it holds no data; every /api route checks its own rule).
  const webRoot = options.webRoot;
  const indexHtml = webRoot ? readIndexHtml(webRoot) : undefined;
  if (webRoot && indexHtml !== undefined) {
    await withDefaultAccess(app, 'public', async (scope) => {
      await scope.register(fastifyStatic, { root: path.resolve(webRoot), wildcard: false });
    });
  }
  const notFoundApiHeaders = apiSecurityHeaders(deps.config.cookieSecure);
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/');
    if (isApi || request.method !== 'GET' || indexHtml === undefined) {
      if (isApi) reply.headers(notFoundApiHeaders);
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: '요청한 주소를 찾을 수 없습니다.' } });
    }
    // Single-page app: every other GET gets index.html and the client router takes over.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  });

  return app;
}

/** The web app's index.html, read once at start (a rebuilt web app comes with a restart), or undefined when not built. */
function readIndexHtml(webRoot: string): Buffer | undefined {
  const file = path.join(webRoot, 'index.html');
  return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
}
