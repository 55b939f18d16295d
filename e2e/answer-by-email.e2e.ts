import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMail, startSmtpSink } from '../server/test/message-sinks';
import { openCentreAllDay } from './acd';
import { launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';
import { answerSimulatedCall, openAvailableDesk } from './desk';

/*
 * Issue 11 §4 in the browser: the citizen hears back by e-mail. The agent records a hand-off and, on the case, how
 * the citizen wants the answer (이메일, with consent); the department's official acknowledges and answers in the
 * inbox; the outbox sends the answer to a real SMTP server this journey starts (scripts/e2e.mjs gave the server its
 * port, E2E_SMTP_PORT); only then is the hand-off closed, and the case shows 종결 with the channel and the time.
 */

const CALLER = '010-5858-2727';
const AGENT = 'agent05';
const OFFICIAL = 'moon.junhyuk';
const SUMMARY = '단독주택 계량기 동파 누수 문의';
const EMAIL = 'citizen.kim@example.kr';
const ANSWER = '12월 8일 오전에 현장을 확인하고 계량기를 교체하겠습니다. 교체 비용은 청구되지 않습니다.';

describe('an answered hand-off reaches the citizen by e-mail, and the case closes', () => {
  let browser: Browser;
  let agent: Page;
  let agentProblems: string[];
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    const port = Number(process.env.E2E_SMTP_PORT);
    if (!port) throw new Error('E2E_SMTP_PORT is not set: run the journeys with scripts/e2e.mjs');
    smtp = await startSmtpSink(port);
    browser = await launchBrowser();
    await openCentreAllDay(browser);
    ({ page: agent, problems: agentProblems } = await openAvailableDesk(browser, AGENT));
  });

  afterAll(async () => {
    await browser?.close();
    await smtp?.close();
  });

  it('records the hand-off and the citizen’s wish to hear back by e-mail', async () => {
    await answerSimulatedCall(agent, CALLER);

    const category = agent.getByRole('combobox', { name: '상담 분류' });
    await category.click();
    await category.pressSequentially('누수');
    await agent.getByRole('listbox', { name: '상담 분류' }).getByRole('option').first().waitFor();
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('Enter');
    await expect.poll(() => category.inputValue()).toContain('누수');
    await agent.getByLabel('상담 요약').fill(SUMMARY);
    await agent.getByLabel('상담 내용·메모').fill('한파로 계량기가 얼어 터졌고 마당으로 물이 흐릅니다. 답변은 이메일로 받기를 원합니다.');
    await agent.getByRole('button', { name: '부서 이관', exact: true }).click();
    const saved = agent.locator('.saved');
    await saved.getByText(/상하수도사업소로 이관했습니다/).waitFor();

    // 회신 방법 on the case: e-mail, to the address the citizen gives, with consent.
    await saved.getByRole('button', { name: '상담 상세' }).click();
    const dialog = agent.getByRole('dialog', { name: /상담 상세/ });
    const form = dialog.getByRole('form', { name: '회신 방법' });
    await form.getByRole('radio', { name: '이메일' }).check();
    await form.getByLabel('회신받을 연락처').fill(EMAIL);
    await form.getByRole('checkbox', { name: /동의했습니다/ }).check();
    await form.getByRole('button', { name: '회신 방법 저장' }).click();
    // The address is shown masked once saved.
    await form.getByRole('status').filter({ hasText: /저장했습니다: 이메일 c\S*@example\.kr/ }).waitFor();
    expect(await form.getByRole('status').textContent()).not.toContain(EMAIL);
    await dialog.getByText('부서 답변 후 민원인에게 알립니다.').waitFor();
    await screenshot(agent, 'answer-by-email-01-reply-preference');
    await agent.keyboard.press('Escape');
    await agent.getByRole('button', { name: '통화 종료' }).click();
    await agent.getByText('통화 종료됨').waitFor();
    expect(agentProblems).toEqual([]);
  });

  it('sends the department’s answer by e-mail once the official answers, and only then closes the case', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, OFFICIAL);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/official');
    const row = page.getByRole('list', { name: '이관 민원함' }).getByRole('button', { name: new RegExp(SUMMARY) });
    await row.waitFor().catch(async (err: unknown) => {
      await screenshot(page, 'answer-by-email-failed-inbox');
      throw err;
    });
    await row.click();
    await page.getByRole('heading', { name: SUMMARY }).waitFor();
    const answerBox = page.getByRole('textbox', { name: '회신 내용' });
    await page.getByRole('button', { name: '접수', exact: true }).click();
    await expect.poll(() => answerBox.isEnabled()).toBe(true);
    await answerBox.fill(ANSWER);
    await page.getByRole('button', { name: '회신 등록' }).click();
    await page.getByRole('region', { name: /회신 내용/ }).getByText(ANSWER).waitFor();
    await screenshot(page, 'answer-by-email-02-official-answered');
    expect(problems).toEqual([]);
    await context.close();

    // The outbox (every second) delivers it to the journey's SMTP server: Korean, UTF-8, to the citizen's address.
    await expect.poll(() => smtp.received.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual([EMAIL]);
    const read = readMail(mail.raw);
    expect(read.subject).toMatch(/^\[한빛시 민원콜센터\] 문의하신 민원\(\d{8}-\d{5}\)에 대한 답변입니다$/);
    expect(read.text).toContain('상하수도사업소에서 다음과 같이 답변드립니다.');
    expect(read.text).toContain(ANSWER);

    // The case: the hand-off 종결, told by e-mail at a time.
    await agent.locator('.saved').getByRole('button', { name: '상담 상세' }).click();
    const dialog = agent.getByRole('dialog', { name: /상담 상세/ });
    await dialog.getByText(/\d{1,2}:\d{2}.*이메일로 민원인에게 알렸습니다\./).waitFor({ timeout: 10_000 });
    await dialog.getByText('종결', { exact: true }).first().waitFor();
    await dialog.getByText(/발송 완료/).waitFor();
    await screenshot(agent, 'answer-by-email-03-case-closed');
    expect(agentProblems).toEqual([]);
  }, 90_000);
});
