import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

const HEADERS = { 'x-onecall-request': '1' };

/** Yesterday in KST, YYYY-MM-DD. */
function yesterdayKst(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The demo's simulated call history (server/db/seed/demo-history.ts) is written after the server starts, a day per
 * transaction, oldest first, ending with yesterday: once yesterday has calls (offered, or rung while closed on a day
 * off) all four weeks are there.
 */
async function waitForDemoHistory(context: BrowserContext): Promise<void> {
  const url = `/api/stats/service?period=day&date=${yesterdayKst(new Date())}`;
  await expect
    .poll(
      async () => {
        const res = await context.request.get(url, { headers: HEADERS });
        expect(res.status(), await res.text()).toBe(200);
        const r = (await res.json()) as { offered: number; afterHours: number };
        return r.offered + r.afterHours;
      },
      { timeout: 300_000, interval: 2_000 },
    )
    .toBeGreaterThan(0);
}

/*
 * 인력 산정 (issue #12 §3) and 서비스 수준 as a supervisor sees them on a fresh demo: the demo writes four weeks of
 * simulated calls beside its data (a Gimpo-sized centre, #19), so both screens have figures without anything written by
 * the journey. The page plans the busiest weekday, the what-if with the seed centre's 12 agents falls short at the
 * morning peak, and with 30 agents every half hour meets 80/20. Inputs stay in the URL.
 */
describe('인력 산정 and 서비스 수준 on the demo: agents per half hour and the 12 → 30 what-if', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('서비스 수준 shows the last four weeks of the demo centre', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, 'super01');
    await waitForDemoHistory(context);
    const page = await context.newPage();
    const problems = watchPage(page);
    const to = yesterdayKst(new Date());
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 27 * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/stats?view=service&period=custom&from=${from}&to=${to}`);
    const table = page.getByRole('table').filter({ has: page.getByRole('rowheader', { name: '인입' }) });
    await table.waitFor();
    const figure = async (name: string) => (await table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).getByRole('cell').first().innerText()).trim();
    // Four weeks of a Gimpo-sized centre: well over ten thousand calls offered, most answered within 20 s.
    expect(Number((await figure('인입')).replaceAll(',', ''))).toBeGreaterThan(10_000);
    expect(Number((await figure('응답')).replaceAll(',', ''))).toBeGreaterThan(10_000);
    expect(Number.parseFloat(await figure('서비스레벨(20초)'))).toBeGreaterThan(50);
    expect(await page.getByRole('img', { name: '표준 지표와 콜백 포함 지표' }).count()).toBe(1);
    await screenshot(page, 'staffing-00-service-level');
    expect(problems).toEqual([]);
    await context.close();
  }, 360_000);

  it('plans the week, then 30 agents lift the expected service level of the peak half hour', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, 'super01');
    await waitForDemoHistory(context);
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
  }, 360_000);
});
