// Department look-ups (issue #16 Speed): OneCall's own overhead on a look-up, excluding the remote system, p99 < 5 ms.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startStandin, STANDIN_API_KEY } from '../server/cli/standin';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import { createAppDeps } from '../server/deps';
import { newId } from '../server/lib/ids';
import { demoLookups } from '../server/modules/connectors/demo-lookups';
import { createLookup } from '../server/modules/connectors/lookups.service';
import { jsonRequest } from '../server/lib/json-http';
import { buildUser, TEST_PASSWORD } from '../server/test/factories';
import { percentile, type Bench } from './types';

const TARGET_P99_MS = 5;

/**
 * Each round calls the stand-in directly (the remote system's time: HTTP on loopback, JSON) and then runs the same
 * look-up through OneCall (POST /api/connectors/lookups/:id/run over HTTP on loopback: session, validation, the access
 * record's transaction with the chain lock, the breaker, the sealed API key opened, the call, the mapping). The
 * overhead of a round is OneCall's time minus the direct call's; its p99 is the figure. SQLite file database.
 */
export const run: Bench = async ({ quick }) => {
  const rounds = quick ? 300 : 2000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-lookups-bench-'));
  const standin = await startStandin({ port: 0 });
  const handle = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'bench.db') });
  try {
    await migrateToLatest(handle.db);
    const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), handle);
    const app = await buildApp(deps);
    const agent = await buildUser(handle.db, { role: 'agent', login: 'bench-agent' });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-onecall-request': '1' },
      payload: { login: agent.login, password: TEST_PASSWORD },
    });
    const cookie = `onecall_session=${login.cookies.find((c) => c.name === 'onecall_session')!.value}`;
    const at = new Date().toISOString();
    const callId = newId();
    await handle.db
      .insertInto('interactions')
      .values({
        id: callId,
        channel: 'phone',
        direction: 'inbound',
        caller_number_sealed: '',
        caller_index: null,
        dialled_number: '120',
        citizen_id: null,
        agent_id: agent.id,
        status: 'connected',
        started_at: at,
        answered_at: at,
        ended_at: null,
      })
      .execute();
    const tax = await createLookup(deps, null, demoLookups(standin.url)[0]!);
    // The direct call uses the same HTTP client as OneCall's look-up (node:http, a keep-alive agent of its own), so the
    // difference is OneCall's work, not a difference of clients.
    const directAgent = new http.Agent({ keepAlive: true, timeout: 4_000 });
    // OneCall is called over real HTTP on loopback (as the desk calls it), not app.inject: inject's in-memory request
    // objects are not what a served request allocates.
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const appAgent = new http.Agent({ keepAlive: true, timeout: 4_000 });
    const direct: number[] = [];
    const total: number[] = [];
    const overhead: number[] = [];
    for (let i = 0; i < rounds + 50; i++) {
      const identifier = i % 2 === 0 ? '11-000123' : '22-004567';
      let t = performance.now();
      await jsonRequest({
        url: `${standin.url}/lookups/local-tax/${identifier}`,
        method: 'GET',
        headers: { 'x-api-key': STANDIN_API_KEY },
        timeoutMs: 5000,
        agent: directAgent,
      });
      const d = performance.now() - t;
      t = performance.now();
      const r = await jsonRequest({
        url: `${base}/api/connectors/lookups/${tax.id}/run`,
        method: 'POST',
        headers: { cookie, 'x-onecall-request': '1' },
        body: JSON.stringify({ interactionId: callId, identifier, consent: true, reason: 'bench' }),
        timeoutMs: 5000,
        agent: appAgent,
      });
      const o = performance.now() - t;
      if (r.status !== 200) throw new Error(`look-up failed: ${r.status} ${r.text}`);
      if (i < 50) continue; // warm-up
      direct.push(d);
      total.push(o);
      overhead.push(o - d);
    }
    const records = await handle.db
      .selectFrom('access_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('target', 'like', 'lookup:%')
      .executeTakeFirstOrThrow();
    directAgent.destroy();
    appAgent.destroy();
    await app.close();
    const p = (v: number[], q: number) => percentile(v, q).toFixed(2);
    const p99 = percentile(overhead, 99);
    return [
      {
        title: 'Department look-up overhead (stand-in on loopback) on SQLite',
        targetsMet: p99 < TARGET_P99_MS && Number(records.n) === rounds + 50,
        markdown: [
          `${rounds} look-ups (after 50 warm-up) of 지방세 부과·납부 현황 (API key sealed, 2-row answer, 6 labelled fields) through`,
          'POST /api/connectors/lookups/:id/run (HTTP on loopback, keep-alive), each after the same request sent straight to the stand-in',
          '(node:http, keep-alive, as OneCall calls it).',
          '',
          '| figure | p50 (ms) | p95 (ms) | p99 (ms) |',
          '| --- | --- | --- | --- |',
          `| the stand-in called directly (remote system) | ${p(direct, 50)} | ${p(direct, 95)} | ${p(direct, 99)} |`,
          `| the look-up through OneCall | ${p(total, 50)} | ${p(total, 95)} | ${p(total, 99)} |`,
          `| OneCall's overhead (through OneCall − direct, per round) | ${p(overhead, 50)} | ${p(overhead, 95)} | ${p(overhead, 99)} |`,
          '',
          `Target: overhead p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'met' : '**not met**'}. Access records written: ${records.n} (one per look-up).`,
          `Load average when measured: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores (the direct call's own p99 shows how much of the tail is the machine).`,
        ].join('\n'),
      },
    ];
  } finally {
    await standin.close();
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
