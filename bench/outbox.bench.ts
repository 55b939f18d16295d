import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import { createAppDeps } from '../server/deps';
import { newId } from '../server/lib/ids';
import { HANDOFF_ANSWER } from '../server/modules/notifications/outbox-kinds';
import { enqueueMessage } from '../server/modules/notifications/outbox.repository';
import { drainOutbox } from '../server/modules/notifications/outbox-worker';
import { FakeClock } from '../server/ports/clock/fake.adapter';
import { startSmsSink, startSmtpSink } from '../server/test/message-sinks';
import { startStandin } from '../server/cli/standin';
import { DEFAULT_CASE_MAPPING } from '../core/domain/case-system';
import { queueCaseSystemEvent } from '../server/modules/connectors/case-system.queue';
import { saveCaseSettings } from '../server/modules/connectors/case-system.service';
import type { Bench, BenchSection } from './types';

const SECRET = 'bench-sms-secret-0123456789';
const AT = '2026-11-27T01:00:00.000Z';
const ANSWER = '1월 16일부터 31일까지 위택스 또는 구청 세정과에서 신청하시면 연세액의 5%를 공제받습니다. 자세한 사항은 세정과(031-5180-0000)로 문의하십시오.';

/**
 * The outbox drain (issue #11 §4: ≥ 200 messages/s): N answered hand-offs each with its message queued (half SMS,
 * half e-mail), drained by drainOutbox into a local HTTP gateway (signed requests, checked) and a local SMTP server
 * (smtp-server), on a SQLite file database. Each delivery is its own transaction: the message marked sent, the
 * hand-off closed, citizen_told + handoff_closed appended.
 */
