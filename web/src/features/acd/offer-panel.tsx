import { useMemo, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { AcdOffer } from '../../../../core/contracts/acd';
import { HAPPY_CALL_QUEUE_CODE } from '../../../../core/domain/surveys';
import { ErrorNotice } from '../../components/notice';
import { useFormat, useNow } from '../../lib/use-format';
import { clockDuration, offerSecondsLeft } from './acd-format';
import { softphone, useSoftphone } from '../softphone/softphone';
import { SoftphoneRinging } from '../softphone/softphone-status';

/**
 * 전화 수신 (the offer): who is calling (number masked as the ACD gives it), from which queue, how long they waited,
 * what they called about before, and the seconds left to answer. 응답 (Alt+A) or 거절.
 */
export function OfferPanel({
  offer,
  answerRef,
  onAnswer,
  onReject,
  answering,
  rejecting,
  error,
}: {
  offer: AcdOffer;
  answerRef: Ref<HTMLButtonElement>;
  onAnswer: () => void;
  onReject: () => void;
  answering: boolean;
  rejecting: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(250);
  // When this browser first saw the offer: the countdown runs on the browser's clock from here.
  const receivedAt = useMemo(() => Date.now(), [offer.contact.id, offer.offeredAt]);
  const left = offerSecondsLeft(offer.offeredAt, offer.expiresAt, receivedAt, now.getTime());
  const total = Math.max(1, (Date.parse(offer.expiresAt) - Date.parse(offer.offeredAt)) / 1000);
  const waited = (Date.parse(offer.offeredAt) - Date.parse(offer.contact.enteredAt)) / 1000 + (now.getTime() - receivedAt) / 1000;
  const card = offer.callerCard;
  const isCallback = offer.contact.kind === 'callback';
  // 만족도 조사 전화 (issue #15): an outbound call the ACD queued on the happy-call queue.
  const isHappyCall = isCallback && offer.contact.queueCode === HAPPY_CALL_QUEUE_CODE;
  // 응답 answers the SIP call ringing in this browser first (issue #17 §2), then tells the ACD as before; when the
  // softphone cannot (no microphone), the ACD is not told and the reason shows on the state bar.
  const [sipAnswering, setSipAnswering] = useState(false);
  // Under SIP, taking a callback offer makes this browser call the citizen: the button says so.
  const phone = useSoftphone();
  const dialsHere = isCallback && phone.enabled && phone.registration === 'registered';
  // … and an agent on a desk phone (the browser not registered) dials the callback code on it.
  const dialsOnDeskPhone = isCallback && phone.enabled && phone.registration !== 'registered';
  const answer = () => {
    if (sipAnswering) return;
    // 콜백: nothing rings here; taking the offer makes this browser's phone call the citizen (nothing without SIP).
    if (isCallback) {
      onAnswer();
      void softphone.dialCallback();
      return;
    }
    setSipAnswering(true);
    softphone.answer().then(
      () => {
        setSipAnswering(false);
        onAnswer();
      },
      () => setSipAnswering(false),
    );
  };
  const reject = () => {
    void softphone.decline();
    onReject();
  };

  return (
    <section className="offer" aria-labelledby="offer-heading" aria-describedby="offer-countdown">
      <header className="offer__header">
        <span className="offer__ring" aria-hidden="true" />
        <h2 id="offer-heading" className="offer__title">
          {isHappyCall ? t('surveys.desk.offerTitle') : isCallback ? t('acd.offer.callbackTitle') : t('acd.offer.title')}
        </h2>
        <span id="offer-countdown" className={`offer__countdown${left <= 5 ? ' is-urgent' : ''}`} role="timer" aria-live="off" title={t('acd.offer.timeoutHint')}>
          {t('acd.offer.secondsLeft', { count: left })}
        </span>
      </header>
      <div className="offer__bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, (left / total) * 100)}%` }} />
      </div>
      <dl className="offer__facts">
        <div>
          <dt>{t('acd.offer.caller')}</dt>
          <dd className="offer__number">{isCallback && offer.callbackNumber ? offer.callbackNumber : offer.contact.callerNumber}</dd>
        </div>
        <div>
          <dt>{t('acd.offer.queue')}</dt>
          <dd>{offer.contact.queueName}</dd>
        </div>
        <div>
          <dt>{t('acd.offer.waited')}</dt>
          <dd>{clockDuration(waited)}</dd>
        </div>
      </dl>
      <div className="offer__history" aria-label={t('acd.offer.history')} role="group">
        {card ? (
          <>
            <p className="offer__who">
              <strong>{card.name ?? t('caller.unknown')}</strong>
              <span className="muted">
                {' · '}
                {t('acd.offer.totalCases', { count: card.totalCases })}
                {card.lastContactAt && ` · ${t('caller.lastContact')} ${f.date(card.lastContactAt)}`}
              </span>
            </p>
            {card.openHandOffs.length > 0 && (
              <p className="offer__open">{t('acd.offer.openHandOffs', { count: card.openHandOffs.length, summary: card.openHandOffs[0]?.summary ?? '' })}</p>
            )}
            {card.recentCases.length > 0 && (
              <ul className="offer__recent">
                {card.recentCases.slice(0, 3).map((c) => (
                  <li key={c.id}>
                    <span className="muted">{f.date(c.createdAt)}</span> {c.summary}
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <p className="muted">{t('acd.offer.noHistory')}</p>
        )}
      </div>
      <SoftphoneRinging />
      {dialsOnDeskPhone && (
        <p className="offer__hint" role="note">
          {t('acd.offer.deskPhoneCallback')}
        </p>
      )}
      <ErrorNotice error={error} />
      <div className="offer__actions">
        <button ref={answerRef} type="button" className="btn btn--primary offer__answer" onClick={answer} disabled={answering || rejecting || sipAnswering} aria-keyshortcuts="Alt+A">
          {answering || sipAnswering ? t('call.connecting') : dialsHere ? t('acd.action.dialCallback') : t('acd.action.answer')}
          <kbd className="btn__kbd">Alt+A</kbd>
        </button>
        <button type="button" className="btn btn--ghost" onClick={reject} disabled={answering || rejecting}>
          {t('acd.action.reject')}
        </button>
      </div>
    </section>
  );
}
