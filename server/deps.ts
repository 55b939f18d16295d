import type { Config } from './config';
import type { Db, Dialect } from './db/database';
import type { Kysely } from 'kysely';
import type { Database } from './db/tables';
import type { KbSearch } from './modules/kb/search/kb-search';
import type { Clock } from './ports/clock/clock.port';
import type { HolidayCalendar } from './ports/holidays/holidays.port';

/** Everything a use case may touch, handed to buildApp (house style: I/O behind ports and repositories). */
export type AppDeps = {
  config: Config;
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  holidays: HolidayCalendar;
  kbSearch: KbSearch;
};

export type { Db };
