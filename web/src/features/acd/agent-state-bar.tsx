import { useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { AgentNotReadyReasonSchema, type AgentDeskState, type TransferBody } from '../../../../core/contracts/acd';
import { useContactAction, useSetAgentState, useTransfer, useWrapUp } from '../../api/acd-queries';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/notice';
import { useNow } from '../../lib/use-format';
import { clockDuration } from './acd-format';
import { ConnectionBadge } from './connection-badge';
import { useRealtime } from '../../api/realtime-provider';
import { lineWaitTone } from './acd-format';
import type { TransferTarget } from '../../../../core/contracts/directory';
import { TransferTargetPicker } from '../directory/transfer-target-picker';
import { softphone } from '../softphone/softphone';
import { SoftphoneStatus } from '../softphone/softphone-status';

const AGENT_REASONS = AgentNotReadyReasonSchema.options;
type AgentReason = (typeof AGENT_REASONS)[number];

/** States in which the agent holds a live call. */
export const IN_CALL_STATUSES = new Set(['on_call', 'on_hold', 'consulting']);

/**
 * 상담 상태 표시줄 (the softphone bar across the top of the desk): the agent's state with its running time, the call
 * controls while on a call (보류/재개, 호 전환; 통화 종료 stays in the call panel), the after-call-work timer with 연장/종료, and the state
 * buttons (상담 가능, 이석 with a reason, 로그아웃). Buttons follow `allowedActions` from the server.
 */
export function AgentStateBar({
  desk,
  readyRef,
  holdRef,
}: {
  desk: AgentDeskState;
  readyRef: Ref<HTMLButtonElement>;
  holdRef: Ref<HTMLButtonElement>;
}) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const setState = useSetAgentState();
  const wrapUp = useWrapUp();
  const contactAction = useContactAction();
  const [reason, setReason] = useState<AgentReason>('break');
  const [transferOpen, setTransferOpen] = useState(false);

  const allowed = new Set(desk.allowedActions);
  const status = desk.status;
  const elapsed = (now.getTime() - Date.parse(desk.since)) / 1000;
  const inCall = IN_CALL_STATUSES.has(status);
  const contactId = desk.contact?.id ?? null;
  const busy = setState.isPending || wrapUp.isPending || contactAction.isPending;

  // On a call, 상담 가능 takes back a not-ready or logout asked for after the call (the server clears them).
  const hasPending = desk.pendingNotReady !== null || desk.pendingLogout;
  const canReady = status === 'after_call_work' ? allowed.has('end_wrap_up') : allowed.has('set_ready') || allowed.has('login') || (inCall && hasPending);
  // 회복 (issue #14): nothing but its timer ends the rest, so the state buttons wait (the server refuses them too).
  const canNotReady = status !== 'recovery' && (status !== 'logged_out' || allowed.has('login'));
  const readyLabel = status === 'after_call_work' ? t('acd.action.endWrapUp') : t('acd.action.ready');
  const onReady = () => {
    if (status === 'after_call_work') wrapUp.mutate('end');
    else setState.mutate({ status: 'available' });
  };

  const wrapLeft = status === 'after_call_work' && desk.timerEndsAt ? (Date.parse(desk.timerEndsAt) - now.getTime()) / 1000 : null;

  return (
    <section className={`softbar softbar--${status}`} aria-label={t('acd.bar.label')}>
      <div className="softbar__state" role="status" aria-live="polite">
        <span className="softbar__dot" aria-hidden="true" />
        <span className="softbar__status">{t(`acd.status.${status}`)}</span>
        {desk.reason && status === 'not_ready' && <span className="softbar__reason">({t(`acd.reason.${desk.reason}`)})</span>}
        {status !== 'logged_out' && (
          <span className="softbar__time" aria-label={t('acd.bar.elapsed')}>
            {clockDuration(elapsed)}
          </span>
        )}
      </div>
      {status === 'logged_out' && <span className="softbar__hint">{t('acd.simulate.loggedOutHint')}</span>}
      {desk.pendingNotReady && <span className="softbar__pending">{t('acd.bar.pendingNotReady', { reason: t(`acd.reason.${desk.pendingNotReady}`) })}</span>}
      {desk.pendingLogout && <span className="softbar__pending">{t('acd.bar.pendingLogout')}</span>}

      {inCall && contactId && (
        <div className="softbar__group" role="group" aria-label={t('acd.bar.callControls')}>
          {status === 'consulting' ? (
            <>
              <button type="button" className="btn btn--teal btn--small" disabled={busy} onClick={() => {
                  // The softphone sends REFER with Replaces (issue #17 §3); the ACD is told as before.
                  void softphone.completeConsult();
                  contactAction.mutate({ contactId, action: 'transfer/complete' });
                }}>
                {t('acd.action.completeTransfer')}
              </button>
              <button type="button" className="btn btn--ghost btn--small" disabled={busy} onClick={() => {
                  void softphone.cancelConsult();
                  contactAction.mutate({ contactId, action: 'transfer/cancel' });
                }}>
                {t('acd.action.cancelTransfer')}
              </button>
            </>
          ) : (
            <>
              <button
                ref={holdRef}
                type="button"
                className="btn btn--ghost btn--small"
                disabled={busy || !(allowed.has('hold') || allowed.has('retrieve'))}
                aria-keyshortcuts="Alt+H"
                aria-pressed={status === 'on_hold'}
                onClick={() => {
                  void softphone.setHold(status !== 'on_hold');
                  contactAction.mutate({ contactId, action: status === 'on_hold' ? 'resume' : 'hold' });
                }}
              >
                {status === 'on_hold' ? t('acd.action.resume') : t('acd.action.hold')}
              </button>
              <button type="button" className="btn btn--ghost btn--small" disabled={busy || !allowed.has('start_consult')} onClick={() => setTransferOpen(true)}>
                {t('acd.action.transfer')}
              </button>
            </>
          )}
        </div>
      )}

      {status === 'after_call_work' && (
        <div className="softbar__group" role="group" aria-label={t('acd.bar.wrapUp')}>
          {wrapLeft !== null && (
            <span className="softbar__timer">
              {t('acd.bar.wrapUpLeft')} <strong>{clockDuration(wrapLeft)}</strong>
            </span>
          )}
          <button type="button" className="btn btn--ghost btn--small" disabled={busy || !allowed.has('extend_wrap_up')} onClick={() => wrapUp.mutate('extend')}>
            {t('acd.action.extendWrapUp')}
          </button>
        </div>
      )}

      <div className="softbar__spacer" />
      <LineNow />

      <div className="softbar__group" role="group" aria-label={t('acd.bar.stateControls')}>
        <button ref={readyRef} type="button" className="btn btn--primary btn--small" disabled={busy || !canReady} aria-keyshortcuts="Alt+R" onClick={onReady}>
          {readyLabel}
        </button>
        <label className="visually-hidden" htmlFor="acd-reason">
          {t('acd.bar.reason')}
        </label>
        <select id="acd-reason" className="softbar__select" value={reason} onChange={(e) => setReason(e.target.value as AgentReason)} disabled={busy || !canNotReady}>
          {AGENT_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`acd.reason.${r}`)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          disabled={busy || !canNotReady || (status === 'not_ready' && desk.reason === reason)}
          onClick={() => setState.mutate({ status: 'not_ready', reason })}
        >
          {t('acd.action.notReady')}
        </button>
        {/* On a call, 상담 종료 asks to log out when the after-call work ends (issue #19); 상담 가능 takes it back. */}
        <button
          type="button"
          className="btn btn--ghost btn--small"
          disabled={busy || !allowed.has('logout') || status === 'recovery' || desk.pendingLogout}
          onClick={() => setState.mutate({ status: 'logged_out' })}
        >
          {t('acd.action.logout')}
        </button>
      </div>
      <span className="softbar__count">{t('acd.bar.handledToday', { count: desk.callsHandledToday })}</span>
      <SoftphoneStatus />
      <ConnectionBadge />
      <div className="softbar__errors">
        <ErrorNotice error={setState.error ?? wrapUp.error ?? contactAction.error} />
      </div>
      {contactId && <TransferDialog open={transferOpen} contactId={contactId} onClose={() => setTransferOpen(false)} />}
    </section>
  );
}

