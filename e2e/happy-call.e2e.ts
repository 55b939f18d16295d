import type { APIRequestContext, Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';
import { answerSimulatedCall, openAvailableDesk } from './desk';

/*
 * Issue 15 on the desk and the supervisor's editors: agent10 takes a call, records the caller's consent to a
 * satisfaction survey by phone in 조사 동의 (keyboard only: the channel by arrows, then Alt+Y), settles the case; the
 * scheduler makes it a 만족도 조사 전화 task and the ACD offers it to agent10 like a call (queue 만족도 조사 전화); he
 * answers with Alt+A, the questionnaire opens on the desk, he reads it and writes the answers down; super02 (two-factor) edits the call template (a new version), creates a policy poll with its own
 * question for one district and age band, and sees the answered call in the results.
 */

const AGENT = 'agent10';
const SUPERVISOR = 'super02';
const CALLER = '010-7310-2468';
const H = { 'x-onecall-request': '1' };

async function ok<T>(res: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> {
  if (!res.ok()) throw new Error(`${res.url()}: ${res.status()} ${await res.text()}`);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

describe('happy calls on the desk, consent on the desk, template and poll editors', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
    // Every settled call is asked at once (the defaults: 20%, 30 minutes later).
    const boss = await newContext(browser);
    await signInThroughApi(boss, SUPERVISOR);
    const settings = await ok<Record<string, unknown>>(await boss.request.get('/api/surveys/settings'));
    await ok(await boss.request.put('/api/surveys/settings', { data: { ...settings, callSampleRate: 1, delayMinutes: 0 }, headers: H }));
    await boss.close();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('agent10 records consent to a survey by phone during the call, then is offered the happy call, answers it and writes the answers down', async () => {
    const { context, page, problems } = await openAvailableDesk(browser, AGENT);
    await answerSimulatedCall(page, CALLER);

    // 조사 동의: keyboard only — arrow to 전화 among the channels, then Alt+Y ticks 만족도 조사 and saves in one key.
    const consent = page.getByRole('region', { name: '조사 동의' });
    expect(await consent.getByRole('checkbox', { name: '만족도 조사 동의' }).isChecked()).toBe(false);
    await consent.getByRole('radio', { name: '문자' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await consent.getByRole('radio', { name: '전화' }).isChecked()).toBe(true);
    expect(await consent.getByRole('button', { name: '동의 저장' }).getAttribute('aria-keyshortcuts')).toBe('Alt+Y');
    await page.keyboard.press('Alt+KeyY');
    await consent.getByRole('status').getByText('저장했습니다.').waitFor();
    expect(await consent.getByRole('checkbox', { name: '만족도 조사 동의' }).isChecked()).toBe(true);
    await consent.scrollIntoViewIfNeeded();
    await screenshot(page, 'happy-01-consent');

    // The case, settled by the agent.
    const category = page.getByRole('combobox', { name: '상담 분류' });
    await category.click();
    await category.pressSequentially('자동차세');
    await page.getByRole('listbox', { name: '상담 분류' }).getByRole('option').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByLabel('상담 요약').fill('자동차세 연납 신청 기간 안내');
    await page.getByRole('button', { name: '상담 완료', exact: true }).click();
    const saved = page.getByRole('status').filter({ hasText: '접수번호' });
    await saved.waitFor();
    const caseNumber = /\d{8}-\d{5}/.exec((await saved.textContent()) ?? '')?.[0] ?? '';
    expect(caseNumber).not.toBe('');
    await page.getByRole('button', { name: '통화 종료' }).first().click();

    // The after-call work ends at once: agent10 is available again.
    const wrapUp = page.getByRole('button', { name: '후처리 종료' });
    await wrapUp.waitFor();
    await wrapUp.click();

    // The scheduler (every 5 s) makes it a happy call and the ACD offers it like a call on 만족도 조사 전화: the phone
    // system dials the citizen, agent10 answers with Alt+A. In a full run an agent of an earlier journey whose desk
    // closed while available may be offered it first (the longest idle) and let it ring out (20 s each): room for that.
    const offer = page.getByRole('region', { name: '만족도 조사 전화를 거세요' });
    await offer.waitFor({ timeout: 120_000 });
    await offer.getByText('010-****-2468').waitFor();
    await offer.getByText('만족도 조사 전화', { exact: true }).waitFor();
    await screenshot(page, 'happy-02-offer');
    await page.keyboard.press('Alt+KeyA');
    await page.getByText('통화 중', { exact: true }).first().waitFor();

    // The answered offer opens the questionnaire of its happy call by itself.
    const panel = page.getByRole('region', { name: '만족도 조사 전화' });
    await panel.getByText('자동 배분된 조사 전화입니다.', { exact: false }).waitFor();
    await panel.getByText(caseNumber).first().waitFor();
    const sheet = panel.getByRole('form', { name: '만족도 조사 질문지' });
    await sheet.waitFor();
    // Saving without answers: the server names what is missing.
    await sheet.getByRole('button', { name: '응답 저장' }).click();
    await sheet.getByRole('alert').waitFor();
    await sheet.getByRole('group', { name: /상담사는 친절하게/ }).getByRole('radio', { name: '5 매우 만족' }).check();
    await sheet.getByRole('group', { name: /정확하고 이해하기 쉬웠습니까/ }).getByRole('radio', { name: '4 만족' }).check();
    await sheet.getByRole('group', { name: /해결되었습니까/ }).getByRole('radio', { name: '예' }).check();
    await sheet.getByRole('group', { name: /전반적으로/ }).getByRole('radio', { name: '5 매우 만족' }).check();
    await screenshot(page, 'happy-03-sheet');
    await sheet.getByRole('button', { name: '응답 저장' }).click();
    await panel.getByRole('status').getByText('응답을 저장했습니다.').waitFor();
    expect(await panel.getByRole('listitem').filter({ hasText: caseNumber }).count()).toBe(0);
    await page.getByRole('button', { name: '통화 종료' }).first().click();
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('super02 edits the call template (a new version) and creates a poll with its own question for one district and age band', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, SUPERVISOR);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/supervisor/surveys?groupBy=trigger');

    // The answered happy call is in the results.
    const table = page.getByRole('table', { name: /조사 시점별/ });
    await table.getByRole('row', { name: /상담 직후/ }).waitFor();
    // The supervisor sees the happy calls still owed (none: agent10 answered his); agents are offered them.
    const backlog = page.getByRole('region', { name: '만족도 조사 전화 현황' });
    await backlog.getByText('지금 걸어야 할 만족도 조사 전화가 없습니다.').waitFor();
    await backlog.scrollIntoViewIfNeeded();
    await screenshot(page, 'happy-04-backlog');

    const before = await ok<Array<{ key: string; version: number; isCurrent: boolean }>>(await context.request.get('/api/surveys/templates'));
    const version = before.find((x) => x.key === 'call' && x.isCurrent)!.version;
    const templates = page.getByRole('region', { name: '조사 양식' });
    await templates.getByRole('button', { name: '민원콜센터 상담 만족도 조사 양식 고치기' }).click();
    const editor = templates.getByRole('form', { name: '민원콜센터 상담 만족도 조사 양식 고치기' });
    await editor.getByRole('button', { name: '문항 더하기' }).click();
    const count = await editor.getByLabel(/^문항 \d+$/).count();
    await editor.getByLabel(`문항 ${count}`, { exact: true }).fill('상담을 위해 기다린 시간은 적당했습니까?');
    // An optional question: the journeys share one demo database, and the survey journey after this one answers the
    // call template's own questions only. It stays a 1–5 question: the template names its overall question (전반적
    // 만족도), so a new last 1–5 question does not become the overall score.
    expect(await editor.getByLabel('형식').last().inputValue()).toBe('csat');
    await editor.getByRole('checkbox', { name: '꼭 답할 문항' }).last().uncheck();
    expect(await editor.getByRole('radio', { name: '전반적 만족도: 문항 4' }).isChecked()).toBe(true);
    expect(await editor.getByRole('radio', { name: `전반적 만족도: 문항 ${count}` }).isChecked()).toBe(false);
    await screenshot(page, 'happy-05-template-editor');
    await editor.getByRole('button', { name: '새 판 게시' }).click();
    await templates.getByText(`제${version + 1}판`).waitFor();
    const after = await ok<Array<{ key: string; version: number; isCurrent: boolean; overallQuestionId: string | null; questions: Array<{ text: string; type: string; required: boolean }> }>>(
      await context.request.get('/api/surveys/templates'),
    );
    const current = after.find((x) => x.key === 'call' && x.isCurrent)!;
    expect(current.version).toBe(version + 1);
    expect(current.questions.at(-1)).toMatchObject({ text: '상담을 위해 기다린 시간은 적당했습니까?', type: 'csat', required: false });
    expect(current.overallQuestionId).toBe('overall');
    // The old version is kept as it was.
    expect(after.find((x) => x.key === 'call' && x.version === version)!.questions.length).toBe(current.questions.length - 1);

    const polls = page.getByRole('region', { name: '정책 여론조사' });
    await polls.getByRole('button', { name: '여론조사 만들기' }).click();
    const form = polls.getByRole('form', { name: '여론조사 만들기' });
    await form.getByLabel('여론조사 제목').fill('하천변 산책로 야간 조명');
    await form.getByLabel('대상 동').fill('중앙동, 북구동');
    await form.getByRole('checkbox', { name: '40대' }).check();
    await form.getByRole('checkbox', { name: '마감 후 결과 공개' }).check();
    await form.getByRole('button', { name: '문항 더하기' }).click();
    const n = await form.getByLabel(/^문항 \d+$/).count();
    await form.getByLabel(`문항 ${n}`, { exact: true }).fill('야간 조명이 필요한 구간을 적어 주십시오.');
    await form.getByLabel('형식').nth(n - 1).selectOption('text');
    await screenshot(page, 'happy-06-poll-editor');
    await form.getByRole('button', { name: '여론조사 보내기' }).click();
    await polls.getByText('하천변 산책로 야간 조명').waitFor();
    const list = await ok<Array<{ title: string; templateKey: string }>>(await context.request.get('/api/surveys/polls'));
    expect(list.find((p) => p.title === '하천변 산책로 야간 조명')).toBeDefined();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
