import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallerCard as CallerCardData } from '../../../../core/contracts/calls';
import type { RecordCaseResult } from '../../../../core/contracts/cases';
import { useAnswerOffer, useContactAction, useDeskState, type AcdAnswered } from '../../api/acd-queries';
import { api } from '../../api/client';
import { offerWithCard } from '../../api/realtime';
import { useRealtime } from '../../api/realtime-provider';
import { useCategories, useMe } from '../../api/queries';
import { ErrorNotice } from '../../components/notice';
import { Watermark } from '../../components/watermark';
import { AgentStateBar, IN_CALL_STATUSES } from '../../features/acd/agent-state-bar';
import { OfferPanel } from '../../features/acd/offer-panel';
import { presentOfferCard } from '../../features/acd/present-offer';
import { CallPanel, type ActiveCall } from '../../features/calls/call-panel';
import { CaseDetailDialog } from '../../features/cases/case-detail';
import { CaseForm } from '../../features/cases/case-form';
import { CallbackTasksPanel } from '../../features/notifications/callback-tasks-panel';
import { CurrentCallback } from '../../features/notifications/current-callback';
import { KbPanel, type UsedArticle } from '../../features/kb/kb-panel';
import { TransferPanel } from '../../features/transfers/transfer-panel';
import { ProtectionPanel } from '../../features/protection/protection-panel';
import { MyWellbeing } from '../../features/protection/my-wellbeing';
import { LookupPanel } from '../../features/connectors/lookup-panel';
import { ConsentForm } from '../../features/surveys/consent-form';
import { HappyCallsPanel } from '../../features/surveys/happy-calls-panel';
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
  /** The case notes as typed: the KB panel suggests articles from them (issue #13). */
  const [notes, setNotes] = useState('');
  const categoryRef = useRef<HTMLInputElement>(null);
  const summaryRef = useRef<HTMLInputElement>(null);
  const resolveRef = useRef<HTMLButtonElement>(null);
  const handOffRef = useRef<HTMLButtonElement>(null);
  const answerRef = useRef<HTMLButtonElement>(null);
  const holdRef = useRef<HTMLButtonElement>(null);
  const readyRef = useRef<HTMLButtonElement>(null);
  const transferRef = useRef<HTMLButtonElement>(null);
  const protectionRef = useRef<HTMLButtonElement>(null);
  const wellbeingRef = useRef<HTMLHeadingElement>(null);

  const desk = useDeskState();
  const answer = useAnswerOffer();
  const contactAction = useContactAction();
  const endCall = useContactAction();
  const deskState = desk.data ?? null;
  const realtime = useRealtime();
  const me = useMe();
  const rawOffer = deskState?.status === 'reserved' ? offerWithCard(deskState.offer, realtime.state.lastOffer) : null;
  const offer = rawOffer && me.data ? presentOfferCard(me.data.role, rawOffer) : rawOffer;

  // The caller card, refreshed after each saved case (a new hand-off shows up at once). It is read from the
  // citizens API, which masks it for the viewer's role and records the access (issue 3); the card in the ACD's
  // answer only gives the citizen id, since the ACD does not mask it yet.
  const citizenId = call?.callerCard?.citizenId ?? null;
  const card = useQuery({
    queryKey: ['citizen-card', citizenId],
    queryFn: () => api<CallerCardData>(`/api/citizens/${encodeURIComponent(citizenId ?? '')}/card`),
    enabled: citizenId !== null,
    staleTime: 30_000,
  });

  const onConnected = useCallback(
    (connected: AcdAnswered, contactId: string) => {
      if (connected.callerCard) void client.invalidateQueries({ queryKey: ['citizen-card', connected.callerCard.citizenId] });
      setCall({ ...connected, contactId, endedAt: null });
      setSaved(null);
      setUsed([]);
      setOpenArticleId(null);
      // The agent greets the caller and usually searches next.
      window.setTimeout(() => searchRef.current?.focus(), 0);
    },
    [client],
  );

  const answerOffer = () => {
    if (!offer || answer.isPending) return;
    const contactId = offer.contact.id;
    answer.mutate(contactId, { onSuccess: (connected) => onConnected(connected, contactId) });
  };
  const rejectOffer = () => {
    if (!offer || contactAction.isPending) return;
    contactAction.mutate({ contactId: offer.contact.id, action: 'reject' });
  };
  const markEnded = useCallback(() => setCall((c) => (c && !c.endedAt ? { ...c, endedAt: new Date().toISOString() } : c)), []);
  const endActiveCall = () => {
    if (!call || call.endedAt || endCall.isPending) return;
    endCall.mutate({ contactId: call.contactId, action: 'end' }, { onSuccess: markEnded });
  };

  // The call ended elsewhere (the caller hung up, a transfer completed, a supervisor logged the agent out): the
  // desk moves to after-call work and the case form stays open for the record.
  const deskStatus = deskState?.status;
  const deskContactId = deskState?.contact?.id ?? null;
  useEffect(() => {
    if (!call || call.endedAt || !deskStatus || deskStatus === 'reserved') return;
    if (!IN_CALL_STATUSES.has(deskStatus) || deskContactId !== call.contactId) markEnded();
  }, [call, deskStatus, deskContactId, markEnded]);

  // After a reload in the middle of a call the desk state still holds the call: put it back on the desk (the contact
  // id is the interaction id), so that the agent can end it and record the case.
  const liveContact = deskState && IN_CALL_STATUSES.has(deskState.status) ? deskState.contact : null;
  useEffect(() => {
    if (call || !liveContact) return;
    // The screen pop comes back too (#18 item 3): the caller card of the live call, read again (an access record).
    const contactId = liveContact.id;
    void api<AcdAnswered>(`/api/acd/contacts/${encodeURIComponent(contactId)}/connected`)
      .then((connected) => setCall((current) => (current && current.contactId === contactId && !current.endedAt ? { ...current, interaction: connected.interaction, callerCard: connected.callerCard } : current)))
      .catch(() => undefined);
    setCall({
      interaction: {
        id: liveContact.id,
        callerNumber: liveContact.callerNumber,
        dialledNumber: liveContact.dialledNumber,
        status: 'connected',
        startedAt: liveContact.enteredAt,
        answeredAt: null,
        endedAt: null,
      },
      callerCard: null,
      contactId: liveContact.id,
      endedAt: null,
    });
  }, [call, liveContact]);

  // A new offer takes the focus to 응답 so that Enter answers (unless the agent is typing a record).
  const offerId = offer?.contact.id ?? null;
  useEffect(() => {
    if (offerId && !isEditable(document.activeElement)) window.setTimeout(() => answerRef.current?.focus(), 0);
  }, [offerId]);

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
          case 'KeyA':
            return run(() => answerRef.current?.click());
          case 'KeyH':
            return run(() => holdRef.current?.click());
          case 'KeyR':
            return run(() => readyRef.current?.click());
          case 'KeyT':
            return run(() => transferRef.current?.click());
          case 'KeyP': // 상담사 보호 (issue #14): focus the abuse type buttons
            return run(() => protectionRef.current?.focus());
          case 'KeyB': // 내 보호 현황 (issue #14): the next break and today's figures
            return run(() => wellbeingRef.current?.focus());
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
      {deskState ? (
        <AgentStateBar desk={deskState} readyRef={readyRef} holdRef={holdRef} />
      ) : (
        <div className="softbar softbar--loading">
          <ErrorNotice error={desk.error} onRetry={() => void desk.refetch()} />
        </div>
      )}
      <div className="desk__grid">
        <div className="desk__call">
          {offer && (
            <OfferPanel
              offer={offer}
              answerRef={answerRef}
              onAnswer={answerOffer}
              onReject={rejectOffer}
              answering={answer.isPending}
              rejecting={contactAction.isPending}
              error={answer.error ?? contactAction.error}
            />
          )}
          <CallPanel
            call={call}
            card={call ? (card.data ?? null) : null}
            cardPending={call !== null && citizenId !== null && card.isPending}
            held={deskState?.status === 'on_hold'}
            phoneRef={phoneRef}
            endButtonRef={endButtonRef}
            onEnd={endActiveCall}
            ending={endCall.isPending}
            endError={endCall.error}
            onOpenCase={setDetailCaseId}
          />
          <TransferPanel
            contactId={call ? call.contactId : null}
            callActive={call !== null && !call.endedAt}
            categories={categories.data ?? []}
            openRef={transferRef}
            onFellBack={(a) =>
              a.fallback &&
              setSaved({
                caseId: a.fallback.caseId,
                number: a.fallback.caseNumber,
                status: 'open',
                outcome: 'handed_off',
                handOff: { id: a.fallback.handOffId, departmentId: a.official.departmentId ?? '', departmentName: a.official.departmentName ?? '', dueAt: a.fallback.dueAt },
                maskedKinds: [],
              })
            }
          />
          <ProtectionPanel contactId={call ? call.contactId : null} callActive={call !== null && !call.endedAt} desk={deskState} openRef={protectionRef} />
          <MyWellbeing desk={deskState} focusRef={wellbeingRef} />
          <LookupPanel contactId={call ? call.contactId : null} callActive={call !== null && !call.endedAt} />
        </div>
        <KbPanel searchRef={searchRef} openArticleId={openArticleId} onOpenArticle={setOpenArticleId} used={used} onToggleUsed={toggleUsed} notes={notes} />
        <div className="desk__case">
          {saved && (
            <div className={`saved saved--${saved.handOff ? 'handoff' : 'resolved'}`} role="status">
              <div className="saved__text">
                <span className="saved__number">
                  {t('common.caseNumber')} <strong>{saved.number}</strong>
                </span>
                <span>
                  {saved.addedTo && saved.handOff
                    ? t('oneStop.chase.saved', { number: saved.addedTo.caseNumber, department: saved.handOff.departmentName, count: saved.addedTo.chaseCount, due: f.dateTime(saved.handOff.dueAt) })
                    : saved.handOff
                    ? t('caseForm.savedHandOff', { department: saved.handOff.departmentName, departmentTo: f.to(saved.handOff.departmentName), due: f.dateTime(saved.handOff.dueAt) })
                    : saved.outcome === 'transferred'
                      ? t('caseForm.savedTransferred')
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
          {/* 회신 전화 the ACD gave this agent: the answer to read, 안내 완료 / 연결 안 됨. */}
          <CurrentCallback contact={deskState?.contact ?? null} />
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
            callerName={call ? (card.data?.name ?? null) : null}
            openHandOffs={call ? (card.data?.openHandOffs ?? []) : []}
            onNotesChange={setNotes}
          />
          {/* 조사 동의 (issue #15): for the caller of the call under way, or of the case just saved. */}
          <ConsentForm caller={interactionId ? { interactionId } : saved ? { caseId: saved.caseId } : null} />
          {/* 회신 전화 (issue #11 §4): answers that reach the citizen by an agent's call. */}
          <CallbackTasksPanel />
          {/* 만족도 조사 전화 (issue #15): the questionnaire of the happy call the ACD gave this agent, and those owed. */}
          <HappyCallsPanel contact={deskState?.contact ?? null} />
        </div>
      </div>
      <ShortcutLegend />
      <CaseDetailDialog caseId={detailCaseId} onClose={() => setDetailCaseId(null)} />
      <Watermark />
    </main>
  );
}
