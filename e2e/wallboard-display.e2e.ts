import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * 상황판 표시 모드 (issue #18 item 7): the supervisor turns the wall-TV browser into a view-only wallboard display;
 * it shows the board only (no menu), whatever address is opened, and the rest of the API refuses it.
 */
describe('wallboard display mode', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the supervisor turns a browser into a wallboard-only display', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, 'super01');
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/supervisor/wallboard');
    await page.getByRole('heading', { name: '실시간 상담 현황판' }).waitFor();
    page.once('dialog', (d) => {
      expect(d.message()).toContain('자동 로그아웃되지 않습니다');
      void d.accept();
    });
    await page.getByRole('button', { name: 'TV 표시 모드' }).click();
    await page.getByText('표시 전용').waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.getByRole('button', { name: '로그아웃' }).count()).toBe(0);
    await screenshot(page, 'wallboard-display');

    // Any address shows the board; the API refuses everything else.
    await page.goto('/official');
    await page.getByRole('heading', { name: '실시간 상담 현황판' }).waitFor();
    const refused = await context.request.get('/api/handoffs');
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('DISPLAY_ONLY');
    expect(problems.filter((p) => !p.includes('403'))).toEqual([]);
    await context.close();
  });
});
