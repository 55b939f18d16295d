import { performance } from 'node:perf_hooks';
import type { LookupAdmin, LookupHealth, LookupOption, LookupResult, LookupRunBody, LookupSaveBody } from '../../../core/contracts/connectors';
import type { Role } from '../../../core/contracts/enums';
import {
  breakerAfterFailure,
  breakerAfterSuccess,
  breakerDecision,
  breakerView,
  buildLookupRequest,
  closedBreaker,
  DEFAULT_BREAKER,
  identifierRegExp,
  mapLookupAnswer,
  maskIdentifier,
  type BreakerPolicy,
  type BreakerState,
} from '../../../core/domain/connectors';
import { AppError } from '../../../core/errors';
import type { ClientCert } from '../../../core/contracts/case-system';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { accessBy, type Viewer } from '../privacy/access-context';
import { jsonRequest, keepAliveAgent, NoAnswerError } from '../../lib/json-http';
import { appendAccessRecords } from '../privacy/access-records.repository';
import { describeClientCert, openClientCert, sealClientCert } from './client-cert';
import {
  deleteLookupRow,
  findCallForLookup,
  findLookupIdByName,
  findLookupRow,
  insertLookupRow,
  listLookupRows,
  updateLookupRow,
  type LookupRow,
} from './connectors.repository';

/** The stored definition: everything of the save body but the secrets (sealed apart) and the enabled flag (a column). */
type Definition = Omit<LookupSaveBody, 'authSecret' | 'clientCert' | 'isEnabled'>;

/**
 * The circuit breakers of one app (per process: each node learns a system is down by itself, within N calls). Kept
 * by deps so that tests with their own app and fake clock start closed.
 */
const breakers = new WeakMap<AppDeps, Map<string, BreakerState>>();
const policies = new WeakMap<AppDeps, BreakerPolicy>();

/** Sets the breaker policy of an app (tests; the default is 3 failures in a row, 30 s cool-down). */
export function setBreakerPolicy(deps: AppDeps, policy: BreakerPolicy): void {
  policies.set(deps, policy);
}

function breakerOf(deps: AppDeps, id: string): BreakerState {
  let map = breakers.get(deps);
  if (!map) breakers.set(deps, (map = new Map()));
  return map.get(id) ?? closedBreaker();
}
function setBreaker(deps: AppDeps, id: string, s: BreakerState): void {
  breakerOf(deps, id);
  breakers.get(deps)!.set(id, s);
}
const policyOf = (deps: AppDeps) => policies.get(deps) ?? DEFAULT_BREAKER;

function healthOf(deps: AppDeps, id: string): LookupHealth {
  const s = breakerOf(deps, id);
  const view = breakerView(s, deps.clock.now().getTime(), policyOf(deps));
  return {
    state: view.state,
    consecutiveFailures: s.consecutiveFailures,
    lastError: s.lastError,
    retryAt: view.retryAtMs === null ? null : new Date(view.retryAtMs).toISOString(),
  };
}

const definitionOf = (row: LookupRow): Definition => JSON.parse(row.definition) as Definition;

function toAdmin(deps: AppDeps, row: LookupRow): LookupAdmin {
  const d = definitionOf(row);
  return {
    ...d,
    id: row.id,
    isEnabled: row.is_enabled === 1,
    hasSecret: row.auth_secret_sealed !== null,
    hasClientCert: row.client_cert_sealed !== null,
    clientCert: describeClientCert(deps.vault, row.client_cert_sealed),
    health: healthOf(deps, row.id),
    updatedAt: row.updated_at,
  };
}

function definitionFrom(body: LookupSaveBody): Definition {
  const { authSecret: _secret, clientCert: _cert, isEnabled: _enabled, ...d } = body;
  return d;
}

export async function listLookupsForAdmin(deps: AppDeps): Promise<LookupAdmin[]> {
  return (await listLookupRows(deps.db)).map((r) => toAdmin(deps, r));
}

async function refuseTakenName(deps: AppDeps, name: string, exceptId: string | null): Promise<void> {
  const other = await findLookupIdByName(deps.db, name);
  if (other && other !== exceptId)
    throw new AppError('CONFLICT', `'${name}' 조회가 이미 있습니다.`, {
      field: 'name',
    });
}

