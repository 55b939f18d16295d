import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../core/contracts/calls';
import type { RecordCaseResult } from '../core/contracts/cases';
import type { Category } from '../core/contracts/org';
import { startStandin, STANDIN_WEBHOOK_SECRET, type Standin } from '../server/cli/standin';
import { BASE_URL, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * 부서 시스템 연계 in the browser (issue #16 §1): the 시스템 관리자 (two-factor) points the case-system link at a
 * stand-in 민원처리시스템 this journey starts, and saves; a hand-off recorded in the demo (agent10, through the API as
 * the desk does) appears there; while the stand-in refuses, 세정과's 박은지 takes it (접수), and the admin sees the
 * failed message with its error, then 다시 보내기 delivers it; the stand-in's answer comes back by its signed webhook.
 */
const headers = { 'x-onecall-request': '1' };
const SUMMARY = '중고차 취득세 신고 기한 문의 (연계 확인)';

describe('부서 시스템 연계: health, queue, a failed message and 다시 보내기', () => {
  let browser: Browser;
  let standin: Standin;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    standin = await startStandin({ port: 0, webhookUrl: `${BASE_URL}/api/connectors/case-system/webhook`, webhookSecret: STANDIN_WEBHOOK_SECRET });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await standin?.close();
  });

  const until = async <T>(what: string, read: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('settings saved, a hand-off registered, a refusal shown and sent again', async () => {
    const adminContext = await newContext(browser);
    contexts.push(adminContext);
    await signInThroughApi(adminContext, 'admin');
    const admin = await adminContext.newPage();
    admin.setDefaultTimeout(20_000);
    const problems = watchPage(admin);
    await admin.goto('/admin');
    await admin.getByRole('navigation').getByRole('button', { name: /^관리/ }).click();
    await admin.getByRole('link', { name: '부서 시스템 연계' }).click();
    const panel = admin.getByRole('region', { name: '민원처리시스템 연계' });
    await panel.getByRole('heading', { name: '연계 설정' }).waitFor();

    // Settings: the address of the stand-in's case system; the certificate fields are write-only and empty.
    const form = panel.getByRole('form', { name: '연계 설정' });
    await form.getByLabel('민원처리시스템 주소').fill(`${standin.url}/case-system`);
    const certs = form.getByRole('group', { name: '클라이언트 인증서 (상호 TLS)' });
    await certs.getByText('설정 안 됨').waitFor();
    await certs.getByLabel('개인키 (PEM)', { exact: true }).scrollIntoViewIfNeeded();
    await screenshot(admin, 'connectors-00-settings');
    await form.getByRole('button', { name: '연계 설정 저장' }).click();
    await form.getByRole('status').filter({ hasText: '저장했습니다.' }).waitFor();
    await admin.reload();
    await expect.poll(() => admin.getByRole('form', { name: '연계 설정' }).getByLabel('민원처리시스템 주소').inputValue()).toBe(`${standin.url}/case-system`);

    // A hand-off recorded in the demo (자동차 취득세 → 세정과) is registered in the case system by the outbox.
    const agentContext = await newContext(browser);
    contexts.push(agentContext);
    await signInThroughApi(agentContext, 'agent10');
    const call = (await (await agentContext.request.post('/api/calls/simulate', { data: { callerNumber: '010-4716-0016' }, headers })).json()) as CallConnected;
    const categories = (await (await agentContext.request.get('/api/categories')).json()) as Category[];
    const category = categories.find((c) => c.code === '01-03-02');
    if (!category) throw new Error('demo category 01-03-02 (차량 취득세 신고) is missing');
    const recorded = await agentContext.request.post('/api/cases', { data: { interactionId: call.interaction.id, categoryId: category.id, summary: SUMMARY, outcome: 'handed_off' }, headers });
    expect(recorded.status(), await recorded.text()).toBe(201);
    const { handOff } = (await recorded.json()) as RecordCaseResult;
    const registered = await until('the registration at the stand-in', () => [...standin.cases.values()].find((c) => JSON.stringify(c.body).includes(SUMMARY)));
    expect((registered.body as { department: string }).department).toBe('세정과');
    const history = panel.getByRole('table').last();
    await history.getByRole('row').filter({ hasText: registered.caseNo }).filter({ hasText: '민원 등록' }).waitFor({ timeout: 15_000 });

    // The stand-in refuses (422): 세정과's official takes the hand-off, and its 접수 fails for the admin to see.
    standin.fault = { mode: 'refuse' };
    const officialContext = await newContext(browser);
    contexts.push(officialContext);
    await signInThroughApi(officialContext, 'park.eunji');
    expect((await officialContext.request.post(`/api/handoffs/${handOff!.id}/acknowledge`, { headers })).status()).toBe(200);
    const failed = panel.getByRole('table').first().getByRole('row').filter({ hasText: registered.caseNo });
    await failed.filter({ hasText: 'HTTP 422' }).waitFor({ timeout: 15_000 });
    await panel.getByText('전송 실패 있음', { exact: true }).waitFor();
    await screenshot(admin, 'connectors-01-failed');
    expect(registered.statuses).toEqual([]);

    // Fixed on the other side: 다시 보내기 delivers it.
    standin.fault = { mode: 'ok' };
    await failed.getByRole('button', { name: '다시 보내기' }).click();
    await until('the 접수 at the stand-in', () => (registered.statuses.length > 0 ? true : undefined));
    expect(registered.applied).toEqual(['created', 'status:acknowledged']);
    // (Other journeys' hand-offs may still be retrying towards the demo's address: the badge may say 재전송 중.)
    await panel.getByText('전송에 실패한 메시지가 없습니다.').waitFor({ timeout: 15_000 });
    expect(await panel.getByText('전송 실패 있음', { exact: true }).count()).toBe(0);

    // The official answers in the case system: the signed webhook answers the hand-off in OneCall.
    expect(await standin.answer(registered.caseNo, { text: '신고 기한은 취득일부터 60일입니다.', official: '세정과 박은지' })).toBe(200);
    const inbox = await officialContext.request.get(`/api/handoffs/${handOff!.id}`);
    expect(inbox.status()).toBe(200);
    expect(['answered', 'closed']).toContain(((await inbox.json()) as { status: string }).status);
    await screenshot(admin, 'connectors-02-sent-again');
    expect(problems).toEqual([]);
  }, 150_000);
});
