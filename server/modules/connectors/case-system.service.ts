import type {
  CaseMessage,
  CasePreview,
  CaseSettings,
  CaseSettingsBody,
  CaseStatus,
  InboundCaseEventBody,
  InboundResult,
} from '../../../core/contracts/case-system';
import { InboundCaseEventSchema } from '../../../core/contracts/case-system';
import {
  applyCaseMapping,
  CASE_SOURCE_FIELDS,
  checkCaseMapping,
  DEFAULT_CASE_MAPPING,
  inboundActions,
  SAMPLE_CASE_SOURCE,
  type CaseMapping,
  type CaseSource,
  type CaseSystemEvent,
} from '../../../core/domain/case-system';
import type { HandOffAction } from '../../../core/domain/handoff-lifecycle';
import { HANDOFF_TRANSITIONS } from '../../../core/domain/handoff-lifecycle';
import { maskFreeText } from '../../../core/domain/name-detection';
import { formatPhone } from '../../../core/domain/phone';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { HandOffUpdate } from '../../db/tables';
import type { AppDeps } from '../../deps';
import type { Vault } from '../../lib/vault';
import { DeliveryError, type Delivered } from '../../ports/delivery';
import type { CaseSystemPort } from '../../ports/case-system/case-system.port';
import { HttpCaseSystem } from '../../ports/case-system/http.adapter';
import type { ClientTls } from '../../lib/json-http';
import { verifyWebhook } from '../../ports/telephony/webhook.adapter';
import { closeCase, findCaseStatus } from '../cases/cases.repository';
import { cityPhoneKeys } from '../directory/city-phones';
import { appendEvents, type ContactEventInput } from '../events/events.repository';
import { findHandOff, findInboxItem, updateHandOffFrom } from '../handoffs/handoffs.repository';
import { queueAnswerNotice } from '../notifications/notifications.service';
import type { OutboxRow } from '../notifications/outbox.repository';
import { requeueMessage } from '../notifications/outbox.repository';
import type { Viewer } from '../privacy/access-context';
import {
  countCaseMessages,
  findLink,
  findLinkByCaseNo,
  findSettings,
  insertLink,
  isCaseMessage,
  lastSentAt,
  listCaseMessages,
  recordInbound,
  saveSettings,
  setPollCursor,
  skipFailedMessage,
  SETTINGS_ID,
  type CaseMessageRow,
  type SettingsRow,
} from './case-system.repository';
import { eventOfKey, statusOfKey } from './case-system.queue';
import { describeClientCert, sealClientCert } from './client-cert';

/** Where the external system posts its signed reports. */
export const CASE_WEBHOOK_PATH = '/api/connectors/case-system/webhook';

// ---- settings ---------------------------------------------------------------------------------------------------

function refuseMapping(mapping: unknown): CaseMapping {
  const problems = checkCaseMapping(mapping);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new AppError('CASE_MAPPING_INVALID', `연계 항목 매핑을 저장할 수 없습니다: ${first.target ? `${first.target}: ` : ''}${first.message}`, { problems });
  }
  return mapping as CaseMapping;
}

function toSettings(vault: Vault, row: SettingsRow | undefined): CaseSettings {
  return {
    configured: !!row,
    isEnabled: row?.is_enabled === 1,
    baseUrl: row?.base_url ?? '',
    inboundMode: row?.inbound_mode ?? 'webhook',
    mapping: row ? (JSON.parse(row.mapping) as Record<string, unknown>) : DEFAULT_CASE_MAPPING,
    authKind: row?.auth_kind ?? 'none',
    authName: row?.auth_name ?? null,
    hasSecret: !!row?.auth_secret_sealed,
    hasWebhookSecret: !!row?.webhook_secret_sealed,
    hasClientCert: !!row?.client_cert_sealed,
    clientCert: describeClientCert(vault, row?.client_cert_sealed ?? null),
    timeoutMs: row?.timeout_ms ?? 5000,
    webhookPath: CASE_WEBHOOK_PATH,
    sourceFields: [...CASE_SOURCE_FIELDS],
    updatedAt: row ? String(row.updated_at) : null,
  };
}

