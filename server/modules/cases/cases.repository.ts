import type { Db } from '../../db/database';
import { prepared, slotsOf } from '../../db/prepared';
import type { CaseTable, HandOffTable } from '../../db/tables';
import type { Vault } from '../../lib/vault';

const bumpCaseCounter = prepared<{ day: string }, { last: number | string }>('case_counters.next', (db, p) =>
  db
    .insertInto('case_counters')
    .values({ day: p.day, last: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ last: eb('case_counters.last', '+', 1) })))
    .returning('last'),
);

/** The next 접수번호 of a KST day, atomically (one upsert; row-locked on PostgreSQL, serialised on SQLite). */
export async function nextCaseSequence(db: Db, day: string): Promise<number> {
  const [row] = await bumpCaseCounter(db, { day });
  if (!row) throw new Error('case_counters: the upsert returned no row');
  return Number(row.last);
}

const CASE_COLUMNS = [
  'id', 'number', 'interaction_id', 'citizen_id', 'agent_id', 'category_id', 'complaint_type', 'summary', 'notes', 'outcome',
  'status', 'created_at', 'closed_at',
] as const satisfies readonly (keyof CaseTable)[];
const insertCaseRow = prepared<CaseTable>('cases.insert', (db, p) => db.insertInto('cases').values(slotsOf(p, CASE_COLUMNS)));

export async function insertCase(db: Db, row: CaseTable): Promise<void> {
  await insertCaseRow(db, row);
}

export async function insertCaseArticles(db: Db, caseId: string, articleIds: string[]): Promise<void> {
  if (articleIds.length === 0) return;
  await db
    .insertInto('case_articles')
    .values(articleIds.map((article_id) => ({ case_id: caseId, article_id })))
    .execute();
  await db
    .updateTable('articles')
    .set((eb) => ({ use_count: eb('use_count', '+', 1) }))
    .where('id', 'in', articleIds)
    .execute();
}

const HANDOFF_COLUMNS = [
  'id', 'case_id', 'department_id', 'assignee_id', 'status', 'complaint_type', 'deadline_basis', 'received_at', 'due_at',
  'acknowledged_at', 'answered_at', 'closed_at', 'answer', 'created_by', 'updated_at',
] as const satisfies readonly (keyof HandOffTable)[];
/** A new hand-off's row (how the citizen was told comes later: server/modules/notifications). */
type NewHandOff = Omit<HandOffTable, 'told_channel' | 'told_at'>;
const insertHandOffRow = prepared<NewHandOff>('handoffs.insert', (db, p) => db.insertInto('handoffs').values(slotsOf(p, HANDOFF_COLUMNS)));

export async function insertHandOff(db: Db, row: NewHandOff): Promise<void> {
  await insertHandOffRow(db, row);
}

export async function countPublishedArticles(db: Db, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', ids)
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function caseSummaryQuery(db: Db) {
  return db
    .selectFrom('cases as c')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('users as a', 'a.id', 'c.agent_id')
    .select([
      'c.id',
      'c.number',
      'c.status',
      'c.outcome',
      'c.summary',
      'c.created_at',
      'c.closed_at',
      'c.citizen_id',
      'cat.path as category_path',
      'a.name as agent_name',
    ]);
}

export type CaseSummaryRow = Awaited<ReturnType<ReturnType<typeof caseSummaryQuery>['execute']>>[number];

/** A citizen's most recent cases, newest first. */
export async function listCitizenCases(db: Db, citizenId: string, limit: number) {
  return caseSummaryQuery(db).where('c.citizen_id', '=', citizenId).orderBy('c.created_at', 'desc').limit(limit).execute();
}

/** A citizen's cases that still wait on a department. */
export async function listCitizenOpenHandOffCases(db: Db, citizenId: string) {
  return caseSummaryQuery(db)
    .where('c.citizen_id', '=', citizenId)
    .where('c.status', '=', 'open')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('handoffs as h')
          .select('h.id')
          .whereRef('h.case_id', '=', 'c.id')
          .where('h.status', 'in', ['pending', 'acknowledged', 'in_progress']),
      ),
    )
    .orderBy('c.created_at', 'desc')
    .execute();
}

export async function listRecentCases(db: Db, limit: number) {
  return caseSummaryQuery(db).orderBy('c.created_at', 'desc').limit(limit).execute();
}

export async function countCitizenCases(db: Db, citizenId: string): Promise<number> {
  const row = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('citizen_id', '=', citizenId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The hand-offs of these cases with their department and assignee, newest first. */
export async function listHandOffsOfCases(db: Db, caseIds: string[]) {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('handoffs as h')
    .innerJoin('departments as d', 'd.id', 'h.department_id')
    .leftJoin('users as u', 'u.id', 'h.assignee_id')
    .select([
      'h.id',
      'h.case_id',
      'h.status',
      'h.department_id',
      'd.name as department_name',
      'u.name as assignee_name',
      'h.complaint_type',
      'h.received_at',
      'h.due_at',
      'h.answer',
      'h.answered_at',
    ])
    .where('h.case_id', 'in', caseIds)
    .orderBy('h.received_at', 'desc')
    .execute();
}

export type HandOffOfCaseRow = Awaited<ReturnType<typeof listHandOffsOfCases>>[number];

/** A case with its category, agent and citizen; the citizen's number and name are opened from their sealed columns. */
export async function findCaseDetailRow(db: Db, vault: Vault, caseId: string) {
  const row = await db
    .selectFrom('cases as c')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('users as a', 'a.id', 'c.agent_id')
    .leftJoin('citizens as z', 'z.id', 'c.citizen_id')
    .select([
      'c.id',
      'c.number',
      'c.status',
      'c.outcome',
      'c.summary',
      'c.notes',
      'c.created_at',
      'c.closed_at',
      'c.citizen_id',
      'c.agent_id',
      'cat.path as category_path',
      'a.name as agent_name',
      'z.phone_sealed as citizen_phone_sealed',
      'z.name_sealed as citizen_name_sealed',
    ])
    .where('c.id', '=', caseId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { citizen_phone_sealed, citizen_name_sealed, ...rest } = row;
  return { ...rest, citizen_phone: vault.openNullable(citizen_phone_sealed), citizen_name: vault.openNullable(citizen_name_sealed) };
}

export async function listCaseArticles(db: Db, caseId: string) {
  return db
    .selectFrom('case_articles as ca')
    .innerJoin('articles as a', 'a.id', 'ca.article_id')
    .select(['a.id', 'a.title'])
    .where('ca.case_id', '=', caseId)
    .orderBy('a.title')
    .execute();
}

export async function closeCase(db: Db, caseId: string, at: string): Promise<void> {
  await db.updateTable('cases').set({ status: 'closed', closed_at: at }).where('id', '=', caseId).execute();
}

export async function findCaseStatus(db: Db, caseId: string) {
  return db.selectFrom('cases').select(['id', 'status', 'interaction_id']).where('id', '=', caseId).executeTakeFirst();
}
