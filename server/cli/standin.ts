import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/**
 * 연계 시험용 대역 서버 (stand-in, issue #16 §3): NOT a real city system. A small HTTP server with fictional data of
 * the demo city 한빛시 that speaks OneCall's look-up protocol and the case-system protocol, for `npm start`'s demo
 * (`npm run standin`) and for the tests, which start it on port 0 and make it slow, fail (5xx) or answer broken JSON.
 *
 * Look-ups (JSON answers; `{ "notFound": true }` when there is no record):
 *   GET  /lookups/local-tax/:no      지방세 부과·납부 현황 by 납세번호 (NN-NNNNNN) or 차량번호 (12가3456); X-Api-Key required
 *   GET  /lookups/water/:customerNo  상하수도 요금 by 고객번호 (NNNN-NNNN); basic auth (hanbit / water-demo)
 *   GET  /lookups/parking-fine/:no   주정차 과태료 처분 현황 by 고지서번호 (NNNNNNNNNN)
 *   POST /lookups/passport           여권 교부 준비 by 접수번호, body { "receiptNo": "…" }
 * Case system (idempotent by the Idempotency-Key header; duplicates are counted, not applied twice):
 *   POST /case-system/cases                  register a hand-off → { caseNo }
 *   POST /case-system/cases/:caseNo/status   a status change of a registered case (OneCall → here)
 *   POST /case-system/cases/:caseNo/answer   the answer recorded in OneCall (OneCall → here)
 *   GET  /case-system/events?after=N         polling mode: the reports made here after cursor N → { events, cursor }
 *   POST /_standin/cases/:caseNo/answer      (demo/test control) the official answers in the case system; and
 *   POST /_standin/cases/:caseNo/status      { status: 'acknowledged' | 'in_progress' }: the stand-in reports it to
 *        OneCall's webhook, signed as docs/CONNECTORS.md says: X-OneCall-Timestamp (Unix seconds) and
 *        X-OneCall-Signature = v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>; and keeps it for polling
 *   GET  /_standin/state                     what was received (cases, duplicates, look-up count); GET /_standin: a
 *        page listing the cases (the demo's 사건 목록)
 */

export const STANDIN_API_KEY = 'hanbit-standin-key';
export const STANDIN_BASIC = { user: 'hanbit', password: 'water-demo' };
/** The demo's case-system webhook secret (the demo settings seal it; fictional). */
export const STANDIN_WEBHOOK_SECRET = 'hanbit-case-webhook-demo';

export type StandinFault = {
  mode: 'ok' | 'slow' | 'error' | 'malformed' | 'drop' | 'refuse';
  delayMs?: number;
};

type TaxItem = {
  taxItem: string;
  year: number;
  levied: number;
  paid: number;
  dueDate: string;
};
const LOCAL_TAX: Record<string, { payer: string; items: TaxItem[] }> = {
  '11-000123': {
    payer: '김*수',
    items: [
      {
        taxItem: '자동차세(1기)',
        year: 2026,
        levied: 145_600,
        paid: 145_600,
        dueDate: '2026-06-30',
      },
      {
        taxItem: '자동차세(2기)',
        year: 2026,
        levied: 145_600,
        paid: 0,
        dueDate: '2026-12-31',
      },
    ],
  },
  '12가3456': {
    payer: '이*영',
    items: [
      {
        taxItem: '자동차세(연납)',
        year: 2026,
        levied: 260_000,
        paid: 260_000,
        dueDate: '2026-01-31',
      },
    ],
  },
  '22-004567': {
    payer: '박*호',
    items: [
      {
        taxItem: '재산세(건축물)',
        year: 2026,
        levied: 318_400,
        paid: 318_400,
        dueDate: '2026-07-31',
      },
    ],
  },
};
const WATER: Record<string, object> = {
  '1234-5678': {
    customer: '한빛아파트 101동 ***호',
    month: '2026-11',
    usageM3: 18,
    amount: 27_450,
    paid: false,
    dueDate: '2026-12-25',
  },
  '2345-6789': {
    customer: '한빛로 12 상가 *층',
    month: '2026-11',
    usageM3: 64,
    amount: 118_900,
    paid: true,
    dueDate: '2026-12-25',
  },
};
const FINES: Record<string, object> = {
  '2026110001': {
    vehicle: '34나****',
    place: '한빛시청 앞 버스정류장',
    at: '2026-11-03T08:42:00+09:00',
    amount: 40_000,
    stage: '사전통지',
    objectionUntil: '2026-12-03',
  },
  '2026110002': {
    vehicle: '56다****',
    place: '한빛초등학교 어린이보호구역',
    at: '2026-11-12T14:05:00+09:00',
    amount: 120_000,
    stage: '부과',
    objectionUntil: '2026-12-12',
  },
};
const PASSPORTS: Record<string, object> = {
  'P2026-1101': {
    status: '교부 준비 완료',
    readySince: '2026-11-28',
    office: '한빛시청 민원실 여권 창구',
    bring: '신분증, 접수증',
  },
  'P2026-1102': {
    status: '제작 중',
    expectedOn: '2026-12-09',
    office: '한빛시청 민원실 여권 창구',
    bring: '신분증, 접수증',
  },
};

