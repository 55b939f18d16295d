import { useTranslation } from 'react-i18next';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import './notifications.css';
import { RevealValue } from '../privacy/reveal-value';
import { useCallbackTasks, useCompleteCallback } from './notifications-api';

/**
 * 회신 전화 (issue #11 §4): the callback tasks of the centre, oldest first. The ACD offers each to an available agent
 * like a call (current-callback.tsx shows it then); this list shows what is owed, how often it was tried and when the
 * next try is. An agent who called the citizen some other way can still mark it done here: the hand-off closes then.
 */
export function CallbackTasksPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const tasks = useCallbackTasks();
  const done = useCompleteCallback();
  return (
    <section className="panel" aria-labelledby="callback-tasks">
      <header className="panel__header">
        <h2 id="callback-tasks" className="panel__title">
          {t('notify.tasksHeading')}
        </h2>
        {tasks.data && <span className="panel__meta">{tasks.data.items.length}</span>}
      </header>
      <div className="panel__scroll notify-body">
        <p className="muted small">{t('notify.tasksNote')}</p>
        {tasks.isPending && <Loading />}
        <ErrorNotice error={tasks.error ?? done.error} onRetry={() => void tasks.refetch()} />
        {tasks.data?.items.length === 0 && <Empty>{t('notify.tasksEmpty')}</Empty>}
        <ul className="plain-list">
          {tasks.data?.items.map((task) => (
            <li key={task.id} className="callback-task">
              <div>
                <span className="mono">{task.caseNumber}</span> · {task.departmentName} · <span className="muted">{t(`notify.reason.${task.reason}`)}</span>
                <span className="muted small"> · {f.dateTime(task.createdAt)}</span>
                {task.inCall && <span className="muted small"> · {t('notify.taskInCall')}</span>}
                {task.attempts > 0 && (
                  <span className="muted small">
                    {' '}
                    ·{' '}
                    {t('notify.taskAttempts', {
                      attempts: task.attempts,
                      max: task.maxAttempts,
                    })}
                    {task.nextAttemptAt && ` · ${t('notify.nextAttempt', { at: f.dateTime(task.nextAttemptAt) })}`}
                  </span>
                )}
              </div>
              {task.phone && <RevealValue citizenId={task.citizenId} field="phone" masked={task.phone} />}
              {task.answer && <p className="prewrap answer-box">{task.answer}</p>}
              <button type="button" className="btn btn--primary btn--small" disabled={done.isPending} onClick={() => done.mutate(task.id)}>
                {t('notify.markDone')}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
