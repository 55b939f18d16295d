import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Normalises a Korean phone number as typed or as delivered by a PBX (010-1234-5678, 01012345678, +82 10 ...,
 * 031-123-4567) to E.164, the one form used for look-ups. Returns undefined when it is not a valid number.
 */
export function normalizePhone(input: string): string | undefined {
  return parsePhone(input)?.e164;
}

type ParsedPhone = { e164: string; national: string };

/**
 * The numbers parsed lately: a call's arrival checks its number at the boundary and parses it again to route it, and
 * a repeat caller's number comes back within minutes. Parsing is pure, so a small cache (cleared when full) only saves
 * time: libphonenumber was 3 % of a simulated Seoul day's CPU.
 */
const parsedCache = new Map<string, ParsedPhone | null>();
const PARSED_CACHE_SIZE = 4096;

/** A valid number in both forms, parsed once: E.164 for look-ups, national for staff (a call's arrival needs both). */
export function parsePhone(input: string): ParsedPhone | undefined {
  const hit = parsedCache.get(input);
  if (hit !== undefined) return hit ?? undefined;
  const result = parseUncached(input);
  if (parsedCache.size >= PARSED_CACHE_SIZE) parsedCache.clear();
  parsedCache.set(input, result ?? null);
  return result;
}

function parseUncached(input: string): ParsedPhone | undefined {
  const cleaned = input.normalize('NFC').trim();
  if (cleaned.length === 0 || cleaned.length > 32) return undefined;
  const parsed = parsePhoneNumberFromString(cleaned, 'KR');
  if (!parsed || !parsed.isValid()) return undefined;
  let national: string | undefined;
  return {
    e164: parsed.number,
    get national() {
      national ??= parsed.formatNational();
      return national;
    },
  };
}

/**
 * What a phone system reports for a caller who withheld the number (발신번호 표시제한): SIP's "anonymous"
 * (RFC 3323), in any case. The only caller number that is not a phone number.
 */
export const WITHHELD_CALLER = 'anonymous';

/**
 * The one rule for a caller number on every path (the desk's simulated calls, the ACD's simulator and the CTI
 * webhook): a valid phone number, or {@link WITHHELD_CALLER} when `allowWithheld` (a real phone system's report).
 */
export function isCallerNumber(input: string, options: { allowWithheld?: boolean } = {}): boolean {
  if (options.allowWithheld && input.trim().toLowerCase() === WITHHELD_CALLER) return true;
  return parsePhone(input) !== undefined;
}

/** Formats an E.164 number the way Korean staff read it (010-1234-5678, 031-123-4567). */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164, 'KR');
  return parsed ? parsed.formatNational() : e164;
}
