import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientCertInfo } from '../../../../core/contracts/case-system';
import type { LookupAdmin, LookupField, LookupSaveBody } from '../../../../core/contracts/connectors';
import type { Role } from '../../../../core/contracts/enums';
import { ApiError } from '../../api/client';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useAdminLookups, useDeleteLookup, useSaveLookup } from '../../features/connectors/connectors-api';
import { CaseSystemPanel } from '../../features/connectors/case-system-panel';
import { ClientCertFields } from '../../features/connectors/client-cert-fields';
import { useFormat } from '../../lib/use-format';
import '../../features/connectors/connectors.css';

const ROLES: Role[] = ['agent', 'supervisor'];
const FORMATS: LookupField['format'][] = ['text', 'won', 'date'];

type Draft = Omit<LookupSaveBody, 'timeoutMs'> & {
  id: string | null;
  hasSecret: boolean;
  timeoutMs: string;
  /** The stored client certificate's subject and expiry (the certificate itself is write-only). */
  storedCert: ClientCertInfo | null;
};

const emptyDraft = (): Draft => ({
  id: null,
  hasSecret: false,
  name: '',
  identifierLabel: '',
  identifierPattern: '',
  identifierExample: '',
  urlTemplate: 'https://',
  method: 'GET',
  requestTemplate: null,
  authKind: 'none',
  authName: null,
  authSecret: null,
  clientCert: null,
  storedCert: null,
  resultPath: '',
  notFoundPath: '',
  fields: [{ label: '', path: '', format: 'text' }],
  timeoutMs: '3000',
  roles: ['agent', 'supervisor'],
  isEnabled: true,
});

function draftOf(l: LookupAdmin): Draft {
  const { health: _h, updatedAt: _u, hasClientCert: _c, clientCert, ...rest } = l;
  return { ...rest, authSecret: null, clientCert: null, storedCert: clientCert, timeoutMs: String(l.timeoutMs) };
}

/** The server's reasons for refusing a definition, one line each (the mapping is checked on save). */
function issuesOf(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details as { issues?: { message?: string }[] } | undefined;
  return (details?.issues ?? []).map((i) => i.message ?? '').filter((m) => /[가-힣]/.test(m));
}

/**
 * 부서 시스템 연계 (issue #16 §2), for admins: the department look-ups agents may run during a call, each with its
 * health (the circuit breaker), and the form that defines one: identifier and format, URL and request templates,
 * authentication (the secret is write-only), the response mapping to labelled fields, timeout and roles.
 */
