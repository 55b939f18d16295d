import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * Search that answers spoken questions (issue #13), in a real browser on the demo KB: the agent types what the caller
 * says and sees the answer; a typo shows the correction line and a click searches the words as typed; a question
 * with no answer says so, shows the nearest topics and is recorded as a missing article, which the KB owner then
 * sees in 찾지 못한 질문; the owner adds a dictionary entry and the agent's next search finds the article by it.
 */
describe('KB search on the agent desk and the search dictionary', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('spoken question → answer; typo → correction line; no answer → nearest topics and 없는 자료로 기록; new synonym → found', async () => {
    const agentContext = await newContext(browser);
    await signInThroughApi(agentContext, 'agent04');
    const agent = await agentContext.newPage();
    const agentProblems = watchPage(agent);
    await agent.goto('/agent');
    const box = agent.getByRole('searchbox', { name: '상담 DB 검색어' });
    const results = agent.getByRole('list', { name: '검색 결과' });
    const firstHit = results.getByRole('listitem').first();

    // What the caller says, not the manual's words.
    await box.fill('자동차세 한꺼번에 내면 할인되나요');
    await expect.poll(() => firstHit.textContent()).toContain('자동차세 연납');
    await screenshot(agent, 'search-01-spoken');
    await firstHit.getByRole('button').click();
    await agent.getByRole('heading', { name: /자동차세 연납/ }).waitFor();
    await agent.getByRole('button', { name: /검색 결과로/ }).click();

    // A typo: searched as corrected, and said so; the click searches the words as typed.
    await box.fill('과태로 어디서 내요');
    const corrected = agent.getByRole('status').filter({ hasText: "'과태료'로 찾았습니다" });
    await corrected.waitFor();
    await expect.poll(() => firstHit.textContent()).toContain('과태료');
    await screenshot(agent, 'search-02-typo');
    await corrected.getByRole('button', { name: "'과태로'로 찾기" }).click();
    await corrected.waitFor({ state: 'detached' });

    // No answer: said, with the nearest topics, and recorded as a missing article.
    const question = '우주선 발사 언제 해요';
    await box.fill(question);
    await agent.getByText(`'${question}'에 대한 상담 자료가 없습니다.`).waitFor();
    const topics = agent.getByRole('list', { name: '가까운 분야' }).getByRole('button');
    expect(await topics.count()).toBeGreaterThan(0);
    await agent.getByRole('button', { name: '없는 자료로 기록' }).click();
    await agent.getByRole('status').filter({ hasText: '없는 자료로 기록했습니다' }).waitFor();
    await screenshot(agent, 'search-03-no-answer');

    // A caller's word the KB does not know yet.
    await box.fill('쓰봉 어디서 사요');
    await expect.poll(() => firstHit.textContent()).not.toContain('종량제봉투');

    // The KB owner sees the missing question and adds a dictionary entry.
    const ownerContext = await newContext(browser);
    await signInThroughApi(ownerContext, 'super01');
    const owner = await ownerContext.newPage();
    const ownerProblems = watchPage(owner);
    await owner.goto('/admin/kb-search');
    await owner.getByRole('heading', { name: '상담 DB 검색 사전' }).waitFor();
    const gap = owner.getByRole('region', { name: '찾지 못한 질문' }).getByRole('row').filter({ hasText: question });
    await gap.waitFor();
    expect(await gap.getByRole('cell').nth(2).textContent()).toBe('1'); // recorded missing once
    const form = owner.getByRole('form', { name: '사전 항목 추가' });
    await form.getByLabel('민원인 표현').fill('쓰봉');
    await form.getByLabel('상담 자료의 낱말').fill('종량제봉투, 쓰레기봉투');
    await form.getByRole('button', { name: '추가' }).click();
    await owner.getByRole('row').filter({ hasText: '쓰봉' }).waitFor();
    await owner.getByRole('searchbox', { name: '사전 검색' }).fill('쓰봉');
    expect(await owner.getByRole('region', { name: '동의어·생활어 사전' }).getByRole('row').count()).toBe(2); // header + the entry
    expect(await horizontalOverflow(owner)).toBe(0);
    await screenshot(owner, 'search-04-dictionary');

    // The agent's next search finds the article by the caller's word.
    await box.fill('쓰봉 어디서 사나요');
    await expect.poll(() => firstHit.textContent(), { timeout: 10_000 }).toContain('종량제봉투');
    await screenshot(agent, 'search-05-synonym');

    expect(agentProblems).toEqual([]);
    expect(ownerProblems).toEqual([]);
    await agentContext.close();
    await ownerContext.close();
  });
});
