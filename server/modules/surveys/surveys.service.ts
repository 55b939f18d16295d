import { createHash, randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { AnswerValue, CallerConsent, ConsentBody, FollowUp, Poll, PollBody, PublicSurvey, Question, ResultRow, Results, ResultsGroup, SurveySettings, Template, TemplateBody } from '../../../core/contracts/surveys';
import { DAY_MS, KST_OFFSET_MS } from '../../../core/domain/kst';
import { fitTextMessage } from '../../../core/domain/notifications';
import { maskFreeText } from '../../../core/domain/name-detection';
import { formatPhone } from '../../../core/domain/phone';
import {
  checkAnswers,
  checkEligibility,
  csatLabel,
  DEFAULT_TEMPLATES,
  isSampled,
  isSatisfied,
  keypadPrompt,
  kstDay,
  lowScoreReason,
  netPromoterScore,
  scoreOf,
  surveyDueAt,
  wilsonInterval,
  type SkipReason,
} from '../../../core/domain/surveys';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { Db, SurveyInvitationTable } from '../../db/tables';
import { newId } from '../../lib/ids';
import { enqueueMessage } from '../notifications/outbox.repository';
import type { OutboxPayload } from '../notifications/outbox-worker';
import type { Viewer } from '../privacy/access-context';
import { SURVEY_INVITE } from './surveys.outbox';
import * as repo from './surveys.repository';

/** Events this far behind the cursor are looked at again: a consent recorded just after the call still counts. */
const RESCAN_MS = 10 * 60_000;
const CURSOR = 'contacts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'vault' | 'config'>;

export const DEFAULT_SETTINGS: SurveySettings = {
  callSampleRate: 0.2,
  handoffSampleRate: 1,
  quietDays: 30,
  delayMinutes: 30,
  expiryHours: 72,
  lowScore: 2,
  callTemplateKey: 'call',
  handoffTemplateKey: 'handoff',
  happyCallMaxAttempts: 3,
  happyCallRetryMinutes: 60,
};

/** The default templates (version 1) and settings, written once; later runs change nothing. */
export async function ensureSurveyDefaults(db: Db, at: string): Promise<void> {
  for (const t of DEFAULT_TEMPLATES) {
    if (await repo.findCurrentTemplate(db, t.key)) continue;
    await repo
      .insertTemplate(db, {
        id: newId(),
        key: t.key,
        version: 1,
        title: t.title,
        intro: t.intro,
        audience: t.audience,
        questions: JSON.stringify(t.questions),
        overall_question_id: t.overallQuestionId,
        published_at: at,
        published_by: null,
      })
      .catch(async (err: unknown) => {
        // Two processes seeding at once: the other one's row is as good.
        if (!(await repo.findCurrentTemplate(db, t.key))) throw err;
      });
  }
  await repo.insertSettingsIfMissing(db, { id: 1, ...settingsColumns(DEFAULT_SETTINGS), updated_at: at, updated_by: null });
}

function settingsColumns(s: SurveySettings) {
  return {
    call_sample_permille: Math.round(s.callSampleRate * 1000),
    handoff_sample_permille: Math.round(s.handoffSampleRate * 1000),
    quiet_days: s.quietDays,
    delay_minutes: s.delayMinutes,
    expiry_hours: s.expiryHours,
    low_score: s.lowScore,
    call_template_key: s.callTemplateKey,
    handoff_template_key: s.handoffTemplateKey,
    happy_call_max_attempts: s.happyCallMaxAttempts,
    happy_call_retry_minutes: s.happyCallRetryMinutes,
  };
}

export async function getSettings(db: Db): Promise<SurveySettings> {
  const r = await repo.findSettings(db);
  if (!r) return DEFAULT_SETTINGS;
  return {
    callSampleRate: r.call_sample_permille / 1000,
    handoffSampleRate: r.handoff_sample_permille / 1000,
    quietDays: r.quiet_days,
    delayMinutes: r.delay_minutes,
    expiryHours: r.expiry_hours,
    lowScore: r.low_score,
    callTemplateKey: r.call_template_key,
    handoffTemplateKey: r.handoff_template_key,
    happyCallMaxAttempts: r.happy_call_max_attempts,
    happyCallRetryMinutes: r.happy_call_retry_minutes,
  };
}

export async function saveSettings(deps: Deps, viewer: Viewer, s: SurveySettings): Promise<SurveySettings> {
  const at = deps.clock.now().toISOString();
  await ensureSurveyDefaults(deps.db, at);
  for (const key of [s.callTemplateKey, s.handoffTemplateKey]) {
    const t = await repo.findCurrentTemplate(deps.db, key);
    if (!t || t.audience !== 'survey') throw new AppError('VALIDATION_FAILED', `만족도 조사 양식 '${key}'이(가) 없습니다.`);
  }
  await repo.updateSettings(deps.db, { ...settingsColumns(s), updated_at: at, updated_by: viewer.id });
  return getSettings(deps.db);
}

function toTemplate(r: repo.TemplateRow, isCurrent: boolean): Template {
  return {
    id: r.id,
    key: r.key,
    version: r.version,
    title: r.title,
    intro: r.intro,
    audience: r.audience,
    questions: JSON.parse(r.questions) as Question[],
    overallQuestionId: r.overall_question_id,
    publishedAt: r.published_at,
    isCurrent,
  };
}

/** Every template with its versions (newest first); the current one is the newest of its key. */
export async function listTemplates(deps: Deps): Promise<Template[]> {
  await ensureSurveyDefaults(deps.db, deps.clock.now().toISOString());
  const rows = await repo.listTemplateRows(deps.db);
  return rows.map((r, i) => toTemplate(r, i === 0 || rows[i - 1]!.key !== r.key));
}

/**
 * Publishes a template: the next version of its key (version 1 for a new key). A published version never changes,
 * so answers already given stay linked to exactly the questions that were asked. A survey names its overall question
 * (전반적 만족도, a 1–5 question of its own: the contract checks that); one without is SURVEY_OVERALL_QUESTION_MISSING.
 * A new version names it again: the editor offers the previous version's choice.
 */
export async function publishTemplate(deps: Deps, viewer: Viewer, body: TemplateBody): Promise<Template> {
  const at = deps.clock.now().toISOString();
  if (body.audience === 'survey' && body.overallQuestionId === null) {
    throw new AppError('SURVEY_OVERALL_QUESTION_MISSING', '전반적 만족도로 쓸 1–5점 문항을 골라 주십시오.', { field: 'overallQuestionId' });
  }
  await ensureSurveyDefaults(deps.db, at);
  return deps.db.transaction().execute(async (trx) => {
    const current = await repo.findCurrentTemplate(trx, body.key);
    if (current && current.audience !== body.audience) throw new AppError('VALIDATION_FAILED', '양식의 용도(만족도 조사/여론조사)는 바꿀 수 없습니다.');
    const row = {
      id: newId(),
      key: body.key,
      version: (current?.version ?? 0) + 1,
      title: body.title,
      intro: body.intro,
      audience: body.audience,
      questions: JSON.stringify(body.questions.map((q) => ({ ...q, text: q.text.trim() }))),
      overall_question_id: body.audience === 'survey' ? body.overallQuestionId : null,
      published_at: at,
      published_by: viewer.id,
    };
    await repo.insertTemplate(trx, row).catch(() => {
      throw new AppError('CONFLICT', '같은 양식이 방금 다른 사람에 의해 게시되었습니다. 다시 열어 주십시오.');
    });
    return toTemplate(row, true);
  });
}

/**
 * 조사 동의: the agent records, for the caller of a case, whether the citizen agrees to satisfaction surveys and to
 * policy polls, the channel (SMS to the number called from, e-mail, or a happy call) and, for polls, the district and
 * age band the citizen gave. Kept by the number's blind index; a citizen who opted out stays opted out.
 */
export async function recordConsent(deps: Deps, viewer: Viewer, body: ConsentBody): Promise<{ optedOut: boolean }> {
  const at = deps.clock.now().toISOString();
  const caller = await callerOf(deps.db, body);
  const optedOut = (await repo.findOptOuts(deps.db, [caller.caller_index])).has(caller.caller_index);
  await repo.upsertConsent(deps.db, {
    phone_index: caller.caller_index,
    surveys: body.surveys && !optedOut ? 1 : 0,
    polls: body.polls && !optedOut ? 1 : 0,
    channel: body.channel,
    address_sealed: body.channel === 'email' ? deps.vault.seal(body.email!) : caller.caller_number_sealed,
    district: body.district || null,
    age_band: body.ageBand ?? null,
    case_id: body.caseId ?? null,
    recorded_by: viewer.id,
    recorded_at: at,
  });
  return { optedOut };
}

/** The caller of a case or of a call: blind index and sealed number; NOT_FOUND, or VALIDATION_FAILED without a number. */
async function callerOf(db: Db, ref: { caseId?: string | undefined; interactionId?: string | undefined }): Promise<{ caller_index: string; caller_number_sealed: string }> {
  const caller = ref.caseId ? await repo.findCaseCaller(db, ref.caseId) : await repo.findInteractionCaller(db, ref.interactionId!);
  if (!caller) throw new AppError('NOT_FOUND', ref.caseId ? '상담 건을 찾을 수 없습니다.' : '통화를 찾을 수 없습니다.');
  if (!caller.caller_index || !caller.caller_number_sealed) throw new AppError('VALIDATION_FAILED', '발신 번호가 없는 상담입니다(발신번호 표시 제한).');
  return { caller_index: caller.caller_index, caller_number_sealed: caller.caller_number_sealed };
}

/** What was said before by the caller of a case or call (the desk's consent form opens with it). */
export async function getCallerConsent(deps: Deps, ref: { caseId?: string | undefined; interactionId?: string | undefined }): Promise<CallerConsent> {
  const caller = await callerOf(deps.db, ref);
  const [consents, optOuts] = await Promise.all([repo.findConsents(deps.db, [caller.caller_index]), repo.findOptOuts(deps.db, [caller.caller_index])]);
  const c = consents.get(caller.caller_index);
  return {
    recorded: c !== undefined,
    surveys: c?.surveys === 1,
    polls: c?.polls === 1,
    channel: c?.channel ?? null,
    district: c?.district ?? null,
    ageBand: c?.age_band ?? null,
    optedOut: optOuts.has(caller.caller_index),
    recordedAt: c?.recorded_at ?? null,
  };
}

/** 수신 거부 asked on the phone, for the caller of a case or call: for ever, by blind index. */
export async function optOutCaller(deps: Deps, ref: { caseId?: string | undefined; interactionId?: string | undefined }): Promise<void> {
  const caller = await callerOf(deps.db, ref);
  await repo.insertOptOut(deps.db, caller.caller_index, 'phone', deps.clock.now().toISOString());
}

/** 수신 거부 by number (the citizen asked on the phone): for ever, by blind index. */
export async function optOutByPhone(deps: Deps, e164: string, via: string): Promise<void> {
  await repo.insertOptOut(deps.db, deps.vault.phoneIndex(e164), via, deps.clock.now().toISOString());
}

type Candidate = Insertable<SurveyInvitationTable>;

export type ScheduleResult = { looked: number; scheduled: number; skipped: Partial<Record<SkipReason | 'not_settled' | 'duplicate', number>> };

/**
 * The scheduler's first half: reads the settled calls (`call_dispositioned`, outcome resolved) and the answers that
 * reached the citizen (`citizen_told`) since its cursor, and schedules a survey for those sampled whose citizen
 * consented, never opted out and was not asked within the quiet period (all by blind index). The survey is due
 * `delayMinutes` after the contact, the same KST day; hand-off surveys are timed to the answer, not to the call.
 * Events up to 10 minutes behind the cursor are looked at again (a consent recorded after the call); the unique
 * source key keeps every contact to one survey.
 */
export async function scheduleSurveys(deps: Deps, now: Date, batchSize = 1000): Promise<ScheduleResult> {
  const at = now.toISOString();
  await ensureSurveyDefaults(deps.db, at);
  const settings = await getSettings(deps.db);
  const callTemplate = await repo.findCurrentTemplate(deps.db, settings.callTemplateKey);
  const handoffTemplate = await repo.findCurrentTemplate(deps.db, settings.handoffTemplateKey);
  const result: ScheduleResult = { looked: 0, scheduled: 0, skipped: {} };
  const skip = (reason: keyof ScheduleResult['skipped']) => (result.skipped[reason] = (result.skipped[reason] ?? 0) + 1);
  const cursor = (await repo.findCursor(deps.db, CURSOR)) ?? new Date(now.getTime() - DAY_MS).toISOString();
  let after = new Date(Math.min(Date.parse(cursor), now.getTime()) - RESCAN_MS).toISOString();
  for (;;) {
    const events = await repo.listTriggerEvents(deps.db, after, at, batchSize);
    if (events.length === 0) break;
    result.looked += events.length;
    const handOffs = await repo.findHandOffContexts(deps.db, events.filter((e) => e.type === 'citizen_told' && e.handoff_id).map((e) => e.handoff_id!));
    const candidates: Candidate[] = [];
    for (const e of events) {
      const c = candidateOf(e, handOffs, settings, callTemplate?.id, handoffTemplate?.id, at);
      if (typeof c === 'string') skip(c);
      else candidates.push(c);
    }
    const indexes = [...new Set(candidates.map((c) => c.phone_index))];
    const [existing, optOuts, consents, lastAsked] = await Promise.all([
      repo.findExistingSourceKeys(deps.db, candidates.map((c) => c.source_key)),
      repo.findOptOuts(deps.db, indexes),
      repo.findConsents(deps.db, indexes),
      repo.findLastAsked(deps.db, indexes, new Date(now.getTime() - settings.quietDays * DAY_MS - DAY_MS).toISOString()),
    ]);
    const rows: Candidate[] = [];
    for (const c of candidates) {
      if (existing.has(c.source_key)) {
        skip('duplicate');
        continue;
      }
      const consent = consents.get(c.phone_index);
      const last = lastAsked.get(c.phone_index);
      const e = checkEligibility({
        optedOut: optOuts.has(c.phone_index),
        consented: consent?.surveys === 1,
        lastAskedAt: last ? new Date(last) : null,
        now: new Date(c.due_at),
        quietDays: settings.quietDays,
      });
      if (!e.ok) {
        skip(e.reason);
        continue;
      }
      rows.push({ ...c, channel: consent!.channel });
      // Within one batch the quiet period counts the surveys just scheduled.
      lastAsked.set(c.phone_index, c.due_at);
    }
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertInvitations(trx, rows);
      await repo.saveCursor(trx, CURSOR, events.at(-1)!.at);
    });
    result.scheduled += rows.length;
    if (events.length < batchSize) break;
    after = events.at(-1)!.at;
  }
  return result;
}

