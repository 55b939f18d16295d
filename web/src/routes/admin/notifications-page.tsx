import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { NotificationTemplate, OutboxListQuery } from '../../../../core/contracts/notifications';
import { eucKrBytes } from '../../../../core/domain/notifications';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useOutbox, useRetryMessage, useSaveTemplate, useTemplates } from '../../features/notifications/notifications-api';
import { useFormat } from '../../lib/use-format';
import '../../features/notifications/notifications.css';

const FILTERS: OutboxListQuery['status'][] = ['failed', 'retrying', 'pending', 'sent', 'all'];

/** 알림 관리 (issue #11 §4): the Korean message templates, and the outbox's failed messages with 재발송. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const templates = useTemplates();
  return (
    <main id="main" className="page">
      <h1 className="page__title">
        {t('notify.adminHeading')} <span className="page__note">{t('notify.adminNote')}</span>
      </h1>
      {/* What needs the admin's hand first: the messages that failed (재발송); the templates beside them. */}
      <div className="ntf-grid">
        <OutboxPanel />
        <section className="panel" aria-labelledby="ntf-templates">
          <header className="panel__header">
            <h2 id="ntf-templates" className="panel__title">
              {t('notify.templates')}
            </h2>
          </header>
          <div className="panel__scroll notify-body">
            {templates.isPending && <Loading />}
            <ErrorNotice error={templates.error} onRetry={() => void templates.refetch()} />
            {templates.data?.items.map((tpl) => <TemplateEditor key={`${tpl.key}${tpl.updatedAt ?? ''}`} template={tpl} />)}
          </div>
        </section>
      </div>
    </main>
  );
}

function TemplateEditor({ template }: { template: NotificationTemplate }) {
  const { t } = useTranslation();
  const f = useFormat();
  const save = useSaveTemplate();
  const [subject, setSubject] = useState(template.subject ?? '');
  const [body, setBody] = useState(template.body);
  const id = `tpl-${template.key.replace('.', '-')}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ key: template.key, body: { subject: template.channel === 'email' ? subject : null, body } });
  };
  return (
    <form className="template-editor" onSubmit={submit} aria-labelledby={id}>
      <h3 id={id} className="section-title">
        {t(`notify.templateKey.${template.key}`)}{' '}
        <span className="muted small">{template.isDefault ? t('notify.isDefault') : t('notify.edited', { at: f.dateTime(template.updatedAt) })}</span>
      </h3>
      {template.channel === 'email' && (
        <label className="field">
          <span>{t('notify.subject')}</span>
          <input value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={200} required />
        </label>
      )}
      <label className="field">
        <span>{t('notify.body')}</span>
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={template.channel === 'email' ? 8 : 3} maxLength={2000} required />
      </label>
      <p className="muted small">
        {t('notify.placeholders', { list: template.placeholders.map((p) => `{${p}}`).join(' ') })}
        {template.channel === 'sms' && ` · ${t('notify.bytes', { bytes: eucKrBytes(body) })}`}
      </p>
      <button type="submit" className="btn btn--primary btn--small" disabled={save.isPending}>
        {t('notify.saveTemplate')}
      </button>
      {save.isSuccess && <span role="status"> {t('notify.templateSaved')}</span>}
      <ErrorNotice error={save.error} />
    </form>
  );
}

function OutboxPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const [status, setStatus] = useState<OutboxListQuery['status']>('failed');
  const outbox = useOutbox(status);
  const retry = useRetryMessage();
  return (
    <section className="panel" aria-labelledby="ntf-outbox">
      <header className="panel__header">
        <h2 id="ntf-outbox" className="panel__title">
          {t('notify.outbox')}
        </h2>
        <div className="panel__tools" role="group" aria-label={t('notify.outbox')}>
          {FILTERS.map((s) => (
            <button key={s} type="button" className={`btn btn--ghost btn--small${s === status ? ' is-active' : ''}`} aria-pressed={s === status} onClick={() => setStatus(s)}>
              {t(`notify.outboxFilter.${s}`)}
            </button>
          ))}
        </div>
      </header>
      <div className="panel__scroll">
        {outbox.isPending && <Loading />}
        <ErrorNotice error={outbox.error ?? retry.error} onRetry={() => void outbox.refetch()} />
        {outbox.data?.items.length === 0 && <Empty>{t('notify.outboxEmpty')}</Empty>}
        {outbox.data && outbox.data.items.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('notify.col.case')}</th>
                <th scope="col">{t('notify.col.channel')}</th>
                <th scope="col">{t('notify.col.status')}</th>
                <th scope="col">{t('notify.col.attempts')}</th>
                <th scope="col">{t('notify.col.lastError')}</th>
                <th scope="col">{t('notify.col.updated')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {outbox.data.items.map((m) => (
                <tr key={m.id}>
                  <td className="mono nowrap">{m.caseNumber ?? '—'}</td>
                  <td>{t(`notify.channel.${m.channel}`)}</td>
                  <td>{t(`notify.status.${m.status}`)}</td>
                  <td>{t('notify.attempts', { attempts: m.attempts, max: m.maxAttempts })}</td>
                  <td>{m.lastError ?? ''}</td>
                  <td className="nowrap">{f.dateTime(m.sentAt ?? m.nextAttemptAt)}</td>
                  <td>
                    {m.status !== 'sent' && (
                      <button type="button" className="btn btn--ghost btn--small" disabled={retry.isPending} onClick={() => retry.mutate(m.id)}>
                        {t('notify.retry')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
