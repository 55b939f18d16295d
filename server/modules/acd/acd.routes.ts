import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type AgentDeskState,
  AcdAnsweredSchema,
  AgentDeskStateSchema,
  AgentSkillsBodySchema,
  AgentSkillsSchema,
  AgentStateChangeBodySchema,
  BusinessHoursSchema,
  ClosedDaySchema,
  QueueInputSchema,
  QueueSchema,
  SimulateIncomingCallBodySchema,
  SimulatedCallResultSchema,
  TransferBodySchema,
  WAITING_PAGE_MAX,
  WaitingPageSchema,
  WaitingQuerySchema,
  WallboardSnapshotSchema,
} from '../../../core/contracts/acd';
import { IdSchema } from '../../../core/contracts/common';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import { viewerOf } from '../privacy/access-context';
import {
  addClosedDay,
  createQueue,
  getAgentSkills,
  getBusinessHours,
  listClosedDayViews,
  listQueueViews,
  removeClosedDay,
  setAgentSkills,
  setBusinessHours,
  updateQueueById,
} from './acd-admin.service';
import type { AcdService } from './acd.service';

/** Who takes calls at the desk. Supervisors may take calls too. */
const DESK = ['agent', 'supervisor'] as const;
const WATCH = ['supervisor', 'admin'] as const;
const ADMIN = ['admin'] as const;
const ContactParams = z.object({ id: IdSchema });

