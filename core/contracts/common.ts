import { z } from 'zod';
import { isCallerNumber } from '../domain/phone';

/** App-generated UUIDv7 identifiers. */
export const IdSchema = z.uuid();
/** ISO-8601 UTC timestamps on the wire. */
export const IsoTimeSchema = z.string();

/** The error body every failing endpoint answers with. */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/**
 * A lone UTF-16 surrogate (JSON "\ud800") or U+0000 in a string: text that no database, hash or CSV stores the same
 * way it was sent (issue #10, finding 2). Every HTTP body, query and path parameter is refused when one of its strings
 * (or keys) has either, before its schema runs (server/http/validator.ts); the text builders below refuse them too,
 * so web forms using the same schemas say so at once.
 */
export const UNSAFE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The message of that refusal (Korean first, as every message the API answers). */
export const UNSAFE_TEXT_MESSAGE = '쓸 수 없는 문자(NUL 또는 짝 없는 서로게이트)가 있습니다.';

/**
 * The path of the first string (value or object key) in `value` that has a lone surrogate or U+0000, or undefined
 * when there is none. Walks plain JSON values (objects, arrays, strings) only, depth-first in key order.
 */
export function findUnsafeText(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === 'string') return UNSAFE_TEXT.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (UNSAFE_TEXT.test(key)) return [...path, key];
      const found = findUnsafeText(v, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Wraps a boundary schema so that any lone surrogate or NUL anywhere in the input is an issue at its path. */
export function refuseUnsafeText<T extends z.ZodType>(schema: T) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      const path = findUnsafeText(value);
      if (path) ctx.addIssue({ code: 'custom', message: UNSAFE_TEXT_MESSAGE, path });
    })
    .pipe(schema);
}

const safeString = () => z.string().refine((s) => !UNSAFE_TEXT.test(s), UNSAFE_TEXT_MESSAGE);

/** Trims and NFC-normalises user text (macOS pastes NFD Hangul); refuses lone surrogates and NUL. */
export const text = (max: number) =>
  safeString()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(max));

export const requiredText = (max: number) =>
  safeString()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

/** Years a KST day of OneCall may fall in: an export of year 0000 or 9999 is a typing slip, not a request. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2099;

/** A real calendar day YYYY-MM-DD (2027-02-30 is refused) between {@link MIN_YEAR} and {@link MAX_YEAR}. */
export const DaySchema = z.iso
  .date('YYYY-MM-DD (실제 있는 날짜)')
  .refine((d) => Number(d.slice(0, 4)) >= MIN_YEAR && Number(d.slice(0, 4)) <= MAX_YEAR, `${MIN_YEAR}–${MAX_YEAR}년의 날짜만 쓸 수 있습니다.`);

/** A month YYYY-MM between {@link MIN_YEAR} and {@link MAX_YEAR}. */
export const MonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
  .refine((m) => Number(m.slice(0, 4)) >= MIN_YEAR && Number(m.slice(0, 4)) <= MAX_YEAR, `${MIN_YEAR}–${MAX_YEAR}년만 쓸 수 있습니다.`);

/** Days from `from` to `to` inclusive (both YYYY-MM-DD); 1 for one day. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * The header every API call of the web app carries (value "1"). A cross-site form or image cannot set a custom
 * header, and a cross-site script would need a CORS preflight that OneCall never grants: the server refuses
 * state-changing requests without it (or without a same-origin Origin), against CSRF.
 */
export const REQUEST_HEADER = 'x-onecall-request';

const PHONE_MESSAGE = '전화번호 형식이 올바르지 않습니다.';

const phoneSchema = (allowWithheld: boolean) =>
  z
    .string()
    .trim()
    .min(3, PHONE_MESSAGE)
    .max(32, PHONE_MESSAGE)
    .refine((s) => isCallerNumber(s, { allowWithheld }), PHONE_MESSAGE);

/** A phone number as typed or sent by a PBX: valid by core/domain/phone.ts (010-1234-5678, 031-123-4567, +82 …). */
export const PhoneNumberSchema = phoneSchema(false);

/** A caller number reported by a phone system: a valid phone number, or "anonymous" when the caller withheld it. */
export const ReportedCallerNumberSchema = phoneSchema(true);