export async function getCaseSettings(deps: Pick<AppDeps, 'db' | 'vault'>): Promise<CaseSettings> {
  return toSettings(deps.vault, await findSettings(deps.db));
}

/** null keeps the stored sealed value, '' removes it, anything else is sealed in its place. */
function keepOrSeal(vault: Vault, given: string | null, stored: string | null | undefined): string | null {
  if (given === null) return stored ?? null;
  return given === '' ? null : vault.seal(given);
}

/** Saves the link's settings: a misconfigured mapping is refused with the reason (422), secrets are sealed. */
export async function saveCaseSettings(deps: Pick<AppDeps, 'db' | 'vault' | 'clock'>, viewer: Viewer | null, body: CaseSettingsBody): Promise<CaseSettings> {
  const mapping = refuseMapping(body.mapping);
  if (body.authKind !== 'none' && !body.authName) throw new AppError('VALIDATION_FAILED', '인증 헤더 이름(API 키) 또는 사용자 이름(basic)을 입력하세요.', { field: 'authName' });
  const stored = await findSettings(deps.db);
  const clientCertSealed = sealClientCert(deps.vault, body.clientCert, stored?.client_cert_sealed);
  const row: SettingsRow = {
    id: SETTINGS_ID,
    is_enabled: body.isEnabled ? 1 : 0,
    base_url: body.baseUrl,
    inbound_mode: body.inboundMode,
    mapping: JSON.stringify(mapping),
    auth_kind: body.authKind,
    auth_name: body.authKind === 'none' ? null : body.authName,
    auth_secret_sealed: body.authKind === 'none' ? null : keepOrSeal(deps.vault, body.authSecret, stored?.auth_secret_sealed),
    client_cert_sealed: clientCertSealed,
    webhook_secret_sealed: keepOrSeal(deps.vault, body.webhookSecret, stored?.webhook_secret_sealed),
    timeout_ms: body.timeoutMs,
    poll_cursor: stored?.poll_cursor ?? null,
    updated_at: deps.clock.now().toISOString(),
    updated_by: viewer?.id ?? null,
  };
  await saveSettings(deps.db, row);
  return toSettings(deps.vault, row);
}

/** The preview: the mapping applied to a fictional sample hand-off (nothing sent, nothing stored). */
export function previewCaseMapping(mapping: unknown): CasePreview {
  return { sample: SAMPLE_CASE_SOURCE, body: applyCaseMapping(refuseMapping(mapping), SAMPLE_CASE_SOURCE) };
}

// ---- delivery (the outbox's 'case_system' kind) -------------------------------------------------------------------

/** Opens a stored secret; one the key ring can no longer open is a clear, permanent failure the admin fixes. */
function openSecret(vault: Vault, sealed: string | null): string | null {
  try {
    return vault.openNullable(sealed);
  } catch {
    throw new DeliveryError('민원처리시스템 인증 정보를 열 수 없습니다. 관리자가 인증 정보를 다시 저장해야 합니다.', true);
  }
}

/** The port for the stored settings (secrets opened in memory only). */
export function caseSystemPortFor(vault: Vault, s: SettingsRow): CaseSystemPort {
  const headers: Record<string, string> = {};
  const secret = openSecret(vault, s.auth_secret_sealed) ?? '';
  if (s.auth_kind === 'api_key' && s.auth_name) headers[s.auth_name] = secret;
  if (s.auth_kind === 'basic' && s.auth_name) headers.authorization = `Basic ${Buffer.from(`${s.auth_name}:${secret}`).toString('base64')}`;
  const cert = openSecret(vault, s.client_cert_sealed);
  return new HttpCaseSystem({ baseUrl: s.base_url, timeoutMs: s.timeout_ms, headers, tls: cert ? (JSON.parse(cert) as ClientTls) : null });
}

