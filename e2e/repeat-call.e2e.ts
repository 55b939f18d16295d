import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreAllDay } from './acd';
import { horizontalOverflow, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * Issue 11 §3 in the browser: a repeat call about an open hand-off (추가 민원 / 독촉). 최봉순 (demo seed) reported a
 * dark street light; the hand-off waits at 도로관리과 with 진수민, who holds that duty and took it. She calls again: the
 * desk shows her hand-off in progress, the agent adds the call to it instead of a new hand-off, and the official sees
 * "독촉 1회" with the added notes, finds it under 나에게 배정, and reveals her number with a reason to call back.
 * On the way, 호 전환 offers the directory's targets as a searchable list (no free text).
 */

const CALLER = '031-947-3382';
const HANDOFF_SUMMARY = '골목 보안등 소등 신고';
const AGENT = 'agent06';
const OFFICIAL = 'jin.soomin';
const SUMMARY = '보안등 소등 독촉: 사흘째 꺼져 있음';
const NOTES = '어제 저녁에도 골목이 어두워 넘어질 뻔했다고 함. 빠른 수리 요청.';

describe('a repeat call adds to the open hand-off, and the official sees 독촉 1회', () => {
  let browser: Browser;
  let agentContext: BrowserContext;
  let agent: Page;
  let agentProblems: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
    await openCentreAllDay(browser);
    agentContext = await newContext(browser);
    await signInThroughApi(agentContext, AGENT);
    agent = await agentContext.newPage();
    agentProblems = watchPage(agent);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('takes the call: the caller card lists her hand-off in progress', async () => {
    await agent.goto('/agent');
    await agent.getByRole('heading', { name: '상담 기록' }).waitFor();
    await agent.getByRole('button', { name: '상담 가능', exact: true }).click();
    await agent.getByRole('region', { name: '상담 상태' }).getByRole('status').first().filter({ hasText: '상담 가능' }).waitFor();
    await agent.getByLabel('민원인 전화번호').fill(CALLER);
    await agent.getByRole('button', { name: '전화 수신(모의)' }).click();
    await agent.getByRole('region', { name: '전화가 왔습니다' }).getByRole('button', { name: /^응답/ }).click();
    const open = agent.getByRole('region', { name: '민원인 정보' }).getByRole('region', { name: /처리 중인 이관/ });
    await open.getByText(HANDOFF_SUMMARY).waitFor();
  });

  it('offers 호 전환 only from the directory, searchable', async () => {
    await agent.getByRole('button', { name: '호 전환', exact: true }).click();
    const dialog = agent.getByRole('dialog', { name: '호 전환' });
    const search = dialog.getByRole('combobox', { name: '전환 대상 (업무분장)' });
    await search.fill('진수민');
    const options = dialog.getByRole('listbox').getByRole('option');
    await expect.poll(() => options.count()).toBe(1);
    await expect.poll(() => options.first().textContent()).toContain('2904');
    await search.press('Enter');
    await dialog.getByText('선택: 진수민 (2904)').waitFor();
    await search.fill('도로관리과');
    await dialog.getByRole('option', { name: /부서 대표/ }).waitFor();
    await search.fill('아무개 없는 이름');
    await dialog.getByText('찾는 대상이 없습니다', { exact: false }).waitFor();
    await screenshot(agent, 'repeat-01-blind-transfer-picker');
    await dialog.getByRole('button', { name: '취소' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('adds the call to the open hand-off instead of a new one', async () => {
    const category = agent.getByRole('combobox', { name: '상담 분류' });
    await category.click();
    await category.pressSequentially('보안등 고장');
    await agent.getByRole('listbox', { name: '상담 분류' }).getByRole('option').first().waitFor();
    await agent.keyboard.press('Enter');
    await expect.poll(() => category.inputValue()).toContain('보안등');
    await agent.getByLabel('상담 요약').fill(SUMMARY);
    await agent.getByLabel('상담 내용·메모').fill(NOTES);

    const choice = agent.getByRole('group', { name: '처리 중인 이관에 추가할 수 있습니다' });
    await choice.getByRole('radio', { name: new RegExp(HANDOFF_SUMMARY) }).check();
    const append = agent.getByRole('button', { name: /기존 이관에 추가/ });
    await append.waitFor();
    expect(await agent.getByRole('button', { name: /^부서 이관/ }).count()).toBe(0);
    expect(await horizontalOverflow(agent)).toBe(0);
    await screenshot(agent, 'repeat-02-append-choice');
    await append.click();

    const saved = agent.getByRole('status').filter({ hasText: '이관 건에 추가했습니다' });
    await saved.waitFor();
    expect(await saved.textContent()).toContain('독촉 1회');
    // Still one hand-off in progress, now marked as chased.
    const open = agent.getByRole('region', { name: /처리 중인 이관/ });
    await open.getByText('독촉 1회').waitFor();
    expect(await open.getByRole('button').count()).toBe(1);
    await screenshot(agent, 'repeat-03-added');
    // This call's case says where it went; the reply follows the first case.
    await agent.getByRole('button', { name: '상담 상세' }).click();
    const detail = agent.getByRole('dialog', { name: /상담 상세/ });
    await detail.getByText('기존 이관 건에 추가한 상담입니다', { exact: false }).waitFor();
    await detail.getByText('독촉 1회').waitFor();
    await detail.getByRole('list', { name: '처리 경과' }).getByText('추가 민원(독촉)').waitFor();
    await agent.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
    expect(agentProblems).toEqual([]);
  });

  it('writes down the name an unknown caller gives and how he wants the answer (#18 item 6)', async () => {
    await agent.getByRole('button', { name: '통화 종료' }).click();
    await agent.getByText('통화 종료됨').waitFor();
    // After-call work ends into 상담 가능 (the agent was available before the call).
    await agent.getByRole('button', { name: '후처리 종료' }).click();
    await agent.getByRole('region', { name: '상담 상태' }).getByRole('status').first().filter({ hasText: '상담 가능' }).waitFor();
    await agent.getByLabel('민원인 전화번호').fill('010-5656-1212');
    await agent.getByRole('button', { name: '전화 수신(모의)' }).click();
    await agent.getByRole('region', { name: '전화가 왔습니다' }).getByRole('button', { name: /^응답/ }).click();
    const card = agent.getByRole('region', { name: '민원인 정보' });
    await card.getByRole('button', { name: '이름 입력' }).click();
    await card.getByRole('textbox', { name: '민원인 이름' }).fill('최민수');
    await card.getByRole('button', { name: '저장' }).click();
    await card.getByText('최*수').waitFor();
    expect(await card.getByText('최민수').count()).toBe(0);
    await screenshot(agent, 'repeat-06-caller-named');

    // A new hand-off for him, with how he wants the answer (회신 방법, #18 item 6).
    const category = agent.getByRole('combobox', { name: '상담 분류' });
    await category.click();
    await category.pressSequentially('보안등 고장');
    await agent.getByRole('listbox', { name: '상담 분류' }).getByRole('option').first().waitFor();
    await agent.keyboard.press('Enter');
    await agent.getByLabel('상담 요약').fill('집 앞 보안등 깜빡임');
    expect(await agent.getByRole('group', { name: '처리 중인 이관에 추가할 수 있습니다' }).count()).toBe(0);
    await agent.getByRole('combobox', { name: '회신 방법' }).selectOption({ label: '문자(SMS)' });
    await agent.getByRole('checkbox', { name: /동의했습니다/ }).check();
    await screenshot(agent, 'repeat-07-reply-choice');
    await agent.getByRole('button', { name: /^부서 이관/ }).click();
    await agent.getByRole('status').filter({ hasText: '이관했습니다' }).waitFor();
    await agent.getByRole('button', { name: '상담 상세' }).click();
    const detail = agent.getByRole('dialog', { name: /상담 상세/ });
    await detail.getByText('문자(SMS)', { exact: false }).first().waitFor();
    await agent.keyboard.press('Escape');
    expect(agentProblems).toEqual([]);
  });

  it('shows the official 독촉 1회 with the added notes, under 나에게 배정, and reveals the number with a reason', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, OFFICIAL);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/official');
    await page.getByRole('heading', { name: /이관 민원함/ }).waitFor();
    const list = page.getByRole('list', { name: '이관 민원함' });
    const row = list.getByRole('button', { name: new RegExp(HANDOFF_SUMMARY) });
    await row.getByText('독촉 1회').waitFor();

    const mine = page.getByRole('button', { name: '나에게 배정' });
    await mine.click();
    await expect.poll(() => mine.getAttribute('aria-pressed')).toBe('true');
    await row.waitFor();
    await row.click();
    await page.getByRole('heading', { name: HANDOFF_SUMMARY }).waitFor();
    const added = page.getByRole('region', { name: '추가 민원 1건' });
    await added.getByText(SUMMARY).waitFor();
    await added.getByText('넘어질 뻔했다고 함', { exact: false }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'repeat-04-official-chased');

    await page.getByRole('button', { name: '전화번호 보기' }).click();
    const dialog = page.getByRole('dialog', { name: '개인정보 마스킹 해제' });
    await dialog.getByLabel('상세 사유').fill('회신 전화를 위해 번호 확인');
    await dialog.getByRole('button', { name: '사유 기록 후 보기' }).click();
    await page.getByText(CALLER, { exact: true }).waitFor();
    await screenshot(page, 'repeat-05-official-revealed');
    expect(problems).toEqual([]);
  });
});
