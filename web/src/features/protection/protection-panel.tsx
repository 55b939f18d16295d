import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentDeskState } from '../../../../core/contracts/acd';
import type { CallProtection, Incident, ProtectionRequest } from '../../../../core/contracts/protection';
import { ABUSE_TYPES, type AbuseType, type ProtectionRequestKind } from '../../../../core/domain/protection';
import { acdKeys } from '../../api/acd-queries';
import { api } from '../../api/client';
import { ErrorNotice } from '../../components/notice';
import { useNow } from '../../lib/use-format';
import { clockDuration } from '../acd/acd-format';
import './protection.css';

const REQUEST_KINDS: ProtectionRequestKind[] = ['counselling', 'off_phones', 'legal_support'];

/**
 * 상담사 보호 (감정노동 보호, issue #14) on the desk. During a call: the type of abuse, 경고 (each press plays the next
 * warning to the caller and is counted), 통화 종료 once the protocol allows it (3 warnings; 1 for 성희롱 and 협박) and
 * 긴급종료 for threats. After the protocol ended a call: the 회복 break with its countdown (the agent cannot end it;
 * only its timer does) and the requests for support (심리상담, off the phones today, 고소·고발 지원).
 */
export function ProtectionPanel({
  contactId,
  callActive,
  desk,
  openRef,
}: {
  /** The call on the desk (the interaction id), while it is live. */
  contactId: string | null;
  callActive: boolean;
  desk: AgentDeskState | null;
  /** Alt+P focuses the first type button. */
  openRef: Ref<HTMLButtonElement>;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [type, setType] = useState<AbuseType | null>(null);
  const [notes, setNotes] = useState('');
  const [ended, setEnded] = useState<Incident | null>(null);
  const liveId = callActive ? contactId : null;

  // A new call starts clean (the last incident's message stays until then).
  useEffect(() => {
    if (!liveId) return;
    setType(null);
    setNotes('');
    setEnded(null);
  }, [liveId]);

  const state = useQuery({
    queryKey: ['protection', 'call', liveId],
    queryFn: () => api<CallProtection>(`/api/protection/calls/${encodeURIComponent(liveId ?? '')}`),
    enabled: liveId !== null,
  });
  const warn = useMutation({
    mutationFn: (abuse: AbuseType) => api<CallProtection>(`/api/protection/calls/${encodeURIComponent(liveId ?? '')}/warnings`, { method: 'POST', body: { type: abuse } }),
    onSuccess: (next) => client.setQueryData(['protection', 'call', liveId], next),
  });
  const end = useMutation({
    mutationFn: (kind: 'after_warnings' | 'emergency') =>
      api<{ incident: Incident; desk: AgentDeskState }>(`/api/protection/calls/${encodeURIComponent(liveId ?? '')}/end`, {
        method: 'POST',
        body: { type, kind, ...(notes.trim() ? { notes: notes.trim() } : {}) },
      }),
    onSuccess: (result) => {
      setEnded(result.incident);
      client.setQueryData(acdKeys.me, result.desk);
    },
  });

  const resting = desk?.status === 'recovery';
  const afterRest = desk?.status === 'not_ready' && desk.reason === 'after_recovery';
  if (!liveId && !resting && !afterRest && !ended) return null;

  const typeState = type ? state.data?.types.find((x) => x.type === type) : undefined;
  const given = typeState?.given ?? 0;
  const needed = typeState?.warningsBeforeEnd ?? 0;
  const busy = warn.isPending || end.isPending;

  return (
    <section className="panel protection" aria-labelledby="protection-heading">
      <header className="panel__header">
        <h2 id="protection-heading" className="panel__title">
          {t('protection.heading')}
        </h2>
        {liveId && <kbd className="protection__kbd">{t('protection.shortcut')}</kbd>}
      </header>

      {liveId && (
        <div className="protection__body">
          <fieldset className="protection__types">
            <legend className="visually-hidden">{t('protection.typeLegend')}</legend>
            {ABUSE_TYPES.map((abuse, i) => {
              const n = state.data?.types.find((x) => x.type === abuse)?.given ?? 0;
              return (
                <button
                  key={abuse}
                  ref={i === 0 ? openRef : undefined}
                  type="button"
                  className={`btn btn--small btn--toggle protection__type${type === abuse ? ' is-active' : ''}`}
                  aria-pressed={type === abuse}
                  aria-keyshortcuts={i === 0 ? 'Alt+P' : undefined}
                  onClick={() => setType(abuse)}
                >
                  {t(`protection.type.${abuse}`)}
                  {n > 0 && <span className="protection__n">{n}</span>}
                </button>
              );
            })}
          </fieldset>

          {type && typeState && (
            <>
              <p className="protection__count" role="status" aria-live="polite">
                {t('protection.count', { given, needed })}
              </p>
              <div className="protection__actions">
                <button type="button" className="btn btn--primary btn--small" disabled={busy} onClick={() => warn.mutate(type)} title={t('protection.warnHint')}>
                  {t('protection.warn', { step: given + 1 })}
                </button>
                <button
                  type="button"
                  className="btn btn--danger btn--small"
                  disabled={busy || !typeState.canEnd}
                  onClick={() => end.mutate('after_warnings')}
                  title={typeState.canEnd ? t('protection.endHint') : t('protection.endLocked', { left: needed - given })}
                >
                  {t('protection.end')}
                </button>
                {typeState.canEmergencyEnd && (
                  <button type="button" className="btn btn--danger btn--small protection__emergency" disabled={busy} onClick={() => end.mutate('emergency')} title={t('protection.emergencyHint')}>
                    {t('protection.emergency')}
                  </button>
                )}
              </div>
              {!typeState.canEnd && <p className="field-hint">{t('protection.endLocked', { left: needed - given })}</p>}
              <label className="field protection__notes">
                <span className="field-label">{t('protection.notes')}</span>
                <textarea rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
              </label>
            </>
          )}

          {state.data && state.data.warnings.length > 0 && (
            <ol className="protection__played" aria-label={t('protection.played')}>
              {state.data.warnings.map((w) => (
                <li key={`${w.type}-${w.step}-${w.at}`} title={w.text}>
                  <span className="badge badge--warn">{t(`protection.type.${w.type}`)} {w.step}</span> <span className="muted">{w.text}</span>
                </li>
              ))}
            </ol>
          )}
          <ErrorNotice error={warn.error ?? end.error ?? state.error} />
        </div>
      )}

      {ended && !liveId && (
        <p className="protection__ended" role="status">
          {t('protection.ended')}
        </p>
      )}
      {(resting || afterRest) && desk && <RecoveryBox desk={desk} incidentId={ended?.id ?? null} />}
    </section>
  );
}

/** The 회복 break: the countdown, why, and the requests for support. */
function RecoveryBox({ desk, incidentId }: { desk: AgentDeskState; incidentId: string | null }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const now = useNow(1000).getTime();
  const resting = desk.status === 'recovery';
  const left = resting && desk.timerEndsAt ? Math.max(0, (Date.parse(desk.timerEndsAt) - now) / 1000) : 0;
  const mine = useQuery({ queryKey: ['protection', 'requests'], queryFn: () => api<{ items: ProtectionRequest[] }>('/api/protection/requests') });
  const file = useMutation({
    mutationFn: (kind: ProtectionRequestKind) => api<ProtectionRequest>('/api/protection/requests', { method: 'POST', body: { kind, ...(incidentId ? { incidentId } : {}) } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['protection', 'requests'] }),
  });
  const asked = new Set((mine.data?.items ?? []).filter((r) => r.status === 'requested' || r.status === 'scheduled' || r.status === 'filed').map((r) => r.kind));

  return (
    <div className={`protection__recovery${resting ? ' is-resting' : ''}`}>
      {resting ? (
        <>
          <p className="protection__rest-title">
            <strong>{t('protection.recovery.title')}</strong> <span className="protection__rest-left">{t('protection.recovery.left', { time: clockDuration(left) })}</span>
          </p>
          <p className="muted">{t('protection.recovery.body')}</p>
        </>
      ) : (
        <p>{t('protection.recovery.after')}</p>
      )}
      <div className="protection__requests" role="group" aria-label={t('protection.request.heading')}>
        {REQUEST_KINDS.map((kind) => (
          <button key={kind} type="button" className="btn btn--ghost btn--small" disabled={file.isPending || asked.has(kind)} onClick={() => file.mutate(kind)}>
            {t(`protection.request.${kind}`)}
          </button>
        ))}
      </div>
      {file.isSuccess && <p role="status">{t('protection.request.filed')}</p>}
      {(mine.data?.items.length ?? 0) > 0 && (
        <ul className="protection__mine" aria-label={t('protection.request.mine')}>
          {mine.data!.items.slice(0, 5).map((r) => (
            <li key={r.id}>
              {t(`protection.kind.${r.kind}`)} · <span className="badge badge--muted">{t(`protection.status.${r.status}`)}</span>
              {r.outcome && <span className="muted"> · {r.outcome}</span>}
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={file.error ?? mine.error} />
    </div>
  );
}
