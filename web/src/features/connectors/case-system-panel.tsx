import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ClientCertFields } from './client-cert-fields';
import type { CaseMessage, CaseSettings, CaseSettingsBody } from '../../../../core/contracts/case-system';
import { ApiError } from '../../api/client';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { useCaseMessageAction, useCaseSettings, useCaseStatus, usePreviewCaseMapping, useSaveCaseSettings } from './connectors-api';

const BADGE = { off: 'badge--muted', ok: 'badge--ok', retrying: 'badge--warn', failing: 'badge--danger' } as const;

/** The reasons the server gave (a refused mapping lists each target with its reason). */
function reasonsOf(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  const d = error.details as { problems?: { target: string; message: string }[] } | undefined;
  return d?.problems?.map((p) => (p.target ? `${p.target}: ${p.message}` : p.message)) ?? [error.message];
}

/**
 * 민원처리시스템 연계 (issue #16 §1), for admins: the link's health and queue depth, the failed messages with their
 * error and 다시 보내기 / 건너뛰기, the delivery history, and the settings with the field mapping and its preview.
 */
export function CaseSystemPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const status = useCaseStatus();
  const settings = useCaseSettings();
  const act = useCaseMessageAction();
  const s = status.data;

  const messages = (rows: CaseMessage[], withActions: boolean) => (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t('connectors.caseSystem.at')}</th>
          <th scope="col">{t('connectors.caseSystem.caseNumber')}</th>
          <th scope="col">{t('connectors.caseSystem.externalCaseNo')}</th>
          <th scope="col">{t('connectors.caseSystem.event')}</th>
          <th scope="col">{withActions ? t('connectors.caseSystem.error') : t('connectors.caseSystem.result')}</th>
          {withActions && (
            <th scope="col">
              <span className="visually-hidden">{t('connectors.caseSystem.retry')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={m.id}>
            <td className="nowrap">{f.short(m.sentAt ?? m.updatedAt)}</td>
            <td className="mono">{m.caseNumber ?? '—'}</td>
            <td className="mono">{m.externalCaseNo ?? '—'}</td>
            <td>
              {t(`connectors.caseSystem.events.${m.event as 'created' | 'status' | 'answered'}`, { defaultValue: m.event })}
              {m.handOffStatus && <> · {t(`handOffStatus.${m.handOffStatus}`)}</>}
            </td>
            {withActions ? (
              <td>
                {m.lastError} <span className="muted">({t('connectors.caseSystem.attempts')} {m.attempts})</span>
              </td>
            ) : (
              <td>{t(`connectors.caseSystem.results.${m.status}`)}</td>
            )}
            {withActions && (
              <td className="nowrap">
                <button type="button" className="btn btn--small" disabled={act.isPending} onClick={() => act.mutate({ id: m.id, action: 'retry' })}>
                  {t('connectors.caseSystem.retry')}
                </button>{' '}
                <button
                  type="button"
                  className="btn btn--small"
                  disabled={act.isPending}
                  onClick={() => window.confirm(t('connectors.caseSystem.skipConfirm')) && act.mutate({ id: m.id, action: 'skip' })}
                >
                  {t('connectors.caseSystem.skip')}
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <section className="panel case-system" aria-labelledby="case-system-title">
      <header className="panel__header">
        <h2 id="case-system-title" className="panel__title">
          {t('connectors.caseSystem.title')}
        </h2>
        {s && <span className={`badge ${BADGE[s.health.state]}`}>{t(`connectors.caseSystem.state.${s.health.state}`)}</span>}
      </header>
      <div className="panel__body">
        <p className="muted">{t('connectors.caseSystem.intro')}</p>
        {status.isPending && <Loading />}
        <ErrorNotice error={status.error ?? act.error} onRetry={() => void status.refetch()} />
        {s && (
          <>
            <p className="case-system__health">
              <strong>{t('connectors.caseSystem.queue', s.queue)}</strong>
              {s.health.lastSentAt && <span> · {t('connectors.caseSystem.lastSent', { time: f.dateTime(s.health.lastSentAt) })}</span>}
              {s.health.lastError && <span className="case-system__error"> · {t('connectors.caseSystem.lastError', { error: s.health.lastError })}</span>}
            </p>
            <h3 className="case-system__subtitle">{t('connectors.caseSystem.failed')}</h3>
            {s.failed.length === 0 ? <Empty>{t('connectors.caseSystem.noFailed')}</Empty> : messages(s.failed, true)}
            <h3 className="case-system__subtitle">{t('connectors.caseSystem.history')}</h3>
            {s.history.length === 0 ? <Empty>{t('connectors.caseSystem.noHistory')}</Empty> : messages(s.history.slice(0, 15), false)}
          </>
        )}
        {settings.data && <CaseSettingsForm initial={settings.data} />}
      </div>
    </section>
  );
}

function CaseSettingsForm({ initial }: { initial: CaseSettings }) {
  const { t } = useTranslation();
  const save = useSaveCaseSettings();
  const preview = usePreviewCaseMapping();
  const [d, setD] = useState(() => ({
    isEnabled: initial.isEnabled,
    baseUrl: initial.baseUrl,
    inboundMode: initial.inboundMode,
    authKind: initial.authKind,
    authName: initial.authName ?? '',
    authSecret: '',
    webhookSecret: '',
    timeoutMs: String(initial.timeoutMs),
    mapping: JSON.stringify(initial.mapping, null, 2),
  }));
  const [clientCert, setClientCert] = useState<CaseSettingsBody['clientCert']>(null);
  const [certKey, setCertKey] = useState(0);
  const [jsonError, setJsonError] = useState(false);
  useEffect(() => setJsonError(false), [d.mapping]);
  const set = <K extends keyof typeof d>(k: K, v: (typeof d)[K]) => setD((x) => ({ ...x, [k]: v }));

  const mappingValue = (): unknown => {
    try {
      return JSON.parse(d.mapping) as unknown;
    } catch {
      setJsonError(true);
      return undefined;
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const mapping = mappingValue();
    if (mapping === undefined) return;
    const body: CaseSettingsBody = {
      isEnabled: d.isEnabled,
      baseUrl: d.baseUrl,
      inboundMode: d.inboundMode,
      mapping,
      authKind: d.authKind,
      authName: d.authKind === 'none' ? null : d.authName,
      authSecret: d.authSecret === '' ? null : d.authSecret,
      webhookSecret: d.webhookSecret === '' ? null : d.webhookSecret,
      clientCert,
      timeoutMs: Number(d.timeoutMs),
    };
    save.mutate(body, {
      onSuccess: () => {
        setD((x) => ({ ...x, authSecret: '', webhookSecret: '' }));
        // The pasted PEM is not kept on the page once sealed: the fields start empty over what is now stored.
        setClientCert(null);
        setCertKey((k) => k + 1);
      },
    });
  };
  const secretHint = (has: boolean) => (has ? t('connectors.caseSystem.secretKept') : t('connectors.caseSystem.secretNone'));
  const reasons = [...reasonsOf(save.error), ...reasonsOf(preview.error)];

  return (
    <form className="connectors-admin__form case-system__form" onSubmit={submit} aria-labelledby="case-settings-title">
      <h3 id="case-settings-title" className="case-system__subtitle connectors-admin__wide">
        {t('connectors.caseSystem.settings')}
      </h3>
      <label className="lookup__consent connectors-admin__wide">
        <input type="checkbox" checked={d.isEnabled} onChange={(e) => set('isEnabled', e.target.checked)} />
        <span>{t('connectors.caseSystem.enabled')}</span>
      </label>
      <label className="field connectors-admin__wide">
        <span className="field-label">{t('connectors.caseSystem.baseUrl')}</span>
        <input className="mono" type="url" required value={d.baseUrl} onChange={(e) => set('baseUrl', e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">{t('connectors.caseSystem.inboundMode')}</span>
        <select value={d.inboundMode} onChange={(e) => set('inboundMode', e.target.value as typeof d.inboundMode)}>
          {(['webhook', 'poll'] as const).map((m) => (
            <option key={m} value={m}>
              {t(`connectors.caseSystem.modes.${m}`)}
            </option>
          ))}
        </select>
        {d.inboundMode === 'webhook' && <span className="muted mono">{t('connectors.caseSystem.webhookPath', { path: initial.webhookPath })}</span>}
      </label>
      <label className="field">
        <span className="field-label">{t('connectors.caseSystem.webhookSecret')}</span>
        <input type="password" autoComplete="new-password" placeholder={secretHint(initial.hasWebhookSecret)} value={d.webhookSecret} onChange={(e) => set('webhookSecret', e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">{t('connectors.caseSystem.authKind')}</span>
        <select value={d.authKind} onChange={(e) => set('authKind', e.target.value as typeof d.authKind)}>
          {(['none', 'api_key', 'basic'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`connectors.admin.auth.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {d.authKind !== 'none' && (
        <>
          <label className="field">
            <span className="field-label">{t('connectors.caseSystem.authName')}</span>
            <input value={d.authName} onChange={(e) => set('authName', e.target.value)} required />
          </label>
          <label className="field">
            <span className="field-label">{t('connectors.caseSystem.secret')}</span>
            <input type="password" autoComplete="new-password" placeholder={secretHint(initial.hasSecret)} value={d.authSecret} onChange={(e) => set('authSecret', e.target.value)} />
          </label>
        </>
      )}
      <ClientCertFields key={certKey} stored={save.data?.clientCert ?? initial.clientCert} onChange={setClientCert} />
      <label className="field">
        <span className="field-label">{t('connectors.caseSystem.timeoutMs')}</span>
        <input type="number" min={200} max={30000} step={100} value={d.timeoutMs} onChange={(e) => set('timeoutMs', e.target.value)} />
      </label>
      <label className="field connectors-admin__wide">
        <span className="field-label">{t('connectors.caseSystem.mapping')}</span>
        <textarea className="mono" rows={12} spellCheck={false} value={d.mapping} onChange={(e) => set('mapping', e.target.value)} />
        <span className="muted">{t('connectors.caseSystem.mappingHelp', { fields: initial.sourceFields.join(', '), summary: '{{summary}}', interpolation: { escapeValue: false } })}</span>
      </label>
      {(jsonError || reasons.length > 0) && (
        <ul className="form-error connectors-admin__wide" role="alert">
          {jsonError && <li>{t('connectors.caseSystem.mappingJson')}</li>}
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      <div className="connectors-admin__wide case-system__actions">
        <button
          type="button"
          className="btn"
          onClick={() => {
            const m = mappingValue();
            if (m !== undefined) preview.mutate(m);
          }}
        >
          {t('connectors.caseSystem.preview')}
        </button>{' '}
        <button type="submit" className="btn btn--primary" disabled={save.isPending}>
          {t('connectors.caseSystem.save')}
        </button>
        {save.isSuccess && <span role="status"> {t('connectors.caseSystem.saved')}</span>}
      </div>
      {preview.data && (
        <figure className="connectors-admin__wide case-system__preview">
          <figcaption>{t('connectors.caseSystem.previewTitle')}</figcaption>
          <pre className="mono">{JSON.stringify(preview.data.body, null, 2)}</pre>
        </figure>
      )}
    </form>
  );
}
