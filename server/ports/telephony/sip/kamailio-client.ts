import { jsonRequest, keepAliveAgent } from '../../../lib/json-http';

/**
 * What resumes a call waiting suspended in Kamailio: ring an agent, end the wait with a final reply, or (early) send the
 * caller 183 Session Progress with rtpengine's SDP and go on waiting.
 */
export type ResumeCommand =
  | { callId: string; action: 'ring'; aor: string; timeoutMs: number }
  | { callId: string; action: 'reply'; code: number; reason: string }
  | { callId: string; action: 'early'; sdp: string };

/**
 * OneCall → Kamailio over its loopback xhttp socket (deploy/telephony/kamailio.cfg): jsonrpcs at /RPC (dlg.list,
 * ul.dump …) and OneCall's own commands at /onecall/resume (ring an agent / end a queued caller's wait) and
 * /onecall/dialog (hang up, REFER). Every request carries the shared secret; Kamailio refuses anything else.
 */
export class KamailioClient {
  private rpcId = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 2_000,
  ) {}

  /**
   * node:http on a keep-alive agent, not fetch: fetch's (undici) objects outlive each request and make every minor GC
   * promote them (10–30 ms pauses measured on the look-ups, issue #16), and a ring is a command per offer.
   */
  private async post(path: string, body: unknown): Promise<{ status: number; text: string }> {
    return jsonRequest({
      url: `${this.baseUrl}${path}`,
      method: 'POST',
      headers: { 'x-onecall-sip-secret': this.secret },
      body: JSON.stringify(body),
      timeoutMs: this.timeoutMs,
      agent: keepAliveAgent('http'),
    });
  }

  async rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const { status, text } = await this.post('/RPC', { jsonrpc: '2.0', method, params, id: ++this.rpcId });
    if (status !== 200) throw new Error(`kamailio rpc ${method}: HTTP ${status}`);
    const answer = JSON.parse(text) as { result?: T; error?: { code: number; message: string } };
    if (answer.error) throw new Error(`kamailio rpc ${method}: ${answer.error.code} ${answer.error.message}`);
    return answer.result as T;
  }

  /**
   * Set while OneCall's evapi connection to Kamailio is up (server/modules/telephony-sip/kamailio-evapi.ts): resumes go
   * on it instead of one HTTP request each.
   */
  resumeChannel: ((command: ResumeCommand) => Promise<number> | null) | null = null;

  /** Resumes a suspended INVITE. 409: not suspended (yet, or ringing); 410: the transaction is gone. */
  async resume(command: ResumeCommand): Promise<number> {
    const sent = this.resumeChannel?.(command);
    if (sent) return sent;
    return (await this.post('/onecall/resume', command)).status;
  }

  async dialog(command: { callId: string; fromTag: string; toTag: string; action: 'hangup' } | { callId: string; fromTag: string; toTag: string; action: 'refer'; target: string }): Promise<number> {
    return (await this.post('/onecall/dialog', command)).status;
  }

  /** Call-IDs of Kamailio's dialogs (early and confirmed). */
  async dialogCallIds(): Promise<Set<string>> {
    const list = await this.rpc<Array<Record<string, unknown>> | null>('dlg.list');
    const id = (d: Record<string, unknown>): string => String(d['call-id'] ?? d['call_id'] ?? d['callid'] ?? '');
    return new Set((list ?? []).map(id).filter((s) => s.length > 0));
  }

  /** The keys of one of Kamailio's hash tables (htable.dump). */
  async htableKeys(table: string): Promise<string[]> {
    const dump = await this.rpc<unknown>('htable.dump', [table]);
    const keys: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o['name'] === 'string' && 'value' in o) keys.push(o['name']);
        else Object.values(o).forEach(walk);
      }
    };
    walk(dump);
    return keys;
  }

  /** AORs (user@domain) with at least one live contact in usrloc (every "AoR" field of ul.dump, whatever its nesting). */
  async registeredAors(): Promise<Set<string>> {
    const dump = await this.rpc<unknown>('ul.dump');
    const out = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
          if (k === 'AoR' && typeof x === 'string') out.add(x);
          else walk(x);
        }
      }
    };
    walk(dump);
    return out;
  }
}
