import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import {
  CallbackTaskSchema,
  DeliveryStatusSchema,
  NotificationTemplateSchema,
  OutboxListQuerySchema,
  OutboxMessageSchema,
  ReplyPreferenceBodySchema,
  ReplyPreferenceSchema,
  TemplateKeySchema,
  UpdateTemplateBodySchema,
} from '../../../core/contracts/notifications';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import {
  completeCallbackTask,
  getDeliveryStatus,
  listCallbackTasks,
  listOutbox,
  listTemplates,
  retryOutboxMessage,
  setReplyPreference,
  updateTemplate,
} from './notifications.service';

const DESK = ['agent', 'supervisor'] as const;
const ALL = ['agent', 'official', 'supervisor', 'admin'] as const;
const ADMIN = ['admin'] as const;
const params = z.object({ id: IdSchema });
const tags = ['notifications'];

/** The citizen hears back (issue #11 §4): reply preference, delivery status, callback tasks, templates, the outbox. */
export function notificationsRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/api/cases/:id/reply-preference',
      {
        config: { access: DESK },
        schema: { tags, summary: '회신 방법: how the citizen wants the answer, with consent', params, body: ReplyPreferenceBodySchema, response: { 200: ReplyPreferenceSchema } },
      },
      async (request) => setReplyPreference(deps, viewerOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/cases/:id/delivery',
      { config: { access: ALL }, schema: { tags, summary: '회신 현황 of a case', params, response: { 200: DeliveryStatusSchema } } },
      async (request) => getDeliveryStatus(deps, viewerOf(request), request.params.id),
    );

    app.get(
      '/api/callback-tasks',
      {
        config: { access: DESK },
        schema: {
          tags,
          summary: '회신 전화: open callback tasks (or those given up), oldest first',
          querystring: z.object({ status: z.enum(['open', 'gave_up']).default('open'), limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ items: z.array(CallbackTaskSchema) }) },
        },
      },
      async (request) => ({ items: await listCallbackTasks(deps, viewerOf(request), request.query.status, request.query.limit) }),
    );

    app.post(
      '/api/callback-tasks/:id/done',
      { config: { access: DESK }, schema: { tags, summary: 'The citizen was called back and told the answer', params, response: { 200: CallbackTaskSchema } } },
      async (request) => completeCallbackTask(deps, viewerOf(request), request.params.id),
    );

    app.get(
      '/api/admin/notification-templates',
      { config: { access: ADMIN }, schema: { tags, response: { 200: z.object({ items: z.array(NotificationTemplateSchema) }) } } },
      async () => ({ items: await listTemplates(deps) }),
    );

    app.put(
      '/api/admin/notification-templates/:key',
      {
        config: { access: ADMIN },
        schema: { tags, params: z.object({ key: TemplateKeySchema }), body: UpdateTemplateBodySchema, response: { 200: NotificationTemplateSchema } },
      },
      async (request) => updateTemplate(deps, viewerOf(request), request.params.key, request.body),
    );

    app.get(
      '/api/admin/outbox',
      { config: { access: ADMIN }, schema: { tags, querystring: OutboxListQuerySchema, response: { 200: z.object({ items: z.array(OutboxMessageSchema) }) } } },
      async (request) => ({ items: await listOutbox(deps, request.query) }),
    );

    app.post(
      '/api/admin/outbox/:id/retry',
      { config: { access: ADMIN }, schema: { tags, summary: '재발송: send a failed message again now', params, response: { 200: OutboxMessageSchema } } },
      async (request) => retryOutboxMessage(deps, request.params.id),
    );
  };
}
