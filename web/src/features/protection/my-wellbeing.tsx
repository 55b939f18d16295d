import { useQuery } from '@tanstack/react-query';
import { type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentDeskState } from '../../../../core/contracts/acd';
import type { MyBreaks } from '../../../../core/contracts/breaks';
import type { ProtectionRequest, Wellbeing } from '../../../../core/contracts/protection';
import { api } from '../../api/client';
import { ErrorNotice } from '../../components/notice';
import { useFormat, useNow } from '../../lib/use-format';
import { clockDuration } from '../acd/acd-format';
import './protection.css';

/**
 * 내 보호 현황 on the desk (issue #14 §3–4): the next scheduled break with its countdown (or the break now and when
 * it ends, or "after this call"), and today's figures — protection incidents, 회복 taken, breaks taken and missed,
 * talk time, occupancy — and the agent's counselling requests with their state. Alt+B focuses it.
 */
export function MyWellbeing({ desk, focusRef }: { desk: AgentDeskState | null; focusRef: Ref<HTMLHeadingElement> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(1000).getTime();
  // The desk's state changes (break started, call ended) are the moments the break can move: read again then.
  const stateKey = `${desk?.status ?? ''}:${desk?.reason ?? ''}:${desk?.pendingNotReady ?? ''}`;
  const breaks = useQuery({ queryKey: ['protection', 'breaks', 'me', stateKey], queryFn: () => api<MyBreaks>('/api/protection/breaks/me'), refetchInterval: 30_000 });
  const wellbeing = useQuery({ queryKey: ['protection', 'wellbeing', 'me', stateKey], queryFn: () => api<Wellbeing>('/api/protection/wellbeing'), refetchInterval: 60_000 });
  const requests = useQuery({ queryKey: ['protection', 'requests'], queryFn: () => api<{ items: ProtectionRequest[] }>('/api/protection/requests') });
  const me = wellbeing.data?.agents[0];
  const b = breaks.data;
  const counselling = (requests.data?.items ?? []).filter((r) => r.kind === 'counselling');
  const missed = (b?.today ?? []).filter((x) => x.status === 'missed').length;

  let breakLine: React.ReactNode = <span className="muted">{t('protection.mine.noBreak')}</span>;
  if (b?.current) {
    const kind = t(`protection.breakKind.${b.current.kind}`);
    const left = (Date.parse(b.current.endsAt) - now) / 1000;
    breakLine =
      left > 0 ? (
        <>
          <strong>{t('protection.mine.onBreak', { kind })}</strong>{' '}
          <span className="wellbeing__countdown">{t('protection.mine.onBreakUntil', { time: f.time(b.current.endsAt), left: clockDuration(left) })}</span>
        </>
      ) : (
        <strong>{t('protection.mine.breakOver', { kind })}</strong>
      );
  } else if (b?.next) {
    const left = (Date.parse(b.next.dueAt) - now) / 1000;
    breakLine = (
      <>
        <strong>{t('protection.mine.nextBreak', { kind: t(`protection.breakKind.${b.next.kind}`) })}</strong> {t('protection.mine.nextAt', { time: f.time(b.next.dueAt), minutes: b.next.minutes })}{' '}
        {b.next.afterCall ? (
          <span className="wellbeing__countdown">{t('protection.mine.afterCall')}</span>
        ) : left > 0 ? (
          <span className="wellbeing__countdown">{t('protection.mine.leftUntil', { time: clockDuration(left) })}</span>
        ) : (
          <span className="wellbeing__countdown">{t('protection.mine.due')}</span>
        )}
      </>
    );
  }

  return (
    <section className="panel wellbeing" aria-labelledby="my-wellbeing-heading">
      <header className="panel__header">
        <h2 id="my-wellbeing-heading" className="panel__title" tabIndex={-1} ref={focusRef}>
          {t('protection.mine.heading')}
        </h2>
        <kbd>{t('protection.mine.shortcut')}</kbd>
      </header>
      <p className="wellbeing__break" role="status" aria-live="polite">
        {breakLine}
      </p>
      {me && (
        <dl className="wellbeing__figures" aria-label={t('protection.mine.today')}>
          <div>
            <dt>{t('protection.mine.incidents')}</dt>
            <dd>{t('protection.mine.count', { value: me.incidents })}</dd>
          </div>
          <div>
            <dt>{t('protection.mine.recovery')}</dt>
            <dd>{t('protection.mine.minutes', { value: Math.round(me.recoveryMinutes) })}</dd>
          </div>
          <div>
            <dt>{t('protection.mine.breaks')}</dt>
            <dd>
              {t('protection.mine.breaksValue', { taken: me.breaksTaken, minutes: Math.round(me.breakMinutes) })}
              {missed > 0 && <span className="badge badge--warn">{t('protection.mine.missed', { count: missed })}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('protection.mine.talk')}</dt>
            <dd>{t('protection.mine.minutes', { value: Math.round(me.talkMinutes) })}</dd>
          </div>
          <div>
            <dt>{t('protection.mine.occupancy')}</dt>
            <dd className={me.isOccupancyHigh ? 'is-high' : undefined}>{me.occupancy === null ? '–' : `${Math.round(me.occupancy * 100)}%`}</dd>
          </div>
        </dl>
      )}
      <h3 className="wellbeing__sub">{t('protection.mine.counselling')}</h3>
      {counselling.length === 0 ? (
        <p className="muted wellbeing__none">{t('protection.mine.noCounselling')}</p>
      ) : (
        <ul className="protection__mine">
          {counselling.slice(0, 3).map((r) => (
            <li key={r.id}>
              {f.short(r.createdAt)} · <span className="badge badge--muted">{t(`protection.status.${r.status}`)}</span>
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={breaks.error ?? wellbeing.error ?? requests.error} />
    </section>
  );
}
