import { useTranslation } from 'react-i18next';
import type { CaseOutcome, HandOffStatus } from '../../../core/contracts/enums';
import { urgencyOf } from '../lib/format';
import { useFormat } from '../lib/use-format';

const STATUS_TONE: Record<HandOffStatus, string> = {
  pending: 'warn',
  acknowledged: 'info',
  in_progress: 'info',
  answered: 'ok',
  closed: 'muted',
  returned: 'danger',
};

/** 이관 status in the centre's words: 대기 / 접수 / 처리중 / 회신 완료 / 종결 / 반려. */
export function HandOffStatusBadge({ status }: { status: HandOffStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${STATUS_TONE[status]}`}>{t(`handOffStatus.${status}`)}</span>;
}

const OUTCOME_TONE: Record<CaseOutcome, string> = {
  resolved: 'ok',
  transferred: 'info',
  handed_off: 'teal',
  callback: 'info',
  abandoned: 'muted',
};

export function OutcomeBadge({ outcome }: { outcome: CaseOutcome | null }) {
  const { t } = useTranslation();
  if (!outcome) return null;
  return <span className={`badge badge--${OUTCOME_TONE[outcome]}`}>{t(`outcome.${outcome}`)}</span>;
}

/**
 * A deadline: the time, and while it is still owed, how long is left. Overdue is red, due later today amber.
 * Colour is never the only signal: the words 초과 / 남음 say it too.
 */
export function DueTime({
  dueAt,
  now,
  isOpen,
  isOverdue,
  compact = false,
}: {
  dueAt: string;
  now: Date;
  isOpen: boolean;
  isOverdue?: boolean;
  compact?: boolean;
}) {
  const f = useFormat();
  const urgency = isOpen ? urgencyOf(dueAt, now, isOverdue) : 'later';
  return (
    <span className={`due due--${isOpen ? urgency : 'done'}`}>
      <time dateTime={dueAt}>{compact ? f.short(dueAt) : f.dateTime(dueAt)}</time>
      {isOpen && <span className="due__left">{f.remaining(dueAt, now)}</span>}
    </span>
  );
}
