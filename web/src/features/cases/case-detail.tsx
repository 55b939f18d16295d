import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../core/contracts/cases';
import { OPEN_HANDOFF_STATUSES } from '../../../../core/domain/handoff-lifecycle';
import { ApiError } from '../../api/client';
import { useCaseDetail } from '../../api/queries';
import { DueTime, HandOffStatusBadge, OutcomeBadge } from '../../components/badges';
import { Dialog } from '../../components/dialog';
import { ErrorNotice, Loading } from '../../components/notice';
import { Timeline } from '../../components/timeline';
import { useFormat, useNow } from '../../lib/use-format';
import { RevealValue } from '../privacy/reveal-value';
import { DeliveryPanel } from '../notifications/delivery-panel';
import { ChaseMark } from './handoff-chase';

/** A case with its notes, hand-off and timeline, in a dialog that any screen can open by case id. */
export function CaseDetailDialog({ caseId, onClose }: { caseId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  // 열람 사유 (need-to-know): a citizen the viewer never served opens only with a reason, kept in the access records.
  const [reason, setReason] = useState<{ caseId: string; text: string } | null>(null);
  const query = useCaseDetail(caseId, reason && reason.caseId === caseId ? reason.text : null);
  const detail = query.data;
  const needsReason = query.error instanceof ApiError && query.error.code === 'NEED_TO_KNOW';
  return (
    <Dialog
      open={caseId !== null}
      onClose={onClose}
      wide
      title={
        <>
          {t('caseDetail.title')}
          {detail && <span className="dialog__title-number">{detail.number}</span>}
        </>
      }
      subtitle={detail?.categoryPath ?? undefined}
    >
      {query.isPending && <Loading />}
      {needsReason && caseId ? (
        <NeedToKnowForm message={query.error?.message ?? ''} onSubmit={(text) => setReason({ caseId, text })} />
      ) : (
        <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
      )}
      {detail && <CaseDetailBody detail={detail} />}
    </Dialog>
  );
}

export function CaseDetailBody({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const handOff = detail.handOff;
  const isOpenHandOff = handOff ? OPEN_HANDOFF_STATUSES.includes(handOff.status) : false;
  // 추가 민원: this call was added to an earlier case's hand-off; the reply goes with that case.
  const isAddedTo = handOff !== null && handOff.caseId !== detail.id;
  return (
    <div className="case-detail">
      <div className="case-detail__main">
        <div className="case-detail__badges">
          <span className={`badge badge--${detail.status === 'open' ? 'info' : 'muted'}`}>{t(`caseStatus.${detail.status}`)}</span>
          <OutcomeBadge outcome={detail.outcome} />
        </div>
        <dl className="facts">
          <div>
            <dt>{t('caseDetail.caller')}</dt>
            <dd>
              {detail.citizenName ? <RevealValue citizenId={detail.citizenId} field="name" masked={detail.citizenName} /> : t('caller.unknown')}
              {detail.callerNumber && (
                <span className="muted">
                  {' · '}
                  <RevealValue citizenId={detail.citizenId} field="phone" masked={detail.callerNumber} />
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('caseDetail.agent')}</dt>
            <dd>{detail.agentName ?? t('common.unknown')}</dd>
          </div>
          <div>
            <dt>{t('caseDetail.createdAt')}</dt>
            <dd>{f.dateTime(detail.createdAt)}</dd>
          </div>
          <div>
            <dt>{t('caseDetail.closedAt')}</dt>
            <dd>{detail.closedAt ? f.dateTime(detail.closedAt) : t('common.unknown')}</dd>
          </div>
          {detail.location && (
            <div>
              <dt>{t('caseForm.location')}</dt>
              <dd>{detail.location}</dd>
            </div>
          )}
        </dl>

        <section className="case-detail__section" aria-labelledby="cd-summary">
          <h3 id="cd-summary" className="section-title">
            {t('caseDetail.summary')}
          </h3>
          <p className="case-detail__summary">{detail.summary}</p>
        </section>
        <section className="case-detail__section" aria-labelledby="cd-notes">
          <h3 id="cd-notes" className="section-title">
            {t('caseDetail.notes')}
          </h3>
          <p className="prewrap notes-box">{detail.notes || t('caseDetail.noNotes')}</p>
        </section>

        {handOff && (
          <section className="case-detail__section" aria-labelledby="cd-handoff">
            <h3 id="cd-handoff" className="section-title">
              {t('caseDetail.handOff')} <HandOffStatusBadge status={handOff.status} /> <ChaseMark count={handOff.chaseCount} />
            </h3>
            {isAddedTo && <p className="hint">{t('oneStop.chase.addedToCase')}</p>}
            <dl className="facts">
              <div>
                <dt>{t('caseDetail.department')}</dt>
                <dd>{handOff.departmentName}</dd>
              </div>
              <div>
                <dt>{t('caseDetail.assignee')}</dt>
                <dd>{handOff.assigneeName ?? t('common.unknown')}</dd>
              </div>
              <div>
                <dt>{t('inbox.type')}</dt>
                <dd>{f.complaintType(handOff.complaintType, false)}</dd>
              </div>
              <div>
                <dt>{t('caseDetail.due')}</dt>
                <dd>
                  <DueTime dueAt={handOff.dueAt} now={now} isOpen={isOpenHandOff} />
                </dd>
              </div>
            </dl>
            {handOff.answer && (
              <div className="answer-box">
                <div className="answer-box__label">
                  {t('caseDetail.answer')}
                  {handOff.answeredAt && <span className="muted"> · {f.dateTime(handOff.answeredAt)}</span>}
                </div>
                <p className="prewrap">{handOff.answer}</p>
              </div>
            )}
          </section>
        )}

        {!isAddedTo && <DeliveryPanel detail={detail} />}

        {detail.articles.length > 0 && (
          <section className="case-detail__section" aria-labelledby="cd-articles">
            <h3 id="cd-articles" className="section-title">
              {t('caseDetail.articles')}
            </h3>
            <ul className="plain-list">
              {detail.articles.map((a) => (
                <li key={a.id} className="doc-item">{a.title}</li>
              ))}
            </ul>
          </section>
        )}
      </div>
      <section className="case-detail__timeline" aria-labelledby="cd-timeline">
        <h3 id="cd-timeline" className="section-title">
          {t('caseDetail.timeline')}
        </h3>
        <Timeline entries={detail.timeline} label={t('caseDetail.timeline')} />
      </section>
    </div>
  );
}

/** The reason to open a citizen's case the viewer never served (개인정보 보호법 제29조: need to know, recorded). */
function NeedToKnowForm({ message, onSubmit }: { message: string; onSubmit: (reason: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const ok = text.trim().length >= 2;
  return (
    <form
      className="form need-to-know"
      onSubmit={(e) => {
        e.preventDefault();
        if (ok) onSubmit(text.trim());
      }}
    >
      <p className="notice notice--warn">{message}</p>
      <div className="field">
        <label htmlFor="ntk-reason">{t('caseDetail.reason')}</label>
        <input id="ntk-reason" autoFocus maxLength={200} placeholder={t('caseDetail.reasonPlaceholder')} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={!ok}>
          {t('caseDetail.openWithReason')}
        </button>
      </div>
    </form>
  );
}
