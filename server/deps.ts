import type { Kysely } from 'kysely';
import type { Config } from './config';
import type { DatabaseHandle, Db, Dialect } from './db/database';
import type { Database } from './db/tables';
import { createKbSearch, type KbSearch } from './modules/kb/search/kb-search';
import type { Clock } from './ports/clock/clock.port';
import { systemClock } from './ports/clock/system.adapter';
import { KoreanHolidayCalendar } from './ports/holidays/holidays-kr.adapter';
import type { HolidayCalendar } from './ports/holidays/holidays.port';
import type { SessionUser } from './http/access';
import { loadKeyRing } from './lib/key-ring';
import { TtlCache } from './lib/ttl-cache';
import { Vault } from './lib/vault';
import type { CategoryRecord } from './modules/org/org.repository';
import { createMessaging, type Messaging } from './modules/notifications/messaging';
import { ChainHeadKeeper } from './modules/privacy/access-chain';
import { bindAccessChain } from './modules/privacy/access-records.repository';
import type { ChainHeadStore } from './ports/chain-head/chain-head.port';
import { MemoryChainHeadStore } from './ports/chain-head/memory.adapter';

/**
 * Per-process caches of hot reads. Sessions: 5 s, dropped at once on sign-out here (another node may honour a
 * revoked session for up to 5 s). Categories: 60 s (they change only by an admin). Calls: the fields of a call that
 * never change once it connected (who, whose, when), for recording its cases without reading it again.
 */
export type AppCaches = {
  sessions: TtlCache<SessionUser & { expiresAt: string; lastSeenAt: string }>;
  categories: TtlCache<CategoryRecord>;
  calls: TtlCache<ConnectedCall>;
};

/** The immutable facts of a connected call. */
export type ConnectedCall = { id: string; agent_id: string | null; citizen_id: string | null; started_at: string };

export function createCaches(): AppCaches {
  return { sessions: new TtlCache(10_000, 5_000), categories: new TtlCache(5_000, 60_000), calls: new TtlCache(5_000, 3_600_000) };
}

/** Everything a use case may touch, handed to buildApp (house style: I/O behind ports and repositories). */
export type AppDeps = {
  config: Config;
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  holidays: HolidayCalendar;
  kbSearch: KbSearch;
  caches: AppCaches;
  /** Seals citizens' identifiers and computes blind indexes (layer 1, server/lib/vault.ts). */
  vault: Vault;
  /** Copies the access-record chain's head outside the database (layer 4; main.ts starts and stops its timer). */
  chainHead: ChainHeadKeeper;
  /** The channels the outbox sends on (issue #11 §4); tests may swap in memory adapters. */
  messaging: Messaging;
};

export type { Db };

/**
 * Wires the dependencies of one process (server, CLI, test, benchmark) from its config and open database, and binds
 * the access-record chain of that database to the key ring's audit keys and a head store: the server passes the file
 * store (DATA_DIR/access-chain-head.json); by default the head is kept in memory (tests, throwaway databases).
 */
export function createAppDeps(
  config: Config,
  handle: DatabaseHandle,
  clock: Clock = systemClock,
  vault?: Vault,
  options: { chainHeadStore?: ChainHeadStore; onChainProblem?: (message: string) => void } = {},
): AppDeps {
  const theVault = vault ?? new Vault(loadKeyRing(config.keys).ring);
  const audit = theVault.keyRing.audit;
  if (!audit) throw new Error('the key ring has no audit keys for the access-record chain (loadKeyRing adds them)');
  const chainHead = new ChainHeadKeeper(handle.db, clock, options.onChainProblem);
  bindAccessChain(handle.db, {
    keys: audit,
    clock,
    keepDays: config.privacy.accessRecordRetentionDays,
    headStore: options.chainHeadStore ?? new MemoryChainHeadStore(),
    noteAppend: () => chainHead.noteAppend(),
  });
  return {
    vault: theVault,
    chainHead,
    config,
    db: handle.db,
    dialect: handle.dialect,
    clock,
    holidays: new KoreanHolidayCalendar(),
    kbSearch: createKbSearch(handle.db, handle.dialect),
    caches: createCaches(),
    messaging: createMessaging(config, clock),
  };
}
