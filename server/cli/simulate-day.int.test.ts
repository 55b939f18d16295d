import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * `npm run simulate` as a command: its JSON must be valid JSON wherever it goes (issue #12 §0: npm prints a banner on
 * stdout before the program's output, so `npm run simulate -- --json > file` was not JSON). A small day on in-memory
 * SQLite, never the run's test database: the command does not read TEST_DATABASE_URL.
 */
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

// Without DATABASE_URL the simulator uses in-memory SQLite; NODE_ENV=test keeps its keys in memory.
// npm's own log level is not inherited (a suite started with `npm run -s` would silence the banner checked below).
const { npm_config_loglevel: _npmLogLevel, ...parentEnv } = process.env;
const env = { ...parentEnv, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: '' };
const day = ['--calls', '30', '--agents', '2', '--seed', 'cli'];

describe('npm run simulate', () => {
  it('writes valid JSON to the file given by --json-out, and to stdout with npm run -s', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-sim-'));
    dirs.push(dir);
    const file = path.join(dir, 'day.json');
    const [viaNpm, silent] = await Promise.all([
      run('npm', ['run', 'simulate', '--', ...day, '--json-out', file], { env, cwd: process.cwd() }),
      run('npm', ['run', '-s', 'simulate', '--', ...day, '--json'], { env, cwd: process.cwd() }),
    ]);
    expect(viaNpm.stdout).toContain('> onecall'); // npm's banner is on stdout, the report follows it
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { calls: number; accounting: { lost: number }; kpis: { allCalls: unknown } };
    expect(written).toMatchObject({ calls: 30, accounting: { lost: 0 } });
    expect(written.kpis.allCalls).toBeDefined();
    // Without the banner (npm run -s), stdout is the JSON alone: the same day, the same KPIs.
    expect(JSON.parse(silent.stdout)).toMatchObject({ calls: 30, kpis: written.kpis });
  }, 120_000);

  it('--days N writes a kept SQLite file of history with its rollups, which npm run stats:rebuild recomputes to the same; a bad date is a usage error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-history-'));
    dirs.push(dir);
    const file = path.join(dir, 'history.db');
    const history = await run('npm', ['run', '-s', 'simulate', '--', '--days', '4', '--to', '2026-11-30', '--calls', '40', '--agents', '2', '--db', file], { env, cwd: process.cwd() });
    expect(history.stdout).toContain('2026-11-27 – 2026-11-30'); // Friday to Monday: two open days
    expect(history.stdout).toMatch(/4 days, 2 open/);
    const rollups = () => run('sqlite3', [file, 'select grain, count(*), sum(offered), sum(handled) from stat_rollups group by grain order by grain'], { env });
    const kept = (await rollups()).stdout;
    expect(kept).toMatch(/^hour\|\d+\|[1-9]\d*\|[1-9]\d*$/m);
    const rebuilt = await run('npm', ['run', '-s', 'stats:rebuild', '--', '--db', file], { env, cwd: process.cwd() });
    expect(rebuilt.stdout).toContain('rollups rebuilt');
    expect((await rollups()).stdout).toBe(kept);
    await expect(run('npm', ['run', '-s', 'simulate', '--', '--days', '3', '--to', '2026-02-30'], { env, cwd: process.cwd() })).rejects.toMatchObject({ code: 2 });
  }, 180_000);
});
