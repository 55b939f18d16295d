import type { Browser, Page } from 'playwright-core';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, newContext, rememberTotpSecret, screenshot, totpCodeFor, watchPage } from './browser';

/*
 * Access control in the browser (issue 3 layer 3): supervisors and the admin enrol an authenticator at their first
 * sign-in (the secret is read from the screen and the code computed as an app would), sign in with a code later,
 * see and manage their sessions and password in 내 보안 설정, and the admin unlocks a locked account.
 */

async function signInWithPassword(page: Page, login: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('아이디').fill(login);
  await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
}

/** The first sign-in of a 2FA user: the enrolment screen, its QR code and setup key, then the first code. */
async function enrolThroughScreen(page: Page, login: string): Promise<void> {
  await signInWithPassword(page, login);
  await page.getByRole('heading', { name: '2단계 인증 등록' }).waitFor();
  await page.getByRole('img', { name: '인증 앱 등록용 QR 코드' }).waitFor();
  const secret = await page.getByLabel('설정 키').inputValue();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const code = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) });
  await page.getByLabel('인증 코드').fill(code);
  await page.getByRole('button', { name: '등록하고 로그인' }).click();
  rememberTotpSecret(login, secret);
}

describe('two-factor sign-in, my security settings and the admin account panel', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a supervisor enrols at the first sign-in and lands on the overview', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const problems = watchPage(page);
    await signInWithPassword(page, 'super01');
    await page.getByRole('heading', { name: '2단계 인증 등록' }).waitFor();
    await screenshot(page, 'sec-01-enrol');
    // The enrolment step is not a session: the API still refuses.
    expect((await context.request.get('/api/auth/me')).status()).toBe(401);
    await page.getByRole('button', { name: '처음부터 다시 로그인' }).click();

    await enrolThroughScreen(page, 'super01');
    await page.waitForURL('**/supervisor');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('later sign-ins ask for the code; a wrong code is refused in Korean', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInWithPassword(page, 'super01');
    await page.getByRole('heading', { name: '2단계 인증', exact: true }).waitFor();
    const input = page.getByLabel('인증 코드');
    expect(await input.getAttribute('inputmode')).toBe('numeric');
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    const right = await totpCodeFor('super01');
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
    await input.fill(wrong);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '인증 코드가 올바르지 않거나' }).waitFor();
    await input.fill(right);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/supervisor');
    await screenshot(page, 'sec-02-signed-in-with-code');

    // 내 보안 설정: sessions (this one marked), 2FA on, live password rules.
    await page.getByRole('link', { name: '내 보안 설정' }).click();
    await page.getByRole('heading', { name: '내 보안 설정' }).waitFor();
    await page.getByRole('cell').getByText('현재 세션').waitFor();
    await page.getByText('사용 중', { exact: true }).waitFor();
    await page.getByLabel('현재 비밀번호').fill(DEMO_PASSWORD);
    await page.getByLabel('새 비밀번호', { exact: true }).fill('abc');
    expect(await page.getByRole('button', { name: '비밀번호 변경' }).isDisabled()).toBe(true);
    await page.getByLabel('새 비밀번호', { exact: true }).fill('Hanbit!City2026');
    await page.locator('.pw-rules__ok').first().waitFor();
    expect(await page.locator('.pw-rules__bad').count()).toBe(0);
    await screenshot(page, 'sec-03-my-security');
    await context.close();
  });

  it('warns before the idle sign-out, "계속 사용" keeps working, and at the limit the sign-in page says why', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    // The page's clock is moved instead of waiting half an hour (the server's idle rule is tested with a fake clock).
    await page.clock.install();
    await page.goto('/login');
    await page.getByLabel('아이디').fill('agent02');
    await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
    // Opening the app records activity with a keep-alive, which also tells the page the idle limit.
    const opened = page.waitForResponse((r) => r.url().endsWith('/api/auth/session/keep-alive'));
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL('**/agent');
    await opened;

    // 30-minute limit, ended a minute early for the server's once-a-minute record (29 min); the warning comes 2
    // minutes before that (27 min).
    await page.clock.fastForward('26:00');
    expect(await page.getByRole('dialog').isVisible()).toBe(false);
    await page.clock.fastForward('01:30');
    const dialog = page.getByRole('dialog', { name: '곧 자동 로그아웃됩니다' });
    await dialog.waitFor();
    await screenshot(page, 'sec-05-idle-warning');
    await dialog.getByRole('button', { name: '계속 사용' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.clock.fastForward('29:10');
    await page.waitForURL('**/login');
    await page.getByRole('status').filter({ hasText: '자동으로 로그아웃되었습니다' }).waitFor();
    expect((await context.request.get('/api/auth/me')).status()).toBe(401);
    await context.close();
  });

  it('the admin enrols, sees a locked account in 계정 보안 and unlocks it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const problems = watchPage(page);
    // agent15 locks itself out with five wrong passwords.
    for (let i = 0; i < 5; i++) {
      await context.request.post('/api/auth/login', { data: { login: 'agent15', password: `wrong-${i}-password` }, headers: { 'x-onecall-request': '1' } });
    }
    await enrolThroughScreen(page, 'admin');
    await page.waitForURL('**/admin');
    const panel = page.getByRole('region', { name: '계정 보안' });
    await panel.getByRole('searchbox').fill('agent15');
    await panel.getByText(/잠김/).waitFor();
    await screenshot(page, 'sec-04-admin-locked');
    await panel.getByRole('button', { name: /^잠금 해제/ }).click();
    await panel.getByRole('status').filter({ hasText: '잠금을 해제했습니다' }).waitFor();
    await panel.getByText('정상', { exact: true }).waitFor();
    const unlocked = await context.request.post('/api/auth/login', { data: { login: 'agent15', password: DEMO_PASSWORD }, headers: { 'x-onecall-request': '1' } });
    expect(unlocked.status()).toBe(200);
    expect(problems).toEqual([]);
    await context.close();
  });
});
