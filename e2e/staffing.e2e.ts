import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';
import { writeStaffingHistory } from './staffing-history';

/*
 * 인력 산정 (issue #12 §3) as a supervisor uses it: four weeks of calls are in the log (written into the journey
 * server's database, as the ACD logs them); the page plans the busiest weekday, the what-if with the seed centre's 12
 * agents falls short at the morning peak, and with 30 agents every half hour meets 80/20. Inputs stay in the URL.
 */
describe('인력 산정: agents per half hour and the 12 → 30 what-if', () => {
  let browser: Browser;

  beforeAll(async () => {
    const file = process.env.E2E_DATABASE_FILE;
    if (!file) throw new Error('E2E_DATABASE_FILE is not set: run the journeys with scripts/e2e.mjs');
    expect(await writeStaffingHistory(file, new Date(), { weeks: 4, callsPerDay: 700 })).toBeGreaterThan(10_000);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('plans the week, then 30 agents lift the expected service level of the peak half hour', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, 'super01');
    const page = await context.newPage();
    const problems = watchPage(page);

    await page.goto('/supervisor');
    await page.getByRole('navigation').getByRole('button', { name: '운영' }).click();
    await page.getByRole('link', { name: '인력 산정' }).click();
    await page.getByRole('heading', { name: '인력 산정', level: 1 }).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/supervisor/staffing');

    // The busiest weekday is shown first: the peak needs more than 12 scheduled agents at 80/20 with 30% shrinkage.
    const table = page.getByRole('table', { name: /인입이 있는 시간대/ });
    await table.waitFor();
    const peakRow = table.getByRole('row', { name: /^10:00–10:30/ });
    const cells = peakRow.getByRole('cell');
    const scheduled = Number(await cells.nth(4).innerText());
    expect(scheduled).toBeGreaterThan(12);
    const slWith12 = await cells.nth(5).innerText();
    expect(Number.parseFloat(slWith12)).toBeLessThan(80);
    await expect.poll(() => page.getByTestId('staffing-week-sl').innerText()).toMatch(/%$/);
    expect(await page.getByRole('img', { name: /필요 배치 인원/ }).count()).toBe(1);
    await screenshot(page, 'staffing-01-plan-12');

    // What-if: 30 agents, typed and applied with the keyboard.
    const agents = page.getByLabel('배치 상담사 수 (가정)');
    await agents.fill('30');
    await agents.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('agents')).toBe('30');
    await expect.poll(() => cells.nth(5).innerText()).not.toBe(slWith12);
    expect(Number.parseFloat(await cells.nth(5).innerText())).toBeGreaterThanOrEqual(99);
    await page.getByText('30명 배치 시 서비스 수준').waitFor();
    await screenshot(page, 'staffing-02-what-if-30');

    // The table as a file for the roster: the XLSX of the same inputs.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '인력 산정표 엑셀(XLSX) 내려받기' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^인력 산정_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(await download.failure()).toBeNull();

    // Another weekday, and the link keeps every input: reloading shows the same view.
    await page.getByRole('button', { name: '월', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('day')).toBe('1');
    await page.getByRole('heading', { name: '월요일 시간대별 산정표' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '월요일 시간대별 산정표' }).waitFor();
    expect(await page.getByLabel('배치 상담사 수 (가정)').inputValue()).toBe('30');

    // A shared link with a bad value gets the server's clear answer (400, naming the field), not a blank page.
    await page.goto('/supervisor/staffing?targetSl=100&agents=30');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('목표 서비스 수준');
    expect(await page.getByLabel('목표 서비스 수준 (%)').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('1~99 사이로 입력하세요.').waitFor();
    await screenshot(page, 'staffing-03-bad-link');

    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
