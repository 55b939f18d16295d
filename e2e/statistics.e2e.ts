import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, horizontalOverflow, launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

/*
 * Issue 12 §1–2 in the browser: an agent settles six calls (five about 자동차세 연납, one about a passport): 운영 현황
 * shows the rise; a supervisor opens 통계, changes the period, drills 세무 → 자동차세 and sees the calls; the URL carries the
 * filters, a reload keeps them, and the XLSX download opens with exceljs with Korean headers and the same figure.
 * The 월간 보고서 prints on one A4 page. A department head asking for another department reads the refusal in Korean.
 */

const HEADERS = { 'x-onecall-request': '1' };
type Category = { id: string; parentId: string | null; level: number; name: string; departmentId: string | null };

/** One call through the desk's API: answered (simulated line), the case recorded as 상담 완료, the call ended. */
async function settleCall(agent: BrowserContext, phone: string, categoryId: string, summary: string): Promise<void> {
  const call = await agent.request.post('/api/calls/simulate', { data: { callerNumber: phone }, headers: HEADERS });
  expect(call.status(), await call.text()).toBe(201);
  const interactionId = ((await call.json()) as { interaction: { id: string } }).interaction.id;
  const recorded = await agent.request.post('/api/cases', { data: { interactionId, categoryId, summary, outcome: 'resolved' }, headers: HEADERS });
  expect(recorded.status(), await recorded.text()).toBe(201);
  const ended = await agent.request.post(`/api/calls/${interactionId}/end`, { headers: HEADERS });
  expect(ended.status(), await ended.text()).toBe(200);
}

/** The 상담 건수 cell of a category's row in the 업무별 table. */
async function contactsOf(page: Page, name: string): Promise<string> {
  const table = page.getByRole('table').first();
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
  return ((await row.getByRole('cell').first().textContent()) ?? '').trim();
}

