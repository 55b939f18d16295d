import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { SimulatedCallResult } from '../../../../core/contracts/acd';
import type { CallerCard as CallerCardData, Interaction } from '../../../../core/contracts/calls';
import { acdKeys, useSimulateAcdCall } from '../../api/acd-queries';
import { ErrorNotice, Loading } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { CallerCard } from './caller-card';
import { softphone } from '../softphone/softphone';

/** The call on the desk: answered from an ACD offer (`contactId` = the ACD contact), until the case is recorded. */
export type ActiveCall = { interaction: Interaction; callerCard: CallerCardData | null; contactId: string; endedAt: string | null };

/**
 * 통화: the simulated incoming call (through the ACD: queued, then offered to whichever agent routing picks), the
 * call's state, 통화 종료 and the caller card.
 */
export function CallPanel({
  call,
  card,
  cardPending = false,
  held,
  phoneRef,
  endButtonRef,
  onEnd,
  ending,
  endError,
  onOpenCase,
}: {
  call: ActiveCall | null;
  card: CallerCardData | null;
  cardPending?: boolean;
  held: boolean;
  phoneRef: Ref<HTMLInputElement>;
  endButtonRef: Ref<HTMLButtonElement>;
  onEnd: () => void;
  ending: boolean;
  endError: unknown;
  onOpenCase: (caseId: string) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [phone, setPhone] = useState('');
  const [result, setResult] = useState<SimulatedCallResult | null>(null);
  const simulate = useSimulateAcdCall();
  const client = useQueryClient();
  const inCall = call !== null && call.endedAt === null;
  // The queue notice of a simulated call is done once a call connects.
  const connectedId = call?.interaction.id ?? null;
  useEffect(() => {
    if (connectedId) setResult(null);
  }, [connectedId]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (simulate.isPending || phone.trim() === '') return;
    setResult(null);
    simulate.mutate(
      { callerNumber: phone.trim() },
      {
        onSuccess: (r) => {
          setResult(r);
          // The offer arrives on the socket; ask as well in case the socket is down at this moment.
          if (r.offeredTo) void client.invalidateQueries({ queryKey: acdKeys.me });
        },
      },
    );
  };

  const state = inCall ? (held ? 'held' : 'live') : call ? 'ended' : 'idle';

  return (
    <section className="panel call-panel" aria-labelledby="call-heading">
      <header className="panel__header">
        <h2 id="call-heading" className="panel__title">
          {t('call.heading')}
        </h2>
        <span className={`call-state call-state--${state}`} role="status">
          <span className="call-state__dot" aria-hidden="true" />
          {state === 'held' ? t('acd.status.on_hold') : inCall ? t('call.inCall') : call ? t('call.ended') : t('call.idle')}
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
            aria-keyshortcuts="Alt+N"
          />
          <button type="submit" className="btn btn--primary" disabled={simulate.isPending || phone.trim() === ''} aria-keyshortcuts="Alt+N">
            {simulate.isPending ? t('call.connecting') : t('call.simulate')}
          </button>
        </div>
      </form>
      {result && (
        <p className={`call-result call-result--${result.outcome}`} role="status">
          {result.outcome === 'queued'
            ? result.position === null
              ? t('acd.simulate.queued')
              : (result.estimatedWaitSeconds ?? 0) >= 1
                ? t('acd.simulate.queuedAt', { position: result.position, seconds: Math.round(result.estimatedWaitSeconds ?? 0) })
                : t('acd.simulate.queuedPosition', { position: result.position })
            : t(`acd.simulate.${result.outcome}`)}
        </p>
      )}
      <ErrorNotice error={simulate.error} />
      <ErrorNotice error={endError} />
      {call && (
        <div className={`call-bar${inCall ? ' call-bar--live' : ''}`}>
          <span>
            {t('call.connectedSince', { time: f.time(call.interaction.answeredAt ?? call.interaction.startedAt) })}
            {call.endedAt && <span className="muted"> – {f.time(call.endedAt)}</span>}
          </span>
          {inCall && (
            <button ref={endButtonRef} type="button" className="btn btn--danger btn--small"
              onClick={() => {
                // The softphone's BYE (issue #17 §2) next to the ACD's end, as before.
                void softphone.hangUp();
                onEnd();
              }}
              disabled={ending}
              aria-keyshortcuts="Alt+X"
            >
              {ending ? t('call.ending') : t('call.end')}
            </button>
          )}
        </div>
      )}
      {call && !inCall && <p className="hint">{t('call.wrapUp')}</p>}
      <div className="panel__scroll">
        {card ? (
          <CallerCard card={card} onOpenCase={onOpenCase} />
        ) : cardPending ? (
          <Loading />
        ) : call ? (
          <p className="empty">{t('acd.offer.noHistory')}</p>
        ) : (
          <p className="empty">{t('acd.simulate.idleHint')}</p>
        )}
      </div>
    </section>
  );
}
