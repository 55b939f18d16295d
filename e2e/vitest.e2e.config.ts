import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The journeys share one server: security.e2e.ts goes first because it checks the supervisors' and the admin's
 * first sign-in (TOTP enrolment through the screen); the other journeys sign in with the secrets it enrolled.
 */
class JourneyOrder extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => (f.moduleId.endsWith('security.e2e.ts') ? 0 : 1);
    return Promise.resolve([...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId)));
  }
}

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
    sequence: { sequencer: JourneyOrder },
    // One journey is one story: a failing step makes the next ones meaningless.
    bail: 1,
    // Vitest overwrites process.env.BASE_URL in the test workers with Vite's `base` ("/"); pass the server's URL on
    // under a name of our own.
    env: { E2E_BASE_URL: process.env.E2E_BASE_URL ?? process.env.BASE_URL ?? '' },
  },
});
