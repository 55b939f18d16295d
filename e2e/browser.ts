import fs from 'node:fs';
import path from 'node:path';
import { generateSync } from 'otplib';
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

/**
 * TOTP secrets of the users these journeys enrolled (supervisors and admins enrol at their first sign-in, like
 * real users), and the last 30 s step each used: the server refuses a code twice.
 */
const enrolled = new Map<string, { secret: string; lastStep: number }>();
// Vitest loads this module afresh for every journey file, while the server (and its enrolments) lives for the whole
// run: the secrets are kept in a file of this run's artifacts too, so that a later file can sign the same user in.
const SECRETS_FILE = path.join(ARTIFACTS, `totp-secrets-${new URL(BASE_URL).port}.json`);
function loadSecrets(): void {
  try {
    const saved = JSON.parse(fs.readFileSync(SECRETS_FILE, 'utf8')) as Record<string, { secret: string; lastStep: number }>;
    for (const [login, entry] of Object.entries(saved)) if (!enrolled.has(login)) enrolled.set(login, entry);
  } catch {
    // none yet
  }
}
function saveSecrets(): void {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(SECRETS_FILE, JSON.stringify(Object.fromEntries(enrolled)));
}

/** Remembers a secret enrolled through the screen, so later API sign-ins of that user can answer with codes. */
export function rememberTotpSecret(login: string, secret: string, usedAt = Date.now()): void {
  enrolled.set(login, { secret, lastStep: Math.floor(usedAt / 30_000) });
  saveSecrets();
}

/**
 * A fresh code for the user: the current step's, or the next one's (the server accepts ±1 step) when the current
 * one was used; waits for the step after that otherwise.
 */
export async function totpCodeFor(login: string): Promise<string> {
  loadSecrets();
  const entry = enrolled.get(login);
  if (!entry) throw new Error(`${login} has not enrolled a TOTP secret in this run`);
  let step = Math.max(Math.floor(Date.now() / 30_000), entry.lastStep + 1);
  const waitStarted = Date.now();
  while (step > Math.floor(Date.now() / 30_000) + 1) await new Promise((r) => setTimeout(r, 1_000));
  // Visible in CI's log: a user signed in three times within 30 s costs the journeys up to 30 s here.
  if (Date.now() - waitStarted > 1_000) console.log(`[e2e] waited ${((Date.now() - waitStarted) / 1000).toFixed(0)} s for a fresh TOTP step of ${login}`);
  step = Math.max(step, Math.floor(Date.now() / 30_000));
  entry.lastStep = step;
  saveSecrets();
  return generateSync({ secret: entry.secret, epoch: step * 30 });
}

export async function signInThroughApi(context: BrowserContext, login: string): Promise<void> {
  const headers = { 'x-onecall-request': '1' };
  const res = await context.request.post('/api/auth/login', { data: { login, password: DEMO_PASSWORD }, headers });
  if (!res.ok()) throw new Error(`sign-in as ${login} failed: ${res.status()} ${await res.text()}`);
  const answer = (await res.json()) as { next?: 'totp' | 'enrol'; challenge?: string; enrolment?: { secret: string } };
  if (!answer.next) return;
  // Two-factor users: enrol with the secret the server shows (first sign-in), or answer with a code.
  if (answer.next === 'enrol' && answer.enrolment) rememberTotpSecret(login, answer.enrolment.secret, 0);
  const code = await totpCodeFor(login);
  const second = await context.request.post('/api/auth/login/totp', { data: { challenge: answer.challenge, code }, headers });
  if (!second.ok()) throw new Error(`two-factor sign-in as ${login} failed: ${second.status()} ${await second.text()}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** The page fits the agents' 1280-pixel monitors: nothing scrolls sideways. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
