import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * Department look-ups (issue #16 §2): what an admin defines so agents can look something up in a department's
 * system during a call. The definition (mapping and templates) is JSON text; the secret (API key or basic password)
 * is sealed by the vault and never read back to a client. No result of a look-up is ever stored (access records keep
 * who looked up which masked identifier).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema
    .createTable('connector_lookups')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('auth_secret_sealed', 'text')
    .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', id, (c) => c.references('users.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('connector_lookups').execute();
}
