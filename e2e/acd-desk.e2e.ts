import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreAllDay } from './acd';
import { horizontalOverflow, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * Issue 4 in the browser: a call goes through the ACD. The agent logs in to calls (이석 first, then 상담 가능), a
 * simulated call waits in line and then rings on the desk as an offer with the caller's history and a countdown; the
 * agent answers, sees the caller card, holds and resumes, ends the call, finishes after-call work and is available
 * again. A supervisor's wallboard, open the whole time, shows the call waiting and then answered without a reload.
 */

const CALLER = '010-7777-1234';
// Citizens' names are shown masked (표시 제한, issue 3 layer 2): 김영희 → 김*희, on the offer as on the caller card.
const CALLER_NAME = '김*희';

/** The big number of a wallboard tile. */
async function tile(page: Page, name: string): Promise<string> {
  return ((await page.getByRole('group', { name, exact: true }).locator('.wb-tile__value').textContent()) ?? '').trim();
}

describe('a call through the ACD: offer, answer, wrap-up, and the live wallboard', () => {
  let browser: Browser;
  let agentContext: BrowserContext;
  let boardContext: BrowserContext;
  let agent: Page;
  let board: Page;
  let agentProblems: string[];
  let boardProblems: string[];
  let answeredBefore = 0;

  const stateBar = () => agent.getByRole('region', { name: '상담 상태' });
  const agentStatus = async () => (await stateBar().getByRole('status').first().textContent()) ?? '';

  beforeAll(async () => {
    browser = await launchBrowser();
    await openCentreAllDay(browser);
    agentContext = await newContext(browser);
    await signInThroughApi(agentContext, 'agent02');
    agent = await agentContext.newPage();
    agentProblems = watchPage(agent);
    boardContext = await newContext(browser);
    await signInThroughApi(boardContext, 'super02');
    board = await boardContext.newPage();
    await board.setViewportSize({ width: 1600, height: 900 });
    boardProblems = watchPage(board);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens the wallboard from the supervisor area, live', async () => {
    await board.goto('/supervisor');
    await board.getByRole('navigation').getByRole('button', { name: '운영' }).click();
    await board.getByRole('navigation').getByRole('link', { name: '실시간 현황판' }).click();
    await board.getByRole('heading', { name: '실시간 상담 현황판' }).waitFor();
    await board.getByText('실시간 연결됨').waitFor();
    await expect.poll(() => tile(board, '대기 호')).toBe('0');
    answeredBefore = Number(await tile(board, '응답'));
    expect(Number.isFinite(answeredBefore)).toBe(true);
  });

  it('the agent logs in to calls as 이석 (from 상담 시작 전), and a call waits in line (the wallboard shows it at once)', async () => {
    await agent.goto('/agent');
    await stateBar().waitFor();
    await expect.poll(agentStatus).toContain('상담 시작 전');
    await agent.getByText('실시간 연결됨').waitFor();
    await screenshot(agent, 'acd-01-desk-logged-out');

    await agent.getByLabel('이석 사유').selectOption({ label: '휴식' });
    await agent.getByRole('button', { name: '이석', exact: true }).click();
    await expect.poll(agentStatus).toContain('이석');
    await expect.poll(agentStatus).toContain('휴식');

    await agent.getByLabel('민원인 전화번호').fill(CALLER);
    await agent.getByRole('button', { name: '전화 수신(모의)' }).click();
    await agent.getByRole('status').filter({ hasText: '대기열에 연결했습니다' }).waitFor();

    await expect.poll(() => tile(board, '대기 호'), { timeout: 5_000 }).toBe('1');
    await board.getByRole('table').first().getByText('일반 상담').waitFor();
    await screenshot(board, 'acd-02-wallboard-waiting');
  });

  it('상담 가능: the waiting call rings on the desk with the caller history and a countdown', async () => {
    await agent.getByRole('button', { name: '상담 가능', exact: true }).click();
    const offer = agent.getByRole('region', { name: '전화가 왔습니다' });
    await offer.waitFor();
    await offer.getByText('010-****-1234').waitFor();
    await offer.getByText(CALLER_NAME, { exact: true }).waitFor();
    expect(await offer.textContent()).not.toContain('김영희');
    await offer.getByRole('timer').filter({ hasText: /\d+초 남음/ }).waitFor();
    await expect.poll(agentStatus).toContain('전화 수신 중');
    expect(await horizontalOverflow(agent)).toBe(0);
    await screenshot(agent, 'acd-03-offer-ringing');
    await expect.poll(() => tile(board, '대기 호')).toBe('0');
  });

  it('answers with Alt+A: the caller card pops, the wallboard counts the answer', async () => {
    await agent.keyboard.press('Alt+KeyA');
    const card = agent.getByRole('region', { name: '민원인 정보' });
    await card.getByText(CALLER_NAME, { exact: true }).waitFor();
    await expect.poll(agentStatus).toContain('통화 중');
    await agent.getByRole('region', { name: '전화가 왔습니다' }).waitFor({ state: 'detached' });
    await expect.poll(async () => Number(await tile(board, '응답'))).toBe(answeredBefore + 1);
    // Today's average speed of answer is a clock reading (m:ss) once a call was answered.
    await expect.poll(async () => tile(board, '평균 응답 대기')).toMatch(/^\d+:\d{2}$/);

    // Hold and resume from the state bar.
    await agent.getByRole('button', { name: '보류', exact: true }).click();
    await expect.poll(agentStatus).toContain('보류 중');
    await agent.getByRole('button', { name: '보류 해제' }).click();
    await expect.poll(agentStatus).toContain('통화 중');
    await screenshot(agent, 'acd-04-on-call');
    await screenshot(board, 'acd-05-wallboard-answered');
  });

  it('ends the call into after-call work, and is available again', async () => {
    await agent.getByRole('button', { name: '통화 종료' }).click();
    await agent.getByText('통화 종료됨').waitFor();
    await expect.poll(agentStatus).toContain('후처리');
    await stateBar().getByText('후처리 남은 시간').waitFor();
    await agent.getByRole('button', { name: '후처리 연장' }).click();
    await screenshot(agent, 'acd-06-wrap-up');

    await agent.getByRole('button', { name: '후처리 종료' }).click();
    await expect.poll(agentStatus).toContain('상담 가능');
    const wall = board.getByRole('region', { name: /상담사 현황/ });
    await wall.getByRole('row', { name: /상담 가능/ }).first().waitFor();
    await screenshot(board, 'acd-07-wallboard-after');

    // Log out of calls, so that later journeys' calls go to their own agent.
    await agent.getByRole('button', { name: '상담 종료', exact: true }).click();
    await expect.poll(agentStatus).toContain('상담 시작 전');
    expect(agentProblems).toEqual([]);
    expect(boardProblems).toEqual([]);
  });

  it('the admin sees the queues, the hours the journeys set and edits a queue', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, 'admin');
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto('/admin');
    const panel = page.getByRole('region', { name: '상담 연결(ACD) 설정' });
    await panel.getByRole('table').getByText('일반 상담').waitFor();
    expect(await panel.getByRole('group', { name: '토' }).getByRole('checkbox', { name: '토' }).isChecked()).toBe(true);
    await panel.getByRole('button', { name: '수정: 세무 상담' }).click();
    const form = panel.getByRole('form', { name: '수정: 세무 상담' });
    await form.getByLabel('확대 배분(초)').fill('45');
    await form.getByRole('button', { name: '저장' }).click();
    await panel.getByRole('status').filter({ hasText: '저장했습니다.' }).first().waitFor();
    await panel.getByRole('row', { name: /세무 상담/ }).getByText('45').waitFor();
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'acd-08-admin');
    expect(problems).toEqual([]);
    await context.close();
  });
});
