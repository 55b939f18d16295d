import { z } from 'zod';
import { checkLookupDefinition } from '../domain/connectors';
import { ClientCertInfoSchema, ClientCertSchema } from './case-system';
import { IdSchema, IsoTimeSchema } from './common';
import { RoleSchema } from './enums';

/**
 * Department look-ups (issue #16 §2): an admin points OneCall at a department's system without code; agents run a
 * look-up during a call with the caller's consent and see labelled fields. Nothing of a result is stored.
 */

export const LookupAuthKindSchema = z.enum(['none', 'api_key', 'basic']);
export type LookupAuthKind = z.infer<typeof LookupAuthKindSchema>;

/** One labelled field of a result: a JSON path into the answer (`a.b[0].c`) and the label the agent sees. */
export const LookupFieldSchema = z.object({
  label: z.string().trim().min(1).max(60),
  path: z.string().trim().min(1).max(200),
  /** How the value is shown: as given, as a number of won, or as a date. */
  format: z.enum(['text', 'won', 'date']).default('text'),
});
export type LookupField = z.infer<typeof LookupFieldSchema>;

const LookupDefinitionBase = z.object({
  name: z.string().trim().min(1).max(100),
  identifierLabel: z.string().trim().min(1).max(60),
  /** A JavaScript regular expression the whole identifier must match (anchored on use). */
  identifierPattern: z.string().min(1).max(200),
  /** Example identifier shown as the placeholder (fictional). */
  identifierExample: z.string().max(60).default(''),
  /** http(s) URL; `{identifier}` is replaced by the URL-encoded identifier. */
  urlTemplate: z.string().trim().min(1).max(500),
  method: z.enum(['GET', 'POST']).default('GET'),
  /** JSON body for POST; `"{identifier}"` inside a string is replaced by the identifier. */
  requestTemplate: z.string().max(2000).nullable().default(null),
  authKind: LookupAuthKindSchema.default('none'),
  /** The header an API key goes in (api_key) or the basic user name (basic). */
  authName: z.string().trim().max(100).nullable().default(null),
  /** Where the record list or object is in the answer (empty: the answer itself). */
  resultPath: z.string().trim().max(200).default(''),
  /** When this path is present and truthy in the answer, "no record" is shown instead of fields. */
  notFoundPath: z.string().trim().max(200).default(''),
  fields: z.array(LookupFieldSchema).min(1).max(30),
  timeoutMs: z.number().int().min(200).max(30_000).default(3000),
  roles: z.array(RoleSchema).min(1).max(4),
  isEnabled: z.boolean().default(true),
});

/** Save a look-up: the secret and the client certificate are write-only (null keeps the stored one; '' removes it). */
export const LookupSaveBodySchema = LookupDefinitionBase.extend({
  authSecret: z.string().max(500).nullable().default(null),
  /** Mutual TLS (any authentication kind; https URLs): PEM certificate, key and optionally the server's CA. */
  clientCert: z.union([ClientCertSchema, z.literal('')]).nullable().default(null),
}).superRefine((d, ctx) => {
  for (const problem of checkLookupDefinition(d))
    ctx.addIssue({
      code: 'custom',
      path: [problem.field],
      message: problem.message,
    });
});
export type LookupSaveBody = z.infer<typeof LookupSaveBodySchema>;

/** A look-up as the admin sees it: never the secret, only whether one is stored. */
export const LookupAdminSchema = LookupDefinitionBase.extend({
  id: IdSchema,
  hasSecret: z.boolean(),
  hasClientCert: z.boolean(),
  /** The stored certificate's subject and expiry (never the key). */
  clientCert: ClientCertInfoSchema.nullable(),
  health: z.lazy(() => LookupHealthSchema),
  updatedAt: IsoTimeSchema,
});
export type LookupAdmin = z.infer<typeof LookupAdminSchema>;

/** The circuit breaker of one look-up: up, down (refused at once) until `retryAt`, then one trial call (half-open). */
export const LookupHealthSchema = z.object({
  state: z.enum(['up', 'down', 'half_open']),
  consecutiveFailures: z.number().int(),
  lastError: z.string().nullable(),
  retryAt: IsoTimeSchema.nullable(),
});
export type LookupHealth = z.infer<typeof LookupHealthSchema>;

/** What the desk lists: the look-ups this role may run. */
export const LookupOptionSchema = z.object({
  id: IdSchema,
  name: z.string(),
  identifierLabel: z.string(),
  identifierPattern: z.string(),
  identifierExample: z.string(),
  health: LookupHealthSchema,
});
export type LookupOption = z.infer<typeof LookupOptionSchema>;

export const LookupRunBodySchema = z.object({
  /** The call the look-up is made for (its caller is the subject of the access record). */
  interactionId: IdSchema,
  identifier: z.string().trim().min(1).max(60),
  /** The caller agreed to the look-up (asked by the agent). */
  consent: z.literal(true, { error: '민원인의 동의를 확인해 주세요.' }),
  reason: z.string().trim().max(200).default(''),
});
export type LookupRunBody = z.infer<typeof LookupRunBodySchema>;

export const LookupResultSchema = z.object({
  lookupId: IdSchema,
  name: z.string(),
  /** The identifier as recorded (masked). */
  identifierMasked: z.string(),
  found: z.boolean(),
  /** One row of labelled values per record (a list answer gives several). */
  rows: z.array(z.array(z.object({ label: z.string(), value: z.string() }))),
  tookMs: z.number().int(),
});
export type LookupResult = z.infer<typeof LookupResultSchema>;
