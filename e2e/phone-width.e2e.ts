import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, DEMO_PASSWORD, horizontalOverflow, launchBrowser, screenshot, signInThroughApi } from './browser';

/*
 * Phone width (issue #18 item 15): an official away from the desk signs in and works the inbox on a phone (390 px):
 * nothing wider than the screen, the hand-off and its actions reachable.
 */
describe('the sign-in page and the official inbox at 390 px', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const phone = () => browser.newContext({ baseURL: BASE_URL, viewport: { width: 390, height: 844 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });

  it('signs in at phone width', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('heading', { name: '로그인' }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'phone-01-sign-in');
    await page.getByLabel('아이디').fill('hong.kisoo');
    await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL('**/official**');
    await context.close();
  });

  it('works the inbox at phone width', async () => {
    const context = await phone();
    await signInThroughApi(context, 'hong.kisoo');
    const page = await context.newPage();
    await page.goto('/official');
    await page.getByRole('heading', { name: /이관 민원함/ }).waitFor();
    await page.locator('.handoff').first().waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    // The chosen hand-off's actions are on the page (below the list).
    await page.getByRole('button', { name: '반려' }).waitFor();
    await screenshot(page, 'phone-02-inbox');
    await context.close();
  });
});
