import path from 'node:path';
import { z } from 'zod';

/**
 * The one reader of process.env (house style). Parsed with zod and frozen; everything else receives a Config.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** postgres://… for PostgreSQL; sqlite:PATH or a bare path for SQLite; default ./data/onecall.db. */
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seed demo data into an empty database on start. Default on, except in production. */
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  DEMO_PASSWORD: z.string().min(8).default('onecall-demo-2026'),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** Set cookies with the Secure flag (behind TLS). */
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /** Consecutive failed sign-ins that lock an account, and for how long (privacy-security-kr.md §3: 5 → 30 min). */
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(20).default(5),
  SIGN_IN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Sign-in attempts per minute per client IP and login, before 429. */
  SIGN_IN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(10),
  /** Encryption key ring as JSON (see server/lib/key-ring.ts); wins over the key file. */
  ONECALL_KEYS: z.string().optional(),
  /** Key file outside the database; default DATA_DIR/onecall-keys.json (generated once outside production). */
  ONECALL_KEY_FILE: z.string().optional(),
});

export type DatabaseConfig = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  database: DatabaseConfig;
  dataDir: string;
  logLevel: string;
  seedDemo: boolean;
  demoPassword: string;
  sessionTtlMs: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  signInMaxFailures: number;
  signInLockoutMs: number;
  signInRatePerMinute: number;
  /** Where the vault's keys come from (server/lib/key-ring.ts). */
  keys: { keysJson?: string | undefined; keyFile: string; allowGenerate: boolean; ephemeral: boolean };
}>;

/** Reads the database setting: postgres(ql):// → PostgreSQL, anything else is a SQLite file (or :memory:). */
export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseConfig {
  if (!url) return { dialect: 'sqlite', file: path.join(dataDir, 'onecall.db') };
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  return { dialect: 'sqlite', file: url.replace(/^sqlite:(\/\/)?/, '') };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: parseDatabaseUrl(e.DATABASE_URL, e.DATA_DIR),
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : e.NODE_ENV !== 'production',
    demoPassword: e.DEMO_PASSWORD,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : e.NODE_ENV === 'production',
    trustProxy: e.TRUST_PROXY === 'true',
    signInMaxFailures: e.SIGN_IN_MAX_FAILURES,
    signInLockoutMs: e.SIGN_IN_LOCKOUT_MINUTES * 60_000,
    signInRatePerMinute: e.SIGN_IN_RATE_PER_MINUTE,
    keys: {
      keysJson: e.ONECALL_KEYS,
      keyFile: e.ONECALL_KEY_FILE ?? path.join(e.DATA_DIR, 'onecall-keys.json'),
      allowGenerate: e.NODE_ENV !== 'production',
      // Tests get a fresh in-memory ring unless they name a key file.
      ephemeral: e.NODE_ENV === 'test' && !e.ONECALL_KEY_FILE,
    },
  });
}
