import path from 'node:path';
import { z } from 'zod';

/** The shared password of every demo login (README); a server seeded with it listens on loopback unless HOST is set. */
const DEMO_PASSWORD_DEFAULT = 'onecall-demo-2026';

/**
 * The one reader of process.env (house style). Parsed with zod and frozen; everything else receives a Config.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).optional(),
  /** postgres://… for PostgreSQL; sqlite:PATH or a bare path for SQLite; default ./data/onecall.db. */
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('data'),
  /** The folder of the built web app (npm run build writes dist/web). */
  WEB_ROOT: z.string().min(1).default('dist/web'),
  /** SQLite's durability: normal (WAL, fast; a power cut may lose the last commits) or full (fsync every commit). */
  SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seed demo data into an empty database on start. Default on, except in production. */
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  DEMO_PASSWORD: z.string().min(8).default(DEMO_PASSWORD_DEFAULT),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** How long a wall-TV wallboard display session lasts (issue #18 item 7). */
  DISPLAY_SESSION_DAYS: z.coerce.number().positive().max(365).default(30),
  /** Set cookies with the Secure flag (behind TLS). */
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /**
   * Failed sign-ins that lock a login from one client address, and for how long (privacy-security-kr.md §3: 5 → 30
   * min); unknown logins lock alike (server/modules/auth/sign-in-throttle.ts).
   */
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(20).default(5),
  SIGN_IN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Sign-in attempts per minute per client IP and login, before 429. */
  SIGN_IN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(10),
  /**
   * Failed sign-ins from one client address (any logins; an IPv6 client's /64) before that address is refused for
   * SIGN_IN_LOCKOUT_MINUTES; successes do not count, so a centre behind one NAT address is not throttled by use.
   */
  SIGN_IN_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Encryption key ring as JSON (see server/lib/key-ring.ts); wins over the key file. */
  ONECALL_KEYS: z.string().optional(),
  /** Key file outside the database; default DATA_DIR/onecall-keys.json (generated once outside production). */
  ONECALL_KEY_FILE: z.string().optional(),
  /** Days access records are kept (안전성 확보조치 기준 제8조①: ≥ 2 years for OneCall; configurable upward only). */
  ACCESS_RECORD_RETENTION_DAYS: z.coerce.number().int().min(730).max(36_500).default(730),
  /** Where the access-record chain's head is kept outside the database; default DATA_DIR/access-chain-head.json. */
  ACCESS_CHAIN_HEAD_FILE: z.string().optional(),
  /** Unmasks of one citizen value per user per KST day, by role (표시 제한 해제, 제12조; 0 = may not unmask). */
  UNMASK_LIMIT_AGENT: z.coerce.number().int().min(0).max(10_000).default(20),
  UNMASK_LIMIT_OFFICIAL: z.coerce.number().int().min(0).max(10_000).default(10),
  UNMASK_LIMIT_SUPERVISOR: z.coerce.number().int().min(0).max(10_000).default(50),
  UNMASK_LIMIT_ADMIN: z.coerce.number().int().min(0).max(10_000).default(0),
  /** Monthly access review (제8조②): unusual volume = more than this × the median of the same role. */
  REVIEW_VOLUME_FACTOR: z.coerce.number().positive().max(100).default(3),
  /** Night access window in KST hours: from START (inclusive) to END (exclusive), across midnight. */
  REVIEW_NIGHT_START_HOUR: z.coerce.number().int().min(0).max(23).default(22),
  REVIEW_NIGHT_END_HOUR: z.coerce.number().int().min(0).max(23).default(6),
  /** Most rows one case export may hold. */
  EXPORT_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  /** ACD (issue #4): ring/reservation timeout, missed offers before auto-pause, after-call work (contact-center.md §3). */
  ACD_OFFER_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(300).default(20),
  ACD_MAX_MISSED_OFFERS: z.coerce.number().int().min(1).max(20).default(3),
  ACD_WRAP_UP_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** Warm transfer (issue #11): how long the official's phone and card ring before it falls back to a hand-off. */
  TRANSFER_RING_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(300).default(30),
  /** Officials' hours for presence (issue #11): office = 09:00–18:00 on working days; always = around the clock (the demo). */
  DEPARTMENT_HOURS: z.enum(['office', 'always']).default('office'),
  /** Where the demo's department look-ups point (issue #16 §3: the stand-in, `npm run standin`). */
  STANDIN_URL: z.url().default('http://127.0.0.1:4710'),
  /** CTI webhook (docs/TELEPHONY-WEBHOOK.md): shared HMAC secret (unset = webhook off) and the PBX's command URL. */
  TELEPHONY_WEBHOOK_SECRET: z.string().min(16).optional(),
  TELEPHONY_PBX_URL: z.url().optional(),
  /**
   * Real SIP (issue #17, docs/TELEPHONY-SIP.md): TELEPHONY=sip turns on the Kamailio/rtpengine adapter and the browser
   * softphone's credentials; simulator (default) keeps only the in-process phone system.
   */
  TELEPHONY: z.enum(['simulator', 'sip']).default('simulator'),
  /** Shared secret between OneCall and Kamailio (route service header, softphone credentials). Never logged. */
  SIP_SHARED_SECRET: z.string().min(16).optional(),
  SIP_DOMAIN: z.string().min(1).default('onecall.local'),
  /** What browsers connect to (WSS behind TLS in production). */
  SIP_WS_URL: z.string().min(1).default('ws://127.0.0.1:5066'),
  /** Kamailio's HTTP endpoint (xhttp: jsonrpcs at /RPC, OneCall's commands at /onecall/*). */
  SIP_KAMAILIO_HTTP_URL: z.url().default('http://127.0.0.1:5066'),
  /** rtpengine's ng control socket (UDP host:port). */
  SIP_RTPENGINE_NG: z.string().min(3).default('127.0.0.1:22222'),
  /** Kamailio's evapi socket (TCP host:port): route requests and call events without holding a SIP worker; '' = HTTP only. */
  SIP_KAMAILIO_EVAPI: z.string().default('127.0.0.1:5067'),
  /** Who may call the route service besides loopback (comma-separated IPs). */
  SIP_ROUTE_ALLOW: z.string().default(''),
  /** How long a softphone password lives (seconds). */
  SIP_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86400).default(12 * 3600),
  /**
   * Call recording by rtpengine (issue #17 §3, docs/TELEPHONY-SIP.md): off by default, a city's decision (with its
   * notice to callers). SIP_RECORDING_SPOOL_DIR = rtpengine's --recording-dir (plain files, read and deleted by
   * OneCall); SIP_RECORDING_DIR = the sealed files; RECORDING_RETENTION_DAYS = how long recordings are kept.
   */
  SIP_RECORDING: z.enum(['on', 'off']).default('off'),
  SIP_RECORDING_SPOOL_DIR: z.string().min(1).default('.run/telephony/recordings'),
  SIP_RECORDING_DIR: z.string().min(1).optional(),
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(60),
  /** The prompts rtpengine plays (moh.wav: music on hold), generated by scripts/telephony.sh from espeak-ng and sox. */
  SIP_PROMPTS_DIR: z.string().min(1).default('.run/telephony/prompts'),
  /** Where the fallback announcement service (server/cli/sip-fallback.ts) leaves the callbacks it took while OneCall did not answer. */
  SIP_FALLBACK_SPOOL_DIR: z.string().min(1).default('.run/telephony/fallback'),
  /**
   * The carrier's SIP trunk for callbacks (콜백, 회신 전화, 만족도 조사 전화): an agent's phone dials the callback code
   * (*77) and Kamailio relays the call to sip:<the citizen's number, national digits>@<this host[:port][;params]>.
   * Unset = no outbound calls (the callback code is refused with 503). Example: sip:gw.carrier.example:5060.
   */
  SIP_TRUNK_URI: z
    .string()
    .regex(/^sips?:[A-Za-z0-9.-]+(:\d{1,5})?(;[A-Za-z0-9=._-]+)*$/, 'sip:host[:port][;params] (no user part: the number goes there)')
    .optional(),
  /**
   * Telling the citizen the department's answer (issue #11 §4): the SMS gateway (signed JSON POST, docs in README),
   * its shared HMAC secret and the sender number registered with the provider (발신번호 사전등록); the SMTP server
   * (smtp://user:pass@host:587 or smtps://…) and the From address. A channel without its settings is "not configured":
   * its messages fail visibly and become callback tasks.
   */
  SMS_GATEWAY_URL: z.url().optional(),
  SMS_GATEWAY_SECRET: z.string().min(16).optional(),
  SMS_SENDER: z.string().regex(/^[0-9-]{3,20}$/).optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/).optional(),
  MAIL_FROM: z.string().min(3).max(200).optional(),
  /** The address citizens reach OneCall's public pages at (survey links, issue #15); default http://localhost:PORT. */
  PUBLIC_URL: z.url().optional(),
  /*
   * Retention (파기, PIPA 제21조; privacy-security-kr.md §6, §8), in days; the daily job destroys or anonymises what is
   * older. Cases: per the city's records schedule (⚠ confirm with its 기록물 분류기준표), default 3 years, then anonymised
   * for statistics. Call metadata: the caller's number on each call, default 1 year, then erased. Citizens without any
   * contact for this long (and no open case): deleted, default 3 years. Sessions: deleted this long after expiry.
   */
  RETENTION_CASES_DAYS: z.coerce.number().int().min(30).max(36_500).default(1095),
  RETENTION_CALLS_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  RETENTION_CITIZENS_DAYS: z.coerce.number().int().min(30).max(36_500).default(1095),
  RETENTION_SESSIONS_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Hour of the day (KST) at which the retention job runs. */
  RETENTION_HOUR_KST: z.coerce.number().int().min(0).max(23).default(3),
  /** Who must use TOTP two-factor sign-in: supervisors and admins (default), or every user. */
  TOTP_REQUIRED_FOR: z.enum(['privileged', 'all']).default('privileged'),
  /** Minutes without activity after which a session ends on the server (제6조④; reference §3: 10–30). */
  IDLE_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /**
   * Addresses (IPs or CIDRs, IPv4/IPv6, comma-separated) from which admin-only routes may be called (제6조①).
   * Default: loopback and the private ranges of an office network; set the city's own ranges in production.
   */
  ADMIN_ALLOWED_IPS: z.string().default('127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7'),
});