export type StandinCase = {
  caseNo: string;
  idempotencyKey: string;
  body: unknown;
  statuses: unknown[];
  answers: unknown[];
  /** The reports made here (an official's status or answer), sent to OneCall. */
  reports: unknown[];
  /** What was applied to the case, in arrival order: 'created', 'status:<status>', 'answer'. */
  applied: string[];
};

/** A report of the case system to OneCall (webhook body, or an element of a poll answer). */
export type StandinReport = { eventId: string; caseNo: string; kind: 'answer'; text: string; official: string } | { eventId: string; caseNo: string; kind: 'status'; status: string; official: string };

export type Standin = {
  url: string;
  port: number;
  /** What the next answers do (tests): ok, slow by delayMs, 503, broken JSON, or a dropped connection. */
  fault: StandinFault;
  cases: Map<string, StandinCase>;
  /** Deliveries whose Idempotency-Key had been seen already (answered as before, applied once). */
  duplicates: number;
  lookups: number;
  /** Sends an official's answer back to OneCall's webhook, signed; resolves with the webhook's status (0: no webhook). */
  answer: (caseNo: string, answer: { text: string; official?: string }) => Promise<number>;
  /** Reports a status ('acknowledged' | 'in_progress') the same way. */
  reportStatus: (caseNo: string, status: string, official?: string) => Promise<number>;
  /** Every report, in order (polling serves them by index). */
  reports: StandinReport[];
  close: () => Promise<void>;
};

export type StandinOptions = {
  port?: number;
  host?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  /** The stand-in's clock for the webhook's timestamp (tests pass OneCall's fake clock). */
  nowMs?: () => number;
};

