import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PRESENCE_STATES, type PresenceState } from '../../../../core/domain/duty-directory';
import { kstDayOf } from '../../../../core/domain/statistics';
import { ErrorNotice } from '../../components/notice';
import { kstToday } from '../../lib/kst-day';
import { useMyPresence, useSetMyPresence } from './directory-api';
import './directory.css';

/**
 * The official's presence in one click (issue #11 §1): 근무 중 / 통화 중 / 회의 중 / 자리 비움 / 퇴근 / 휴가 (until a
 * date). The state shown is the effective one: the phone system's calls and the department's hours count too, which
 * the hint says. A group of toggle buttons: Tab reaches it, Space/Enter chooses.
 */
export function PresenceControl() {
  const { t } = useTranslation();
  const mine = useMyPresence(true);
  const set = useSetMyPresence();
  const [leaveOpen, setLeaveOpen] = useState(false);
  const [leaveUntil, setLeaveUntil] = useState(() => kstToday());
  const current = mine.data?.presence;
  // The button shows what the official chose; after hours or on a call the hint says what the desk sees.
  const declaredToday = mine.data?.declared && kstDayOf(Date.parse(mine.data.declared.at)) === kstToday() ? mine.data.declared.state : null;
  const chosen = current && (current.source === 'hours' || current.source === 'telephony') ? (declaredToday ?? 'available') : current?.state;

  const choose = (state: PresenceState) => {
    if (state === 'on_leave') {
      setLeaveOpen(true);
      return;
    }
    setLeaveOpen(false);
    set.mutate({ state });
  };
  const submitLeave = (e: FormEvent) => {
    e.preventDefault();
    set.mutate({ state: 'on_leave', leaveUntil }, { onSuccess: () => setLeaveOpen(false) });
  };

  return (
    <section className="presence" aria-labelledby="presence-heading">
      <h2 id="presence-heading" className="presence__title">
        {t('directory.presence.heading')}
      </h2>
      <div className="segmented segmented--small" role="group" aria-labelledby="presence-heading">
        {PRESENCE_STATES.map((s) => (
          <button
            key={s}
            type="button"
            className="segmented__btn"
            aria-pressed={chosen === s}
            disabled={set.isPending}
            onClick={() => choose(s)}
          >
            {t(`directory.state.${s}`)}
          </button>
        ))}
      </div>
      {current && (
        <span className="presence__hint" role="status" aria-live="polite">
          {current.state === 'on_leave' && current.leaveUntil
            ? t('directory.presence.leaveUntil', { day: current.leaveUntil })
            : current.source === 'hours'
              ? t('directory.presence.afterHours')
              : current.source === 'telephony'
                ? t('directory.presence.onPhone')
                : current.reachable
                  ? t('directory.presence.reachable')
                  : t('directory.presence.notReachable')}
        </span>
      )}
      {leaveOpen && (
        <form className="presence__leave" onSubmit={submitLeave}>
          <label htmlFor="presence-leave-until">{t('directory.presence.leaveLastDay')}</label>
          <input id="presence-leave-until" type="date" className="input--small" min={kstToday()} value={leaveUntil} required onChange={(e) => setLeaveUntil(e.target.value)} autoFocus />
          <button type="submit" className="btn btn--small btn--primary" disabled={set.isPending}>
            {t('directory.presence.setLeave')}
          </button>
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setLeaveOpen(false)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      <ErrorNotice error={set.error ?? mine.error} />
    </section>
  );
}
