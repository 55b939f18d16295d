import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreAllDay } from './acd';
import { launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * Issue 11 in the browser: warm transfer (담당자 연결). During a call the agent asks the water-leak official; the
 * official's inbox shows the card with the agent's notes and the caller before the phones connect; accepted, the
 * agent talks first and then hands the caller over. A second call is declined with a reason: it becomes a hand-off
 * assigned to that official by itself, the desk tells the agent what to say to the caller, and the official finds it
 * in the inbox.
 */

const CALLER = '010-7777-1234';
const AGENT = 'agent03';
const OFFICIAL = 'moon.junhyuk';
const OFFICIAL_NAME = '문준혁';

describe('warm transfer to the official, and its fall-back to a hand-off', () => {
  let browser: Browser;
  let agentContext: BrowserContext;
  let officialContext: BrowserContext;
  let agent: Page;
  let official: Page;
  let agentProblems: string[];
  let officialProblems: string[];

  const panel = () => agent.getByRole('region', { name: '담당자 연결' });

  async function takeCall(): Promise<void> {
    await agent.getByLabel('민원인 전화번호').fill(CALLER);
    await agent.getByRole('button', { name: '전화 수신(모의)' }).click();
    await agent.getByRole('button', { name: /응답/ }).first().waitFor();
    await agent.keyboard.press('Alt+A');
    await agent.getByText('통화 중', { exact: true }).first().waitFor();
  }

  async function askOfficial(summary: string): Promise<void> {
    await agent.keyboard.press('Alt+T');
    const task = panel().getByRole('combobox');
    await expect.poll(() => task.evaluate((el) => el === document.activeElement)).toBe(true);
    await agent.keyboard.type('누수');
    await panel().getByRole('option').first().waitFor();
    await agent.keyboard.press('Enter');
    await panel().getByRole('radio', { name: new RegExp(OFFICIAL_NAME) }).check();
    await panel().getByLabel('담당자에게 전할 요지').fill(summary);
    await panel().getByLabel(/상담 메모/).fill('어제 저녁부터 거실 천장에서 물이 샙니다. 관리사무소와 연락이 안 됩니다.');
    await panel().getByRole('button', { name: '연결 요청' }).click();
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    await openCentreAllDay(browser);
    agentContext = await newContext(browser);
    await signInThroughApi(agentContext, AGENT);
    agent = await agentContext.newPage();
    agentProblems = watchPage(agent);
    officialContext = await newContext(browser);
    await signInThroughApi(officialContext, OFFICIAL);
    official = await officialContext.newPage();
    officialProblems = watchPage(official);
    await official.goto('/official');
    await official.getByRole('heading', { name: /이관 민원함/ }).waitFor();
    await agent.goto('/agent');
    await agent.getByText('실시간 연결됨').waitFor();
    const res = await agentContext.request.post('/api/acd/agent/state', { data: { status: 'available' }, headers: { 'x-onecall-request': '1' } });
    expect(res.ok()).toBe(true);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the official the card first, lets them talk, then hands the caller over', async () => {
    await takeCall();
    await askOfficial('아파트 천장 누수, 윗집 확인 필요');
    await panel().getByText(new RegExp(`${OFFICIAL_NAME}.*호출하고 있습니다`)).waitFor();

    const card = official.getByRole('region', { name: '통화 연결 요청' });
    await card.waitFor();
    await card.getByText('아파트 천장 누수, 윗집 확인 필요').waitFor();
    await card.getByText('상하수도 > 누수·단수').waitFor();
    // The caller as the official may see them: masked.
    await card.getByText(/010-\*{4}-1234/).waitFor();
    await screenshot(official, 'transfer-01-official-card');

    await card.getByRole('button', { name: '수락' }).click();
    await card.getByText('상담사와 통화 중입니다').waitFor();
    await panel().getByText(/수락했습니다/).waitFor();
    await screenshot(agent, 'transfer-02-agent-consulting');

    await panel().getByRole('button', { name: '민원인 연결' }).click();
    await panel().getByText(new RegExp(`${OFFICIAL_NAME}.*연결했습니다`)).waitFor();
    // The agent's part of the call is over; the official's card goes away.
    await agent.getByText('통화 종료됨').waitFor();
    await expect.poll(() => official.getByRole('region', { name: '통화 연결 요청' }).count()).toBe(0);
    expect(agentProblems).toEqual([]);
    expect(officialProblems).toEqual([]);
  });

  it('turns a declined transfer into a hand-off to the official, with the sentence for the caller', async () => {
    const res = await agentContext.request.post('/api/acd/agent/wrap-up/end', { headers: { 'x-onecall-request': '1' } });
    expect(res.ok()).toBe(true);
    await agent.reload();
    await agent.getByText('실시간 연결됨').waitFor();
    await takeCall();
    const summary = '도로 누수 재신고, 현장 확인 요청';
    await askOfficial(summary);

    const card = official.getByRole('region', { name: '통화 연결 요청' });
    await card.getByText(summary).waitFor();
    await card.getByRole('button', { name: '거절' }).click();
    await card.getByLabel('거절 사유').fill('현장 출동 중');
    await card.getByRole('button', { name: '거절하고 이관으로 받기' }).click();

    await panel().getByText(/거절했습니다/).waitFor();
    await panel().getByText('거절 사유: 현장 출동 중').waitFor();
    const sentence = panel().getByText(/담당 부서\(상하수도사업소\)에서 \d+월 \d+일\([월화수목금토일]\)까지 회신드립니다/);
    await sentence.waitFor();
    // The case is recorded already: the desk shows it saved, so nobody records it twice.
    await agent.locator('.saved').getByText(/상하수도사업소로 이관했습니다/).waitFor();
    await screenshot(agent, 'transfer-03-agent-fallback');

    await official.getByRole('list', { name: '이관 민원함' }).getByRole('button', { name: new RegExp(summary) }).waitFor();
    await screenshot(official, 'transfer-04-official-inbox');
    expect(agentProblems).toEqual([]);
    expect(officialProblems).toEqual([]);
  });
});
