import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import {
  AnswersBodySchema,
  CallerConsentSchema,
  CallerOptOutBodySchema,
  ConsentBodySchema,
  FollowUpSchema,
  HappyCallListSchema,
  HappyCallOutcomeBodySchema,
  HappyCallOutcomeSchema,
  HappyCallSheetSchema,
  OptOutBodySchema,
  PollBodySchema,
  PollSchema,
  PublicSurveySchema,
  ResultsQuerySchema,
  ResultsSchema,
  SurveySettingsSchema,
  TemplateBodySchema,
  TemplateSchema,
} from '../../../core/contracts/surveys';
import { normalizePhone } from '../../../core/domain/phone';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import * as happyCalls from './happy-calls.service';
import * as service from './surveys.service';

const WATCH = ['supervisor', 'admin'] as const;
const TokenParams = z.object({ token: z.string().max(100) });
const IdParams = z.object({ id: IdSchema });

/** Public pages: per client address, so one respondent cannot hammer the server (the sign-in's answer shape). */
const publicRate = {
  max: 60,
  timeWindow: 60_000,
  keyGenerator: (request: FastifyRequest) => `survey|${request.ip}`,
  errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) =>
    new AppError('RATE_LIMITED', `요청이 너무 많습니다. ${Math.ceil(context.ttl / 1000)}초 후에 다시 시도해 주십시오.`),
};

