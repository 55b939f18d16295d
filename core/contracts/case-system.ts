import { z } from 'zod';
import { IsoTimeSchema } from './common';
import { HandOffStatusSchema } from './enums';

/**
 * The administrative case system link (issue #16 §1): the admin's settings (secrets write-only), the mapping preview,
 * the link's health with its queue and messages, and the reports the external system sends back.
 */

export const CaseAuthKindSchema = z.enum(['none', 'api_key', 'basic']);

/** PEM client certificate and key for mutual TLS (and optionally the CA of the system's server certificate). */
export const ClientCertSchema = z.object({
  cert: z.string().min(1).max(20_000),
  key: z.string().min(1).max(20_000),
  ca: z.string().max(20_000).optional(),
});
export type ClientCert = z.infer<typeof ClientCertSchema>;

/** What the admin sees of a stored client certificate: its subject and expiry, never the key (null: unreadable). */
export const ClientCertInfoSchema = z.object({
  subject: z.string().nullable(),
  validTo: IsoTimeSchema.nullable(),
});
export type ClientCertInfo = z.infer<typeof ClientCertInfoSchema>;

/** Save the settings. Secrets: null keeps the stored one, '' removes it, a value replaces it (sealed). */
export const CaseSettingsBodySchema = z.object({
  isEnabled: z.boolean(),
  baseUrl: z.url({ protocol: /^https?$/ }).max(500),
  inboundMode: z.enum(['webhook', 'poll']).default('webhook'),
  /** The field mapping as JSON (checked on save: a misconfigured mapping is CASE_MAPPING_INVALID with the reasons). */
  mapping: z.unknown(),
  authKind: CaseAuthKindSchema.default('none'),
  authName: z.string().trim().max(100).nullable().default(null),
  authSecret: z.string().max(500).nullable().default(null),
  webhookSecret: z.string().max(200).nullable().default(null),
  clientCert: z.union([ClientCertSchema, z.literal('')]).nullable().default(null),
  timeoutMs: z.number().int().min(200).max(30_000).default(5000),
});
export type CaseSettingsBody = z.infer<typeof CaseSettingsBodySchema>;

export const CaseSettingsSchema = z.object({
  configured: z.boolean(),
  isEnabled: z.boolean(),
  baseUrl: z.string(),
  inboundMode: z.enum(['webhook', 'poll']),
  mapping: z.record(z.string(), z.unknown()),
  authKind: CaseAuthKindSchema,
  authName: z.string().nullable(),
  hasSecret: z.boolean(),
  hasWebhookSecret: z.boolean(),
  hasClientCert: z.boolean(),
  clientCert: ClientCertInfoSchema.nullable(),
  timeoutMs: z.number().int(),
  /** Where the external system posts its reports (path on this server). */
  webhookPath: z.string(),
  sourceFields: z.array(z.string()),
  updatedAt: IsoTimeSchema.nullable(),
});
export type CaseSettings = z.infer<typeof CaseSettingsSchema>;

export const CasePreviewBodySchema = z.object({ mapping: z.unknown() });
export const CasePreviewSchema = z.object({ sample: z.record(z.string(), z.string().nullable()), body: z.record(z.string(), z.unknown()) });
export type CasePreview = z.infer<typeof CasePreviewSchema>;

export const CaseMessageSchema = z.object({
  id: z.string(),
  handOffId: z.string().nullable(),
  caseNumber: z.string().nullable(),
  externalCaseNo: z.string().nullable(),
  event: z.string(),
  /** For a status message: the hand-off status it carried (null for keys written before it was named). */
  handOffStatus: HandOffStatusSchema.nullable(),
  status: z.enum(['pending', 'sent', 'failed', 'skipped']),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
});
export type CaseMessage = z.infer<typeof CaseMessageSchema>;

export const CaseStatusSchema = z.object({
  health: z.object({
    state: z.enum(['off', 'ok', 'retrying', 'failing']),
    lastSentAt: z.string().nullable(),
    lastError: z.string().nullable(),
  }),
  queue: z.object({ pending: z.number().int(), retrying: z.number().int(), failed: z.number().int() }),
  failed: z.array(CaseMessageSchema),
  waiting: z.array(CaseMessageSchema),
  history: z.array(CaseMessageSchema),
});
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** A report from the case system (webhook body, or one element of a poll answer). */
export const InboundCaseEventSchema = z.discriminatedUnion('kind', [
  z.object({ eventId: z.string().min(1).max(200), caseNo: z.string().min(1).max(100), kind: z.literal('status'), status: z.enum(['acknowledged', 'in_progress']), official: z.string().max(100).optional() }),
  z.object({ eventId: z.string().min(1).max(200), caseNo: z.string().min(1).max(100), kind: z.literal('answer'), text: z.string().trim().min(1).max(4000), official: z.string().max(100).optional() }),
]);
export type InboundCaseEventBody = z.infer<typeof InboundCaseEventSchema>;

export const InboundResultSchema = z.object({ outcome: z.enum(['applied', 'already', 'duplicate', 'unknown_case', 'not_applicable']) });
export type InboundResult = z.infer<typeof InboundResultSchema>;
