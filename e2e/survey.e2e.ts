import type { APIRequestContext, Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMail, startSmtpSink } from '../server/test/message-sinks';
import { BASE_URL, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * Issue 15 in the browser: a call agent08 settled, with the citizen's consent to a satisfaction survey by e-mail;
 * the scheduler (every 5 s in the e2e server) sends the link through the outbox to the SMTP server this journey
 * starts; the citizen opens it on a 390-pixel phone, answers (a low score), and sees the thanks; the link cannot be
 * used twice; super02 (two-factor) finds the answer in 만족도 조사 with its follow-up.
 */

const AGENT = 'agent08';
const SUPERVISOR = 'super02';
const CALLER = '010-4646-1515';
const EMAIL = 'survey.citizen@example.kr';
const H = { 'x-onecall-request': '1' };

async function ok<T>(res: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> {
  if (!res.ok()) throw new Error(`${res.url()}: ${res.status()} ${await res.text()}`);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

describe('a satisfaction survey: link by e-mail, answered on a phone, seen in the report', () => {
  let browser: Browser;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let link = '';

  beforeAll(async () => {
    const port = Number(process.env.E2E_SMTP_PORT);
    if (!port) throw new Error('E2E_SMTP_PORT is not set: run the journeys with scripts/e2e.mjs');
    smtp = await startSmtpSink(port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await smtp?.close();
  });

  it('sends the survey link by e-mail after a call the agent settled, with consent', async () => {
    // The supervisor asks every settled call at once (the defaults: 20%, 30 minutes later).
    const boss = await newContext(browser);
    await signInThroughApi(boss, SUPERVISOR);
    const settings = await ok<Record<string, unknown>>(await boss.request.get('/api/surveys/settings'));
    await ok(await boss.request.put('/api/surveys/settings', { data: { ...settings, callSampleRate: 1, delayMinutes: 0 }, headers: H }));
    await boss.close();

    const desk = await newContext(browser);
    await signInThroughApi(desk, AGENT);
    const categories = await ok<Array<{ id: string; level: number; path: string }>>(await desk.request.get('/api/categories'));
    const category = categories.find((c) => c.level === 3 && c.path.includes('자동차세')) ?? categories.find((c) => c.level === 3)!;
    const call = await ok<{ interaction: { id: string } }>(await desk.request.post('/api/calls/simulate', { data: { callerNumber: CALLER }, headers: H }));
    const recorded = await ok<{ caseId: string }>(
      await desk.request.post('/api/cases', { data: { interactionId: call.interaction.id, categoryId: category.id, summary: '자동차세 연납 신청 기간 안내', outcome: 'resolved' }, headers: H }),
    );
    await ok(await desk.request.post('/api/surveys/consents', { data: { caseId: recorded.caseId, surveys: true, polls: false, channel: 'email', email: EMAIL }, headers: H }));
    await desk.close();

    await expect.poll(() => smtp.received.filter((m) => m.to.includes(EMAIL)).length, { timeout: 30_000 }).toBeGreaterThan(0);
    const mail = readMail(smtp.received.filter((m) => m.to.includes(EMAIL)).at(-1)!.raw);
    expect(mail.subject).toBe('[한빛시 민원콜센터] 민원콜센터 상담 만족도 조사에 참여해 주십시오');
    link = /https?:\/\/\S+\/s\/[A-Za-z0-9_-]{32}/.exec(mail.text)![0];
    expect(mail.text).not.toContain('4646');
  }, 60_000);

  it('the citizen answers on a 390-pixel phone, once', async () => {
    const phone = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 390, height: 844 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul', deviceScaleFactor: 1 });
    const page = await phone.newPage();
    const problems = watchPage(page);
    // The link exactly as the e-mail gives it (PUBLIC_URL defaults to http://localhost:PORT).
    await page.goto(link);
    await page.getByRole('heading', { name: '민원콜센터 상담 만족도 조사' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(await page.locator('body').innerText()).not.toMatch(/4646|1515|자동차세/);
    await screenshot(page, 'survey-01-phone-questions');

    // Sending without the required answers: each question says what is missing.
    await page.getByRole('button', { name: '응답 보내기' }).click();
    await page.getByRole('alert').getByText(/확인해 주십시오/).waitFor();
    await page.getByRole('group', { name: /상담사는 친절하게/ }).getByRole('radio', { name: /2점 · 불만족/ }).check();
    await page.getByRole('group', { name: /정확하고 이해하기 쉬웠습니까/ }).getByRole('radio', { name: /3점 · 보통/ }).check();
    await page.getByRole('group', { name: /해결되었습니까/ }).getByRole('radio', { name: '아니요' }).check();
    await page.getByRole('group', { name: /전반적으로/ }).getByRole('radio', { name: /2점 · 불만족/ }).check();
    await page.getByLabel(/하고 싶은 말씀/).fill('안내가 빨랐으면 좋겠습니다. 연락처 010-2222-3333');
    await screenshot(page, 'survey-02-phone-answered');
    await page.getByRole('button', { name: '응답 보내기' }).click();
    await page.getByRole('heading', { name: '소중한 의견 감사합니다' }).waitFor();
    await screenshot(page, 'survey-03-phone-thanks');

    // The same link again: a friendly notice, never a second answer.
    await page.goto(new URL(link).pathname);
    await page.getByRole('heading', { name: '이 조사는 응답할 수 없습니다' }).waitFor();
    await page.getByText('이미 응답하신 조사입니다').waitFor();
    // A forged link: not found, no hint.
    await page.goto('/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await page.getByRole('heading', { name: '주소를 다시 확인해 주십시오' }).waitFor();
    expect(problems).toEqual([]);
    await phone.close();
  }, 60_000);

  it('super02 sees the answer and its follow-up in 만족도 조사', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, SUPERVISOR);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/supervisor/surveys?groupBy=trigger');
    const table = page.getByRole('table', { name: /조사 시점별/ });
    const row = table.getByRole('row', { name: /상담 직후/ });
    await row.waitFor();
    expect(Number((await row.getByRole('cell').nth(1).textContent())?.trim())).toBeGreaterThanOrEqual(1);
    const followUps = page.getByRole('list', { name: '낮은 점수 후속 조치' });
    await followUps.getByText('전반적 만족도 2점').first().waitFor();
    // The comment is stored masked.
    await page.getByText(/안내가 빨랐으면 좋겠습니다/).first().waitFor();
    expect(await page.locator('body').innerText()).not.toContain('010-2222-3333');
    await screenshot(page, 'survey-04-results');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('super02 sees 민원인 만족도 beside the figures in 통계 부서별, with the same response in it', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, SUPERVISOR);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/stats?view=department&period=month');
    await page.getByRole('heading', { name: '민원인 만족도' }).waitFor();
    const tiles = page.getByRole('group', { name: '민원인 만족도' });
    await tiles.getByRole('group', { name: '평균 만족도' }).waitFor();
    expect(await tiles.getByRole('group', { name: '응답률' }).locator('.tile__value').textContent()).toMatch(/^\d+\.\d%$/);
    const table = page.getByRole('table', { name: '부서별 만족도' });
    await table.getByRole('row').nth(1).waitFor();
    await page.getByRole('heading', { name: '민원인 만족도' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'survey-05-stats');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it("a poll's public results page (/p/:id) says there are none for a poll not published or not closed, on a phone", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: BASE_URL, locale: 'ko-KR' });
    const page = await phone.newPage();
    await page.goto('/p/00000000-0000-4000-8000-000000000000');
    await page.getByRole('heading', { name: '공개된 결과가 없습니다' }).waitFor();
    await screenshot(page, 'survey-06-poll-none');
    await phone.close();
  }, 60_000);
});
