import { z } from 'zod';

/** App-generated UUIDv7 identifiers. */
export const IdSchema = z.uuid();
/** ISO-8601 UTC timestamps on the wire. */
export const IsoTimeSchema = z.string();

/** The error body every failing endpoint answers with. */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Trims and NFC-normalises user text (macOS pastes NFD Hangul). */
export const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(max));

export const requiredText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

/**
 * The header every API call of the web app carries (value "1"). A cross-site form or image cannot set a custom
 * header, and a cross-site script would need a CORS preflight that OneCall never grants: the server refuses
 * state-changing requests without it (or without a same-origin Origin), against CSRF.
 */
export const REQUEST_HEADER = 'x-onecall-request';
