// npm start: build the web app when it has not been built yet, then run the server (SQLite under ./data by default).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('dist/web/index.html') || process.env.REBUILD_WEB === 'true') {
  console.log('Building the web app (first start)…');
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// The demo centre answers around the clock, and so do its officials (warm transfers reach them at night too), unless
// the environment says otherwise: a city sets DEPARTMENT_HOURS=office.
const env = { ...process.env, DEPARTMENT_HOURS: process.env.DEPARTMENT_HOURS ?? (process.env.NODE_ENV === 'production' ? 'office' : 'always') };
const server = spawn('npx', ['tsx', 'server/main.ts'], { stdio: 'inherit', env });
// The demo's department look-ups (issue #16) answer from the stand-in with fictional 한빛시 data: started beside the
// server outside production unless STANDIN_URL points elsewhere (or STANDIN=false). If its port is taken it says so
// and OneCall runs on; the desk then says the system cannot be reached.
const standin =
  process.env.NODE_ENV !== 'production' && !process.env.STANDIN_URL && process.env.STANDIN !== 'false'
    ? spawn('npx', ['tsx', 'server/cli/standin.ts'], { stdio: 'inherit', env })
    : null;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (server.kill(signal), standin?.kill(signal)));
server.on('exit', (code) => {
  standin?.kill('SIGTERM');
  process.exit(code ?? 0);
});
