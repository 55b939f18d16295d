import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../../core/contracts/cases';
import { CaseOutcomeSchema, RoleSchema, type CaseOutcome } from '../../../core/contracts/enums';
import { useFormat } from '../lib/use-format';

const KIND: Partial<Record<TimelineEntry['type'], string>> = {
  case_handed_off: 'handoff',
  handoff_acknowledged: 'ack',
  handoff_started: 'ack',
  handoff_answered: 'answer',
  handoff_returned: 'danger',
  case_resolved: 'answer',
  case_closed: 'closed',
  call_dispositioned: 'ack',
};

/** The detail line: a disposition's outcome word in words (상담 결과 분류 · 3자통화 연결), anything else as written. */
function detailOf(e: TimelineEntry, outcomeLabel: (o: CaseOutcome) => string): string | null {
  if (e.type !== 'call_dispositioned') return e.detail;
  const outcome = CaseOutcomeSchema.safeParse(e.detail);
  return outcome.success ? outcomeLabel(outcome.data) : e.detail;
}

/** The case's history, every step with who and when (상담 접수 → 부서 이관 → 접수 → 회신 → 종결). */
export function Timeline({ entries, label }: { entries: TimelineEntry[]; label: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (entries.length === 0) return <p className="empty">{t('caseDetail.noTimeline')}</p>;
  return (
    <ol className="timeline" aria-label={label}>
      {entries.map((e) => {
        const role = RoleSchema.safeParse(e.actorRole);
        const detail = detailOf(e, (o) => t(`outcome.${o}`));
        return (
          <li key={e.id} className={`timeline__item timeline__item--${KIND[e.type] ?? 'default'}`}>
            <span className="timeline__dot" aria-hidden="true" />
            <div className="timeline__head">
              <strong className="timeline__type">{t(`event.${e.type}`)}</strong>
              <time className="timeline__at" dateTime={e.at}>
                {f.dateTime(e.at)}
              </time>
            </div>
            {(e.actorName || detail) && (
              <div className="timeline__meta">
                {e.actorName && (
                  <span className="timeline__actor">
                    {e.actorName}
                    {role.success && <span className="timeline__role"> · {t(`role.${role.data}`)}</span>}
                  </span>
                )}
                {detail && <span className="timeline__detail">{detail}</span>}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
