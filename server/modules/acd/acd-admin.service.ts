import type { AgentSkills, BusinessHours, ClosedDay, Queue, QueueInput } from '../../../core/contracts/acd';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import {
  countBusinessHourRows,
  countCategories,
  deleteClosedDay,
  findQueue,
  findQueueByCode,
  findRouteConflicts,
  insertClosedDay,
  insertQueue,
  listAgentSkills,
  listAgentUsers,
  listBusinessHours,
  listClosedDays,
  listQueues,
  listRoutes,
  replaceAgentSkills,
  replaceBusinessHours,
  replaceQueueRoutes,
  updateQueue,
} from './acd.repository';
import type { AcdService } from './acd.service';
import { DEFAULT_OPENING_HOURS } from '../../../core/domain/business-hours';

/** Admin use cases of the ACD (CRUD-lite for the demo): queues with routes, agents' skills, hours, closed days. */

export async function listQueueViews(deps: AppDeps): Promise<Queue[]> {
  const [queues, routes] = await Promise.all([listQueues(deps.db), listRoutes(deps.db)]);
  return queues.map((q) => ({
    id: q.id,
    code: q.code,
    name: q.name,
    skill: q.skill,
    strategy: q.strategy,
    escalation: q.escalation ? JSON.parse(q.escalation) : null,
    priority: q.priority,
    isActive: q.is_active === 1,
    routes: routes
      .filter((r) => r.queue_id === q.id)
      .map((r) => ({ dialledNumber: r.dialled_number, ivrChoice: r.ivr_choice === '' ? null : r.ivr_choice }))
      .sort((a, b) => `${a.dialledNumber}/${a.ivrChoice ?? ''}`.localeCompare(`${b.dialledNumber}/${b.ivrChoice ?? ''}`)),
  }));
}

async function checkQueueInput(deps: AppDeps, input: QueueInput, queueId: string | null): Promise<{ dialled_number: string; ivr_choice: string }[]> {
  if (input.skill && (await countCategories(deps.db, [input.skill])) !== 1) {
    throw new AppError('VALIDATION_FAILED', '존재하지 않는 분류입니다.', { fields: ['skill'] });
  }
  const pairs = input.routes.map((r) => ({ dialled_number: r.dialledNumber.replace(/[^0-9]/g, ''), ivr_choice: r.ivrChoice ?? '' }));
  if (pairs.some((p) => p.dialled_number.length < 2)) throw new AppError('VALIDATION_FAILED', '대표번호 형식이 올바르지 않습니다.', { fields: ['routes'] });
  if (new Set(pairs.map((p) => `${p.dialled_number}/${p.ivr_choice}`)).size !== pairs.length) {
    throw new AppError('VALIDATION_FAILED', '같은 번호와 선택이 두 번 들어 있습니다.', { fields: ['routes'] });
  }
  const taken = await findRouteConflicts(deps.db, queueId, pairs);
  if (taken.length) throw new AppError('CONFLICT', '다른 대기열이 이미 쓰는 번호·선택입니다.', { routes: taken.map((t) => ({ dialledNumber: t.dialled_number, ivrChoice: t.ivr_choice || null })) });
  return pairs;
}

export async function createQueue(deps: AppDeps, acd: AcdService, input: QueueInput): Promise<Queue> {
  if (await findQueueByCode(deps.db, input.code)) throw new AppError('CONFLICT', '이미 있는 대기열 코드입니다.', { fields: ['code'] });
  const pairs = await checkQueueInput(deps, input, null);
  const id = newId();
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await insertQueue(trx, {
      id,
      code: input.code,
      name: input.name,
      skill: input.skill,
      strategy: input.strategy,
      escalation: input.escalation ? JSON.stringify(input.escalation) : null,
      priority: input.priority,
      is_active: input.isActive ? 1 : 0,
      created_at: at,
      updated_at: at,
    });
    await replaceQueueRoutes(trx, id, pairs.map((p) => ({ id: newId(), ...p })));
  });
  await acd.reloadConfig();
  return (await listQueueViews(deps)).find((q) => q.id === id)!;
}

