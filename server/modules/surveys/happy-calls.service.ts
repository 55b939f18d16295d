import type { AnswerValue, HappyCall, HappyCallList, HappyCallOutcome, HappyCallSheet, Question } from '../../../core/contracts/surveys';
import { formatPhone } from '../../../core/domain/phone';
import { HAPPY_CALL_CLAIM_MINUTES, nextHappyCallStep, type HappyCallClosing } from '../../../core/domain/surveys';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { accessBy, type Viewer } from '../privacy/access-context';
import { appendAccessRecords } from '../privacy/access-records.repository';
import { presentCitizenField } from '../privacy/citizen-data.presenter';
import * as repo from './surveys.repository';
import { getSettings, prepareResponse, storeResponse } from './surveys.service';

/*
 * 만족도 조사 전화 (happy calls, issue #15): a citizen who agreed to be asked by phone is owed a call, not a link. The
 * scheduler writes the survey like any other (channel 'call', due after the delay); here it is a task for the agents:
 * listed on the desk, taken by one agent (two never call the same citizen), the questionnaire of the version that
 * was scheduled read out, the answers checked and stored like the citizen's own on the page (channel 'call', the
 * agent who wrote them down), with the same low-score follow-up. 부재 is tried again later and closed after the last
 * try, 거절 closes at once; both count as asked and not answered. Consent and opt-out are checked again when the
 * task is taken, as they are before a link is sent.
 */

type Deps = Pick<AppDeps, 'db' | 'clock' | 'vault' | 'config'>;

const LIST_LIMIT = 50;

async function window(deps: Deps): Promise<{ now: string; expiredBefore: string; maxAttempts: number }> {
  const now = deps.clock.now();
  const settings = await getSettings(deps.db);
  return { now: now.toISOString(), expiredBefore: new Date(now.getTime() - settings.expiryHours * 3_600_000).toISOString(), maxAttempts: settings.happyCallMaxAttempts };
}

function toHappyCall(viewer: Viewer, deps: Deps, r: repo.HappyCallRow, nowMs: number, maxAttempts: number): HappyCall {
  const number = r.address_sealed && r.consent_channel === 'call' ? deps.vault.open(r.address_sealed) : null;
  const heldByOther = r.claimed_by !== null && r.claimed_by !== viewer.id && r.claimed_at !== null && Date.parse(r.claimed_at) > nowMs - HAPPY_CALL_CLAIM_MINUTES * 60_000;
  return {
    id: r.id,
    trigger: r.trigger === 'handoff' ? 'handoff' : 'call',
    caseId: r.case_id,
    caseNumber: r.case_number ?? null,
    citizenId: r.citizen_id ?? null,
    phone: number ? presentCitizenField(viewer.role, 'phone', formatPhone(number)) : null,
    templateTitle: r.template_title,
    contactAt: r.contact_at,
    dueAt: r.due_at,
    attempts: r.call_attempts,
    maxAttempts,
    takenByMe: r.claimed_by === viewer.id,
    takenBy: heldByOther ? (r.claimed_by_name ?? null) : null,
    queued: r.contact_id !== null,
  };
}

/**
 * The desk's list: how many happy calls are owed now and the first of them (this agent's own first, then the
 * longest owed). It shows citizens' masked numbers: one access record when it is not empty.
 */
export async function listHappyCalls(deps: Deps, viewer: Viewer): Promise<HappyCallList> {
  const w = await window(deps);
  return deps.db.transaction().execute(async (trx) => {
    const [count, rows] = await Promise.all([repo.countOpenHappyCalls(trx, w.now, w.expiredBefore), repo.listOpenHappyCalls(trx, w.now, w.expiredBefore, viewer.id, LIST_LIMIT)]);
    if (rows.length > 0) await appendAccessRecords(trx, [accessBy(viewer, w.now, 'view', rows.map((r) => r.citizen_id ?? null), 'happy-calls:list', rows.length)]);
    return { count, items: rows.map((r) => toHappyCall(viewer, deps, r, Date.parse(w.now), w.maxAttempts)) };
  });
}

/**
 * An agent takes a happy call: 409 CONFLICT when another agent holds it, 410 SURVEY_CLOSED when it is no longer owed
 * (answered, closed, expired, or the citizen withdrew consent or opted out since: then it is closed here).
 * Answers the questionnaire of the version that was scheduled.
 */
export async function takeHappyCall(deps: Deps, viewer: Viewer, id: string): Promise<HappyCallSheet> {
  return openHappyCallSheet(deps, viewer, id, null);
}

/**
 * The questionnaire for the agent who takes the call: from the list (`viaContact` null: not one the ACD has queued) or
 * by answering the ACD's offer of it (`viaContact`: that contact). Consent and opt-out checked again first.
 */
