import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import {
  AnswerHandOffBodySchema,
  DelegateHandOffBodySchema,
  ExtendHandOffBodySchema,
  HandOffCountsSchema,
  HandOffItemSchema,
  HandOffListQuerySchema,
  HandOffListSchema,
  HandOffNoticeListSchema,
  HandOffOfficialsQuerySchema,
  HandOffOfficialsSchema,
  OverdueByDepartmentSchema,
  RerouteHandOffBodySchema,
  ReturnHandOffBodySchema,
} from '../../../core/contracts/handoffs';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import { presentHandOffItem } from '../privacy/citizen-data.presenter';
import {
  delegateHandOff,
  extendHandOff,
  listMyNotices,
  listOfficials,
  overdueByDepartment,
  readMyNotices,
  rerouteHandOff,
  returnHandOff,
  type LifecycleResult,
} from './handoff-lifecycle.service';
import { acknowledgeHandOff, answerHandOff, countHandOffs, getHandOff, listHandOffs } from './handoffs.service';

const INBOX_ROLES = ['official', 'supervisor', 'admin'] as const;
const ACT_ROLES = ['official', 'supervisor'] as const;
const OFFICIAL = ['official'] as const;
const SUPERVISOR = ['supervisor'] as const;
const params = z.object({ id: IdSchema });
const tags = ['handoffs'];

export function handOffsRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/handoffs',
      { config: { access: INBOX_ROLES }, schema: { tags: ['handoffs'], querystring: HandOffListQuerySchema, response: { 200: HandOffListSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return { items: (await listHandOffs(deps, viewer, request.query)).map((i) => presentHandOffItem(viewer.role, i)) };
      },
    );

    app.get(
      '/api/handoffs/counts',
      { config: { access: INBOX_ROLES }, schema: { tags: ['handoffs'], summary: '운영 현황: open, overdue and due-today counts', response: { 200: HandOffCountsSchema } } },
      async (request) => countHandOffs(deps, viewerOf(request)),
    );

    app.get(
      '/api/handoffs/overdue',
      { config: { access: ['supervisor', 'admin'] }, schema: { tags, summary: '기한 경과: overdue open hand-offs by department', response: { 200: OverdueByDepartmentSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        const result = await overdueByDepartment(deps, viewer);
        return { ...result, departments: result.departments.map((d) => ({ ...d, items: d.items.map((i) => presentHandOffItem(viewer.role, i)) })) };
      },
    );

    app.get(
      '/api/handoffs/officials',
      { config: { access: ACT_ROLES }, schema: { tags, summary: 'Officials a hand-off can go to (위임: own department; 재지정: the chosen one)', querystring: HandOffOfficialsQuerySchema, response: { 200: HandOffOfficialsSchema } } },
      async (request) => ({ items: await listOfficials(deps, viewerOf(request), request.query.departmentId) }),
    );

    app.get(
      '/api/handoffs/notices',
      { config: { access: OFFICIAL }, schema: { tags, summary: "The official's reminders, overdue and escalation notices", response: { 200: HandOffNoticeListSchema } } },
      async (request) => listMyNotices(deps, viewerOf(request)),
    );

    app.post(
      '/api/handoffs/notices/read',
      { config: { access: OFFICIAL }, schema: { tags, summary: 'Mark notices read', body: z.object({ ids: z.array(IdSchema).max(200) }), response: { 200: HandOffNoticeListSchema } } },
      async (request) => readMyNotices(deps, viewerOf(request), request.body.ids),
    );

    app.get(
      '/api/handoffs/:id',
      { config: { access: INBOX_ROLES }, schema: { tags: ['handoffs'], params, response: { 200: HandOffItemSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return presentHandOffItem(viewer.role, await getHandOff(deps, viewer, request.params.id));
      },
    );

    app.post(
      '/api/handoffs/:id/acknowledge',
      { config: { access: ACT_ROLES }, schema: { tags: ['handoffs'], summary: '접수', params, response: { 200: HandOffItemSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return presentHandOffItem(viewer.role, await acknowledgeHandOff(deps, viewer, request.params.id));
      },
    );

    app.post(
      '/api/handoffs/:id/answer',
      {
        config: { access: ACT_ROLES },
        schema: { tags: ['handoffs'], summary: '회신: record the answer and close the case', params, body: AnswerHandOffBodySchema, response: { 200: HandOffItemSchema } },
      },
      async (request) => {
        const viewer = viewerOf(request);
        return presentHandOffItem(viewer.role, await answerHandOff(deps, viewer, request.params.id, request.body));
      },
    );

    /** After a lifecycle change: the inboxes of the departments concerned reload (the message carries no content). */
    const changed = (role: Parameters<typeof presentHandOffItem>[0], result: LifecycleResult) => {
      const at = deps.clock.now().toISOString();
      for (const d of result.departmentsChanged) app.realtime.notifyDepartmentInbox(d, at);
      return presentHandOffItem(role, result.item);
    };

    app.post(
      '/api/handoffs/:id/return',
      { config: { access: ACT_ROLES }, schema: { tags, summary: '반려: wrong department, with the reason; to the re-routing queue', params, body: ReturnHandOffBodySchema, response: { 200: HandOffItemSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return changed(viewer.role, await returnHandOff(deps, viewer, request.params.id, request.body));
      },
    );

    app.post(
      '/api/handoffs/:id/reroute',
      { config: { access: SUPERVISOR }, schema: { tags, summary: '재지정: a returned hand-off to the right department (the legal clock keeps running)', params, body: RerouteHandOffBodySchema, response: { 200: HandOffItemSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return changed(viewer.role, await rerouteHandOff(deps, viewer, request.params.id, request.body));
      },
    );

    app.post(
      '/api/handoffs/:id/extend',
      { config: { access: OFFICIAL }, schema: { tags, summary: '연장: once, within the original period; the citizen is told', params, body: ExtendHandOffBodySchema, response: { 200: HandOffItemSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return changed(viewer.role, await extendHandOff(deps, viewer, request.params.id, request.body));
      },
    );

    app.post(
      '/api/handoffs/:id/delegate',
      { config: { access: OFFICIAL }, schema: { tags, summary: '위임: to another official of the same department', params, body: DelegateHandOffBodySchema, response: { 200: HandOffItemSchema } } },
      async (request) => {
        const viewer = viewerOf(request);
        return changed(viewer.role, await delegateHandOff(deps, viewer, request.params.id, request.body));
      },
    );
  };
}
