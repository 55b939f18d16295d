import { PostgresAdapter, sql, type Insertable } from 'kysely';
import type { Db } from '../../db/database';
import { preparedRows, slotsOf } from '../../db/prepared';
import type { Database } from '../../db/tables';

/**
 * Rows of simulated history written in bulk (a day of a centre: thousands of rows per table in one transaction).
 * PostgreSQL: one statement per 5,000 rows, the rows sent as one JSON parameter and expanded by
 * json_populate_recordset into the table's own row type (no statement of thousands of parameters to parse and bind).
 * SQLite: statements of 100 rows built once and prepared (server/db/prepared.ts), run on the transaction's connection.
 * The columns are the first row's keys (every row of a call has the same keys; a missing value is null).
 */

const PG_CHUNK = 5_000;
const sqliteWriters = new Map<string, (db: Db, rows: readonly Record<string, unknown>[]) => Promise<void>>();

export async function insertBulk<T extends keyof Database & string>(db: Db, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const list = sql.join(columns.map((c) => sql.ref(c)));
    for (let i = 0; i < rows.length; i += PG_CHUNK) {
      const json = JSON.stringify(rows.slice(i, i + PG_CHUNK));
      await sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${json}::json)`.execute(db);
    }
    return;
  }
  const key = `${table}(${columns.join(',')})`;
  let write = sqliteWriters.get(key);
  if (!write) {
    write = preparedRows<Record<string, unknown>>(`bulk.${key}`, (d, slots) =>
      d.insertInto(table).values(slots.map((s) => slotsOf(s, columns)) as never),
    );
    sqliteWriters.set(key, write);
  }
  await write(db, rows as readonly Record<string, unknown>[]);
}