const CHANNEL_SETTINGS = {
  sms: ['SMS_GATEWAY_URL', 'SMS_GATEWAY_SECRET', 'SMS_SENDER'],
  email: ['SMTP_URL', 'MAIL_FROM'],
} as const;

/** synchronous: SQLite's PRAGMA synchronous (docs/OPERATIONS.md, "Data files"); normal when not given. */
export type DatabaseConfig = { dialect: 'sqlite'; file: string; synchronous?: 'normal' | 'full' } | { dialect: 'postgres'; url: string };

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  database: DatabaseConfig;
  dataDir: string;
  /** The built web app's folder, served at /. */
  webRoot: string;
  logLevel: string;
  seedDemo: boolean;
  demoPassword: string;
  sessionTtlMs: number;
  displaySessionMs: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  signInMaxFailures: number;
  signInLockoutMs: number;
  signInRatePerMinute: number;
  signInIpMaxFailures: number;
  /** Roles that must sign in with TOTP: 'privileged' = supervisor and admin; 'all' = everyone. */
  totpRequiredFor: 'privileged' | 'all';
  idleTimeoutMs: number;
  /** Raw ADMIN_ALLOWED_IPS entries (parsed and validated by server/http/ip-allow-list.ts). */
  adminAllowedIps: readonly string[];
  /** Retention periods in days and the job's hour (server/modules/retention/retention-policy.ts). */
  retention: { casesDays: number; callsDays: number; citizensDays: number; sessionsDays: number; hourKst: number };
  /** ACD timers (issue #4). */
  acd: { offerTimeoutSeconds: number; maxMissedOffers: number; wrapUpSeconds: number };
  /** Warm transfer to the official (issue #11 §2). */
  transfers: { ringTimeoutSeconds: number; departmentHours: 'office' | 'always' };
  /** The stand-in the demo seed points its look-ups at (issue #16). */
  connectors: { standinUrl: string };
  /** Where links in messages to citizens point (the survey page /s/:token), without a trailing slash. */
  publicUrl: string;
  /** CTI webhook adapter: null secret = the webhook answers 503. */
  telephony: { webhookSecret: string | null; pbxUrl: string | null };
  /** Real SIP through Kamailio + rtpengine (issue #17); null = TELEPHONY is not sip. */
  sip: SipConfig | null;
  /** Notification channels (issue #11 §4): null = not configured. */
  notifications: {
    sms: { url: string; secret: string; sender: string } | null;
    email: { smtpUrl: string; from: string } | null;
  };
  /** Layer 2/4 of issue 3: access records, unmasking limits, monthly review rules, exports. */
  privacy: {
    accessRecordRetentionDays: number;
    /** The file the access-record chain's head is copied to (server/ports/chain-head/file.adapter.ts). */
    chainHeadFile: string;
    unmaskLimits: Readonly<Record<'agent' | 'official' | 'supervisor' | 'admin', number>>;
    review: { volumeFactor: number; nightStartHour: number; nightEndHour: number };
    exportMaxRows: number;
  };
  /** Where the vault's keys come from (server/lib/key-ring.ts). */
  keys: { keysJson?: string | undefined; keyFile: string; allowGenerate: boolean; ephemeral: boolean };
}>;

