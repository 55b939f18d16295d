import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AgentDeskStateSchema } from '../../../core/contracts/acd';
import { IdSchema } from '../../../core/contracts/common';
import {
  CallProtectionSchema,
  CallerFlagSchema,
  ClearFlagBodySchema,
  CorrectIncidentBodySchema,
  EndAbusiveCallBodySchema,
  EndAbusiveCallResultSchema,
  EvidenceExportBodySchema,
  ExtendRecoveryBodySchema,
  FileRequestBodySchema,
  FlagCallerBodySchema,
  IncidentDetailSchema,
  IncidentListQuerySchema,
  IncidentSchema,
  ProtectionRequestSchema,
  ProtectionSettingsSchema,
  ProtectionSettingsViewSchema,
  PutQueueNoticeBodySchema,
  QueueNoticeSchema,
  ReportIncidentBodySchema,
  UpdateRequestBodySchema,
  WarnBodySchema,
  WellbeingQuerySchema,
  WellbeingSchema,
} from '../../../core/contracts/protection';
import { viewerOf } from '../privacy/access-context';
import type { ProtectionService } from './protection.service';

const DESK = ['agent', 'supervisor'] as const;
const AGENT_OR_WATCH = ['agent', 'supervisor', 'admin'] as const;
const WATCH = ['supervisor', 'admin'] as const;
const ADMIN = ['admin'] as const;
const params = z.object({ id: IdSchema });
const tags = ['protection'];

