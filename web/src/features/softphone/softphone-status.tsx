import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../lib/use-format';
import { softphone, startSoftphone, stopSoftphone, useSoftphone } from './softphone';
import { fill, softphoneText } from './softphone-i18n';
import './softphone.css';

/**
 * 소프트폰 on the desk's state bar (issue #17 §2): registers while the desk is open (nothing at all when the server
 * does not run SIP), shows 등록됨 / 연결 중 / 연결 끊김 with 다시 연결, the microphone's problem in plain Korean, and
 * the microphone / speaker choice.
 */
export function SoftphoneStatus() {
  const { i18n } = useTranslation();
  const tx = softphoneText(i18n.language);
  const phone = useSoftphone();
  const now = useNow(1000);

  useEffect(() => {
    startSoftphone();
    // Closing the tab unregisters too, so that no call is sent to a desk nobody is at.
    const onPageHide = () => void stopSoftphone();
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      void stopSoftphone();
    };
  }, []);

  // Alt+M: 음소거 (the desk's other call shortcuts are read by the desk itself).
  const inCall = phone.inCall;
  useEffect(() => {
    if (!inCall) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.code === 'KeyM' && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        softphone.toggleMute();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [inCall]);

  if (!phone.enabled) return null;
  const tone = phone.registration === 'registered' ? 'open' : phone.registration === 'connecting' ? 'connecting' : 'closed';
  const retryIn = phone.retryAt !== null ? Math.max(0, Math.ceil((phone.retryAt - now.getTime()) / 1000)) : null;

  return (
    <div className="softphone" role="group" aria-label={tx.label}>
      <span className={`conn conn--${tone}`} role="status" aria-live="polite" title={tx.title} data-registration={phone.registration}>
        <span className="conn__dot" aria-hidden="true" />
        <span>
          {tx.label} {tx.registration[phone.registration]}
        </span>
        {phone.registration === 'disconnected' && !phone.inCall && (
          <button type="button" className="conn__retry" onClick={() => void softphone.retry()}>
            {retryIn !== null && retryIn > 0 ? fill(tx.retryIn, { seconds: retryIn }) : tx.retry}
          </button>
        )}
      </span>
      {phone.inCall && (
        <button
          type="button"
          className="btn btn--ghost btn--small"
          aria-pressed={phone.muted}
          aria-keyshortcuts="Alt+M"
          data-softphone="mute"
          onClick={() => softphone.toggleMute()}
        >
          {phone.muted ? tx.unmute : tx.mute}
        </button>
      )}
      <details className="softphone__devices">
        <summary className="btn btn--ghost btn--small" onClick={() => void softphone.refreshDevices()}>
          {tx.devices}
        </summary>
        <div className="softphone__menu">
          <label className="field-label" htmlFor="softphone-input">
            {tx.microphone}
          </label>
          <select id="softphone-input" className="softbar__select" value={phone.inputId} onChange={(e) => void softphone.chooseInput(e.target.value)}>
            <option value="">{tx.defaultDevice}</option>
            {phone.inputs.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
          {phone.canPickOutput && (
            <>
              <label className="field-label" htmlFor="softphone-output">
                {tx.speaker}
              </label>
              <select id="softphone-output" className="softbar__select" value={phone.outputId} onChange={(e) => void softphone.chooseOutput(e.target.value)}>
                <option value="">{tx.defaultDevice}</option>
                {phone.outputs.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.label}
                  </option>
                ))}
              </select>
            </>
          )}
        </div>
      </details>
      {(phone.media || phone.muted || phone.consult !== 'none' || phone.callback !== 'none' || phone.error) && (
        <div className="softphone__notes">
          {phone.media && (
            <p className="softphone__alert" role="alert">
              {tx.media[phone.media]}
            </p>
          )}
          {phone.muted && <p className="softphone__muted">{tx.muted}</p>}
          {phone.consult === 'ringing' && <p role="status">{tx.consultRinging}</p>}
          {phone.consult === 'talking' && <p role="status">{tx.consultTalking}</p>}
          {phone.consult === 'failed' && <p role="status">{tx.consultFailed}</p>}
          {phone.callback === 'calling' && (
            <p role="status" data-softphone="callback-calling">
              {tx.callbackCalling}
            </p>
          )}
          {phone.callback === 'failed' && (
            <p role="status" data-softphone="callback-failed">
              {tx.callbackFailed}
            </p>
          )}
          {phone.error && !phone.media && (
            <p className="softphone__alert" role="alert">
              {phone.error.kind === 'credentials'
                ? tx.failed.credentials
                : fill(tx.failed[phone.error.kind], {
                    reason: phone.error.reason,
                  })}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** 전화벨: a line on the offer while the SIP call rings in this browser. */
export function SoftphoneRinging() {
  const { i18n } = useTranslation();
  const tx = softphoneText(i18n.language);
  const phone = useSoftphone();
  if (!phone.enabled || !phone.ringing) return null;
  return (
    <p className="softphone__ringing" role="status" data-softphone="ringing">
      {tx.ringing}
    </p>
  );
}
