import { useTranslation } from 'react-i18next';
import type { CallerCard as CallerCardData } from '../../../../core/contracts/calls';
import type { CaseSummary } from '../../../../core/contracts/cases';
import { DueTime, HandOffStatusBadge, OutcomeBadge } from '../../components/badges';
import { useFormat, useNow } from '../../lib/use-format';
import { RevealValue } from '../privacy/reveal-value';
import { ChaseMark } from '../cases/handoff-chase';
import { NameCaller } from './name-caller';
import '../cases/one-stop.css';

/**
 * The screen pop: who is calling and what happened before, open hand-offs first (the citizen is most likely
 * calling about them), so the agent never asks the citizen to explain again.
 */
export function CallerCard({ card, onOpenCase }: { card: CallerCardData; onOpenCase: (caseId: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const openIds = new Set(card.openHandOffs.map((c) => c.id));
  const recent = card.recentCases.filter((c) => !openIds.has(c.id));
  return (
    <section className="caller" aria-labelledby="caller-heading">
      <h2 id="caller-heading" className="visually-hidden">
        {t('caller.heading')}
      </h2>
      <div className="caller__id">
        <div className={`caller__avatar${card.isKnown ? '' : ' caller__avatar--unknown'}`} aria-hidden="true">
          {card.name ? card.name.slice(0, 1) : '?'}
        </div>
        <div>
          <div className="caller__name">
            {card.name ? (
              <RevealValue citizenId={card.citizenId} field="name" masked={card.name} />
            ) : (
              <>
                {t('caller.unknown')} <NameCaller citizenId={card.citizenId} />
              </>
            )}
          </div>
          <div className="caller__phone">
            <RevealValue citizenId={card.citizenId} field="phone" masked={card.phone} />
          </div>
        </div>
      </div>
      <dl className="caller__stats">
        <div>
          <dt>{t('caller.totalCases')}</dt>
          <dd>{t('common.count', { count: card.totalCases })}</dd>
        </div>
        <div>
          <dt>{t('caller.lastContact')}</dt>
          <dd>{card.lastContactAt ? f.short(card.lastContactAt) : t('common.none')}</dd>
        </div>
      </dl>

      <section className="caller__section" aria-labelledby="open-handoffs-heading">
        <h3 id="open-handoffs-heading" className="section-title">
          {t('caller.openHandOffs')}
          {card.openHandOffs.length > 0 && <span className="count-pill count-pill--warn">{card.openHandOffs.length}</span>}
        </h3>
        {card.openHandOffs.length === 0 ? (
          <p className="empty empty--inline">{t('caller.noOpenHandOffs')}</p>
        ) : (
          <ul className="case-list">
            {card.openHandOffs.map((c) => (
              <li key={c.id}>
                <OpenHandOffItem item={c} now={now} onOpen={() => onOpenCase(c.id)} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="caller__section" aria-labelledby="recent-cases-heading">
        <h3 id="recent-cases-heading" className="section-title">
          {t('caller.recentCases')}
        </h3>
        {recent.length === 0 ? (
          <p className="empty empty--inline">{t('caller.noRecentCases')}</p>
        ) : (
          <ul className="case-list">
            {recent.map((c) => (
              <li key={c.id}>
                <button type="button" className="case-item" onClick={() => onOpenCase(c.id)}>
                  <span className="case-item__top">
                    <time dateTime={c.createdAt} className="case-item__date">
                      {f.short(c.createdAt)}
                    </time>
                    <OutcomeBadge outcome={c.outcome} />
                  </span>
                  <span className="case-item__summary">{c.summary}</span>
                  {c.categoryPath && <span className="case-item__path">{c.categoryPath}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

function OpenHandOffItem({ item, now, onOpen }: { item: CaseSummary; now: Date; onOpen: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const h = item.handOff;
  return (
    <button type="button" className="case-item case-item--handoff" onClick={onOpen}>
      <span className="case-item__top">
        <span className="case-item__dept">{h?.departmentName ?? t('common.unknown')}</span>
        {h && <HandOffStatusBadge status={h.status} />}
        <ChaseMark count={h?.chaseCount} />
      </span>
      <span className="case-item__summary">{item.summary}</span>
      {item.categoryPath && <span className="case-item__path">{item.categoryPath}</span>}
      <span className="case-item__foot">
        <span className="muted">{f.short(item.createdAt)}</span>
        {h && (
          <span>
            {t('caller.due')} <DueTime dueAt={h.dueAt} now={now} isOpen compact />
          </span>
        )}
      </span>
    </button>
  );
}
