import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../../core/contracts/org';
import { useCategories, useDepartments } from '../../api/queries';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { UserSecurityPanel } from '../../features/auth/user-security-panel';
import { UserAdminPanel } from '../../features/users/user-admin-panel';
import { useFormat } from '../../lib/use-format';
import { AccessReviewPanel } from '../../features/privacy/access-review-panel';
import { AcdAdminPanel } from '../../features/acd/acd-admin';

type Node = Category & { children: Node[] };

/** The flat category list as a tree (분야 → 업무 → 세부), in code order. */
export function buildCategoryTree(categories: readonly Category[]): Node[] {
  const nodes = new Map<string, Node>(categories.map((c) => [c.id, { ...c, children: [] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: Node[]) => {
    list.sort((a, b) => a.code.localeCompare(b.code));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** 시스템 관리: departments and the category tree with owners and 민원 유형 (read-only), users, account security, ACD. */
export function AdminPage() {
  const { t } = useTranslation();
  const departments = useDepartments();
  const categories = useCategories();
  const [filter, setFilter] = useState('');
  const [expandAll, setExpandAll] = useState<boolean | null>(null);
  const tree = useMemo(() => buildCategoryTree(categories.data ?? []), [categories.data]);

  const needle = filter.trim().toLowerCase();
  const matches = (c: Category) => !needle || c.path.toLowerCase().includes(needle) || (c.departmentName ?? '').toLowerCase().includes(needle);
  const visible = (n: Node): boolean => matches(n) || n.children.some(visible);

  return (
    <main id="main" className="page">
      <h1 className="page__title">
        {t('admin.heading')}
      </h1>
      <div className="page__grid page__grid--admin">
        <section className="panel" aria-labelledby="adm-departments">
          <header className="panel__header">
            <h2 id="adm-departments" className="panel__title">
              {t('admin.departments')}
            </h2>
            {departments.data && <span className="panel__meta">{t('inbox.count', { count: departments.data.length })}</span>}
          </header>
          <div className="panel__scroll">
            {departments.isPending && <Loading />}
            <ErrorNotice error={departments.error} onRetry={() => void departments.refetch()} />
            {departments.data && (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('admin.code')}</th>
                    <th scope="col">{t('admin.name')}</th>
                    <th scope="col">{t('admin.phone')}</th>
                    <th scope="col">{t('admin.location')}</th>
                  </tr>
                </thead>
                <tbody>
                  {departments.data.map((d) => (
                    <tr key={d.id}>
                      <td className="mono">{d.code}</td>
                      <td className="nowrap strong">{d.name}</td>
                      <td className="nowrap">{d.phone}</td>
                      <td>{d.location}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </section>

        <section className="panel" aria-labelledby="adm-categories">
          <header className="panel__header">
            <h2 id="adm-categories" className="panel__title">
              {t('admin.categories')}
            </h2>
            <div className="panel__tools">
              <label htmlFor="adm-filter" className="visually-hidden">
                {t('admin.filter')}
              </label>
              <input
                id="adm-filter"
                type="search"
                className="input--small"
                placeholder={t('admin.filterPlaceholder')}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
              <button type="button" className="btn btn--ghost btn--small" onClick={() => setExpandAll(true)}>
                {t('admin.expandAll')}
              </button>
              <button type="button" className="btn btn--ghost btn--small" onClick={() => setExpandAll(false)}>
                {t('admin.collapseAll')}
              </button>
            </div>
          </header>
          <div className="panel__scroll">
            {categories.isPending && <Loading />}
            <ErrorNotice error={categories.error} onRetry={() => void categories.refetch()} />
            {categories.data && tree.filter(visible).length === 0 && <Empty>{t('caseForm.categoryNoMatch')}</Empty>}
            <ul className="tree" role="list">
              {tree.filter(visible).map((field) => (
                <li key={field.id + String(expandAll) + needle}>
                  <details open={needle ? true : (expandAll ?? false)} className="tree__field">
                    <summary>
                      <span className="mono muted">{field.code}</span> <strong>{field.name}</strong>
                      <span className="muted small"> · {t('admin.level2')} {field.children.length}</span>
                    </summary>
                    <ul className="tree__tasks">
                      {field.children.filter(visible).map((task) => (
                        <li key={task.id} className="tree__task">
                          <CategoryRow c={task} />
                          {task.children.length > 0 && (
                            <ul className="tree__details">
                              {task.children.filter(visible).map((d) => (
                                <li key={d.id}>
                                  <CategoryRow c={d} parent={task} />
                                </li>
                              ))}
                            </ul>
                          )}
                        </li>
                      ))}
                    </ul>
                  </details>
                </li>
              ))}
            </ul>
          </div>
        </section>
      </div>
      <UserAdminPanel />
      <UserSecurityPanel />
      <AccessReviewPanel />
      <AcdAdminPanel />
    </main>
  );
}

function CategoryRow({ c, parent }: { c: Category; parent?: Category }) {
  const { t } = useTranslation();
  const f = useFormat();
  const sameOwner = parent && parent.departmentId === c.departmentId;
  const sameType = parent && parent.complaintType === c.complaintType;
  return (
    <div className={`tree__row tree__row--l${c.level}`}>
      <span className="mono muted">{c.code}</span>
      <span className={c.level === 2 ? 'strong' : ''}>{c.name}</span>
      <span className="tree__tags">
        {c.departmentName && !sameOwner && <span className="tag" title={t('admin.owner')}>{c.departmentName}</span>}
        {c.complaintType && !sameType && <span className="tag tag--type" title={t('admin.type')}>{f.complaintType(c.complaintType)}</span>}
      </span>
    </div>
  );
}
