import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallerFlag, Incident, ProtectionRequest, ProtectionSettingsBody, QueueNotice, Wellbeing } from '../../../../core/contracts/protection';
import { ABUSE_TYPES, DEFAULT_PROTECTION_SETTINGS, REQUEST_FLOW, type ProtectionRequestStatus } from '../../../../core/domain/protection';
import { useWallboard } from '../../api/acd-queries';
import { useMe } from '../../api/queries';
import { REQUEST_HEADER } from '../../../../core/contracts/common';
import { ApiError, api } from '../../api/client';
import { useRealtime } from '../../api/realtime-provider';
import { ErrorNotice, Loading } from '../../components/notice';
import { clockDuration } from '../../features/acd/acd-format';
import '../../features/protection/protection.css';
import { kstToday } from '../../lib/kst-day';
import { useFormat, useNow } from '../../lib/use-format';

const keys = {
  incidents: ['protection', 'incidents'] as const,
  requests: ['protection', 'requests'] as const,
  flags: ['protection', 'flags'] as const,
};

/**
 * 상담사 보호 (감정노동 보호, issue #14) for supervisors: live alerts (긴급종료 first), agents on a 회복 break (extend
 * with a reason; nobody can shorten it), the incident record with 관리 대상 지정 of the caller, requests for support
 * tracked to their outcome, and the flagged callers (cleared with a reason).
 */
export function ProtectionPage() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page protection-page" aria-labelledby="protection-title">
      <h1 id="protection-title" className="page__title">
        {t('protection.page.title')}
        <span className="page__note">{t('protection.page.lead')}</span>
      </h1>
      <AlertsPanel />
      <RestingPanel />
      <WellbeingPanel />
      <IncidentsPanel />
      <RequestsPanel />
      <FlagsPanel />
      <SettingsPanel />
    </main>
  );
}

function AlertsPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const alerts = useRealtime().state.protectionAlerts;
  const [clearedCount, setClearedCount] = useState(0);
  const shown = alerts.slice(clearedCount).reverse();
  return (
    <section className="panel" aria-labelledby="protection-alerts">
      <header className="panel__header">
        <h2 id="protection-alerts" className="panel__title">
          {t('protection.page.alerts')}
        </h2>
        {shown.length > 0 && (
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setClearedCount(alerts.length)}>
            {t('protection.page.dismiss')}
          </button>
        )}
      </header>
      {shown.length === 0 ? (
        <p className="protection-empty muted">{t('protection.page.noAlerts')}</p>
      ) : (
        <ul className="protection-alerts" role="log" aria-live="assertive">
          {shown.map((a) => (
            <li key={`${a.at}-${a.kind}-${a.agentId}`} className={a.kind === 'emergency_end' ? 'is-emergency' : undefined}>
              {f.dateTime(a.at)} · {t(`protection.page.alert.${a.kind}`, { agent: a.agentName, type: a.abuseType ? t(`protection.type.${a.abuseType as 'threat'}`) : '' })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RestingPanel() {
  const { t } = useTranslation();
  const board = useWallboard();
  const now = useNow(1000).getTime();
  const resting = (board.data?.agents ?? []).filter((a) => a.status === 'recovery');
  return (
    <section className="panel" aria-labelledby="protection-resting">
      <header className="panel__header">
        <h2 id="protection-resting" className="panel__title">
          {t('protection.page.resting')}
        </h2>
      </header>
      {resting.length === 0 ? (
        <p className="protection-empty muted">{t('protection.page.noneResting')}</p>
      ) : (
        <table className="table">
          <tbody>
            {resting.map((a) => (
              <tr key={a.agentId}>
                <th scope="row">{a.name}</th>
                <td>
                  <span className="badge badge--danger">{t('acd.status.recovery')}</span> {t('protection.page.elapsed', { time: clockDuration((now - Date.parse(a.since)) / 1000) })}
                </td>
                <td>
                  <ExtendForm agentId={a.agentId} name={a.name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNotice error={board.error} />
    </section>
  );
}

function ExtendForm({ agentId, name }: { agentId: string; name: string }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(5);
  const [reason, setReason] = useState('');
  const extend = useMutation({
    mutationFn: () => api(`/api/protection/agents/${encodeURIComponent(agentId)}/recovery/extend`, { method: 'POST', body: { minutes, reason } }),
    onSuccess: () => setReason(''),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length >= 2) extend.mutate();
  };
  return (
    <form className="protection-inline" onSubmit={submit} aria-label={`${name} ${t('protection.page.extend')}`}>
      <label>
        <span className="visually-hidden">{t('protection.page.extendMinutes')}</span>
        <input type="number" min={1} max={240} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} aria-label={t('protection.page.extendMinutes')} /> {t('protection.page.minutes')}
      </label>
      <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('protection.page.extendReason')} aria-label={t('protection.page.extendReason')} required minLength={2} />
      <button type="submit" className="btn btn--primary btn--small" disabled={extend.isPending}>
        {t('protection.page.extend')}
      </button>
      <ErrorNotice error={extend.error} />
    </form>
  );
}

/** 상담사 건강: per agent for a day or a month; occupancy above the setting is warned. */
function WellbeingPanel() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'day' | 'month'>('day');
  const today = kstToday();
  const query = kind === 'day' ? `day=${today}` : `month=${today.slice(0, 7)}`;
  const data = useQuery({ queryKey: ['protection', 'wellbeing', query], queryFn: () => api<Wellbeing>(`/api/protection/wellbeing?${query}`), refetchInterval: 60_000 });
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  return (
    <section className="panel" aria-labelledby="protection-wellbeing">
      <header className="panel__header">
        <h2 id="protection-wellbeing" className="panel__title">
          {t('protection.page.wellbeing')}
        </h2>
        <div className="protection-inline" role="group" aria-label={t('protection.page.period')}>
          {(['day', 'month'] as const).map((k) => (
            <button key={k} type="button" className={`btn btn--small btn--toggle${kind === k ? ' is-active' : ''}`} aria-pressed={kind === k} onClick={() => setKind(k)}>
              {t(`protection.page.periodKind.${k}`)}
            </button>
          ))}
        </div>
      </header>
      {data.data && (
        <>
          <p className="protection-empty muted">
            {t('protection.page.wellbeingLead', { warn: Math.round(data.data.occupancyWarnAbove * 100), minutes: data.data.continuousTalkAlertMinutes })}
          </p>
          {data.data.agents.length === 0 ? (
            <p className="protection-empty muted">{t('protection.page.noWork')}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  {(['agent', 'incidents', 'recovery', 'counselling', 'breaks', 'talk', 'occupancy'] as const).map((c) => (
                    <th key={c} scope="col" className={c === 'agent' ? undefined : 'wb-table__num'}>
                      {t(`protection.page.wellbeingColumns.${c}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.data.agents.map((a) => (
                  <tr key={a.agentId}>
                    <th scope="row">{a.agentName}</th>
                    <td className="wb-table__num">{a.incidents}</td>
                    <td className="wb-table__num">{Math.round(a.recoveryMinutes)}</td>
                    <td className="wb-table__num">{a.counsellingRequests}</td>
                    <td className="wb-table__num">
                      {t('protection.mine.breaksValue', { taken: a.breaksTaken, minutes: Math.round(a.breakMinutes) })}
                      {a.breaksMissed > 0 && <span className="badge badge--warn">{t('protection.mine.missed', { count: a.breaksMissed })}</span>}
                    </td>
                    <td className="wb-table__num">{Math.round(a.talkMinutes)}</td>
                    <td className="wb-table__num">{a.isOccupancyHigh ? <span className="badge badge--danger">{t('protection.page.occupancyHigh', { value: pct(a.occupancy) })}</span> : pct(a.occupancy)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="protection-empty">
            <strong>{t('protection.page.byType')}</strong>{' '}
            {data.data.incidentsByType.map((x) => (
              <span key={x.type} className="chip">
                {t(`protection.type.${x.type}`)} {x.count}
              </span>
            ))}{' '}
            <strong>{t('protection.page.byHour')}</strong>{' '}
            {data.data.incidentsByHour.length === 0 ? '—' : data.data.incidentsByHour.map((x) => <span key={x.hour} className="chip">{t('protection.page.hour', { hour: x.hour, count: x.count })}</span>)}
          </p>
        </>
      )}
      <ErrorNotice error={data.error} onRetry={() => void data.refetch()} />
    </section>
  );
}

function IncidentsPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useQuery({ queryKey: keys.incidents, queryFn: () => api<{ items: Incident[] }>('/api/protection/incidents') });
  // A new incident on the socket reloads the list.
  const alerts = useRealtime().state.protectionAlerts.length;
  const client = useQueryClient();
  const [seen, setSeen] = useState(alerts);
  if (seen !== alerts) {
    setSeen(alerts);
    void client.invalidateQueries({ queryKey: keys.incidents });
    void client.invalidateQueries({ queryKey: keys.requests });
  }
  return (
    <section className="panel" aria-labelledby="protection-incidents">
      <header className="panel__header">
        <h2 id="protection-incidents" className="panel__title">
          {t('protection.page.incidents')}
        </h2>
      </header>
      {list.isPending ? (
        <Loading />
      ) : (list.data?.items.length ?? 0) === 0 ? (
        <p className="protection-empty muted">{t('protection.page.noIncidents')}</p>
      ) : (
        <div className="panel__scroll">
          <table className="table">
            <thead>
              <tr>
                {(['at', 'agent', 'type', 'end', 'warnings', 'notes', 'caller'] as const).map((c) => (
                  <th key={c} scope="col">
                    {t(`protection.page.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.data!.items.map((i) => (
                <tr key={i.id}>
                  <td>{f.dateTime(i.endedAt ?? i.recordedAt)}</td>
                  <td>{i.agentName}</td>
                  <td>{t(`protection.type.${i.type}`)}</td>
                  <td>
                    <span className={`badge ${i.endKind === 'emergency' ? 'badge--danger' : 'badge--warn'}`}>{t(`protection.endKind.${i.endKind}`)}</span>
                    {i.version > 1 && <span className="muted"> · {t('protection.page.version', { version: i.version })}</span>}
                  </td>
                  <td className="wb-table__num">{i.warningsGiven}</td>
                  <td>
                    {i.notes ?? ''}
                    <EvidenceForm incidentId={i.id} />
                  </td>
                  <td>{i.callerFlagged ? <span className="badge badge--danger">{t('protection.page.flagged')}</span> : i.hasCaller ? <FlagForm incidentId={i.id} /> : <span className="muted">{t('protection.page.noCaller')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
    </section>
  );
}

/** Saves the evidence package the server answers (the body is a ZIP, not JSON). */
async function downloadEvidence(incidentId: string, body: { reasonCode: string; reasonText: string }): Promise<void> {
  const res = await fetch(`/api/protection/incidents/${encodeURIComponent(incidentId)}/evidence`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', [REQUEST_HEADER]: '1' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const payload = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, payload?.error?.code ?? `HTTP_${res.status}`, payload?.error?.message ?? res.statusText);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `onecall-incident-${incidentId}.zip`;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 증거 자료: the package only with a reason (recorded as a download, 고시 제8조). */
function EvidenceForm({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reasonCode, setReasonCode] = useState<'legal_request' | 'citizen_request' | 'other'>('legal_request');
  const [reasonText, setReasonText] = useState('');
  const run = useMutation({ mutationFn: () => downloadEvidence(incidentId, { reasonCode, reasonText: reasonText.trim() }), onSuccess: () => setOpen(false) });
  if (!open) {
    return (
      <div>
        <button type="button" className="btn btn--ghost btn--tiny" onClick={() => setOpen(true)}>
          {t('protection.page.evidence')}
        </button>
      </div>
    );
  }
  return (
    <form
      className="protection-inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (reasonText.trim().length >= 2) run.mutate();
      }}
    >
      <select value={reasonCode} onChange={(e) => setReasonCode(e.target.value as typeof reasonCode)} aria-label={t('protection.page.evidenceReason')}>
        {(['legal_request', 'citizen_request', 'other'] as const).map((c) => (
          <option key={c} value={c}>
            {t(`protection.page.evidenceReasons.${c}`)}
          </option>
        ))}
      </select>
      <input type="text" autoFocus value={reasonText} onChange={(e) => setReasonText(e.target.value)} placeholder={t('protection.page.evidenceReasonText')} aria-label={t('protection.page.evidenceReasonText')} required minLength={2} />
      <button type="submit" className="btn btn--primary btn--small" disabled={run.isPending}>
        {t('protection.page.download')}
      </button>
      <ErrorNotice error={run.error} />
    </form>
  );
}

function FlagForm({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const flag = useMutation({
    mutationFn: () => api<CallerFlag>('/api/protection/flags', { method: 'POST', body: { incidentId, reason } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.incidents });
      void client.invalidateQueries({ queryKey: keys.flags });
    },
  });
  if (!open) {
    return (
      <button type="button" className="btn btn--ghost btn--small" onClick={() => setOpen(true)}>
        {t('protection.page.flag')}
      </button>
    );
  }
  return (
    <form
      className="protection-inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim().length >= 2) flag.mutate();
      }}
    >
      <input type="text" autoFocus value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('protection.page.flagReason')} aria-label={t('protection.page.flagReason')} required minLength={2} />
      <button type="submit" className="btn btn--danger btn--small" disabled={flag.isPending}>
        {t('protection.page.flag')}
      </button>
      <ErrorNotice error={flag.error} />
    </form>
  );
}

function RequestsPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useQuery({ queryKey: keys.requests, queryFn: () => api<{ items: ProtectionRequest[] }>('/api/protection/requests') });
  return (
    <section className="panel" aria-labelledby="protection-requests">
      <header className="panel__header">
        <h2 id="protection-requests" className="panel__title">
          {t('protection.page.requests')}
        </h2>
      </header>
      {(list.data?.items.length ?? 0) === 0 ? (
        <p className="protection-empty muted">{t('protection.page.noRequests')}</p>
      ) : (
        <table className="table">
          <tbody>
            {list.data!.items.map((r) => (
              <tr key={r.id}>
                <td>{f.dateTime(r.createdAt)}</td>
                <td>{r.agentName}</td>
                <td>{t(`protection.kind.${r.kind}`)}</td>
                <td>
                  <span className="badge badge--muted">{t(`protection.status.${r.status}`)}</span>
                  {r.outcome && <span className="muted"> · {r.outcome}</span>}
                </td>
                <td>
                  <RequestMove request={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNotice error={list.error} />
    </section>
  );
}

function RequestMove({ request }: { request: ProtectionRequest }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const next = REQUEST_FLOW[request.kind][request.status] ?? [];
  const [to, setTo] = useState<ProtectionRequestStatus | ''>('');
  const [outcome, setOutcome] = useState('');
  const move = useMutation({
    mutationFn: () => api<ProtectionRequest>(`/api/protection/requests/${encodeURIComponent(request.id)}/status`, { method: 'POST', body: { status: to, ...(outcome.trim() ? { outcome: outcome.trim() } : {}) } }),
    onSuccess: () => {
      setTo('');
      setOutcome('');
      void client.invalidateQueries({ queryKey: keys.requests });
    },
  });
  if (next.length === 0) return null;
  return (
    <form
      className="protection-inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (to) move.mutate();
      }}
    >
      <select value={to} onChange={(e) => setTo(e.target.value as ProtectionRequestStatus)} aria-label={`${request.agentName} ${t(`protection.kind.${request.kind}`)}`}>
        <option value="">—</option>
        {next.map((s) => (
          <option key={s} value={s}>
            {t(`protection.status.${s}`)}
          </option>
        ))}
      </select>
      {(to === 'closed' || to === 'done' || to === 'declined') && (
        <input type="text" value={outcome} onChange={(e) => setOutcome(e.target.value)} placeholder={t('protection.page.outcome')} aria-label={t('protection.page.outcome')} required={to === 'closed'} />
      )}
      <button type="submit" className="btn btn--ghost btn--small" disabled={!to || move.isPending}>
        {t('protection.page.move')}
      </button>
      <ErrorNotice error={move.error} />
    </form>
  );
}

function FlagsPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useQuery({ queryKey: keys.flags, queryFn: () => api<{ items: CallerFlag[] }>('/api/protection/flags') });
  return (
    <section className="panel" aria-labelledby="protection-flags">
      <header className="panel__header">
        <h2 id="protection-flags" className="panel__title">
          {t('protection.page.flags')}
        </h2>
        <span className="page__note">{t('protection.page.flagsLead', { days: DEFAULT_PROTECTION_SETTINGS.flagDays })}</span>
      </header>
      {(list.data?.items.length ?? 0) === 0 ? (
        <p className="protection-empty muted">{t('protection.page.noFlags')}</p>
      ) : (
        <table className="table">
          <tbody>
            {list.data!.items.map((fl) => (
              <tr key={fl.id}>
                <td>{f.dateTime(fl.flaggedAt)}</td>
                <td>{fl.reason}</td>
                <td>{fl.flaggedByName}</td>
                <td>{fl.isActive ? t('protection.page.expires', { date: f.dateTime(fl.expiresAt) }) : <span className="muted">{t('protection.page.cleared')}{fl.clearReason ? ` · ${fl.clearReason}` : ''}</span>}</td>
                <td>{fl.isActive && <ClearForm flagId={fl.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNotice error={list.error} />
    </section>
  );
}

function ClearForm({ flagId }: { flagId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const clear = useMutation({
    mutationFn: () => api<CallerFlag>(`/api/protection/flags/${encodeURIComponent(flagId)}/clear`, { method: 'POST', body: { reason } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.flags });
      void client.invalidateQueries({ queryKey: keys.incidents });
    },
  });
  return (
    <form
      className="protection-inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim().length >= 2) clear.mutate();
      }}
    >
      <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('protection.page.clearReason')} aria-label={t('protection.page.clearReason')} required minLength={2} />
      <button type="submit" className="btn btn--ghost btn--small" disabled={clear.isPending}>
        {t('protection.page.clear')}
      </button>
      <ErrorNotice error={clear.error} />
    </form>
  );
}

/**
 * 보호 설정: the warning texts per type (one per line, played in order), the warnings before the end, the texts, 회복
 * minutes, flags, and each queue's entry notice. Admins edit; supervisors read.
 */
function SettingsPanel() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const isAdmin = me.data?.role === 'admin';
  const settings = useQuery({ queryKey: ['protection', 'settings'], queryFn: () => api<ProtectionSettingsBody>('/api/protection/settings') });
  const notices = useQuery({ queryKey: ['protection', 'queue-notices'], queryFn: () => api<{ items: QueueNotice[] }>('/api/protection/queue-notices') });
  const [draft, setDraft] = useState<ProtectionSettingsBody | null>(null);
  const form = draft ?? settings.data ?? null;
  const save = useMutation({
    mutationFn: (body: ProtectionSettingsBody) => api<ProtectionSettingsBody>('/api/protection/settings', { method: 'PUT', body }),
    onSuccess: (saved) => {
      client.setQueryData(['protection', 'settings'], saved);
      setDraft(null);
    },
  });
  if (!form) return <ErrorNotice error={settings.error} />;
  const set = (patch: Partial<ProtectionSettingsBody>) => setDraft({ ...form, ...patch });
  const num = (label: string, value: number, onChange: (n: number) => void, min: number, max: number) => (
    <label className="field protection-setting">
      <span className="field-label">{label}</span>
      <input type="number" min={min} max={max} value={value} disabled={!isAdmin} onChange={(e) => onChange(Number(e.target.value))} />
    </label>
  );
  return (
    <section className="panel" aria-labelledby="protection-settings">
      <header className="panel__header">
        <h2 id="protection-settings" className="panel__title">
          {t('protection.settings.title')}
        </h2>
        {!isAdmin && <span className="page__note">{t('protection.settings.readOnly')}</span>}
      </header>
      <form
        className="protection-settings"
        onSubmit={(e) => {
          e.preventDefault();
          if (!isAdmin || !draft) return;
          // Blank lines are not warnings.
          const warningTexts = Object.fromEntries(ABUSE_TYPES.map((k) => [k, draft.warningTexts[k].map((x) => x.trim()).filter(Boolean)])) as ProtectionSettingsBody['warningTexts'];
          save.mutate({ ...draft, warningTexts });
        }}
      >
        <div className="protection-inline">
          {num(t('protection.settings.recoveryMinutes'), form.recoveryMinutes, (n) => set({ recoveryMinutes: n }), 1, 120)}
          {num(t('protection.settings.flagDays'), form.flagDays, (n) => set({ flagDays: n }), 1, 730)}
          {num(t('protection.settings.talkAlert'), form.continuousTalkAlertMinutes, (n) => set({ continuousTalkAlertMinutes: n }), 5, 480)}
          {num(t('protection.settings.occupancy'), Math.round(form.occupancyWarnAbove * 100), (n) => set({ occupancyWarnAbove: n / 100 }), 50, 100)}
          <label className="field protection-setting">
            <span className="field-label">{t('protection.settings.flagMode')}</span>
            <select value={form.flagMode} disabled={!isAdmin} onChange={(e) => set({ flagMode: e.target.value as ProtectionSettingsBody['flagMode'] })}>
              <option value="senior_queue">{t('protection.settings.flagModes.senior_queue')}</option>
              <option value="notice_first">{t('protection.settings.flagModes.notice_first')}</option>
            </select>
          </label>
          <label className="field protection-setting">
            <span className="field-label">{t('protection.settings.seniorQueue')}</span>
            <select value={form.seniorQueueId ?? ''} disabled={!isAdmin} onChange={(e) => set({ seniorQueueId: e.target.value || null })}>
              <option value="">{t('protection.settings.noSeniorQueue')}</option>
              {(notices.data?.items ?? []).map((q) => (
                <option key={q.queueId} value={q.queueId}>
                  {q.queueName}
                </option>
              ))}
            </select>
          </label>
        </div>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('protection.typeLegend')}</th>
              <th scope="col">{t('protection.settings.warningsBeforeEnd')}</th>
              <th scope="col">{t('protection.settings.warningTexts')}</th>
            </tr>
          </thead>
          <tbody>
            {ABUSE_TYPES.map((type) => (
              <tr key={type}>
                <th scope="row">{t(`protection.type.${type}`)}</th>
                <td>
                  <input
                    type="number"
                    min={1}
                    max={10}
                    value={form.warningsBeforeEnd[type]}
                    disabled={!isAdmin}
                    aria-label={`${t(`protection.type.${type}`)} ${t('protection.settings.warningsBeforeEnd')}`}
                    onChange={(e) => set({ warningsBeforeEnd: { ...form.warningsBeforeEnd, [type]: Number(e.target.value) } })}
                  />
                </td>
                <td>
                  <textarea
                    className="protection-texts"
                    rows={Math.max(2, form.warningTexts[type].length)}
                    value={form.warningTexts[type].join('\n')}
                    disabled={!isAdmin}
                    aria-label={`${t(`protection.type.${type}`)} ${t('protection.settings.warningTexts')}`}
                    onChange={(e) => set({ warningTexts: { ...form.warningTexts, [type]: e.target.value.split('\n') } })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <label className="field">
          <span className="field-label">{t('protection.settings.terminationText')}</span>
          <textarea className="protection-texts" rows={2} value={form.terminationText} disabled={!isAdmin} onChange={(e) => set({ terminationText: e.target.value })} />
        </label>
        <label className="field">
          <span className="field-label">{t('protection.settings.flaggedCallerText')}</span>
          <textarea className="protection-texts" rows={2} value={form.flaggedCallerText} disabled={!isAdmin} onChange={(e) => set({ flaggedCallerText: e.target.value })} />
        </label>
        {isAdmin && (
          <div className="protection-inline">
            <button type="submit" className="btn btn--primary btn--small" disabled={!draft || save.isPending}>
              {t('protection.settings.save')}
            </button>
            {draft && (
              <button type="button" className="btn btn--ghost btn--small" onClick={() => setDraft(null)}>
                {t('protection.settings.reset')}
              </button>
            )}
            {save.isSuccess && !draft && <span role="status">{t('protection.settings.saved')}</span>}
          </div>
        )}
        <ErrorNotice error={save.error} />
      </form>
      <h3 className="protection-subtitle">{t('protection.settings.queueNotices')}</h3>
      {(notices.data?.items ?? []).map((n) => (
        <QueueNoticeForm key={n.queueId} notice={n} isAdmin={isAdmin} />
      ))}
      <ErrorNotice error={notices.error} />
    </section>
  );
}

function QueueNoticeForm({ notice, isAdmin }: { notice: QueueNotice; isAdmin: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [text, setText] = useState(notice.text);
  const [audioId, setAudioId] = useState(notice.audioId ?? '');
  const [isEnabled, setEnabled] = useState(notice.isEnabled);
  const save = useMutation({
    mutationFn: () => api<QueueNotice>(`/api/protection/queue-notices/${encodeURIComponent(notice.queueId)}`, { method: 'PUT', body: { text, audioId: audioId.trim() || null, isEnabled } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['protection', 'queue-notices'] }),
  });
  return (
    <form
      className="protection-notice"
      onSubmit={(e) => {
        e.preventDefault();
        if (isAdmin) save.mutate();
      }}
    >
      <div>
        <strong>{notice.queueName}</strong> {notice.isDefault && <span className="badge badge--muted">{t('protection.settings.defaultNotice')}</span>}
      </div>
      <textarea className="protection-texts" rows={2} value={text} disabled={!isAdmin} onChange={(e) => setText(e.target.value)} aria-label={`${notice.queueName} ${t('protection.settings.noticeText')}`} />
      <div className="protection-inline">
        <input type="text" value={audioId} disabled={!isAdmin} onChange={(e) => setAudioId(e.target.value)} placeholder={t('protection.settings.audioId')} aria-label={`${notice.queueName} ${t('protection.settings.audioId')}`} />
        <label>
          <input type="checkbox" checked={isEnabled} disabled={!isAdmin} onChange={(e) => setEnabled(e.target.checked)} /> {t('protection.settings.noticeEnabled')}
        </label>
        {isAdmin && (
          <button type="submit" className="btn btn--ghost btn--small" disabled={save.isPending}>
            {t('protection.settings.save')}
          </button>
        )}
        {save.isSuccess && <span role="status">{t('protection.settings.saved')}</span>}
      </div>
      <ErrorNotice error={save.error} />
    </form>
  );
}
