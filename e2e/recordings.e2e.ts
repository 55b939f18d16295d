import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/database';
import { newId } from '../server/lib/ids';
import { loadKeyRing } from '../server/lib/key-ring';
import { Vault } from '../server/lib/vault';
import { insertInteraction } from '../server/modules/calls/calls.repository';
import { newDataKey, sealFile } from '../server/modules/recordings/recording-files';
import { insertRecording } from '../server/modules/recordings/recordings.repository';
import { ipUdpRtp, pcap } from '../server/modules/recordings/test-pcap';
import { launchBrowser, newContext, screenshot, signInThroughApi, watchPage } from './browser';

const { alaw, mulaw } = createRequire(import.meta.url)('alawmulaw') as typeof import('alawmulaw');

/** The call as the list shows it (1분 23초) and as the player plays it. */
const CALL_SECONDS = 83;

/** Three days before today in KST, YYYY-MM-DD, and 14:05 KST of that day. */
function recordedDay(now: Date): { day: string; startedAt: number } {
  const day = new Date(now.getTime() + 9 * 3_600_000 - 3 * 86_400_000).toISOString().slice(0, 10);
  return { day, startedAt: Date.parse(`${day}T14:05:00+09:00`) };
}

/** A call as rtpengine records it: the caller (PCMA) and the agent (PCMU) answering, each a tone, 20 ms packets. */
function recordedCall(seconds: number): Buffer {
  const frames: Array<{ at: number; data: Buffer }> = [];
  const tone = (hz: number, i: number) => Int16Array.from({ length: 160 }, (_, n) => Math.round(6000 * Math.sin((2 * Math.PI * hz * (i * 160 + n)) / 8000)));
  for (let i = 0; i < seconds * 50; i++) {
    const at = 1_796_000_000 + i * 0.02;
    frames.push({ at, data: ipUdpRtp({ seq: i, ts: i * 160, ssrc: 11, pt: 8, src: '10.0.0.1', payload: Buffer.from(alaw.encode(tone(440, i))), at: 0 }) });
    frames.push({ at: at + 0.005, data: ipUdpRtp({ seq: i, ts: i * 160, ssrc: 22, pt: 0, src: '10.0.0.9', payload: Buffer.from(mulaw.encode(tone(660, i))), at: 0 }) });
  }
  return pcap(frames);
}

/**
 * A recording as OneCall's recorder leaves it (recordings.service.ts trySeal): the pcap sealed under a fresh data key
 * by recording-files.ts, the key sealed by the vault of the journey server's own key ring (scripts/e2e.mjs passes its
 * key file as E2E_KEY_FILE), the row beside its call in the journey database. No contact events: the statistics of the
 * journeys after this one stay as the demo wrote them.
 */
async function sealRecording(agentLogin: string): Promise<{ id: string; day: string; agentName: string }> {
  const databaseFile = process.env.E2E_DATABASE_FILE;
  const keyFile = process.env.E2E_KEY_FILE;
  if (!databaseFile || !keyFile) throw new Error('E2E_DATABASE_FILE and E2E_KEY_FILE are set by scripts/e2e.mjs');
  const vault = new Vault(loadKeyRing({ keyFile, allowGenerate: false, ephemeral: false }).ring);
  const handle = openDatabase({ dialect: 'sqlite', file: databaseFile });
  try {
    const agent = await handle.db.selectFrom('users').select(['id', 'name']).where('login', '=', agentLogin).executeTakeFirstOrThrow();
    const { day, startedAt } = recordedDay(new Date());
    const id = newId();
    const interactionId = newId();
    const at = new Date(startedAt).toISOString();
    const end = new Date(startedAt + CALL_SECONDS * 1000).toISOString();
    await insertInteraction(handle.db, vault, {
      id: interactionId, channel: 'phone', direction: 'inbound', caller_number: '+821055501234', dialled_number: '120', citizen_id: null, agent_id: agent.id,
      status: 'ended', started_at: at, answered_at: at, ended_at: end,
    });
    const store = path.join(path.dirname(databaseFile), 'recordings', day);
    fs.mkdirSync(store, { recursive: true });
    const plain = path.join(store, `${id}.pcap`);
    fs.writeFileSync(plain, recordedCall(CALL_SECONDS));
    const key = newDataKey();
    const fileRef = path.join(store, `${id}.ocrec`);
    const size = await sealFile(plain, fileRef, key, id);
    fs.rmSync(plain);
    await insertRecording(handle.db, {
      id, interaction_id: interactionId, call_id: `e2e-${id}@127.0.0.1`, status: 'sealed', file_ref: fileRef, key_sealed: vault.seal(key.toString('base64')), size_bytes: size,
      started_at: at, ended_at: end, sealed_at: end, retain_until: new Date(startedAt + 365 * 86_400_000).toISOString(), failure: null,
    });
    return { id, day, agentName: agent.name };
  } finally {
    await handle.close();
  }
}

