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
