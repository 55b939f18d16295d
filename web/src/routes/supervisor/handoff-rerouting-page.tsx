import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HandOffItem } from '../../../../core/contracts/handoffs';
import { useDepartments, useHandOffs } from '../../api/queries';
import { DueTime } from '../../components/badges';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useHandOffOfficials, useRerouteHandOff } from '../../features/handoffs/handoff-queries';
import '../../features/handoffs/handoffs.css';
import { useFormat, useNow } from '../../lib/use-format';

/**
 * 재지정 대기 (issue #11 §3): hand-offs a department returned as not its own, with the reason; the supervisor picks
 * the right department (and optionally its official). The legal deadline does not move.
 */
export function HandOffReroutingPage() {
  const { t } = useTranslation();
  const list = useHandOffs('returned');
  const now = useNow();
  const [done, setDone] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  return (
    <main id="main" className="queue-page">
      <header>
        <h1 className="panel__title">
          {t('handoffLife.rerouting.title')} <span className="panel__title-sub">{t('handoffLife.rerouting.count', { count: items.length })}</span>
        </h1>
        <p className="queue-page__lead">{t('handoffLife.rerouting.lead')}</p>
      </header>
      {done && (
        <p className="notice notice--done" role="status">
          {done}
        </p>
      )}
      {list.isPending && <Loading />}
      <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      {list.data && items.length === 0 && <Empty>{t('handoffLife.rerouting.empty')}</Empty>}
      {items.map((item) => (
        <ReturnedCard key={item.id} item={item} now={now} onDone={setDone} />
      ))}
    </main>
  );
}

function ReturnedCard({ item, now, onDone }: { item: HandOffItem; now: Date; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const departments = useDepartments();
  const reroute = useRerouteHandOff();
  const [departmentId, setDepartmentId] = useState('');
  const [officialId, setOfficialId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const officials = useHandOffOfficials(departmentId || null, Boolean(departmentId));
  const ids = { dept: `reroute-dept-${item.id}`, official: `reroute-official-${item.id}`, note: `reroute-note-${item.id}` };
  const choices = (departments.data ?? []).filter((d) => d.name !== item.returnedFromDepartmentName);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!departmentId) return setError(t('handoffLife.required'));
    const name = departments.data?.find((d) => d.id === departmentId)?.name ?? '';
    reroute.mutate({ id: item.id, departmentId, officialId: officialId || null, note }, { onSuccess: () => onDone(t('handoffLife.rerouting.done', { department: name })) });
  };
  return (
    <article className={`queue-card${item.isOverdue ? ' queue-card--overdue' : ''}`} aria-labelledby={`returned-${item.id}`}>
      <div>
        <h2 id={`returned-${item.id}`} className="queue-card__title">
          {item.summary}
        </h2>
        <dl className="facts facts--grid">
          <div>
            <dt>{t('common.caseNumber')}</dt>
            <dd>{item.caseNumber}</dd>
          </div>
          <div>
            <dt>{t('inbox.category')}</dt>
            <dd>{item.categoryPath ?? t('common.unknown')}</dd>
          </div>
          <div>
            <dt>{t('handoffLife.rerouting.from')}</dt>
            <dd>{item.returnedFromDepartmentName ?? item.departmentName}</dd>
          </div>
          <div>
            <dt>{t('handoffLife.rerouting.received')}</dt>
            <dd>{f.dateTime(item.receivedAt)}</dd>
          </div>
          <div>
            <dt>{t('handoffLife.rerouting.due')}</dt>
            <dd>
              <DueTime dueAt={item.dueAt} now={now} isOpen isOverdue={item.isOverdue} />
            </dd>
          </div>
        </dl>
        <p className="returned-fact">
          <strong>{t('handoffLife.rerouting.reason')}:</strong> {item.returnReason}
        </p>
        <p className="prewrap muted">{item.notes}</p>
      </div>
      <form onSubmit={submit} noValidate aria-label={t('handoffLife.rerouting.submit')}>
        <div className="field">
          <label htmlFor={ids.dept}>{t('handoffLife.rerouting.department')}</label>
          <select
            id={ids.dept}
            value={departmentId}
            onChange={(e) => {
              setDepartmentId(e.target.value);
              setOfficialId('');
              setError(null);
            }}
            aria-invalid={error ? true : undefined}
          >
            <option value="">{t('handoffLife.rerouting.chooseDepartment')}</option>
            {choices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          {error && <p className="field-error">{error}</p>}
        </div>
        <div className="field">
          <label htmlFor={ids.official}>{t('handoffLife.rerouting.official')}</label>
          <select id={ids.official} value={officialId} disabled={!departmentId} onChange={(e) => setOfficialId(e.target.value)}>
            <option value="">{t('handoffLife.rerouting.anyOfficial')}</option>
            {(officials.data ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
                {o.title ? ` ${o.title}` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.note}>{t('handoffLife.rerouting.note')}</label>
          <input id={ids.note} type="text" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <ErrorNotice error={reroute.error} />
        <button type="submit" className="btn btn--primary" disabled={reroute.isPending}>
          {t('handoffLife.rerouting.submit')}
        </button>
      </form>
    </article>
  );
}
