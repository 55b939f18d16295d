import type { Kysely } from 'kysely';

/*
 * Client certificates (mutual TLS) for department look-ups (issue #16 §2), as the case-system link has (0027): the
 * PEM certificate, key and optional CA as one JSON value, sealed by the vault, write-only, re-sealed by keys:rotate.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('connector_lookups').addColumn('client_cert_sealed', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('connector_lookups').dropColumn('client_cert_sealed').execute();
}
