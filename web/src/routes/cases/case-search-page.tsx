import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CaseOutcomeSchema, type CaseOutcome } from '../../../../core/contracts/enums';
import type { CaseSearchAnswer } from '../../../../core/contracts/cases';
import { addDays } from '../../../../core/domain/statistics';
import { api } from '../../api/client';
import { useCategories } from '../../api/queries';
import { HandOffStatusBadge, OutcomeBadge } from '../../components/badges';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { CaseDetailDialog } from '../../features/cases/case-detail';
import { CategoryPicker } from '../../features/cases/category-picker';
import { kstToday } from '../../lib/kst-day';
import { useFormat } from '../../lib/use-format';

const FIELDS = ['phone', 'name', 'number', 'categoryId', 'from', 'to', 'outcome'] as const;
const PAGE = 20;

/**
 * 상담 이력 검색 (issue #18 item 11): agents and supervisors find earlier cases by the caller's number, the case
 * number, the category and the dates. The criteria live in the URL (a search can be shared and survives a reload);
 * a result opens the case with its timeline.
 */
export function CaseSearchPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const categories = useCategories();
  const [params, setParams] = useSearchParams();
  const categoryRef = useRef<HTMLInputElement>(null);
  const [openCaseId, setOpenCaseId] = useState<string | null>(null);
  const criteria = useMemo(() => {
    const p = new URLSearchParams();
    for (const k of FIELDS) {
      const v = params.get(k);
      if (v) p.set(k, v);
    }
    return p;
  }, [params]);
  const offset = Number(params.get('offset') ?? 0) || 0;
  const hasCriteria = [...criteria.keys()].length > 0;
  const [form, setForm] = useState(() => ({
    phone: params.get('phone') ?? '',
    name: params.get('name') ?? '',
    number: params.get('number') ?? '',
    categoryId: params.get('categoryId') ?? '',
    // The form's default range: the last month of KST days, today included.
    from: params.get('from') ?? addDays(kstToday(), -30),
    to: params.get('to') ?? kstToday(),
    outcome: params.get('outcome') ?? '',
  }));
  const category = (categories.data ?? []).find((c) => c.id === form.categoryId) ?? null;

  const results = useQuery({
    queryKey: ['cases', 'search', criteria.toString(), offset],
    queryFn: () => api<CaseSearchAnswer>(`/api/cases/search?${criteria.toString()}&limit=${PAGE}&offset=${offset}`),
    enabled: hasCriteria,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of FIELDS) {
      const v = form[k].trim();
      if (v) p.set(k, v);
    }
    setParams(p);
  };
  const page = (next: number) => {
    const p = new URLSearchParams(criteria);
    if (next > 0) p.set('offset', String(next));
    setParams(p);
  };

  return (
    <main id="main" className="page case-search">
      <h1 className="page__title">{t('caseSearch.heading')}</h1>
      <form className="panel case-search__form" onSubmit={submit} aria-label={t('caseSearch.form')}>
        <div className="field">
          <label htmlFor="cs-phone">{t('caseSearch.phone')}</label>
          <input id="cs-phone" inputMode="tel" autoComplete="off" placeholder="010-0000-0000" value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} autoFocus />
        </div>
        <div className="field">
          <label htmlFor="cs-name">{t('caseSearch.name')}</label>
          <input id="cs-name" autoComplete="off" placeholder={t('caseSearch.namePlaceholder')} aria-describedby="cs-name-hint" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <p id="cs-name-hint" className="field-hint">{t('caseSearch.nameHint')}</p>
        </div>
        <div className="field">
          <label htmlFor="cs-number">{t('caseSearch.number')}</label>
          <input id="cs-number" autoComplete="off" placeholder="20261204-00001" value={form.number} onChange={(e) => setForm({ ...form, number: e.target.value })} />
        </div>
        <div className="field case-search__category">
          <label htmlFor="case-category">{t('caseSearch.category')}</label>
          <CategoryPicker categories={categories.data ?? []} value={category} onChange={(c) => setForm({ ...form, categoryId: c?.id ?? '' })} inputRef={categoryRef} invalid={false} />
        </div>
        <div className="field">
          <label htmlFor="cs-from">{t('caseSearch.from')}</label>
          <input id="cs-from" type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="cs-to">{t('caseSearch.to')}</label>
          <input id="cs-to" type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="cs-outcome">{t('caseSearch.outcome')}</label>
          <select id="cs-outcome" value={form.outcome} onChange={(e) => setForm({ ...form, outcome: e.target.value })}>
            <option value="">{t('caseSearch.anyOutcome')}</option>
            {CaseOutcomeSchema.options.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o as CaseOutcome}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="case-search__actions">
          <button type="submit" className="btn btn--primary">
            {t('caseSearch.submit')}
          </button>
        </div>
      </form>

      <section className="panel case-search__results" aria-labelledby="cs-results">
        <header className="panel__header">
          <h2 id="cs-results" className="panel__title">
            {t('caseSearch.results')}
          </h2>
          {results.data && <span className="panel__meta">{t('caseSearch.total', { count: results.data.total })}</span>}
        </header>
        <div className="panel__scroll">
          {!hasCriteria && <Empty>{t('caseSearch.hint')}</Empty>}
          {results.isFetching && !results.data && <Loading />}
          <ErrorNotice error={results.error} onRetry={() => void results.refetch()} />
          {results.data && results.data.items.length === 0 && <Empty>{t('caseSearch.none')}</Empty>}
          {results.data && results.data.items.length > 0 && (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('caseSearch.createdAt')}</th>
                  <th scope="col">{t('caseSearch.number')}</th>
                  <th scope="col">{t('caseSearch.category')}</th>
                  <th scope="col">{t('caseSearch.summary')}</th>
                  <th scope="col">{t('caseSearch.agent')}</th>
                  <th scope="col">{t('caseSearch.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {results.data.items.map((c) => (
                  <tr key={c.id}>
                    <td className="nowrap">{f.dateTime(c.createdAt)}</td>
                    <td className="mono nowrap">{c.number}</td>
                    <td>{c.categoryPath ?? '—'}</td>
                    <td>
                      <button type="button" className="link-button strong" onClick={() => setOpenCaseId(c.id)}>
                        {c.summary}
                      </button>
                    </td>
                    <td className="nowrap">{c.agentName ?? '—'}</td>
                    <td className="nowrap">
                      <OutcomeBadge outcome={c.outcome} />
                      {c.handOff && <HandOffStatusBadge status={c.handOff.status} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {results.data && results.data.total > PAGE && (
          <footer className="case-search__pager">
            <button type="button" className="btn btn--small" disabled={offset === 0} onClick={() => page(Math.max(0, offset - PAGE))}>
              {t('caseSearch.prev')}
            </button>
            <span>{t('caseSearch.range', { from: offset + 1, to: Math.min(offset + PAGE, results.data.total), total: results.data.total })}</span>
            <button type="button" className="btn btn--small" disabled={offset + PAGE >= results.data.total} onClick={() => page(offset + PAGE)}>
              {t('caseSearch.next')}
            </button>
          </footer>
        )}
      </section>
      <CaseDetailDialog caseId={openCaseId} onClose={() => setOpenCaseId(null)} />
    </main>
  );
}
