import { useEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { KbSearchHit } from '../../../../core/contracts/kb';
import { SEARCH_TOTAL_CAP } from '../../../../core/domain/korean-search';
import { useArticle, useKbSearch } from '../../api/queries';
import { ArticleBody } from '../../components/article-body';
import { Highlighted } from '../../components/highlighted';
import { ErrorNotice, Loading } from '../../components/notice';
import { useDebounced } from '../../lib/use-debounced';
import { useFormat } from '../../lib/use-format';

export type UsedArticle = { id: string; title: string };

/**
 * 상담 DB: search-as-you-type over the knowledge base and a reader for one article. The agent answers simple
 * questions from here at once; "상담에 활용" records which articles the answer came from.
 */
export function KbPanel({
  searchRef,
  openArticleId,
  onOpenArticle,
  used,
  onToggleUsed,
}: {
  searchRef: Ref<HTMLInputElement>;
  openArticleId: string | null;
  onOpenArticle: (id: string | null) => void;
  used: UsedArticle[];
  onToggleUsed: (article: UsedArticle) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 150);
  const search = useKbSearch(q);
  const listRef = useRef<HTMLUListElement>(null);
  const lastOpened = useRef<string | null>(null);

  const result = q ? search.data : undefined;
  const hits = result?.hits ?? [];

  // When the reader closes, focus goes back to the hit it was opened from.
  useEffect(() => {
    if (openArticleId === null && lastOpened.current) {
      const el = listRef.current?.querySelector<HTMLElement>(`[data-hit-id="${lastOpened.current}"]`);
      el?.focus();
    }
  }, [openArticleId]);

  const open = (hit: KbSearchHit) => {
    lastOpened.current = hit.id;
    onOpenArticle(hit.id);
  };

  const moveFocus = (e: KeyboardEvent, from: number) => {
    const items = listRef.current?.querySelectorAll<HTMLElement>('[data-hit-id]');
    if (!items || items.length === 0) return;
    const next = e.key === 'ArrowDown' ? Math.min(from + 1, items.length - 1) : from - 1;
    e.preventDefault();
    if (next < 0) (document.getElementById('kb-search') as HTMLInputElement | null)?.focus();
    else items[next]?.focus();
  };

  return (
    <section className="panel kb-panel" aria-labelledby="kb-heading">
      <header className="panel__header">
        <h2 id="kb-heading" className="panel__title">
          {t('kb.heading')}
        </h2>
        {result && (
          <span className="panel__meta" aria-live="polite">
            {result.total >= SEARCH_TOTAL_CAP ? t('kb.totalCapped', { total: result.total.toLocaleString() }) : t('kb.total', { total: result.total.toLocaleString() })}
            <span className="muted"> · {t('kb.took', { ms: Math.round(result.tookMs) })}</span>
          </span>
        )}
      </header>
      <div className="kb-search" role="search">
        <label htmlFor="kb-search" className="visually-hidden">
          {t('kb.search')}
        </label>
        <span className="kb-search__icon" aria-hidden="true" />
        <input
          id="kb-search"
          ref={searchRef}
          type="search"
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
          placeholder={t('kb.placeholder')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (openArticleId) onOpenArticle(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && !e.nativeEvent.isComposing) moveFocus(e, -1);
            if (e.key === 'Enter' && !e.nativeEvent.isComposing && hits[0]) {
              e.preventDefault();
              open(hits[0]);
            }
          }}
          aria-keyshortcuts="Alt+K /"
          aria-controls="kb-results"
        />
        {search.isFetching && <span className="kb-search__busy spinner" aria-hidden="true" />}
      </div>

      {openArticleId ? (
        <ArticleReader
          id={openArticleId}
          isUsed={used.some((u) => u.id === openArticleId)}
          onToggleUsed={onToggleUsed}
          onClose={() => onOpenArticle(null)}
        />
      ) : (
        <div className="panel__scroll" id="kb-results">
          <ErrorNotice error={q ? search.error : null} onRetry={() => void search.refetch()} />
          {result?.correctedQuery && (
            <p className="kb-corrected" role="status">
              {t('kb.corrected', { query: result.query, corrected: result.correctedQuery })}
            </p>
          )}
          {!q && <p className="empty">{t('kb.emptyHint')}</p>}
          {q && search.isPending && <Loading label={t('kb.searching')} />}
          {result && hits.length === 0 && (
            <div className="empty">
              <p>{t('kb.noHits', { query: result.query })}</p>
              <p className="muted">{t('kb.noHitsHint')}</p>
            </div>
          )}
          {hits.length > 0 && (
            <ul ref={listRef} className={`hits${search.isPlaceholderData ? ' is-stale' : ''}`} aria-label={t('kb.results')}>
              {hits.map((hit, i) => (
                <li key={hit.id}>
                  <button
                    type="button"
                    className="hit"
                    data-hit-id={hit.id}
                    onClick={() => open(hit)}
                    onKeyDown={(e) => {
                      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') moveFocus(e, i);
                    }}
                  >
                    <span className="hit__title">
                      <span className="hit__title-text">
                        <Highlighted segments={hit.titleHighlight} />
                      </span>
                      {used.some((u) => u.id === hit.id) && <span className="badge badge--teal hit__used">{t('kb.usedInCase')}</span>}
                    </span>
                    <span className="hit__snippet">
                      <Highlighted segments={hit.snippet} />
                    </span>
                    <span className="hit__meta">
                      {hit.categoryPath && <span>{hit.categoryPath}</span>}
                      {hit.departmentName && <span className="hit__dept">{hit.departmentName}</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function ArticleReader({
  id,
  isUsed,
  onToggleUsed,
  onClose,
}: {
  id: string;
  isUsed: boolean;
  onToggleUsed: (article: UsedArticle) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const article = useArticle(id);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const a = article.data;

  useEffect(() => {
    if (a) headingRef.current?.focus();
  }, [a]);

  return (
    <article className="reader" aria-labelledby="reader-title">
      <div className="reader__bar">
        <button type="button" className="btn btn--ghost btn--small" onClick={onClose} aria-keyshortcuts="Escape">
          ← {t('kb.backToResults')}
        </button>
        {a && (
          <button
            type="button"
            className={`btn btn--small btn--toggle${isUsed ? ' is-on' : ''}`}
            aria-pressed={isUsed}
            onClick={() => onToggleUsed({ id: a.id, title: a.title })}
          >
            <span className="btn--toggle__box" aria-hidden="true">
              {isUsed ? '✓' : ''}
            </span>
            {t('kb.useInCase')}
          </button>
        )}
      </div>
      <div className="panel__scroll reader__scroll">
        {article.isPending && <Loading />}
        <ErrorNotice error={article.error} onRetry={() => void article.refetch()} />
        {a && (
          <>
            <h3 id="reader-title" className="reader__title" tabIndex={-1} ref={headingRef}>
              {a.title}
            </h3>
            <div className="reader__meta">
              {a.categoryPath && <span>{a.categoryPath}</span>}
              {a.departmentName && (
                <span>
                  {t('kb.owner')} {a.departmentName}
                </span>
              )}
              <span>{t('kb.version', { version: a.version })}</span>
              <span>{t('kb.updated', { time: f.date(a.updatedAt) })}</span>
            </div>
            <ArticleBody body={a.body} />
            {a.keywords.length > 0 && (
              <div className="reader__keywords">
                <span className="muted">{t('kb.keywords')}</span>
                {a.keywords.map((k) => (
                  <span key={k} className="chip">
                    {k}
                  </span>
                ))}
              </div>
            )}
          </>
        )}
      </div>
    </article>
  );
}
