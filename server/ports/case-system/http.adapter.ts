import { DeliveryError } from '../delivery';
import type { CaseSystemEndpoint, CaseSystemPort } from './case-system.port';
import { jsonRequest, NoAnswerError, type JsonAnswer } from '../../lib/json-http';

/**
 * The HTTP/JSON case-system protocol (docs/CONNECTORS.md), relative to the settings' base URL:
 *   POST {base}/cases                   mapped hand-off            → 2xx { "caseNo": "…" }
 *   POST {base}/cases/{caseNo}/status   { status, at }             → 2xx
 *   POST {base}/cases/{caseNo}/answer   { text, at }               → 2xx
 *   GET  {base}/events?after={cursor}   (polling)                  → { events: [...], cursor }
 * Every POST carries `Idempotency-Key`. 5xx, 408, 429, a timeout, a lost connection or an unreadable answer are
 * retried; any other 4xx is a permanent refusal (the admin sees it, fixes the mapping, retries or skips).
 */
export class HttpCaseSystem implements CaseSystemPort {
  constructor(private readonly endpoint: CaseSystemEndpoint) {}

  async register(idempotencyKey: string, body: Record<string, unknown>): Promise<{ caseNo: string }> {
    const answer = await this.post('/cases', idempotencyKey, body);
    const caseNo = readJson(answer.text, '등록') as { caseNo?: unknown } | null;
    if (!caseNo || typeof caseNo.caseNo !== 'string' || caseNo.caseNo === '' || caseNo.caseNo.length > 100) {
      throw new DeliveryError('민원처리시스템의 등록 응답에 사건번호(caseNo)가 없습니다.', false);
    }
    return { caseNo: caseNo.caseNo };
  }

  async updateStatus(idempotencyKey: string, caseNo: string, change: { status: string; at: string }): Promise<void> {
    await this.post(`/cases/${encodeURIComponent(caseNo)}/status`, idempotencyKey, change);
  }

  async answer(idempotencyKey: string, caseNo: string, answer: { text: string; at: string }): Promise<void> {
    await this.post(`/cases/${encodeURIComponent(caseNo)}/answer`, idempotencyKey, answer);
  }

  async poll(cursor: string | null): Promise<{ events: unknown[]; cursor: string | null }> {
    const q = cursor === null ? '' : `?after=${encodeURIComponent(cursor)}`;
    const answer = await this.call('GET', `/events${q}`, null, {});
    const json = readJson(answer.text, '조회') as { events?: unknown; cursor?: unknown } | null;
    if (!json || !Array.isArray(json.events)) throw new DeliveryError('민원처리시스템의 조회 응답 형식이 올바르지 않습니다.', false);
    return { events: json.events as unknown[], cursor: typeof json.cursor === 'string' ? json.cursor : cursor };
  }

  private post(path: string, idempotencyKey: string, body: unknown): Promise<JsonAnswer> {
    return this.call('POST', path, JSON.stringify(body), { 'idempotency-key': idempotencyKey });
  }

  private async call(method: 'GET' | 'POST', path: string, body: string | null, headers: Record<string, string>): Promise<JsonAnswer> {
    let answer: JsonAnswer;
    try {
      answer = await jsonRequest({
        url: `${this.endpoint.baseUrl.replace(/\/$/, '')}${path}`,
        method,
        headers: { ...this.endpoint.headers, ...headers },
        body,
        timeoutMs: this.endpoint.timeoutMs,
        tls: this.endpoint.tls,
      });
    } catch (e) {
      if (e instanceof NoAnswerError && e.reason === 'timeout') throw new DeliveryError(`민원처리시스템이 ${this.endpoint.timeoutMs / 1000}초 안에 응답하지 않았습니다.`, false);
      throw new DeliveryError('민원처리시스템에 연결할 수 없습니다.', false);
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    const retry = answer.status >= 500 || answer.status === 408 || answer.status === 429;
    throw new DeliveryError(`민원처리시스템이 HTTP ${answer.status}로 응답했습니다${retry ? '' : ' (거부: 설정이나 매핑을 확인하세요)'}.`, !retry);
  }
}

function readJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DeliveryError(`민원처리시스템의 ${what} 응답을 읽을 수 없습니다 (JSON 형식 오류).`, false);
  }
}
