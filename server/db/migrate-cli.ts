import { loadConfig } from '../config';
import { openDatabase } from './database';
import { migrateDown, migrateToLatest, migrationStatus } from './migrate';

/** npm run migrate -- up | down | status */
async function run(): Promise<void> {
  const command = process.argv[2] ?? 'status';
  const config = loadConfig();
  const handle = openDatabase(config.database);
  try {
    if (command === 'up') {
      const result = await migrateToLatest(handle.db);
      const applied = result.results?.filter((r) => r.status === 'Success') ?? [];
      console.log(applied.length ? applied.map((r) => `applied ${r.migrationName}`).join('\n') : 'already up to date');
    } else if (command === 'down') {
      const result = await migrateDown(handle.db);
      const undone = result.results?.filter((r) => r.status === 'Success') ?? [];
      console.log(undone.length ? undone.map((r) => `reverted ${r.migrationName}`).join('\n') : 'nothing to revert');
    } else if (command === 'status') {
      for (const m of await migrationStatus(handle.db)) console.log(`${m.executedAt ? 'applied ' : 'pending '} ${m.name}${m.executedAt ? `  (${m.executedAt.toISOString()})` : ''}`);
    } else {
      console.error('usage: npm run migrate -- up|down|status');
      process.exitCode = 2;
    }
  } finally {
    await handle.close();
  }
}

run().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