async function accessRecordsOf(recordingId: string): Promise<Array<{ action: string; result: string }>> {
  const handle = openDatabase({ dialect: 'sqlite', file: process.env.E2E_DATABASE_FILE! });
  try {
    return await handle.db.selectFrom('access_records').select(['action', 'result']).where('target', '=', `recording:${recordingId}`).execute();
  } finally {
    await handle.close();
  }
}

/*
 * 통화 녹음 (issue #17 §3): a supervisor finds a recorded call of an earlier day, gives the reason 듣기 asks for, and
 * plays it in the browser (the WAV decoded by the server's worker, played from a blob: URL that is revoked when the
 * dialog closes); the playback is one access record. An agent has no such page.
 */
describe('통화 녹음: find a recorded call, give a reason, listen', () => {
  let browser: Browser;
  let recording: { id: string; day: string; agentName: string };

  beforeAll(async () => {
    recording = await sealRecording('agent13');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a supervisor picks the day, sees the call, gives a reason and plays it', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, 'super01');
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('/supervisor');
    await page.getByRole('navigation').getByRole('button', { name: '운영' }).click();
    await page.getByRole('link', { name: '통화 녹음' }).click();
    await page.getByRole('heading', { name: '통화 녹음', level: 1 }).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/supervisor/recordings');

    await page.getByLabel('시작일').fill(recording.day);
    await page.getByLabel('종료일').fill(recording.day);
    await page.getByRole('button', { name: '조회', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe(recording.day);
    // The default period (the last 7 days) holds the call too: wait for the chosen day's list, not the one before it.
    await page.locator('.recordings-page .panel__scroll[aria-busy="false"]').waitFor();
    const table = page.getByRole('table');
    const row = table.getByRole('row').filter({ hasText: recording.agentName });
    await row.waitFor();
    expect(await table.getByRole('row').count()).toBe(2);
    const cells = (await row.getByRole('cell').allInnerTexts()).map((c) => c.trim());
    expect(cells[1]).toBe(recording.agentName);
    expect(cells[2]).toBe('010-****-1234');
    expect(cells[3]).toBe('1분 23초');
    expect(cells.join(' ')).not.toContain('5550');
    await screenshot(page, 'recordings-01-list');

    // 듣기: the reason is required before anything is fetched.
    await row.getByRole('button', { name: /통화 녹음 듣기/ }).click();
    const dialog = page.getByRole('dialog', { name: '통화 녹음 듣기' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '사유 기록 후 듣기' }).click();
    await dialog.getByText('사유를 2자 이상 입력하세요.').waitFor();
    expect(await dialog.getByLabel('듣는 사유').getAttribute('aria-invalid')).toBe('true');
    expect(await accessRecordsOf(recording.id)).toEqual([]);
    await screenshot(page, 'recordings-02-reason-required');

    await dialog.getByLabel('듣는 사유').fill('민원인 이의 제기 확인');
    await dialog.getByRole('button', { name: '사유 기록 후 듣기' }).click();
    const audio = dialog.getByLabel('통화 녹음 재생');
    await audio.waitFor();
    const src = (await audio.getAttribute('src')) ?? '';
    expect(src).toMatch(/^blob:/);
    // The browser read the WAV: it lasts as long as the call the list shows.
    await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.duration), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await audio.evaluate((el: HTMLAudioElement) => el.duration)).toBeCloseTo(CALL_SECONDS, 1);
    expect(await accessRecordsOf(recording.id)).toEqual([{ action: 'export', result: 'success' }]);
    await screenshot(page, 'recordings-03-playing');

    // Closing the dialog revokes the audio's URL: the WAV is gone from the page.
    await dialog.getByRole('button', { name: '닫기' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const fetched = await page.evaluate(async (url) => {
      try {
        await fetch(url);
        return 'still readable';
      } catch {
        return 'revoked';
      }
    }, src);
    expect(fetched).toBe('revoked');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an agent gets no 통화 녹음: not in the menu, the page refuses, the API answers 403', async () => {
    const context = await newContext(browser);
    await signInThroughApi(context, 'agent13');
    const page = await context.newPage();
    await page.goto('/agent');
    await page.getByRole('navigation').waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: '통화 녹음' }).count()).toBe(0);
    await page.goto(`/supervisor/recordings?from=${recording.day}&to=${recording.day}`);
    await page.getByText('이 화면을 사용할 권한이 없습니다.').waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    const headers = { 'x-onecall-request': '1' };
    expect((await context.request.get(`/api/recordings?from=${recording.day}&to=${recording.day}`, { headers })).status()).toBe(403);
    expect((await context.request.get(`/api/recordings/${recording.id}/audio?reason=${encodeURIComponent('확인')}`, { headers })).status()).toBe(403);
    await context.close();
  });
});
