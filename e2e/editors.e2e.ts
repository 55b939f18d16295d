import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * The admin's editors (issue #18 item 13) and the search by name (item 11), in a real browser on the demo data:
 * the 시스템 관리자 (two-factor) registers a department and a task with its complaint type and the computed due time,
 * is told why a department still in use cannot be deleted, writes a knowledge article (draft, review date passed),
 * publishes it, and reads all of it in 변경 이력 (a second department of the same name is refused); the agent finds it on the desk's search, then finds the demo's 김영희 by her whole name (never by a
 * part of it) in 상담 이력 검색.
 */
describe('the admin’s editors and the search by name', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('department → task with its deadline → article published → found on the desk; a case found by the citizen’s name', async () => {
    const adminContext = await newContext(browser);
    await signInThroughApi(adminContext, 'admin');
    const admin = await adminContext.newPage();
    const adminProblems = watchPage(admin);
    await admin.goto('/admin');
    await admin.getByRole('navigation').getByRole('button', { name: /^관리/ }).click();
    await admin.getByRole('link', { name: '부서·분류 관리' }).click();
    await admin.getByRole('heading', { name: '부서·상담 분류 관리' }).waitFor();

    // A new department.
    await admin.getByRole('button', { name: '부서 등록' }).click();
    let dialog = admin.getByRole('dialog');
    await dialog.getByLabel('코드 (필수)').fill('D90');
    await dialog.getByLabel('이름 (필수)').fill('하천관리과');
    await dialog.getByLabel('대표 전화').fill('031-5180-2490');
    await dialog.getByLabel('응대 시간').fill('평일 09:00–18:00');
    await dialog.getByRole('button', { name: '저장' }).click();
    await admin.getByRole('status').filter({ hasText: '하천관리과: 저장했습니다.' }).waitFor();
    const departments = admin.getByRole('region', { name: '부서', exact: true }).getByRole('table');
    const row = departments.getByRole('row').filter({ hasText: 'D90' });
    expect(await row.textContent()).toContain('031-5180-2490');

    // The same name again (spaces around it) is refused, with the reason in Korean; nothing is added.
    await admin.getByRole('button', { name: '부서 등록' }).click();
    dialog = admin.getByRole('dialog');
    await dialog.getByLabel('코드 (필수)').fill('D91');
    await dialog.getByLabel('이름 (필수)').fill('  하천관리과 ');
    await dialog.getByRole('button', { name: '저장' }).click();
    await dialog.getByRole('alert').filter({ hasText: '같은 이름의 부서가 이미 있습니다' }).waitFor();
    await dialog.getByRole('button', { name: '취소' }).click();
    expect(await departments.getByRole('row').filter({ hasText: 'D91' }).count()).toBe(0);

    // A department still referenced is not deleted: the reason is said in Korean.
    admin.once('dialog', (d) => void d.accept());
    await departments.getByRole('button', { name: '삭제: 세정과' }).click();
    await admin.getByRole('alert').filter({ hasText: '삭제할 수 없습니다' }).waitFor();
    await screenshot(admin, 'editors-01-departments');

    // A task under 세무 owned by the new department, 질의민원: the due time of a complaint received now is shown.
    const categories = admin.getByRole('region', { name: '상담 분류', exact: true });
    await categories.getByRole('button', { name: '하위 분류 추가: 세무', exact: true }).click();
    dialog = admin.getByRole('dialog');
    await dialog.getByLabel('코드 (필수)').fill('01-90');
    await dialog.getByLabel('이름 (필수)').fill('도로점용료 납부');
    await dialog.getByLabel('담당 부서').selectOption({ label: '하천관리과' });
    await dialog.getByLabel('민원 유형').selectOption({ label: '질의민원 · 7일' });
    await dialog.getByRole('button', { name: '저장' }).click();
    const task = categories.getByRole('row').filter({ hasText: '도로점용료 납부' });
    await task.waitFor();
    expect(await task.textContent()).toMatch(/7일 · 지금 접수하면 .+까지/);
    await task.scrollIntoViewIfNeeded();
    await screenshot(admin, 'editors-02-categories');
    expect(await horizontalOverflow(admin)).toBeLessThanOrEqual(0);

    // An article: a draft first (review date already passed: flagged), then published.
    await admin.getByRole('navigation').getByRole('button', { name: /^관리/ }).click();
    await admin.getByRole('link', { name: '상담 자료 관리' }).click();
    await admin.getByRole('heading', { name: '상담 자료 관리', level: 1 }).waitFor();
    await admin.getByRole('button', { name: '새 자료' }).click();
    dialog = admin.getByRole('dialog');
    await dialog.getByLabel('제목 (필수)').fill('도로점용료 납부 방법과 감면');
    const picker = dialog.getByRole('combobox', { name: '상담 분류 (필수)' });
    await picker.click();
    await picker.pressSequentially('도로점용료');
    await dialog.getByRole('listbox').getByRole('option').first().waitFor();
    await admin.keyboard.press('Enter');
    await dialog.getByLabel('본문 (필수)').fill('도로점용료는 매년 1월에 부과되며 위택스, 은행, 가상계좌로 납부할 수 있습니다.\n\n공익 목적의 점용은 감면 대상이 될 수 있으니 도로관리과로 안내합니다.');
    await dialog.getByLabel('검색어').fill('도로점용, 점용료');
    await dialog.getByLabel('검토 예정일').fill('2026-01-31');
    await dialog.getByRole('button', { name: '저장' }).click();
    const article = admin.getByRole('row').filter({ hasText: '도로점용료 납부 방법과 감면' });
    await article.getByText('검토일 지남').waitFor();
    expect(await article.textContent()).toContain('초안');
    await article.getByRole('button', { name: '게시: 도로점용료 납부 방법과 감면' }).click();
    await article.getByRole('button', { name: '보관: 도로점용료 납부 방법과 감면' }).waitFor();
    expect(await article.textContent()).toContain('게시');
    await screenshot(admin, 'editors-03-articles');

    // 변경 이력 on 부서·분류 관리: the department, the task and the article, with who and what, newest first.
    await admin.getByRole('navigation').getByRole('button', { name: /^관리/ }).click();
    await admin.getByRole('link', { name: '부서·분류 관리' }).click();
    const history = admin.getByRole('region', { name: '변경 이력' }).getByRole('table');
    const historyRows = history.getByRole('row');
    await historyRows.filter({ hasText: '도로점용료 납부 방법과 감면' }).filter({ hasText: '게시' }).waitFor();
    expect(await historyRows.filter({ hasText: '대표 전화: 031-5180-2490' }).filter({ hasText: '등록' }).count()).toBe(1);
    expect(await historyRows.filter({ hasText: '도로점용료 납부' }).filter({ hasText: '상담 분류' }).count()).toBeGreaterThan(0);
    await history.scrollIntoViewIfNeeded();
    await screenshot(admin, 'editors-05-history');
    expect(adminProblems).toEqual([]);
    await adminContext.close();

    // The agent's desk search finds the published article.
    const agentContext = await newContext(browser);
    await signInThroughApi(agentContext, 'agent14');
    const agent = await agentContext.newPage();
    const agentProblems = watchPage(agent);
    await agent.goto('/agent');
    const box = agent.getByRole('searchbox', { name: '상담 DB 검색어' });
    await box.fill('도로점용료 어떻게 내요');
    await expect.poll(() => agent.getByRole('list', { name: '검색 결과' }).textContent()).toContain('도로점용료 납부 방법과 감면');

    // 상담 이력 검색 by the citizen's whole name (blind index); a part of the name finds nothing, by design.
    await agent.getByRole('navigation').getByRole('link', { name: '상담 이력 검색' }).click();
    await agent.getByRole('heading', { name: '상담 이력 검색' }).waitFor();
    await agent.getByLabel('민원인 이름').fill('김 영희');
    await agent.getByLabel('시작일').fill('2020-01-01');
    await agent.getByLabel('종료일').fill('');
    await agent.getByRole('button', { name: '찾기' }).click();
    const table = agent.getByRole('table');
    await table.getByText('수도요금 과다 청구 문의').first().waitFor();
    expect(agent.url()).toContain('name=');
    await screenshot(agent, 'editors-04-name-search');
    await agent.getByLabel('민원인 이름').fill('영희');
    await agent.getByRole('button', { name: '찾기' }).click();
    await agent.getByText('조건에 맞는 상담이 없습니다.').waitFor();
    expect(agentProblems).toEqual([]);
    await agentContext.close();
    // Two roles, three screens and the 변경 이력: longer than the default minute on a busy machine.
  }, 150_000);
});
