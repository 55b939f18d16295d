import type {
  CallbackTask,
  DeliveryStatus,
  NotificationTemplate,
  OutboxListQuery,
  OutboxMessage,
  ReplyPreference,
  ReplyPreferenceBody,
  UpdateTemplateBody,
} from '../../../core/contracts/notifications';
import { KST_OFFSET_MS } from '../../../core/domain/kst';
import { maskEmail } from '../../../core/domain/masking';
import {
  CALLBACK_MAX_ATTEMPTS,
  DEFAULT_TEMPLATES,
  OUTBOX_MAX_ATTEMPTS,
  TEMPLATE_KEYS,
  TEMPLATE_PLACEHOLDERS,
  fitTextMessage,
  renderTemplate,
  type TemplateKey,
  type TemplateText,
  type TemplateValues,
} from '../../../core/domain/notifications';
import { formatPhone, normalizePhone } from '../../../core/domain/phone';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import type { Vault } from '../../lib/vault';
import { presentCitizenField } from '../privacy/citizen-data.presenter';
import { accessBy, type Viewer } from '../privacy/access-context';
import { appendAccessRecords } from '../privacy/access-records.repository';
import { recordCitizenTold } from './citizen-told';
import { HANDOFF_ANSWER } from './outbox-kinds';
import type { OutboxPayload } from './outbox-worker';
import {
  findAnswerContext,
  findCallbackTask,
  findCaseForPreference,
  findReplyPreference,
  findTemplateRow,
  findToldOfCase,
  finishCallbackTask,
  listCallbackTasksOfCase,
  listCallbackTasksByStatus,
  listTemplateRows,
  openCallbackTask,
  saveTemplateRow,
  upsertReplyPreference,
  type CallbackTaskRow,
} from './notifications.repository';
import { enqueueMessage, findListedMessage, listMessages, listMessagesOfCase, requeueMessage, type ListedMessage } from './outbox.repository';

/** "11월 27일": the KST day of an instant, as a citizen reads it. */
function kstDayWords(iso: string): string {
  const d = new Date(Date.parse(iso) + KST_OFFSET_MS);
  return `${d.getUTCMonth() + 1}월 ${d.getUTCDate()}일`;
}

/** The number as Korean SMS providers take it: domestic digits (01012345678). */
function domesticDigits(e164: string): string {
  return formatPhone(e164).replace(/\D/g, '');
}

async function templateText(db: Db, key: TemplateKey): Promise<TemplateText> {
  const row = await findTemplateRow(db, key);
  return row ? { subject: row.subject, body: row.body } : DEFAULT_TEMPLATES[key];
}

/**
 * 회신 안내: runs inside the transaction that records the department's answer (handoffs.service.ts), so the message
 * exists exactly when the answer does. By the citizen's recorded preference:
 * - SMS or e-mail with consent: one outbox message (idempotency key = the hand-off); the hand-off closes when it is
 *   delivered (outbox-kinds.ts), or a callback task opens when delivery finally fails.
 * - callback: a callback task on the desk's list; the hand-off closes when an agent reports the citizen told.
 * - no preference recorded (older cases, a form left blank): a callback task too. Issue #11 §4 says a hand-off is
 *   closed "only when the citizen has been told ... never before", and the citizen did call to get an answer, so
 *   silence is the one wrong outcome; the number of the call is there to call back.
 * - 'none', or no consent: the citizen said at the call not to be contacted (or refused the use of the contact
 *   details). The centre does not contact them against their word: the hand-off closes at once with told_channel
 *   'declined' and a `handoff_closed` event whose detail says the citizen declined (no `citizen_told`), so the
 *   record shows nobody was told and why. The answer stays on the case for a later call.
 */