type TriggerEvent = Awaited<ReturnType<typeof repo.listTriggerEvents>>[number];

function candidateOf(
  e: TriggerEvent,
  handOffs: Awaited<ReturnType<typeof repo.findHandOffContexts>>,
  settings: SurveySettings,
  callTemplateId: string | undefined,
  handoffTemplateId: string | undefined,
  at: string,
): Candidate | SkipReason | 'not_settled' {
  const base = { poll_id: null, status: 'scheduled' as const, skip_reason: null, sent_at: null, expires_at: null, answered_at: null, token_hash: null, created_at: at, channel: 'sms' as const };
  if (e.type === 'call_dispositioned') {
    if (e.detail !== 'resolved' || !e.case_id || !callTemplateId) return 'not_settled';
    const data = (e.data ? JSON.parse(e.data) : {}) as { categoryId?: string; callerKey?: string | null };
    if (!data.callerKey) return 'no_contact';
    if (!isSampled(e.case_id, settings.callSampleRate)) return 'not_sampled';
    const due = surveyDueAt(new Date(e.at), settings.delayMinutes);
    if (!due) return 'too_late';
    return { ...base, id: newId(), source_key: `call:${e.case_id}`, trigger: 'call', template_id: callTemplateId, case_id: e.case_id, handoff_id: null, agent_id: e.actor_id, department_id: null, category_id: data.categoryId ?? null, phone_index: data.callerKey, contact_at: e.at, due_at: due.toISOString() };
  }
  const h = e.handoff_id ? handOffs.get(e.handoff_id) : undefined;
  if (!h || !handoffTemplateId) return 'not_settled';
  if (!h.caller_index) return 'no_contact';
  if (!isSampled(e.handoff_id!, settings.handoffSampleRate)) return 'not_sampled';
  const due = surveyDueAt(new Date(e.at), settings.delayMinutes);
  if (!due) return 'too_late';
  return { ...base, id: newId(), source_key: `handoff:${e.handoff_id}`, trigger: 'handoff', template_id: handoffTemplateId, case_id: e.case_id, handoff_id: e.handoff_id, agent_id: h.agent_id, department_id: h.department_id, category_id: h.category_id, phone_index: h.caller_index, contact_at: e.at, due_at: due.toISOString() };
}

