import type { CaseDetail, CaseSearchAnswer, CaseSearchQuery, CaseSummary, RecordCaseBody, RecordCaseResult } from '../../../core/contracts/cases';
import { kstDayRange } from '../../../core/domain/access-review';
import { formatPhone, normalizePhone } from '../../../core/domain/phone';
import { initialCaseStatus } from '../../../core/domain/case-lifecycle';
import { OPEN_HANDOFF_STATUSES } from '../../../core/domain/handoff-lifecycle';
import { computeDueAt, deadlineRuleFor } from '../../../core/domain/deadlines';
import { maskFreeText } from '../../../core/domain/name-detection';
import { distinctKinds, type MaskedText } from '../../../core/domain/pii';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { accessBy, type Viewer } from '../privacy/access-context';
import { appendAccessRecords } from '../privacy/access-records.repository';
import { decideNeedToKnow, refuseNeedToKnow } from '../privacy/need-to-know';
import { newId } from '../../lib/ids';
import { appendEvents, dispositionEvent, findCallerKey, listCaseEvents, type ContactEventInput } from '../events/events.repository';
import { findCitizen, findConnectedCall } from '../calls/calls.repository';
import { findCategory, findDepartment } from '../org/org.repository';
import { cityPhoneKeys } from '../directory/city-phones';
import type { ReplyPreferenceBody } from '../../../core/contracts/notifications';
import type { Db } from '../../db/database';
import { addressFor } from '../notifications/notifications.service';
import { upsertReplyPreference } from '../notifications/notifications.repository';
import {
  countHandOffChase,
  countPublishedArticles,
  findCallNumbersSealed,
  findHandOffForAddition,
  insertHandOffAddition,
  findCaseDetailRow,
  insertCase,
  insertCaseArticles,
  insertHandOff,
  listCaseArticles,
  listHandOffsOfCases,
  listRecentCases,
  nextCaseSequence,
  findCategoryCode,
  searchCaseRows,
  type CaseSearchFilter,
} from './cases.repository';
import { toCaseSummaries } from './cases.presenter';
import { nameIndexCandidates } from '../privacy/name-index';
import { queueCaseSystemEvent } from '../connectors/case-system.queue';

