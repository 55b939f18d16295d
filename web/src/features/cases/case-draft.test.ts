import { describe, expect, it } from 'vitest';
import { clearDraft, loadDraft, saveDraft } from './case-draft';

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), size: () => m.size };
}

describe('the case draft per call (#18 item 3)', () => {
  it('comes back for the same call only, and goes when saved or emptied', () => {
    const store = memory();
    saveDraft('call-1', { categoryId: 'c', summary: '누수', notes: '천장', location: '한빛로 1' }, store);
    expect(loadDraft('call-1', store)).toEqual({ categoryId: 'c', summary: '누수', notes: '천장', location: '한빛로 1' });
    expect(loadDraft('call-2', store)).toBeNull();
    saveDraft('call-1', { categoryId: null, summary: ' ', notes: '', location: '' }, store);
    expect(store.size()).toBe(0);
    saveDraft('call-1', { categoryId: null, summary: 'x', notes: '', location: '' }, store);
    clearDraft('call-1', store);
    expect(loadDraft('call-1', store)).toBeNull();
  });
  it('ignores a damaged entry', () => {
    const store = memory();
    store.setItem('onecall.caseDraft.call-3', '{not json');
    expect(loadDraft('call-3', store)).toBeNull();
  });
});
