import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * 사용자 관리 (issue #18 item 12): the admin registers an official, hands over the temporary password shown once;
 * the official's first sign-in asks for a new password before anything else, then opens the inbox; the admin
 * deactivates the account and the official's next call is refused.
 */
describe('user management in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('register → temporary password → first sign-in sets a new one → deactivate', async () => {
    const adminContext = await newContext(browser);
    await signInThroughApi(adminContext, 'admin');
    const admin = await adminContext.newPage();
    const adminProblems = watchPage(admin);
    await admin.goto('/admin');
    await admin.getByRole('heading', { name: '사용자 관리' }).waitFor();
    // The page no longer calls itself read-only above controls that edit.
    expect(await admin.getByText('조회 전용').count()).toBe(0);

    await admin.getByRole('button', { name: '사용자 등록', exact: true }).click();
    const form = admin.getByRole('dialog');
    await form.getByLabel('아이디').fill('choi.e2e');
    await form.getByLabel('이름').fill('최시험');
    await form.getByLabel('역할').selectOption({ label: '담당공무원' });
    // An official without a department is refused in Korean.
    await form.getByRole('button', { name: '등록하고 임시 비밀번호 발급' }).click();
    await form.getByRole('alert').filter({ hasText: '소속 부서가 있어야' }).waitFor();
    await form.getByLabel('소속 부서').selectOption({ label: '교통행정과' });
    await form.getByLabel('직위').fill('주무관');
    await form.getByLabel('내선').fill('2311');
    await screenshot(admin, 'users-01-create');
    await form.getByRole('button', { name: '등록하고 임시 비밀번호 발급' }).click();
    const issued = admin.getByRole('dialog').filter({ hasText: '임시 비밀번호 발급' });
    await issued.waitFor();
    const temporary = (await issued.getByLabel('임시 비밀번호').textContent())?.trim() ?? '';
    expect(temporary).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
    await screenshot(admin, 'users-02-temporary-password');
    await issued.getByRole('button', { name: '전달했습니다' }).click();
    // The 사용자 관리 table (the 계정 보안 panel below lists the same accounts).
    const row = admin.getByRole('region', { name: '사용자 관리' }).getByRole('row').filter({ hasText: 'choi.e2e' });
    await row.getByText('임시 비밀번호').waitFor();
    await row.getByText('교통행정과').waitFor();

    // The official's first sign-in: the temporary password, then a new one, then the inbox.
    const officialContext = await newContext(browser);
    const official = await officialContext.newPage();
    const officialProblems = watchPage(official);
    await official.goto('/login');
    await official.getByLabel('아이디').fill('choi.e2e');
    await official.getByLabel('비밀번호').fill(temporary);
    await official.getByRole('button', { name: '로그인', exact: true }).click();
    await official.getByRole('heading', { name: '새 비밀번호 정하기' }).waitFor();
    expect((await officialContext.request.get('/api/auth/me')).status()).toBe(401);
    await official.getByLabel('새 비밀번호', { exact: true }).fill('gyotong-2311!');
    await official.getByLabel('새 비밀번호 확인').fill('gyotong-2311!');
    await screenshot(official, 'users-03-new-password');
    await official.getByRole('button', { name: '새 비밀번호로 로그인' }).click();
    await official.waitForURL('**/official');
    expect((await officialContext.request.get('/api/auth/me')).status()).toBe(200);

    // The admin sees the password changed, then deactivates the account: the official's session ends.
    await admin.reload();
    await row.getByText('정상').waitFor();
    admin.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: '비활성화: 최시험' }).click();
    await admin.getByRole('status').filter({ hasText: '비활성화했습니다' }).waitFor();
    expect((await officialContext.request.get('/api/auth/me')).status()).toBe(401);
    await screenshot(admin, 'users-04-deactivated');

    expect(adminProblems).toEqual([]);
    expect(officialProblems.filter((p) => !p.includes('401'))).toEqual([]);
    await adminContext.close();
    await officialContext.close();
  });
});
