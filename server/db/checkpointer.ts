import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints of an on-disk SQLite database on a worker thread, with its own connection, instead of inside the
 * COMMIT that crosses SQLite's auto-checkpoint threshold on the event loop. Measured in the SIP bench (issue #17): the
 * COMMITs of 1,000 calls had p99 5.6 ms and a max of 16.5 ms with auto-checkpoints, 0.93 ms without — and every
 * route decision, desk message and timer waits behind such a COMMIT. The main connection turns auto-checkpoints off
 * only once the worker has opened the database; if the worker fails or exits, they are turned on again (nothing
 * relies on the worker: SQLite only lets the WAL grow until the next checkpoint). A PASSIVE checkpoint never blocks a
 * writer or a reader; the WAL restarts from its beginning once everything in it has been copied back.
 */
export type Checkpointer = { stop: () => Promise<void> };

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('wal_autocheckpoint = 0');
let stopped = false;
const run = () => {
  if (stopped) return;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (err) {
    parentPort.postMessage({ type: 'error', message: String(err && err.message || err) });
  }
};
const timer = setInterval(run, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m === 'now') run();
  if (m !== 'stop') return;
  stopped = true;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ type: 'stopped' });
});
parentPort.postMessage({ type: 'ready' });
`;

export type CheckpointEvent = { type: 'ready' } | { type: 'checkpoint'; busy: number; log: number; checkpointed: number } | { type: 'error'; message: string } | { type: 'stopped' };

/**
 * Starts the checkpointer of `file`. `setAutoCheckpoint(pages)` sets the main connection's wal_autocheckpoint: 0 once
 * the worker is ready, SQLite's default (1000) again if it fails. `onEvent` sees what the worker reports (tests).
 */
export function startCheckpointer(
  file: string,
  setAutoCheckpoint: (pages: number) => void,
  options: { everyMs?: number; onEvent?: (e: CheckpointEvent) => void } = {},
): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, module, everyMs: options.everyMs ?? 1_000 } });
  worker.unref();
  let ready = false;
  let exited = false;
  let stopping: Promise<void> | null = null;
  const fallBack = () => {
    if (ready) setAutoCheckpoint(1_000);
    ready = false;
  };
  worker.once('exit', () => (exited = true));
  worker.on('message', (e: CheckpointEvent) => {
    if (e.type === 'ready') {
      ready = true;
      setAutoCheckpoint(0);
    }
    options.onEvent?.(e);
  });
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        fallBack();
        if (exited) return resolve();
        worker.once('exit', () => resolve());
        worker.on('message', (e: CheckpointEvent) => {
          if (e.type === 'stopped') void worker.terminate();
        });
        worker.postMessage('stop');
      })),
  };
}
