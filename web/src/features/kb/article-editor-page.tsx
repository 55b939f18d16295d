import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArticleAdmin } from '../../../../core/contracts/editors';
import { ArticleStatusSchema, type ArticleStatus } from '../../../../core/contracts/enums';
import { allowedArticleActions, type ArticleAction } from '../../../../core/domain/article-lifecycle';
import { useCategories, useMe } from '../../api/queries';
import { Dialog } from '../../components/dialog';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { CategoryPicker } from '../cases/category-picker';
import { ARTICLE_PAGE_SIZE, useArticleOwners, useChangeArticleStatus, useEditorArticles, useSaveArticle, type ArticleFilter } from './article-editor-api';
import { CancelSave, DoneLine, SaveError } from '../org/editor-parts';
import '../org/editors.css';

const STATUS_BADGE: Record<ArticleStatus, string> = { draft: 'badge--warn', published: 'badge--ok', archived: 'badge--muted' };

/**
 * 상담 자료 관리 (issue #18 item 13): the knowledge articles of every status with 담당 부서/담당자, 검토 예정일 (past
 * ones highlighted), use counts, 게시 / 보관. KB owners (supervisor, 시스템 관리자) edit every article; an official his
 * department's (the others are listed read-only).
 */
export function ArticleEditorPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [filter, setFilterState] = useState<ArticleFilter>({ status: '', q: '', reviewOverdue: false });
  const [offset, setOffset] = useState(0);
  // A new filter starts again at the first page.
  const setFilter = (next: ArticleFilter) => {
    setFilterState(next);
    setOffset(0);
  };
  const articles = useEditorArticles(filter, offset);
  const page = articles.data;
  const hasPages = page !== undefined && (page.offset > 0 || page.nextOffset !== null);
  const change = useChangeArticleStatus();
  const [editing, setEditing] = useState<ArticleAdmin | 'new' | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const act = (a: ArticleAdmin, action: ArticleAction) => {
    setMessage(null);
    change.mutate(
      { id: a.id, body: { action } },
      { onSuccess: (saved) => setMessage(t('editors.articleStatusChanged', { title: saved.title, status: t(`editors.articleStatus.${saved.status}`) })) },
    );
  };

  return (
    <main id="main" className="page editors">
      <h1 className="page__title">{t('editors.kbHeading')}</h1>
      <p className="editors__lead">{t('editors.kbLead')}</p>
      <section className="panel" aria-labelledby="ed-articles">
        <header className="panel__header">
          <h2 id="ed-articles" className="panel__title">
            {t('editors.kbLink')}
          </h2>
          {page && page.items.length > 0 && (
            <span className="panel__meta">{t('editors.pageRange', { from: page.offset + 1, to: page.offset + page.items.length })}</span>
          )}
          <div className="panel__tools">
            <select aria-label={t('editors.status')} className="input--small" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as ArticleStatus | '' })}>
              <option value="">{t('editors.allStatuses')}</option>
              {ArticleStatusSchema.options.map((s) => (
                <option key={s} value={s}>
                  {t(`editors.articleStatus.${s}`)}
                </option>
              ))}
            </select>
            <label className="checkbox small">
              <input type="checkbox" checked={filter.reviewOverdue} onChange={(e) => setFilter({ ...filter, reviewOverdue: e.target.checked })} /> {t('editors.onlyOverdue')}
            </label>
            <input type="search" className="input--small" aria-label={t('editors.search')} placeholder={t('editors.search')} value={filter.q} onChange={(e) => setFilter({ ...filter, q: e.target.value })} />
            <button type="button" className="btn btn--primary btn--small" onClick={() => setEditing('new')}>
              {t('editors.articleCreate')}
            </button>
          </div>
        </header>
        {articles.isPending && <Loading />}
        <ErrorNotice error={articles.error} onRetry={() => void articles.refetch()} />
        <SaveError error={change.error} />
        <DoneLine message={message} />
        {articles.data && articles.data.items.length === 0 && <Empty>{t('common.none')}</Empty>}
        {articles.data && articles.data.items.length > 0 && (
          <div className="panel__scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('editors.titleColumn')}</th>
                  <th scope="col">{t('editors.ownerDept')}</th>
                  <th scope="col">{t('editors.ownerPerson')}</th>
                  <th scope="col">{t('editors.reviewBy')}</th>
                  <th scope="col" className="num" title={t('editors.useCountHint')}>
                    {t('editors.useCount')}
                  </th>
                  <th scope="col" className="num" title={t('editors.useCountHint')}>
                    {t('editors.openCountShort')}
                  </th>
                  <th scope="col">{t('editors.status')}</th>
                  <th scope="col">{t('editors.updatedAt')}</th>
                  <th scope="col">{t('editors.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {articles.data.items.map((a) => (
                  <tr key={a.id} className={a.status === 'archived' ? 'users__inactive' : undefined}>
                    <td className="strong">
                      {a.title}
                      <span className="muted small"> {a.categoryPath ?? ''}</span>
                    </td>
                    <td className="nowrap">{a.departmentName ?? '—'}</td>
                    <td className="nowrap">{a.ownerName ?? '—'}</td>
                    <td className="nowrap">
                      {a.reviewBy ?? '—'}
                      {a.reviewOverdue && <span className="badge badge--danger editors__overdue">{t('editors.reviewOverdue')}</span>}
                    </td>
                    <td className="num">{a.useCount}</td>
                    <td className="num">{a.openCount}</td>
                    <td className="nowrap">
                      <span className={`badge ${STATUS_BADGE[a.status]}`}>{t(`editors.articleStatus.${a.status}`)}</span>
                      <span className="muted small"> {t('editors.version', { version: a.version })}</span>
                    </td>
                    <td className="nowrap small">{f.dateTime(a.updatedAt)}</td>
                    <td className="security-admin__actions">
                      {a.editable ? (
                        <>
                          <button type="button" className="btn btn--small" onClick={() => setEditing(a)} aria-label={`${t('editors.edit')}: ${a.title}`}>
                            {t('editors.edit')}
                          </button>
                          {allowedArticleActions(a.status).map((action) => (
                            <button
                              key={action}
                              type="button"
                              className={`btn btn--small${action === 'publish' ? ' btn--primary' : ''}`}
                              disabled={change.isPending}
                              onClick={() => act(a, action)}
                              aria-label={`${t(`editors.${action}`)}: ${a.title}`}
                            >
                              {t(`editors.${action}`)}
                            </button>
                          ))}
                        </>
                      ) : (
                        <span className="muted small">{t('editors.readOnly')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {hasPages && page && (
          <nav className="editors__pager" aria-label={t('editors.kbLink')}>
            <button type="button" className="btn btn--ghost btn--small" disabled={page.offset === 0 || articles.isFetching} onClick={() => setOffset(Math.max(0, page.offset - ARTICLE_PAGE_SIZE))}>
              {t('editors.prev')}
            </button>
            <button type="button" className="btn btn--ghost btn--small" disabled={page.nextOffset === null || articles.isFetching} onClick={() => setOffset(page.nextOffset ?? page.offset)}>
              {t('editors.next')}
            </button>
          </nav>
        )}
      </section>
      {editing && (
        <ArticleDialog
          article={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setMessage(t('editors.articleSaved', { title: saved.title }));
          }}
        />
      )}
    </main>
  );
}

function ArticleDialog({ article, onClose, onSaved }: { article: ArticleAdmin | null; onClose: () => void; onSaved: (a: ArticleAdmin) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const categories = useCategories();
  const owners = useArticleOwners();
  const save = useSaveArticle();
  const categoryRef = useRef<HTMLInputElement>(null);
  const [form, setForm] = useState({
    title: article?.title ?? '',
    body: article?.body ?? '',
    keywords: (article?.keywords ?? []).join(', '),
    categoryId: article?.categoryId ?? '',
    ownerId: article?.ownerId ?? '',
    reviewBy: article?.reviewBy ?? '',
  });
  // An official files articles under his own department's categories only.
  const pickable = (categories.data ?? []).filter((c) => me.data?.role !== 'official' || c.departmentId === me.data.departmentId || c.level === 1);
  const category = (categories.data ?? []).find((c) => c.id === form.categoryId) ?? null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      title: form.title,
      body: form.body,
      keywords: form.keywords
        .split(/[,;]/)
        .map((k) => k.trim())
        .filter(Boolean),
      categoryId: form.categoryId,
      ownerId: form.ownerId || null,
      reviewBy: form.reviewBy || null,
    };
    save.mutate({ id: article?.id ?? null, body }, { onSuccess: onSaved });
  };
  return (
    <Dialog open title={article ? t('editors.articleEdit') : t('editors.articleCreate')} subtitle={article ? `${article.title} · ${t('editors.version', { version: article.version })}` : undefined} onClose={onClose}>
      <form className="form editors__article-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="af-title">{t('editors.title')}</label>
          <input id="af-title" autoFocus value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="case-category">{t('editors.category')}</label>
          <CategoryPicker categories={pickable} value={category} onChange={(c) => setForm({ ...form, categoryId: c?.id ?? '' })} inputRef={categoryRef} invalid={false} />
          {category?.departmentName && (
            <p className="field-hint">
              {t('editors.ownerDept')}: {category.departmentName}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="af-body">{t('editors.body')}</label>
          <textarea id="af-body" rows={9} value={form.body} aria-describedby="af-body-hint" onChange={(e) => setForm({ ...form, body: e.target.value })} />
          <p id="af-body-hint" className="field-hint">
            {t('editors.bodyHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor="af-keywords">{t('editors.keywords')}</label>
          <input id="af-keywords" value={form.keywords} aria-describedby="af-keywords-hint" onChange={(e) => setForm({ ...form, keywords: e.target.value })} />
          <p id="af-keywords-hint" className="field-hint">
            {t('editors.keywordsHint')}
          </p>
        </div>
        <div className="editors__row">
          <div className="field">
            <label htmlFor="af-owner">{t('editors.ownerPerson')}</label>
            <select id="af-owner" value={form.ownerId} onChange={(e) => setForm({ ...form, ownerId: e.target.value })}>
              <option value="">{t('editors.noOwner')}</option>
              {(owners.data?.items ?? [])
                .filter((o) => !category?.departmentId || o.departmentId === category.departmentId || o.departmentId === null || o.id === form.ownerId)
                .map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="af-review">{t('editors.reviewBy')}</label>
            <input id="af-review" type="date" value={form.reviewBy} onChange={(e) => setForm({ ...form, reviewBy: e.target.value })} />
          </div>
        </div>
        <SaveError error={save.error} />
        <CancelSave onClose={onClose} pending={save.isPending} />
      </form>
    </Dialog>
  );
}
