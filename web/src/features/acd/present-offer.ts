import type { AcdOffer } from '../../../../core/contracts/acd';
import type { Role } from '../../../../core/contracts/enums';
import { DISPLAY_POLICY, type CitizenField } from '../../../../core/domain/display-policy';
import { maskName, maskPhone } from '../../../../core/domain/masking';

const MASKERS: Record<CitizenField, (v: string) => string> = { phone: maskPhone, name: maskName };

/**
 * The offer's caller card as this role may see it (표시 제한, core/domain/display-policy.ts). The server should mask
 * it before it leaves (server/modules/privacy/citizen-data.presenter.ts does so for every other answer); until the
 * ACD's offers do, the desk masks on screen with the same policy, so the offer shows what the caller card shows.
 */
export function presentOfferCard(role: Role, offer: AcdOffer): AcdOffer {
  const card = offer.callerCard;
  if (!card) return offer;
  const show = (field: CitizenField, value: string | null) => (value === null || DISPLAY_POLICY[role][field] !== 'masked' ? value : MASKERS[field](value));
  return { ...offer, callerCard: { ...card, name: show('name', card.name), phone: show('phone', card.phone) ?? card.phone } };
}
