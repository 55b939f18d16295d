import type { HandOffItem } from '../../../core/contracts/handoffs';
import { OPEN_HANDOFF_STATUSES } from '../../../core/domain/handoff-lifecycle';

/** True while the citizen is still owed an answer (대기, 접수, 처리중). */
export const isOpenHandOff = (item: Pick<HandOffItem, 'status'>): boolean => OPEN_HANDOFF_STATUSES.includes(item.status);

/** Most urgent first: open ones by deadline (overdue at the top), then finished ones, newest answer first. */
export function sortByUrgency<T extends Pick<HandOffItem, 'status' | 'dueAt' | 'answeredAt' | 'receivedAt'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const ao = isOpenHandOff(a);
    const bo = isOpenHandOff(b);
    if (ao !== bo) return ao ? -1 : 1;
    if (ao) return Date.parse(a.dueAt) - Date.parse(b.dueAt);
    return Date.parse(b.answeredAt ?? b.receivedAt) - Date.parse(a.answeredAt ?? a.receivedAt);
  });
}