export async function openHappyCallSheet(deps: Deps, viewer: Viewer, id: string, viaContact: string | null): Promise<HappyCallSheet> {
  const w = await window(deps);
  const staleBefore = new Date(Date.parse(w.now) - HAPPY_CALL_CLAIM_MINUTES * 60_000).toISOString();
  const row = await repo.findHappyCall(deps.db, id);
  if (!row) throw new AppError('NOT_FOUND', '만족도 조사 전화를 찾을 수 없습니다.');
  const [optOuts, consents] = await Promise.all([repo.findOptOuts(deps.db, [row.phone_index]), repo.findConsents(deps.db, [row.phone_index])]);
  const consent = consents.get(row.phone_index);
  if (optOuts.has(row.phone_index) || consent?.surveys !== 1 || consent.channel !== 'call') {
    await repo.markInvitationSkipped(deps.db, id, optOuts.has(row.phone_index) ? 'opted_out' : 'no_consent');
    throw new AppError('SURVEY_CLOSED', '시민이 조사 동의를 거두었거나 수신 거부하여 전화하지 않습니다.', { reason: 'no_consent' });
  }
  return deps.db.transaction().execute(async (trx) => {
    if (!(await repo.claimHappyCall(trx, id, viewer.id, w.now, w.expiredBefore, staleBefore, viaContact))) {
      const held = await repo.findHappyCall(trx, id);
      if (held?.status === 'scheduled' && held.claimed_by && held.claimed_by !== viewer.id && held.claimed_at && held.claimed_at >= staleBefore) {
        throw new AppError('CONFLICT', `${held.claimed_by_name ?? '다른'} 상담사가 이미 맡은 조사 전화입니다.`);
      }
      if (held?.status === 'scheduled' && held.contact_id && held.contact_id !== viaContact) {
        throw new AppError('CONFLICT', '대기열에서 상담사에게 연결 중인 조사 전화입니다.');
      }
      throw new AppError('SURVEY_CLOSED', '이미 끝났거나 아직 걸 때가 아닌 조사 전화입니다.', { reason: 'closed' });
    }
    const taken = (await repo.findHappyCall(trx, id))!;
    const template = (await repo.findTemplateById(trx, taken.template_id))!;
    await appendAccessRecords(trx, [accessBy(viewer, w.now, 'view', [taken.citizen_id ?? null], `happy-call:${id}`, 1)]);
    return { ...toHappyCall(viewer, deps, taken, Date.parse(w.now), w.maxAttempts), intro: template.intro, questions: JSON.parse(template.questions) as Question[] };
  });
}

/**
 * The answers the citizen gave on the phone, written down by the agent who holds the call: the same checks as the
 * page (400 VALIDATION_FAILED naming each question), free text masked, stored with channel 'call', a low score's
 * follow-up. Only once: a second answer is SURVEY_CLOSED.
 */
export async function answerHappyCall(deps: Deps, viewer: Viewer, id: string, answers: Record<string, AnswerValue>): Promise<void> {
  const at = deps.clock.now().toISOString();
  const inv = await heldCall(deps, viewer, id);
  const response = await prepareResponse(deps.db, inv.template_id, answers);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.markHappyCallAnswered(trx, id, viewer.id, at))) throw new AppError('SURVEY_CLOSED', '이미 끝난 조사 전화입니다.', { reason: 'closed' });
    await storeResponse(trx, inv, response, at, 'call', viewer.id);
  });
}

/** 부재 or 거절: counted; 부재 tried again later (closed after the last try), 거절 closed at once. */
export async function recordHappyCallOutcome(deps: Deps, viewer: Viewer, id: string, outcome: HappyCallClosing): Promise<HappyCallOutcome> {
  const now = deps.clock.now();
  const inv = await heldCall(deps, viewer, id);
  const settings = await getSettings(deps.db);
  const step = nextHappyCallStep(inv.call_attempts, outcome, now, { maxAttempts: settings.happyCallMaxAttempts, retryMinutes: settings.happyCallRetryMinutes });
  const ok = await repo.recordHappyCallAttempt(deps.db, id, viewer.id, now.toISOString(), {
    attempts: step.attempts,
    nextAttemptAt: step.nextAttemptAt?.toISOString() ?? null,
    closedFor: step.status === 'closed' ? outcome : null,
  });
  if (!ok) throw new AppError('SURVEY_CLOSED', '이미 끝난 조사 전화입니다.', { reason: 'closed' });
  return { status: step.status, attempts: step.attempts, nextAttemptAt: step.nextAttemptAt?.toISOString() ?? null };
}

/** The invitation of a happy call this agent holds: NOT_FOUND, SURVEY_CLOSED when it is over, CONFLICT when not his. */
async function heldCall(deps: Deps, viewer: Viewer, id: string): Promise<repo.InvitationRow> {
  const inv = await repo.findCallInvitation(deps.db, id);
  if (!inv) throw new AppError('NOT_FOUND', '만족도 조사 전화를 찾을 수 없습니다.');
  if (inv.status !== 'scheduled') throw new AppError('SURVEY_CLOSED', '이미 끝난 조사 전화입니다.', { reason: 'closed' });
  if (inv.claimed_by !== viewer.id) throw new AppError('CONFLICT', '먼저 이 조사 전화를 맡아 주십시오.');
  return inv;
}
