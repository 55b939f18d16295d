import { deriveContacts, type KpiEvent } from '../../../core/domain/kpi';
import type { StatContact } from '../../../core/domain/statistics';
import { toKpiEvents } from '../acd/acd.service';

/** A contact event row as the statistics read it. */
export type StatEventRow = { interaction_id: string | null; type: string; at: string; actor_id: string | null; data: string | null };

/**
 * The contacts of some raw event rows as the reports see them (core/domain/kpi.ts deriveContacts, plus the category of
 * the first `call_dispositioned` and whether the call reached the centre while it was closed). The one derivation the
 * raw reports and the rollups share, so both count the same thing.
 */
export function statContactsOf(rows: readonly StatEventRow[]): { contacts: StatContact[]; events: KpiEvent[] } {
  const events = toKpiEvents(rows);
  const category = new Map<string, { at: number; categoryId: string | null }>();
  for (const e of events) {
    if (e.type !== 'call_dispositioned') continue;
    const seen = category.get(e.interactionId);
    if (!seen || e.at < seen.at) category.set(e.interactionId, { at: e.at, categoryId: e.categoryId ?? null });
  }
  // A call that reached the centre while closed: call_offered, then call_ended with reason "closed" (no queue entry).
  const offeredAt = new Map<string, number>();
  const closed = new Set<string>();
  for (const r of rows) {
    if (!r.interaction_id) continue;
    if (r.type === 'call_offered') offeredAt.set(r.interaction_id, Date.parse(r.at));
    else if (r.type === 'call_ended' && r.data?.includes('"closed"') && (JSON.parse(r.data) as { reason?: unknown }).reason === 'closed') closed.add(r.interaction_id);
  }
  const contacts = deriveContacts(events).map(
    (c): StatContact => ({
      ...c,
      categoryId: category.get(c.interactionId)?.categoryId ?? null,
      afterHoursAt: closed.has(c.interactionId) ? (offeredAt.get(c.interactionId) ?? null) : null,
    }),
  );
  return { contacts, events };
}
