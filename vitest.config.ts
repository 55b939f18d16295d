import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests, integration tests on SQLite (the default `npm test`), and the same
// integration tests on PostgreSQL (`npm run test:pg`, TEST_DATABASE_URL).
export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: a single worker on CI's 2-core machine, so every file ran one
    // after another. SQLite test files share nothing (in-memory databases, servers on port 0), so two workers use both
    // cores; VITEST_MAX_WORKERS overrides it. PostgreSQL files stay one at a time (below).
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 2),
    projects: [
      { test: { name: 'unit', include: ['core/**/*.test.ts', 'server/**/*.unit.test.ts', 'web/src/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'sqlite',
          include: ['server/**/*.int.test.ts'],
          env: { TEST_DIALECT: 'sqlite' },
          // Migrates once per run; every test database is a copy of that one (server/test/test-db.ts).
          globalSetup: ['server/test/test-db.setup.ts'],
          testTimeout: 30_000,
          // A loaded 2-core CI machine: building an app and its database in a hook can take more than 10 s.
          hookTimeout: 60_000,
        },
      },
      {
        // Real SIP (issue #17): Kamailio + rtpengine started by scripts/telephony.sh, SIPp phones (npm run test:sip).
        test: {
          name: 'sip',
          include: ['server/**/*.sip.test.ts'],
          env: { TEST_DIALECT: 'sqlite' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'postgres',
          include: ['server/**/*.int.test.ts'],
          // SQLite-only by nature: the no-plaintext scan reads the SQLite database file, and the start-up test runs the
          // demo start (embedded database), the outbox kill test's worker processes share a SQLite file. Excluded here
          // rather than skipped: with CI=true nothing may be skipped.
          exclude: ['server/modules/privacy/no-plaintext.int.test.ts', 'server/modules/privacy/start-keys.int.test.ts', 'server/modules/connectors/outbox-kill.int.test.ts'],
          env: { TEST_DIALECT: 'postgres' },
          // Migrates a template database once per run; each test database is CREATE DATABASE … TEMPLATE of it.
          globalSetup: ['server/test/test-db.setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Files in parallel (2 workers): each test database is a database of its own. With a schema each in one
          // database, Kysely's migrator introspecting the catalogue while another file dropped its schema failed with
          // "schema t_… does not exist" (15 of 74 files); now nothing is migrated or dropped in a database another file reads.
        },
      },
    ],
  },
});
