import type { Selectable } from 'kysely';
import type { Db } from '../../db/database';
import { prepared } from '../../db/prepared';
import type { CaseSystemSettingsTable, OutboxMessageTable } from '../../db/tables';

/** The case-system link's tables (migration 0027) and its rows of the one outbox (kind 'case_system'). */
export const CASE_SYSTEM_KIND = 'case_system';
export const SETTINGS_ID = 'default';

export type SettingsRow = Selectable<CaseSystemSettingsTable>;

export async function findSettings(db: Db): Promise<SettingsRow | undefined> {
  return db.selectFrom('case_system_settings').selectAll().where('id', '=', SETTINGS_ID).executeTakeFirst();
}

// Asked by every hand-off recorded: built once (server/db/prepared.ts).
const linkEnabled = prepared<Record<string, never>, { is_enabled: number }>('case_system_settings.is_enabled', (db) =>
  db.selectFrom('case_system_settings').select('is_enabled').where('id', '=', SETTINGS_ID),
);

export async function isLinkEnabled(db: Db): Promise<boolean> {
  const [row] = await linkEnabled(db, {});
  return Number(row?.is_enabled) === 1;
}

export async function saveSettings(db: Db, row: SettingsRow): Promise<void> {
  const { id: _id, ...rest } = row;
  const changed = await db.updateTable('case_system_settings').set(rest).where('id', '=', SETTINGS_ID).executeTakeFirst();
  if (Number(changed.numUpdatedRows) === 0) await db.insertInto('case_system_settings').values(row).execute();
}

export async function setPollCursor(db: Db, cursor: string | null): Promise<void> {
  await db.updateTable('case_system_settings').set({ poll_cursor: cursor }).where('id', '=', SETTINGS_ID).execute();
}

export async function hasQueuedMessage(db: Db, idempotencyKey: string): Promise<boolean> {
  return !!(await db.selectFrom('outbox_messages').select('id').where('idempotency_key', '=', idempotencyKey).executeTakeFirst());
}

export async function findLink(db: Db, handOffId: string) {
  return db.selectFrom('case_system_links').selectAll().where('handoff_id', '=', handOffId).executeTakeFirst();
}

export async function findLinkByCaseNo(db: Db, caseNo: string) {
  return db.selectFrom('case_system_links').selectAll().where('external_case_no', '=', caseNo).executeTakeFirst();
}

/** Records the external case number once (a repeated registration answers the same number: nothing changes). */
export async function insertLink(db: Db, handOffId: string, caseNo: string, at: string): Promise<void> {
  await db
    .insertInto('case_system_links')
    .values({ handoff_id: handOffId, external_case_no: caseNo, registered_at: at })
    .onConflict((oc) => oc.column('handoff_id').doNothing())
    .execute();
}

/** True when the inbound report was not seen before (and is now recorded as seen, in the caller's transaction). */
export async function recordInbound(
  db: Db,
  row: { event_id: string; handoff_id: string | null; kind: string; via: 'webhook' | 'poll'; outcome: string; received_at: string },
): Promise<boolean> {
  const r = await db.insertInto('case_system_inbound').values(row).onConflict((oc) => oc.column('event_id').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The messages of the link for the admin, newest first: by status group, with the hand-off's case and link. */
export async function listCaseMessages(db: Db, filter: { statuses: OutboxMessageTable['status'][]; retryingOnly?: boolean; limit: number }) {
  let q = db
    .selectFrom('outbox_messages as m')
    .leftJoin('cases as c', 'c.id', 'm.case_id')
    .leftJoin('case_system_links as l', 'l.handoff_id', 'm.handoff_id')
    .select(['m.id', 'm.idempotency_key', 'm.handoff_id', 'm.status', 'm.attempts', 'm.max_attempts', 'm.next_attempt_at', 'm.last_error', 'm.created_at', 'm.updated_at', 'm.sent_at', 'c.number as case_number', 'l.external_case_no'])
    .where('m.kind', '=', CASE_SYSTEM_KIND)
    .where('m.status', 'in', filter.statuses);
  if (filter.retryingOnly) q = q.where('m.attempts', '>', 0);
  return q.orderBy('m.updated_at', 'desc').orderBy('m.id', 'desc').limit(filter.limit).execute();
}
export type CaseMessageRow = Awaited<ReturnType<typeof listCaseMessages>>[number];

export async function countCaseMessages(db: Db) {
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>(eb.case().when('attempts', '>', 0).then(1).else(0).end()).as('retrying')])
    .where('kind', '=', CASE_SYSTEM_KIND)
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  const of = (s: string) => rows.find((r) => r.status === s);
  return { pending: Number(of('pending')?.n ?? 0), retrying: Number(of('pending')?.retrying ?? 0), failed: Number(of('failed')?.n ?? 0) };
}

export async function lastSentAt(db: Db): Promise<string | null> {
  const r = await db.selectFrom('outbox_messages').select('sent_at').where('kind', '=', CASE_SYSTEM_KIND).where('status', '=', 'sent').orderBy('sent_at', 'desc').limit(1).executeTakeFirst();
  return r?.sent_at ? String(r.sent_at) : null;
}

/** The admin's 건너뛰기: a message given up no longer holds back the hand-off's later messages. */
export async function skipFailedMessage(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('outbox_messages').set({ status: 'skipped', updated_at: at }).where('id', '=', id).where('kind', '=', CASE_SYSTEM_KIND).where('status', '=', 'failed').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function isCaseMessage(db: Db, id: string): Promise<boolean> {
  return !!(await db.selectFrom('outbox_messages').select('id').where('id', '=', id).where('kind', '=', CASE_SYSTEM_KIND).executeTakeFirst());
}
