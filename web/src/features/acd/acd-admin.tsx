import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RoutingStrategySchema, type BusinessHours, type Queue, type QueueInput } from '../../../../core/contracts/acd';
import type { Category } from '../../../../core/contracts/org';
import {
  useAddClosedDay,
  useAgentSkills,
  useBusinessHours,
  useClosedDays,
  useQueues,
  useRemoveClosedDay,
  useSaveAgentSkills,
  useSaveBusinessHours,
  useSaveQueue,
} from '../../api/acd-queries';
import { useCategories, useMe } from '../../api/queries';
import { useUserSecurity } from '../../api/security-queries';
import { ErrorNotice, Loading } from '../../components/notice';

/**
 * 상담 연결(ACD) 설정 in 시스템 관리: queues (dialled number + ARS choice → queue, routing, widening after N seconds),
 * each agent's skills, business hours and closed days. Supervisors see the settings; only the admin saves them.
 */
export function AcdAdminPanel() {
  const { t } = useTranslation();
  const me = useMe();
  const canEdit = me.data?.role === 'admin';
  const categories = useCategories();
  const skills = useMemo(() => (categories.data ?? []).filter((c) => c.level <= 2).sort((a, b) => a.code.localeCompare(b.code)), [categories.data]);
  return (
    <section className="panel acd-admin" aria-labelledby="acd-admin-heading">
      <header className="panel__header">
        <h2 id="acd-admin-heading" className="panel__title">
          {t('acd.admin.heading')}
        </h2>
      </header>
      <div className="acd-admin__grid">
        <QueuesSection canEdit={canEdit} skills={skills} />
        <div className="acd-admin__col">
          <HoursSection canEdit={canEdit} />
          <ClosedDaysSection canEdit={canEdit} />
        </div>
        {canEdit && <SkillsSection skills={skills} />}
      </div>
    </section>
  );
}

type RouteRow = { dialledNumber: string; ivrChoice: string };
type QueueDraft = { id: string | null; code: string; name: string; skill: string; strategy: QueueInput['strategy']; escalation: string; priority: string; isActive: boolean; routes: RouteRow[] };

function draftOf(q: Queue | null): QueueDraft {
  if (!q) return { id: null, code: '', name: '', skill: '', strategy: 'longest_idle', escalation: '', priority: '0', isActive: true, routes: [{ dialledNumber: '120', ivrChoice: '' }] };
  const widen = q.escalation?.find((s) => s.maxLevel === 'any') ?? q.escalation?.at(-1);
  return {
    id: q.id,
    code: q.code,
    name: q.name,
    skill: q.skill ?? '',
    strategy: q.strategy,
    escalation: widen ? String(widen.afterSeconds) : '',
    priority: String(q.priority),
    isActive: q.isActive,
    routes: q.routes.map((r) => ({ dialledNumber: r.dialledNumber, ivrChoice: r.ivrChoice ?? '' })),
  };
}