/**
 * 호 전환: blind (바로 전환) or consultative (협의 후 전환) to an official's extension or a department's number, picked
 * from the duty directory (issue #11 §3; the server refuses anything else).
 */
function TransferDialog({ open, contactId, onClose }: { open: boolean; contactId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const transfer = useTransfer();
  const [mode, setMode] = useState<TransferBody['mode']>('blind');
  const [target, setTarget] = useState<TransferTarget | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!target) return;
    const to = target.target;
    // The ACD checks the target first. 바로 전환: the ACD's telephony adapter sends the one REFER (Kamailio refers the
    // caller and ends the agent's leg), so the softphone sends none (two REFERs would ring the target twice).
    // 협의: the softphone holds the caller and calls the target; 전환 완료 sends REFER with Replaces.
    const onSuccess = () => {
      if (mode === 'consultative') void softphone.startConsult(to);
      onClose();
    };
    transfer.mutate({ contactId, body: { mode, target: to } }, { onSuccess });
  };
  return (
    <Dialog open={open} title={t('acd.transfer.title')} onClose={onClose}>
      <form className="transfer-form" onSubmit={submit}>
        <fieldset className="transfer-form__modes">
          <legend className="field-label">{t('acd.transfer.mode')}</legend>
          {(['blind', 'consultative'] as const).map((m) => (
            <label key={m} className="transfer-form__mode">
              <input type="radio" name="transfer-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
              <span>
                <strong>{t(`acd.transfer.${m}`)}</strong>
                <span className="field-hint"> {t(`acd.transfer.${m}Hint`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <TransferTargetPicker value={target} onChange={setTarget} />
        <ErrorNotice error={transfer.error} />
        <div className="transfer-form__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn--primary" disabled={transfer.isPending || !target}>
            {t('acd.transfer.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * 대기 호 on the desk (issue #18 item 2): how many calls wait in line now and the longest wait, from the socket's
 * `line` messages; the wait ticks on here between them and turns red past the 20 s target.
 */
function LineNow() {
  const { t } = useTranslation();
  const { state } = useRealtime();
  const now = useNow(1000);
  const line = state.line;
  if (!line) return null;
  const longest = line.waiting > 0 ? line.longestWaitSeconds + Math.max(0, (now.getTime() - Date.parse(line.at)) / 1000) : 0;
  const tone = line.waiting > 0 ? lineWaitTone(longest) : 'none';
  return (
    <span className={`softbar__line softbar__line--${tone}`} role="status" aria-label={t('acd.bar.line')}>
      {t('acd.bar.waiting', { count: line.waiting })}
      {line.waiting > 0 && <span className="softbar__line-wait"> · {t('acd.bar.longest', { wait: clockDuration(longest) })}</span>}
    </span>
  );
}
