import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HandOffNotice } from '../../../../core/contracts/handoffs';
import { ErrorNotice } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { useHandOffNotices, useReadNotices } from './handoff-queries';
import './handoffs.css';

/**
 * The official's reminders (half time, D-1), overdue and escalation notices (issue #11 §3): a button with the unread
 * count in the inbox header, opening the list; a notice opens its hand-off. The job's socket message reloads it.
 */
export function NoticeBell({ onOpen }: { onOpen: (handOffId: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const notices = useHandOffNotices(true);
  const read = useReadNotices();
  const [open, setOpen] = useState(false);
  const unread = notices.data?.unread ?? 0;
  const items = notices.data?.items ?? [];
  const markAll = () => read.mutate(items.filter((n) => !n.readAt).map((n) => n.id));
  const choose = (n: HandOffNotice) => {
    if (!n.readAt) read.mutate([n.id]);
    setOpen(false);
    onOpen(n.handOffId);
  };
  return (
    <div className="notice-bell">
      <button
        type="button"
        className={`btn btn--ghost btn--small notice-bell__button${unread > 0 ? ' has-unread' : ''}`}
        aria-expanded={open}
        aria-controls="notice-bell-list"
        aria-label={unread > 0 ? t('handoffLife.notices.unread', { count: unread }) : t('handoffLife.notices.button')}
        onClick={() => setOpen((o) => !o)}
      >
        {t('handoffLife.notices.button')}
        {unread > 0 && <span className="notice-bell__count" aria-hidden="true">{unread}</span>}
      </button>
      {open && (
        <div id="notice-bell-list" className="notice-bell__panel" role="region" aria-label={t('handoffLife.notices.title')} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <div className="notice-bell__head">
            <strong>{t('handoffLife.notices.title')}</strong>
            {unread > 0 && (
              <button type="button" className="btn btn--ghost btn--small" onClick={markAll}>
                {t('handoffLife.notices.markRead')}
              </button>
            )}
          </div>
          <ErrorNotice error={notices.error ?? read.error} />
          {items.length === 0 ? (
            <p className="empty">{t('handoffLife.notices.empty')}</p>
          ) : (
            <ul className="notice-bell__list">
              {items.map((n) => (
                <li key={n.id}>
                  <button type="button" className={`notice-bell__item notice-bell__item--${n.kind}${n.readAt ? '' : ' is-unread'}`} onClick={() => choose(n)}>
                    <span className="notice-bell__kind">{t(`handoffLife.notices.kind.${n.kind}`)}</span>
                    <span className="muted">
                      {n.caseNumber} · {t('handoffLife.notices.due', { due: f.short(n.dueAt) })} · {f.short(n.at)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