export const run: Bench = async ({ quick }) => {
  const n = quick ? 400 : 2000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-outbox-bench-'));
  const clock = new FakeClock(AT);
  const sms = await startSmsSink(SECRET, () => clock.now().getTime());
  const smtp = await startSmtpSink();
  const handle = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'bench.db') });
  try {
    await migrateToLatest(handle.db);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SMS_GATEWAY_URL: sms.url,
      SMS_GATEWAY_SECRET: SECRET,
      SMS_SENDER: '1588-0120',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'noreply@hanbit.example',
    });
    const deps = createAppDeps(config, handle, clock);
    const department = { id: newId(), code: 'B1', name: '세정과', phone: null, location: null, created_at: AT };
    await handle.db.insertInto('departments').values(department).execute();
    await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++) {
        const caseId = newId();
        const handOffId = newId();
        await trx.insertInto('cases').values({ id: caseId, number: `20261127-${String(i).padStart(5, '0')}`, interaction_id: null, citizen_id: null, agent_id: null, category_id: null, complaint_type: 'inquiry', summary: '연납', notes: '', outcome: 'handed_off', status: 'closed', created_at: AT, closed_at: AT }).execute();
        await trx.insertInto('handoffs').values({ id: handOffId, case_id: caseId, department_id: department.id, assignee_id: null, status: 'answered', complaint_type: 'inquiry', deadline_basis: 'bench', received_at: AT, due_at: AT, acknowledged_at: AT, answered_at: AT, closed_at: null, answer: ANSWER, created_by: null, updated_at: AT }).execute();
        const channel = i % 2 === 0 ? 'sms' : 'email';
        const payload = channel === 'sms' ? { to: '01022223333', text: `[한빛시 민원콜센터] ${ANSWER}`, smsKind: 'lms' } : { to: `citizen${i}@example.kr`, subject: '[한빛시 민원콜센터] 답변', text: ANSWER };
        await enqueueMessage(trx, { kind: HANDOFF_ANSWER, channel, payloadSealed: deps.vault.seal(JSON.stringify(payload)), idempotencyKey: `bench:${i}`, maxAttempts: 6, at: AT, caseId, handOffId });
      }
    });

    const started = performance.now();
    const result = await drainOutbox(deps, clock.now());
    const seconds = (performance.now() - started) / 1000;
    deps.messaging.email.close();
    const perSecond = result.sent / seconds;
    const closed = await handle.db.selectFrom('handoffs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'closed').executeTakeFirstOrThrow();
    const badSignatures = sms.received.filter((r) => !r.signatureValid).length;
    const met = perSecond >= 200 && result.sent === n && Number(closed.n) === n && badSignatures === 0;
    return [
      await caseSystemSection(quick),
      {
        title: 'Notification outbox drain (SMS gateway + SMTP) on SQLite',
        targetsMet: met,
        markdown: [
          `${n} queued answers (half SMS to a local signed HTTP gateway, half e-mail to a local smtp-server), drained by`,
          '`drainOutbox` (16 sends at once, one transaction per delivery: message sent, hand-off closed, two events).',
          'Target (issue #11 §4): ≥ 200 messages/s.',
          '',
          '| messages | sent | failed | seconds | messages/s | SMS received (bad signatures) | e-mails received | hand-offs closed | target met |',
          '|---|---|---|---|---|---|---|---|---|',
          `| ${n} | ${result.sent} | ${result.failed + result.retrying} | ${seconds.toFixed(2)} | ${perSecond.toFixed(0)} | ${sms.received.length} (${badSignatures}) | ${smtp.received.length} | ${closed.n} | ${met ? 'yes' : 'NO'} |`,
        ].join('\n'),
      },
    ];
  } finally {
    await handle.close();
    await sms.close();
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

/** A worker process (bench/outbox-worker.child.ts) on the bench's database file; resolves `ready` once it is draining. */
function startWorker(file: string, keyFile: string, leaseMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(path.dirname(fileURLToPath(import.meta.url)), 'outbox-worker.child.ts'), file, keyFile, String(leaseMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
  return { child, ready, exited };
}

/** What a delivery across a killed worker gave (deliverAcrossKill). */
export type CrashRun = {
  n: number;
  total: number;
  leaseMs: number;
  sent: number;
  applied: number;
  lost: number;
  twice: number;
  duplicates: number;
  leasedAtKill: number;
  /** Of those, how many the second worker delivered (all of them, after their lease ran out). */
  leasedDelivered: number;
  /** Messages received when the worker was killed. */
  receivedAtKill: number;
  exact: number;
  firstRate: number;
  perSecond: number;
  wallSeconds: number;
  /** From the kill to the first delivery of a message the dead worker had leased (its lease had to run out). */
  takeoverMs: number;
  secondExit: number | null;
};

/**
 * The case-system link across a kill -9 (issue #16 §1): n hand-offs each with 4 messages (registration, 접수, 회신,
 * 'closed') queued through queueCaseSystemEvent on a SQLite file database; the worker is a separate process
 * (bench/outbox-worker.child.ts: drainOutbox, 500 a batch, 32 sends at once, in order per hand-off) delivering over
 * HTTP to the stand-in in this process. Half-way through a batch (a batch holds one message of each hand-off) the
 * worker is killed with SIGKILL and a new worker process started at once: it must wait for the dead worker's lease
 * before it takes over what was leased. Every case at the receiver must then show exactly created, acknowledged,
 * answer, closed in that order. Used by the bench and by server/modules/connectors/outbox-kill.int.test.ts.
 */
export async function deliverAcrossKill(options: { n: number; leaseMs: number; killInBatch?: number }): Promise<CrashRun> {
  const { n, leaseMs } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-case-crash-'));
  const file = path.join(dir, 'crash.db');
  const keyFile = path.join(dir, 'keys.json');
  const standin = await startStandin({ port: 0 });
  let handle = openDatabase({ dialect: 'sqlite', file });
  const workers: ReturnType<typeof startWorker>[] = [];
  try {
    await migrateToLatest(handle.db);
    const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ONECALL_KEY_FILE: keyFile }), handle, new FakeClock(AT));
    await saveCaseSettings(deps, null, { isEnabled: true, baseUrl: `${standin.url}/case-system`, inboundMode: 'webhook', mapping: DEFAULT_CASE_MAPPING, authKind: 'none', authName: null, authSecret: null, webhookSecret: null, clientCert: null, timeoutMs: 5000 });
    const department = { id: newId(), code: 'C1', name: '도로과', phone: null, location: null, created_at: AT };
    await handle.db.insertInto('departments').values(department).execute();
    await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++) {
        const caseId = newId();
        const handOffId = newId();
        await trx.insertInto('cases').values({ id: caseId, number: `20261127-${String(i).padStart(5, '0')}`, interaction_id: null, citizen_id: null, agent_id: null, category_id: null, complaint_type: 'grievance', summary: '보도블록 파손', notes: '', outcome: 'handed_off', status: 'closed', created_at: AT, closed_at: AT }).execute();
        await trx.insertInto('handoffs').values({ id: handOffId, case_id: caseId, department_id: department.id, assignee_id: null, status: 'closed', complaint_type: 'grievance', deadline_basis: 'bench', received_at: AT, due_at: AT, acknowledged_at: AT, answered_at: AT, closed_at: AT, answer: ANSWER, created_by: null, updated_at: AT }).execute();
        const h = { handOffId, caseId, at: AT };
        await queueCaseSystemEvent(trx, deps, h, { event: 'created' });
        await queueCaseSystemEvent(trx, deps, h, { event: 'status', status: 'acknowledged', at: AT });
        await queueCaseSystemEvent(trx, deps, h, { event: 'answered', answer: ANSWER, at: AT });
        await queueCaseSystemEvent(trx, deps, h, { event: 'status', status: 'closed', at: AT });
      }
    });
    await handle.close();
    const total = n * 4;
    // A batch holds at most one message per hand-off (in order per hand-off) and at most 500: kill half-way through one.
    const batch = Math.min(n, 500);
    const killAt = Math.min(total - 1, batch * (options.killInBatch ?? 1) + Math.floor(batch / 2));
    const received = () => {
      let k = 0;
      for (const c of standin.cases.values()) k += c.applied.length;
      return k + standin.duplicates;
    };
    // Progress sampled every 20 ms: the time the receiver was getting messages (the lease wait and start-ups excluded).
    const samples: { at: number; count: number }[] = [];
    const sampler = setInterval(() => samples.push({ at: performance.now(), count: received() }), 20);

    const first = startWorker(file, keyFile, leaseMs);
    workers.push(first);
    await first.ready;
    const started = performance.now();
    while (received() < killAt) await new Promise((resolve) => setTimeout(resolve, 2));
    first.child.kill('SIGKILL');
    const killedAt = performance.now();
    const killedWall = Date.now();
    await first.exited;
    const atKill = received();
    // What the dead worker held: leased (claimed_until still ahead) and not recorded as sent.
    const h2 = openDatabase({ dialect: 'sqlite', file });
    const leasedIds = (await h2.db.selectFrom('outbox_messages').select('id').where('status', '=', 'pending').where('claimed_until', '>', new Date(killedWall).toISOString()).execute()).map((r) => r.id);
    await h2.close();
    const second = startWorker(file, keyFile, leaseMs);
    workers.push(second);
    second.ready.catch(() => undefined); // its exit code is checked by the caller
    const secondExit = await second.exited;
    const ended = performance.now();
    clearInterval(sampler);
    samples.push({ at: ended, count: received() });

    let activeMs = 0;
    for (let i = 1; i < samples.length; i++) if (samples[i]!.count > samples[i - 1]!.count) activeMs += samples[i]!.at - samples[i - 1]!.at;

    handle = openDatabase({ dialect: 'sqlite', file });
    const sent = Number((await handle.db.selectFrom('outbox_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'sent').executeTakeFirstOrThrow()).n);
    const leasedSent = leasedIds.length === 0 ? [] : await handle.db.selectFrom('outbox_messages').select(['status', 'sent_at']).where('id', 'in', leasedIds).execute();
    const cases = [...standin.cases.values()];
    const expected = ['created', 'status:acknowledged', 'answer', 'status:closed'];
    const applied = cases.reduce((k, c) => k + c.applied.length, 0);
    return {
      n,
      total,
      leaseMs,
      sent,
      applied,
      lost: cases.reduce((k, c) => k + expected.filter((e) => !c.applied.includes(e)).length, 0) + (n - cases.length) * expected.length,
      twice: cases.reduce((k, c) => k + Math.max(0, c.applied.length - new Set(c.applied).size), 0),
      duplicates: standin.duplicates,
      leasedAtKill: leasedIds.length,
      leasedDelivered: leasedSent.filter((r) => r.status === 'sent').length,
      exact: cases.filter((c) => c.applied.length === expected.length && c.applied.every((a, i) => a === expected[i])).length,
      firstRate: atKill / ((killedAt - started) / 1000),
      perSecond: applied / (activeMs / 1000),
      wallSeconds: (ended - started) / 1000,
      takeoverMs: leasedSent.length === 0 ? -1 : Math.min(...leasedSent.map((r) => Date.parse(String(r.sent_at)))) - killedWall,
      secondExit,
      receivedAtKill: atKill,
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await handle.close().catch(() => undefined);
    await standin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The bench's section: deliverAcrossKill at size, with the targets of issue #16. */
async function caseSystemSection(quick: boolean): Promise<BenchSection> {
  const r = await deliverAcrossKill({ n: quick ? 300 : 1500, leaseMs: 3000, killInBatch: 1 });
  const met = r.secondExit === 0 && r.perSecond >= 500 && r.lost === 0 && r.twice === 0 && r.exact === r.n && r.sent === r.total;
  return {
    title: 'Case-system link: outbox delivery to a local case system, across a worker crash (issue #16 §1)',
    targetsMet: met,
    markdown: [
      `${r.n} hand-offs × 4 messages (registration, 접수, 회신, closed) queued by queueCaseSystemEvent on a SQLite file database,`,
      'delivered by a worker **in its own process** (drainOutbox, 500 a batch, 32 sends at once, in order per hand-off) over',
      'HTTP to the stand-in case system on 127.0.0.1. Half-way through a batch the worker was killed with SIGKILL and a new',
      `worker process started at once; it took over the dead worker's leased messages after the lease (${r.leaseMs / 1000} s here,`,
      '60 s in the server). Messages/s counts the time the receiver was getting messages (the lease wait and the process',
      'start-ups excluded). Target (issue #16): ≥ 500 messages/s, 0 lost, 0 applied twice, in order.',
      '',
      '| messages | sent (outbox) | applied at receiver | lost | applied twice | repeats dropped by key | leased at the kill | take-over after (s) | cases exactly in order | first worker msg/s | msg/s while delivering | wall seconds | target met |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${r.total} | ${r.sent} | ${r.applied} | ${r.lost} | ${r.twice} | ${r.duplicates} | ${r.leasedAtKill} | ${(r.takeoverMs / 1000).toFixed(1)} | ${r.exact} of ${r.n} | ${r.firstRate.toFixed(0)} | ${r.perSecond.toFixed(0)} | ${r.wallSeconds.toFixed(1)} | ${met ? 'yes' : 'NO'} |`,
    ].join('\n'),
  };
}