function QueuesSection({ canEdit, skills }: { canEdit: boolean; skills: Category[] }) {
  const { t } = useTranslation();
  const queues = useQueues();
  const save = useSaveQueue();
  const [draft, setDraft] = useState<QueueDraft | null>(null);
  const [saved, setSaved] = useState(false);
  const skillName = (id: string | null) => (id ? (skills.find((s) => s.id === id)?.name ?? id) : t('acd.admin.anySkill'));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const seconds = draft.escalation.trim() === '' ? null : Number(draft.escalation);
    const body: QueueInput = {
      code: draft.code.trim(),
      name: draft.name.trim(),
      skill: draft.skill || null,
      strategy: draft.strategy,
      escalation: seconds === null || Number.isNaN(seconds) ? null : [{ afterSeconds: seconds, maxLevel: 'any' }],
      priority: Number(draft.priority) || 0,
      isActive: draft.isActive,
      routes: draft.routes.filter((r) => r.dialledNumber.trim()).map((r) => ({ dialledNumber: r.dialledNumber.trim(), ivrChoice: r.ivrChoice.trim() || null })),
    };
    save.mutate(
      { id: draft.id, body },
      {
        onSuccess: () => {
          setDraft(null);
          setSaved(true);
        },
      },
    );
  };
  const patch = (p: Partial<QueueDraft>) => setDraft((d) => (d ? { ...d, ...p } : d));
  const patchRoute = (i: number, p: Partial<RouteRow>) => setDraft((d) => (d ? { ...d, routes: d.routes.map((r, k) => (k === i ? { ...r, ...p } : r)) } : d));

  return (
    <section className="acd-admin__section" aria-labelledby="acd-queues">
      <div className="acd-admin__head">
        <h3 id="acd-queues" className="acd-admin__title">
          {t('acd.admin.queues')}
        </h3>
        {canEdit && (
          <button type="button" className="btn btn--ghost btn--small" onClick={() => (setSaved(false), setDraft(draftOf(null)))}>
            {t('acd.admin.newQueue')}
          </button>
        )}
      </div>
      {queues.isPending && <Loading />}
      <ErrorNotice error={queues.error} onRetry={() => void queues.refetch()} />
      {saved && !draft && (
        <p className="acd-admin__ok" role="status">
          {t('acd.admin.saved')}
        </p>
      )}
      {queues.data && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('acd.admin.name')}</th>
              <th scope="col">{t('acd.admin.routes')}</th>
              <th scope="col">{t('acd.admin.skill')}</th>
              <th scope="col">{t('acd.admin.strategy')}</th>
              <th scope="col">{t('acd.admin.escalation')}</th>
              {canEdit && <th scope="col" aria-label={t('acd.admin.edit')} />}
            </tr>
          </thead>
          <tbody>
            {queues.data.map((q) => (
              <tr key={q.id} className={q.isActive ? '' : 'muted'}>
                <th scope="row">
                  {q.name} <span className="mono muted">{q.code}</span>
                </th>
                <td className="mono">{q.routes.map((r) => `${r.dialledNumber}${r.ivrChoice ? `·${r.ivrChoice}` : ''}`).join(', ') || '—'}</td>
                <td>{skillName(q.skill)}</td>
                <td>{t(`acd.admin.strategies.${q.strategy}`)}</td>
                <td>{draftOf(q).escalation || '—'}</td>
                {canEdit && (
                  <td>
                    <button type="button" className="btn btn--ghost btn--tiny" onClick={() => (setSaved(false), setDraft(draftOf(q)))} aria-label={`${t('acd.admin.edit')}: ${q.name}`}>
                      {t('acd.admin.edit')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {draft && canEdit && (
        <form className="acd-form" onSubmit={submit} aria-label={draft.id ? `${t('acd.admin.edit')}: ${draft.name}` : t('acd.admin.newQueue')}>
          <div className="acd-form__row">
            <label>
              <span className="field-label">{t('acd.admin.code')}</span>
              <input value={draft.code} maxLength={32} required onChange={(e) => patch({ code: e.target.value })} />
            </label>
            <label className="acd-form__wide">
              <span className="field-label">{t('acd.admin.name')}</span>
              <input value={draft.name} maxLength={100} required onChange={(e) => patch({ name: e.target.value })} />
            </label>
          </div>
          <div className="acd-form__row">
            <label className="acd-form__wide">
              <span className="field-label">{t('acd.admin.skill')}</span>
              <select value={draft.skill} onChange={(e) => patch({ skill: e.target.value })}>
                <option value="">{t('acd.admin.anySkill')}</option>
                {skills.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.path}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span className="field-label">{t('acd.admin.strategy')}</span>
              <select value={draft.strategy} onChange={(e) => patch({ strategy: e.target.value as QueueInput['strategy'] })}>
                {RoutingStrategySchema.options.map((s) => (
                  <option key={s} value={s}>
                    {t(`acd.admin.strategies.${s}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="acd-form__row">
            <label>
              <span className="field-label">{t('acd.admin.escalation')}</span>
              <input type="number" min={0} max={3600} value={draft.escalation} onChange={(e) => patch({ escalation: e.target.value })} aria-describedby="acd-escalation-hint" />
            </label>
            <label>
              <span className="field-label">{t('acd.admin.priority')}</span>
              <input type="number" min={0} max={9} value={draft.priority} onChange={(e) => patch({ priority: e.target.value })} />
            </label>
            <label className="acd-form__check">
              <input type="checkbox" checked={draft.isActive} onChange={(e) => patch({ isActive: e.target.checked })} />
              {t('acd.admin.active')}
            </label>
          </div>
          <p id="acd-escalation-hint" className="field-hint">
            {t('acd.admin.escalationHint')}
          </p>
          <fieldset className="acd-form__routes">
            <legend className="field-label">{t('acd.admin.routes')}</legend>
            {draft.routes.map((r, i) => (
              <div key={i} className="acd-form__row">
                <label>
                  <span className="visually-hidden">{t('acd.admin.dialled')}</span>
                  <input value={r.dialledNumber} placeholder={t('acd.admin.dialled')} onChange={(e) => patchRoute(i, { dialledNumber: e.target.value })} />
                </label>
                <label>
                  <span className="visually-hidden">{t('acd.admin.ivr')}</span>
                  <input value={r.ivrChoice} placeholder={`${t('acd.admin.ivr')} (${t('acd.admin.ivrNone')})`} onChange={(e) => patchRoute(i, { ivrChoice: e.target.value })} />
                </label>
                <button type="button" className="btn btn--ghost btn--tiny" onClick={() => patch({ routes: draft.routes.filter((_, k) => k !== i) })}>
                  {t('acd.admin.removeRoute')}
                </button>
              </div>
            ))}
            <button type="button" className="btn btn--ghost btn--tiny" onClick={() => patch({ routes: [...draft.routes, { dialledNumber: '120', ivrChoice: '' }] })}>
              {t('acd.admin.addRoute')}
            </button>
          </fieldset>
          <ErrorNotice error={save.error} />
          <div className="acd-form__actions">
            <button type="button" className="btn btn--ghost" onClick={() => setDraft(null)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="btn btn--primary" disabled={save.isPending}>
              {t('acd.admin.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
type DayRow = { open: boolean; opens: string; closes: string };

function HoursSection({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const hours = useBusinessHours();
  const save = useSaveBusinessHours();
  const [rows, setRows] = useState<Record<number, DayRow> | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!hours.data) return;
    const next: Record<number, DayRow> = {};
    for (const d of WEEKDAYS) {
      const h = hours.data.days.find((x) => x.weekday === d);
      next[d] = h ? { open: true, opens: h.opens, closes: h.closes } : { open: false, opens: '08:30', closes: '18:30' };
    }
    setRows(next);
  }, [hours.data]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!rows) return;
    const body: BusinessHours = { days: WEEKDAYS.filter((d) => rows[d]?.open).map((d) => ({ weekday: d, opens: rows[d]!.opens, closes: rows[d]!.closes })) };
    setSaved(false);
    save.mutate(body, { onSuccess: () => setSaved(true) });
  };
  const patch = (d: number, p: Partial<DayRow>) => setRows((r) => (r ? { ...r, [d]: { ...r[d]!, ...p } } : r));

  return (
    <section className="acd-admin__section" aria-labelledby="acd-hours">
      <h3 id="acd-hours" className="acd-admin__title">
        {t('acd.admin.hours')}
      </h3>
      {hours.isPending && <Loading />}
      <ErrorNotice error={hours.error} onRetry={() => void hours.refetch()} />
      {rows && (
        <form onSubmit={submit} className="acd-hours">
          {WEEKDAYS.map((d) => {
            // 24:00 (open until midnight) cannot be shown by a time field: a whole day is its own choice.
            const allDay = rows[d]?.opens === '00:00' && rows[d]?.closes === '24:00';
            return (
              <div key={d} className="acd-hours__row" role="group" aria-label={t(`acd.admin.weekday.d${d}`)}>
                <label className="acd-form__check">
                  <input type="checkbox" checked={rows[d]?.open ?? false} disabled={!canEdit} onChange={(e) => patch(d, { open: e.target.checked })} />
                  <strong>{t(`acd.admin.weekday.d${d}`)}</strong>
                </label>
                <label>
                  <span className="visually-hidden">{t('acd.admin.opens')}</span>
                  <input type="time" value={rows[d]?.opens ?? ''} disabled={!canEdit || !rows[d]?.open || allDay} onChange={(e) => patch(d, { opens: e.target.value })} />
                </label>
                <span aria-hidden="true">–</span>
                <label>
                  <span className="visually-hidden">{t('acd.admin.closes')}</span>
                  <input type="time" value={allDay ? '' : (rows[d]?.closes ?? '')} disabled={!canEdit || !rows[d]?.open || allDay} onChange={(e) => patch(d, { closes: e.target.value })} />
                </label>
                <label className="acd-form__check acd-hours__all-day">
                  <input
                    type="checkbox"
                    checked={allDay}
                    disabled={!canEdit || !rows[d]?.open}
                    onChange={(e) => patch(d, e.target.checked ? { opens: '00:00', closes: '24:00' } : { opens: '09:00', closes: '18:00' })}
                  />
                  {t('acd.admin.allDay')}
                </label>
              </div>
            );
          })}
          <ErrorNotice error={save.error} />
          {saved && (
            <p className="acd-admin__ok" role="status">
              {t('acd.admin.saved')}
            </p>
          )}
          {canEdit && (
            <div className="acd-form__actions">
              <button type="submit" className="btn btn--primary btn--small" disabled={save.isPending}>
                {t('acd.admin.save')}
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}

function ClosedDaysSection({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const days = useClosedDays();
  const add = useAddClosedDay();
  const remove = useRemoveClosedDay();
  const [day, setDay] = useState('');
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!day || !reason.trim()) return;
    add.mutate({ day, reason: reason.trim() }, { onSuccess: () => (setDay(''), setReason('')) });
  };
  return (
    <section className="acd-admin__section" aria-labelledby="acd-closed">
      <h3 id="acd-closed" className="acd-admin__title">
        {t('acd.admin.closedDays')}
      </h3>
      <p className="field-hint">{t('acd.admin.closedDaysHint')}</p>
      <ErrorNotice error={days.error ?? remove.error} onRetry={() => void days.refetch()} />
      {days.data && days.data.length === 0 && <p className="muted">{t('acd.admin.noClosedDays')}</p>}
      {days.data && days.data.length > 0 && (
        <ul className="acd-closed">
          {days.data.map((d) => (
            <li key={d.day}>
              <span className="mono">{d.day}</span> {d.reason}
              {canEdit && (
                <button type="button" className="btn btn--ghost btn--tiny" disabled={remove.isPending} onClick={() => remove.mutate(d.day)} aria-label={`${t('acd.admin.remove')}: ${d.day}`}>
                  {t('acd.admin.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form className="acd-form__row" onSubmit={submit}>
          <label>
            <span className="visually-hidden">{t('acd.admin.day')}</span>
            <input type="date" value={day} required onChange={(e) => setDay(e.target.value)} />
          </label>
          <label className="acd-form__wide">
            <span className="visually-hidden">{t('acd.admin.reason')}</span>
            <input value={reason} maxLength={100} required placeholder={t('acd.admin.reason')} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" className="btn btn--ghost btn--small" disabled={add.isPending}>
            {t('acd.admin.add')}
          </button>
        </form>
      )}
      <ErrorNotice error={add.error} />
    </section>
  );
}

type SkillRow = { skill: string; level: string };

function SkillsSection({ skills }: { skills: Category[] }) {
  const { t } = useTranslation();
  const users = useUserSecurity();
  const agents = useMemo(() => (users.data?.items ?? []).filter((u) => u.role === 'agent' || u.role === 'supervisor'), [users.data]);
  const [agentId, setAgentId] = useState<string | null>(null);
  const current = useAgentSkills(agentId);
  const save = useSaveAgentSkills();
  const [rows, setRows] = useState<SkillRow[]>([]);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setRows((current.data?.skills ?? []).map((s) => ({ skill: s.skill, level: String(s.level) })));
    setSaved(false);
  }, [current.data]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!agentId) return;
    const list = rows.filter((r) => r.skill).map((r) => ({ skill: r.skill, level: Math.min(9, Math.max(1, Number(r.level) || 1)) }));
    save.mutate({ agentId, skills: list }, { onSuccess: () => setSaved(true) });
  };
  const name = (id: string) => skills.find((s) => s.id === id)?.path ?? id;

  return (
    <section className="acd-admin__section acd-admin__section--wide" aria-labelledby="acd-skills">
      <h3 id="acd-skills" className="acd-admin__title">
        {t('acd.admin.skills')}
      </h3>
      <ErrorNotice error={users.error} />
      <label className="acd-form__inline">
        <span className="field-label">{t('acd.admin.agent')}</span>
        <select value={agentId ?? ''} onChange={(e) => setAgentId(e.target.value || null)}>
          <option value="">{t('acd.admin.pickAgent')}</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.login})
            </option>
          ))}
        </select>
      </label>
      {agentId && current.isPending && <Loading />}
      <ErrorNotice error={current.error} />
      {agentId && current.data && (
        <form onSubmit={submit} className="acd-skills">
          {rows.length === 0 && <p className="muted">{t('acd.admin.noSkills')}</p>}
          {rows.map((r, i) => (
            <div key={i} className="acd-form__row">
              <label className="acd-form__wide">
                <span className="visually-hidden">{t('acd.admin.skill')}</span>
                <select value={r.skill} onChange={(e) => setRows((list) => list.map((x, k) => (k === i ? { ...x, skill: e.target.value } : x)))}>
                  {!skills.some((s) => s.id === r.skill) && <option value={r.skill}>{name(r.skill)}</option>}
                  {skills.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.path}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">{t('acd.admin.level')}</span>
                <input type="number" min={1} max={9} value={r.level} title={t('acd.admin.level')} onChange={(e) => setRows((list) => list.map((x, k) => (k === i ? { ...x, level: e.target.value } : x)))} />
              </label>
              <button type="button" className="btn btn--ghost btn--tiny" onClick={() => setRows((list) => list.filter((_, k) => k !== i))}>
                {t('acd.admin.remove')}
              </button>
            </div>
          ))}
          <p className="field-hint">{t('acd.admin.level')}</p>
          <ErrorNotice error={save.error} />
          {saved && (
            <p className="acd-admin__ok" role="status">
              {t('acd.admin.saved')}
            </p>
          )}
          <div className="acd-form__actions">
            <button type="button" className="btn btn--ghost btn--small" disabled={skills.length === 0} onClick={() => setRows((list) => [...list, { skill: skills[0]?.id ?? '', level: '1' }])}>
              {t('acd.admin.addSkill')}
            </button>
            <button type="submit" className="btn btn--primary btn--small" disabled={save.isPending}>
              {t('acd.admin.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
