import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createAppDeps, type AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { FakeClock } from '../../ports/clock/fake.adapter';
import { createTestDb } from '../../test/test-db';
import { RETENTION_HOOKS, runRetention } from '../retention/retention.service';
import { newDataKey, sealFile } from './recording-files';
import { insertRecording } from './recordings.repository';

/*
 * 파기 of call recordings (issue #17 §3, privacy-security-kr.md §8): past RECORDING_RETENTION_DAYS the row (with the
 * sealed data key) and the sealed file are gone, a destruction-log row says how many; a younger recording stays.
 */
const NOW = '2026-11-27T01:00:00.000Z';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.parse(NOW) - days * DAY).toISOString();

describe('recordings retention', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let deps: AppDeps;
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-rec-retention-'));
  const clock = new FakeClock(NOW);

  beforeAll(async () => {
    t = await createTestDb();
    deps = createAppDeps(loadConfig({ NODE_ENV: 'test', TELEPHONY: 'sip', SIP_SHARED_SECRET: 'retention-test-secret-0123', SIP_RECORDING: 'on', SIP_RECORDING_DIR: store, RECORDING_RETENTION_DAYS: '30' }), t, clock);
  });

  afterAll(async () => {
    await t.close();
    fs.rmSync(store, { recursive: true, force: true });
  });

  async function recording(daysAgo: number) {
    const id = newId();
    const plain = path.join(store, `${id}.pcap`);
    fs.writeFileSync(plain, 'pcap bytes');
    const key = newDataKey();
    const fileRef = path.join(store, `${id}.ocrec`);
    const size = await sealFile(plain, fileRef, key, id);
    fs.rmSync(plain);
    await insertRecording(t.db, {
      id, interaction_id: newId(), call_id: `call-${id}`, status: 'sealed', file_ref: fileRef, key_sealed: deps.vault.seal(key.toString('base64')), size_bytes: size,
      started_at: ago(daysAgo), ended_at: ago(daysAgo), sealed_at: ago(daysAgo), retain_until: ago(daysAgo - 30), failure: null,
    });
    return { id, fileRef };
  }

  it('destroys recordings older than the period (row, sealed key, file) and keeps the younger; dry run changes nothing', async () => {
    const old = await recording(31);
    const young = await recording(29);
    const hooks = RETENTION_HOOKS.filter((h) => h.kind === 'recordings');
    expect(hooks.length).toBe(1);
    const dry = await runRetention(deps, { actor: 'cli:tester', dryRun: true, hooks });
    expect(dry.items.find((i) => i.kind === 'recordings')?.count).toBe(1);
    expect(fs.existsSync(old.fileRef)).toBe(true);

    const r = await runRetention(deps, { actor: 'cli:tester', hooks });
    expect(r.items.find((i) => i.kind === 'recordings')).toMatchObject({ count: 1, cutoff: ago(30) });
    const left = await t.db.selectFrom('recordings').select('id').execute();
    expect(left.map((x) => x.id)).toEqual([young.id]);
    expect(fs.existsSync(old.fileRef)).toBe(false);
    expect(fs.existsSync(young.fileRef)).toBe(true);
    const log = await t.db.selectFrom('destruction_log').select(['kind', 'method', 'count']).where('run_id', '=', r.runId).where('kind', '=', 'recordings').execute();
    expect(log.map((l) => [l.kind, l.method, Number(l.count)])).toEqual([['recordings', 'delete', 1]]);
  });
});