/** Real SIP settings (issue #17, docs/TELEPHONY-SIP.md). */
export type SipConfig = {
  sharedSecret: string;
  domain: string;
  wsUrl: string;
  kamailioHttpUrl: string;
  rtpengineNg: { host: string; port: number };
  /** Kamailio's evapi socket (SIP_KAMAILIO_EVAPI); null = route requests and events over HTTP only. */
  kamailioEvapi?: { host: string; port: number } | null;
  routeAllow: string[];
  credentialTtlSeconds: number;
  /** Call recording (SIP_RECORDING): rtpengine's spool of plain files, the sealed store, the retention in days. */
  recording: { enabled: boolean; spoolDir: string; dir: string; retentionDays: number };
  /** Where rtpengine finds the prompts it plays (absolute: rtpengine runs elsewhere than OneCall's working directory). */
  promptsDir: string;
  /** The fallback announcement service's spool of accepted callbacks (read and emptied by OneCall). */
  fallbackSpoolDir: string;
  /** The carrier's trunk for callbacks (SIP_TRUNK_URI: sip:host[:port][;params]); null = agents' phones cannot call out. */
  trunkUri?: string | null;
};

/** TELEPHONY=sip needs SIP_SHARED_SECRET: a route service anyone could ask would be worse than none. */
function sipConfig(e: z.infer<typeof EnvSchema>): SipConfig | null {
  if (e.TELEPHONY !== 'sip') return null;
  if (!e.SIP_SHARED_SECRET) throw new Error('Invalid configuration: TELEPHONY=sip needs SIP_SHARED_SECRET (at least 16 characters)');
  const [host, port] = e.SIP_RTPENGINE_NG.split(':');
  return {
    sharedSecret: e.SIP_SHARED_SECRET,
    domain: e.SIP_DOMAIN,
    wsUrl: e.SIP_WS_URL,
    kamailioHttpUrl: e.SIP_KAMAILIO_HTTP_URL.replace(/\/$/, ''),
    rtpengineNg: { host: host || '127.0.0.1', port: Number(port) || 22222 },
    kamailioEvapi: e.SIP_KAMAILIO_EVAPI.trim() ? { host: e.SIP_KAMAILIO_EVAPI.split(':')[0] || '127.0.0.1', port: Number(e.SIP_KAMAILIO_EVAPI.split(':')[1]) || 5067 } : null,
    routeAllow: e.SIP_ROUTE_ALLOW.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    credentialTtlSeconds: e.SIP_CREDENTIAL_TTL_SECONDS,
    recording: {
      enabled: e.SIP_RECORDING === 'on',
      spoolDir: path.resolve(e.SIP_RECORDING_SPOOL_DIR),
      dir: path.resolve(e.SIP_RECORDING_DIR ?? path.join(e.DATA_DIR, 'recordings')),
      retentionDays: e.RECORDING_RETENTION_DAYS,
    },
    promptsDir: path.resolve(e.SIP_PROMPTS_DIR),
    fallbackSpoolDir: path.resolve(e.SIP_FALLBACK_SPOOL_DIR),
    trunkUri: e.SIP_TRUNK_URI ?? null,
  };
}

