import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Starts a bench fixture server (`npx tsx FILE ...args`) in its own process group, waits for the JSON line it prints
 * first, and returns it with a stop() that signals the whole group (npx → tsx → node), with a hard kill after 5 s.
 */
export async function startFixtureServer<T>(file: string, args: string[] = []): Promise<{ info: T; stop: () => Promise<void> }> {
  const child = spawn('npx', ['tsx', file, ...args], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise<T>((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line) as T));
    child.once('exit', (code) => reject(new Error(`bench server ${file} exited with ${code}`)));
  });
  return {
    info,
    stop: () =>
      new Promise((resolve) => {
        const group = (signal: NodeJS.Signals) => {
          try {
            process.kill(-(child.pid as number), signal);
          } catch {
            // already gone
          }
        };
        const timer = setTimeout(() => group('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        group('SIGTERM');
      }),
  };
}
