import type { Db } from '../../db/database';
import { prepared, slotsOf } from '../../db/prepared';
import type { HandOffStatus } from '../../../core/contracts/enums';
import type { CaseTable, HandOffTable } from '../../db/tables';
import type { Vault } from '../../lib/vault';
import { handOffFactOf, keepHandOffRollups } from '../statistics/handoff-rollups.repository';

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
  'id', 'number', 'interaction_id', 'citizen_id', 'agent_id', 'category_id', 'complaint_type', 'summary', 'notes', 'location', 'outcome',
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
type NewHandOff = Pick<HandOffTable, (typeof HANDOFF_COLUMNS)[number]>;
const insertHandOffRow = prepared<NewHandOff>('handoffs.insert', (db, p) => db.insertInto('handoffs').values(slotsOf(p, HANDOFF_COLUMNS)));

export async function insertHandOff(db: Db, row: NewHandOff): Promise<void> {
  await insertHandOffRow(db, row);
  await keepHandOffRollups(db, [], [handOffFactOf(row)]); // 부서별's rollups, in the case's transaction (migration 0039)
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

function handOffOfCaseQuery(db: Db) {
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
      'h.chase_count',
    ]);
}

/**
 * The hand-offs of these cases with their department and assignee, newest first; `link_case_id` is the case of the
 * list each belongs to: its own case, or a repeat call's case that was added to it (추가 민원, handoff_additions).
 */
export async function listHandOffsOfCases(db: Db, caseIds: string[]) {
  if (caseIds.length === 0) return [];
  const [own, added] = await Promise.all([
    handOffOfCaseQuery(db).select('h.case_id as link_case_id').where('h.case_id', 'in', caseIds).orderBy('h.received_at', 'desc').execute(),
    handOffOfCaseQuery(db)
      .innerJoin('handoff_additions as a', 'a.handoff_id', 'h.id')
      .select('a.case_id as link_case_id')
      .where('a.case_id', 'in', caseIds)
      .execute(),
  ]);
  return [...own, ...added];
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
      'c.location',
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

/** An open or closed hand-off a repeat call may add to, with its own case's citizen and number. */
export async function findHandOffForAddition(db: Db, id: string) {
  return db
    .selectFrom('handoffs as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .innerJoin('departments as d', 'd.id', 'h.department_id')
    .select(['h.id', 'h.case_id', 'h.status', 'h.department_id', 'd.name as department_name', 'h.due_at', 'c.citizen_id', 'c.number as case_number'])
    .where('h.id', '=', id)
    .executeTakeFirst();
}

/**
 * Counts one more chase (독촉) on a hand-off that is still open, and returns the new count; undefined when it was
 * answered, closed or returned meanwhile (the guard is the UPDATE itself, so a concurrent answer wins cleanly).
 */
export async function countHandOffChase(db: Db, id: string, openStatuses: readonly HandOffStatus[], at: string): Promise<number | undefined> {
  const updated = await db
    .updateTable('handoffs')
    .set((eb) => ({ chase_count: eb('chase_count', '+', 1), last_chased_at: at, updated_at: at }))
    .where('id', '=', id)
    .where('status', 'in', [...openStatuses])
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return undefined;
  const row = await db.selectFrom('handoffs').select('chase_count').where('id', '=', id).executeTakeFirstOrThrow();
  return Number(row.chase_count);
}

export async function insertHandOffAddition(db: Db, row: { id: string; handoff_id: string; case_id: string; added_at: string; added_by: string | null }): Promise<void> {
  await db.insertInto('handoff_additions').values(row).execute();
}

/** The repeat calls added to these hand-offs (추가 민원), oldest first: their case's number, summary, notes and agent. */
export async function listHandOffAdditions(db: Db, handOffIds: readonly string[]) {
  if (handOffIds.length === 0) return [];
  return db
    .selectFrom('handoff_additions as a')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .leftJoin('users as u', 'u.id', 'c.agent_id')
    .select(['a.handoff_id', 'a.case_id', 'a.added_at', 'c.number as case_number', 'c.summary', 'c.notes', 'u.name as agent_name'])
    .where('a.handoff_id', 'in', [...handOffIds])
    .orderBy('a.added_at')
    .orderBy('a.id')
    .execute();
}

export type HandOffAdditionRow = Awaited<ReturnType<typeof listHandOffAdditions>>[number];

/** The sealed numbers a reply preference defaults to: the number the call came from, then the citizen's. */
export async function findCallNumbersSealed(db: Db, interactionId: string) {
  return db
    .selectFrom('interactions as i')
    .leftJoin('citizens as z', 'z.id', 'i.citizen_id')
    .select(['i.caller_number_sealed', 'z.phone_sealed'])
    .where('i.id', '=', interactionId)
    .executeTakeFirstOrThrow();
}

/** 상담 이력 검색: the criteria as the database sees them (blind index, code prefix, UTC bounds). */
export type CaseSearchFilter = {
  phoneIndex?: string;
  /** The name's blind indexes (current key, and the previous one during an index-key rotation). */
  nameIndexes?: string[];
  numberPrefix?: string;
  categoryCode?: string;
  fromIso?: string;
  toIso?: string;
  outcome?: string;
};

function whereSearch<Q extends ReturnType<typeof caseSummaryQuery>>(db: Db, q: Q, f: CaseSearchFilter): Q {
  let out = q;
  if (f.phoneIndex) out = out.where('c.citizen_id', 'in', db.selectFrom('citizens').select('id').where('phone_index', '=', f.phoneIndex)) as Q;
  if (f.nameIndexes) out = out.where('c.citizen_id', 'in', db.selectFrom('citizens').select('id').where('name_index', 'in', f.nameIndexes)) as Q;
  if (f.numberPrefix) out = (f.numberPrefix.includes('-') ? out.where('c.number', '=', f.numberPrefix) : out.where('c.number', 'like', `${f.numberPrefix}-%`)) as Q;
  if (f.categoryCode) out = out.where((eb) => eb.or([eb('cat.code', '=', f.categoryCode!), eb('cat.code', 'like', `${f.categoryCode}-%`)])) as Q;
  if (f.fromIso) out = out.where('c.created_at', '>=', f.fromIso) as Q;
  if (f.toIso) out = out.where('c.created_at', '<', f.toIso) as Q;
  if (f.outcome) out = out.where('c.outcome', '=', f.outcome as CaseTable['outcome']) as Q;
  return out;
}

/** A page of the cases matching the filter, newest first, and how many match in all. */
export async function searchCaseRows(db: Db, f: CaseSearchFilter, limit: number, offset: number) {
  const rows = await whereSearch(db, caseSummaryQuery(db), f).orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(limit).offset(offset).execute();
  const counted = whereSearch(db, caseSummaryQuery(db), f).clearSelect().select((eb) => eb.fn.countAll<number | string>().as('n'));
  const total = Number((await counted.executeTakeFirstOrThrow()).n);
  return { rows, total };
}

export async function findCategoryCode(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('categories').select('code').where('id', '=', id).executeTakeFirst())?.code;
}
