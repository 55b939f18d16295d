import type { ReactNode } from 'react';

/**
 * One card of a statistics view: a panel whose heading names it (with an optional sub-title and a note on the right,
 * e.g. "기준 시각"), labelled for screen readers by that heading. Every 통계 tab is built from these.
 */
export function StatsCard({ id, title, sub, meta, children }: { id: string; title: ReactNode; sub?: ReactNode; meta?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel stats-card" aria-labelledby={id}>
      <header className="panel__header">
        <h2 id={id} className="panel__title">
          {title}
          {sub !== undefined && <span className="panel__title-sub">{sub}</span>}
        </h2>
        {meta !== undefined && <span className="panel__meta">{meta}</span>}
      </header>
      {children}
    </section>
  );
}
