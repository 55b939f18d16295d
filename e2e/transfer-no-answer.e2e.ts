import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreAllDay } from './acd';
import { launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';
import { answerSimulatedCall, openAvailableDesk } from './desk';

/*
 * Issue 11 §2 in the browser: a warm transfer nobody answers. During a call the agent asks the water-leak official;
 * the official's screen shows the card but nobody takes it. When the ring time is up (TRANSFER_RING_TIMEOUT_SECONDS,
 * 20 s for the journeys, scripts/e2e.mjs; the server's one-second tick ends it) the attempt falls back by itself to a
 * hand-off to that official's department: the desk shows "no answer" and the sentence to tell the caller with the due
 * date, the case is saved already, the official's card goes away and the hand-off waits in the inbox.
 */

const CALLER = '010-6565-4321';
const AGENT = 'agent04';
const OFFICIAL = 'moon.junhyuk';
const OFFICIAL_NAME = '문준혁';
const SUMMARY = '상가 화장실 누수, 아래층 천장 젖음';

describe('a warm transfer nobody answers falls back to a hand-off', () => {
  let browser: Browser;
  let agent: Page;
  let official: Page;
  let agentProblems: string[];
  let officialProblems: string[];

  const panel = () => agent.getByRole('region', { name: '담당자 연결' });

  beforeAll(async () => {
    browser = await launchBrowser();
    await openCentreAllDay(browser);
    ({ page: agent, problems: agentProblems } = await openAvailableDesk(browser, AGENT));
    const officialContext = await newContext(browser);
    await signInThroughApi(officialContext, OFFICIAL);
    official = await officialContext.newPage();
    officialProblems = watchPage(official);
    await official.goto('/official');
    await official.getByRole('heading', { name: /이관 민원함/ }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('rings the official, then after the ring time tells the agent the due date to give the caller', async () => {
    await answerSimulatedCall(agent, CALLER);

    await agent.keyboard.press('Alt+T');
    const task = panel().getByRole('combobox');
    await expect.poll(() => task.evaluate((el) => el === document.activeElement)).toBe(true);
    await agent.keyboard.type('누수');
    await panel().getByRole('option').first().waitFor();
    await agent.keyboard.press('Enter');
    await panel().getByRole('radio', { name: new RegExp(OFFICIAL_NAME) }).check();
    await panel().getByLabel('담당자에게 전할 요지').fill(SUMMARY);
    await panel().getByLabel(/상담 메모/).fill('2층 상가 화장실 배관에서 물이 새 1층 천장이 젖었습니다.');
    await panel().getByRole('button', { name: '연결 요청' }).click();
    await panel().getByText(new RegExp(`${OFFICIAL_NAME}.*호출하고 있습니다`)).waitFor();

    // The official's screen rings, but nobody answers.
    const card = official.getByRole('region', { name: '통화 연결 요청' });
    await card.getByText(SUMMARY).waitFor();
    await screenshot(official, 'transfer-no-answer-01-official-ringing');

    // The ring time (20 s) runs out: no answer, and the fall-back to a hand-off with the legal due date.
    await panel().getByText(new RegExp(`${OFFICIAL_NAME}.*응답하지 않았습니다`)).waitFor({ timeout: 40_000 });
    const sentence = panel().getByText(/담당 부서\(상하수도사업소\)에서 \d{1,2}월 \d{1,2}일\([월화수목금토일]\)까지 회신드립니다/);
    await sentence.waitFor();
    // The caller is back with the agent, who reads the sentence; the case is recorded already.
    await agent.getByText('통화 중', { exact: true }).first().waitFor();
    await agent.locator('.saved').getByText(/상하수도사업소로 이관했습니다/).waitFor();
    await screenshot(agent, 'transfer-no-answer-02-agent-fallback');

    // The official's card is gone; the hand-off waits in the department's inbox instead.
    await expect.poll(() => official.getByRole('region', { name: '통화 연결 요청' }).count(), { timeout: 10_000 }).toBe(0);
    await official.getByRole('list', { name: '이관 민원함' }).getByRole('button', { name: new RegExp(SUMMARY) }).waitFor();
    await screenshot(official, 'transfer-no-answer-03-official-inbox');
    expect(agentProblems).toEqual([]);
    expect(officialProblems).toEqual([]);
  }, 90_000);
});
