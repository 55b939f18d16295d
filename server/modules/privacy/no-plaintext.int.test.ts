import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { seedDemoData } from '../../db/seed/seed';
import { CitizenFileSchema } from '../../db/seed/seed-data';
import { createAppDeps } from '../../deps';
import { findCitizenByPhone } from '../../modules/calls/calls.repository';
import { loggerOptions } from '../../lib/log-redaction';
import { generateKeyRing, Vault } from '../../lib/vault';
import { FakeClock } from '../../ports/clock/fake.adapter';
import { REQUEST_HEADER } from '../../../core/contracts/common';

/*
 * Issue #3, "tests that must exist": after a run with seeded calls, neither the SQLite database file nor the logs hold
 * any seeded citizen's phone number or name in plain text. The second case runs the same scenario with encryption
 * switched off and expects the scan to find them: the check can fail.
 */

const PASSWORD = 'no-plaintext-demo-1';
const seeded = CitizenFileSchema.parse(JSON.parse(fs.readFileSync(path.join(__dirname, '../../db/seed/data/citizens.json'), 'utf8')));

/** Every spelling of a seeded number that must not appear (E.164, 010-1234-5678, 01012345678) and the names. */
function forbiddenStrings(): string[] {
  const out = new Set<string>();
  for (const c of seeded) {
    const digits = c.phone.replace(/\D/g, '');
    out.add(c.phone);
    out.add(digits);
    out.add(`+82${digits.slice(1)}`);
    if (c.name) out.add(c.name);
  }
  return [...out];
}

/** A vault that does not encrypt: what the database would hold if layer 1 were switched off. */
class PlainVault extends Vault {
  override seal(plain: string): string {
    return plain;
  }
  override open(sealed: string): string {
    return sealed;
  }
}

type RunResult = { files: Buffer[]; logs: string; logLines: number };

