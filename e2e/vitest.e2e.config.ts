import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser journeys: run by scripts/e2e.mjs (npm run e2e), which starts a real server and sets BASE_URL.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // One journey is one story: a failing step makes the next ones meaningless.
    bail: 1,
    // Vitest overwrites process.env.BASE_URL in the test workers with Vite's `base` ("/"); pass the server's URL on
    // under a name of our own.
    env: { E2E_BASE_URL: process.env.E2E_BASE_URL ?? process.env.BASE_URL ?? '' },
  },
});
