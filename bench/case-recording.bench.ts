import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { startFixtureServer } from './server-process';
import type { Bench, BenchSection } from './types';

type ServerInfo = { port: number; cookie: string; interactionId: string; categoryId: string; dbFile: string };

function startServer(): Promise<{ info: ServerInfo; stop: () => Promise<void> }> {
  return startFixtureServer<ServerInfo>('bench/fixtures/case-server.ts');
}

function countRows(dbFile: string): { cases: number; events: number; handoffs: number } {
  const db = new SQLite(dbFile, { readonly: true });
  const n = (t: string) => (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
  const out = { cases: n('cases'), events: n('contact_events'), handoffs: n('handoffs') };
  db.close();
  return out;
}

/** Case recording: POST /api/cases (case + events [+ hand-off] in one transaction) on SQLite, via autocannon. */
export const run: Bench = async ({ quick }) => {
  const duration = quick ? 3 : 10;
  const rows: string[] = [];
  let met = true;
  for (const outcome of ['resolved', 'handed_off'] as const) {
    const { info, stop } = await startServer();
    try {
      const before = countRows(info.dbFile);
      const body = JSON.stringify({
        interactionId: info.interactionId,
        categoryId: info.categoryId,
        summary: '아파트 앞 도로 누수 신고',
        notes: '어제 저녁부터 보도블록 사이로 물이 솟음. 현장 확인 후 회신 요청. 민원인 오후 통화 가능.',
        outcome,
      });
      // Warm-up, then the measured run.
      await autocannon({ url: `http://127.0.0.1:${info.port}/api/cases`, method: 'POST', headers: { cookie: info.cookie, 'content-type': 'application/json', 'x-onecall-request': '1' }, body, connections: 10, duration: 1 });
      const result = await autocannon({
        url: `http://127.0.0.1:${info.port}/api/cases`,
        method: 'POST',
        headers: { cookie: info.cookie, 'content-type': 'application/json', 'x-onecall-request': '1' },
        body,
        connections: 10,
        duration,
      });
      const after = countRows(info.dbFile);
      const rps = result.requests.average;
      const p99 = result.latency.p99;
      const good = rps >= 2000 && p99 < 25 && result.non2xx === 0 && result.errors === 0;
      // The target is for recording a case with its events; the hand-off variant also writes the 이관 row.
      if (outcome === 'resolved') met &&= good;
      rows.push(
        `| ${outcome} | ${rps.toFixed(0)} | ${result.latency.p50} | ${p99} | ${result.latency.max} | ${result.non2xx} | ${result.errors} | ${after.cases - before.cases} / ${after.events - before.events} / ${after.handoffs - before.handoffs} | ${good ? 'yes' : 'NO'} |`,
      );
    } finally {
      await stop();
    }
  }
  const section: BenchSection = {
    title: 'Case recording (POST /api/cases) on SQLite',
    targetsMet: met,
    markdown: [
      `autocannon, 10 connections, ${duration} s after a 1 s warm-up, loopback; the server in its own process (Fastify, zod validation,`,
      'session look-up, one transaction writing the case, its contact events and, for hand-offs, the hand-off with its legal deadline;',
      'file-backed SQLite in WAL mode). Target (issue #2): ≥ 2,000 req/s with p99 < 25 ms for recording a case with its events',
      '(`resolved`); `handed_off` also writes the hand-off with its legal deadline and is reported beside it. Rows written include the',
      'warm-up. The server is CPU-bound on one core: about a third SQLite (mostly COMMIT writing WAL frames), a third Node\'s HTTP',
      'stack, the rest Kysely, validation and our code; sessions, categories and connected calls are read from small caches.',
      '',
      '| outcome | req/s (avg) | p50 ms | p99 ms | max ms | non-2xx | errors | rows written (cases / events / hand-offs) | target met |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  };
  return [section];
};
