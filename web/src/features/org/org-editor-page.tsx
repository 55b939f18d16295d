import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CategoryAdmin, DepartmentAdmin, EditorChange } from '../../../../core/contracts/editors';
import { ComplaintTypeSchema, type ComplaintType } from '../../../../core/contracts/enums';
import { Dialog } from '../../components/dialog';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { useAdminCategories, useAdminDepartments, useDeleteDepartment, useEditorChanges, useSaveCategory, useSaveDepartment } from './org-api';
import { CancelSave, DoneLine, SaveError } from './editor-parts';
import type { editorsKo } from './editors-i18n';
import './editors.css';

/**
 * 부서·상담 분류 관리 (issue #18 item 13, 시스템 관리자): departments (create, rename, phone, hours, deactivate; delete
 * only when nothing refers to them) and the category tree with owner department, 민원 유형 and 처리기한, showing the
 * working-day due time a complaint received now would get.
 */
export function OrgEditorPage() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page editors">
      <h1 className="page__title">{t('editors.orgHeading')}</h1>
      <p className="editors__lead">{t('editors.orgLead')}</p>
      <DepartmentsPanel />
      <CategoriesPanel />
      <HistoryPanel />
    </main>
  );
}

/**
 * 변경 이력 (issue #18 item 13): every change of the org and article editors, who, when and what changed, newest
 * first; 이전 기록 더 보기 reads the next 20.
 */
function HistoryPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const history = useEditorChanges();
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  const value = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'boolean') return v ? t('editors.active') : t('editors.inactive');
    if (Array.isArray(v)) return v.length > 0 ? v.join(', ') : '—';
    if (field === 'complaintType') return t(`complaintType.${v as ComplaintType}`);
    if (field === 'status') return t(`editors.articleStatus.${v as 'draft' | 'published' | 'archived'}`);
    return String(v);
  };
  const changes = (c: EditorChange) =>
    Object.entries(c.changes).map(([field, [before, after]]) => {
      const label = t(`editors.field.${field as keyof typeof editorsKo.field}`, { defaultValue: field });
      return c.action === 'create' ? `${label}: ${value(field, after)}` : `${label}: ${value(field, before)} → ${value(field, after)}`;
    });
  return (
    <section className="panel" aria-labelledby="ed-history">
      <header className="panel__header">
        <h2 id="ed-history" className="panel__title">
          {t('editors.history')}
        </h2>
      </header>
      <p className="editors__lead">{t('editors.historyLead')}</p>
      {history.isPending && <Loading />}
      <ErrorNotice error={history.error} onRetry={() => void history.refetch()} />
      {history.data && items.length === 0 && <Empty>{t('common.none')}</Empty>}
      {items.length > 0 && (
        <div className="panel__scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('editors.historyAt')}</th>
                <th scope="col">{t('editors.historyWho')}</th>
                <th scope="col">{t('editors.historyWhat')}</th>
                <th scope="col">{t('editors.historyAction')}</th>
                <th scope="col">{t('editors.historyChanges')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td className="nowrap">{f.dateTime(c.at)}</td>
                  <td className="nowrap">{c.actorName ?? '—'}</td>
                  <td>
                    <span className="tag">{t(`editors.entity.${c.entity}`)}</span> {c.label}
                  </td>
                  <td className="nowrap">{t(`editors.action.${c.action}`)}</td>
                  <td>
                    {changes(c).map((line) => (
                      <div key={line}>{line}</div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {history.hasNextPage && (
        <div className="editors__more">
          <button type="button" className="btn btn--ghost btn--small" disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
            {t('editors.historyMore')}
          </button>
        </div>
      )}
    </section>
  );
}

function DepartmentsPanel() {
  const { t } = useTranslation();
  const departments = useAdminDepartments();
  const remove = useDeleteDepartment();
  const save = useSaveDepartment();
  const [editing, setEditing] = useState<DepartmentAdmin | 'new' | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const toggle = (d: DepartmentAdmin) => {
    setMessage(null);
    save.mutate(
      { id: d.id, body: { name: d.name, phone: d.phone, location: d.location, hours: d.hours, active: !d.active } },
      { onSuccess: (saved) => setMessage(t('editors.saved', { name: saved.name })) },
    );
  };
  const del = (d: DepartmentAdmin) => {
    if (!window.confirm(t('editors.deleteConfirm', { name: d.name }))) return;
    setMessage(null);
    remove.mutate(d.id, { onSuccess: () => setMessage(t('editors.deleted', { name: d.name })) });
  };

  return (
    <section className="panel" aria-labelledby="ed-departments">
      <header className="panel__header">
        <h2 id="ed-departments" className="panel__title">
          {t('editors.departments')}
        </h2>
        {departments.data && <span className="panel__meta">{t('inbox.count', { count: departments.data.items.length })}</span>}
        <div className="panel__tools">
          <button type="button" className="btn btn--primary btn--small" onClick={() => setEditing('new')}>
            {t('editors.departmentCreate')}
          </button>
        </div>
      </header>
      {departments.isPending && <Loading />}
      <ErrorNotice error={departments.error} onRetry={() => void departments.refetch()} />
      <SaveError error={remove.error ?? save.error} />
      <DoneLine message={message} />
      {departments.data && departments.data.items.length === 0 && <Empty>{t('common.none')}</Empty>}
      {departments.data && departments.data.items.length > 0 && (
        <div className="panel__scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('editors.code')}</th>
                <th scope="col">{t('editors.name')}</th>
                <th scope="col">{t('editors.phone')}</th>
                <th scope="col">{t('editors.hours')}</th>
                <th scope="col" className="num">{t('editors.categoriesCount')}</th>
                <th scope="col" className="num">{t('editors.officialsCount')}</th>
                <th scope="col" className="num">{t('editors.openCount')}</th>
                <th scope="col">{t('editors.state')}</th>
                <th scope="col">{t('editors.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {departments.data.items.map((d) => (
                <tr key={d.id} className={d.active ? undefined : 'users__inactive'}>
                  <td className="mono">{d.code}</td>
                  <td className="nowrap strong">
                    {d.name}
                    {d.location && <span className="muted small"> {d.location}</span>}
                  </td>
                  <td className="mono nowrap">{d.phone ?? '—'}</td>
                  <td className="nowrap">{d.hours ?? '—'}</td>
                  <td className="num">{d.counts.categories}</td>
                  <td className="num">{d.counts.officials}</td>
                  <td className="num">{d.counts.openHandOffs}</td>
                  <td className="nowrap">
                    <span className={`badge ${d.active ? 'badge--ok' : 'badge--muted'}`}>{d.active ? t('editors.active') : t('editors.inactive')}</span>
                  </td>
                  <td className="security-admin__actions">
                    <button type="button" className="btn btn--small" onClick={() => setEditing(d)} aria-label={`${t('editors.edit')}: ${d.name}`}>
                      {t('editors.edit')}
                    </button>
                    <button type="button" className="btn btn--small" disabled={save.isPending} onClick={() => toggle(d)} aria-label={`${d.active ? t('editors.deactivate') : t('editors.activate')}: ${d.name}`}>
                      {d.active ? t('editors.deactivate') : t('editors.activate')}
                    </button>
                    <button type="button" className="btn btn--small" disabled={remove.isPending} onClick={() => del(d)} aria-label={`${t('editors.delete')}: ${d.name}`}>
                      {t('editors.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <DepartmentDialog
          department={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setMessage(t('editors.saved', { name: saved.name }));
          }}
        />
      )}
    </section>
  );
}

function DepartmentDialog({ department, onClose, onSaved }: { department: DepartmentAdmin | null; onClose: () => void; onSaved: (d: DepartmentAdmin) => void }) {
  const { t } = useTranslation();
  const save = useSaveDepartment();
  const [form, setForm] = useState({ code: department?.code ?? '', name: department?.name ?? '', phone: department?.phone ?? '', location: department?.location ?? '', hours: department?.hours ?? '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields = { name: form.name, phone: form.phone.trim() || null, location: form.location.trim() || null, hours: form.hours.trim() || null };
    save.mutate(department ? { id: department.id, body: { ...fields, active: department.active } } : { id: null, body: { code: form.code, ...fields } }, { onSuccess: onSaved });
  };
  return (
    <Dialog open title={department ? t('editors.departmentEdit', { name: department.name }) : t('editors.departmentCreate')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="df-code">{t('editors.codeRequired')}</label>
          <input id="df-code" className="mono" autoFocus={!department} disabled={department !== null} value={form.code} placeholder="D13" onChange={(e) => setForm({ ...form, code: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="df-name">{t('editors.nameRequired')}</label>
          <input id="df-name" autoFocus={department !== null} value={form.name} placeholder="도로관리과" onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="df-phone">{t('editors.phone')}</label>
          <input id="df-phone" inputMode="tel" value={form.phone} placeholder="031-5180-2401" onChange={(e) => setForm({ ...form, phone: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="df-location">{t('editors.location')}</label>
          <input id="df-location" value={form.location} placeholder="한빛시청 별관 1층" onChange={(e) => setForm({ ...form, location: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="df-hours">{t('editors.hours')}</label>
          <input id="df-hours" value={form.hours} placeholder={t('editors.hoursPlaceholder')} onChange={(e) => setForm({ ...form, hours: e.target.value })} />
        </div>
        <SaveError error={save.error} />
        <CancelSave onClose={onClose} pending={save.isPending} />
      </form>
    </Dialog>
  );
}

type CategoryEditing = { mode: 'edit'; category: CategoryAdmin } | { mode: 'create'; parent: CategoryAdmin | null };

function CategoriesPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const categories = useAdminCategories();
  const [filter, setFilter] = useState('');
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<CategoryEditing | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const needle = filter.trim();
  const rows = useMemo(
    () => (categories.data?.items ?? []).filter((c) => (showInactive || c.active) && (!needle || c.path.includes(needle) || (c.departmentName ?? '').includes(needle) || c.code.startsWith(needle))),
    [categories.data, showInactive, needle],
  );

  return (
    <section className="panel" aria-labelledby="ed-categories">
      <header className="panel__header">
        <h2 id="ed-categories" className="panel__title">
          {t('editors.categories')}
        </h2>
        {categories.data && <span className="panel__meta">{t('inbox.count', { count: rows.length })}</span>}
        <div className="panel__tools">
          <label className="checkbox small">
            <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} /> {t('editors.showInactive')}
          </label>
          <input type="search" className="input--small" aria-label={t('editors.filter')} placeholder={t('editors.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
          <button type="button" className="btn btn--primary btn--small" onClick={() => setEditing({ mode: 'create', parent: null })}>
            {t('editors.categoryCreateRoot')}
          </button>
        </div>
      </header>
      {categories.isPending && <Loading />}
      <ErrorNotice error={categories.error} onRetry={() => void categories.refetch()} />
      <DoneLine message={message} />
      {rows.length > 0 && (
        <div className="panel__scroll editors__tree">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('editors.code')}</th>
                <th scope="col">{t('editors.name')}</th>
                <th scope="col">{t('editors.owner')}</th>
                <th scope="col">{t('editors.complaintType')}</th>
                <th scope="col">{t('editors.deadline')}</th>
                <th scope="col">{t('editors.state')}</th>
                <th scope="col">{t('editors.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} className={`editors__level${c.level}${c.active ? '' : ' users__inactive'}`}>
                  <td className="mono nowrap">{c.code}</td>
                  <td className="editors__name">
                    <span className="tag">{t(`editors.level${c.level as 1 | 2 | 3}`)}</span> {c.name}
                  </td>
                  <td className="nowrap">{c.departmentName ?? '—'}</td>
                  <td className="nowrap">{c.complaintType ? t(`complaintType.${c.complaintType}`) : '—'}</td>
                  <td className="editors__deadline">
                    {c.complaintType ? f.deadline(c.complaintType, c.deadlineDays) : '—'}
                    {c.deadlineExample && (
                      <span className="muted small" title={t('editors.deadlineBasis', { basis: c.deadlineExample.basis })}>
                        {' '}
                        · {t('editors.deadlineExample', { due: f.dateTime(c.deadlineExample.dueAt) })}
                      </span>
                    )}
                  </td>
                  <td className="nowrap">
                    <span className={`badge ${c.active ? 'badge--ok' : 'badge--muted'}`}>{c.active ? t('editors.active') : t('editors.inactive')}</span>
                  </td>
                  <td className="security-admin__actions">
                    <button type="button" className="btn btn--small" onClick={() => setEditing({ mode: 'edit', category: c })} aria-label={`${t('editors.edit')}: ${c.path}`}>
                      {t('editors.edit')}
                    </button>
                    {c.level < 3 && c.active && (
                      <button type="button" className="btn btn--small" onClick={() => setEditing({ mode: 'create', parent: c })} aria-label={`${t('editors.categoryAddChild')}: ${c.path}`}>
                        {t('editors.categoryAddChild')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <CategoryDialog
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setMessage(t('editors.saved', { name: saved.path }));
          }}
        />
      )}
    </section>
  );
}

function CategoryDialog({ editing, onClose, onSaved }: { editing: CategoryEditing; onClose: () => void; onSaved: (c: CategoryAdmin) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const departments = useAdminDepartments();
  const save = useSaveCategory();
  const start = editing.mode === 'edit' ? editing.category : null;
  const parent = editing.mode === 'create' ? editing.parent : null;
  const [form, setForm] = useState({
    code: start?.code ?? (parent ? `${parent.code}-` : ''),
    name: start?.name ?? '',
    departmentId: start?.departmentId ?? '',
    complaintType: (start?.complaintType ?? '') as ComplaintType | '',
    deadlineDays: start?.deadlineDays ? String(start.deadlineDays) : '',
    active: start?.active ?? true,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const days = form.deadlineDays.trim();
    const fields = {
      name: form.name,
      departmentId: form.departmentId || null,
      complaintType: form.complaintType || null,
      deadlineDays: days === '' ? null : Number(days),
      active: form.active,
    };
    save.mutate(start ? { id: start.id, body: fields } : { id: null, body: { ...fields, code: form.code.trim(), parentId: parent?.id ?? null } }, { onSuccess: onSaved });
  };
  const title = start ? t('editors.categoryEdit', { path: start.path }) : parent ? t('editors.categoryCreate', { parent: parent.path }) : t('editors.categoryCreateTop');
  const type = form.complaintType || parent?.complaintType || null;
  return (
    <Dialog open title={title} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="cf-code">{t('editors.codeRequired')}</label>
          <input id="cf-code" className="mono" autoFocus={!start} disabled={start !== null} value={form.code} aria-describedby={parent ? 'cf-code-hint' : undefined} onChange={(e) => setForm({ ...form, code: e.target.value })} />
          {parent && (
            <p id="cf-code-hint" className="field-hint">
              {t('editors.codeHintChild', { parent: parent.code })}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="cf-name">{t('editors.nameRequired')}</label>
          <input id="cf-name" autoFocus={start !== null} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="cf-dept">{t('editors.owner')}</label>
          <select id="cf-dept" value={form.departmentId} onChange={(e) => setForm({ ...form, departmentId: e.target.value })}>
            <option value="">{parent?.departmentName ? `${t('editors.inherit')} (${parent.departmentName})` : t('editors.none')}</option>
            {(departments.data?.items ?? [])
              .filter((d) => d.active || d.id === form.departmentId)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cf-type">{t('editors.complaintType')}</label>
          <select id="cf-type" value={form.complaintType} onChange={(e) => setForm({ ...form, complaintType: e.target.value as ComplaintType | '' })}>
            <option value="">{parent?.complaintType ? `${t('editors.inherit')} (${t(`complaintType.${parent.complaintType}`)})` : t('editors.none')}</option>
            {ComplaintTypeSchema.options.map((c) => (
              <option key={c} value={c}>
                {t(`complaintType.${c}`)} · {f.deadline(c, null)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cf-days">{t('editors.deadlineDays')}</label>
          <input id="cf-days" type="number" min={1} max={365} inputMode="numeric" value={form.deadlineDays} aria-describedby="cf-days-hint" onChange={(e) => setForm({ ...form, deadlineDays: e.target.value })} />
          <p id="cf-days-hint" className="field-hint">
            {t('editors.deadlineDaysHint')}
            {type && ` ${t('editors.deadline')}: ${f.deadline(type, form.deadlineDays ? Number(form.deadlineDays) : (parent?.deadlineDays ?? null))}`}
          </p>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} /> {t('editors.active')}
        </label>
        <SaveError error={save.error} />
        <CancelSave onClose={onClose} pending={save.isPending} />
      </form>
    </Dialog>
  );
}