/** Seeds a file database, runs every demo caller through the real API, then closes it (WAL checkpoint). */
async function runDemoCalls(dir: string, vault: Vault): Promise<RunResult> {
  const file = path.join(dir, 'onecall.db');
  const handle = openDatabase({ dialect: 'sqlite', file });
  await migrateToLatest(handle.db);
  const clock = new FakeClock('2026-11-27T01:00:00.000Z');
  const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', DATA_DIR: dir }), handle, clock, vault);
  await seedDemoData(deps, PASSWORD);

  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await buildApp(deps, { logger: loggerOptions('debug', sink) });
  await app.ready();
  const inject = (o: InjectOptions) => app.inject({ ...o, headers: { [REQUEST_HEADER]: '1', ...(o.headers ?? {}) } });
  const signIn = async (login: string) => {
    const res = await inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'onecall_session');
    return `onecall_session=${cookie?.value ?? ''}`;
  };

  const agent = await signIn('agent01');
  const categories = await handle.db.selectFrom('categories').select(['id', 'department_id']).where('level', '=', 3).where('department_id', 'is not', null).limit(2).execute();
  expect(categories.length).toBe(2);
  const handOffs: Array<{ id: string; departmentId: string }> = [];
  const forms = (phone: string) => [phone, phone.replace(/\D/g, ''), `+82${phone.replace(/\D/g, '').slice(1)}`];

  for (const [i, c] of seeded.entries()) {
    // Each caller dials in with a different spelling of the number; the blind index must find the seeded citizen.
    const res = await inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: agent }, payload: { callerNumber: forms(c.phone)[i % 3] } });
    expect(res.statusCode).toBe(201);
    const connected: CallConnected = res.json();
    // Found through the blind index whatever the spelling: the seeded citizen with the seeded history.
    expect(connected.callerCard.totalCases).toBe(c.cases.length);
    expect(connected.callerCard.citizenId).toBe((await findCitizenByPhone(handle.db, vault, forms(c.phone)[2]!))?.id);
    const card = await inject({ method: 'GET', url: `/api/citizens/${connected.callerCard.citizenId}/card`, headers: { cookie: agent } });
    expect(card.statusCode).toBe(200);

    const category = categories[i % 2]!;
    const recorded = await inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: agent },
      payload: {
        interactionId: connected.interaction.id,
        categoryId: category.id,
        summary: `재문의 ${i}`,
        notes: `민원인이 다시 전화함. 회신 번호 ${c.phone} 로 연락 요청.`,
        outcome: i % 2 === 0 ? 'handed_off' : 'resolved',
      },
    });
    expect(recorded.statusCode).toBe(201);
    const body = recorded.json();
    if (body.handOff) handOffs.push({ id: body.handOff.id, departmentId: category.department_id! });
    const detail = await inject({ method: 'GET', url: `/api/cases/${body.caseId}`, headers: { cookie: agent } });
    expect(detail.statusCode).toBe(200);
    expect((await inject({ method: 'POST', url: `/api/calls/${connected.interaction.id}/end`, headers: { cookie: agent } })).statusCode).toBe(200);
  }

  // A bad number is refused without echoing it.
  const bad = await inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: agent }, payload: { callerNumber: `${seeded[0]!.phone}99999` } });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).not.toContain(seeded[0]!.phone);
  const tooLong = await inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: agent }, payload: { callerNumber: `${seeded[0]!.phone} `.repeat(4), dialledNumber: seeded[1]!.name } });
  expect(tooLong.statusCode).toBe(400);
  expect(tooLong.json().error.code).toBe('VALIDATION_FAILED');
  expect(tooLong.body).not.toContain(seeded[0]!.phone);

  // The departments' officials see the callers in their inbox, acknowledge and answer.
  for (const h of handOffs.slice(0, 4)) {
    const official = await handle.db.selectFrom('users').select('login').where('role', '=', 'official').where('department_id', '=', h.departmentId).executeTakeFirstOrThrow();
    const cookie = await signIn(official.login);
    expect((await inject({ method: 'GET', url: '/api/handoffs?status=all', headers: { cookie } })).statusCode).toBe(200);
    expect((await inject({ method: 'POST', url: `/api/handoffs/${h.id}/acknowledge`, headers: { cookie } })).statusCode).toBe(200);
    expect((await inject({ method: 'POST', url: `/api/handoffs/${h.id}/answer`, headers: { cookie }, payload: { answer: '현장 확인 후 조치 완료, 민원인께 회신함' } })).statusCode).toBe(200);
  }

  await app.close();
  await handle.close();
  const files = ['', '-wal', '-shm'].map((s) => `${file}${s}`).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
  const logs = chunks.join('');
  return { files, logs, logLines: logs.split('\n').filter(Boolean).length };
}

function leaks(run: RunResult): { db: string[]; logs: string[] } {
  const db: string[] = [];
  const logs: string[] = [];
  for (const s of forbiddenStrings()) {
    const needle = Buffer.from(s, 'utf8');
    if (run.files.some((f) => f.includes(needle))) db.push(s);
    if (run.logs.includes(s)) logs.push(s);
  }
  return { db, logs };
}

describe('no plaintext personal data at rest or in logs (SQLite file)', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-noplain-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('after seeded calls, looked up, recorded and handed off, neither the database file nor the logs hold a phone number or name', async () => {
    const run = await runDemoCalls(tmp(), new Vault(generateKeyRing()));
    expect(run.files.length).toBeGreaterThan(0);
    expect(run.logLines).toBeGreaterThan(seeded.length * 4);
    expect(run.logs).toContain('/api/calls/simulate');
    expect(leaks(run)).toEqual({ db: [], logs: [] });
  });

  it('with encryption switched off, the same scan finds them (the check can fail)', async () => {
    const run = await runDemoCalls(tmp(), new PlainVault(generateKeyRing()));
    const found = leaks(run);
    expect(found.db.length).toBeGreaterThanOrEqual(seeded.length);
    expect(found.db).toContain(seeded[0]!.name);
  });
});
