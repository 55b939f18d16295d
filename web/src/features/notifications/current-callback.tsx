import { useTranslation } from 'react-i18next';
import type { AcdContact } from '../../../../core/contracts/acd';
import type { CallbackTask } from '../../../../core/contracts/notifications';
import { ErrorNotice } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { RevealValue } from '../privacy/reveal-value';
import './notifications.css';
import { useCurrentCallback, useReportCallback } from './notifications-api';

/**
 * 회신 전화 on the desk (issue #11 §4): when the ACD gives the agent an outbound callback, the department's answer to
 * read and the number (masked; 보기 with a reason, like every number), then 안내 완료 (the hand-off closes) or 연결 안 됨
 * (tried again later; given up after the last attempt). Shown only while the agent's contact is a callback.
 */
export function CurrentCallback({ contact }: { contact: AcdContact | null }) {
  const contactId = contact?.kind === 'callback' ? contact.id : null;
  const current = useCurrentCallback(contactId);
  const report = useReportCallback();
  const { t } = useTranslation();
  const f = useFormat();
  const task = current.data?.task ?? null;
  if (!contactId || !task) return null;
  const result = report.data?.id === task.id ? report.data : null;
  const shown: CallbackTask = result ?? task;
  const isOpen = shown.status === 'open' && shown.inCall;
  return (
    <section className="panel current-callback" aria-labelledby="current-callback">
      <header className="panel__header">
        <h2 id="current-callback" className="panel__title">
          {t('notify.current.heading')} · <span className="mono">{shown.caseNumber}</span>
        </h2>
        {/* The attempt this call is (the report after it counts it already). */}
        <span className="panel__meta">{t('notify.current.attempt', { n: task.attempts + 1, max: task.maxAttempts })}</span>
      </header>
      <div className="panel__scroll notify-body">
        <p className="muted small">{t('notify.current.lead')}</p>
        <dl className="current-callback__facts">
          <dt>{t('notify.current.number')}</dt>
          <dd>{shown.phone ? <RevealValue citizenId={shown.citizenId} field="phone" masked={shown.phone} /> : '—'}</dd>
          <dt>{t('inbox.category')}</dt>
          <dd>{shown.categoryPath ?? '—'}</dd>
          <dt>{t('inbox.department')}</dt>
          <dd>{shown.departmentName ?? '—'}</dd>
        </dl>
        <h3 className="section-title">{t('notify.current.answer')}</h3>
        <p className="prewrap answer-box">{shown.answer}</p>
        <ErrorNotice error={report.error ?? current.error} />
        {isOpen ? (
          <div className="current-callback__actions">
            <button type="button" className="btn btn--primary" disabled={report.isPending} onClick={() => report.mutate({ id: task.id, outcome: 'told' })}>
              {t('notify.current.told')}
            </button>
            <button type="button" className="btn btn--ghost" disabled={report.isPending} onClick={() => report.mutate({ id: task.id, outcome: 'not_reached' })}>
              {t('notify.current.notReached')}
            </button>
          </div>
        ) : (
          <p className="strong" role="status">
            {shown.status === 'done' && result
              ? t('notify.current.toldDone')
              : shown.status === 'gave_up'
                ? t('notify.current.gaveUp', { max: shown.maxAttempts })
                : shown.status === 'open' && shown.nextAttemptAt
                  ? t('notify.current.retryAt', {
                      at: f.dateTime(shown.nextAttemptAt),
                    })
                  : t('notify.current.finished')}
          </p>
        )}
      </div>
    </section>
  );
}
