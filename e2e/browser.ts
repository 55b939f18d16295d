import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium: the only browser that can be installed here (scripts/install-chromium.sh). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const BASE_URL = (() => {
  const url = process.env.E2E_BASE_URL || process.env.BASE_URL;
  if (!url || !/^https?:\/\//.test(url)) throw new Error('BASE_URL is not set: run the journeys with `npm run e2e`');
  return url.replace(/\/$/, '');
})();

export const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS ?? '.artifacts/e2e');

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'onecall-demo-2026';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-chromium.sh`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh browser profile (its own cookies) on an agent's monitor size, Korean, in Seoul. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 800 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
}

/** Collects uncaught page errors and failed API calls other than the expected 401 of a signed-out check. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/api/') && res.status() >= 500) problems.push(`${res.status()} ${url.pathname}`);
  });
  return problems;
}

export async function signInThroughApi(context: BrowserContext, login: string): Promise<void> {
  const res = await context.request.post('/api/auth/login', { data: { login, password: DEMO_PASSWORD }, headers: { 'x-onecall-request': '1' } });
  if (!res.ok()) throw new Error(`sign-in as ${login} failed: ${res.status()} ${await res.text()}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** The page fits the agents' 1280-pixel monitors: nothing scrolls sideways. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
