import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreAllDay } from './acd';
import { horizontalOverflow, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * 감정노동 보호 (issue #14) in the browser: during a call the agent picks 욕설·폭언 with Alt+P and plays warnings 1, 2
 * and 3 (통화 종료 stays locked until then), ends the call with the termination notice and lands in 회복 휴식, which the
 * desk shows with its countdown and no way to end it; the agent asks for counselling. The supervisor sees the agent in
 * 회복 on the live wallboard, and on 상담사 보호 the live alert, the incident and the request, and extends the rest.
 */

const AGENT = 'agent12';
const AGENT_NAME_PATTERN = /\S/;
const CALLER = '010-6543-2100';

describe('protecting an agent from an abusive caller: warnings, end, 회복, the supervisor sees it', () => {
  let browser: Browser;
  let agentContext: BrowserContext;
  let boardContext: BrowserContext;
  let agent: Page;
  let board: Page;
  let agentProblems: string[];
  let boardProblems: string[];
  let agentName = '';

  const stateBar = () => agent.getByRole('region', { name: '상담 상태' });
  const agentStatus = async () => (await stateBar().getByRole('status').first().textContent()) ?? '';
  const panel = () => agent.getByRole('region', { name: '상담사 보호' });

  beforeAll(async () => {
    browser = await launchBrowser();
    await openCentreAllDay(browser);
    agentContext = await newContext(browser);
    await signInThroughApi(agentContext, AGENT);
    const me = await agentContext.request.get('/api/auth/me');
    agentName = ((await me.json()) as { name: string }).name;
    expect(agentName).toMatch(AGENT_NAME_PATTERN);
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

  it('a call rings and is answered; the protection control is on the desk (Alt+P)', async () => {
    await board.goto('/supervisor/wallboard');
    await board.getByText('실시간 연결됨').waitFor();

    await agent.goto('/agent');
    await stateBar().waitFor();
    await agent.getByText('실시간 연결됨').waitFor();
    await agent.getByRole('button', { name: '상담 가능', exact: true }).click();
    await expect.poll(agentStatus).toContain('상담 가능');
    await agent.getByLabel('민원인 전화번호').fill(CALLER);
    await agent.getByRole('button', { name: '전화 수신(모의)' }).click();
    await agent.getByRole('region', { name: '전화가 왔습니다' }).waitFor();
    await agent.keyboard.press('Alt+KeyA');
    await expect.poll(agentStatus).toContain('통화 중');

    await panel().waitFor();
    // The desk puts the cursor in the knowledge search once the answer is confirmed; Alt+P is pressed after that, as
    // an agent would (pressed earlier, the desk's own focus could land after it and take the focus away).
    await expect.poll(() => agent.evaluate(() => document.activeElement?.id)).toBe('kb-search');
    await agent.keyboard.press('Alt+KeyP');
    const first = panel().getByRole('button', { name: '욕설·폭언' });
    await expect.poll(() => first.evaluate((el) => el === document.activeElement)).toBe(true);
    await agent.keyboard.press('Enter');
    await expect.poll(() => first.getAttribute('aria-pressed')).toBe('true');
    await panel().getByText('경고 0/3회').waitFor();
    expect(await panel().getByRole('button', { name: '통화 종료' }).isDisabled()).toBe(true);
  });

  it('plays warnings 1, 2, 3; then 통화 종료 plays the termination notice and the agent rests (회복)', async () => {
    for (const step of [1, 2, 3]) {
      await panel().getByRole('button', { name: `경고 안내 (${step}차)` }).click();
      await panel().getByText(`경고 ${step}/3회`).waitFor();
    }
    await expect.poll(() => panel().getByRole('list', { name: '재생한 안내' }).getByRole('listitem').count()).toBe(3);
    await panel().getByLabel('메모 (사건 기록에 남습니다)').fill('반복적인 욕설, 3회 경고 후 종료');
    expect(await horizontalOverflow(agent)).toBe(0);
    await screenshot(agent, 'protection-01-warnings');

    await panel().getByRole('button', { name: '통화 종료' }).click();
    await expect.poll(agentStatus).toContain('회복 휴식');
    await panel().getByText('회복 휴식 중').waitFor();
    await panel().getByText(/\d+:\d{2} 남음/).waitFor();
    // Nothing on the desk ends the rest.
    expect(await stateBar().getByRole('button', { name: '상담 가능', exact: true }).isDisabled()).toBe(true);
    expect(await stateBar().getByRole('button', { name: '이석', exact: true }).isDisabled()).toBe(true);

    await panel().getByRole('button', { name: '심리상담 신청' }).click();
    await panel().getByText('요청을 접수했습니다. 관리자가 확인합니다.').waitFor();
    await panel().getByRole('list', { name: '내 요청' }).getByText('심리상담').waitFor();
    await screenshot(agent, 'protection-02-recovery');
  });

  it('the wallboard shows the agent in 회복; the supervisor sees the alert, the incident and the request, and extends the rest', async () => {
    const agents = board.getByRole('region', { name: /상담사 현황/ });
    await agents.getByRole('row', { name: new RegExp(`${agentName}.*회복 휴식`) }).waitFor();
    await screenshot(board, 'protection-03-wallboard-recovery');

    await board.getByRole('navigation').getByRole('button', { name: '운영' }).click();
    await board.getByRole('navigation').getByRole('link', { name: '상담사 보호' }).click();
    await board.getByRole('heading', { name: /상담사 보호/, level: 1 }).waitFor();
    const incidents = board.getByRole('region', { name: '사건 기록' });
    const row = incidents.getByRole('row', { name: new RegExp(`${agentName}.*욕설·폭언.*경고 후 종료`) }).first();
    await row.waitFor();
    await row.getByText('반복적인 욕설, 3회 경고 후 종료').waitFor();
    await board.getByRole('region', { name: '도움 요청' }).getByRole('row', { name: new RegExp(`${agentName}.*심리상담`) }).first().waitFor();

    const resting = board.getByRole('region', { name: '회복 휴식 중인 상담사' });
    const restRow = resting.getByRole('row', { name: new RegExp(agentName) });
    await restRow.waitFor();
    await restRow.getByLabel('연장 사유').fill('충격이 커서 회복 시간 연장');
    await restRow.getByRole('button', { name: '연장' }).click();
    // The extension comes back to the supervisor's own page as a live alert.
    await board.getByRole('log').getByText(`${agentName} 상담사 회복 휴식 연장`).waitFor();
    expect(await horizontalOverflow(board)).toBe(0);
    await screenshot(board, 'protection-04-supervisor');

    expect(agentProblems).toEqual([]);
    expect(boardProblems).toEqual([]);
  });
});