/** What a mapping reads from a hand-off (the sealed number and name opened here, only for the registration). */
async function caseSourceOf(db: Db, vault: Vault, handOffId: string): Promise<CaseSource> {
  const r = await findInboxItem(db, vault, handOffId);
  if (!r) throw new DeliveryError('이관 건을 찾을 수 없습니다.', true);
  const text = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));
  return {
    caseNumber: r.case_number,
    handOffId: r.id,
    departmentName: r.department_name,
    categoryPath: r.category_path,
    complaintType: r.complaint_type,
    summary: r.summary,
    notes: r.notes,
    location: r.location,
    receivedAt: text(r.received_at),
    dueAt: text(r.due_at),
    citizenName: r.citizen_name,
    callerNumber: r.citizen_phone ? formatPhone(r.citizen_phone) : null,
    agentName: r.agent_name,
  };
}

/**
 * Delivers one 'case_system' outbox message (called by the outbox worker, which retries with backoff and keeps each
 * hand-off's messages in order). The registration's body is mapped now, from the hand-off as it is, so a mapping
 * the admin fixed applies to a message being retried. The external case number is kept before the outbox records
 * the delivery; a repeat (same idempotency key) gets the same number back and changes nothing.
 */
export async function deliverCaseMessage(deps: { db: Db; vault: Vault }, m: OutboxRow): Promise<Delivered> {
  const settings = await findSettings(deps.db);
  if (!settings || settings.is_enabled !== 1) throw new DeliveryError('민원처리시스템 연계가 꺼져 있습니다.', false);
  if (!m.handoff_id) throw new DeliveryError('이관 건이 없는 메시지입니다.', true);
  const port = caseSystemPortFor(deps.vault, settings);
  const e = JSON.parse(deps.vault.open(m.payload_sealed)) as CaseSystemEvent;
  const link = await findLink(deps.db, m.handoff_id);
  if (e.event === 'created') {
    if (link) return { providerId: link.external_case_no };
    const body = applyCaseMapping(JSON.parse(settings.mapping) as CaseMapping, await caseSourceOf(deps.db, deps.vault, m.handoff_id));
    const { caseNo } = await port.register(m.idempotency_key, body);
    await insertLink(deps.db, m.handoff_id, caseNo, new Date().toISOString());
    return { providerId: caseNo };
  }
  if (!link) throw new DeliveryError('민원처리시스템에 아직 등록되지 않은 이관 건입니다.', false);
  if (e.event === 'answered') await port.answer(m.idempotency_key, link.external_case_no, { text: e.answer, at: e.at });
  else await port.updateStatus(m.idempotency_key, link.external_case_no, { status: e.status, at: e.at });
  return { providerId: link.external_case_no };
}

// ---- inbound: webhook and polling ---------------------------------------------------------------------------------

const EVENT_OF: Record<'acknowledge' | 'start' | 'answer', ContactEventInput['type']> = {
  acknowledge: 'handoff_acknowledged',
  start: 'handoff_started',
  answer: 'handoff_answered',
};

/**
 * Applies one report of the case system as if the department's official had acted in OneCall: the same lifecycle
 * (an answer to a hand-off nobody took is taken first), the answer masked like an official's, the case closed and
 * the citizen's answer notice queued. Every event records the source ('case_system') and the external case number;
 * no message goes back to the case system for its own report. A report seen before (by its id) changes nothing.
 */
