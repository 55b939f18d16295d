#!/usr/bin/env node
// npm run e2e: browser journeys against the real server.
// Builds the web app, starts `tsx server/main.ts` on a free port with a fresh SQLite file and the demo seed, waits for
// /api/health, runs vitest with e2e/vitest.e2e.config.ts (BASE_URL set), stops the server and exits with vitest's
// code. Debian's chromium is required: locally a missing browser skips with a warning; with CI=true it fails.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const isCI = process.env.CI === 'true' || process.env.CI === '1';
const artifacts = path.join(root, '.artifacts', 'e2e');

function log(message) {
  console.log(`[e2e] ${message}`);
}

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (err) => {
      console.error(err);
      resolve(1);
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited early (code ${server.exitCode})`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer /api/health within ${timeoutMs / 1000} s`);
}

/**
 * A fresh demo writes four weeks of simulated calls after it starts listening (server/db/seed/demo-history.ts). Journeys
 * start when that is done: they run on a quiet server (the history's busy first half-minute made the idle-sign-out
 * journey miss its dialog once) and 서비스 수준 / 인력 산정 have their figures from the first journey on.
 */
async function waitForDemoHistory(server, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited early (code ${server.exitCode})`);
    const text = fs.readFileSync(logFile, 'utf8');
    if (text.includes('Demo call history written')) return;
    if (text.includes('demo call history failed')) throw new Error('the demo call history failed (see the server log)');
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the demo call history was not written within ${timeoutMs / 1000} s`);
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      // The server runs in its own process group (npx → tsx → node): signal the whole group.
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}

async function main() {
  if (!fs.existsSync(chromium)) {
    const message = `${chromium} is missing: run scripts/install-chromium.sh`;
    if (isCI) {
      console.error(`[e2e] FAIL: ${message}`);
      return 1;
    }
    console.warn(`[e2e] SKIPPED: ${message}`);
    return 0;
  }

  fs.mkdirSync(artifacts, { recursive: true });
  if (process.env.E2E_SKIP_BUILD === '1' && fs.existsSync(path.join(root, 'dist/web/index.html'))) {
    log('using the existing dist/web (E2E_SKIP_BUILD=1)');
  } else {
    log('building the web app (vite build)');
    const code = await run('npx', ['vite', 'build', '--logLevel', 'warn']);
    if (code !== 0) return code;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-e2e-'));
  const port = await freePort();
  // The journeys' SMTP server (e2e/answer-by-email.e2e.ts starts it on this port): the outbox's e-mails go there.
  const smtpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const serverLog = fs.openSync(path.join(artifacts, 'server.log'), 'w');
  log(`starting the server on ${baseUrl} (database ${tmp}/e2e.db)`);
  const server = spawn('npx', ['tsx', 'server/main.ts'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', serverLog, serverLog],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: path.join(tmp, 'e2e.db'),
      // A key file of this run (generated at start): e2e/recordings.e2e.ts seals a recording with the same key ring.
      ONECALL_KEY_FILE: path.join(tmp, 'onecall-keys.json'),
      SEED_DEMO: 'true',
      // Journeys run at any hour: the officials a warm transfer rings are at work around the clock, as in the demo.
      DEPARTMENT_HOURS: 'always',
      // A warm transfer nobody answers falls back within a journey's time (e2e/transfer-no-answer.e2e.ts).
      TRANSFER_RING_TIMEOUT_SECONDS: '20',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: '한빛시 민원콜센터 <noreply@hanbit.example>',
      LOG_LEVEL: 'warn',
    },
  });

  const cleanup = async () => {
    await stopServer(server);
    fs.closeSync(serverLog);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    void cleanup().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await waitForHealth(baseUrl, server, 90_000);
    log('server is up; waiting for the demo call history');
    const historyStarted = Date.now();
    await waitForDemoHistory(server, path.join(artifacts, 'server.log'), 300_000);
    log(`demo call history written (${((Date.now() - historyStarted) / 1000).toFixed(1)} s); running the journeys`);
    return await run('npx', ['vitest', 'run', '--config', 'e2e/vitest.e2e.config.ts', ...process.argv.slice(2)], {
      // E2E_DATABASE_FILE: journeys that need history the demo seed lacks write it there (e2e/staffing-history.ts);
      // E2E_KEY_FILE: the server's keys, for what a journey writes sealed (e2e/recordings.e2e.ts).
      env: { ...process.env, BASE_URL: baseUrl, E2E_ARTIFACTS: artifacts, CHROMIUM_PATH: chromium, E2E_SMTP_PORT: String(smtpPort), E2E_DATABASE_FILE: path.join(tmp, 'e2e.db'), E2E_KEY_FILE: path.join(tmp, 'onecall-keys.json') },
    });
  } catch (err) {
    console.error(`[e2e] ${err instanceof Error ? err.message : String(err)}`);
    console.error(`[e2e] server log: ${path.join(artifacts, 'server.log')}`);
    try {
      console.error(fs.readFileSync(path.join(artifacts, 'server.log'), 'utf8').slice(-4000));
    } catch {
      // no log
    }
    return 1;
  } finally {
    await cleanup();
    log(`screenshots: ${artifacts}`);
  }
}

process.exitCode = await main();
