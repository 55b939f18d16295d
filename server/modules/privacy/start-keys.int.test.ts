import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The real start (server/main.ts) as an operator sees it: production without keys refuses with a clear message and
 * writes nothing; a demo start generates the key file once and says where it is and that it must be backed up apart
 * from the database backups.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Runs the server until `until` shows in its output (then stops it) or it exits; returns output and exit code. */
function start(env: Record<string, string>, until?: string): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (until && out.includes(until)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ out, code }));
  });
}

describe('start-up and the key file', () => {
  it('production without keys refuses to start, says what to do, and creates nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-start-'));
    dirs.push(dir);
    const r = await start({ NODE_ENV: 'production', DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.out).toContain('OneCall cannot start: No encryption keys: set ONECALL_KEYS or create the key file');
    expect(r.out).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a demo start generates the key file once and says where it is and to back it up apart from the database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-start-'));
    dirs.push(dir);
    const first = await start({ NODE_ENV: 'development', DATA_DIR: dir, SEED_DEMO: 'false' }, 'OneCall: http');
    const keyFile = path.join(dir, 'onecall-keys.json');
    expect(first.out).toContain(`Encryption key file created: ${path.resolve(keyFile)}`);
    expect(first.out).toContain('keep it apart from the database backups');
    const keys = fs.readFileSync(keyFile, 'utf8');
    const second = await start({ NODE_ENV: 'development', DATA_DIR: dir, SEED_DEMO: 'false' }, 'OneCall: http');
    expect(second.out).not.toContain('key file created');
    expect(second.out).toContain(`Encryption keys: ${path.resolve(keyFile)}`);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(keys);
  }, 60_000);
});
