import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferAttempt, TransferCard } from '../../../../core/contracts/transfers';
import { api } from '../../api/client';
import { useRealtime } from '../../api/realtime-provider';
import { ErrorNotice } from '../../components/notice';
import { useNow } from '../../lib/use-format';

/**
 * The official's incoming-transfer cards (issue #11): an agent wants to put a caller through. The card shows the
 * task, the agent's notes and the caller (masked) before the phones connect; 수락 starts the talk with the agent,
 * 거절 (with a reason) turns it into a hand-off assigned to this official. Cards come on the socket, and from the
 * API after a reload.
 */
export function IncomingTransfers() {
  const realtime = useRealtime();
  const loaded = useQuery({
    queryKey: ['transfers', 'incoming'],
    queryFn: () => api<{ items: TransferCard[] }>('/api/transfers/incoming'),
    staleTime: 5_000,
  });
  // The socket's cards are newer than the loaded ones; the loaded ones cover a reload.
  const byId = new Map<string, TransferCard>();
  for (const c of loaded.data?.items ?? []) byId.set(c.attempt.id, c);
  for (const c of realtime.state.incomingTransfers) byId.set(c.attempt.id, c);
  const pushed = realtime.state.lastTransfer;
  const cards = [...byId.values()]
    .map((c) => (pushed && pushed.id === c.attempt.id ? { ...c, attempt: pushed } : c))
    .filter((c) => c.attempt.status === 'ringing' || c.attempt.status === 'consulting');
  if (cards.length === 0) return null;
  return (
    <div className="transfer-cards" aria-live="assertive">
      {cards.map((c) => (
        <IncomingCard key={c.attempt.id} card={c} />
      ))}
    </div>
  );
}

function IncomingCard({ card }: { card: TransferCard }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const now = useNow(1000).getTime();
  const [attempt, setAttempt] = useState<TransferAttempt>(card.attempt);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const acceptRef = useRef<HTMLButtonElement>(null);
  useEffect(() => setAttempt(card.attempt), [card.attempt]);
  useEffect(() => acceptRef.current?.focus(), []);

  const act = useMutation({
    mutationFn: (action: 'accept' | 'decline') =>
      api<TransferAttempt>(`/api/transfers/${encodeURIComponent(attempt.id)}/${action}`, { method: 'POST', ...(action === 'decline' ? { body: { reason } } : {}) }),
    onSuccess: (a) => {
      setAttempt(a);
      void client.invalidateQueries({ queryKey: ['transfers', 'incoming'] });
      void client.invalidateQueries({ queryKey: ['handoffs'] });
    },
  });
  const left = Math.max(0, Math.ceil((Date.parse(attempt.ringDeadlineAt) - now) / 1000));
  const caller = card.callerCard;

  return (
    <section className={`transfer-card transfer-card--${attempt.status}`} aria-labelledby={`tc-${attempt.id}`}>
      <header className="transfer-card__header">
        <span className="offer__ring" aria-hidden="true" />
        <h2 id={`tc-${attempt.id}`} className="transfer-card__title">
          {t('transfer.incoming.heading')}
        </h2>
        {attempt.status === 'ringing' && <span className="transfer__timer">{t('transfer.incoming.ringsFor', { seconds: left })}</span>}
      </header>
      <p className="transfer-card__from">{t('transfer.incoming.from', { agent: attempt.agentName })}</p>
      <dl className="transfer-card__facts">
        <div>
          <dt>{t('transfer.incoming.task')}</dt>
          <dd>{attempt.categoryPath}</dd>
        </div>
        <div>
          <dt>{t('transfer.incoming.summary')}</dt>
          <dd>{attempt.summary}</dd>
        </div>
        {attempt.notes && (
          <div>
            <dt>{t('transfer.incoming.notes')}</dt>
            <dd className="transfer-card__notes">{attempt.notes}</dd>
          </div>
        )}
        {caller && (
          <div>
            <dt>{t('transfer.incoming.caller')}</dt>
            <dd>
              {caller.name ?? ''} {caller.phone}
              {caller.openHandOffs.length > 0 && <span className="tag tag--teal">{t('transfer.incoming.openHandOffs', { count: caller.openHandOffs.length })}</span>}
            </dd>
          </div>
        )}
      </dl>
      {attempt.outsideDutyReason && <p className="muted">{t('transfer.incoming.outsideDuty', { reason: attempt.outsideDutyReason })}</p>}
      {attempt.status === 'consulting' ? (
        <p className="transfer-card__talking" role="status">
          {t('transfer.incoming.talking')}
        </p>
      ) : declining ? (
        <form
          className="transfer-card__decline"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) act.mutate('decline');
          }}
        >
          <label htmlFor={`decline-${attempt.id}`}>{t('transfer.incoming.declineReason')}</label>
          <input id={`decline-${attempt.id}`} value={reason} maxLength={300} placeholder={t('transfer.incoming.declineReasonPlaceholder')} onChange={(e) => setReason(e.target.value)} autoFocus required />
          <div className="transfer__actions">
            <button type="submit" className="btn btn--danger btn--small" disabled={act.isPending || reason.trim() === ''}>
              {t('transfer.incoming.confirmDecline')}
            </button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setDeclining(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="transfer__actions">
          <button ref={acceptRef} type="button" className="btn btn--primary" disabled={act.isPending} onClick={() => act.mutate('accept')}>
            {t('transfer.incoming.accept')}
          </button>
          <button type="button" className="btn btn--ghost" disabled={act.isPending} onClick={() => setDeclining(true)}>
            {t('transfer.incoming.decline')}
          </button>
        </div>
      )}
      <ErrorNotice error={act.error} />
    </section>
  );
}
