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
const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: '' };
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
});
