import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser';
import { answerSimulatedCall, openAvailableDesk } from './desk';

/*
 * Reloading the desk in the middle of a call (issue #18 item 3): the live call, its caller card (the screen pop) and
 * the case the agent was typing come back; saving the case removes the draft.
 */
describe('a reload in the middle of a call', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('brings back the call, the caller card and the typed draft', async () => {
    const { context, page, problems } = await openAvailableDesk(browser, 'agent11');
    await answerSimulatedCall(page, '010-7777-1234');
    // The caller card (screen pop) names the caller, masked.
    await page.getByText('김*희').first().waitFor();
    await page.getByLabel('상담 요약').fill('보도 누수 재신고 — 새로고침 전');
    await page.getByLabel('상담 내용·메모').fill('차도까지 물이 흐른다고 함');
    await page.getByLabel('위치 (현장 민원일 때)').fill('한빛로 45 앞 보도');

    await page.reload();
    await page.getByText('실시간 연결됨').waitFor();
    await page.getByText('통화 중', { exact: true }).first().waitFor();
    // The screen pop comes back: the caller's card with her name and history (not "no history").
    await page.getByText('김*희').first().waitFor();
    expect(await page.getByText('이전 상담 이력이 없').count()).toBe(0);
    await expect.poll(() => page.getByLabel('상담 요약').inputValue()).toBe('보도 누수 재신고 — 새로고침 전');
    expect(await page.getByLabel('상담 내용·메모').inputValue()).toBe('차도까지 물이 흐른다고 함');
    expect(await page.getByLabel('위치 (현장 민원일 때)').inputValue()).toBe('한빛로 45 앞 보도');
    await screenshot(page, 'desk-reload-restored');

    await page.getByRole('button', { name: '통화 종료' }).click();
    await page.getByText('통화 종료됨').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
