import type { CallConnected, CallerCard, Interaction } from '../../../core/contracts/calls';
import type { CaseDetail } from '../../../core/contracts/cases';
import type { Role } from '../../../core/contracts/enums';
import type { HandOffItem } from '../../../core/contracts/handoffs';
import { DISPLAY_POLICY, type CitizenField } from '../../../core/domain/display-policy';
import { maskName, maskPhone } from '../../../core/domain/masking';

/*
 * 표시 제한 (layer 2): the one place where citizens' identifiers in API answers are masked, by the viewer's role
 * (core/domain/display-policy.ts). Every route whose answer carries citizen data passes it through one of these
 * presenters; server/modules/privacy/masking-coverage.int.test.ts walks every such answer as every role. The plain
 * value only leaves the server through POST /api/privacy/unmask (audited, with a reason).
 */

const MASKERS: Record<CitizenField, (v: string) => string> = { phone: maskPhone, name: maskName };

/** A citizen's field as this role sees it by default. */
export function presentCitizenField<T extends string | null>(role: Role, field: CitizenField, value: T): T {
  if (value === null) return value;
  return (DISPLAY_POLICY[role][field] === 'masked' ? MASKERS[field](value) : value) as T;
}

export function presentCallerCard(role: Role, card: CallerCard): CallerCard {
  return { ...card, phone: presentCitizenField(role, 'phone', card.phone), name: presentCitizenField(role, 'name', card.name) };
}

export function presentInteraction(role: Role, interaction: Interaction): Interaction {
  return { ...interaction, callerNumber: presentCitizenField(role, 'phone', interaction.callerNumber) };
}

export function presentCallConnected(role: Role, connected: CallConnected): CallConnected {
  return { interaction: presentInteraction(role, connected.interaction), callerCard: presentCallerCard(role, connected.callerCard) };
}

export function presentCaseDetail(role: Role, detail: CaseDetail): CaseDetail {
  return {
    ...detail,
    callerNumber: presentCitizenField(role, 'phone', detail.callerNumber),
    citizenName: presentCitizenField(role, 'name', detail.citizenName),
  };
}

export function presentHandOffItem(role: Role, item: HandOffItem): HandOffItem {
  return {
    ...item,
    callerNumber: presentCitizenField(role, 'phone', item.callerNumber),
    citizenName: presentCitizenField(role, 'name', item.citizenName),
  };
}
