import { useEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { KbSearchHit } from '../../../../core/contracts/kb';
import { SEARCH_TOTAL_CAP } from '../../../../core/domain/korean-search';
import { useArticle } from '../../api/queries';
import { ArticleBody } from '../../components/article-body';
import { Highlighted } from '../../components/highlighted';
import { ErrorNotice, Loading } from '../../components/notice';
import { useDebounced } from '../../lib/use-debounced';
import { useFormat } from '../../lib/use-format';
import { sendSearchFeedback, useDeskSearch, useRecordMissing } from './kb-api';
import { notesQuery } from './notes-query';
import './kb.css';

/** The words of `text` that `other` spells differently ("과태료 어디서 내요" against "과태로 어디서 내요" → 과태료). */
function changedWords(text: string, other: string): string {
  const theirs = other.split(/\s+/);
  const mine = text.split(/\s+/);
  const changed = mine.filter((w, i) => w !== theirs[i]);
  return changed.length > 0 && mine.length === theirs.length ? changed.join(' ') : text;
}

/** A query that stays on screen this long with results counts as 'shown' (for the owners' list of unused results). */
const SETTLED_MS = 2500;

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
  notes = '',
}: {
  searchRef: Ref<HTMLInputElement>;
  openArticleId: string | null;
  onOpenArticle: (id: string | null) => void;
  used: UsedArticle[];
  onToggleUsed: (article: UsedArticle) => void;
  /** The case notes being typed: while the search box is empty, the sentence being written is searched. */
  notes?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [isExact, setExact] = useState(false);
  const typed = useDebounced(text.trim(), 150);
  const fromNotes = useDebounced(notesQuery(notes), 400);
  const isFromNotes = typed === '' && fromNotes !== '';
  const q = typed || fromNotes;
  const search = useDeskSearch(q, isExact);
  const recordMissing = useRecordMissing();
  const shownRef = useRef<string | null>(null);
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

  // A query that settles on screen with results is remembered once (masked on the server), so the KB owners see
  // questions whose results nobody opened.
  const hasHits = hits.length > 0 && !search.isPlaceholderData;
  useEffect(() => {
    if (!q || !hasHits || shownRef.current === q) return;
    const timer = window.setTimeout(() => {
      shownRef.current = q;
      sendSearchFeedback({ kind: 'shown', query: q });
    }, SETTLED_MS);
    return () => window.clearTimeout(timer);
  }, [q, hasHits]);

  const open = (hit: KbSearchHit) => {
    lastOpened.current = hit.id;
    if (q) sendSearchFeedback({ kind: 'open', query: q, articleId: hit.id });
    onOpenArticle(hit.id);
  };

  const toggleUsed = (article: UsedArticle) => {
    if (q && !used.some((u) => u.id === article.id)) sendSearchFeedback({ kind: 'use', query: q, articleId: article.id });
    onToggleUsed(article);
  };

  const searchFor = (words: string) => {
    setText(words);
    setExact(false);
    recordMissing.reset();
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
            searchFor(e.target.value);
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
          onToggleUsed={toggleUsed}
          onClose={() => onOpenArticle(null)}
        />
      ) : (
        <div className="panel__scroll" id="kb-results">
          <ErrorNotice error={q ? search.error : null} onRetry={() => void search.refetch()} />
          {result?.correctedQuery && (
            <p className="kb-corrected" role="status">
              {t('kb.correctedTo', { corrected: changedWords(result.correctedQuery, result.query) })} —{' '}
              <button type="button" className="kb-link" onClick={() => setExact(true)}>
                {t('kb.searchOriginal', { query: changedWords(result.query, result.correctedQuery) })}
              </button>
            </p>
          )}
          {!q && <p className="empty">{t('kb.emptyHint')}</p>}
          {isFromNotes && (
            <p className="kb-from-notes muted small" role="status">
              {t('kb.fromNotes', { query: fromNotes })}
            </p>
          )}
          {q && search.isPending && <Loading label={t('kb.searching')} />}
          {result && (hits.length === 0 || result.isWeak) && (
            <div className="empty kb-nohits">
              <p>{hits.length === 0 ? t('kb.noHits', { query: result.query }) : t('kb.noAnswer', { query: result.query })}</p>
              {result.nearest.length > 0 ? (
                <div className="kb-nearest">
                  <p className="muted">{t('kb.nearestHint')}</p>
                  <ul className="kb-nearest__list" aria-label={t('kb.nearest')}>
                    {result.nearest.map((n) => (
                      <li key={n.categoryId}>
                        <button type="button" className="chip kb-nearest__topic" onClick={() => searchFor(n.categoryPath.split(' > ').at(-1) ?? n.categoryPath)}>
                          {n.categoryPath}
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                <p className="muted">{t('kb.noHitsHint')}</p>
              )}
              {recordMissing.isSuccess ? (
                <p role="status">{t('kb.missingRecorded')}</p>
              ) : (
                <button type="button" className="btn btn--ghost btn--small" disabled={recordMissing.isPending} onClick={() => recordMissing.mutate(result.query)}>
                  {t('kb.recordMissing')}
                </button>
              )}
              <ErrorNotice error={recordMissing.error} />
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