export function ConnectorsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useAdminLookups();
  const remove = useDeleteLookup();
  const [draft, setDraft] = useState<Draft | null>(null);

  return (
    <main id="main" className="page connectors-admin">
      <h1 className="page__title">
        {t('connectors.admin.title')} <span className="page__note">{t('connectors.admin.intro')}</span>
      </h1>
      <section className="panel" aria-labelledby="conn-list">
        <header className="panel__header">
          <h2 id="conn-list" className="panel__title">
            {t('connectors.heading')}
          </h2>
          <button type="button" className="btn btn--primary btn--small" onClick={() => setDraft(emptyDraft())}>
            {t('connectors.admin.add')}
          </button>
        </header>
        <div className="panel__scroll">
          {list.isPending && <Loading />}
          <ErrorNotice error={list.error ?? remove.error} onRetry={() => void list.refetch()} />
          {list.data && list.data.length === 0 && <Empty>{t('connectors.admin.empty')}</Empty>}
          {list.data && list.data.length > 0 && (
            <table className="table connectors-admin__list">
              <thead>
                <tr>
                  <th scope="col">{t('connectors.admin.name')}</th>
                  <th scope="col">{t('connectors.admin.identifierLabel')}</th>
                  <th scope="col">{t('connectors.admin.urlTemplate')}</th>
                  <th scope="col">{t('connectors.admin.authKind')}</th>
                  <th scope="col">{t('connectors.admin.health')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('connectors.admin.edit')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((l) => (
                  <tr key={l.id}>
                    <td className="strong">
                      {l.name}
                      {!l.isEnabled && <span className="badge badge--muted"> {t('connectors.admin.enabled')} ✕</span>}
                    </td>
                    <td>{l.identifierLabel}</td>
                    <td className="mono">{l.urlTemplate}</td>
                    <td className="nowrap">{t(`connectors.admin.auth.${l.authKind}`)}</td>
                    <td>
                      <span className={`badge ${l.health.state === 'up' ? 'badge--ok' : l.health.state === 'down' ? 'badge--danger' : 'badge--warn'}`}>
                        {t(`connectors.state.${l.health.state}`)}
                      </span>
                      {l.health.consecutiveFailures > 0 && (
                        <div className="muted">
                          {t('connectors.admin.failures', {
                            count: l.health.consecutiveFailures,
                          })}
                        </div>
                      )}
                      {l.health.lastError && (
                        <div className="muted">
                          {t('connectors.admin.lastError', {
                            error: l.health.lastError,
                          })}
                        </div>
                      )}
                      {l.health.retryAt && l.health.state === 'down' && <div className="muted">{f.time(l.health.retryAt)}</div>}
                    </td>
                    <td className="nowrap">
                      <button type="button" className="btn btn--ghost btn--small" onClick={() => setDraft(draftOf(l))}>
                        {t('connectors.admin.edit')}
                      </button>
                      <button
                        type="button"
                        className="btn btn--ghost btn--small"
                        disabled={remove.isPending}
                        onClick={() =>
                          window.confirm(
                            t('connectors.admin.confirmDelete', {
                              name: l.name,
                            }),
                          ) && remove.mutate(l.id)
                        }
                      >
                        {t('connectors.admin.delete')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </section>
      {draft && <LookupForm key={draft.id ?? 'new'} initial={draft} onDone={() => setDraft(null)} />}
      <CaseSystemPanel />
    </main>
  );
}

function LookupForm({ initial, onDone }: { initial: Draft; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveLookup();
  const [d, setD] = useState<Draft>(initial);
  const sectionRef = useRef<HTMLElement>(null);
  // Opening the form brings it into view with the cursor in its first field (keyboard users land where they work).
  useEffect(() => {
    sectionRef.current?.scrollIntoView({ block: 'start' });
    sectionRef.current?.querySelector('input')?.focus();
  }, []);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((x) => ({ ...x, [key]: value }));
  const setField = (i: number, change: Partial<LookupField>) =>
    set(
      'fields',
      d.fields.map((x, j) => (j === i ? { ...x, ...change } : x)),
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { id, hasSecret: _s, storedCert: _c, timeoutMs, ...rest } = d;
    const body: LookupSaveBody = {
      ...rest,
      timeoutMs: Number(timeoutMs),
      requestTemplate: d.method === 'POST' && d.requestTemplate?.trim() ? d.requestTemplate : null,
      authName: d.authKind === 'none' ? null : d.authName,
      authSecret: d.authKind === 'none' ? null : d.authSecret?.length ? d.authSecret : null,
    };
    save.mutate({ id, body }, { onSuccess: onDone });
  };
  const text = (
    key: 'name' | 'identifierLabel' | 'identifierPattern' | 'identifierExample' | 'urlTemplate' | 'resultPath' | 'notFoundPath',
    wide = false,
    mono = false,
  ) => (
    <label className={`field${wide ? ' connectors-admin__wide' : ''}`}>
      <span className="field-label">{t(`connectors.admin.${key}`)}</span>
      <input
        className={mono ? 'mono' : undefined}
        value={d[key]}
        onChange={(e) => set(key, e.target.value)}
        required={key !== 'identifierExample' && key !== 'resultPath' && key !== 'notFoundPath'}
      />
    </label>
  );
  const issues = issuesOf(save.error);

  return (
    <section ref={sectionRef} className="panel" aria-labelledby="conn-form">
      <header className="panel__header">
        <h2 id="conn-form" className="panel__title">
          {d.id ? `${t('connectors.admin.edit')}: ${initial.name}` : t('connectors.admin.add')}
        </h2>
      </header>
      <form className="connectors-admin__form panel__body" onSubmit={submit}>
        {text('name')}
        {text('identifierLabel')}
        {text('identifierPattern', false, true)}
        {text('identifierExample')}
        {text('urlTemplate', true, true)}
        <label className="field">
          <span className="field-label">{t('connectors.admin.method')}</span>
          <select value={d.method} onChange={(e) => set('method', e.target.value as Draft['method'])}>
            <option value="GET">GET</option>
            <option value="POST">POST</option>
          </select>
        </label>
        {d.method === 'POST' && (
          <label className="field connectors-admin__wide">
            <span className="field-label">{t('connectors.admin.requestTemplate')}</span>
            <textarea className="mono" rows={3} value={d.requestTemplate ?? ''} onChange={(e) => set('requestTemplate', e.target.value)} />
          </label>
        )}
        <label className="field">
          <span className="field-label">{t('connectors.admin.authKind')}</span>
          <select value={d.authKind} onChange={(e) => set('authKind', e.target.value as Draft['authKind'])}>
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
              <span className="field-label">{t('connectors.admin.authName')}</span>
              <input value={d.authName ?? ''} onChange={(e) => set('authName', e.target.value)} required />
            </label>
            <label className="field">
              <span className="field-label">{t('connectors.admin.authSecret')}</span>
              <input
                type="password"
                autoComplete="new-password"
                value={d.authSecret ?? ''}
                onChange={(e) => set('authSecret', e.target.value)}
                required={!d.hasSecret}
              />
              {d.hasSecret && <span className="field-hint">{t('connectors.admin.secretKept')}</span>}
            </label>
          </>
        )}
        <ClientCertFields stored={d.storedCert} onChange={(v) => set('clientCert', v)} />
        {text('resultPath', false, true)}
        {text('notFoundPath', false, true)}
        <fieldset className="connectors-admin__wide field">
          <legend className="field-label">{t('connectors.admin.fields')}</legend>
          {d.fields.map((x, i) => (
            <div key={i} className="connectors-admin__field-row">
              <label className="field">
                <span className="field-label">{t('connectors.admin.fieldLabel')}</span>
                <input value={x.label} onChange={(e) => setField(i, { label: e.target.value })} required />
              </label>
              <label className="field">
                <span className="field-label">{t('connectors.admin.fieldPath')}</span>
                <input className="mono" value={x.path} onChange={(e) => setField(i, { path: e.target.value })} required />
              </label>
              <label className="field">
                <span className="field-label">{t('connectors.admin.fieldFormat')}</span>
                <select
                  value={x.format}
                  onChange={(e) =>
                    setField(i, {
                      format: e.target.value as LookupField['format'],
                    })
                  }
                >
                  {FORMATS.map((fm) => (
                    <option key={fm} value={fm}>
                      {t(`connectors.admin.format.${fm}`)}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="btn btn--ghost btn--small"
                disabled={d.fields.length === 1}
                onClick={() =>
                  set(
                    'fields',
                    d.fields.filter((_, j) => j !== i),
                  )
                }
              >
                {t('connectors.admin.removeField')}
              </button>
            </div>
          ))}
          <button type="button" className="btn btn--ghost btn--small" onClick={() => set('fields', [...d.fields, { label: '', path: '', format: 'text' }])}>
            {t('connectors.admin.addField')}
          </button>
        </fieldset>
        <label className="field">
          <span className="field-label">{t('connectors.admin.timeout')}</span>
          <input type="number" min={200} max={30000} step={100} value={d.timeoutMs} onChange={(e) => set('timeoutMs', e.target.value)} />
        </label>
        <fieldset className="field connectors-admin__roles">
          <legend className="field-label">{t('connectors.admin.roles')}</legend>
          {ROLES.map((r) => (
            <label key={r}>
              <input
                type="checkbox"
                checked={d.roles.includes(r)}
                onChange={(e) => set('roles', e.target.checked ? [...d.roles, r] : d.roles.filter((x) => x !== r))}
              />{' '}
              {t(`role.${r}`)}
            </label>
          ))}
        </fieldset>
        <label className="lookup__consent">
          <input type="checkbox" checked={d.isEnabled} onChange={(e) => set('isEnabled', e.target.checked)} />
          <span>{t('connectors.admin.enabled')}</span>
        </label>
        <div className="connectors-admin__wide">
          <ErrorNotice error={save.error} />
          {issues.length > 1 && (
            <ul className="field-error" role="alert">
              {issues.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
          <button type="submit" className="btn btn--primary" disabled={save.isPending}>
            {t('connectors.admin.save')}
          </button>{' '}
          <button type="button" className="btn btn--ghost" onClick={onDone}>
            {t('connectors.admin.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