/** The SIP fallback announcement service's settings (server/cli/sip-fallback.ts: its own process, scripts/telephony.sh). */
const SipFallbackEnvSchema = z.object({
  SIP_SHARED_SECRET: z.string().min(16),
  SIP_FALLBACK_PORT: z.coerce.number().int().min(1).max(65535).default(5068),
  SIP_KAMAILIO_HTTP_URL: z.string().url().default('http://127.0.0.1:5066'),
  SIP_RTPENGINE_NG: z.string().default('127.0.0.1:22222'),
  SIP_PROMPTS_DIR: z.string().min(1).default('.run/telephony/prompts'),
  SIP_FALLBACK_SPOOL_DIR: z.string().min(1).default('.run/telephony/fallback'),
});
export type SipFallbackConfig = { sharedSecret: string; port: number; kamailioHttpUrl: string; rtpengineNg: { host: string; port: number }; promptsDir: string; spoolDir: string };

export function loadSipFallbackConfig(env: NodeJS.ProcessEnv = process.env): SipFallbackConfig {
  const parsed = SipFallbackEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  const [host, port] = e.SIP_RTPENGINE_NG.split(':');
  return Object.freeze({
    sharedSecret: e.SIP_SHARED_SECRET,
    port: e.SIP_FALLBACK_PORT,
    kamailioHttpUrl: e.SIP_KAMAILIO_HTTP_URL.replace(/\/$/, ''),
    rtpengineNg: { host: host || '127.0.0.1', port: Number(port) || 22222 },
    promptsDir: path.resolve(e.SIP_PROMPTS_DIR),
    spoolDir: path.resolve(e.SIP_FALLBACK_SPOOL_DIR),
  });
}