/** 만족도 조사·여론조사 (issue #15): supervisors' templates, settings, results and polls; the agent's consent; the public page. */
export function surveysRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/surveys/templates',
      { config: { access: [...WATCH] }, schema: { tags: ['surveys'], summary: '조사 양식: every version, newest first', response: { 200: z.array(TemplateSchema) } } },
      async () => service.listTemplates(deps),
    );
    app.post(
      '/api/surveys/templates',
      {
        config: { access: [...WATCH] },
        schema: { tags: ['surveys'], summary: '조사 양식 게시: the next version of its key (published versions never change)', body: TemplateBodySchema, response: { 201: TemplateSchema } },
      },
      async (request, reply) => reply.status(201).send(await service.publishTemplate(deps, viewerOf(request), request.body)),
    );
    app.get(
      '/api/surveys/settings',
      { config: { access: [...WATCH] }, schema: { tags: ['surveys'], summary: '조사 설정', response: { 200: SurveySettingsSchema } } },
      async () => {
        await service.ensureSurveyDefaults(deps.db, deps.clock.now().toISOString());
        return service.getSettings(deps.db);
      },
    );
    app.put(
      '/api/surveys/settings',
      { config: { access: [...WATCH] }, schema: { tags: ['surveys'], summary: '조사 설정 변경 (sampling, quiet period, timing)', body: SurveySettingsSchema, response: { 200: SurveySettingsSchema } } },
      async (request) => service.saveSettings(deps, viewerOf(request), request.body),
    );
    app.post(
      '/api/surveys/consents',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: { tags: ['surveys'], summary: "조사 동의: the caller of a case agrees (or not) to surveys and polls", body: ConsentBodySchema, response: { 200: z.object({ optedOut: z.boolean() }) } },
      },
      async (request) => service.recordConsent(deps, viewerOf(request), request.body),
    );
    app.get(
      '/api/surveys/consents',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: { tags: ['surveys'], summary: '조사 동의 as recorded for the caller of a case or call', querystring: CallerOptOutBodySchema, response: { 200: CallerConsentSchema } },
      },
      async (request) => service.getCallerConsent(deps, request.query),
    );
    app.post(
      '/api/surveys/caller-opt-outs',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: { tags: ['surveys'], summary: '수신 거부 for the caller of a case or call, for ever (the number is never typed)', body: CallerOptOutBodySchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await service.optOutCaller(deps, request.body);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/surveys/calls',
      { config: { access: ['agent', 'supervisor'] }, schema: { tags: ['surveys'], summary: '만족도 조사 전화: the happy calls owed now (count and list)', response: { 200: HappyCallListSchema } } },
      async (request) => happyCalls.listHappyCalls(deps, viewerOf(request)),
    );
    app.post(
      '/api/surveys/calls/:id/take',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: { tags: ['surveys'], summary: 'Take a happy call: the questionnaire (409 taken by another agent, 410 no longer owed)', params: IdParams, response: { 200: HappyCallSheetSchema } },
      },
      async (request) => happyCalls.takeHappyCall(deps, viewerOf(request), request.params.id),
    );
    app.post(
      '/api/surveys/calls/:id/answers',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: { tags: ['surveys'], summary: "The citizen's answers on the phone (same checks as the page)", params: IdParams, body: AnswersBodySchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await happyCalls.answerHappyCall(deps, viewerOf(request), request.params.id, request.body.answers);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/surveys/calls/:id/outcome',
      {
        config: { access: ['agent', 'supervisor'] },
        schema: { tags: ['surveys'], summary: '부재 (tried again, closed after the last try) or 거절 (closed)', params: IdParams, body: HappyCallOutcomeBodySchema, response: { 200: HappyCallOutcomeSchema } },
      },
      async (request) => happyCalls.recordHappyCallOutcome(deps, viewerOf(request), request.params.id, request.body.outcome),
    );
    app.post(
      '/api/surveys/opt-outs',
      { config: { access: ['agent', 'supervisor'] }, schema: { tags: ['surveys'], summary: '수신 거부 by number, for ever', body: OptOutBodySchema, response: { 204: z.null() } } },
      async (request, reply) => {
        await service.optOutByPhone(deps, normalizePhone(request.body.phone)!, 'phone');
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/surveys/results',
      { config: { access: [...WATCH] }, schema: { tags: ['surveys'], summary: '만족도 결과 by department, category, agent or period', querystring: ResultsQuerySchema, response: { 200: ResultsSchema } } },
      async (request) => service.getResults(deps, request.query.from, request.query.to, request.query.groupBy, request.query.departmentId),
    );
    app.get(
      '/api/surveys/follow-ups',
      { config: { access: [...WATCH] }, schema: { tags: ['surveys'], summary: '낮은 점수 후속 조치', response: { 200: z.array(FollowUpSchema) } } },
      async () => service.listFollowUps(deps),
    );
    app.post(
      '/api/surveys/follow-ups/:id/done',
      { config: { access: [...WATCH] }, schema: { tags: ['surveys'], summary: '후속 조치 완료', params: IdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await service.closeFollowUp(deps, viewerOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/surveys/polls',
      { config: { access: [...WATCH] }, schema: { tags: ['surveys'], summary: '정책 여론조사 with results', response: { 200: z.array(PollSchema) } } },
      async () => service.listPolls(deps),
    );
    app.post(
      '/api/surveys/polls',
      { config: { access: [...WATCH] }, schema: { tags: ['surveys'], summary: '여론조사 보내기 to the consented target group', body: PollBodySchema, response: { 201: PollSchema } } },
      async (request, reply) => reply.status(201).send(await service.createPoll(deps, viewerOf(request), request.body)),
    );

    app.get(
      '/api/public/surveys/:token',
      {
        config: { access: 'public', rateLimit: publicRate },
        schema: { tags: ['surveys'], summary: 'The public survey page: questions only (404 unknown link, 410 SURVEY_CLOSED used or expired)', params: TokenParams, response: { 200: PublicSurveySchema } },
      },
      async (request) => service.getPublicSurvey(deps, request.params.token),
    );
    app.post(
      '/api/public/surveys/:token/answers',
      {
        config: { access: 'public', rateLimit: publicRate },
        schema: { tags: ['surveys'], summary: 'Answer once (out-of-scale answers 400 VALIDATION_FAILED)', params: TokenParams, body: AnswersBodySchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await service.answerSurvey(deps, request.params.token, request.body.answers);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/public/surveys/:token/opt-out',
      { config: { access: 'public', rateLimit: publicRate }, schema: { tags: ['surveys'], summary: '수신 거부 from the page, for ever', params: TokenParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await service.optOutByToken(deps, request.params.token);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/public/polls/:id',
      { config: { access: 'public', rateLimit: publicRate }, schema: { tags: ['surveys'], summary: "A poll's public results (only when published)", params: IdParams, response: { 200: PollSchema } } },
      async (request) => service.getPublicPoll(deps, request.params.id),
    );
  };
}
