import type { Config } from './config';
import type { Db, Dialect } from './db/database';
import type { Kysely } from 'kysely';
import type { Database } from './db/tables';
import type { KbSearch } from './modules/kb/search/kb-search';
import type { Clock } from './ports/clock/clock.port';
import type { HolidayCalendar } from './ports/holidays/holidays.port';
import type { SessionUser } from './http/access';
import { TtlCache } from './lib/ttl-cache';
import type { CategoryRecord } from './modules/org/org.repository';

/**
 * Per-process caches of hot reads. Sessions: 5 s, dropped at once on sign-out here (another node may honour a
 * revoked session for up to 5 s). Categories: 60 s (they change only by an admin).
 */
export type AppCaches = {
  sessions: TtlCache<SessionUser & { expiresAt: string }>;
  categories: TtlCache<CategoryRecord>;
};

export function createCaches(): AppCaches {
  return { sessions: new TtlCache(10_000, 5_000), categories: new TtlCache(5_000, 60_000) };
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
};

export type { Db };