export async function queueAnswerNotice(trx: Db, deps: Pick<AppDeps, 'vault'>, h: { handOffId: string; caseId: string; at: string; actorId: string | null }): Promise<void> {
  const pref = await findReplyPreference(trx, h.caseId);
  if (!pref || pref.channel === 'callback') {
    await openCallbackTask(trx, { case_id: h.caseId, handoff_id: h.handOffId, outbox_message_id: null, reason: pref ? 'chosen' : 'no_preference', created_at: h.at });
    return;
  }
  if (pref.channel === 'none' || !pref.consent || !pref.address_sealed) {
    await recordCitizenTold(trx, deps, { handOffId: h.handOffId, caseId: h.caseId }, 'declined', h.at, h.actorId);
    return;
  }
  const ctx = await findAnswerContext(trx, h.handOffId);
  if (!ctx) throw new AppError('NOT_FOUND', '이관 건을 찾을 수 없습니다.');
  const values: TemplateValues = {
    접수번호: ctx.case_number,
    접수일: kstDayWords(ctx.case_created_at),
    분류: ctx.category_name ?? '문의',
    부서: ctx.department_name,
    답변: ctx.answer ?? '',
  };
  const address = deps.vault.open(pref.address_sealed);
  let payload: OutboxPayload;
  if (pref.channel === 'sms') {
    const fitted = fitTextMessage(renderTemplate((await templateText(trx, 'handoff_answer.sms')).body, values));
    payload = { to: domesticDigits(address), text: fitted.text, smsKind: fitted.kind };
  } else {
    const t = await templateText(trx, 'handoff_answer.email');
    payload = { to: address, subject: renderTemplate(t.subject ?? '', values), text: renderTemplate(t.body, values) };
  }
  await enqueueMessage(trx, {
    kind: HANDOFF_ANSWER,
    channel: pref.channel,
    payloadSealed: deps.vault.seal(JSON.stringify(payload)),
    idempotencyKey: `${HANDOFF_ANSWER}:${h.handOffId}`,
    maxAttempts: OUTBOX_MAX_ATTEMPTS,
    at: h.at,
    caseId: h.caseId,
    handOffId: h.handOffId,
  });
}

function presentAddress(viewer: Viewer, channel: string, address: string | null): string | null {
  if (address === null) return null;
  return channel === 'email' ? maskEmail(address) : presentCitizenField(viewer.role, 'phone', formatPhone(address));
}

/**
 * 회신 방법: the agent records at the call how the citizen wants the answer, with consent. An SMS or callback without
 * a number takes the number the citizen called from. Refused once the answer was given (it would change nothing).
 */
export async function setReplyPreference(deps: AppDeps, viewer: Viewer, caseId: string, body: ReplyPreferenceBody): Promise<ReplyPreference> {
  const at = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const theCase = await findCaseForPreference(trx, caseId);
    if (!theCase) throw new AppError('NOT_FOUND', '상담 건을 찾을 수 없습니다.');
    if (theCase.handOffs.some((h) => h.status === 'answered' || h.status === 'closed')) {
      throw new AppError('CONFLICT', '이미 부서 답변이 등록된 민원이라 회신 방법을 바꿀 수 없습니다.');
    }
    const address = addressFor(deps.vault, body, theCase);
    await upsertReplyPreference(trx, {
      case_id: caseId,
      channel: body.channel,
      consent: body.consent ? 1 : 0,
      address_sealed: address === null ? null : deps.vault.seal(address),
      recorded_by: viewer.id,
      recorded_at: at,
    });
    await appendAccessRecords(trx, [accessBy(viewer, at, 'update', [theCase.citizen_id], `case:${caseId}:reply-preference`, 1)]);
    return { caseId, channel: body.channel, consent: body.consent, address: presentAddress(viewer, body.channel, address), recordedAt: at };
  });
}

/**
 * Where the answer goes for a preference: the e-mail given, the number given, or (SMS, callback) the number the
 * citizen called from; null for 'none'. Also used when the desk records the preference with the case (cases.service).
 */
