/**
 * One outbox worker as its own process, for the crash bench (bench/outbox.bench.ts): it drains the database file it
 * is given on the real clock with a short lease until no message of the case-system link is left pending, then exits.
 * The bench kills it with SIGKILL mid-batch and starts another; nothing here knows about the crash.
 *   node --import tsx bench/outbox-worker.child.ts <sqlite file> <key file> <lease ms>
 */
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { createAppDeps } from '../server/deps';
import { drainOutbox } from '../server/modules/notifications/outbox-worker';
import { systemClock } from '../server/ports/clock/system.adapter';

const [file, keyFile, leaseArg] = process.argv.slice(2);
if (!file || !keyFile) throw new Error('usage: outbox-worker.child.ts <sqlite file> <key file> <lease ms>');
const leaseMs = Number(leaseArg ?? 3000);
const handle = openDatabase({ dialect: 'sqlite', file });
const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ONECALL_KEY_FILE: keyFile }), handle, systemClock);
const pending = async () =>
  Number((await handle.db.selectFrom('outbox_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);

process.stdout.write('ready\n');
for (;;) {
  const r = await drainOutbox(deps, new Date(), { batchSize: 500, concurrency: 32, leaseMs });
  if (r.sent + r.retrying + r.failed === 0) {
    if ((await pending()) === 0) break;
    // Only messages another worker leased are left: wait for its lease to run out.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
await handle.close();
process.stdout.write('done\n');
// Nothing else to wait for (the deps' adapters may hold sockets or timers).
process.exit(0);
