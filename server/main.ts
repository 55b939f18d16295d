import path from 'node:path';
import { buildApp } from './app';
import { loadConfig } from './config';
import { ensurePrivateDir, openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { isEmptyDatabase, seedDemoData, type DemoLogins } from './db/seed/seed';
import { seedDemoHistory } from './db/seed/demo-history';
import { seedDemoLookups } from './modules/connectors/demo-lookups';
import { createAppDeps } from './deps';
import { RetentionScheduler } from './jobs/retention-scheduler';
import { HandOffReminderScheduler } from './jobs/handoff-reminder-scheduler';
import { OutboxWorker } from './modules/notifications/outbox-worker';
import { SurveyScheduler } from './jobs/survey-scheduler';
import { CaseSystemPoller } from './modules/connectors/case-system.service';
import { rebuildRollupsIfMissing } from './modules/statistics/rollups.repository';
import { startSecondTicks } from './modules/acd/acd.plugin';
import { loggerOptions } from './lib/log-redaction';
import { KeyRingError, loadKeyRing, type LoadedKeyRing } from './lib/key-ring';
import { Vault, VaultError } from './lib/vault';
import { keepChainHead } from './modules/privacy/access-chain';
import { findChainHead } from './modules/privacy/access-records.repository';
import { FileChainHeadStore } from './ports/chain-head/file.adapter';
import { sealLeftoverPlaintext } from './modules/privacy/seal-plaintext';
import { fillNameIndexes } from './modules/privacy/name-index';
import { systemClock } from './ports/clock/system.adapter';
import { BreakScheduler } from './jobs/break-scheduler';

function printLogins(logins: DemoLogins, password: string, url: string): void {
  // The README's journey signs in as agent01, hong.kisoo (상하수도사업소: the water leak), super01 and admin: those come
  // first in their role, then a few more of each.
  const journey = ['agent01', 'hong.kisoo', 'super01', 'admin'];
  const pick = (role: string, count: number) =>
    logins
      .filter((l) => l.role === role)
      .sort((a, b) => Number(journey.includes(b.login)) - Number(journey.includes(a.login)))
      .slice(0, count);
  const rows = [...pick('agent', 3), ...pick('official', 4), ...pick('supervisor', 1), ...pick('admin', 1)];
  const label: Record<string, string> = { agent: '상담사', official: '담당공무원', supervisor: '관리자', admin: '시스템 관리자' };
  console.log(`\n  OneCall 데모 데이터(가상의 한빛시 샘플 데이터)를 만들었습니다. / Demo data seeded (sample city 한빛시).`);
  console.log(`  ${url}  —  모든 데모 계정 비밀번호 / password for every demo login: ${password}\n`);
  // Hangul takes two terminal columns: pad by display width so the columns line up.
  const pad = (s: string, width: number) => s + ' '.repeat(Math.max(1, width - [...s].reduce((w, ch) => w + (/[\u1100-\uffdc]/.test(ch) ? 2 : 1), 0)));
  // Supervisors and admins must use 2FA (TOTP_REQUIRED_FOR): they enrol an authenticator app at their first sign-in.
  const twoFactor = (role: string) => (role === 'supervisor' || role === 'admin' ? '  — 첫 로그인 때 2단계 인증(OTP 앱) 등록 / enrol TOTP at first sign-in' : '');
  for (const r of rows) console.log(`    ${pad(label[r.role] ?? r.role, 14)}${pad(r.login, 16)}${r.name}${r.department ? ` (${r.department})` : ''}${twoFactor(r.role)}`);
  console.log(`    … ${logins.length} logins in all (agent01–agent15, officials of every department)`);
  console.log('  데모 콜센터는 24시간 매일 운영합니다(공휴일 제외). 운영 시간은 관리 화면의 ACD 설정에서 바꿉니다.');
  console.log('  The demo centre is open around the clock, every day but public holidays; set real hours on the ACD settings screen.\n');
}

function printKeySource(keys: LoadedKeyRing): void {
  if (keys.source === 'generated' && keys.file) {
    console.log(`\n  암호화 키 파일을 만들었습니다 / Encryption key file created: ${path.resolve(keys.file)}`);
    console.log('  이 파일을 잃으면 민원인 정보를 복호화할 수 없습니다. 별도로 백업하고, 데이터베이스 백업과 다른 곳에 보관하십시오.');
    console.log('  Without it citizens\' data cannot be decrypted: back it up, and keep it apart from the database backups.\n');
  } else if (keys.source === 'file' && keys.file && keys.auditKeyAdded) {
    console.log(`\n  접속기록 해시 체인 키(audit)를 키 파일에 추가했습니다 / Added the access-record chain key (audit) to ${path.resolve(keys.file)}`);
    console.log('  키 파일을 다시 백업하십시오(데이터베이스 백업과 분리). Back up the key file again, apart from the database backups.\n');
  } else if (keys.source === 'file' && keys.file) {
    console.log(`  Encryption keys: ${path.resolve(keys.file)} (back it up apart from the database backups; docs/OPERATIONS.md)`);
  }
}

/** config → db → migrate (+ demo seed on an empty database) → buildApp → listen → graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  // Every file this process creates (database, WAL, SHM, key file, exports) is the service account's alone.
  process.umask(0o077);
  ensurePrivateDir(config.dataDir);
  // Keys first: production without keys must stop before touching the database (제7조⑥: keys live outside it).
  const keys = loadKeyRing(config.keys);
  const vault = new Vault(keys.ring);
  printKeySource(keys);
  const handle = openDatabase(config.database);
  await migrateToLatest(handle.db);
  // Layer 4: the access-record chain's head is copied outside the database (at most once a second, and at shutdown).
  let reportChainProblem = (message: string) => console.error(`  access-record chain: ${message}`);
  const deps = createAppDeps(config, handle, systemClock, vault, {
    chainHeadStore: new FileChainHeadStore(config.privacy.chainHeadFile),
    onChainProblem: (message) => reportChainProblem(message),
  });
  // Migration 0004 cannot encrypt (no keys in the database): seal what an older database still holds in plain text.
  const sealed = await sealLeftoverPlaintext(handle.db, vault);
  if (sealed.citizens + sealed.interactions > 0) {
    console.log(`  개인정보 암호화: 기존 평문 ${sealed.citizens}명, 통화 ${sealed.interactions}건을 암호화했습니다. / Sealed ${sealed.citizens} citizens and ${sealed.interactions} calls left in plain text.`);
  }
  // Migration 0025: the name blind index of citizens named before it (search by name, issue #18 item 11).
  const named = await fillNameIndexes(handle.db, vault);
  if (named > 0) console.log(`  이름 검색 색인: 기존 민원인 ${named}명의 이름 색인을 만들었습니다. / Name index filled for ${named} citizens.`);
  // The statistics' rollups (migration 0018) of a database written before them: once, from the raw rows.
  const rollups = await rebuildRollupsIfMissing(handle.db);
  if (rollups) console.log(`  통계 집계: 기존 통화 ${rollups.contacts}건으로 집계를 만들었습니다. / Statistics rollups built from ${rollups.contacts} existing contacts.`);


  let logins: DemoLogins | null = null;
  if (config.seedDemo && (await isEmptyDatabase(handle.db))) {
    logins = await seedDemoData(deps, config.demoPassword, { passwordIsTemporary: config.env === 'production' });
    await seedDemoLookups(deps, config.connectors.standinUrl);
  }

  const app = await buildApp(deps, {
    // Never log URLs, headers or bodies; redact personal fields; mask error texts (server/lib/log-redaction.ts).
    logger: loggerOptions(config.logLevel),
    webRoot: config.webRoot,
  });
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  if (logins) printLogins(logins, config.demoPassword, url);
  else console.log(`\n  OneCall: ${url}  (API docs ${url}/docs)\n`);
  // A fresh demo's 서비스 수준 and 인력 산정 read weeks of queue events the seed has none of: four weeks of simulated
  // calls are written after the server is up, a day per transaction (db/seed/demo-history.ts).
  if (logins) {
    seedDemoHistory(deps, config).then(
      (r) => console.log(`  데모 통화 이력: ${r.fromDay} – ${r.toDay} 모의 통화 ${r.interactions}건을 기록했습니다. / Demo call history written (${r.interactions} simulated calls, ${(r.wallMs / 1000).toFixed(1)} s).`),
      (err: unknown) => app.log.error({ err }, 'demo call history failed'),
    );
  }
  if (!deps.holidays.coversYear(systemClock.now().getFullYear() + 1)) app.log.warn('holiday data does not cover next year: update @hyunbinseo/holidays-kr');

  reportChainProblem = (message) => app.log.error({ problem: message }, 'access-record chain does not hold its kept head: run npm run audit:verify');
  const kept = await keepChainHead(handle.db);
  if (kept.problem) reportChainProblem(kept.problem);
  app.log.info({ chainHead: kept.head, headFile: config.privacy.chainHeadFile }, 'access-record chain head');
  deps.chainHead.start(1_000, (err) => app.log.error({ err }, 'copying the access-record chain head failed'));

  // 파기: the daily retention job (03:00 KST by default), on this process's clock.
  const retention = new RetentionScheduler(deps, (err) => app.log.error({ err }, 'retention job failed'));
  retention.start();
  // 회신 안내 (issue #11 §4): the outbox sends what is due every second; what is pending survives a restart.
  const outbox = new OutboxWorker(deps, (err) => app.log.error({ err }, 'outbox drain failed'));
  outbox.start();
  // 민원처리시스템 연계 (issue #16 §1) in polling mode: the case system's reports every 5 s (webhook mode: nothing to do).
  const casePoller = new CaseSystemPoller(deps, (err) => app.log.warn({ err }, 'case-system poll failed'));
  casePoller.start();
  // Warm-transfer ring timeouts and 회신 전화 (callback tasks to the ACD), every second.
  const stopSecondTicks = startSecondTicks(app, config.env);
  // 이관 독려 (issue #11 §3): half-time and D-1 reminders, overdue and escalation to the department head, every minute.
  const reminders = new HandOffReminderScheduler(deps, app.realtime, (err) => app.log.error({ err }, 'hand-off reminder scan failed'));
  reminders.start();
  // 만족도 조사 (issue #15): surveys of settled calls and answered hand-offs scheduled and sent, happy calls queued to
  // agents by the ACD, every 5 s.
  const surveys = new SurveyScheduler(deps, (err) => app.log.error({ err }, 'survey scheduler failed'), app.keypadSurveys, app.happyCallOffers);
  surveys.start();
  // 휴식 (issue #14 §4): scheduled breaks put due, agents sent on them after their call, every 15 s.
  const breaks = new BreakScheduler(app.breaks, (err) => app.log.error({ err }, 'break scheduler failed'));
  breaks.start();

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    retention.stop();
    outbox.stop();
    casePoller.stop();
    stopSecondTicks();
    reminders.stop();
    surveys.stop();
    breaks.stop();
    deps.messaging.email.close();
    await app.close();
    await deps.chainHead.stop();
    app.log.info({ chainHead: await findChainHead(handle.db) }, 'access-record chain head at shutdown');
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  // A missing or broken key file is an operator's matter: say what to do, without a stack trace.
  if (err instanceof KeyRingError || err instanceof VaultError) console.error(`\n  OneCall cannot start: ${err.message}\n`);
  else console.error(err);
  process.exit(1);
});
