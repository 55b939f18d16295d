import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCaseWebhook, startStandin, type Standin } from './standin';

/**
 * The stand-in's case-system protocol (issue #16 §3), over real HTTP: a register is applied once per Idempotency-Key
 * (a repeat answers the same and is counted), status changes go to the registered case, and an official's answer
 * comes back to the webhook signed with HMAC-SHA256 over "timestamp.body".
 */
const SECRET = 'test-webhook-secret';
let standin: Standin;
let receiver: http.Server;
const received: { body: string; timestamp: string; signature: string }[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        timestamp: String(req.headers['x-onecall-timestamp']),
        signature: String(req.headers['x-onecall-signature']),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  standin = await startStandin({ port: 0, webhookUrl: `http://127.0.0.1:${port}/hook`, webhookSecret: SECRET });
});

afterAll(async () => {
  await standin?.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const post = (path: string, body: unknown, key?: string) =>
  fetch(`${standin.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });

describe('stand-in case system', () => {
  it('registers a hand-off once per idempotency key and counts the repeats', async () => {
    const first = await post('/case-system/cases', { handOffId: 'h1', title: '가로등 고장' }, 'k-1');
    expect(first.status).toBe(201);
    const { caseNo } = (await first.json()) as { caseNo: string };
    expect(caseNo).toMatch(/^HB-2026-\d{6}$/);
    const again = await post('/case-system/cases', { handOffId: 'h1', title: '가로등 고장' }, 'k-1');
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual({ caseNo });
    expect(standin.cases.size).toBe(1);
    expect(standin.duplicates).toBe(1);
    expect((await post('/case-system/cases', { handOffId: 'h2' })).status).toBe(400);
  });

  it('applies status changes to the registered case, once per key', async () => {
    const { caseNo } = [...standin.cases.values()][0]!;
    expect((await post(`/case-system/cases/${caseNo}/status`, { status: 'acknowledged' }, 's-1')).status).toBe(200);
    expect((await post(`/case-system/cases/${caseNo}/status`, { status: 'acknowledged' }, 's-1')).status).toBe(200);
    expect(standin.cases.get(caseNo)!.statuses).toEqual([{ status: 'acknowledged' }]);
    expect((await post('/case-system/cases/HB-0/status', { status: 'x' }, 's-2')).status).toBe(404);
  });

  it("sends the official's answer to the webhook, signed", async () => {
    const { caseNo } = [...standin.cases.values()][0]!;
    const res = await post(`/_standin/cases/${caseNo}/answer`, { text: '수리를 마쳤습니다.', official: '한빛시 도로과' });
    expect(await res.json()).toEqual({ webhookStatus: 204 });
    const hook = received.at(-1)!;
    expect(JSON.parse(hook.body)).toEqual({ eventId: expect.any(String), caseNo, kind: 'answer', text: '수리를 마쳤습니다.', official: '한빛시 도로과' });
    expect(hook.signature).toBe(signCaseWebhook(SECRET, hook.timestamp, hook.body));
    expect(hook.signature).not.toBe(signCaseWebhook('other', hook.timestamp, hook.body));
  });

  it('keeps its reports for polling after a cursor, and lists the cases on its page', async () => {
    const { caseNo } = [...standin.cases.values()][0]!;
    await post(`/_standin/cases/${caseNo}/status`, { status: 'in_progress' });
    const all = (await (await fetch(`${standin.url}/case-system/events`)).json()) as { events: { kind: string }[]; cursor: string };
    expect(all.events.map((e) => e.kind)).toEqual(['answer', 'status']);
    const later = (await (await fetch(`${standin.url}/case-system/events?after=${all.cursor}`)).json()) as { events: unknown[] };
    expect(later.events).toEqual([]);
    const page = await (await fetch(`${standin.url}/_standin`)).text();
    expect(page).toContain(caseNo);
  });

  it('answers look-ups with fictional data and refuses a wrong key', async () => {
    expect((await fetch(`${standin.url}/lookups/local-tax/11-000123`)).status).toBe(401);
    const res = await fetch(`${standin.url}/lookups/parking-fine/2026110002`);
    expect(await res.json()).toMatchObject({ fine: { amount: 120_000, stage: '부과' } });
  });
});