export function addressFor(vault: Vault, body: ReplyPreferenceBody, theCase: { caller_number_sealed: string | null; phone_sealed: string | null }): string | null {
  const given = body.address?.trim() || undefined;
  if (body.channel === 'none') return null;
  if (body.channel === 'email') return given ?? null;
  if (given) return normalizePhone(given) ?? null;
  const sealed = theCase.caller_number_sealed || theCase.phone_sealed;
  // A withheld caller's number is "anonymous" (발신번호 표시제한): nothing to call or text back.
  const number = sealed ? normalizePhone(vault.open(sealed)) : undefined;
  if (!number) throw new AppError('VALIDATION_FAILED', '민원인 전화번호가 없습니다. 회신받을 번호를 입력하세요.', { fields: ['address'] });
  return number;
}

function toMessage(m: ListedMessage): OutboxMessage {
  return {
    id: m.id,
    kind: m.kind,
    channel: m.channel,
    status: m.status,
    attempts: m.attempts,
    maxAttempts: m.max_attempts,
    nextAttemptAt: m.status === 'pending' ? m.next_attempt_at : null,
    lastError: m.last_error,
    createdAt: m.created_at,
    sentAt: m.sent_at,
    caseId: m.case_id,
    caseNumber: m.case_number,
  };
}

/** 회신 현황 of a case: who may see the case may see it (an official only his department's hand-offs' cases). */
export async function getDeliveryStatus(deps: AppDeps, viewer: Viewer, caseId: string): Promise<DeliveryStatus> {
  const theCase = await findCaseForPreference(deps.db, caseId);
  if (!theCase) throw new AppError('NOT_FOUND', '상담 건을 찾을 수 없습니다.');
  if (viewer.role === 'official' && !theCase.handOffs.some((h) => h.department_id === viewer.departmentId)) {
    throw new AppError('FORBIDDEN', '우리 부서로 이관된 상담만 볼 수 있습니다.');
  }
  const [pref, messages, tasks, told] = await Promise.all([
    findReplyPreference(deps.db, caseId),
    listMessagesOfCase(deps.db, caseId),
    listCallbackTasksOfCase(deps.db, caseId),
    findToldOfCase(deps.db, caseId),
  ]);
  return {
    preference: pref ? { caseId, channel: pref.channel, consent: pref.consent === 1, recordedAt: pref.recorded_at } : null,
    messages: messages.map(toMessage),
    callbackTasks: tasks.map((t) => ({
      id: t.id,
      status: t.status,
      reason: t.reason,
      createdAt: t.created_at,
      doneAt: t.done_at,
      attempts: t.attempts,
      maxAttempts: CALLBACK_MAX_ATTEMPTS,
      nextAttemptAt: t.status === 'open' ? t.next_attempt_at : null,
    })),
    toldChannel: (told?.told_channel as DeliveryStatus['toldChannel']) ?? null,
    toldAt: told?.told_at ?? null,
  };
}

/** A template's channel is the suffix of its key (handoff_answer.sms, handoff_extended.email …). */
const CHANNEL_OF = Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, k.endsWith('.sms') ? 'sms' : 'email'])) as Record<TemplateKey, 'sms' | 'email'>;

export async function listTemplates(deps: AppDeps): Promise<NotificationTemplate[]> {
  const rows = new Map((await listTemplateRows(deps.db)).map((r) => [r.key, r]));
  return TEMPLATE_KEYS.map((key) => {
    const row = rows.get(key);
    const text = row ?? DEFAULT_TEMPLATES[key];
    return {
      key,
      channel: CHANNEL_OF[key],
      subject: CHANNEL_OF[key] === 'email' ? text.subject : null,
      body: text.body,
      isDefault: !row,
      updatedAt: row?.updated_at ?? null,
      placeholders: [...TEMPLATE_PLACEHOLDERS],
    };
  });
}

export async function updateTemplate(deps: AppDeps, viewer: Viewer, key: TemplateKey, body: UpdateTemplateBody): Promise<NotificationTemplate> {
  if (CHANNEL_OF[key] === 'email' && !body.subject) throw new AppError('VALIDATION_FAILED', '이메일 제목을 입력하세요.', { fields: ['subject'] });
  await saveTemplateRow(deps.db, {
    key,
    subject: CHANNEL_OF[key] === 'email' ? body.subject : null,
    body: body.body,
    updated_at: deps.clock.now().toISOString(),
    updated_by: viewer.id,
  });
  return (await listTemplates(deps)).find((t) => t.key === key)!;
}