/** Signs a webhook body the way the case-system protocol does (the same scheme as the telephony webhook). */
export function signCaseWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 64_000) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  let nextCase = 1;
  const byKey = new Map<string, { status: number; body: string }>();
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
    });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, { error: 'stand-in failure' }));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    const path = url.pathname;
    const raw = await readBody(req);
    if (path === '/_standin/state')
      return send(res, 200, {
        cases: [...standin.cases.values()],
        duplicates: standin.duplicates,
        lookups: standin.lookups,
      });
    if (path === '/_standin' || path === '/_standin/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(casesPage([...standin.cases.values()]));
    }
    const fault = standin.fault;
    if (fault.mode === 'slow' || fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
    if (fault.mode === 'drop') return void req.socket.destroy();
    if (fault.mode === 'error') return send(res, 503, { error: '점검 중입니다 (stand-in)' });
    // A refusal (422): OneCall fails the message at once and shows it to the admin (no retry by itself).
    if (fault.mode === 'refuse') return send(res, 422, { error: '요청을 처리할 수 없습니다 (stand-in)' });
    if (fault.mode === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"found": tru');
    }

    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (seg[0] === 'lookups') {
      standin.lookups++;
      if (seg[1] === 'local-tax' && req.method === 'GET' && seg[2]) {
        if (req.headers['x-api-key'] !== STANDIN_API_KEY) return send(res, 401, { error: 'invalid api key' });
        const found = LOCAL_TAX[seg[2]];
        return send(
          res,
          200,
          found
            ? {
                data: {
                  payer: found.payer,
                  items: found.items.map((i) => ({
                    ...i,
                    unpaid: i.levied - i.paid,
                  })),
                },
              }
            : { notFound: true },
        );
      }
      if (seg[1] === 'water' && req.method === 'GET' && seg[2]) {
        const expected = `Basic ${Buffer.from(`${STANDIN_BASIC.user}:${STANDIN_BASIC.password}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return send(res, 401, { error: 'unauthorised' });
        const found = WATER[seg[2]];
        return send(res, 200, found ? { bill: found } : { notFound: true });
      }
      if (seg[1] === 'parking-fine' && req.method === 'GET' && seg[2]) {
        const found = FINES[seg[2]];
        return send(res, 200, found ? { fine: found } : { notFound: true });
      }
      if (seg[1] === 'passport' && req.method === 'POST') {
        let body: { receiptNo?: unknown };
        try {
          body = JSON.parse(raw) as { receiptNo?: unknown };
        } catch {
          return send(res, 400, { error: 'bad json' });
        }
        const found = typeof body.receiptNo === 'string' ? PASSPORTS[body.receiptNo] : undefined;
        return send(res, 200, found ? { passport: found } : { notFound: true });
      }
      return send(res, 404, { error: 'no such look-up' });
    }

    if (seg[0] === 'case-system' && seg[1] === 'cases' && req.method === 'POST') {
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || key === '') return send(res, 400, { error: 'Idempotency-Key required' });
      const seen = byKey.get(key);
      if (seen) {
        standin.duplicates++;
        res.writeHead(seen.status, { 'content-type': 'application/json' });
        return void res.end(seen.body);
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { error: 'bad json' });
      }
      let answer: { status: number; body: unknown };
      if (seg.length === 2) {
        const caseNo = `HB-2026-${String(nextCase++).padStart(6, '0')}`;
        standin.cases.set(caseNo, {
          caseNo,
          idempotencyKey: key,
          body,
          statuses: [],
          answers: [],
          reports: [],
          applied: ['created'],
        });
        answer = { status: 201, body: { caseNo } };
      } else if (seg.length === 4 && (seg[3] === 'status' || seg[3] === 'answer')) {
        const found = standin.cases.get(seg[2]!);
        answer = found
          ? ((seg[3] === 'status' ? found.statuses : found.answers).push(body),
            found.applied.push(seg[3] === 'status' ? `status:${String((body as { status?: unknown } | null)?.status)}` : 'answer'),
            { status: 200, body: { caseNo: found.caseNo, ok: true } })
          : { status: 404, body: { error: 'no such case' } };
      } else return send(res, 404, { error: 'not found' });
      const text = JSON.stringify(answer.body);
      // Only what was applied is remembered: a refused request may be sent again with the same key once fixed.
      if (answer.status < 300) byKey.set(key, { status: answer.status, body: text });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      return void res.end(text);
    }

    if (seg[0] === 'case-system' && seg[1] === 'events' && req.method === 'GET') {
      const after = Number(url.searchParams.get('after') ?? 0) || 0;
      return send(res, 200, { events: standin.reports.slice(after), cursor: String(standin.reports.length) });
    }

    if (seg[0] === '_standin' && seg[1] === 'cases' && (seg[3] === 'answer' || seg[3] === 'status') && req.method === 'POST') {
      let body: { text?: string; status?: string; official?: string };
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        return send(res, 400, { error: 'bad json' });
      }
      if (!standin.cases.has(seg[2]!)) return send(res, 404, { error: 'no such case' });
      const status = seg[3] === 'answer' ? await standin.answer(seg[2]!, { text: body.text ?? '', official: body.official }) : await standin.reportStatus(seg[2]!, body.status ?? '', body.official);
      return send(res, 200, { webhookStatus: status });
    }
    return send(res, 404, { error: 'not found' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const standin: Standin = {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    fault: { mode: 'ok' },
    cases: new Map(),
    duplicates: 0,
    lookups: 0,
    reports: [],
    answer: (caseNo, answer) => report({ eventId: randomUUID(), caseNo, kind: 'answer', text: answer.text, official: answer.official ?? '한빛시 담당 공무원' }),
    reportStatus: (caseNo, status, official) => report({ eventId: randomUUID(), caseNo, kind: 'status', status, official: official ?? '한빛시 담당 공무원' }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  /** Keeps a report (for polling) and posts it to OneCall's webhook, signed; the webhook's HTTP status, or 0. */
  async function report(r: StandinReport): Promise<number> {
    standin.reports.push(r);
    standin.cases.get(r.caseNo)?.reports.push(r);
    if (!options.webhookUrl || !options.webhookSecret) return 0;
    const body = JSON.stringify(r);
    const timestamp = String(Math.floor((options.nowMs ?? Date.now)() / 1000));
    try {
      const res = await fetch(options.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-onecall-timestamp': timestamp, 'x-onecall-signature': signCaseWebhook(options.webhookSecret, timestamp, body) },
        body,
      });
      return res.status;
    } catch {
      return 0;
    }
  }
  return standin;
}

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The stand-in's 사건 목록 page: each registered case with what OneCall sent and the buttons to answer it. */
function casesPage(cases: StandinCase[]): string {
  const rows = cases
    .map((c) => {
      const b = (c.body ?? {}) as Record<string, unknown>;
      const last = c.statuses.at(-1) as { status?: string } | undefined;
      return `<tr><td>${esc(c.caseNo)}</td><td>${esc(b.externalRef)}</td><td>${esc(b.title ?? JSON.stringify(b).slice(0, 80))}</td><td>${esc(b.department)}</td><td>${esc(last?.status ?? '접수')}</td><td>${c.answers.length ? '회신됨' : ''}</td>
<td><form method="dialog" onsubmit="fetch('/_standin/cases/${esc(c.caseNo)}/answer',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({text:this.t.value})}).then(()=>location.reload())"><input name="t" value="현장 확인 후 조치를 완료했습니다." size="30"><button>답변 보내기</button></form></td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="ko"><meta charset="utf-8"><title>한빛시 민원처리시스템 (연계 대역)</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style>
<h1>한빛시 민원처리시스템 — 연계 대역 서버 (가상 데이터)</h1><p>OneCall에서 이관된 민원이 등록됩니다. 답변을 보내면 OneCall에 서명된 webhook으로 전달됩니다.</p>
<table><tr><th>사건번호</th><th>콜센터 접수번호</th><th>제목</th><th>부서</th><th>상태</th><th>회신</th><th>답변</th></tr>${rows}</table></html>`;
}

// `npm run standin [-- --port 4710 --host 127.0.0.1 --webhook-url URL --webhook-secret SECRET]`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(arg('port') ?? 4710);
  const standin = await startStandin({
    port,
    host: arg('host') ?? '127.0.0.1',
    // The demo: OneCall on PORT (npm start passes its env), the demo webhook secret its demo settings seal.
    webhookUrl: arg('webhook-url') ?? `http://127.0.0.1:${(await import('../config')).loadConfig().port}/api/connectors/case-system/webhook`,
    webhookSecret: arg('webhook-secret') ?? STANDIN_WEBHOOK_SECRET,
  }).catch((e: NodeJS.ErrnoException) => {
    // Another stand-in (or anything else) holds the port: say so and leave OneCall running.
    console.error(`연계 대역 서버를 시작하지 못했습니다 (port ${port}: ${e.code ?? e.message}). / Stand-in not started.`);
    process.exit(0);
  });
  console.log(`한빛시 연계 대역 서버(stand-in, 가상 데이터) listening on ${standin.url}`);
  const stop = () => void standin.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
