import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newContext, signInThroughApi, watchPage } from './browser';

/** An agent at the desk: signed in through the API, the desk open with its socket live, available for calls. */
export async function openAvailableDesk(browser: Browser, login: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await newContext(browser);
  await signInThroughApi(context, login);
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto('/agent');
  await page.getByText('실시간 연결됨').waitFor();
  const res = await context.request.post('/api/acd/agent/state', { data: { status: 'available' }, headers: { 'x-onecall-request': '1' } });
  if (!res.ok()) throw new Error(`setting ${login} available failed: ${res.status()} ${await res.text()}`);
  return { context, page, problems };
}

/** A simulated call from `number` rings the desk and the agent answers it with Alt+A. */
export async function answerSimulatedCall(page: Page, number: string): Promise<void> {
  await page.getByLabel('민원인 전화번호').fill(number);
  await page.getByRole('button', { name: '전화 수신(모의)' }).click();
  await page.getByRole('button', { name: /응답/ }).first().waitFor();
  await page.keyboard.press('Alt+A');
  await page.getByText('통화 중', { exact: true }).first().waitFor();
}
