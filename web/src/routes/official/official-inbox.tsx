import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { HandOffItem } from '../../../../core/contracts/handoffs';
import { allowedHandOffActions } from '../../../../core/domain/handoff-lifecycle';
import { useAcknowledgeHandOff, useAnswerHandOff, useCaseDetail, useHandOff, useHandOffs, useMe } from '../../api/queries';
import { DueTime, HandOffStatusBadge } from '../../components/badges';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { Watermark } from '../../components/watermark';
import { IncomingTransfers } from '../../features/transfers/incoming-transfers';
import { PresenceControl } from '../../features/directory/presence-control';
import { useQueryClient } from '@tanstack/react-query';
import { useRealtime } from '../../api/realtime-provider';
import { Timeline } from '../../components/timeline';
import { MaskedNotice, PersonalDataWarning, usePersonalDataWhileTyping } from '../../features/pii/pii-notices';
import { urgencyOf } from '../../lib/format';
import { isOpenHandOff, sortByUrgency } from '../../lib/handoff-order';
import { useFormat, useNow } from '../../lib/use-format';
import { ChaseMark, HandOffAdditions } from '../../features/cases/handoff-chase';
import { RevealValue } from '../../features/privacy/reveal-value';
import { LifecycleActions, LifecycleMarks } from '../../features/handoffs/lifecycle-actions';
import { NoticeBell } from '../../features/handoffs/notice-bell';

type Filter = 'open' | 'all';

const isOpen = isOpenHandOff;

/**
 * 이관 민원함: the department's hand-offs, most urgent first. The agent's notes come first in the detail so the
 * official acts without asking the citizen to explain again; 접수, then 회신 등록 closes the case.
 */