/** A client certificate is presented only over TLS: with an http:// address it would silently not be used. */
function refuseCertWithoutTls(body: LookupSaveBody): void {
  if (body.clientCert && !/^https:\/\//i.test(body.urlTemplate))
    throw new AppError('VALIDATION_FAILED', '클라이언트 인증서는 https:// 주소에서만 사용할 수 있습니다.', { field: 'clientCert' });
}

/** Saves a new look-up; the secret and client certificate are sealed (never stored or returned in clear). */
export async function createLookup(deps: AppDeps, viewer: Viewer | null, body: LookupSaveBody): Promise<LookupAdmin> {
  refuseCertWithoutTls(body);
  await refuseTakenName(deps, body.name, null);
  const at = deps.clock.now().toISOString();
  const row: LookupRow = {
    id: newId(deps.clock.now().getTime()),
    name: body.name,
    definition: JSON.stringify(definitionFrom(body)),
    auth_secret_sealed: body.authKind !== 'none' && body.authSecret ? deps.vault.seal(body.authSecret) : null,
    client_cert_sealed: sealClientCert(deps.vault, body.clientCert, null),
    is_enabled: body.isEnabled ? 1 : 0,
    created_at: at,
    updated_at: at,
    updated_by: viewer?.id ?? null,
  };
  await insertLookupRow(deps.db, row);
  return toAdmin(deps, row);
}

/** Changes a look-up: a null secret keeps the stored one, '' (or no authentication) removes it. The breaker restarts. */
export async function updateLookup(deps: AppDeps, viewer: Viewer, id: string, body: LookupSaveBody): Promise<LookupAdmin> {
  const row = await findLookupRow(deps.db, id);
  if (!row) throw new AppError('NOT_FOUND', '조회 설정을 찾을 수 없습니다.');
  refuseCertWithoutTls(body);
  await refuseTakenName(deps, body.name, id);
  const secret =
    body.authKind === 'none' || body.authSecret === '' ? null : body.authSecret === null ? row.auth_secret_sealed : deps.vault.seal(body.authSecret);
  const next = {
    name: body.name,
    definition: JSON.stringify(definitionFrom(body)),
    auth_secret_sealed: secret,
    client_cert_sealed: sealClientCert(deps.vault, body.clientCert, row.client_cert_sealed),
    is_enabled: body.isEnabled ? 1 : 0,
    updated_at: deps.clock.now().toISOString(),
    updated_by: viewer.id,
  };
  await updateLookupRow(deps.db, id, next);
  setBreaker(deps, id, closedBreaker());
  return toAdmin(deps, { ...row, ...next });
}

export async function deleteLookup(deps: AppDeps, id: string): Promise<void> {
  if ((await deleteLookupRow(deps.db, id)) === 0) throw new AppError('NOT_FOUND', '조회 설정을 찾을 수 없습니다.');
}

/** The look-ups a role may run on the desk (enabled ones), with their health so a down system shows before a try. */
export async function listLookupsForDesk(deps: AppDeps, role: Role): Promise<LookupOption[]> {
  return (await listLookupRows(deps.db))
    .filter((r) => r.is_enabled === 1 && definitionOf(r).roles.includes(role))
    .map((r) => {
      const d = definitionOf(r);
      return {
        id: r.id,
        name: d.name,
        identifierLabel: d.identifierLabel,
        identifierPattern: d.identifierPattern,
        identifierExample: d.identifierExample,
        health: healthOf(deps, r.id),
      };
    });
}

type Failure = {
  reason: 'timeout' | 'unreachable' | 'http_status' | 'malformed' | 'mapping' | 'secret';
  message: string;
  log: string;
};

/** Calls the department's system once; a failure is described without the secret or the identifier. */
async function callSystem(deps: AppDeps, row: LookupRow, d: Definition, identifier: string): Promise<{ answer: unknown } | Failure> {
  const { url, body } = buildLookupRequest(d, identifier);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== null) headers['content-type'] = 'application/json';
  let secret = '';
  try {
    secret = row.auth_secret_sealed ? deps.vault.open(row.auth_secret_sealed) : '';
  } catch {
    // Sealed under a key the ring no longer has (or tampered with): the admin saves the secret again.
    return {
      reason: 'secret',
      message: `${d.name} 조회의 인증 정보를 열 수 없습니다. 관리자가 인증 정보를 다시 저장해야 합니다.`,
      log: 'secret cannot be opened',
    };
  }
  let tls: ClientCert | null = null;
  try {
    tls = openClientCert(deps.vault, row.client_cert_sealed);
  } catch {
    return {
      reason: 'secret',
      message: `${d.name} 조회의 클라이언트 인증서를 열 수 없습니다. 관리자가 인증서를 다시 저장해야 합니다.`,
      log: 'client certificate cannot be opened',
    };
  }
  if (d.authKind === 'api_key' && d.authName) headers[d.authName] = secret;
  if (d.authKind === 'basic' && d.authName) headers.authorization = `Basic ${Buffer.from(`${d.authName}:${secret}`).toString('base64')}`;
  let res: { ok: boolean; status: number };
  let text: string;
  try {
    // node:http, not fetch: with Node 20's fetch (undici) a look-up's request and response objects outlived it — in the
    // look-up bench's heap profile they were most of what each minor GC promoted to the old generation, and those
    // scavenges paused the process for 10–30 ms (the bench's p99). Mutual TLS needs node:https anyway. Connections are
    // kept alive unless a client certificate is presented.
    const agent = tls ? undefined : keepAliveAgent(url.startsWith('https:') ? 'https' : 'http');
    const answer = await jsonRequest({ url, method: d.method, headers, body, timeoutMs: d.timeoutMs, tls, ...(agent ? { agent } : {}) });
    res = { ok: answer.status >= 200 && answer.status < 300, status: answer.status };
    text = answer.text;
  } catch (e) {
    const timedOut = e instanceof NoAnswerError && e.reason === 'timeout';
    return timedOut
      ? {
          reason: 'timeout',
          message: `${d.name} 시스템이 ${d.timeoutMs / 1000}초 안에 응답하지 않았습니다.`,
          log: 'timeout',
        }
      : {
          reason: 'unreachable',
          message: `${d.name} 시스템에 연결할 수 없습니다. 잠시 후 다시 시도하거나 담당 부서에 문의하세요.`,
          log: 'unreachable',
        };
  }
  if (!res.ok)
    return {
      reason: 'http_status',
      message: `${d.name} 시스템이 오류로 응답했습니다 (HTTP ${res.status}).`,
      log: `HTTP ${res.status}`,
    };
  try {
    return { answer: JSON.parse(text) as unknown };
  } catch {
    return {
      reason: 'malformed',
      message: `${d.name} 시스템의 응답을 읽을 수 없습니다 (JSON 형식 오류).`,
      log: 'malformed JSON',
    };
  }
}