export type SendResult = { sent: number; skipped: number };

/**
 * The scheduler's second half: each due survey is checked again (opt-out and consent as they are now: a citizen who
 * withdrew since the call is not asked), then gets a fresh unguessable token (only its SHA-256 is stored) and its
 * link is queued in the outbox in the same transaction, to the consented channel's address.
 */
export async function sendDueSurveys(deps: Deps, now: Date, limit = 500): Promise<SendResult> {
  const at = now.toISOString();
  const result: SendResult = { sent: 0, skipped: 0 };
  const expiryHours = (await getSettings(deps.db)).expiryHours;
  for (;;) {
    const due = await repo.listDueInvitations(deps.db, at, limit);
    if (due.length === 0) return result;
    const indexes = [...new Set(due.map((d) => d.phone_index))];
    const [optOuts, consents] = await Promise.all([repo.findOptOuts(deps.db, indexes), repo.findConsents(deps.db, indexes)]);
    const templates = new Map<string, repo.TemplateRow>();
    for (const inv of due) {
      const consent = consents.get(inv.phone_index);
      const wanted = inv.trigger === 'poll' ? consent?.polls === 1 : consent?.surveys === 1;
      const reason = optOuts.has(inv.phone_index) ? 'opted_out' : !wanted || !consent?.address_sealed ? 'no_consent' : null;
      if (reason) {
        await repo.markInvitationSkipped(deps.db, inv.id, reason);
        result.skipped++;
        continue;
      }
      let template = templates.get(inv.template_id);
      if (!template) {
        template = (await repo.findTemplateById(deps.db, inv.template_id))!;
        templates.set(inv.template_id, template);
      }
      const token = randomBytes(24).toString('base64url');
      const expiresAt = new Date(now.getTime() + (inv.poll_id ? await pollExpiryMs(deps.db, inv) : expiryHours * 3_600_000)).toISOString();
      const address = deps.vault.open(consent!.address_sealed!);
      const channel = consent!.channel === 'email' ? 'email' : 'sms';
      const payload = invitationMessage(channel, address, `${deps.config.publicUrl}/s/${token}`, template.title, expiresAt);
      await deps.db.transaction().execute(async (trx) => {
        if (!(await repo.markInvitationSent(trx, inv.id, hashToken(token), at, expiresAt))) return;
        await enqueueMessage(trx, {
          kind: SURVEY_INVITE,
          channel,
          payloadSealed: deps.vault.seal(JSON.stringify(payload)),
          idempotencyKey: `${SURVEY_INVITE}:${inv.id}`,
          maxAttempts: 3,
          at,
          caseId: inv.case_id,
        });
        result.sent++;
      });
    }
    if (due.length < limit) return result;
  }
}

