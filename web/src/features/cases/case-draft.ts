/**
 * The case form's draft, kept in this tab's sessionStorage per call (issue #18 item 3): a reload in the middle of a
 * call brings back what the agent had typed. sessionStorage lives as long as the tab (closing it drops the draft, and
 * it never reaches another tab or the server); the draft is removed when the case is saved.
 */
export type CaseDraft = { categoryId: string | null; summary: string; notes: string; location: string };

type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const PREFIX = 'onecall.caseDraft.';

function storage(): DraftStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

export function isEmptyDraft(d: CaseDraft): boolean {
  return !d.categoryId && !d.summary.trim() && !d.notes.trim() && !d.location.trim();
}

export function loadDraft(interactionId: string, store: DraftStorage | null = storage()): CaseDraft | null {
  const raw = store?.getItem(PREFIX + interactionId);
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<CaseDraft>;
    return { categoryId: typeof d.categoryId === 'string' ? d.categoryId : null, summary: String(d.summary ?? ''), notes: String(d.notes ?? ''), location: String(d.location ?? '') };
  } catch {
    return null;
  }
}

/** Keeps the draft (an empty one is removed); a full storage is not an error: the draft is a convenience. */
export function saveDraft(interactionId: string, draft: CaseDraft, store: DraftStorage | null = storage()): void {
  try {
    if (isEmptyDraft(draft)) store?.removeItem(PREFIX + interactionId);
    else store?.setItem(PREFIX + interactionId, JSON.stringify(draft));
  } catch {
    // Storage full or denied: nothing to keep.
  }
}

export function clearDraft(interactionId: string, store: DraftStorage | null = storage()): void {
  store?.removeItem(PREFIX + interactionId);
}
