import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../core/contracts/enums';
import { RoleSchema } from '../../../../core/contracts/enums';
import type { AdminUser, TemporaryPasswordAnswer } from '../../../../core/contracts/users';
import { errorMessage } from '../../api/client';
import { useDepartments, useMe } from '../../api/queries';
import { useAdminUsers, useCreateUser, useResetUserPassword, useSetUserActive, useUpdateUser } from '../../api/users-queries';
import { Dialog } from '../../components/dialog';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { RequiredMark } from '../../components/required-mark';

/**
 * 사용자 관리 (admin only): accounts with role, department, extension; register (a temporary password shown once),
 * edit, deactivate / reactivate, reset the password. Every change is recorded on the server as a security event.
 */
export function UserAdminPanel() {
  const me = useMe();
  return me.data?.role === 'admin' ? <UserAdminTable myId={me.data.id} /> : null;
}

type Editing = { mode: 'create' } | { mode: 'edit'; user: AdminUser } | null;

function UserAdminTable({ myId }: { myId: string }) {
  const { t } = useTranslation();
  const users = useAdminUsers();
  const setActive = useSetUserActive();
  const reset = useResetUserPassword();
  const [filter, setFilter] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [editing, setEditing] = useState<Editing>(null);
  const [issued, setIssued] = useState<TemporaryPasswordAnswer | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const needle = filter.trim().toLowerCase();
  const rows = (users.data?.items ?? []).filter(
    (u) => (!role || u.role === role) && (!needle || u.login.toLowerCase().includes(needle) || u.name.includes(filter.trim()) || (u.departmentName ?? '').includes(filter.trim())),
  );

  const toggle = (u: AdminUser) => {
    if (u.isActive && !window.confirm(t('users.deactivateConfirm', { name: u.name }))) return;
    setMessage(null);
    setActive.mutate({ id: u.id, active: !u.isActive }, { onSuccess: (saved) => setMessage(t(saved.isActive ? 'users.activated' : 'users.deactivated', { name: saved.name })) });
  };
  const resetPassword = (u: AdminUser) => {
    if (!window.confirm(t('users.resetConfirm', { name: u.name }))) return;
    setMessage(null);
    reset.mutate(u.id, { onSuccess: (answer) => setIssued(answer) });
  };

  return (
    <section className="panel security-panel security-admin" aria-labelledby="adm-users">
      <header className="panel__header">
        <h2 id="adm-users" className="panel__title">
          {t('users.heading')}
        </h2>
        {users.data && <span className="panel__meta">{t('users.count', { count: rows.length, total: users.data.items.length })}</span>}
        <div className="panel__tools">
          <select aria-label={t('users.role')} className="input--small users__role-filter" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">{t('users.allRoles')}</option>
            {RoleSchema.options.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
          <input type="search" className="input--small" aria-label={t('users.filter')} placeholder={t('users.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
          <button type="button" className="btn btn--primary btn--small" onClick={() => setEditing({ mode: 'create' })}>
            {t('users.create')}
          </button>
        </div>
      </header>
      <p className="security__lead">{t('users.lead')}</p>
      {users.isPending && <Loading />}
      <ErrorNotice error={users.error ?? setActive.error ?? reset.error} onRetry={users.error ? () => void users.refetch() : undefined} />
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {users.data && rows.length === 0 && <Empty>{t('common.none')}</Empty>}
      {rows.length > 0 && (
        <div className="panel__scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('security.login')}</th>
                <th scope="col">{t('security.name')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.department')}</th>
                <th scope="col">{t('users.extension')}</th>
                <th scope="col">{t('security.state')}</th>
                <th scope="col">{t('security.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={u.id} className={u.isActive ? undefined : 'users__inactive'}>
                  <td className="mono">{u.login}</td>
                  <td className="nowrap strong">
                    {u.name}
                    {u.title && <span className="muted small"> {u.title}</span>}
                  </td>
                  <td className="nowrap">{t(`role.${u.role}`)}</td>
                  <td className="nowrap">
                    {u.departmentName ?? '—'}
                    {u.isDepartmentHead && <span className="tag">{t('users.head')}</span>}
                  </td>
                  <td className="mono">{u.extension ?? '—'}</td>
                  <td className="nowrap">
                    {!u.isActive ? (
                      <span className="badge badge--muted">{t('security.inactive')}</span>
                    ) : u.mustChangePassword ? (
                      <span className="badge badge--warn">{t('users.temporaryPassword')}</span>
                    ) : (
                      <span className="badge badge--ok">{t('security.normal')}</span>
                    )}
                  </td>
                  <td className="security-admin__actions">
                    <button type="button" className="btn btn--small" onClick={() => setEditing({ mode: 'edit', user: u })} aria-label={`${t('users.edit')}: ${u.name}`}>
                      {t('users.edit')}
                    </button>
                    <button type="button" className="btn btn--small" disabled={reset.isPending || !u.isActive} onClick={() => resetPassword(u)} aria-label={`${t('users.reset')}: ${u.name}`}>
                      {t('users.reset')}
                    </button>
                    {u.id !== myId && (
                      <button
                        type="button"
                        className={`btn btn--small${u.isActive ? '' : ' btn--primary'}`}
                        disabled={setActive.isPending}
                        onClick={() => toggle(u)}
                        aria-label={`${u.isActive ? t('users.deactivate') : t('users.activate')}: ${u.name}`}
                      >
                        {u.isActive ? t('users.deactivate') : t('users.activate')}
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
        <UserFormDialog
          editing={editing}
          onClose={() => setEditing(null)}
          onCreated={(answer) => {
            setEditing(null);
            setIssued(answer);
          }}
          onSaved={(saved) => {
            setEditing(null);
            setMessage(t('users.saved', { name: saved.name }));
          }}
        />
      )}
      <Dialog open={issued !== null} title={t('users.issuedHeading')} onClose={() => setIssued(null)}>
        {issued && (
          <div className="form">
            <p>{t('users.issuedLead', { name: issued.user.name, login: issued.user.login })}</p>
            <p className="temp-password mono" aria-label={t('users.temporaryPassword')}>
              {issued.temporaryPassword}
            </p>
            <p className="notice notice--warn">{t('users.issuedWarning')}</p>
            <div className="dialog__actions">
              <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(issued.temporaryPassword)}>
                {t('users.copy')}
              </button>
              <button type="button" className="btn btn--primary" autoFocus onClick={() => setIssued(null)}>
                {t('users.issuedDone')}
              </button>
            </div>
          </div>
        )}
      </Dialog>
    </section>
  );
}

function UserFormDialog({
  editing,
  onClose,
  onCreated,
  onSaved,
}: {
  editing: NonNullable<Editing>;
  onClose: () => void;
  onCreated: (answer: TemporaryPasswordAnswer) => void;
  onSaved: (user: AdminUser) => void;
}) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const create = useCreateUser();
  const update = useUpdateUser();
  const start = editing.mode === 'edit' ? editing.user : null;
  const [form, setForm] = useState({
    login: start?.login ?? '',
    name: start?.name ?? '',
    role: (start?.role ?? 'agent') as Role,
    departmentId: start?.departmentId ?? '',
    title: start?.title ?? '',
    extension: start?.extension ?? '',
    isDepartmentHead: start?.isDepartmentHead ?? false,
  });
  const pending = create.isPending || update.isPending;
  const error = create.error ?? update.error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields = {
      name: form.name.trim(),
      role: form.role,
      departmentId: form.departmentId || null,
      title: form.title.trim() || null,
      extension: form.extension.trim() || null,
      isDepartmentHead: form.role === 'official' && form.isDepartmentHead,
    };
    if (editing.mode === 'create') create.mutate({ login: form.login.trim(), ...fields }, { onSuccess: onCreated });
    else update.mutate({ id: editing.user.id, body: fields }, { onSuccess: onSaved });
  };

  return (
    <Dialog open title={editing.mode === 'create' ? t('users.createHeading') : t('users.editHeading', { name: editing.user.name })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="uf-login">{t('security.login')}</label>
          <input id="uf-login" autoFocus={editing.mode === 'create'} disabled={editing.mode === 'edit'} value={form.login} placeholder="hong.gildong" onChange={(e) => setForm({ ...form, login: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="uf-name">{t('security.name')}</label>
          <input id="uf-name" autoFocus={editing.mode === 'edit'} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="uf-role">{t('users.role')}</label>
          <select id="uf-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {RoleSchema.options.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
          {editing.mode === 'edit' && form.role !== editing.user.role && <p className="hint">{t('users.roleChangeHint')}</p>}
        </div>
        <div className="field">
          <label htmlFor="uf-dept">
            {t('users.department')} {form.role === 'official' && <RequiredMark />}
          </label>
          <select id="uf-dept" value={form.departmentId} onChange={(e) => setForm({ ...form, departmentId: e.target.value })}>
            <option value="">{form.role === 'official' ? t('users.pickDepartment') : t('users.noDepartment')}</option>
            {(departments.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="uf-title">{t('users.title')}</label>
          <input id="uf-title" value={form.title} placeholder={t('users.titlePlaceholder')} onChange={(e) => setForm({ ...form, title: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="uf-ext">{t('users.extension')}</label>
          <input id="uf-ext" inputMode="numeric" value={form.extension} placeholder="2301" onChange={(e) => setForm({ ...form, extension: e.target.value })} />
        </div>
        {form.role === 'official' && (
          <label className="checkbox">
            <input type="checkbox" checked={form.isDepartmentHead} onChange={(e) => setForm({ ...form, isDepartmentHead: e.target.checked })} /> {t('users.isHead')}
          </label>
        )}
        {error && (
          <p className="notice notice--error" role="alert">
            {errorMessage(error, { network: t('common.networkError'), generic: t('common.loadFailed') })}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn--primary" disabled={pending}>
            {editing.mode === 'create' ? t('users.createSubmit') : t('users.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
