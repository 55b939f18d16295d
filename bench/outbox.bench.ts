import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
import { deliverCaseMessage, saveCaseSettings } from '../server/modules/connectors/case-system.service';
import { claimDueMessages } from '../server/modules/notifications/outbox.repository';
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

/**
 * The case-system link (issue #16 §1 Speed: ≥ 500 messages/s to a local sink, 0 lost, 0 duplicated at the receiver
 * across a crash of the worker). N hand-offs each with 3 messages (registration, 접수, 회신) queued through
 * queueCaseSystemEvent, delivered by drainOutbox to the stand-in over HTTP on a SQLite file database. A crashed worker
 * is simulated in-process, not by kill -9: a batch is leased and abandoned (what a killed worker leaves in the
 * database) and another batch is delivered to the receiver without its outcome being recorded (killed between the
 * send and the commit); the next drains must redeliver those, once in effect (the receiver de-duplicates by key).
 */
async function caseSystemSection(quick: boolean): Promise<BenchSection> {
  const n = quick ? 300 : 1500;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-case-bench-'));
  const clock = new FakeClock(AT);
  const standin = await startStandin({ port: 0 });
  const handle = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'bench.db') });
  try {
    await migrateToLatest(handle.db);
    const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), handle, clock);
    await saveCaseSettings(deps, null, { isEnabled: true, baseUrl: `${standin.url}/case-system`, inboundMode: 'webhook', mapping: DEFAULT_CASE_MAPPING, authKind: 'none', authName: null, authSecret: null, webhookSecret: null, clientCert: null, timeoutMs: 5000 });
    const department = { id: newId(), code: 'C1', name: '도로과', phone: null, location: null, created_at: AT };
    await handle.db.insertInto('departments').values(department).execute();
    await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++) {
        const caseId = newId();
        const handOffId = newId();
        await trx.insertInto('cases').values({ id: caseId, number: `20261127-${String(i).padStart(5, '0')}`, interaction_id: null, citizen_id: null, agent_id: null, category_id: null, complaint_type: 'grievance', summary: '보도블록 파손', notes: '', outcome: 'handed_off', status: 'closed', created_at: AT, closed_at: AT }).execute();
        await trx.insertInto('handoffs').values({ id: handOffId, case_id: caseId, department_id: department.id, assignee_id: null, status: 'answered', complaint_type: 'grievance', deadline_basis: 'bench', received_at: AT, due_at: AT, acknowledged_at: AT, answered_at: AT, closed_at: null, answer: ANSWER, created_by: null, updated_at: AT }).execute();
        const h = { handOffId, caseId, at: AT };
        await queueCaseSystemEvent(trx, deps, h, { event: 'created' });
        await queueCaseSystemEvent(trx, deps, h, { event: 'status', status: 'acknowledged', at: AT });
        await queueCaseSystemEvent(trx, deps, h, { event: 'answered', answer: ANSWER, at: AT });
      }
    });
    const total = n * 3;
    const started = performance.now();
    // The crash: one batch leased and abandoned, one batch sent without the outcome recorded.
    await claimDueMessages(handle.db, AT, new Date(Date.parse(AT) + 60_000).toISOString(), 50);
    const unrecorded = await claimDueMessages(handle.db, AT, new Date(Date.parse(AT) + 60_000).toISOString(), 50);
    await Promise.all(unrecorded.map((m) => deliverCaseMessage(deps, m)));
    let sent = 0;
    for (let round = 0; round < 6 && sent < total; round++) {
      sent += (await drainOutbox(deps, clock.now(), { batchSize: 500, concurrency: 32 })).sent;
      clock.advance(61_000);
    }
    const seconds = (performance.now() - started) / 1000;
    const perSecond = sent / seconds;
    const cases = [...standin.cases.values()];
    const applied = cases.length + cases.reduce((k, c) => k + c.statuses.length + c.answers.length, 0);
    const inOrder = cases.every((c) => c.statuses.length === 1 && c.answers.length === 1);
    const lost = total - applied;
    const twice = applied - total;
    const met = perSecond >= 500 && lost === 0 && twice <= 0 && inOrder && sent === total;
    return {
      title: 'Case-system link: outbox delivery to a local case system, across a worker crash (issue #16 §1)',
      targetsMet: met,
      markdown: [
        `${n} hand-offs × 3 messages (registration, 접수, 회신) queued by queueCaseSystemEvent and delivered by \`drainOutbox\``,
        '(32 at once, in order per hand-off) over HTTP to the stand-in case system on 127.0.0.1, SQLite file database.',
        'The crash is simulated in-process (not a kill -9 of a separate process): 50 messages leased and abandoned, 50 more',
        'delivered without their outcome recorded; they are redelivered after the lease and applied once by the receiver',
        '(Idempotency-Key). Target (issue #16): ≥ 500 messages/s, 0 lost, 0 duplicated at the receiver.',
        '',
        '| messages | delivered | seconds | messages/s | applied at receiver | lost | applied twice | repeats dropped by key | in order | target met |',
        '|---|---|---|---|---|---|---|---|---|---|',
        `| ${total} | ${sent} | ${seconds.toFixed(2)} | ${perSecond.toFixed(0)} | ${applied} | ${lost} | ${Math.max(0, twice)} | ${standin.duplicates} | ${inOrder ? 'yes' : 'NO'} | ${met ? 'yes' : 'NO'} |`,
      ].join('\n'),
    };
  } finally {
    await handle.close();
    await standin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
