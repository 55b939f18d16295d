import { z } from 'zod';
import { isCallerNumber } from '../domain/phone';
import { TEMPLATE_KEYS, TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from '../domain/notifications';
import { IdSchema, IsoTimeSchema, text } from './common';

/**
 * How the citizen wants to hear the department's answer (issue #11 §4): 문자 (SMS), 이메일, 전화 (the centre calls
 * back and reads it), or 원하지 않음 (none).
 */
export const ReplyChannelSchema = z.enum(['sms', 'email', 'callback', 'none']);
export type ReplyChannel = z.infer<typeof ReplyChannelSchema>;

/** The channels the outbox sends on itself (a callback is a task for an agent, not a message). */
export const MessageChannelSchema = z.enum(['sms', 'email']);
export type MessageChannel = z.infer<typeof MessageChannelSchema>;

const EMAIL_RE = /^[^\s@<>()",;]{1,64}@[^\s@<>()",;]{1,190}\.[^\s@<>()",;.]{2,63}$/;

/**
 * PUT /api/cases/:id/reply-preference. `address`: the number for SMS or callback (default: the number the citizen
 * called from), the e-mail address for e-mail (required). Without consent the citizen is not contacted.
 */
export const ReplyPreferenceBodySchema = z
  .object({
    channel: ReplyChannelSchema,
    consent: z.boolean(),
    address: text(254).optional(),
  })
  .superRefine((b, ctx) => {
    const address = b.address === '' ? undefined : b.address;
    if (b.channel === 'email' && (!address || !EMAIL_RE.test(address))) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: '이메일 주소 형식이 올바르지 않습니다.' });
    }
    if ((b.channel === 'sms' || b.channel === 'callback') && address !== undefined && !isCallerNumber(address)) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: '전화번호 형식이 올바르지 않습니다.' });
    }
    if (b.channel === 'none' && address !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: '회신을 원하지 않으면 연락처를 적지 않습니다.' });
    }
  });
export type ReplyPreferenceBody = z.infer<typeof ReplyPreferenceBodySchema>;

/** A case's recorded reply preference; the address masked (표시 제한). */
export const ReplyPreferenceSchema = z.object({
  caseId: IdSchema,
  channel: ReplyChannelSchema,
  consent: z.boolean(),
  address: z.string().nullable(),
  recordedAt: IsoTimeSchema,
});
export type ReplyPreference = z.infer<typeof ReplyPreferenceSchema>;

/** pending: waiting for its (next) try; sent: delivered to the gateway or SMTP server; failed: given up. */
export const OutboxStatusSchema = z.enum(['pending', 'sent', 'failed']);
export type OutboxStatus = z.infer<typeof OutboxStatusSchema>;

/** One outbox message as the admin and the case see it (never its address or text: they are sealed). */
export const OutboxMessageSchema = z.object({
  id: IdSchema,
  kind: z.string(),
  channel: MessageChannelSchema,
  status: OutboxStatusSchema,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  nextAttemptAt: IsoTimeSchema.nullable(),
  lastError: z.string().nullable(),
  createdAt: IsoTimeSchema,
  sentAt: IsoTimeSchema.nullable(),
  caseId: IdSchema.nullable(),
  caseNumber: z.string().nullable(),
});
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

/** GET /api/admin/outbox: failed = given up; retrying = pending after at least one failure. */
export const OutboxListQuerySchema = z.object({
  status: z.enum(['failed', 'retrying', 'pending', 'sent', 'all']).default('failed'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type OutboxListQuery = z.infer<typeof OutboxListQuerySchema>;

/** A callback task: an agent calls the citizen back and reads the department's answer. */
export const CallbackTaskStatusSchema = z.enum(['open', 'done', 'cancelled', 'gave_up']);
export const CallbackTaskSchema = z.object({
  id: IdSchema,
  caseId: IdSchema,
  caseNumber: z.string(),
  handOffId: IdSchema.nullable(),
  status: CallbackTaskStatusSchema,
  /** Why it is a callback: chosen by the citizen, no preference recorded, or the message failed. */
  reason: z.enum(['chosen', 'no_preference', 'delivery_failed']),
  citizenId: IdSchema.nullable(),
  /** The number to call, masked for the viewer's role (unmask with a reason to dial it). */
  phone: z.string().nullable(),
  departmentName: z.string().nullable(),
  categoryPath: z.string().nullable(),
  answer: z.string().nullable(),
  createdAt: IsoTimeSchema,
  doneAt: IsoTimeSchema.nullable(),
  /** Attempts that did not reach the citizen; after `maxAttempts` the task is given up. */
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  /** When the next attempt may be offered (null: now, or finished). */
  nextAttemptAt: IsoTimeSchema.nullable(),
  /** Offered to (or in the hands of) an agent by the ACD right now. */
  inCall: z.boolean(),
});
export type CallbackTask = z.infer<typeof CallbackTaskSchema>;

/** The case's delivery status: preference, messages, callback tasks and when (and how) the citizen was told. */
export const DeliveryStatusSchema = z.object({
  preference: ReplyPreferenceSchema.omit({ address: true }).nullable(),
  messages: z.array(OutboxMessageSchema),
  callbackTasks: z.array(CallbackTaskSchema.pick({ id: true, status: true, reason: true, createdAt: true, doneAt: true, attempts: true, maxAttempts: true, nextAttemptAt: true })),
  toldChannel: z.enum(['sms', 'email', 'callback', 'declined']).nullable(),
  toldAt: IsoTimeSchema.nullable(),
});
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const TemplateKeySchema = z.enum(TEMPLATE_KEYS);

/** A message template as the admin edits it. */
export const NotificationTemplateSchema = z.object({
  key: TemplateKeySchema,
  channel: MessageChannelSchema,
  subject: z.string().nullable(),
  body: z.string(),
  isDefault: z.boolean(),
  updatedAt: IsoTimeSchema.nullable(),
  placeholders: z.array(z.string()),
});
export type NotificationTemplate = z.infer<typeof NotificationTemplateSchema>;

const templateText = (max: number) =>
  text(max).refine((s) => unknownPlaceholders(s).length === 0, {
    message: `알 수 없는 치환어가 있습니다. 쓸 수 있는 치환어: ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
  });

/** PUT /api/admin/notification-templates/:key. */
export const UpdateTemplateBodySchema = z.object({
  subject: templateText(200).nullable().default(null),
  body: templateText(2000).pipe(z.string().min(1, '본문을 입력하세요.')),
});
export type UpdateTemplateBody = z.infer<typeof UpdateTemplateBodySchema>;

/** What the agent reports after a callback attempt: the citizen was told, or could not be reached. */
export const CallbackOutcomeBodySchema = z.object({ outcome: z.enum(['told', 'not_reached']) });
export type CallbackOutcomeBody = z.infer<typeof CallbackOutcomeBodySchema>;
