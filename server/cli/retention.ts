import os from 'node:os';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { createAppDeps } from '../deps';
import { runRetention } from '../modules/retention/retention.service';
import { FileChainHeadStore } from '../ports/chain-head/file.adapter';
import { systemClock } from '../ports/clock/system.adapter';

/**
 * npm run retention [-- --dry-run]
 * Runs the retention job now (the server also runs it daily): destroys or anonymises what is past its retention
 * period and records each kind in the destruction log, by the OS user who ran it. --dry-run only counts.
 */
async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--dry-run');
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(' ')}\nusage: npm run retention [-- --dry-run]`);
    return 2;
  }
  const config = loadConfig();
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db);
    const dryRun = args.includes('--dry-run');
    // Pruning access records signs its anchor with the audit key and checks the chain against its kept head.
    const deps = createAppDeps(config, handle, systemClock, undefined, { chainHeadStore: new FileChainHeadStore(config.privacy.chainHeadFile) });
    const result = await runRetention(deps, { actor: `cli:${os.userInfo().username}`, dryRun });
    console.log(dryRun ? '보존기간 경과 데이터(시험 실행, 변경 없음) / retention dry run, nothing changed:' : `파기 완료 / retention run ${result.runId}:`);
    for (const i of result.items) console.log(`  ${i.kind.padEnd(20)} ${i.method.padEnd(10)} ${String(i.count).padStart(7)}  (older than ${i.cutoff})`);
    return 0;
  } finally {
    await handle.close();
  }
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
