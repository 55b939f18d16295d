import type { Statement } from 'better-sqlite3';
import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './tables';

/**
 * Hot-path statements built with Kysely once and then run with new values.
 *
 * Building and compiling a Kysely query costs more than running it on SQLite (an insert of a dozen columns: ~25 µs to
 * build, ~10 µs to run). A use case on the call path (the ACD's decisions, recording a case, access records) runs the
 * same statements tens of thousands of times a day, so they are built once per dialect with named slots in place of
 * values, and then executed with the values in slot order. The SQL text is then the same string each time, which the
 * SQLite statement cache (server/db/database.ts) turns into one prepared statement.
 *
 * A statement built here must not depend on the values: every value is a slot (`p.name`) or a constant written into the
 * builder (`limit(1)`), lists have a fixed length (one statement per length), and a slot that Kysely would inline into
 * the SQL text is refused at build time.
 *
 * Inside a transaction on SQLite the statement runs directly on the connection the transaction holds (better-sqlite3 is
 * synchronous, so nothing else can run on it meanwhile): Kysely's per-query path (executor, connection provider,
 * driver, three promises) cost about as much as the statement itself. Elsewhere, and on PostgreSQL, it goes through
 * Kysely.
 */

const MARK = '\u0000slot:';
/**
 * The SQL text and, per parameter, its slot name or (for a constant written into the builder) its value; on SQLite
 * also the prepared statement.
 */
type Entry = { sql: string; keys: Array<string | { value: unknown }>; statement?: Statement };
const sqliteByAdapter = new WeakMap<object, (sql: string) => Statement>();
const sqliteRollbacksByAdapter = new WeakMap<object, () => number>();

/**
 * Called by openDatabase for SQLite: how to prepare a statement on the one connection (its statement cache), and how
 * many ROLLBACKs (of a transaction or to a savepoint) the connection has run.
 */
export function registerSqliteStatements(db: Db, prepare: (sql: string) => Statement, rollbacks: () => number): void {
  sqliteByAdapter.set(db.getExecutor().adapter, prepare);
  sqliteRollbacksByAdapter.set(db.getExecutor().adapter, rollbacks);
}

/**
 * On an embedded SQLite database (one connection, one process): how many rollbacks it has run so far, so that an
 * in-memory copy of rows written in a transaction can be dropped once any of them may have been undone. Undefined on
 * PostgreSQL (other connections and processes write too: nothing written may be kept in memory there).
 */
export function sqliteRollbackCount(db: Db): number | undefined {
  return sqliteRollbacksByAdapter.get(db.getExecutor().adapter)?.();
}

async function execute<R>(db: Db, entry: Entry, values: unknown[]): Promise<R[]> {
  if (db.isTransaction) {
    const prepare = sqliteByAdapter.get(db.getExecutor().adapter);
    if (prepare) {
      const statement = (entry.statement ??= prepare(entry.sql));
      if (statement.reader) return statement.all(values) as R[];
      statement.run(values);
      return [];
    }
  }
  return (await db.executeQuery<R>(CompiledQuery.raw(entry.sql, values))).rows;
}
// Keyed by the dialect's adapter, which a Kysely instance shares with its transactions.
const compiledByAdapter = new WeakMap<object, Map<string, Entry>>();

function slots<P extends object>(prefix: string): P {
  return new Proxy({} as P, { get: (_t, name) => `${MARK}${prefix}${String(name)}` });
}

function compileOnce(db: Db, key: string, build: () => Compilable<unknown>): Entry {
  const adapter = db.getExecutor().adapter as object;
  let cache = compiledByAdapter.get(adapter);
  if (!cache) compiledByAdapter.set(adapter, (cache = new Map()));
  let entry = cache.get(key);
  if (!entry) {
    const compiled = build().compile();
    if (compiled.sql.includes(MARK)) throw new Error(`prepared statement ${key}: a slot was inlined into the SQL text`);
    const keys = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? p.slice(MARK.length) : { value: p }));
    entry = { sql: compiled.sql, keys };
    cache.set(key, entry);
  }
  return entry;
}

/**
 * A statement with named slots: `build(db, p)` uses `p.name` wherever a value goes (typed as the parameter's type).
 * The returned function runs it with `params` (undefined is sent as null) and resolves to the rows it returns.
 */
export function prepared<P extends object, R = Record<string, unknown>>(name: string, build: (db: Db, p: P) => Compilable<unknown>) {
  const p = slots<P>('');
  return async (db: Db, params: P): Promise<R[]> => {
    const entry = compileOnce(db, name, () => build(db, p));
    const values = entry.keys.map((k) => (typeof k === 'string' ? ((params as Record<string, unknown>)[k] ?? null) : k.value));
    return execute<R>(db, entry, values);
  };
}

/**
 * A multi-row statement (an insert of many rows): `build(db, rows)` gets one slot object per row. Rows are sent
 * `chunk` at a time (100), one statement per row count.
 */
export function preparedRows<P extends object>(name: string, build: (db: Db, rows: P[]) => Compilable<unknown>, chunk = 100) {
  const rowSlots: P[] = [];
  const slotsFor = (n: number): P[] => {
    while (rowSlots.length < n) rowSlots.push(slots<P>(`${rowSlots.length}.`));
    return rowSlots.slice(0, n);
  };
  return async (db: Db, rows: readonly P[]): Promise<void> => {
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      const entry = compileOnce(db, `${name}#${part.length}`, () => build(db, slotsFor(part.length)));
      const values = entry.keys.map((k) => {
        if (typeof k !== 'string') return k.value;
        const dot = k.indexOf('.');
        return (part[Number(k.slice(0, dot))] as Record<string, unknown>)[k.slice(dot + 1)] ?? null;
      });
      await execute(db, entry, values);
    }
  };
}

/** The slots of some columns as an object (Kysely's `values()` and `set()` read an object's own keys). */
export function slotsOf<P extends object, K extends keyof P>(p: P, columns: readonly K[]): Pick<P, K> {
  return Object.fromEntries(columns.map((c) => [c, p[c]])) as Pick<P, K>;
}
