import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentStatusName, WallboardSnapshot } from '../../../../core/contracts/acd';
import { useWallboard } from '../../api/acd-queries';
import { useMe } from '../../api/queries';
import { useStartDisplay } from '../../api/security-queries';
import { ErrorNotice, Loading } from '../../components/notice';
import { abandonTone, clockDuration, lineWaitTone, percent, serverNow, serviceLevelTone, waitTone, wallboardAbandonRate, type Tone } from '../../features/acd/acd-format';
import { ConnectionBadge } from '../../features/acd/connection-badge';
import { useFormat, useNow } from '../../lib/use-format';

/** The order of agent states on the board: who can take a call first, then who is busy, then who is away. */
const STATE_ORDER: AgentStatusName[] = ['available', 'reserved', 'on_call', 'on_hold', 'consulting', 'after_call_work', 'recovery', 'not_ready'];

/**
 * 실시간 상담 현황판: big tiles readable from across the room on a wall TV (the line now, today's service level,
 * answered and abandoned calls), agents by state with how long they have been in it, and one row per queue.
 * Fetched once, then every `wallboard` snapshot of the socket replaces it; the waits tick here between snapshots.
 */
export function WallboardPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const board = useWallboard();
  const now = useNow(1000);
  const [fullscreen, setFullscreen] = useState(false);
  const me = useMe();
  const startDisplay = useStartDisplay();
  const isDisplay = me.data?.display === true;

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const snapshot = board.data;
  // When this snapshot arrived here: waits and state durations tick on from the server's own clock.
  const receivedAt = useMemo(() => Date.now(), [snapshot]);
  if (board.isPending) return <Loading />;
  if (!snapshot) return <ErrorNotice error={board.error} onRetry={() => void board.refetch()} />;

  const serverMs = serverNow(snapshot.at, receivedAt, now.getTime());
  const ticking = Math.max(0, (serverMs - Date.parse(snapshot.at)) / 1000);
  const longest = snapshot.waiting > 0 ? snapshot.longestWaitSeconds + ticking : 0;
  const target = snapshot.serviceLevelTargetSeconds;
  const rate = wallboardAbandonRate(snapshot);

  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };

  return (
    <main id="main" className="wb" aria-labelledby="wb-title">
      <header className="wb__header">
        <h1 id="wb-title" className="wb__title">
          {t('wallboard.title')}
        </h1>
        <span className={`wb__open wb__open--${snapshot.isOpen ? 'yes' : 'no'}`}>
          {snapshot.isOpen ? t('wallboard.open') : t('wallboard.closed')}
          {!snapshot.isOpen && snapshot.nextOpeningAt && <span> · {t('wallboard.nextOpening', { time: f.short(snapshot.nextOpeningAt) })}</span>}
        </span>
        <span className="wb__updated">
          {t('wallboard.day', { day: snapshot.day })} · {t('wallboard.updated', { time: f.time(snapshot.at) })}
        </span>
        <span className="wb__spacer" />
        <ConnectionBadge large />
        {isDisplay ? (
          <span className="wb__display-badge">{t('wallboard.displayBadge')}</span>
        ) : (
          <button
            type="button"
            className="btn btn--ghost-light btn--small"
            disabled={startDisplay.isPending}
            title={t('wallboard.displayHint')}
            onClick={() => {
              if (window.confirm(t('wallboard.displayConfirm'))) startDisplay.mutate();
            }}
          >
            {t('wallboard.displayMode')}
          </button>
        )}
        <button type="button" className="btn btn--ghost-light btn--small" onClick={toggleFullscreen}>
          {fullscreen ? t('wallboard.exitFullscreen') : t('wallboard.fullscreen')}
        </button>
      </header>

      {snapshot.waiting > 0 && longest > target && (
        <p className="wb__alert" role="alert">
          {t('wallboard.overTarget', { seconds: target, wait: clockDuration(longest) })}
        </p>
      )}
      <section className="wb__tiles" aria-label={t('wallboard.title')}>
        <Tile id="wb-waiting" label={t('wallboard.waiting')} value={String(snapshot.waiting)} tone={snapshot.waiting > 0 ? lineWaitTone(longest, target) : 'none'} sub={t('wallboard.callbacks', { count: snapshot.callbacksWaiting })} />
        <Tile id="wb-longest" label={t('wallboard.longestWait')} value={snapshot.waiting > 0 ? clockDuration(longest) : '—'} tone={lineWaitTone(longest, target)} />
        <Tile
          id="wb-sl"
          label={t('wallboard.serviceLevel')}
          value={percent(snapshot.serviceLevelToday)}
          tone={serviceLevelTone(snapshot.serviceLevelToday)}
          sub={t('wallboard.serviceLevelHint', { seconds: target })}
          toneText
        />
        <Tile
          id="wb-answered"
          label={t('wallboard.answered')}
          value={String(snapshot.answeredToday)}
          tone="none"
          sub={t('wallboard.answeredWithin', { seconds: target, count: snapshot.answeredWithinTargetToday })}
        />
        <Tile
          id="wb-asa"
          label={t('wallboard.asa')}
          value={snapshot.asaSecondsToday === null ? '—' : clockDuration(snapshot.asaSecondsToday)}
          tone={snapshot.asaSecondsToday === null ? 'none' : waitTone(snapshot.asaSecondsToday, target)}
          sub={t('wallboard.asaHint')}
        />
        <Tile
          id="wb-abandoned"
          label={t('wallboard.abandoned')}
          value={String(snapshot.abandonedToday)}
          tone={abandonTone(rate)}
          sub={`${t('wallboard.abandonRate', { rate: percent(rate) })} · ${t('wallboard.shortAbandoned', { count: snapshot.shortAbandonedToday })}`}
        />
        <Tile id="wb-offered" label={t('wallboard.offered')} value={String(snapshot.offeredToday)} tone="none" />
      </section>

      <div className="wb__body">
        <QueueTable snapshot={snapshot} ticking={ticking} />
        <AgentBoard snapshot={snapshot} serverMs={serverMs} />
      </div>
    </main>
  );
}

