import { useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallConnected, CallerCard as CallerCardData } from '../../../../core/contracts/calls';
import { useEndCall, useSimulateCall } from '../../api/queries';
import { ErrorNotice } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { CallerCard } from './caller-card';

export type ActiveCall = CallConnected & { endedAt: string | null };

/** 통화: the simulated incoming call, the call's state, 통화 종료 and the caller card. */
export function CallPanel({
  call,
  card,
  phoneRef,
  endButtonRef,
  onConnected,
  onEnded,
  onOpenCase,
}: {
  call: ActiveCall | null;
  card: CallerCardData | null;
  phoneRef: Ref<HTMLInputElement>;
  endButtonRef: Ref<HTMLButtonElement>;
  onConnected: (connected: CallConnected) => void;
  onEnded: (endedAt: string) => void;
  onOpenCase: (caseId: string) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [phone, setPhone] = useState('');
  const simulate = useSimulateCall();
  const end = useEndCall();
  const inCall = call !== null && call.endedAt === null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (inCall || simulate.isPending || phone.trim() === '') return;
    end.reset();
    simulate.mutate(phone.trim(), { onSuccess: (connected) => onConnected(connected) });
  };

  const endCall = () => {
    if (!call || !inCall) return;
    end.mutate(call.interaction.id, { onSuccess: (i) => onEnded(i.endedAt ?? new Date().toISOString()) });
  };

  return (
    <section className="panel call-panel" aria-labelledby="call-heading">
      <header className="panel__header">
        <h2 id="call-heading" className="panel__title">
          {t('call.heading')}
        </h2>
        <span className={`call-state call-state--${inCall ? 'live' : call ? 'ended' : 'idle'}`} role="status">
          <span className="call-state__dot" aria-hidden="true" />
          {inCall ? t('call.inCall') : call ? t('call.ended') : t('call.idle')}
        </span>
      </header>
      <form className="call-form" onSubmit={submit}>
        <label htmlFor="caller-phone" className="field-label">
          {t('call.phone')}
        </label>
        <div className="call-form__row">
          <input
            id="caller-phone"
            ref={phoneRef}
            type="tel"
            inputMode="tel"
            autoComplete="off"
            placeholder={t('call.phonePlaceholder')}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            disabled={inCall}
            aria-keyshortcuts="Alt+N"
          />
          <button type="submit" className="btn btn--primary" disabled={inCall || simulate.isPending || phone.trim() === ''} aria-keyshortcuts="Alt+N">
            {simulate.isPending ? t('call.connecting') : t('call.simulate')}
          </button>
        </div>
      </form>
      <ErrorNotice error={simulate.error} />
      <ErrorNotice error={end.error} />
      {call && (
        <div className={`call-bar${inCall ? ' call-bar--live' : ''}`}>
          <span>
            {t('call.connectedSince', { time: f.time(call.interaction.answeredAt ?? call.interaction.startedAt) })}
            {call.endedAt && <span className="muted"> – {f.time(call.endedAt)}</span>}
          </span>
          {inCall && (
            <button ref={endButtonRef} type="button" className="btn btn--danger btn--small" onClick={endCall} disabled={end.isPending} aria-keyshortcuts="Alt+X">
              {end.isPending ? t('call.ending') : t('call.end')}
            </button>
          )}
        </div>
      )}
      {call && !inCall && <p className="hint">{t('call.wrapUp')}</p>}
      <div className="panel__scroll">
        {card ? <CallerCard card={card} onOpenCase={onOpenCase} /> : <p className="empty">{t('call.idleHint')}</p>}
      </div>
    </section>
  );
}