export async function applyInboundEvent(deps: AppDeps, e: InboundCaseEventBody, via: 'webhook' | 'poll'): Promise<InboundResult> {
  const at = deps.clock.now().toISOString();
  const keepPhones = e.kind === 'answer' ? await cityPhoneKeys(deps) : undefined;
  return deps.db.transaction().execute(async (trx) => {
    const link = await findLinkByCaseNo(trx, e.caseNo);
    const h = link ? await findHandOff(trx, link.handoff_id) : undefined;
    const actions = h ? inboundActions(h.status, e) : null;
    const outcome: InboundResult['outcome'] = !h ? 'unknown_case' : actions === null ? 'not_applicable' : actions.length === 0 ? 'already' : 'applied';
    if (!(await recordInbound(trx, { event_id: e.eventId, handoff_id: h?.id ?? null, kind: e.kind, via, outcome, received_at: at }))) return { outcome: 'duplicate' };
    if (!h || !actions || actions.length === 0) return { outcome };
    const source = { source: 'case_system', caseNo: e.caseNo, eventId: e.eventId, official: e.official ?? null };
    let status = h.status;
    const events: ContactEventInput[] = [];
    let answer: string | null = null;
    for (const action of actions as ('acknowledge' | 'start' | 'answer')[]) {
      const next = HANDOFF_TRANSITIONS[action as HandOffAction].to;
      let set: HandOffUpdate = { status: next, updated_at: at };
      if (action === 'acknowledge') set = { ...set, acknowledged_at: at };
      if (action === 'answer' && e.kind === 'answer') {
        const callerName = (await findInboxItem(trx, deps.vault, h.id))?.citizen_name ?? null;
        answer = maskFreeText(e.text, [callerName], { keepPhones }).text.slice(0, 4000);
        set = { ...set, answer, answered_at: at };
      }
      if (!(await updateHandOffFrom(trx, h.id, status, set))) throw new AppError('CONFLICT', '다른 사용자가 먼저 처리했습니다.');
      events.push({ type: EVENT_OF[action], at, caseId: h.case_id, handOffId: h.id, actorId: null, detail: action === 'answer' ? answer : null, data: source });
      status = next;
    }
    if (answer !== null) {
      const theCase = await findCaseStatus(trx, h.case_id);
      if (theCase?.status === 'open') {
        await closeCase(trx, h.case_id, at);
        events.push({ type: 'case_closed', at, caseId: h.case_id, actorId: null, data: source });
      }
    }
    await appendEvents(trx, events);
    if (answer !== null) await queueAnswerNotice(trx, deps, { handOffId: h.id, caseId: h.case_id, at, actorId: null });
    return { outcome };
  });
}

/** Refused webhook deliveries all look the same to the sender (401, no detail). */
const refused = () => new AppError('WEBHOOK_SIGNATURE_INVALID', '인증되지 않은 요청입니다.');

/**
 * POST /api/connectors/case-system/webhook: HMAC-SHA256 over "<timestamp>.<raw body>" with the webhook secret
 * (X-OneCall-Timestamp, X-OneCall-Signature: v1=<hex>), 5-minute window, constant-time compare; then the body is read.
 */
export async function receiveCaseWebhook(deps: AppDeps, d: { raw: string; timestamp: string | undefined; signature: string | undefined }): Promise<InboundResult> {
  const settings = await findSettings(deps.db);
  let secret: string | null = null;
  try {
    secret = settings?.is_enabled === 1 && settings.inbound_mode === 'webhook' ? deps.vault.openNullable(settings.webhook_secret_sealed) : null;
  } catch {
    secret = null;
  }
  if (!secret) throw refused();
  try {
    verifyWebhook(secret, d.timestamp, d.signature, d.raw, deps.clock.now().getTime());
  } catch {
    throw refused();
  }
  let json: unknown;
  try {
    json = JSON.parse(d.raw);
  } catch {
    throw new AppError('VALIDATION_FAILED', '본문이 올바른 JSON이 아닙니다.');
  }
  const parsed = InboundCaseEventSchema.safeParse(json);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', '알 수 없는 보고 형식입니다 (eventId, caseNo, kind, status 또는 text).');
  return applyInboundEvent(deps, parsed.data, 'webhook');
}