export async function listOutbox(deps: AppDeps, query: OutboxListQuery): Promise<OutboxMessage[]> {
  return (await listMessages(deps.db, query)).map(toMessage);
}

/** 재발송: the admin sends a failed (or waiting) message again now, with a fresh set of attempts. */
export async function retryOutboxMessage(deps: AppDeps, id: string): Promise<OutboxMessage> {
  if (!(await requeueMessage(deps.db, id, deps.clock.now().toISOString()))) {
    const m = await findListedMessage(deps.db, id);
    if (!m) throw new AppError('NOT_FOUND', '메시지를 찾을 수 없습니다.');
    throw new AppError('CONFLICT', '이미 발송된 메시지입니다.');
  }
  return toMessage((await findListedMessage(deps.db, id))!);
}

/** The number to call back (E.164): the one the citizen gave for a callback or SMS, else the number of the call. */
export function callbackNumberOf(vault: Vault, r: CallbackTaskRow): string | null {
  const sealed = r.preference_channel === 'callback' || r.preference_channel === 'sms' ? (r.address_sealed ?? r.caller_number_sealed) : r.caller_number_sealed;
  return sealed ? vault.open(sealed) : null;
}

/** A task as the viewer sees it (the number masked for the role). */
export function toTask(viewer: Viewer, vault: Vault, r: CallbackTaskRow): CallbackTask {
  const number = callbackNumberOf(vault, r);
  const phone = number ? formatPhone(number) : null;
  return {
    id: r.id,
    caseId: r.case_id,
    caseNumber: r.case_number,
    handOffId: r.handoff_id,
    status: r.status,
    reason: r.reason,
    citizenId: r.citizen_id,
    phone: presentCitizenField(viewer.role, 'phone', phone),
    departmentName: r.department_name,
    categoryPath: r.category_path,
    answer: r.answer,
    createdAt: r.created_at,
    doneAt: r.done_at,
    attempts: r.attempts,
    maxAttempts: CALLBACK_MAX_ATTEMPTS,
    nextAttemptAt: r.status === 'open' ? r.next_attempt_at : null,
    inCall: r.status === 'open' && r.contact_id !== null,
  };
}

/**
 * The callback list (open tasks, oldest first, or those given up after the last attempt); it shows citizens' (masked)
 * numbers: one access record.
 */
export async function listCallbackTasks(deps: AppDeps, viewer: Viewer, status: 'open' | 'gave_up', limit: number): Promise<CallbackTask[]> {
  return deps.db.transaction().execute(async (trx) => {
    const rows = await listCallbackTasksByStatus(trx, status, limit);
    // The desk polls this list: an empty answer shows nobody's data and is not recorded.
    if (rows.length > 0) await appendAccessRecords(trx, [accessBy(viewer, deps.clock.now().toISOString(), 'view', rows.map((r) => r.citizen_id), 'callback-tasks:list', rows.length)]);
    return rows.map((r) => toTask(viewer, deps.vault, r));
  });
}

/** The agent called the citizen back and read the answer: the task is done and the hand-off closes (channel callback). */
export async function completeCallbackTask(deps: AppDeps, viewer: Viewer, id: string): Promise<CallbackTask> {
  const at = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const task = await findCallbackTask(trx, id);
    if (!task) throw new AppError('NOT_FOUND', '회신 전화 업무를 찾을 수 없습니다.');
    if (!(await finishCallbackTask(trx, id, 'done', at, viewer.id))) throw new AppError('CONFLICT', '이미 처리된 회신 전화입니다.');
    if (task.handoff_id) await recordCitizenTold(trx, deps, { handOffId: task.handoff_id, caseId: task.case_id }, 'callback', at, viewer.id, { callbackTaskId: id });
    await appendAccessRecords(trx, [accessBy(viewer, at, 'update', [task.citizen_id], `callback-task:${id}`, 1)]);
    return toTask(viewer, deps.vault, { ...task, status: 'done', done_at: at });
  });
}