/** Reads the database setting: postgres(ql):// → PostgreSQL, anything else is a SQLite file (or :memory:). */
export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseConfig {
  if (!url) return { dialect: 'sqlite', file: path.join(dataDir, 'onecall.db') };
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  return { dialect: 'sqlite', file: url.replace(/^sqlite:(\/\/)?/, '') };
}

function withSynchronous(db: DatabaseConfig, synchronous: 'normal' | 'full'): DatabaseConfig {
  return db.dialect === 'sqlite' ? { ...db, synchronous } : db;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  // A channel half configured is a typing mistake, not "off": say so at start rather than failing every message.
  for (const [channel, names] of Object.entries(CHANNEL_SETTINGS)) {
    const set = names.filter((n) => e[n] !== undefined);
    if (set.length > 0 && set.length < names.length) {
      throw new Error(`Invalid configuration: ${channel} needs ${names.join(', ')} together (missing ${names.filter((n) => e[n] === undefined).join(', ')})`);
    }
  }
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    // With demo data under the shared demo password, anyone who can reach the port can sign in as the admin: such a
    // server listens on loopback unless HOST says otherwise.
    host: e.HOST ?? ((e.SEED_DEMO ? e.SEED_DEMO === 'true' : e.NODE_ENV !== 'production') && e.DEMO_PASSWORD === DEMO_PASSWORD_DEFAULT ? '127.0.0.1' : '0.0.0.0'),
    database: withSynchronous(parseDatabaseUrl(e.DATABASE_URL, e.DATA_DIR), e.SQLITE_SYNCHRONOUS),
    dataDir: e.DATA_DIR,
    webRoot: path.resolve(e.WEB_ROOT),
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : e.NODE_ENV !== 'production',
    demoPassword: e.DEMO_PASSWORD,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    displaySessionMs: e.DISPLAY_SESSION_DAYS * 86_400_000,
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : e.NODE_ENV === 'production',
    trustProxy: e.TRUST_PROXY === 'true',
    signInMaxFailures: e.SIGN_IN_MAX_FAILURES,
    signInLockoutMs: e.SIGN_IN_LOCKOUT_MINUTES * 60_000,
    signInRatePerMinute: e.SIGN_IN_RATE_PER_MINUTE,
    signInIpMaxFailures: e.SIGN_IN_IP_MAX_FAILURES,
    totpRequiredFor: e.TOTP_REQUIRED_FOR,
    idleTimeoutMs: e.IDLE_TIMEOUT_MINUTES * 60_000,
    adminAllowedIps: Object.freeze(
      e.ADMIN_ALLOWED_IPS.split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
    retention: {
      casesDays: e.RETENTION_CASES_DAYS,
      callsDays: e.RETENTION_CALLS_DAYS,
      citizensDays: e.RETENTION_CITIZENS_DAYS,
      sessionsDays: e.RETENTION_SESSIONS_DAYS,
      hourKst: e.RETENTION_HOUR_KST,
    },
    acd: { offerTimeoutSeconds: e.ACD_OFFER_TIMEOUT_SECONDS, maxMissedOffers: e.ACD_MAX_MISSED_OFFERS, wrapUpSeconds: e.ACD_WRAP_UP_SECONDS },
    transfers: { ringTimeoutSeconds: e.TRANSFER_RING_TIMEOUT_SECONDS, departmentHours: e.DEPARTMENT_HOURS },
    connectors: { standinUrl: e.STANDIN_URL },
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    telephony: { webhookSecret: e.TELEPHONY_WEBHOOK_SECRET ?? null, pbxUrl: e.TELEPHONY_PBX_URL ?? null },
    sip: sipConfig(e),
    notifications: {
      sms: e.SMS_GATEWAY_URL && e.SMS_GATEWAY_SECRET && e.SMS_SENDER ? { url: e.SMS_GATEWAY_URL, secret: e.SMS_GATEWAY_SECRET, sender: e.SMS_SENDER } : null,
      email: e.SMTP_URL && e.MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM } : null,
    },
    privacy: {
      accessRecordRetentionDays: e.ACCESS_RECORD_RETENTION_DAYS,
      chainHeadFile: e.ACCESS_CHAIN_HEAD_FILE ?? path.join(e.DATA_DIR, 'access-chain-head.json'),
      unmaskLimits: { agent: e.UNMASK_LIMIT_AGENT, official: e.UNMASK_LIMIT_OFFICIAL, supervisor: e.UNMASK_LIMIT_SUPERVISOR, admin: e.UNMASK_LIMIT_ADMIN },
      review: { volumeFactor: e.REVIEW_VOLUME_FACTOR, nightStartHour: e.REVIEW_NIGHT_START_HOUR, nightEndHour: e.REVIEW_NIGHT_END_HOUR },
      exportMaxRows: e.EXPORT_MAX_ROWS,
    },
    keys: {
      keysJson: e.ONECALL_KEYS,
      keyFile: e.ONECALL_KEY_FILE ?? path.join(e.DATA_DIR, 'onecall-keys.json'),
      allowGenerate: e.NODE_ENV !== 'production',
      // Tests get a fresh in-memory ring unless they name a key file.
      ephemeral: e.NODE_ENV === 'test' && !e.ONECALL_KEY_FILE,
    },
  });
}
