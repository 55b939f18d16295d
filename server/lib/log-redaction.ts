import type { Writable } from 'node:stream';
import { maskPersonalData } from '../../core/domain/pii';

/*
 * Logs carry no personal data (issue #3 item 7; privacy-security-kr.md 제6조③: "no personal data in URLs, public pages
 * or logs"). Three defences, in this order:
 * 1. requests are logged by method and route pattern only (never the URL with its query string, never headers or
 *    bodies), responses by status only;
 * 2. pino's redaction blanks credentials and every field that may hold a citizen's data, wherever a log call puts an
 *    object (up to two levels deep);
 * 3. error messages and stacks are passed through the free-text masker (core/domain/pii.ts), so a phone number that
 *    ends up in a driver's error message is masked too.
 */

export const REDACTED = '[redacted]';

/** Field names that hold credentials or personal data (request bodies, answers, rows). */
const SENSITIVE_FIELDS = [
  'cookie',
  'authorization',
  'set-cookie',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'secret',
  'totpSecret',
  'phone',
  'callerNumber',
  'caller_number',
  'citizenName',
  'citizen_name',
  'citizen_phone',
  'name',
  'notes',
  'summary',
  'answer',
  'address',
  'body',
  'payload',
];

function pathsFor(field: string): string[] {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key, join('*'), join('*.*')];
}

/** The redaction paths handed to pino (exported for the tests). */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  ...SENSITIVE_FIELDS.flatMap(pathsFor),
];

/** Masks personal data in a free text bound for a log (error messages, stacks). */
export function maskForLog(text: string): string {
  return maskPersonalData(text).text;
}

type LoggableRequest = { method: string; id?: string; routeOptions?: { url?: string | undefined } };

/** A request as logged: method and route pattern (`/api/citizens/:id/card`), never the URL, headers or body. */
export function serializeRequest(req: LoggableRequest): { method: string; route: string | undefined; id?: string } {
  return { method: req.method, route: req.routeOptions?.url, ...(req.id ? { id: req.id } : {}) };
}

/** An error as logged: type, masked message and stack, code; no other own properties (they may hold values). */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: maskForLog(String(err)) };
  const out: Record<string, unknown> = { type: err.name, message: maskForLog(err.message) };
  if (err.stack) out.stack = maskForLog(err.stack);
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  const statusCode = (err as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number') out.statusCode = statusCode;
  return out;
}

/**
 * Pino options for the server (main.ts) and for tests that capture logs: level, redaction, serializers, and an
 * optional destination stream.
 */
export function loggerOptions(level: string, stream?: Writable): Record<string, unknown> {
  return {
    level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: {
      req: serializeRequest,
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: serializeError,
    },
    ...(stream ? { stream } : {}),
  };
}