describe('통계: a supervisor reads, drills, shares and takes away the figures', () => {
  let browser: Browser;
  let supervisor: BrowserContext;
  let page: Page;
  let problems: string[];
  let categories: Category[];

  beforeAll(async () => {
    browser = await launchBrowser();
    const agent = await newContext(browser);
    await signInThroughApi(agent, 'agent09');
    categories = (await (await agent.request.get('/api/categories', { headers: HEADERS })).json()) as Category[];
    const byName = (name: string) => {
      const c = categories.find((x) => x.name === name);
      if (!c) throw new Error(`category ${name} is not in the demo taxonomy`);
      return c.id;
    };
    // Five about one task within the hour, none in the same hour of the last 8 weeks: a rise (급증 업무).
    for (let i = 1; i <= 5; i++) await settleCall(agent, `010-4100-120${i}`, byName('자동차세 연납 신청'), `자동차세 연납 신청 기간 안내 ${i}`);
    await settleCall(agent, '010-4100-1209', byName('여권 신규 발급'), '여권 발급 준비물 안내');
    await agent.close();

    supervisor = await newContext(browser);
    await signInThroughApi(supervisor, 'super01');
    page = await supervisor.newPage();
    problems = watchPage(page);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('운영 현황 shows the rising task (급증 업무) with a link to today\'s 업무별', async () => {
    await page.goto('/supervisor');
    const banner = page.getByRole('status').filter({ hasText: '평소보다 문의가 급증한 업무가 있습니다' });
    const item = banner.getByRole('link', { name: /세무 > 자동차세 > 자동차세 연납 신청: 최근 1시간 \d+건 \(평소 0건\)/ });
    await item.waitFor();
    await screenshot(page, 'stats-00-rising');
    // The rise opens today's 업무별 at 자동차세, where its row is.
    await item.click();
    await expect.poll(() => contactsOf(page, '자동차세 연납 신청')).toMatch(/^\d+$/);
    expect(new URL(page.url()).searchParams.get('category')).toBe(categories.find((c) => c.name === '자동차세')?.id);
    await page.goBack();
    await banner.getByRole('link', { name: '업무별 통계 보기' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?view=task&period=day');
  });

  it('opens 통계 from the menu: 업무별 of today with the headline against the 80 % target', async () => {
    await page.goto('/supervisor');
    await page.getByRole('navigation').getByRole('link', { name: '통계' }).click();
    await page.getByRole('heading', { name: /^통계/ }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: '업무별' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('group', { name: '직접처리율' }).getByText(/목표 80%/).waitFor();
    await expect.poll(() => contactsOf(page, '세무')).toMatch(/^\d+$/);
    expect(Number(await contactsOf(page, '세무'))).toBeGreaterThanOrEqual(5);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'stats-01-by-task-today');
  });

  it('changes the period to the month and drills 세무 → 자동차세: the URL carries every filter', async () => {
    await page.getByRole('group', { name: '기간 단위' }).getByRole('button', { name: '월' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('month');
    await page.getByRole('button', { name: '세무 세부 보기' }).click();
    await page.getByRole('button', { name: '자동차세 세부 보기' }).click();
    await expect.poll(() => contactsOf(page, '자동차세 연납 신청')).toMatch(/^\d+$/);
    expect(Number(await contactsOf(page, '자동차세 연납 신청'))).toBeGreaterThanOrEqual(5);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/stats');
    expect(url.searchParams.get('view')).toBe('task');
    expect(url.searchParams.get('category')).toBe(categories.find((c) => c.name === '자동차세')?.id);
    const trail = page.getByRole('navigation', { name: '분류 단계' });
    await trail.getByText('자동차세', { exact: true }).waitFor();
    await screenshot(page, 'stats-02-drilled');
  });

  it('a reload (or the link shared) shows the same view', async () => {
    const before = page.url();
    await page.reload();
    await page.getByRole('navigation', { name: '분류 단계' }).getByText('자동차세', { exact: true }).waitFor();
    expect(page.url()).toBe(before);
    expect(await page.getByRole('group', { name: '기간 단위' }).getByRole('button', { name: '월' }).getAttribute('aria-pressed')).toBe('true');
    expect(Number(await contactsOf(page, '자동차세 연납 신청'))).toBeGreaterThanOrEqual(5);
  });

  it('downloads the view as XLSX: it opens with Korean headers and the figure on screen', async () => {
    const onScreen = Number(await contactsOf(page, '자동차세 연납 신청'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '업무별 엑셀(XLSX) 내려받기' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^업무별 통계 - 자동차세_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = path.join(ARTIFACTS, 'stats-by-task.xlsx');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.getWorksheet('업무별 - 자동차세');
    expect(sheet, wb.worksheets.map((w) => w.name).join(', ')).toBeDefined();
    expect(sheet!.getRow(2).values).toEqual(expect.arrayContaining(['분류코드', '분류', '상담 건수', '직접처리율(%)', '이관율(%)', '평균 처리 시간(초)']));
    let found: unknown = null;
    sheet!.eachRow((row) => {
      if (row.getCell(2).value === '자동차세 연납 신청') found = row.getCell(4).value;
    });
    expect(found).toBe(onScreen);
  });

  it('기간별 shows the trend and the weekday × hour heat map, each with its table', async () => {
    await page.getByRole('link', { name: '기간별' }).click();
    await page.getByRole('heading', { name: '요일 × 시간대 인입' }).waitFor();
    await page.getByRole('img', { name: '요일 × 시간대 인입' }).waitFor();
    expect(new URL(page.url()).searchParams.get('category')).toBeNull();
    await screenshot(page, 'stats-03-by-period');
  });

  it('a custom range that ends before it starts is refused on the screen in Korean, before asking the server', async () => {
    await page.getByRole('group', { name: '기간 단위' }).getByRole('button', { name: '직접 지정' }).click();
    const from = page.getByLabel('시작일');
    await from.fill('2026-12-31');
    await page.getByRole('alert').filter({ hasText: /종료일보다 늦습니다|이후 날짜는 조회할 수 없습니다/ }).waitFor();
    expect(await page.getByRole('button', { name: '기간별 엑셀(XLSX) 내려받기' }).isDisabled()).toBe(true);
  });

  it('월간 보고서 prints on A4 portrait with the city, the headline and the tables', async () => {
    const month = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 7);
    await page.goto(`/stats/monthly?month=${month}`);
    const sheet = page.getByRole('article', { name: /민원콜센터 월간 운영 보고서/ });
    await sheet.getByRole('heading', { name: '주요 지표' }).waitFor();
    await sheet.getByRole('heading', { name: '부서별 이관 처리' }).waitFor();
    await sheet.getByRole('img', { name: '일별 추이' }).waitFor();
    await screenshot(page, 'stats-04-monthly');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'stats-monthly.pdf'), pdf);
    // A4 portrait (595 × 842 pt), the whole month on one sheet of paper, two at the most with many departments.
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text);
    expect(Number(box?.[1])).toBeCloseTo(595, -1);
    expect(Number(box?.[2])).toBeCloseTo(842, -1);
    const pages = Number(/\/Type \/Pages[^>]*\/Count (\d+)|\/Count (\d+)/.exec(text)?.slice(1).find(Boolean));
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);
  });

  it('a department head sees their own department; another department is refused in Korean', async () => {
    const official = await newContext(browser);
    await signInThroughApi(official, 'lee.sangwoo');
    const me = (await (await official.request.get('/api/auth/me', { headers: HEADERS })).json()) as { departmentId: string };
    const departments = (await (await official.request.get('/api/departments', { headers: HEADERS })).json()) as Array<{ id: string }>;
    const other = departments.find((d) => d.id !== me.departmentId)!;
    const p = await official.newPage();
    await p.goto(`/stats?view=department&period=month&department=${other.id}`);
    await p.getByRole('alert').filter({ hasText: '다른 부서의 통계는 볼 수 없습니다.' }).waitFor();
    await p.goto('/stats?view=department&period=month');
    await p.getByRole('heading', { name: '부서별 이관 처리' }).waitFor();
    expect(await p.getByRole('link', { name: '기간별' }).count()).toBe(0);
    await screenshot(p, 'stats-05-official');
    await official.close();
  });
});