export function OfficialInbox() {
  const { t } = useTranslation();
  const me = useMe();
  const now = useNow();
  // A new hand-off for the department arrives on the socket: reload the list at once. Polling is only the fallback:
  // every 5 minutes while the socket is open, every 30 s while it is not.
  const client = useQueryClient();
  const realtime = useRealtime();
  const handOffsSeq = realtime.state.handOffsSeq;
  useEffect(() => {
    if (handOffsSeq > 0) void client.invalidateQueries({ queryKey: ['handoffs'] });
  }, [handOffsSeq, client]);
  const [params, setParams] = useSearchParams();
  const filter: Filter = params.get('filter') === 'all' ? 'all' : 'open';
  const selectedId = params.get('id');
  // 나에게 배정: my duties (업무분장, primary or backup) and the hand-offs I took.
  const isMine = params.get('mine') === '1';
  const list = useHandOffs(filter, { ...(isMine ? { assigned: 'me' as const } : {}), isLive: realtime.status === 'open' });
  const items = useMemo(() => sortByUrgency(list.data?.items ?? []), [list.data]);
  const overdue = items.filter((i) => isOpen(i) && urgencyOf(i.dueAt, now, i.isOverdue) === 'overdue').length;
  const today = items.filter((i) => isOpen(i) && urgencyOf(i.dueAt, now, i.isOverdue) === 'today').length;
  const isAllDepartments = me.data?.role !== 'official';

  // Open the most urgent one when nothing is selected, so the official starts where it matters.
  const firstId = items[0]?.id;
  useEffect(() => {
    if (!selectedId && firstId) {
      const p = new URLSearchParams(params);
      p.set('id', firstId);
      setParams(p, { replace: true });
    }
  }, [selectedId, firstId, params, setParams]);

  const update = (next: { filter?: Filter; id?: string | null }) => {
    const p = new URLSearchParams(params);
    if (next.filter) p.set('filter', next.filter);
    if (next.id !== undefined) {
      if (next.id) p.set('id', next.id);
      else p.delete('id');
    }
    setParams(p, { replace: next.id === undefined });
  };

  return (
    <main id="main" className="inbox">
      {me.data?.role === 'official' && <PresenceControl />}
      {me.data?.role === 'official' && <IncomingTransfers />}
      <section className="panel inbox__list" aria-labelledby="inbox-heading">
        <header className="panel__header panel__header--stack">
          <div className="panel__header-row">
            <h1 id="inbox-heading" className="panel__title">
              {isAllDepartments ? t('inbox.headingAll') : t('inbox.heading')}
              {me.data?.departmentName && !isAllDepartments && <span className="panel__title-sub">{me.data.departmentName}</span>}
            </h1>
            <div className="segmented" role="group" aria-label={t('inbox.filter')}>
              {(['open', 'all'] as const).map((f) => (
                <button key={f} type="button" className="segmented__btn" aria-pressed={filter === f} onClick={() => update({ filter: f })}>
                  {f === 'open' ? t('inbox.filterOpen') : t('inbox.filterAll')}
                </button>
              ))}
            </div>
            {me.data?.role === 'official' && (
              <button
                type="button"
                className="segmented__btn segmented__btn--solo"
                aria-pressed={isMine}
                title={t('oneStop.assigned.mineHint')}
                onClick={() => {
                  const p = new URLSearchParams(params);
                  if (isMine) p.delete('mine');
                  else p.set('mine', '1');
                  p.delete('id');
                  setParams(p, { replace: true });
                }}
              >
                {t('oneStop.assigned.mine')}
              </button>
            )}
          </div>
          <div className="inbox__counts">
            <span>{t('inbox.count', { count: items.length })}</span>
            {overdue > 0 && <span className="count-pill count-pill--danger">{t('inbox.overdueCount', { count: overdue })}</span>}
            {today > 0 && <span className="count-pill count-pill--warn">{t('inbox.todayCount', { count: today })}</span>}
            {me.data?.role === 'official' && <NoticeBell onOpen={(id) => update({ id })} />}
          </div>
        </header>
        <div className="panel__scroll">
          {list.isPending && <Loading />}
          <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
          {list.data && items.length === 0 && <Empty>{isMine ? t('oneStop.assigned.emptyMine') : filter === 'open' ? t('inbox.empty') : t('inbox.emptyAll')}</Empty>}
          {items.length > 0 && (
            <ul className="inbox-items" aria-label={t('inbox.heading')}>
              {items.map((item) => (
                <li key={item.id}>
                  <InboxRow item={item} now={now} selected={item.id === selectedId} showDepartment={isAllDepartments} onSelect={() => update({ id: item.id })} />
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
      <section className="panel inbox__detail" aria-label={t('caseDetail.title')}>
        {selectedId ? <HandOffDetail key={selectedId} id={selectedId} now={now} role={me.data?.role} /> : <Empty>{t('inbox.select')}</Empty>}
      </section>
      <Watermark />
    </main>
  );
}

function InboxRow({
  item,
  now,
  selected,
  showDepartment,
  onSelect,
}: {
  item: HandOffItem;
  now: Date;
  selected: boolean;
  showDepartment: boolean;
  onSelect: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const open = isOpen(item);
  const urgency = open ? urgencyOf(item.dueAt, now, item.isOverdue) : 'done';
  return (
    <button type="button" className={`inbox-item inbox-item--${urgency}${selected ? ' is-selected' : ''}`} aria-current={selected || undefined} onClick={onSelect}>
      <span className="inbox-item__top">
        <HandOffStatusBadge status={item.status} />
        <span className="inbox-item__type">{f.complaintType(item.complaintType, false)}</span>
        <ChaseMark count={item.chaseCount} lastAt={item.lastChasedAt} />
        <LifecycleMarks item={item} />
        {showDepartment && <span className="inbox-item__dept">{item.departmentName}</span>}
      </span>
      <span className="inbox-item__summary">{item.summary}</span>
      <span className="inbox-item__meta">
        <span>
          {item.citizenName ?? t('caller.unknown')}
          {item.callerNumber && <span className="muted"> · {item.callerNumber}</span>}
        </span>
      </span>
      <span className="inbox-item__due">
        <span className="muted">{t('inbox.due')}</span> <DueTime dueAt={item.dueAt} now={now} isOpen={open} isOverdue={item.isOverdue} compact />
      </span>
    </button>
  );
}

function HandOffDetail({ id, now, role }: { id: string; now: Date; role: string | undefined }) {
  // Officials work the hand-off; supervisors chase, return and re-route but do not answer (issue #18 item 9).
  const canAct = role === 'official' || role === 'supervisor';
  const isOfficial = role === 'official';
  const { t } = useTranslation();
  const f = useFormat();
  const query = useHandOff(id);
  const item = query.data;
  const detail = useCaseDetail(item?.caseId ?? null);
  const acknowledge = useAcknowledgeHandOff();
  const answer = useAnswerHandOff();
  const [answerText, setAnswerText] = useState('');
  const [answerError, setAnswerError] = useState<string | null>(null);
  // The caller's name as shown (김*희) typed out in full is flagged too (issue #10 finding 6).
  const answerPii = usePersonalDataWhileTyping(answerText, item?.citizenName ?? null);

  if (query.isPending) return <Loading />;
  if (!item) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;

  const actions = allowedHandOffActions(item.status);
  const canAcknowledge = isOfficial && actions.includes('acknowledge');
  const canAnswer = isOfficial && actions.includes('answer');
  const open = isOpen(item);

  const submitAnswer = () => {
    if (!answerText.trim()) {
      setAnswerError(t('inbox.needAnswer'));
      document.getElementById('handoff-answer')?.focus();
      return;
    }
    setAnswerError(null);
    answer.mutate({ id: item.id, answer: answerText }, { onSuccess: () => setAnswerText('') });
  };

  return (
    <div className="handoff">
      <header className="handoff__header">
        <div className="handoff__title-row">
          <h2 className="handoff__title">{item.summary}</h2>
          <HandOffStatusBadge status={item.status} />
        </div>
        <div className="handoff__sub">
          <span>
            {t('common.caseNumber')} {item.caseNumber}
          </span>
          <span>{f.complaintType(item.complaintType, false)}</span>
          <span>
            {t('inbox.due')} <DueTime dueAt={item.dueAt} now={now} isOpen={open} isOverdue={item.isOverdue} />
          </span>
        </div>
      </header>

      <div className="handoff__body">
        <div className="handoff__main">
          <section className="agent-notes" aria-labelledby="agent-notes-heading">
            <h3 id="agent-notes-heading" className="agent-notes__title">
              {t('inbox.agentNotes')}
              {item.agentName && <span className="agent-notes__by">{item.agentName}</span>}
            </h3>
            <p className="agent-notes__lead">{t('inbox.agentNotesLead')}</p>
            <p className="agent-notes__text prewrap">{item.notes || t('caseDetail.noNotes')}</p>
          </section>

          <HandOffAdditions items={item.additions} />

          <dl className="facts facts--grid">
            <div>
              <dt>{t('inbox.caller')}</dt>
              <dd>
                {item.citizenName ?? t('caller.unknown')}
                {/* 회신 전화: the department's official reveals the number with a reason, recorded (issue #11 §3). */}
                {item.callerNumber && <RevealValue className="facts__phone" citizenId={item.citizenId} field="phone" masked={item.callerNumber} />}
              </dd>
            </div>
            <div>
              <dt>{t('inbox.category')}</dt>
              <dd>{item.categoryPath ?? t('common.unknown')}</dd>
            </div>
            {item.location && (
              <div>
                <dt>{t('inbox.location')}</dt>
                <dd className="strong">{item.location}</dd>
              </div>
            )}
            <div>
              <dt>{t('inbox.received')}</dt>
              <dd>{f.dateTime(item.receivedAt)}</dd>
            </div>
            <div>
              <dt>{t('inbox.agent')}</dt>
              <dd>{item.agentName ?? t('common.unknown')}</dd>
            </div>
            <div>
              <dt>{t('inbox.department')}</dt>
              <dd>
                {item.departmentName}
                {item.assigneeName && <span className="muted"> · {item.assigneeName}</span>}
              </dd>
            </div>
            {item.acknowledgedAt && (
              <div>
                <dt>{t('handOffStatus.acknowledged')}</dt>
                <dd>{f.dateTime(item.acknowledgedAt)}</dd>
              </div>
            )}
          </dl>

          {item.answer && (
            <section className="answer-box" aria-labelledby="answer-heading">
              <h3 id="answer-heading" className="answer-box__label">
                {t('inbox.answerText')}
                {item.answeredAt && <span className="muted"> · {f.dateTime(item.answeredAt)}</span>}
              </h3>
              <p className="prewrap">{item.answer}</p>
              {answer.data?.id === item.id && <MaskedNotice kinds={answer.data.maskedKinds} />}
            </section>
          )}

          {item.returnedAt && item.returnReason && (
            <p className="returned-fact">
              {t('handoffLife.returned', { department: item.returnedFromDepartmentName ?? '', at: f.short(item.returnedAt), reason: item.returnReason })}
            </p>
          )}
          {canAct && open && <LifecycleActions item={item} role={role} />}
          {!isOfficial && canAct && open && <p className="hint">{t('handoffLife.answerOfficialsOnly')}</p>}
          {isOfficial && open && (
            <section className="handoff__actions" aria-label={t('inbox.actions')}>
              <ErrorNotice error={acknowledge.error} />
              {canAcknowledge && (
                <div className="ack-row">
                  <button type="button" className="btn btn--primary" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate(item.id)}>
                    {acknowledge.isPending ? t('inbox.acknowledging') : t('inbox.acknowledge')}
                  </button>
                  <span className="field-hint">{t('inbox.ackFirst')}</span>
                </div>
              )}
              <div className="field">
                <label htmlFor="handoff-answer">{t('inbox.answer')}</label>
                <textarea
                  id="handoff-answer"
                  rows={5}
                  maxLength={4000}
                  disabled={!canAnswer || answer.isPending}
                  placeholder={t('inbox.answerPlaceholder')}
                  value={answerText}
                  onChange={(e) => setAnswerText(e.target.value)}
                  aria-invalid={answerError ? true : undefined}
                  aria-describedby={[answerError ? 'handoff-answer-error' : 'handoff-answer-hint', answerPii.length > 0 ? 'handoff-answer-pii' : ''].join(' ').trim()}
                />
                {answerError ? (
                  <p id="handoff-answer-error" className="field-error">
                    {answerError}
                  </p>
                ) : (
                  <p id="handoff-answer-hint" className="field-hint">
                    {t('inbox.answerHint')}
                  </p>
                )}
                <PersonalDataWarning id="handoff-answer-pii" kinds={answerPii} />
              </div>
              <ErrorNotice error={answer.error} />
              <div className="handoff__buttons">
                <button type="button" className="btn btn--teal" disabled={!canAnswer || answer.isPending} onClick={submitAnswer}>
                  {answer.isPending ? t('inbox.submittingAnswer') : t('inbox.submitAnswer')}
                </button>
              </div>
            </section>
          )}
          {!canAct && open && <p className="hint">{t('inbox.readOnly')}</p>}
        </div>

        <section className="handoff__timeline" aria-labelledby="handoff-timeline-heading">
          <h3 id="handoff-timeline-heading" className="section-title">
            {t('inbox.timeline')}
          </h3>
          {detail.isPending && <Loading />}
          <ErrorNotice error={detail.error} />
          {detail.data && <Timeline entries={detail.data.timeline} label={t('inbox.timeline')} />}
        </section>
      </div>
    </div>
  );
}
