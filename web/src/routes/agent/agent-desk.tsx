import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallConnected, CallerCard as CallerCardData } from '../../../../core/contracts/calls';
import type { RecordCaseResult } from '../../../../core/contracts/cases';
import { api } from '../../api/client';
import { useCategories } from '../../api/queries';
import { ErrorNotice } from '../../components/notice';
import { CallPanel, type ActiveCall } from '../../features/calls/call-panel';
import { CaseDetailDialog } from '../../features/cases/case-detail';
import { CaseForm } from '../../features/cases/case-form';
import { KbPanel, type UsedArticle } from '../../features/kb/kb-panel';
import { useFormat } from '../../lib/use-format';
import { ShortcutLegend } from './shortcut-legend';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function focusAndSelect(el: HTMLInputElement | null) {
  if (!el || el.disabled) return;
  el.focus();
  el.select();
}

/**
 * 상담 데스크: the screen agents use all day. Three columns: the call and who is calling, the knowledge base, and
 * the case record. Everything is reachable from the keyboard (see the legend at the bottom).
 */
export function AgentDesk() {
  const { t } = useTranslation();
  const f = useFormat();
  const client = useQueryClient();
  const categories = useCategories();

  const [call, setCall] = useState<ActiveCall | null>(null);
  const [openArticleId, setOpenArticleId] = useState<string | null>(null);
  const [used, setUsed] = useState<UsedArticle[]>([]);
  const [saved, setSaved] = useState<RecordCaseResult | null>(null);
  const [detailCaseId, setDetailCaseId] = useState<string | null>(null);

  const phoneRef = useRef<HTMLInputElement>(null);
  const endButtonRef = useRef<HTMLButtonElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const categoryRef = useRef<HTMLInputElement>(null);
  const summaryRef = useRef<HTMLInputElement>(null);
  const resolveRef = useRef<HTMLButtonElement>(null);
  const handOffRef = useRef<HTMLButtonElement>(null);

  // The caller card from the call, refreshed after each saved case (a new hand-off shows up at once).
  const citizenId = call?.callerCard.citizenId ?? null;
  const card = useQuery({
    queryKey: ['citizen-card', citizenId],
    queryFn: () => api<CallerCardData>(`/api/citizens/${encodeURIComponent(citizenId ?? '')}/card`),
    enabled: citizenId !== null,
    initialData: call?.callerCard,
    staleTime: 30_000,
  });

  const onConnected = useCallback(
    (connected: CallConnected) => {
      client.setQueryData(['citizen-card', connected.callerCard.citizenId], connected.callerCard);
      setCall({ ...connected, endedAt: null });
      setSaved(null);
      setUsed([]);
      setOpenArticleId(null);
      // The agent greets the caller and usually searches next.
      window.setTimeout(() => searchRef.current?.focus(), 0);
    },
    [client],
  );

  const onSaved = (result: RecordCaseResult) => {
    setSaved(result);
    setUsed([]);
    setOpenArticleId(null);
    if (citizenId) void client.invalidateQueries({ queryKey: ['citizen-card', citizenId] });
    // After-call work is done: the desk is ready for the next call.
    if (call?.endedAt) {
      setCall(null);
      window.setTimeout(() => phoneRef.current?.focus(), 0);
    } else {
      window.setTimeout(() => categoryRef.current?.focus(), 0);
    }
  };

  const toggleUsed = (article: UsedArticle) =>
    setUsed((list) => (list.some((u) => u.id === article.id) ? list.filter((u) => u.id !== article.id) : [...list, article]));

  // Desk-wide shortcuts. Keys are read by their physical position (e.code) so they work in 한글 input mode too.
  const state = useRef({ openArticleId });
  state.current = { openArticleId };
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (document.querySelector('dialog[open]')) return;
      const run = (action: () => void) => {
        e.preventDefault();
        // Ctrl+Enter pressed while 한글 is still composing: let the last syllable reach the field first.
        if (e.isComposing && e.target instanceof HTMLElement) {
          e.target.addEventListener('compositionend', () => window.setTimeout(action, 0), { once: true });
        } else action();
      };
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        switch (e.code) {
          case 'KeyN':
            return run(() => {
              const phone = phoneRef.current;
              if (phone && document.activeElement === phone && phone.value.trim()) phone.form?.requestSubmit();
              else focusAndSelect(phone);
            });
          case 'KeyK':
            return run(() => focusAndSelect(searchRef.current));
          case 'KeyC':
            return run(() => categoryRef.current?.focus());
          case 'KeyS':
            return run(() => summaryRef.current?.focus());
          case 'KeyX':
            return run(() => endButtonRef.current?.click());
        }
        return;
      }
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey) {
        return run(() => (e.shiftKey ? handOffRef.current : resolveRef.current)?.click());
      }
      if (e.key === '/' && !e.ctrlKey && !e.altKey && !e.metaKey && !isEditable(e.target)) {
        return run(() => focusAndSelect(searchRef.current));
      }
      if (e.key === 'Escape' && state.current.openArticleId) {
        e.preventDefault();
        setOpenArticleId(null);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const interactionId = call?.interaction.id ?? null;

  return (
    <main id="main" className="desk">
      <div className="desk__grid">
        <CallPanel
          call={call}
          card={call ? (card.data ?? call.callerCard) : null}
          phoneRef={phoneRef}
          endButtonRef={endButtonRef}
          onConnected={onConnected}
          onEnded={(endedAt) => setCall((c) => (c ? { ...c, endedAt } : c))}
          onOpenCase={setDetailCaseId}
        />
        <KbPanel searchRef={searchRef} openArticleId={openArticleId} onOpenArticle={setOpenArticleId} used={used} onToggleUsed={toggleUsed} />
        <div className="desk__case">
          {saved && (
            <div className={`saved saved--${saved.handOff ? 'handoff' : 'resolved'}`} role="status">
              <div className="saved__text">
                <span className="saved__number">
                  {t('common.caseNumber')} <strong>{saved.number}</strong>
                </span>
                <span>
                  {saved.handOff
                    ? t('caseForm.savedHandOff', { department: saved.handOff.departmentName, departmentTo: f.to(saved.handOff.departmentName), due: f.dateTime(saved.handOff.dueAt) })
                    : t('caseForm.savedResolved')}
                </span>
              </div>
              <div className="saved__actions">
                <button type="button" className="btn btn--ghost btn--small" onClick={() => setDetailCaseId(saved.caseId)}>
                  {t('caseDetail.title')}
                </button>
                <button type="button" className="btn btn--ghost btn--icon btn--tiny" aria-label={t('common.close')} onClick={() => setSaved(null)}>
                  <span aria-hidden="true">✕</span>
                </button>
              </div>
            </div>
          )}
          <ErrorNotice error={categories.error} onRetry={() => void categories.refetch()} />
          <CaseForm
            interactionId={interactionId}
            categories={categories.data ?? []}
            used={used}
            onRemoveUsed={(id) => setUsed((list) => list.filter((u) => u.id !== id))}
            onSaved={onSaved}
            categoryRef={categoryRef}
            summaryRef={summaryRef}
            resolveRef={resolveRef}
            handOffRef={handOffRef}
          />
        </div>
      </div>
      <ShortcutLegend />
      <CaseDetailDialog caseId={detailCaseId} onClose={() => setDetailCaseId(null)} />
    </main>
  );
}