export async function updateQueueById(deps: AppDeps, acd: AcdService, id: string, input: QueueInput): Promise<Queue> {
  const existing = await findQueue(deps.db, id);
  if (!existing) throw new AppError('NOT_FOUND', '대기열을 찾을 수 없습니다.');
  const other = await findQueueByCode(deps.db, input.code);
  if (other && other.id !== id) throw new AppError('CONFLICT', '이미 있는 대기열 코드입니다.', { fields: ['code'] });
  const pairs = await checkQueueInput(deps, input, id);
  await deps.db.transaction().execute(async (trx) => {
    await updateQueue(trx, id, {
      code: input.code,
      name: input.name,
      skill: input.skill,
      strategy: input.strategy,
      escalation: input.escalation ? JSON.stringify(input.escalation) : null,
      priority: input.priority,
      is_active: input.isActive ? 1 : 0,
      updated_at: deps.clock.now().toISOString(),
    });
    await replaceQueueRoutes(trx, id, pairs.map((p) => ({ id: newId(), ...p })));
  });
  await acd.reloadConfig();
  return (await listQueueViews(deps)).find((q) => q.id === id)!;
}

export async function getAgentSkills(deps: AppDeps, agentId: string): Promise<AgentSkills> {
  const [agent] = await listAgentUsers(deps.db, agentId);
  if (!agent) throw new AppError('NOT_FOUND', '상담사를 찾을 수 없습니다.');
  return { agentId, skills: await listAgentSkills(deps.db, agentId) };
}

export async function setAgentSkills(deps: AppDeps, acd: AcdService, agentId: string, skills: AgentSkills['skills']): Promise<AgentSkills> {
  const [agent] = await listAgentUsers(deps.db, agentId);
  if (!agent) throw new AppError('NOT_FOUND', '상담사를 찾을 수 없습니다.');
  const ids = skills.map((s) => s.skill);
  if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION_FAILED', '같은 분류가 두 번 들어 있습니다.', { fields: ['skills'] });
  if ((await countCategories(deps.db, ids)) !== ids.length) throw new AppError('VALIDATION_FAILED', '존재하지 않는 분류가 있습니다.', { fields: ['skills'] });
  await deps.db.transaction().execute((trx) => replaceAgentSkills(trx, agentId, skills));
  await acd.reloadConfig();
  return getAgentSkills(deps, agentId);
}

export async function getBusinessHours(deps: AppDeps): Promise<BusinessHours> {
  const rows = await listBusinessHours(deps.db);
  if (rows.length === 0 && (await countBusinessHourRows(deps.db)) === 0) return { days: DEFAULT_OPENING_HOURS.map((d) => ({ ...d })) };
  return { days: rows.map((r) => ({ weekday: r.weekday, opens: r.opens, closes: r.closes })) };
}

export async function setBusinessHours(deps: AppDeps, acd: AcdService, hours: BusinessHours): Promise<BusinessHours> {
  if (hours.days.length === 0) throw new AppError('VALIDATION_FAILED', '운영 요일이 하나는 있어야 합니다.', { fields: ['days'] });
  await deps.db.transaction().execute((trx) => replaceBusinessHours(trx, hours.days));
  await acd.reloadConfig();
  return getBusinessHours(deps);
}

export async function listClosedDayViews(deps: AppDeps): Promise<ClosedDay[]> {
  return (await listClosedDays(deps.db)).map((d) => ({ day: d.day, reason: d.reason }));
}

export async function addClosedDay(deps: AppDeps, acd: AcdService, day: ClosedDay, userId: string): Promise<ClosedDay[]> {
  if (Number.isNaN(Date.parse(`${day.day}T00:00:00Z`))) throw new AppError('VALIDATION_FAILED', '날짜가 올바르지 않습니다.', { fields: ['day'] });
  const added = await insertClosedDay(deps.db, { day: day.day, reason: day.reason, created_by: userId, created_at: deps.clock.now().toISOString() });
  if (!added) throw new AppError('CONFLICT', '이미 등록된 휴무일입니다.');
  await acd.reloadConfig();
  return listClosedDayViews(deps);
}

export async function removeClosedDay(deps: AppDeps, acd: AcdService, day: string): Promise<ClosedDay[]> {
  if (!(await deleteClosedDay(deps.db, day))) throw new AppError('NOT_FOUND', '등록된 휴무일이 아닙니다.');
  await acd.reloadConfig();
  return listClosedDayViews(deps);
}
