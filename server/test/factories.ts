import type { CallConnected } from '../../core/contracts/calls';
import type { RecordCaseResult } from '../../core/contracts/cases';
import type { ComplaintType, Role } from '../../core/contracts/enums';
import type { SurveySettings } from '../../core/contracts/surveys';
import type { Db } from '../db/database';
import { newId } from '../lib/ids';
import { hashPassword } from '../modules/auth/passwords';
import type { TestContext } from './test-app';

export const TEST_PASSWORD = 'test-password-1234';
let hash: Promise<string> | undefined;
/** One argon2id hash of TEST_PASSWORD per process: hashing is deliberately slow. */
function testHash(): Promise<string> {
  hash ??= hashPassword(TEST_PASSWORD);
  return hash;
}

let counter = 0;
const next = () => ++counter;
const NOW = '2026-11-27T01:00:00.000Z';

export async function buildDepartment(db: Db, over: Partial<{ code: string; name: string }> = {}) {
  const row = { id: newId(), code: over.code ?? `T${next()}`, name: over.name ?? `시험과${counter}`, phone: '031-5180-0000', location: null, created_at: NOW };
  await db.insertInto('departments').values(row).execute();
  return row;
}

export async function buildUser(db: Db, over: { role: Role; departmentId?: string | null; login?: string; name?: string; isActive?: boolean }) {
  const row = {
    id: newId(),
    login: over.login ?? `${over.role}${next()}`,
    password_hash: await testHash(),
    name: over.name ?? `${over.role} ${counter}`,
    role: over.role,
    department_id: over.departmentId ?? null,
    title: null,
    extension: null,
    is_active: over.isActive === false ? 0 : 1,
    created_at: NOW,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}

/** A field → task (owned by the department) → detail chain; returns all three. */
export async function buildCategoryChain(db: Db, departmentId: string, complaintType: ComplaintType = 'inquiry', names = ['세무', '자동차세', '자동차세 연납']) {
  const n = next();
  const field = { id: newId(), parent_id: null, level: 1, code: `F${n}`, name: names[0] as string, path: names[0] as string, department_id: null, complaint_type: null, deadline_days: null, sort_order: 0, is_active: 1 };
  const task = { id: newId(), parent_id: field.id, level: 2, code: `F${n}-1`, name: names[1] as string, path: `${names[0]} > ${names[1]}`, department_id: departmentId, complaint_type: complaintType, deadline_days: null, sort_order: 1, is_active: 1 };
  const detail = { ...task, id: newId(), parent_id: task.id, level: 3, code: `F${n}-1-1`, name: names[2] as string, path: `${task.path} > ${names[2]}`, sort_order: 2 };
  await db.insertInto('categories').values([field, task, detail]).execute();
  return { field, task, detail };
}

/** 조사 설정 that survey every settled call and hand-off (no quiet period), 30 minutes after, with the seeded templates. */
export const SURVEY_EVERY_CALL = { callSampleRate: 1, handoffSampleRate: 1, quietDays: 0, delayMinutes: 30, expiryHours: 72, lowScore: 2, callTemplateKey: 'call', handoffTemplateKey: 'handoff' };
/** Answers of a content citizen to the seeded call template's required questions. */
export const SURVEY_GOOD_ANSWERS = { kind: 5, clear: 4, resolved: true, overall: 5 };

/**
 * What the survey tests (issue #15) start from: 세정과 with its 자동차세 category chain, a supervisor `superLogin`
 * signed in, and 조사 설정 ({@link SURVEY_EVERY_CALL}, `settings` over it) saved by that supervisor through the API.
 */
export async function buildSurveyCentre(t: TestContext, superLogin: string, settings: Partial<SurveySettings> = {}) {
  const department = await buildDepartment(t.deps.db, { name: '세정과' });
  const chain = await buildCategoryChain(t.deps.db, department.id, 'inquiry');
  await buildUser(t.deps.db, { role: 'supervisor', login: superLogin });
  const superCookie = await t.signIn(superLogin);
  const res = await t.app.inject({ method: 'PUT', url: '/api/surveys/settings', headers: { cookie: superCookie }, payload: { ...SURVEY_EVERY_CALL, ...settings } });
  if (res.statusCode !== 200) throw new Error(`survey settings: ${res.statusCode} ${res.body}`);
  return { department, chain, superCookie };
}

/**
 * A call whose citizen agreed during it to be asked by phone (consent recorded by the interaction), then settled as
 * resolved under `categoryId` by the agent signed in with `agentCookie`: the case.
 */
export async function buildConsentedCall(t: TestContext, agentCookie: string, categoryId: string, callerNumber: string): Promise<RecordCaseResult> {
  const as = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie: agentCookie }, payload });
  const call = await as('/api/calls/simulate', { callerNumber });
  const { interaction } = call.json<CallConnected>();
  const consent = await as('/api/surveys/consents', { interactionId: interaction.id, surveys: true, polls: false, channel: 'call' });
  if (consent.statusCode !== 200) throw new Error(`consent: ${consent.statusCode} ${consent.body}`);
  const res = await as('/api/cases', { interactionId: interaction.id, categoryId, summary: '자동차세 연납 문의', outcome: 'resolved' });
  if (res.statusCode !== 201) throw new Error(`case: ${res.statusCode} ${res.body}`);
  return res.json<RecordCaseResult>();
}