/** A poll's link lives until the poll closes. */
async function pollExpiryMs(db: Db, inv: repo.InvitationRow): Promise<number> {
  const poll = await repo.findPoll(db, inv.poll_id!);
  return Math.max(60_000, Date.parse(poll!.closes_at) - Date.parse(inv.due_at));
}

function kstWords(iso: string): string {
  const d = new Date(Date.parse(iso) + KST_OFFSET_MS);
  return `${d.getUTCMonth() + 1}월 ${d.getUTCDate()}일 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function invitationMessage(channel: 'sms' | 'email', address: string, link: string, title: string, expiresAt: string): OutboxPayload {
  const body = `[한빛시 민원콜센터] ${title}에 참여해 주십시오. 1분이면 마칠 수 있으며, 응답은 서비스 개선에만 쓰입니다.\n${link}\n(${kstWords(expiresAt)}까지, 한 번만 응답할 수 있습니다. 더 받지 않으시려면 링크에서 수신 거부를 누르십시오.)`;
  if (channel === 'sms') {
    const fitted = fitTextMessage(body);
    return { to: formatPhone(address).replace(/\D/g, ''), text: fitted.text, smsKind: fitted.kind };
  }
  return { to: address, subject: `[한빛시 민원콜센터] ${title}에 참여해 주십시오`, text: body };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const TOKEN_RE = /^[A-Za-z0-9_-]{32}$/;

/**
 * The invitation of a link. A token that was never issued (or is malformed) is a 404 that says nothing more; a link
 * already answered, expired or whose poll closed is SURVEY_CLOSED (410), which the page shows as a friendly notice.
 */
async function openInvitation(deps: Deps, token: string, now: Date): Promise<repo.InvitationRow> {
  const inv = TOKEN_RE.test(token) ? await repo.findInvitationByTokenHash(deps.db, hashToken(token)) : undefined;
  if (!inv) throw new AppError('NOT_FOUND', '찾을 수 없습니다.');
  if (inv.status === 'answered') throw new AppError('SURVEY_CLOSED', '이미 응답하신 조사입니다. 참여해 주셔서 감사합니다.', { reason: 'answered' });
  if (inv.status !== 'sent' || !inv.expires_at || Date.parse(inv.expires_at) <= now.getTime()) {
    throw new AppError('SURVEY_CLOSED', '응답 기간이 끝난 조사입니다. 관심을 가져 주셔서 감사합니다.', { reason: 'expired' });
  }
  return inv;
}

/** GET /api/public/surveys/:token: the questions, nothing about who is asked. */
export async function getPublicSurvey(deps: Deps, token: string): Promise<PublicSurvey> {
  const inv = await openInvitation(deps, token, deps.clock.now());
  const t = (await repo.findTemplateById(deps.db, inv.template_id))!;
  return { title: t.title, intro: t.intro, questions: JSON.parse(t.questions) as Question[], expiresAt: inv.expires_at! };
}

/**
 * The citizen's answers, once: checked against the template's scales (VALIDATION_FAILED with each problem), free
 * text masked for personal data before it is stored, the link used up by a conditional UPDATE in the same
 * transaction as the response (a second answer, even at the same moment, is SURVEY_CLOSED and writes nothing).
 * A low overall score or "not resolved" opens a follow-up for the supervisors, linked to the case.
 */
export async function answerSurvey(deps: Deps, token: string, answers: Record<string, AnswerValue>): Promise<void> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const inv = await openInvitation(deps, token, now);
  const response = await prepareResponse(deps.db, inv.template_id, answers);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.markInvitationAnswered(trx, inv.id, at))) throw new AppError('SURVEY_CLOSED', '이미 응답하신 조사입니다. 참여해 주셔서 감사합니다.', { reason: 'answered' });
    await storeResponse(trx, inv, response, at, 'web', null);
  });
}

/** Answers checked and ready to store: free text masked, the figures read. */
export type PreparedResponse = { stored: Record<string, AnswerValue>; score: ReturnType<typeof scoreOf>; lowScore: number };

/**
 * Answers checked against the questions of the version that was asked (VALIDATION_FAILED naming each problem), free
 * text masked for personal data. The same for every channel: the link, a happy call, the keypad (`keypadOnly`: only the questions a keypad can
 * answer are checked, the others were not asked).
 */
export async function prepareResponse(db: Db, templateId: string, answers: Record<string, AnswerValue>, options: { keypadOnly?: boolean } = {}): Promise<PreparedResponse> {
  const template = (await repo.findTemplateById(db, templateId))!;
  const all = JSON.parse(template.questions) as Question[];
  // By keypad only the questions a keypad can answer were asked (free text and multiple choice are not).
  const questions = options.keypadOnly ? all.filter((q) => keypadPrompt(q) !== null) : all;
  const checked = checkAnswers(questions, answers);
  if (!checked.ok) throw new AppError('VALIDATION_FAILED', '응답을 확인해 주십시오.', { problems: checked.problems });
  const stored: Record<string, AnswerValue> = {};
  for (const [id, v] of Object.entries(checked.answers)) stored[id] = typeof v === 'string' && questions.find((q) => q.id === id)?.type === 'text' ? maskFreeText(v).text : v;
  return { stored, score: scoreOf(questions, template.overall_question_id, stored), lowScore: (await getSettings(db)).lowScore };
}

/**
 * Writes a response (inside the transaction that used up its invitation) and, for a low overall score or "not
 * resolved", the supervisors' follow-up linked to the case. `channel` says how the answers came, `recordedBy` which
 * agent wrote them down (null for the citizen's own).
 */
export async function storeResponse(
  trx: Db,
  inv: Pick<repo.InvitationRow, 'id' | 'template_id' | 'trigger' | 'case_id'>,
  r: PreparedResponse,
  at: string,
  channel: 'web' | 'call' | 'keypad',
  recordedBy: string | null,
): Promise<void> {
  await repo.insertResponse(trx, {
    id: newId(),
    invitation_id: inv.id,
    template_id: inv.template_id,
    answers: JSON.stringify(r.stored),
    csat: r.score.csat,
    resolved: r.score.resolved === null ? null : r.score.resolved ? 1 : 0,
    nps: r.score.nps,
    comment: r.score.texts.join('\n') || null,
    answered_at: at,
    channel,
    recorded_by: recordedBy,
  });
  const reason = inv.trigger === 'poll' ? null : lowScoreReason(r.score, r.lowScore);
  if (reason) await repo.insertFollowUp(trx, { id: newId(), invitation_id: inv.id, case_id: inv.case_id, reason, score: r.score.csat, created_at: at });
}

/** 수신 거부 from the page: no more surveys or polls to this number, for ever. Any link ever issued may do it. */
export async function optOutByToken(deps: Deps, token: string): Promise<void> {
  const inv = TOKEN_RE.test(token) ? await repo.findInvitationByTokenHash(deps.db, hashToken(token)) : undefined;
  if (!inv || !inv.phone_index) throw new AppError('NOT_FOUND', '찾을 수 없습니다.');
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertOptOut(trx, inv.phone_index, 'link', at);
    if (inv.status === 'sent') await repo.markInvitationSkipped(trx, inv.id, 'opted_out');
  });
}

const groupLabel: Record<string, string> = { call: '상담 직후', handoff: '부서 회신 후' };

/**
 * 만족도 결과: contacts in the KST days [from, to] grouped by department (hand-offs by the answering department;
 * calls settled by the centre as 콜센터), category, agent, day, month or trigger. Per group: surveys sent, answers,
 * response rate, mean overall CSAT, 만족 (4–5) and 해결 shares with their 95% Wilson intervals, NPS. The newest
 * masked comments and the open follow-ups come with it.
 */
export async function getResults(deps: Deps, from: string, to: string, groupBy: ResultsGroup, departmentId?: string): Promise<Results> {
  const fromIso = new Date(Date.parse(`${from}T00:00:00+09:00`)).toISOString();
  const toIso = new Date(Date.parse(`${to}T00:00:00+09:00`) + DAY_MS).toISOString();
  if (Date.parse(toIso) <= Date.parse(fromIso)) throw new AppError('VALIDATION_FAILED', '기간의 끝이 시작보다 앞섭니다.');
  if (Date.parse(toIso) - Date.parse(fromIso) > 366 * DAY_MS) throw new AppError('VALIDATION_FAILED', '기간은 366일 이내로 정해 주십시오.');
  const rows = await repo.listResultRows(deps.db, fromIso, toIso, departmentId);
  const labels = await labelsFor(deps.db, groupBy, rows);
  const keyOf = (r: (typeof rows)[number]): string => {
    if (groupBy === 'department') return r.department_id ?? 'centre';
    if (groupBy === 'category') return r.category_id ?? 'none';
    if (groupBy === 'agent') return r.agent_id ?? 'none';
    if (groupBy === 'trigger') return r.trigger;
    const day = kstDay(new Date(r.contact_at));
    return groupBy === 'month' ? day.slice(0, 7) : day;
  };
  const groups = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = keyOf(r);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const resultRows = [...groups.entries()].map(([key, g]) => figures(key, labels.get(key) ?? key, g)).sort((a, b) => a.label.localeCompare(b.label, 'ko'));
  const comments = rows
    .filter((r) => r.comment)
    .sort((a, b) => String(b.answered_at).localeCompare(String(a.answered_at)))
    .slice(0, 20);
  const numbers = await caseNumbers(deps.db, comments.map((c) => c.case_id));
  return {
    from,
    to,
    groupBy,
    total: figures('total', '전체', rows),
    rows: resultRows,
    comments: comments.map((c) => ({ at: String(c.answered_at), caseNumber: c.case_id ? (numbers.get(c.case_id) ?? null) : null, text: c.comment! })),
    followUps: await listFollowUps(deps),
  };
}

function figures(key: string, label: string, g: Awaited<ReturnType<typeof repo.listResultRows>>): ResultRow {
  const answered = g.filter((r) => r.answered_at);
  const csat = answered.map((r) => r.csat).filter((v): v is number => v !== null);
  const resolved = answered.map((r) => r.resolved).filter((v): v is number => v !== null);
  const nps = answered.map((r) => r.nps).filter((v): v is number => v !== null);
  return {
    key,
    label,
    invited: g.length,
    answered: answered.length,
    responseRate: g.length ? answered.length / g.length : null,
    csatMean: csat.length ? Math.round((csat.reduce((a, b) => a + b, 0) / csat.length) * 100) / 100 : null,
    satisfied: wilsonInterval(csat.filter(isSatisfied).length, csat.length),
    resolved: wilsonInterval(resolved.filter((v) => v === 1).length, resolved.length),
    nps: netPromoterScore(nps),
  };
}

async function labelsFor(db: Db, groupBy: ResultsGroup, rows: Awaited<ReturnType<typeof repo.listResultRows>>): Promise<Map<string, string>> {
  const m = new Map<string, string>([
    ['centre', '콜센터 직접 처리'],
    ['none', '(없음)'],
    ...Object.entries(groupLabel),
  ]);
  const ids = (f: (r: (typeof rows)[number]) => string | null) => [...new Set(rows.map(f).filter((v): v is string => !!v))];
  if (groupBy === 'department') {
    const list = ids((r) => r.department_id);
    if (list.length) for (const d of await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', list).execute()) m.set(d.id, d.name);
  } else if (groupBy === 'category') {
    const list = ids((r) => r.category_id);
    if (list.length) for (const c of await db.selectFrom('categories').select(['id', 'name']).where('id', 'in', list).execute()) m.set(c.id, c.name);
  } else if (groupBy === 'agent') {
    const list = ids((r) => r.agent_id);
    if (list.length) for (const u of await db.selectFrom('users').select(['id', 'name']).where('id', 'in', list).execute()) m.set(u.id, u.name);
  }
  return m;
}

async function caseNumbers(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const list = [...new Set(ids.filter((v): v is string => !!v))];
  if (list.length === 0) return new Map();
  const rows = await db.selectFrom('cases').select(['id', 'number']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [r.id, r.number]));
}

export async function listFollowUps(deps: Pick<Deps, 'db'>): Promise<FollowUp[]> {
  const rows = await repo.listFollowUps(deps.db);
  return rows.map((r) => ({ id: r.id, caseId: r.case_id, caseNumber: r.case_number ?? null, reason: r.reason, score: r.score, comment: r.comment ?? null, status: r.status, createdAt: r.created_at }));
}

export async function closeFollowUp(deps: Deps, viewer: Viewer, id: string): Promise<void> {
  if (!(await repo.closeFollowUp(deps.db, id, viewer.id, deps.clock.now().toISOString()))) throw new AppError('NOT_FOUND', '열린 후속 조치를 찾을 수 없습니다.');
}

/**
 * 정책 여론조사: a poll of a template of audience 'poll' to everyone who consented to polls (and never opted out),
 * narrowed to districts / age bands where given, through SMS or e-mail, closing at `closesAt`. One invitation per
 * citizen, due at once; the sender checks consent again when it goes.
 */
export async function createPoll(deps: Deps, viewer: Viewer, body: PollBody): Promise<Poll> {
  const now = deps.clock.now();
  const at = now.toISOString();
  await ensureSurveyDefaults(deps.db, at);
  const template = await repo.findCurrentTemplate(deps.db, body.templateKey);
  if (!template || template.audience !== 'poll') throw new AppError('VALIDATION_FAILED', '여론조사 양식을 찾을 수 없습니다.');
  const closes = Date.parse(body.closesAt);
  if (!Number.isFinite(closes) || closes <= now.getTime() + 3_600_000) throw new AppError('VALIDATION_FAILED', '마감 시각은 지금부터 1시간 뒤 이후여야 합니다.');
  if (closes > now.getTime() + 90 * DAY_MS) throw new AppError('VALIDATION_FAILED', '마감 시각은 90일 이내로 정해 주십시오.');
  const districts = body.districts ?? [];
  const ageBands = body.ageBands ?? [];
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertPoll(trx, {
      id,
      title: body.title,
      template_id: template.id,
      channel: body.channel,
      districts: JSON.stringify(districts),
      age_bands: JSON.stringify(ageBands),
      closes_at: new Date(closes).toISOString(),
      public_results: body.publicResults ? 1 : 0,
      created_by: viewer.id,
      created_at: at,
    });
    const targets = (await repo.listPollTargets(trx, districts, ageBands)).filter((t) => t.channel === body.channel);
    await repo.insertInvitations(
      trx,
      targets.map((t) => ({
        id: newId(),
        source_key: `poll:${id}:${t.phone_index}`,
        trigger: 'poll' as const,
        template_id: template.id,
        poll_id: id,
        case_id: null,
        handoff_id: null,
        agent_id: null,
        department_id: null,
        category_id: null,
        phone_index: t.phone_index,
        channel: t.channel,
        status: 'scheduled' as const,
        skip_reason: null,
        contact_at: at,
        due_at: at,
        sent_at: null,
        expires_at: null,
        answered_at: null,
        token_hash: null,
        created_at: at,
      })),
    );
  });
  return getPoll(deps, id);
}

export async function listPolls(deps: Deps): Promise<Poll[]> {
  const rows = await repo.listPollRows(deps.db);
  return Promise.all(rows.map((r) => getPoll(deps, r.id)));
}

/** A poll's results: response rate, and per question each option's count and share with its 95% Wilson interval. */
export async function getPoll(deps: Pick<Deps, 'db'>, id: string): Promise<Poll> {
  const poll = await repo.findPoll(deps.db, id);
  if (!poll) throw new AppError('NOT_FOUND', '여론조사를 찾을 수 없습니다.');
  const template = (await repo.findTemplateById(deps.db, poll.template_id))!;
  const questions = JSON.parse(template.questions) as Question[];
  const { invited, answers } = await repo.pollAnswers(deps.db, id);
  const parsed = answers.map((a) => JSON.parse(a) as Record<string, AnswerValue>);
  return {
    id: poll.id,
    title: poll.title,
    templateKey: template.key,
    closesAt: poll.closes_at,
    channel: poll.channel,
    publicResults: poll.public_results === 1,
    invited,
    answered: parsed.length,
    responseRate: invited ? parsed.length / invited : null,
    questions: questions
      .filter((q) => q.type !== 'text')
      .map((q) => {
        const given = parsed.map((p) => p[q.id]).filter((v) => v !== undefined);
        const points: Array<{ id: string; label: string }> =
          q.type === 'csat'
            ? [1, 2, 3, 4, 5].map((n) => ({ id: String(n), label: `${n} ${csatLabel(n)}` }))
            : q.type === 'nps'
              ? Array.from({ length: 11 }, (_, n) => ({ id: String(n), label: String(n) }))
              : q.type === 'resolved'
                ? [
                    { id: 'true', label: '예' },
                    { id: 'false', label: '아니요' },
                  ]
                : (q.options ?? []);
        const picked = (v: AnswerValue, o: string) => (Array.isArray(v) ? v.includes(o) : String(v) === o);
        const numbers = given.filter((v): v is number => typeof v === 'number');
        return {
          questionId: q.id,
          text: q.text,
          type: q.type,
          answered: given.length,
          options: points.map((o) => {
            const count = given.filter((v) => picked(v, o.id)).length;
            return { id: o.id, label: o.label, count, share: wilsonInterval(count, given.length) };
          }),
          mean: numbers.length ? Math.round((numbers.reduce((a, b) => a + b, 0) / numbers.length) * 100) / 100 : null,
        };
      }),
  };
}

/** The public results page of a poll, only when its owner chose to publish them and the poll has closed. */
export async function getPublicPoll(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<Poll> {
  const poll = await repo.findPoll(deps.db, id);
  if (!poll || poll.public_results !== 1 || Date.parse(poll.closes_at) > deps.clock.now().getTime()) throw new AppError('NOT_FOUND', '찾을 수 없습니다.');
  return getPoll(deps, id);
}

/** One run of the scheduler: schedule from new contacts, then send what is due. */
export async function runSurveyJob(deps: Deps, now: Date): Promise<{ schedule: ScheduleResult; send: SendResult; expiredCalls: number }> {
  const schedule = await scheduleSurveys(deps, now);
  const send = await sendDueSurveys(deps, now);
  const expiredCalls = await repo.closeExpiredHappyCalls(deps.db, new Date(now.getTime() - (await getSettings(deps.db)).expiryHours * 3_600_000).toISOString());
  return { schedule, send, expiredCalls };
}