/** REST of the ACD (issue #4): the agent desk's state and call controls, the wallboard, admin CRUD-lite. */
export function acdRoutes(deps: AppDeps, acd: AcdService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['acd'];

    app.get(
      '/api/acd/me',
      { config: { access: DESK }, schema: { tags, summary: "The agent's desk state (status, timer, offer, call)", response: { 200: AgentDeskStateSchema } } },
      async (request) => {
        const user = currentUser(request);
        await acd.ensureAgent(user.id);
        return acd.deskState(user.id);
      },
    );

    app.post(
      '/api/acd/agent/state',
      { config: { access: DESK }, schema: { tags, summary: 'Available / not ready (reason) / logged out', body: AgentStateChangeBodySchema, response: { 200: AgentDeskStateSchema } } },
      async (request) => acd.setAgentState(currentUser(request).id, request.body),
    );

    app.post(
      '/api/acd/agent/wrap-up/end',
      { config: { access: DESK }, schema: { tags, summary: 'End after-call work now', response: { 200: AgentDeskStateSchema } } },
      async (request) => acd.endWrapUp(currentUser(request).id),
    );

    app.post(
      '/api/acd/agent/wrap-up/extend',
      { config: { access: DESK }, schema: { tags, summary: 'Extend after-call work', response: { 200: AgentDeskStateSchema } } },
      async (request) => acd.extendWrapUp(currentUser(request).id),
    );

    app.get(
      '/api/acd/contacts/:id/connected',
      {
        config: { access: DESK },
        schema: { tags, summary: 'The live call again (after a reload of the desk): the interaction and the caller card', params: ContactParams, response: { 200: AcdAnsweredSchema } },
      },
      async (request) => acd.connectedCall(currentUser(request).id, request.params.id, viewerOf(request)),
    );

    app.post(
      '/api/acd/contacts/:id/answer',
      { config: { access: DESK }, schema: { tags, summary: 'Accept the offer: connected, with the caller card', params: ContactParams, response: { 200: AcdAnsweredSchema } } },
      async (request) => acd.answer(currentUser(request).id, request.params.id, viewerOf(request)),
    );

    const action = (path: string, summary: string, run: (agentId: string, contactId: string) => Promise<AgentDeskState>) =>
      app.post(
        `/api/acd/contacts/:id/${path}`,
        { config: { access: DESK }, schema: { tags, summary, params: ContactParams, response: { 200: AgentDeskStateSchema } } },
        async (request) => run(currentUser(request).id, request.params.id),
      );
    action('reject', 'Reject the offer (counts as missed)', (a, c) => acd.reject(a, c));
    action('hold', 'Put the caller on hold', (a, c) => acd.hold(a, c));
    action('resume', 'Take the caller off hold', (a, c) => acd.resume(a, c));
    action('end', 'Hang up: after-call work starts', (a, c) => acd.hangUp(a, c));
    action('transfer/complete', 'Complete a consultative transfer', (a, c) => acd.completeTransfer(a, c));
    action('transfer/cancel', 'Cancel a consultative transfer (back to the caller)', (a, c) => acd.cancelTransfer(a, c));

    app.post(
      '/api/acd/contacts/:id/transfer',
      {
        config: { access: DESK },
        schema: {
          tags,
          summary: "Blind or consultative transfer to the directory's targets (GET /api/directory/transfer-targets); any other 422 TRANSFER_TARGET_UNKNOWN",
          params: ContactParams,
          body: TransferBodySchema,
          response: { 200: AgentDeskStateSchema },
        },
      },
      async (request) => {
        // 호 전환 goes to an official's extension or a department's number of the directory, never free text (issue #11 §3).
        const target = await app.directory.resolveTransferTarget(request.body.target);
        return acd.transfer(currentUser(request).id, request.params.id, { ...request.body, target });
      },
    );

    app.post(
      '/api/acd/simulate-call',
      {
        config: { access: DESK },
        schema: {
          tags,
          summary: 'A simulated incoming call through the ACD (queued, then offered to the agent routing picks)',
          body: SimulateIncomingCallBodySchema,
          response: { 201: SimulatedCallResultSchema },
        },
      },
      async (request, reply) => {
        const { callId, result } = await acd.simulator.placeCall(request.body);
        const d = result.decision;
        const position = d?.announcement?.kind === 'position' ? d.announcement : null;
        return reply.status(201).send({
          callId,
          contactId: d?.contactId ?? null,
          outcome: d?.action === 'closed' ? 'closed' : d?.action === 'reject' || !d ? 'rejected' : 'queued',
          queueId: d?.queueId ?? null,
          position: position?.position ?? null,
          estimatedWaitSeconds: position?.estimatedWaitSeconds ?? null,
          offeredTo: d?.action === 'agent' ? d.agentId : null,
        });
      },
    );

    app.post(
      '/api/acd/contacts/:id/conference',
      {
        config: { access: DESK },
        schema: { tags, summary: 'Three-way call with a target (the agent stays on the call)', params: ContactParams, body: TransferBodySchema.pick({ target: true }), response: { 200: AgentDeskStateSchema } },
      },
      async (request) => acd.conference(currentUser(request).id, request.params.id, request.body.target),
    );

    app.get(
      '/api/acd/wallboard',
      { config: { access: WATCH, display: true }, schema: { tags, summary: 'Wallboard snapshot', response: { 200: WallboardSnapshotSchema } } },
      async () => acd.wallboard(),
    );

    app.get(
      '/api/acd/waiting',
      {
        config: { access: WATCH },
        schema: { tags, summary: `Calls and callbacks in line, in line order, a page at a time (limit ≤ ${WAITING_PAGE_MAX}, offset) with the total`, querystring: WaitingQuerySchema, response: { 200: WaitingPageSchema } },
      },
      async (request) => {
        const { limit, offset } = request.query;
        return { ...acd.waitingPage(offset, limit), limit, offset };
      },
    );

    app.post(
      '/api/acd/agents/:id/state',
      {
        config: { access: ['supervisor'] },
        schema: { tags, summary: "A supervisor sets an agent's state (e.g. resets an auto-paused agent)", params: ContactParams, body: AgentStateChangeBodySchema, response: { 200: AgentDeskStateSchema } },
      },
      async (request) => acd.setAgentState(request.params.id, request.body, 'supervisor'),
    );

    app.get('/api/acd/queues', { config: { access: WATCH }, schema: { tags, response: { 200: z.array(QueueSchema) } } }, async () => listQueueViews(deps));
    app.post(
      '/api/acd/queues',
      { config: { access: ADMIN }, schema: { tags, body: QueueInputSchema, response: { 201: QueueSchema } } },
      async (request, reply) => reply.status(201).send(await createQueue(deps, acd, request.body)),
    );
    app.put(
      '/api/acd/queues/:id',
      { config: { access: ADMIN }, schema: { tags, params: ContactParams, body: QueueInputSchema, response: { 200: QueueSchema } } },
      async (request) => updateQueueById(deps, acd, request.params.id, request.body),
    );

    app.get(
      '/api/acd/agents/:id/skills',
      { config: { access: WATCH }, schema: { tags, params: ContactParams, response: { 200: AgentSkillsSchema } } },
      async (request) => getAgentSkills(deps, request.params.id),
    );
    app.put(
      '/api/acd/agents/:id/skills',
      { config: { access: ADMIN }, schema: { tags, params: ContactParams, body: AgentSkillsBodySchema, response: { 200: AgentSkillsSchema } } },
      async (request) => setAgentSkills(deps, acd, request.params.id, request.body.skills),
    );

    app.get('/api/acd/business-hours', { config: { access: WATCH }, schema: { tags, response: { 200: BusinessHoursSchema } } }, async () => getBusinessHours(deps));
    app.put(
      '/api/acd/business-hours',
      { config: { access: ADMIN }, schema: { tags, body: BusinessHoursSchema, response: { 200: BusinessHoursSchema } } },
      async (request) => setBusinessHours(deps, acd, request.body),
    );

    app.get('/api/acd/closed-days', { config: { access: WATCH }, schema: { tags, response: { 200: z.array(ClosedDaySchema) } } }, async () => listClosedDayViews(deps));
    app.post(
      '/api/acd/closed-days',
      { config: { access: ADMIN }, schema: { tags, body: ClosedDaySchema, response: { 201: z.array(ClosedDaySchema) } } },
      async (request, reply) => reply.status(201).send(await addClosedDay(deps, acd, request.body, currentUser(request).id)),
    );
    app.delete(
      '/api/acd/closed-days/:day',
      { config: { access: ADMIN }, schema: { tags, params: z.object({ day: ClosedDaySchema.shape.day }), response: { 200: z.array(ClosedDaySchema) } } },
      async (request) => removeClosedDay(deps, acd, request.params.day),
    );
  };
}
