import { PostgresAdapter, type ColumnDataType, type Kysely } from 'kysely';

/** Migrations branch on the dialect explicitly where types must differ (house style). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** UTC times: timestamptz on PostgreSQL, ISO-8601 text on SQLite. */
export function timeType(db: Kysely<any>): ColumnDataType {
  return isPostgres(db) ? 'timestamptz' : 'text';
}

/** App-generated UUIDv7 keys. */
export function idType(db: Kysely<any>): ColumnDataType {
  return isPostgres(db) ? 'uuid' : 'text';
}
