import path from 'node:path';
import { buildApp } from './app';
import { loadConfig } from './config';
import { openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { isEmptyDatabase, seedDemoData, type DemoLogins } from './db/seed/seed';
import { createAppDeps } from './deps';
import { systemClock } from './ports/clock/system.adapter';

function printLogins(logins: DemoLogins, password: string, url: string): void {
  const pick = (role: string, count: number) => logins.filter((l) => l.role === role).slice(0, count);
  const rows = [...pick('agent', 3), ...pick('official', 4), ...pick('supervisor', 1), ...pick('admin', 1)];
  const label: Record<string, string> = { agent: '상담사', official: '담당공무원', supervisor: '관리자', admin: '시스템 관리자' };
  console.log(`\n  OneCall 데모 데이터(가상의 한빛시 샘플 데이터)를 만들었습니다. / Demo data seeded (sample city 한빛시).`);
  console.log(`  ${url}  —  모든 데모 계정 비밀번호 / password for every demo login: ${password}\n`);
  // Hangul takes two terminal columns: pad by display width so the columns line up.
  const pad = (s: string, width: number) => s + ' '.repeat(Math.max(1, width - [...s].reduce((w, ch) => w + (/[\u1100-\uffdc]/.test(ch) ? 2 : 1), 0)));
  for (const r of rows) console.log(`    ${pad(label[r.role] ?? r.role, 14)}${pad(r.login, 16)}${r.name}${r.department ? ` (${r.department})` : ''}`);
  console.log(`    … ${logins.length} logins in all (agent01–agent15, officials of every department)\n`);
}

/** config → db → migrate (+ demo seed on an empty database) → buildApp → listen → graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const handle = openDatabase(config.database);
  await migrateToLatest(handle.db);
  const deps = createAppDeps(config, handle);


  let logins: DemoLogins | null = null;
  if (config.seedDemo && (await isEmptyDatabase(handle.db))) {
    logins = await seedDemoData(deps, config.demoPassword);
  }

  const app = await buildApp(deps, {
    logger: {
      level: config.logLevel,
      // Never log query strings or bodies: they may carry citizens' phone numbers.
      serializers: { req: (req: { method: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url }) },
    },
    webRoot: path.resolve('dist/web'),
  });
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  if (logins) printLogins(logins, config.demoPassword, url);
  else console.log(`\n  OneCall: ${url}  (API docs ${url}/docs)\n`);
  if (!deps.holidays.coversYear(systemClock.now().getFullYear() + 1)) app.log.warn('holiday data does not cover next year: update @hyunbinseo/holidays-kr');

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
