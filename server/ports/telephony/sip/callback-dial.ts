import { parsePhone } from '../../../../core/domain/phone';

/**
 * Where Kamailio relays an agent's call to the callback code (CALLBACK_DIAL_CODE, core/contracts/telephony.ts): the
 * number in national digits (the form Korean carriers take: 01055501234, 0312345678) as the user part of the trunk's
 * URI. Null for a number that is not a valid phone number.
 */
export function trunkTarget(trunkUri: string, number: string): string | null {
  // Only a number (libphonenumber would find one inside "010…@elsewhere" too): nothing else reaches the URI.
  if (!/^\+?[\d ()-]{3,20}$/.test(number)) return null;
  const parsed = parsePhone(number);
  if (!parsed) return null;
  const digits = parsed.national.replace(/\D/g, '');
  const [, scheme, rest] = /^(sips?):(.*)$/.exec(trunkUri) ?? [];
  if (!scheme || !rest) return null;
  return `${scheme}:${digits}@${rest}`;
}
