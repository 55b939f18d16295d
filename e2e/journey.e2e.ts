import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreAllDay } from './acd';
import { horizontalOverflow, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * The path of one call, end to end in a real browser against a real server with the demo seed:
 * an agent takes a call from a citizen with history, answers from the knowledge base, records the case and hands it
 * off; the owning department's official finds it with the agent's notes, acknowledges and answers it, and the
 * case's timeline shows every step with who and when. A guardian's phone number typed into the notes and the answer
 * is flagged while typing and masked when saved (issue 3 layer 5), and both are told what was masked.
 */

const CALLER = '010-7777-1234';
// Citizens' names are shown masked by default (표시 제한, issue 3 layer 2): 김영희 → 김*희.
const CALLER_NAME = '김*희';
const SUMMARY = '아파트 정문 앞 보도 누수 재신고 — 현장 확인 요청';
const LOCATION = '한빛로 45 한빛아파트 정문 앞 보도';
const NOTES = '어제 신고한 누수가 계속되어 차도까지 물이 흐른다고 함.\n보행자 미끄럼 위험이 있어 현장 확인과 결과 문자 안내를 원함 (보호자 010-2345-6789).';
const ANSWER = '현장 확인 결과 상수도관 이음부 누수로 확인되어 당일 긴급 보수를 완료하였습니다. 보호자 010-2345-6789로 문자 안내함.';
const GUARDIAN_MASKED = '010-****-6789';
const ANSWER_STORED = ANSWER.replace('010-2345-6789', GUARDIAN_MASKED);
const MASKED_PHONE_NOTICE = '개인정보 보호를 위해 전화번호를 가려서 저장했습니다.';

type Staff = { officials: { login: string; name: string; department: string }[] };
type SeedDepartment = { code: string; name: string };

/** The first official of a department, from the demo seed (the department owns the category the agent chose). */
function officialOf(departmentName: string): { login: string; name: string } {
  const dir = path.resolve('server/db/seed/data');
  const departments = JSON.parse(fs.readFileSync(path.join(dir, 'departments.json'), 'utf8')) as SeedDepartment[];
  const staff = JSON.parse(fs.readFileSync(path.join(dir, 'staff.json'), 'utf8')) as Staff;
  const code = departments.find((d) => d.name === departmentName)?.code;
  const official = staff.officials.find((o) => o.department === code);
  if (!official) throw new Error(`no official in the seed for ${departmentName}`);
  return official;
}

describe('one call, from the agent desk to the official answer', () => {
  let browser: Browser;
  let agentContext: BrowserContext;
  let agent: Page;
  let agentProblems: string[];
  let departmentName = '';
  let caseNumber = '';
  let articleTitle = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    // Calls go through the ACD (issue 4), which takes calls in business hours only.
    await openCentreAllDay(browser);
    agentContext = await newContext(browser);
    agent = await agentContext.newPage();
    agentProblems = watchPage(agent);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('signs the agent in through the form and lands on the desk', async () => {
    await agent.goto('/');
    await expect.poll(() => new URL(agent.url()).pathname).toBe('/login');
    await agent.getByLabel('아이디').fill('agent01');
    await agent.getByLabel('비밀번호').fill('not-the-password');
    await agent.getByRole('button', { name: '로그인' }).click();
    await agent.getByRole('alert').filter({ hasText: '비밀번호' }).waitFor();

    await agent.getByLabel('비밀번호').fill('onecall-demo-2026');
    await agent.getByRole('button', { name: '로그인' }).click();
    await agent.waitForURL('**/agent');
    await agent.getByRole('banner').getByText('상담사', { exact: true }).waitFor();
    await agent.getByRole('heading', { name: '상담 기록' }).waitFor();
    await screenshot(agent, '01-agent-desk');
  });

  it('takes a call: the caller card shows the citizen and her open hand-off first', async () => {
    await agent.getByLabel('민원인 전화번호').fill(CALLER);
    // The agent takes calls (상담 가능); the simulated call goes through the ACD and rings on this desk.
    await agent.getByRole('button', { name: '상담 가능', exact: true }).click();
    await agent.getByRole('region', { name: '상담 상태' }).getByRole('status').first().filter({ hasText: '상담 가능' }).waitFor();
    await agent.getByRole('button', { name: '전화 수신(모의)' }).click();
    await agent.getByRole('region', { name: '전화가 왔습니다' }).getByRole('button', { name: /^응답/ }).click();

    const card = agent.getByRole('region', { name: '민원인 정보' });
    await card.getByText(CALLER_NAME, { exact: true }).waitFor();
    const openHandOffs = card.getByRole('region', { name: /처리 중인 이관/ });
    await openHandOffs.getByText('상하수도사업소').first().waitFor();
    expect(await openHandOffs.getByText('미접수').count()).toBeGreaterThan(0);
    expect(await openHandOffs.getByText('아파트 앞 도로 누수 재신고').count()).toBe(1);
    await agent.getByRole('region', { name: '통화', exact: true }).getByText('통화 중').waitFor();
    expect(await horizontalOverflow(agent)).toBe(0);
    await screenshot(agent, '02-caller-card');
  });

  it('opens an earlier case with its timeline from the caller card', async () => {
    await agent.getByRole('region', { name: /처리 중인 이관/ }).getByRole('button').first().click();
    const dialog = agent.getByRole('dialog', { name: /상담 상세/ });
    await dialog.getByRole('list', { name: '처리 경과' }).getByText('부서 이관').first().waitFor();
    await screenshot(agent, '03-case-detail');
    await agent.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('finds the answer in the knowledge base while typing, with highlights', async () => {
    await agent.getByRole('searchbox', { name: '상담 DB 검색어' }).fill('여권발급');
    const results = agent.getByRole('list', { name: '검색 결과' });
    await results.locator('mark').first().waitFor();
    const marked = await results.locator('mark').allTextContents();
    expect(marked.some((m) => m.replace(/\s/g, '').includes('여권'))).toBe(true);
    await screenshot(agent, '04-kb-results');

    const first = results.getByRole('button').first();
    await first.click();
    const reader = agent.getByRole('article');
    articleTitle = (await reader.getByRole('heading', { level: 3 }).textContent()) ?? '';
    expect(articleTitle).toContain('여권');
    const use = reader.getByRole('button', { name: '상담에 활용' });
    await use.click();
    await expect.poll(() => use.getAttribute('aria-pressed')).toBe('true');
    await agent.getByRole('list', { name: '활용한 상담 자료' }).getByText(articleTitle).waitFor();
    await screenshot(agent, '05-article-used');
    await agent.keyboard.press('Escape');
    await results.waitFor();
  });

  it('records the case: category picked by typing, summary and notes, then 부서 이관', async () => {
    const category = agent.getByRole('combobox', { name: '상담 분류' });
    await category.click();
    await category.pressSequentially('누수');
    const options = agent.getByRole('listbox', { name: '상담 분류' }).getByRole('option');
    await options.first().waitFor();
    expect(await options.count()).toBeGreaterThan(1);
    // The most specific match comes first (#18 item 5): Enter takes 도로·보도 누수 신고, not its task 누수·단수.
    await expect.poll(() => options.first().textContent()).toContain('누수 신고');
    await agent.keyboard.press('Enter');
    await expect.poll(() => category.inputValue()).toContain('누수 신고');

    departmentName = (await agent.locator('#case-category-info dd').first().textContent()) ?? '';
    expect(departmentName).toBe('상하수도사업소');

    await agent.getByLabel('상담 요약').fill(SUMMARY);
    await agent.getByLabel('상담 내용·메모').fill(NOTES);
    // Where the leak is, for the department that goes to see it (#18 item 6).
    await agent.getByLabel('위치 (현장 민원일 때)').fill(LOCATION);
    await agent.getByText('개인정보가 포함되어 있습니다: 전화번호. 저장할 때 가려집니다.').waitFor();
    await agent.getByText(`이관 부서: ${departmentName}`).waitFor();
    await screenshot(agent, '06-case-form');

    await agent.getByRole('button', { name: '부서 이관', exact: true }).click();
    const saved = agent.getByRole('status').filter({ hasText: '접수번호' });
    await saved.waitFor();
    const text = (await saved.textContent()) ?? '';
    caseNumber = /\d{8}-\d{5}/.exec(text)?.[0] ?? '';
    expect(caseNumber).not.toBe('');
    expect(text).toContain(`${departmentName}로 이관했습니다`);
    expect(text).toContain('처리기한');
    await agent.getByRole('status').filter({ hasText: MASKED_PHONE_NOTICE }).waitFor();

    // The form is ready for the next case, and the caller card now lists the new hand-off.
    await expect.poll(() => agent.getByLabel('상담 요약').inputValue()).toBe('');
    await expect.poll(() => category.inputValue()).toBe('');
    await agent.getByRole('region', { name: /처리 중인 이관/ }).getByText(SUMMARY).waitFor();
    await screenshot(agent, '07-handed-off');

    await agent.getByRole('button', { name: '통화 종료' }).click();
    await agent.getByText('통화 종료됨').waitFor();
    expect(agentProblems).toEqual([]);
  });

  it("lets the department's official act on it with the agent's notes, and shows every step", async () => {
    const official = officialOf(departmentName);
    const context = await newContext(browser);
    await signInThroughApi(context, official.login);
    const page = await context.newPage();
    const problems = watchPage(page);

    await page.goto('/official');
    await page.getByRole('heading', { name: /이관 민원함/ }).waitFor();
    const row = page.getByRole('list', { name: '이관 민원함' }).getByRole('button', { name: new RegExp(SUMMARY) });
    await row.click();
    await page.getByRole('heading', { name: SUMMARY }).waitFor();
    const notes = page.getByRole('region', { name: /상담사 메모/ });
    await notes.getByText('차도까지 물이 흐른다고 함', { exact: false }).waitFor();
    expect(await notes.textContent()).toContain(`보호자 ${GUARDIAN_MASKED}`);
    expect(await notes.textContent()).not.toContain('2345');
    await page.getByText(caseNumber).first().waitFor();
    await page.getByText(CALLER_NAME).first().waitFor();
    await page.getByText(LOCATION).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, '08-official-inbox');

    const answerBox = page.getByRole('textbox', { name: '회신 내용' });
    expect(await answerBox.isDisabled()).toBe(true);
    await page.getByRole('button', { name: '접수', exact: true }).click();
    await expect.poll(() => answerBox.isEnabled()).toBe(true);
    await answerBox.fill(ANSWER);
    await page.getByText('개인정보가 포함되어 있습니다: 전화번호. 저장할 때 가려집니다.').waitFor();
    await screenshot(page, '09-official-acknowledged');
    await page.getByRole('button', { name: '회신 등록' }).click();

    const answered = page.getByRole('region', { name: /회신 내용/ });
    await answered.getByText(ANSWER_STORED).waitFor();
    await answered.getByRole('status').filter({ hasText: MASKED_PHONE_NOTICE }).waitFor();
    const timeline = page.getByRole('list', { name: '처리 경과' });
    for (const step of ['상담 접수', '부서 이관', '접수', '회신', '종결']) {
      // 부서 이관 stands twice: the step itself, and the outcome under 상담 결과 분류 (call_dispositioned).
      await timeline.getByText(step, { exact: true }).first().waitFor();
    }
    expect(await timeline.getByText(official.name).count()).toBeGreaterThanOrEqual(2);
    expect(await timeline.getByText('이하은').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, '10-official-answered');

    // The case is closed for the whole centre.
    const filterAll = page.getByRole('button', { name: '전체' });
    await filterAll.click();
    await page.getByRole('list', { name: '이관 민원함' }).getByRole('button', { name: new RegExp(SUMMARY) }).getByText('회신 완료').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the agent the official's answer when the citizen calls again", async () => {
    // After-call work of the first call ends (by its timer, or here), and the next call rings.
    const status = agent.getByRole('region', { name: '상담 상태' }).getByRole('status').first();
    if (((await status.textContent()) ?? '').includes('후처리')) await agent.getByRole('button', { name: '후처리 종료' }).click();
    await status.filter({ hasText: '상담 가능' }).waitFor();
    await agent.getByLabel('민원인 전화번호').fill(CALLER);
    await agent.getByRole('button', { name: '전화 수신(모의)' }).click();
    await agent.getByRole('region', { name: '전화가 왔습니다' }).getByRole('button', { name: /^응답/ }).click();
    const card = agent.getByRole('region', { name: '민원인 정보' });
    await card.getByRole('region', { name: '최근 상담 이력' }).getByText(SUMMARY).click();
    const dialog = agent.getByRole('dialog', { name: /상담 상세/ });
    await dialog.getByRole('paragraph').filter({ hasText: ANSWER_STORED }).waitFor();
    await dialog.getByRole('list', { name: '처리 경과' }).getByText('종결', { exact: true }).waitFor();
    await screenshot(agent, '11-agent-sees-answer');
    await agent.keyboard.press('Escape');
    expect(agentProblems).toEqual([]);
  });
});