/** 감정노동 보호 (issue #14): the desk's protection control, incidents, 회복, requests, caller flags, notices. */
export function protectionRoutes(protection: ProtectionService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/protection/settings',
      { config: { access: AGENT_OR_WATCH }, schema: { tags, summary: 'The protocol settings (warning texts, limits, 회복 minutes)', response: { 200: ProtectionSettingsViewSchema } } },
      async () => protection.getSettings(),
    );
    app.put(
      '/api/protection/settings',
      { config: { access: ADMIN }, schema: { tags, body: ProtectionSettingsSchema, response: { 200: ProtectionSettingsViewSchema } } },
      async (request) => protection.saveSettings(viewerOf(request), request.body),
    );

    app.get(
      '/api/protection/calls/:id',
      { config: { access: DESK }, schema: { tags, summary: "Warnings given on one of the agent's calls", params, response: { 200: CallProtectionSchema } } },
      async (request) => protection.callProtection(viewerOf(request), request.params.id),
    );
    app.post(
      '/api/protection/calls/:id/warnings',
      { config: { access: DESK }, schema: { tags, summary: '경고: play the next warning of the type to the caller', params, body: WarnBodySchema, response: { 200: CallProtectionSchema } } },
      async (request) => protection.warn(viewerOf(request), request.params.id, request.body.type),
    );
    app.post(
      '/api/protection/calls/:id/end',
      {
        config: { access: DESK },
        schema: { tags, summary: '종료 / 긴급종료: termination notice, hang-up, incident, 회복', params, body: EndAbusiveCallBodySchema, response: { 200: EndAbusiveCallResultSchema } },
      },
      async (request) => protection.endCall(viewerOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/protection/incidents',
      { config: { access: AGENT_OR_WATCH }, schema: { tags, summary: 'Incidents (agents: their own)', querystring: IncidentListQuerySchema, response: { 200: z.object({ items: z.array(IncidentSchema) }) } } },
      async (request) => ({ items: await protection.listIncidents(viewerOf(request), request.query) }),
    );
    app.post(
      '/api/protection/incidents',
      { config: { access: DESK }, schema: { tags, summary: 'Report an incident after the call', body: ReportIncidentBodySchema, response: { 201: IncidentSchema } } },
      async (request, reply) => reply.status(201).send(await protection.reportIncident(viewerOf(request), request.body)),
    );
    app.get(
      '/api/protection/incidents/:id',
      { config: { access: AGENT_OR_WATCH }, schema: { tags, params, response: { 200: IncidentDetailSchema } } },
      async (request) => protection.incidentDetail(viewerOf(request), request.params.id),
    );
    app.post(
      '/api/protection/incidents/:id/corrections',
      { config: { access: AGENT_OR_WATCH }, schema: { tags, summary: 'A correction: a new version (append-only)', params, body: CorrectIncidentBodySchema, response: { 200: IncidentDetailSchema } } },
      async (request) => protection.correctIncident(viewerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/protection/incidents/:id/evidence',
      {
        config: { access: WATCH },
        schema: { tags, summary: '증거 자료 (ZIP: JSON, HTML page, notes, recording reference) with a reason, recorded as a download', params, body: EvidenceExportBodySchema, response: { 200: z.any().describe('application/zip') } },
      },
      async (request, reply) => {
        const file = await protection.exportEvidence(viewerOf(request), request.params.id, request.body);
        return reply.header('content-type', 'application/zip').header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
      },
    );

    app.post(
      '/api/protection/agents/:id/recovery/extend',
      { config: { access: WATCH }, schema: { tags, summary: '회복 연장 (supervisor)', params, body: ExtendRecoveryBodySchema, response: { 200: AgentDeskStateSchema } } },
      async (request) => protection.extendRecovery(viewerOf(request), request.params.id, request.body.minutes, request.body.reason),
    );

    app.get(
      '/api/protection/requests',
      { config: { access: AGENT_OR_WATCH }, schema: { tags, summary: '심리상담 / off the phones / 고소·고발 지원 requests', response: { 200: z.object({ items: z.array(ProtectionRequestSchema) }) } } },
      async (request) => ({ items: await protection.listRequests(viewerOf(request)) }),
    );
    app.post(
      '/api/protection/requests',
      { config: { access: DESK }, schema: { tags, body: FileRequestBodySchema, response: { 201: ProtectionRequestSchema } } },
      async (request, reply) => reply.status(201).send(await protection.fileRequest(viewerOf(request), request.body)),
    );
    app.post(
      '/api/protection/requests/:id/status',
      { config: { access: WATCH }, schema: { tags, params, body: UpdateRequestBodySchema, response: { 200: ProtectionRequestSchema } } },
      async (request) => protection.updateRequest(viewerOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/protection/wellbeing',
      {
        config: { access: AGENT_OR_WATCH },
        schema: { tags, summary: '상담사 건강: incidents, 회복, counselling, talk time, occupancy per agent (agents: their own)', querystring: WellbeingQuerySchema, response: { 200: WellbeingSchema } },
      },
      async (request) => protection.wellbeing(viewerOf(request), request.query),
    );

    app.get(
      '/api/protection/flags',
      { config: { access: WATCH }, schema: { tags, summary: 'Repeat-caller flags (no numbers: blind index only)', response: { 200: z.object({ items: z.array(CallerFlagSchema) }) } } },
      async () => ({ items: await protection.listFlags() }),
    );
    app.post(
      '/api/protection/flags',
      { config: { access: WATCH }, schema: { tags, body: FlagCallerBodySchema, response: { 201: CallerFlagSchema } } },
      async (request, reply) => reply.status(201).send(await protection.flagCaller(viewerOf(request), request.body)),
    );
    app.post(
      '/api/protection/flags/:id/clear',
      { config: { access: WATCH }, schema: { tags, params, body: ClearFlagBodySchema, response: { 200: CallerFlagSchema } } },
      async (request) => protection.clearFlag(viewerOf(request), request.params.id, request.body.reason),
    );

    app.get(
      '/api/protection/queue-notices',
      { config: { access: WATCH }, schema: { tags, summary: 'The notice each queue plays on entry', response: { 200: z.object({ items: z.array(QueueNoticeSchema) }) } } },
      async () => ({ items: await protection.queueNotices() }),
    );
    app.put(
      '/api/protection/queue-notices/:id',
      { config: { access: ADMIN }, schema: { tags, params, body: PutQueueNoticeBodySchema, response: { 200: QueueNoticeSchema } } },
      async (request) => protection.saveQueueNotice(viewerOf(request), request.params.id, request.body),
    );
  };
}
