import { useEffect, useRef, useState } from 'react';
import '../../styles/security.css';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { activityTimes, api, noteUserInput } from '../../api/client';
import { useDeskState } from '../../api/acd-queries';
import { keys, useMe } from '../../api/queries';
import { useKeepAlive } from '../../api/security-queries';
import { Dialog } from '../../components/dialog';
import { decideIdle, idleTimings, isWorkingState } from './idle-timing';

const SIGNED_OUT_KEY = 'onecall.signedOut';

/** Remembers why the user was signed out, for the sign-in page's message. */
export function markSignedOut(reason: 'idle'): void {
  try {
    sessionStorage.setItem(SIGNED_OUT_KEY, reason);
  } catch {
    // Private mode without storage: the sign-in page simply shows no reason.
  }
}

/** Reads (once) why the user was signed out. */
export function takeSignedOutReason(): 'idle' | null {
  try {
    const reason = sessionStorage.getItem(SIGNED_OUT_KEY);
    sessionStorage.removeItem(SIGNED_OUT_KEY);
    return reason === 'idle' ? 'idle' : null;
  } catch {
    return null;
  }
}

/**
 * Idle sign-out on the screen (개인정보 안전성 확보조치 기준 제6조④; the server enforces it too): typing and clicking
 * (and, for an agent, being available or on a call) count as activity and are reported to the server at most once a minute; two minutes before the limit a dialog
 * offers "계속 사용"; at the limit the session ends and the sign-in page says why. The intervals shrink with short
 * limits, after the server's refresh rule (idle-timing.ts).
 */
export function IdleWatch() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const keepAlive = useKeepAlive();
  // mutate is stable; the pending flag is read through a ref so the timer is not re-created on every render.
  const { mutate: sendKeepAlive } = keepAlive;
  const pendingRef = useRef(false);
  pendingRef.current = keepAlive.isPending;
  // An agent in 상담 가능 or on a call is at work: that state counts as input (kept current by the desk's socket).
  const me = useMe();
  const desk = useDeskState(me.data?.role === 'agent');
  const workingRef = useRef(false);
  workingRef.current = isWorkingState(desk.data?.status);
  const [idleMs, setIdleMs] = useState<number | null>(null);
  const [remainingMs, setRemainingMs] = useState<number | null>(null);
  const warning = idleMs !== null && remainingMs !== null && remainingMs <= idleTimings(idleMs).warnMs;

  // Opening the app is activity; the answer also says how long the idle limit is.
  useEffect(() => {
    sendKeepAlive(undefined, { onSuccess: (r) => setIdleMs(r.idleTimeoutSeconds * 1000) });
    const onInput = () => noteUserInput();
    window.addEventListener('keydown', onInput, { capture: true, passive: true });
    window.addEventListener('pointerdown', onInput, { capture: true, passive: true });
    return () => {
      window.removeEventListener('keydown', onInput, { capture: true });
      window.removeEventListener('pointerdown', onInput, { capture: true });
    };
  }, [sendKeepAlive]);

  useEffect(() => {
    if (idleMs === null) return undefined;
    const timings = idleTimings(idleMs);
    const tick = () => {
      if (workingRef.current) noteUserInput();
      const decision = decideIdle(timings, idleMs, { now: Date.now(), ...activityTimes(), pending: pendingRef.current });
      if (decision.kind === 'sign-out') {
        markSignedOut('idle');
        void api<void>('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
        client.setQueryData(keys.me, null);
        return;
      }
      if (decision.kind === 'report') sendKeepAlive(undefined);
      // Whole seconds only: a re-render per tick is enough.
      setRemainingMs(Math.ceil(decision.remainingMs / 1000) * 1000);
    };
    tick();
    const timer = window.setInterval(tick, 1_000);
    return () => window.clearInterval(timer);
  }, [idleMs, client, sendKeepAlive]);

  const stay = () => sendKeepAlive(undefined, { onSuccess: () => setRemainingMs(null) });
  const leave = () => {
    void api<void>('/api/auth/logout', { method: 'POST' })
      .catch(() => undefined)
      .finally(() => client.setQueryData(keys.me, null));
  };

  return (
    <Dialog open={warning} title={t('security.idleTitle')} onClose={stay}>
      <p role="timer" aria-live="polite">
        {t('security.idleBody', { seconds: Math.max(0, Math.ceil((remainingMs ?? 0) / 1000)) })}
      </p>
      <div className="dialog__actions">
        <button type="button" className="btn btn--primary" autoFocus onClick={stay} disabled={keepAlive.isPending}>
          {t('security.idleStay')}
        </button>
        <button type="button" className="btn btn--ghost" onClick={leave}>
          {t('security.idleLogout')}
        </button>
      </div>
    </Dialog>
  );
}