/** Polling mode (systems that cannot call out): asks for the reports after the kept cursor and applies each. */
export async function pollCaseSystem(deps: AppDeps, port?: CaseSystemPort): Promise<{ applied: number; seen: number } | null> {
  const settings = await findSettings(deps.db);
  if (!settings || settings.is_enabled !== 1 || settings.inbound_mode !== 'poll') return null;
  const { events, cursor } = await (port ?? caseSystemPortFor(deps.vault, settings)).poll(settings.poll_cursor);
  let applied = 0;
  for (const raw of events) {
    const parsed = InboundCaseEventSchema.safeParse(raw);
    if (parsed.success && (await applyInboundEvent(deps, parsed.data, 'poll')).outcome === 'applied') applied++;
  }
  await setPollCursor(deps.db, cursor);
  return { applied, seen: events.length };
}

/** Polls every few seconds in the server process when the settings say so (a failure is logged, the next tick retries). */
export class CaseSystemPoller {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  constructor(
    private readonly deps: AppDeps,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await pollCaseSystem(this.deps);
    } catch (err) {
      this.onError(err);
    } finally {
      this.running = false;
    }
  }
  start(intervalMs = 5_000): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

// ---- the admin's view: health, queue, failed messages, history ----------------------------------------------------

const toMessage = (r: CaseMessageRow): CaseMessage => ({
  id: r.id,
  handOffId: r.handoff_id,
  caseNumber: r.case_number,
  externalCaseNo: r.external_case_no,
  event: eventOfKey(r.idempotency_key),
  handOffStatus: statusOfKey(r.idempotency_key),
  status: r.status,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  nextAttemptAt: r.next_attempt_at ? String(r.next_attempt_at) : null,
  lastError: r.last_error,
  createdAt: String(r.created_at),
  updatedAt: String(r.updated_at),
  sentAt: r.sent_at ? String(r.sent_at) : null,
});

export async function caseSystemStatus(deps: Pick<AppDeps, 'db'>): Promise<CaseStatus> {
  const [settings, queue, failed, waiting, history, sentAt] = await Promise.all([
    findSettings(deps.db),
    countCaseMessages(deps.db),
    listCaseMessages(deps.db, { statuses: ['failed'], limit: 50 }),
    listCaseMessages(deps.db, { statuses: ['pending'], limit: 50 }),
    listCaseMessages(deps.db, { statuses: ['sent', 'skipped'], limit: 50 }),
    lastSentAt(deps.db),
  ]);
  const lastError = [...failed, ...waiting].find((m) => m.last_error)?.last_error ?? null;
  const state = settings?.is_enabled !== 1 ? 'off' : queue.failed > 0 ? 'failing' : queue.retrying > 0 ? 'retrying' : 'ok';
  return { health: { state, lastSentAt: sentAt, lastError }, queue, failed: failed.map(toMessage), waiting: waiting.map(toMessage), history: history.map(toMessage) };
}

/** 다시 보내기: a failed (or waiting) message of the link is due now with a fresh set of attempts. */
export async function retryCaseMessage(deps: Pick<AppDeps, 'db' | 'clock'>, id: string): Promise<void> {
  if (!(await isCaseMessage(deps.db, id))) throw new AppError('NOT_FOUND', '연계 메시지를 찾을 수 없습니다.');
  if (!(await requeueMessage(deps.db, id, deps.clock.now().toISOString()))) throw new AppError('CONFLICT', '이미 전송되었거나 건너뛴 메시지입니다.');
}

/** 건너뛰기: the admin lets a failed message go; the hand-off's next messages may then be sent. */
export async function skipCaseMessage(deps: Pick<AppDeps, 'db' | 'clock'>, id: string): Promise<void> {
  if (!(await isCaseMessage(deps.db, id))) throw new AppError('NOT_FOUND', '연계 메시지를 찾을 수 없습니다.');
  if (!(await skipFailedMessage(deps.db, id, deps.clock.now().toISOString()))) throw new AppError('CONFLICT', '실패한 메시지만 건너뛸 수 있습니다.');
}