/**
 * 조회 (issue #16 §2): one look-up during the agent's own call, with the caller's consent. An identifier that fails
 * the look-up's format never leaves OneCall; a system marked down is refused at once (circuit breaker). The access
 * record (who, which caller, which system, the masked identifier, the reason) is committed before the identifier is
 * sent, so no look-up goes unrecorded. Nothing of the answer is stored.
 */
export async function runLookup(deps: AppDeps, viewer: Viewer, lookupId: string, body: LookupRunBody): Promise<LookupResult> {
  const started = performance.now();
  const row = await findLookupRow(deps.db, lookupId);
  const d = row ? definitionOf(row) : undefined;
  if (!row || !d || row.is_enabled !== 1 || !d.roles.includes(viewer.role)) throw new AppError('NOT_FOUND', '조회 설정을 찾을 수 없습니다.');
  if (!identifierRegExp(d.identifierPattern)?.test(body.identifier)) {
    throw new AppError('VALIDATION_FAILED', `${d.identifierLabel} 형식이 올바르지 않습니다.${d.identifierExample ? ` 예: ${d.identifierExample}` : ''}`, {
      field: 'identifier',
    });
  }
  const policy = policyOf(deps);
  const nowMs = deps.clock.now().getTime();
  const breaker = breakerOf(deps, row.id);
  const decision = breakerDecision(breaker, nowMs, policy);
  if (decision === 'refuse') {
    const retryAt = new Date((breaker.openedAtMs ?? nowMs) + policy.coolDownMs).toISOString();
    throw new AppError('LOOKUP_UNAVAILABLE', `${d.name} 시스템이 응답하지 않아 조회를 잠시 멈췄습니다. 잠시 후 자동으로 다시 시도합니다.`, {
      reason: 'down',
      retryAt,
    });
  }
  const masked = maskIdentifier(body.identifier);
  await deps.db.transaction().execute(async (trx) => {
    const call = await findCallForLookup(trx, body.interactionId);
    if (!call || (viewer.role === 'agent' && call.agent_id !== viewer.id)) throw new AppError('NOT_FOUND', '상담 중인 통화를 찾을 수 없습니다.');
    const reason = `민원인 동의 후 조회${body.reason ? `: ${body.reason}` : ''}`;
    await appendAccessRecords(trx, [
      accessBy(viewer, deps.clock.now().toISOString(), 'view', [call.citizen_id], `lookup:${d.name}:${d.identifierLabel} ${masked}`, 1, { reason }),
    ]);
  });
  if (decision === 'trial') setBreaker(deps, row.id, { ...breaker, trialInFlight: true });
  const answered = await callSystem(deps, row, d, body.identifier);
  const mapped = 'answer' in answered ? mapLookupAnswer(d, answered.answer) : undefined;
  const failure: Failure | undefined =
    'reason' in answered
      ? answered
      : mapped && 'error' in mapped
        ? {
            reason: 'mapping',
            message: `${d.name} 응답을 표시할 수 없습니다: ${mapped.error}`,
            log: 'mapping',
          }
        : undefined;
  const afterMs = deps.clock.now().getTime();
  if (failure) {
    setBreaker(deps, row.id, breakerAfterFailure(breakerOf(deps, row.id), afterMs, policy, failure.log));
    throw new AppError('LOOKUP_UNAVAILABLE', failure.message, {
      reason: failure.reason,
    });
  }
  setBreaker(deps, row.id, breakerAfterSuccess());
  const result = mapped as { found: boolean; rows: LookupResult['rows'] };
  return {
    lookupId: row.id,
    name: d.name,
    identifierMasked: masked,
    found: result.found,
    rows: result.rows,
    tookMs: Math.round(performance.now() - started),
  };
}