function Tile({ id, label, value, tone, sub, toneText = false }: { id: string; label: string; value: string; tone: Tone; sub?: string; toneText?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={`wb-tile wb-tile--${tone}`} role="group" aria-labelledby={`${id}-label`}>
      <div id={`${id}-label`} className="wb-tile__label">
        {label}
      </div>
      <div className="wb-tile__value" aria-live="polite">
        <span className="wb-tile__number">{value}</span>
        {toneText && tone !== 'none' && <span className="wb-tile__tone">{t(`wallboard.${tone}`)}</span>}
      </div>
      {sub && <div className="wb-tile__sub">{sub}</div>}
    </div>
  );
}

function QueueTable({ snapshot, ticking }: { snapshot: WallboardSnapshot; ticking: number }) {
  const { t } = useTranslation();
  return (
    <section className="wb-panel wb-panel--queues" aria-labelledby="wb-queues">
      <h2 id="wb-queues" className="wb-panel__title">
        {t('wallboard.queues')}
      </h2>
      {snapshot.queues.length === 0 ? (
        <p className="wb-empty">{t('wallboard.noQueues')}</p>
      ) : (
        <table className="wb-table">
          <thead>
            <tr>
              <th scope="col">{t('wallboard.queue')}</th>
              <th scope="col">{t('wallboard.waiting')}</th>
              <th scope="col">{t('wallboard.longestWait')}</th>
              <th scope="col">{t('wallboard.serviceLevel')}</th>
              <th scope="col">{t('wallboard.asa')}</th>
              <th scope="col">{t('wallboard.answered')}</th>
              <th scope="col">{t('wallboard.abandoned')}</th>
              <th scope="col">{t('wallboard.staffed')}</th>
            </tr>
          </thead>
          <tbody>
            {snapshot.queues.map((q) => {
              const longest = q.waiting > 0 ? q.longestWaitSeconds + ticking : 0;
              return (
                <tr key={q.queueId}>
                  <th scope="row">{q.name}</th>
                  <td className={q.waiting > 0 ? `is-${lineWaitTone(longest, snapshot.serviceLevelTargetSeconds)}` : ''}>
                    {q.waiting}
                    {q.callbacksWaiting > 0 && <span className="wb-table__sub"> +{q.callbacksWaiting}</span>}
                  </td>
                  <td className={`is-${lineWaitTone(longest, snapshot.serviceLevelTargetSeconds)}`}>{q.waiting > 0 ? clockDuration(longest) : '—'}</td>
                  <td className={`is-${serviceLevelTone(q.serviceLevelToday)}`}>{percent(q.serviceLevelToday)}</td>
                  <td className={q.asaSecondsToday === null ? '' : `is-${waitTone(q.asaSecondsToday, snapshot.serviceLevelTargetSeconds)}`}>
                    {q.asaSecondsToday === null ? '—' : clockDuration(q.asaSecondsToday)}
                  </td>
                  <td>{q.answeredToday}</td>
                  <td>{q.abandonedToday}</td>
                  <td>
                    {q.agentsAvailable}/{q.agentsStaffed}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AgentBoard({ snapshot, serverMs }: { snapshot: WallboardSnapshot; serverMs: number }) {
  const { t } = useTranslation();
  const agents = [...snapshot.agents].sort((a, b) => STATE_ORDER.indexOf(a.status) - STATE_ORDER.indexOf(b.status) || Date.parse(a.since) - Date.parse(b.since));
  const loggedIn = snapshot.agents.length;
  return (
    <section className="wb-panel wb-panel--agents" aria-labelledby="wb-agents">
      <h2 id="wb-agents" className="wb-panel__title">
        {t('wallboard.agents')} <span className="wb-panel__hint">{t('wallboard.agentsHint', { count: loggedIn })}</span>
      </h2>
      <ul className="wb-states" aria-label={t('wallboard.agents')}>
        {STATE_ORDER.map((s) => (
          <li key={s} className={`wb-state wb-state--${s}`}>
            <span className="wb-state__count">{snapshot.agentsByStatus[s] ?? 0}</span>
            <span className="wb-state__name">{t(`acd.status.${s}`)}</span>
          </li>
        ))}
      </ul>
      {agents.length === 0 ? (
        <p className="wb-empty">{t('wallboard.noAgents')}</p>
      ) : (
        <table className="wb-table wb-table--agents">
          <thead>
            <tr>
              <th scope="col">{t('wallboard.agentName')}</th>
              <th scope="col">{t('wallboard.agentState')}</th>
              <th scope="col">{t('wallboard.agentSince')}</th>
              <th scope="col">{t('wallboard.agentCalls')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.agentId}>
                <th scope="row">{a.name}</th>
                <td>
                  <span className={`wb-pill wb-pill--${a.status}`}>
                    {t(`acd.status.${a.status}`)}
                    {a.reason && a.status === 'not_ready' && ` · ${t(`acd.reason.${a.reason}`)}`}
                  </span>
                </td>
                <td className="wb-table__num">{clockDuration((serverMs - Date.parse(a.since)) / 1000)}</td>
                <td className="wb-table__num">{a.callsHandledToday}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
