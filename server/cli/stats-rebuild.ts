import { parseArgs } from 'node:util';
import { loadConfig, parseDatabaseUrl } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { rebuildRollups } from '../modules/statistics/rollups.repository';

/**
 * npm run stats:rebuild [-- --db FILE|postgres://…]
 * Recomputes the statistics' rollups (migration 0018) from the raw rows: the contact event log and the agent state
 * log, and 부서별's (migration 0039) from the hand-offs. The server keeps them in step as it writes; this is for a
 * database written before the rollups existed, after a restore, or to check them. One transaction: the reports show the old figures until it commits.
 */
async function run(): Promise<number> {
  const { values } = parseArgs({ options: { db: { type: 'string' } }, strict: true });
  const config = loadConfig();
  const handle = openDatabase(values.db ? parseDatabaseUrl(values.db, config.dataDir) : config.database);
  try {
    await migrateToLatest(handle.db);
    const started = performance.now();
    const r = await handle.db.transaction().execute((trx) =>
      rebuildRollups(trx, (done) => {
        if (done % 100_000 < 2_000) console.error(`  ${done} contacts…`);
      }),
    );
    console.log(`통계 집계 재구성 완료 / rollups rebuilt: ${r.contacts} contacts, ${r.stateChanges} agent state changes, ${r.handOffs} hand-offs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
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
