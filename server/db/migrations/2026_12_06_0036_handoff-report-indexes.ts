import type { Kysely } from 'kysely';

/*
 * 부서별 at scale (issue #12 speed): the report read hand-offs received or due in the period, or open and overdue now,
 * with one OR over three columns that no index served, so every report scanned every hand-off (a month of a simulated
 * Gimpo history of 5 months took 3.5 s). The report now reads the two ranges separately (received_at, due_at) and
 * counts the open overdue hand-offs per department by (status, due_at).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('handoffs_received_idx').on('handoffs').column('received_at').execute();
  await db.schema.createIndex('handoffs_due_idx').on('handoffs').column('due_at').execute();
  await db.schema.createIndex('handoffs_open_due_idx').on('handoffs').columns(['status', 'due_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['handoffs_open_due_idx', 'handoffs_due_idx', 'handoffs_received_idx']) await db.schema.dropIndex(name).execute();
}