/** The KST day of a moment as YYYYMMDD: case numbers count per day as Korean staff read dates. */
export function kstDayKey(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** 접수번호 read out to the citizen: KST day and the day's sequence ("20261127-00042"). */
export function caseNumberOf(day: string, sequence: number): string {
  return `${day}-${String(sequence).padStart(5, '0')}`;
}

/**
 * The longest summary and notes (RecordCaseBodySchema; the summary column is varchar(200)). They bind the text as
 * stored, after masking: a mask can be longer than what was typed (01012345678 → 010-****-5678).
 */
export const CASE_TEXT_MAX = { summary: 200, notes: 4000 } as const;

/** What recordCase does with a text whose masked form outgrows its limit. */
export type RecordCaseOptions = {
  /**
   * 'refuse' (the desk's POST /api/cases): 400 VALIDATION_FAILED and nothing stored, so the agent shortens the text
   * (issue #10 finding 10). 'cut' (default, for texts the system composed, such as a transfer's fall-back that adds
   * its outcome line to the agent's notes: nobody is there to shorten them): cut at the limit.
   */
  overLimit?: 'refuse' | 'cut';
};

/** The masked text of a case field within its limit, refused or cut as `options` say. */
function withinLimit(field: keyof typeof CASE_TEXT_MAX, masked: MaskedText, options: RecordCaseOptions): string {
  const max = CASE_TEXT_MAX[field];
  if (masked.text.length <= max) return masked.text;
  // Masks are canonical text; the cut end is masked text too.
  if (options.overLimit !== 'refuse') return masked.text.slice(0, max);
  const label = field === 'summary' ? '상담 요약' : '상담 내용·메모';
  throw new AppError('VALIDATION_FAILED', `개인정보를 가리면 ${label}이 ${max}자를 넘습니다(${masked.text.length}자). 조금 줄여서 다시 저장하세요.`, {
    field,
    max,
    length: masked.text.length,
  });
}

/**
 * 상담 기록: the agent records the consultation of a call and finishes it as resolved (closed at once), connected to
 * the official (3자통화, closed at once) or handed off (이관) to the department that owns the category, with the legal
 * deadline of its 민원 유형. One transaction: case, articles used, hand-off and contact events (with the call's
 * `call_dispositioned`). Personal data typed into the summary or notes is masked before it is
 * stored (issue 3 layer 5: the raw value is never persisted), the caller's own name and names after 민원인/성명/이름/본인
 * included (issue #10 finding 6), and its kinds are reported so the agent is told.
 */
export async function recordCase(deps: AppDeps, user: Viewer, body: RecordCaseBody, options: RecordCaseOptions = {}): Promise<RecordCaseResult> {
  const nowMs = deps.clock.now().getTime();
  const interaction = deps.caches.calls.get(body.interactionId, nowMs) ?? (await findConnectedCall(deps.db, body.interactionId));
  if (!interaction) throw new AppError('NOT_FOUND', '통화 정보를 찾을 수 없습니다.');
  if (user.role === 'agent' && interaction.agent_id !== user.id) throw new AppError('FORBIDDEN', '본인이 받은 통화만 기록할 수 있습니다.');

  // Cached on a miss only: a hit must not extend the entry, or a busy category would never see an admin's change.
  let category = deps.caches.categories.get(body.categoryId, nowMs);
  if (!category) {
    category = await findCategory(deps.db, body.categoryId);
    if (category) deps.caches.categories.set(category.id, category, nowMs);
  }
  if (!category) throw new AppError('NOT_FOUND', '상담 분류를 찾을 수 없습니다.');
  if (category.level < 2) throw new AppError('VALIDATION_FAILED', '업무 또는 세부 분류를 선택하세요.', { field: 'categoryId' });

  const articleIds = [...new Set(body.articleIds)];
  if ((await countPublishedArticles(deps.db, articleIds)) !== articleIds.length) {
    throw new AppError('VALIDATION_FAILED', '참고한 상담 자료 중 없는 것이 있습니다.', { field: 'articleIds' });
  }

  let handOffPlan: { departmentId: string; departmentName: string; dueAt: Date; basis: string } | null = null;
  const complaintType = category.complaint_type ?? 'other';
  const addTo = body.appendToHandOffId ? await findOpenHandOffOfCaller(deps, body.appendToHandOffId, interaction.citizen_id) : null;
  if (body.outcome === 'handed_off' && !addTo) {
    const departmentId = body.departmentId ?? category.department_id;
    if (!departmentId) throw new AppError('VALIDATION_FAILED', '이관할 부서를 정하세요.', { field: 'departmentId' });
    // The category's own department came with the category; only another one needs a look-up.
    const departmentName = departmentId === category.department_id ? category.department_name : (await findDepartment(deps.db, departmentId))?.name;
    if (!departmentName) throw new AppError('NOT_FOUND', '이관할 부서를 찾을 수 없습니다.');
    const rule = deadlineRuleFor(complaintType, category.deadline_days, category.path);
    // The legal clock starts when the citizen's call was received.
    const dueAt = computeDueAt(new Date(interaction.started_at), rule, (d) => deps.holidays.isHoliday(d));
    handOffPlan = { departmentId, departmentName, dueAt, basis: rule.basis };
  }

  // Masking only rewrites matches. The caller's registered name is masked wherever it is typed (김영희 → 김*희).
  const callerName = interaction.citizen_id ? ((await findCitizen(deps.db, deps.vault, interaction.citizen_id))?.name ?? null) : null;
  // The city's own numbers (a department's, an official's direct line) are no personal data: kept as typed.
  const keepPhones = await cityPhoneKeys(deps);
  const summary = maskFreeText(body.summary, [callerName], { keepPhones });
  const notes = maskFreeText(body.notes, [callerName], { keepPhones });
  const location = body.location?.trim() ? maskFreeText(body.location.trim(), [callerName], { keepPhones }) : null;
  const summaryText = withinLimit('summary', summary, options);
  const notesText = withinLimit('notes', notes, options);
  const maskedKinds = distinctKinds([...summary.found, ...notes.found, ...(location?.found ?? [])]);

  const now = deps.clock.now();
  const at = now.toISOString();
  const caseId = newId();
  let number = '';
  // A call added to an open hand-off owes nothing of its own: the hand-off carries it, so its case closes at once.
  const status = addTo ? 'closed' : initialCaseStatus(body.outcome);
  const handOffId = handOffPlan ? newId() : null;
  let chaseCount = 0;

  await deps.db.transaction().execute(async (trx) => {
    const day = kstDayKey(now);
    number = caseNumberOf(day, await nextCaseSequence(trx, day));
    await insertCase(trx, {
      id: caseId,
      number,
      interaction_id: interaction.id,
      citizen_id: interaction.citizen_id,
      agent_id: user.id,
      category_id: category.id,
      complaint_type: complaintType,
      summary: summaryText,
      notes: notesText,
      location: location ? location.text.slice(0, 200) : null,
      outcome: body.outcome,
      status,
      created_at: at,
      closed_at: status === 'closed' ? at : null,
    });
    await insertCaseArticles(trx, caseId, articleIds);
    const events: ContactEventInput[] = [
      { type: 'case_opened', at, caseId, interactionId: interaction.id, actorId: user.id, detail: category.path },
      // The call's disposition for the statistics (직접처리율, 이관율, FCR): outcome, category and the caller's blind index.
      dispositionEvent({ at, caseId, interactionId: interaction.id, actorId: user.id, outcome: body.outcome, categoryId: category.id, callerKey: await findCallerKey(trx, interaction.id) }),
    ];
    if (handOffPlan && handOffId) {
      await insertHandOff(trx, {
        id: handOffId,
        case_id: caseId,
        department_id: handOffPlan.departmentId,
        assignee_id: null,
        status: 'pending',
        complaint_type: complaintType,
        deadline_basis: handOffPlan.basis,
        received_at: interaction.started_at,
        due_at: handOffPlan.dueAt.toISOString(),
        acknowledged_at: null,
        answered_at: null,
        closed_at: null,
        answer: null,
        created_by: user.id,
        updated_at: at,
      });
      events.push({ type: 'case_handed_off', at, caseId, handOffId, actorId: user.id, detail: handOffPlan.departmentName });
      await queueCaseSystemEvent(trx, deps, { handOffId, caseId, at }, { event: 'created' });
      if (body.replyPreference) await recordReplyPreference(deps, trx, user, caseId, interaction.id, interaction.citizen_id, body.replyPreference, at);
    } else if (addTo) {
      const count = await countHandOffChase(trx, addTo.id, OPEN_HANDOFF_STATUSES, at);
      if (count === undefined) throw handOffNotOpen();
      chaseCount = count;
      await insertHandOffAddition(trx, { id: newId(), handoff_id: addTo.id, case_id: caseId, added_at: at, added_by: user.id });
      // On the hand-off's own case (its timeline and the official's), and on this call (this case's timeline).
      events.push(
        { type: 'handoff_chased', at, caseId: addTo.case_id, handOffId: addTo.id, interactionId: interaction.id, actorId: user.id, detail: `${number} · ${chaseCount}회째` },
        { type: 'case_closed', at, caseId, actorId: user.id, detail: null },
      );
    } else if (body.outcome === 'transferred') {
      events.push({ type: 'case_closed', at, caseId, actorId: user.id, detail: null });
    } else {
      events.push({ type: 'case_resolved', at, caseId, actorId: user.id });
    }
    await appendEvents(trx, events);
    // 입력: a case about the citizen was recorded (제8조 access record, same transaction).
    await appendAccessRecords(trx, [accessBy(user, at, 'create', [interaction.citizen_id], `case:${caseId}`, 1)]);
  });

  return {
    caseId,
    number,
    status,
    outcome: body.outcome,
    handOff: addTo
      ? { id: addTo.id, departmentId: addTo.department_id, departmentName: addTo.department_name, dueAt: addTo.due_at }
      : handOffPlan && handOffId
        ? { id: handOffId, departmentId: handOffPlan.departmentId, departmentName: handOffPlan.departmentName, dueAt: handOffPlan.dueAt.toISOString() }
        : null,
    addedTo: addTo ? { caseNumber: addTo.case_number, chaseCount } : null,
    maskedKinds,
  };
}

/**
 * 회신 방법 with the hand-off (#18 item 6), in its transaction: the rule of PUT /api/cases/:id/reply-preference (the
 * given number or e-mail, else the number the citizen called from; sealed), recorded as an update of the case.
 */
async function recordReplyPreference(deps: AppDeps, trx: Db, user: Viewer, caseId: string, interactionId: string, citizenId: string | null, body: ReplyPreferenceBody, at: string) {
  const address = addressFor(deps.vault, body, await findCallNumbersSealed(trx, interactionId));
  await upsertReplyPreference(trx, {
    case_id: caseId,
    channel: body.channel,
    consent: body.consent ? 1 : 0,
    address_sealed: address === null ? null : deps.vault.seal(address),
    recorded_by: user.id,
    recorded_at: at,
  });
  await appendAccessRecords(trx, [accessBy(user, at, 'update', [citizenId], `case:${caseId}:reply-preference`, 1)]);
}

const handOffNotOpen = () =>
  new AppError('HANDOFF_NOT_OPEN', '이 이관 건은 이미 회신·종결되었거나 반려되었습니다. 새로 이관하세요.', { field: 'appendToHandOffId' });

/**
 * 추가 민원 / 독촉: the hand-off a repeat call adds to must be open and about this call's citizen (a withheld number
 * has no citizen and adds to nothing). Checked again by the UPDATE inside the transaction (an answer may land between).
 */
async function findOpenHandOffOfCaller(deps: AppDeps, handOffId: string, citizenId: string | null) {
  const found = await findHandOffForAddition(deps.db, handOffId);
  if (!found) throw new AppError('NOT_FOUND', '추가할 이관 건을 찾을 수 없습니다.', { field: 'appendToHandOffId' });
  if (!citizenId || found.citizen_id !== citizenId) {
    throw new AppError('HANDOFF_OTHER_CITIZEN', '다른 민원인의 이관 건에는 추가할 수 없습니다. 이 통화의 민원인 이관 건을 고르세요.', { field: 'appendToHandOffId' });
  }
  if (!OPEN_HANDOFF_STATUSES.includes(found.status)) throw handOffNotOpen();
  return found;
}

/**
 * A case with its notes, articles and timeline. Officials see only cases handed to their department; an agent sees
 * his own cases and those of citizens he served, any other only with a reason (need-to-know, recorded).
 */
export async function getCaseDetail(deps: AppDeps, user: Viewer, caseId: string, reasonText?: string): Promise<CaseDetail> {
  const now = deps.clock.now();
  // Read and recorded in one transaction (제8조: a failed access record fails the request).
  const detail = await deps.db.transaction().execute(async (db) => {
    const row = await findCaseDetailRow(db, deps.vault, caseId);
    if (!row) throw new AppError('NOT_FOUND', '상담 건을 찾을 수 없습니다.');
    const handOffs = await listHandOffsOfCases(db, [caseId]);
    if (user.role === 'official' && !handOffs.some((h) => h.department_id === user.departmentId)) {
      throw new AppError('FORBIDDEN', '우리 부서로 이관된 상담만 볼 수 있습니다.');
    }
    const basis = await decideNeedToKnow(db, user, now, row.citizen_id, { reasonText, isOwnRecord: row.agent_id === user.id });
    if (!basis.isGranted) return { citizenId: row.citizen_id };
    const [summary] = toCaseSummaries([row], handOffs) as [CaseSummary];
    const [articles, events] = await Promise.all([listCaseArticles(db, caseId), listCaseEvents(db, caseId)]);
    await appendAccessRecords(db, [accessBy(user, now.toISOString(), 'view', [row.citizen_id], `case:${caseId}`, 1, { reason: basis.reason })]);
    const found: CaseDetail = {
      ...summary,
      notes: row.notes,
      location: row.location,
      citizenId: row.citizen_id,
      callerNumber: row.citizen_phone ? formatPhone(row.citizen_phone) : null,
      citizenName: row.citizen_name,
      articles,
      timeline: events.map((e) => ({
        id: e.id,
        type: e.type,
        at: e.at,
        actorName: e.actor_name,
        actorRole: e.actor_role,
        detail: e.detail,
      })),
    };
    return found;
  });
  return 'id' in detail ? detail : refuseNeedToKnow(deps, user, detail.citizenId, 'view', `case:${caseId}`);
}

/** The newest cases across the centre (supervisor's overview). */
export async function listCases(deps: AppDeps, user: Viewer, limit: number): Promise<CaseSummary[]> {
  return deps.db.transaction().execute(async (db) => {
    const rows = await listRecentCases(db, limit);
    const summaries = toCaseSummaries(rows, await listHandOffsOfCases(db, rows.map((r) => r.id)));
    await appendAccessRecords(db, [accessBy(user, deps.clock.now().toISOString(), 'view', rows.map((r) => r.citizen_id), 'cases:list', rows.length)]);
    return summaries;
  });
}

/**
 * 상담 이력 검색 (issue #18 item 11): a caller's number and a citizen's full name are looked up through their blind
 * indexes (never compared plain);
 * dates are the city's days (KST). The search is an access record naming every citizen it showed.
 */
export async function searchCases(deps: AppDeps, user: Viewer, q: CaseSearchQuery): Promise<CaseSearchAnswer> {
  const filter: CaseSearchFilter = {};
  if (q.phone) {
    const e164 = normalizePhone(q.phone);
    if (!e164) throw new AppError('VALIDATION_FAILED', '전화번호 형식이 올바르지 않습니다.', { field: 'phone' });
    filter.phoneIndex = deps.vault.phoneIndex(e164);
  }
  // A name is matched whole through its blind index: the plain name is never stored nor compared.
  if (q.name) filter.nameIndexes = nameIndexCandidates(deps.vault, q.name);
  // A whole number (20261204-00001) is matched exactly, a day (20261204) as the prefix of its numbers.
  if (q.number) filter.numberPrefix = q.number;
  if (q.categoryId) {
    const code = await findCategoryCode(deps.db, q.categoryId);
    if (!code) throw new AppError('NOT_FOUND', '없는 상담 분류입니다.', { field: 'categoryId' });
    filter.categoryCode = code;
  }
  if (q.from) filter.fromIso = kstDayRange(q.from).from;
  if (q.to) filter.toIso = kstDayRange(q.to).to;
  if (q.outcome) filter.outcome = q.outcome;
  return deps.db.transaction().execute(async (db) => {
    const { rows, total } = await searchCaseRows(db, filter, q.limit, q.offset);
    const items = toCaseSummaries(rows, await listHandOffsOfCases(db, rows.map((r) => r.id)));
    if (rows.length > 0) await appendAccessRecords(db, [accessBy(user, deps.clock.now().toISOString(), 'view', rows.map((r) => r.citizen_id), 'cases:search', rows.length)]);
    return { items, total, limit: q.limit, offset: q.offset };
  });
}
