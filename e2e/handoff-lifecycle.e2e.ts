import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../core/contracts/calls';
import type { RecordCaseResult } from '../core/contracts/cases';
import type { Category } from '../core/contracts/org';
import { readMail, startSmtpSink } from '../server/test/message-sinks';
import { launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * Issue 11 §3 in the browser: the hand-off lifecycle. A hand-off sent to 세정과 is not theirs: the official returns it
 * (반려) with the reason; a supervisor finds it in 재지정 필요 and sends it to 차량등록사업소 with an official; that
 * official extends the deadline once (the citizen is told the new date by e-mail, captured by the SMTP server this
 * journey starts on E2E_SMTP_PORT), then takes it and answers.
 */

const CALLER = '010-6161-7272';
const AGENT = 'agent06';
const FIRST_OFFICIAL = 'kim.seojun'; // 세정과
const SUPERVISOR = 'super01';
const NEW_OFFICIAL = 'kwon.taeho'; // 차량등록사업소
const SUMMARY = '이전등록 후 자동차세 이중 부과 문의';
const EMAIL = 'citizen.park@example.kr';
const headers = { 'x-onecall-request': '1' };

describe('반려 → 재지정 → 연장 → 회신', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[][] = [];
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let handOffId = '';

  async function pageAs(login: string): Promise<Page> {
    const context = await newContext(browser);
    contexts.push(context);
    await signInThroughApi(context, login);
    const page = await context.newPage();
    problems.push(watchPage(page));
    return page;
  }

  beforeAll(async () => {
    const port = Number(process.env.E2E_SMTP_PORT);
    if (!port) throw new Error('E2E_SMTP_PORT is not set: run the journeys with scripts/e2e.mjs');
    smtp = await startSmtpSink(port);
    browser = await launchBrowser();
    // The hand-off, recorded through the API as the desk does: a call, a case handed off to 세정과 (자동차세), and the
    // citizen's wish to hear back by e-mail.
    const agent = await newContext(browser);
    contexts.push(agent);
    await signInThroughApi(agent, AGENT);
    const call = (await (await agent.request.post('/api/calls/simulate', { data: { callerNumber: CALLER }, headers })).json()) as CallConnected;
    const categories = (await (await agent.request.get('/api/categories')).json()) as Category[];
    const category = categories.find((c) => c.path.endsWith('자동차세 부과·납기 문의'));
    if (!category) throw new Error('demo category 자동차세 부과·납기 문의 is missing');
    const recorded = await agent.request.post('/api/cases', { data: { interactionId: call.interaction.id, categoryId: category.id, summary: SUMMARY, notes: '차를 팔고 이전등록을 마쳤는데 새 주인 몫까지 고지서가 왔다고 함.', outcome: 'handed_off' }, headers });
    expect(recorded.status(), await recorded.text()).toBe(201);
    const result = (await recorded.json()) as RecordCaseResult;
    handOffId = result.handOff!.id;
    const pref = await agent.request.put(`/api/cases/${result.caseId}/reply-preference`, { data: { channel: 'email', consent: true, address: EMAIL }, headers });
    expect(pref.status()).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await smtp?.close();
  });

  it('the official returns it with the reason; it leaves the department’s inbox', async () => {
    const official = await pageAs(FIRST_OFFICIAL);
    await official.goto(`/official?id=${handOffId}`);
    await official.getByRole('heading', { name: SUMMARY }).waitFor();
    await official.getByRole('button', { name: '반려', exact: true }).click();
    const dialog = official.getByRole('dialog', { name: '반려 (소관 부서 아님)' });
    await dialog.getByRole('button', { name: '반려하기' }).click();
    await dialog.getByText('필수 입력입니다.').waitFor(); // the reason is required
    await dialog.getByLabel('반려 사유').fill('이전등록에 따른 부과 정정은 차량등록사업소 소관입니다.');
    await official.keyboard.press('Tab');
    await dialog.getByRole('button', { name: '반려하기' }).click();
    await dialog.waitFor({ state: 'detached' });
    await official.getByText(/반려됨: 세정과/).waitFor();
    await screenshot(official, 'handoff-lifecycle-1-returned');
  });

  it('the supervisor re-routes it from 재지정 필요 to the right department and official', async () => {
    const supervisor = await pageAs(SUPERVISOR);
    await supervisor.goto('/official');
    await supervisor.getByRole('navigation').getByRole('button', { name: '운영' }).click();
    await supervisor.getByRole('link', { name: '재지정 필요' }).click();
    const card = supervisor.getByRole('article', { name: SUMMARY });
    await card.getByText('이전등록에 따른 부과 정정은 차량등록사업소 소관입니다.').waitFor();
    await card.getByLabel('지정할 부서').selectOption({ label: '차량등록사업소' });
    const official = card.getByLabel('담당 공무원 (선택)');
    await expect.poll(async () => (await official.locator('option').allTextContents()).some((o) => o.startsWith('권태호'))).toBe(true);
    await official.selectOption({ label: '권태호 계장' });
    await screenshot(supervisor, 'handoff-lifecycle-2-rerouting');
    await card.getByRole('button', { name: '재지정' }).click();
    await supervisor.getByText('차량등록사업소로 재지정했습니다.').waitFor();
    await card.waitFor({ state: 'detached' });
  });

  it('the new department’s official extends the deadline once; the citizen gets the new date by e-mail', async () => {
    const official = await pageAs(NEW_OFFICIAL);
    await official.goto(`/official?id=${handOffId}`);
    await official.getByRole('heading', { name: SUMMARY }).waitFor();
    await official.getByRole('button', { name: '기한 연장' }).click();
    const dialog = official.getByRole('dialog', { name: '처리기한 연장' });
    await dialog.getByLabel('연장 사유').fill('세정과 부과 자료 확인이 필요합니다.');
    await dialog.getByRole('button', { name: '연장하기' }).click();
    await dialog.waitFor({ state: 'detached' });
    await official.getByText(/연장함 .*사유: 세정과 부과 자료 확인이 필요합니다\./).waitFor();
    await expect.poll(() => smtp.received.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const mail = readMail(smtp.received.at(-1)!.raw);
    expect(smtp.received.at(-1)!.to).toEqual([EMAIL]);
    expect(mail.subject).toContain('처리기한 연장 안내');
    expect(mail.text).toContain('차량등록사업소에서');
    expect(mail.text).toContain('연장 사유: 세정과 부과 자료 확인이 필요합니다.');
    // Only one extension: the button is off now.
    await expect.poll(() => official.getByRole('button', { name: '기한 연장' }).isDisabled()).toBe(true);
    await screenshot(official, 'handoff-lifecycle-3-extended');

    await official.getByRole('button', { name: '접수', exact: true }).click();
    await official.getByLabel('회신 내용').fill('이전등록일 이후 기간은 새 소유자에게 부과되도록 정정했습니다. 이중 부과분은 취소됩니다.');
    await official.getByRole('button', { name: '회신 등록' }).click();
    await official.getByRole('region', { name: /^회신 내용/ }).getByText('이전등록일 이후 기간은 새 소유자에게 부과되도록 정정했습니다. 이중 부과분은 취소됩니다.').waitFor();
    await screenshot(official, 'handoff-lifecycle-4-answered');
    for (const p of problems) expect(p).toEqual([]);
  });
});
