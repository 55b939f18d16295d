import type { ExpressionBuilder, Insertable, Selectable } from 'kysely';
import type { HappyCallClosing } from '../../../core/domain/surveys';
import type { Database, Db, SurveyConsentTable, SurveyInvitationTable, SurveySettingsTable, SurveyTemplateTable } from '../../db/tables';

export type TemplateRow = Selectable<SurveyTemplateTable>;
export type InvitationRow = Selectable<SurveyInvitationTable>;
export type ConsentRow = Selectable<SurveyConsentTable>;
export type SettingsRow = Selectable<SurveySettingsTable>;

/** Every version of every template, newest version first within a key. */
export function listTemplateRows(db: Db): Promise<TemplateRow[]> {
  return db.selectFrom('survey_templates').selectAll().orderBy('key').orderBy('version', 'desc').execute();
}

/** The newest published version of a template key. */
export function findCurrentTemplate(db: Db, key: string): Promise<TemplateRow | undefined> {
  return db.selectFrom('survey_templates').selectAll().where('key', '=', key).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export function findTemplateById(db: Db, id: string): Promise<TemplateRow | undefined> {
  return db.selectFrom('survey_templates').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertTemplate(db: Db, row: Insertable<SurveyTemplateTable>): Promise<void> {
  await db.insertInto('survey_templates').values(row).execute();
}

export function findSettings(db: Db): Promise<SettingsRow | undefined> {
  return db.selectFrom('survey_settings').selectAll().where('id', '=', 1).executeTakeFirst();
}

export async function insertSettingsIfMissing(db: Db, row: Insertable<SurveySettingsTable>): Promise<void> {
  await db.insertInto('survey_settings').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export async function updateSettings(db: Db, set: Omit<Insertable<SurveySettingsTable>, 'id'>): Promise<void> {
  await db.updateTable('survey_settings').set(set).where('id', '=', 1).execute();
}

/** Consent rows and opt-outs of these blind indexes. */
export async function findConsents(db: Db, indexes: readonly string[]): Promise<Map<string, ConsentRow>> {
  if (indexes.length === 0) return new Map();
  const rows = await db.selectFrom('survey_consents').selectAll().where('phone_index', 'in', indexes).execute();
  return new Map(rows.map((r) => [r.phone_index, r]));
}

export async function findOptOuts(db: Db, indexes: readonly string[]): Promise<Set<string>> {
  if (indexes.length === 0) return new Set();
  const rows = await db.selectFrom('survey_opt_outs').select('phone_index').where('phone_index', 'in', indexes).execute();
  return new Set(rows.map((r) => r.phone_index));
}

export async function upsertConsent(db: Db, row: Insertable<SurveyConsentTable>): Promise<void> {
  const { phone_index: _key, ...rest } = row;
  await db
    .insertInto('survey_consents')
    .values(row)
    .onConflict((oc) => oc.column('phone_index').doUpdateSet(rest))
    .execute();
}

/** Records an opt-out (kept for ever) and withdraws the consent; a second opt-out changes nothing. */
export async function insertOptOut(db: Db, phoneIndex: string, via: string, at: string): Promise<void> {
  await db.insertInto('survey_opt_outs').values({ phone_index: phoneIndex, via, at }).onConflict((oc) => oc.column('phone_index').doNothing()).execute();
  await db.updateTable('survey_consents').set({ surveys: 0, polls: 0 }).where('phone_index', '=', phoneIndex).execute();
}

/** The last survey (scheduled, sent or answered) of each blind index since `since`: the quiet period's memory. */
export async function findLastAsked(db: Db, indexes: readonly string[], since: string): Promise<Map<string, string>> {
  if (indexes.length === 0) return new Map();
  const rows = await db
    .selectFrom('survey_invitations')
    .select(['phone_index', (eb) => eb.fn.max('due_at').as('last')])
    .where('phone_index', 'in', indexes)
    .where('status', '!=', 'skipped')
    .where('trigger', '!=', 'poll')
    .where('due_at', '>=', since)
    .groupBy('phone_index')
    .execute();
  return new Map(rows.map((r) => [r.phone_index, String(r.last)]));
}

export async function findExistingSourceKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('survey_invitations').select('source_key').where('source_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.source_key));
}

export async function insertInvitations(db: Db, rows: Insertable<SurveyInvitationTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('survey_invitations').values(rows.slice(i, i + 200)).execute();
}

export function listDueInvitations(db: Db, now: string, limit: number): Promise<InvitationRow[]> {
  return db
    .selectFrom('survey_invitations')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('channel', 'in', ['sms', 'email'])
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

/** scheduled → sent with its token's hash and expiry; false when another worker took it first. */
export async function markInvitationSent(db: Db, id: string, tokenHash: string, at: string, expiresAt: string): Promise<boolean> {
  const r = await db
    .updateTable('survey_invitations')
    .set({ status: 'sent', token_hash: tokenHash, sent_at: at, expires_at: expiresAt })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markInvitationSkipped(db: Db, id: string, reason: string): Promise<void> {
  await db.updateTable('survey_invitations').set({ status: 'skipped', skip_reason: reason }).where('id', '=', id).where('status', 'in', ['scheduled', 'sent']).execute();
}

export function findInvitationByTokenHash(db: Db, tokenHash: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('survey_invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** sent → answered, only while unanswered and unexpired: the single use of a link, decided by the database. */
export async function markInvitationAnswered(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('survey_invitations')
    .set({ status: 'answered', answered_at: at })
    .where('id', '=', id)
    .where('status', '=', 'sent')
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertResponse(
  db: Db,
  row: {
    id: string;
    invitation_id: string;
    template_id: string;
    answers: string;
    csat: number | null;
    resolved: number | null;
    nps: number | null;
    comment: string | null;
    answered_at: string;
    channel: 'web' | 'call' | 'keypad';
    recorded_by: string | null;
  },
): Promise<void> {
  await db.insertInto('survey_responses').values(row).execute();
}

export async function insertFollowUp(
  db: Db,
  row: { id: string; invitation_id: string; case_id: string | null; reason: string; score: number | null; created_at: string },
): Promise<void> {
  await db
    .insertInto('survey_followups')
    .values({ ...row, status: 'open', done_at: null, done_by: null })
    .execute();
}

export function listFollowUps(db: Db, limit = 100) {
  return db
    .selectFrom('survey_followups as f')
    .innerJoin('survey_invitations as i', 'i.id', 'f.invitation_id')
    .leftJoin('survey_responses as r', 'r.invitation_id', 'i.id')
    .leftJoin('cases as c', 'c.id', 'f.case_id')
    .select(['f.id', 'f.case_id', 'c.number as case_number', 'f.reason', 'f.score', 'r.comment', 'f.status', 'f.created_at'])
    .orderBy('f.status', 'desc')
    .orderBy('f.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function closeFollowUp(db: Db, id: string, by: string, at: string): Promise<boolean> {
  const r = await db.updateTable('survey_followups').set({ status: 'done', done_at: at, done_by: by }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Invitations of contacts in [from, to) with their response's figures (the results' raw rows): the surveys that
 * reached the citizen — links sent, happy calls and keypad surveys made, including those closed unanswered (부재
 * after the last try, 거절, hung up), which were asked and count against the response rate. With `departmentId`, only that department's.
 */
export function listResultRows(db: Db, from: string, to: string, departmentId?: string) {
  let q = db
    .selectFrom('survey_invitations as i')
    .leftJoin('survey_responses as r', 'r.invitation_id', 'i.id')
    .select(['i.trigger', 'i.status', 'i.department_id', 'i.category_id', 'i.agent_id', 'i.contact_at', 'r.csat', 'r.resolved', 'r.nps', 'r.comment', 'r.answered_at', 'i.case_id'])
    .where('i.contact_at', '>=', from)
    .where('i.contact_at', '<', to)
    .where('i.trigger', '!=', 'poll')
    .where((eb) =>
      eb.or([
        eb('i.status', 'in', ['sent', 'answered']),
        eb.and([eb('i.channel', '=', 'call'), eb('i.status', '=', 'skipped'), eb('i.skip_reason', 'in', ['no_answer', 'refused'])]),
        // Keypad surveys the citizen hung up on, or left after a second key off the scale: asked, not answered.
        eb.and([eb('i.channel', '=', 'keypad'), eb('i.status', '=', 'skipped'), eb('i.skip_reason', 'in', ['hung_up', 'keypad_invalid'])]),
      ]),
    );
  if (departmentId) q = q.where('i.department_id', '=', departmentId);
  return q.execute();
}

export async function findCursor(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('survey_cursor').select('at').where('name', '=', name).executeTakeFirst();
  return row?.at;
}

export async function saveCursor(db: Db, name: string, at: string): Promise<void> {
  await db.insertInto('survey_cursor').values({ name, at }).onConflict((oc) => oc.column('name').doUpdateSet({ at })).execute();
}

/** The contacts the scheduler looks at: settled calls and answers that reached the citizen, oldest first. */
export function listTriggerEvents(db: Db, after: string, until: string, limit: number) {
  return db
    .selectFrom('contact_events as e')
    .select(['e.id', 'e.at', 'e.type', 'e.detail', 'e.data', 'e.case_id', 'e.handoff_id', 'e.interaction_id', 'e.actor_id'])
    .where('e.type', 'in', ['call_dispositioned', 'citizen_told'])
    .where('e.at', '>', after)
    .where('e.at', '<=', until)
    .orderBy('e.at')
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/** For answers that reached the citizen: the hand-off's department, the case's agent and category, the caller's index. */
export async function findHandOffContexts(db: Db, handOffIds: readonly string[]) {
  if (handOffIds.length === 0) return new Map<string, { department_id: string; agent_id: string | null; category_id: string | null; caller_index: string | null }>();
  const rows = await db
    .selectFrom('handoffs as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .leftJoin('interactions as i', 'i.id', 'c.interaction_id')
    .select(['h.id', 'h.department_id', 'c.agent_id', 'c.category_id', 'i.caller_index'])
    .where('h.id', 'in', handOffIds)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The caller of a case: the blind index and the sealed number (for recording consent). */
export function findCaseCaller(db: Db, caseId: string) {
  return db
    .selectFrom('cases as c')
    .leftJoin('interactions as i', 'i.id', 'c.interaction_id')
    .select(['c.id', 'i.caller_index', 'i.caller_number_sealed'])
    .where('c.id', '=', caseId)
    .executeTakeFirst();
}

export async function insertPoll(db: Db, row: Insertable<import('../../db/tables').SurveyPollTable>): Promise<void> {
  await db.insertInto('survey_polls').values(row).execute();
}

export function listPollRows(db: Db) {
  return db.selectFrom('survey_polls').selectAll().orderBy('created_at', 'desc').execute();
}

export function findPoll(db: Db, id: string) {
  return db.selectFrom('survey_polls').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Who a poll may go to: consented to polls, not opted out, in the districts / age bands (empty = any). */
export async function listPollTargets(db: Db, districts: readonly string[], ageBands: readonly string[]): Promise<ConsentRow[]> {
  let q = db
    .selectFrom('survey_consents as c')
    .selectAll('c')
    .where('c.polls', '=', 1)
    .where('c.channel', 'in', ['sms', 'email'])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('survey_opt_outs as o').select('o.phone_index').whereRef('o.phone_index', '=', 'c.phone_index'))));
  if (districts.length > 0) q = q.where('c.district', 'in', districts);
  if (ageBands.length > 0) q = q.where('c.age_band', 'in', ageBands);
  return q.execute();
}

/** A poll's invitations counted and its answers (JSON). */
export async function pollAnswers(db: Db, pollId: string): Promise<{ invited: number; answers: string[] }> {
  const invited = await db
    .selectFrom('survey_invitations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('poll_id', '=', pollId)
    .where('status', 'in', ['sent', 'answered'])
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('survey_responses as r')
    .innerJoin('survey_invitations as i', 'i.id', 'r.invitation_id')
    .select('r.answers')
    .where('i.poll_id', '=', pollId)
    .execute();
  return { invited: Number(invited.n), answers: rows.map((r) => r.answers) };
}

/** Retention: the blind index and token hash of invitations of contacts older than the cutoff are erased. */
export async function eraseSurveyContactsBefore(db: Db, cutoff: string, dryRun: boolean): Promise<number> {
  const old = (q: ReturnType<typeof base>) => q.where('contact_at', '<', cutoff).where('phone_index', '!=', '');
  const base = () => db.selectFrom('survey_invitations');
  if (dryRun) {
    const r = await old(base()).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  const r = await db.updateTable('survey_invitations').set({ phone_index: '', token_hash: null }).where('contact_at', '<', cutoff).where('phone_index', '!=', '').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ———————————————————————————————————————— happy calls (만족도 조사 전화) ————————————————————————————————————————

/** Happy calls an agent may make now: owed by phone, due, not waiting for their next try, not expired. */
function openHappyCalls(db: Db, now: string, expiredBefore: string) {
  return db
    .selectFrom('survey_invitations as i')
    .where('i.channel', '=', 'call')
    .where('i.status', '=', 'scheduled')
    .where('i.due_at', '<=', now)
    .where('i.due_at', '>', expiredBefore)
    .where((eb) => eb.or([eb('i.next_attempt_at', 'is', null), eb('i.next_attempt_at', '<=', now)]));
}

export async function countOpenHappyCalls(db: Db, now: string, expiredBefore: string): Promise<number> {
  const r = await openHappyCalls(db, now, expiredBefore)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The open happy calls with what the desk shows of them: this agent's own first, then the longest owed. */
export function listOpenHappyCalls(db: Db, now: string, expiredBefore: string, agentId: string, limit: number) {
  return happyCallColumns(openHappyCalls(db, now, expiredBefore))
    .orderBy((eb) => eb.case().when('i.claimed_by', '=', agentId).then(0).else(1).end())
    .orderBy('i.due_at')
    .orderBy('i.id')
    .limit(limit)
    .execute();
}

function happyCallColumns(q: ReturnType<typeof openHappyCalls>) {
  return q
    .innerJoin('survey_templates as t', 't.id', 'i.template_id')
    .leftJoin('survey_consents as sc', 'sc.phone_index', 'i.phone_index')
    .leftJoin('cases as c', 'c.id', 'i.case_id')
    .leftJoin('interactions as ia', 'ia.id', 'c.interaction_id')
    .leftJoin('users as u', 'u.id', 'i.claimed_by')
    .select([
      'i.id',
      'i.status',
      'i.trigger',
      'i.case_id',
      'c.number as case_number',
      'ia.citizen_id',
      'sc.address_sealed',
      'sc.channel as consent_channel',
      'i.template_id',
      't.title as template_title',
      'i.contact_at',
      'i.due_at',
      'i.call_attempts',
      'i.claimed_by',
      'i.claimed_at',
      'u.name as claimed_by_name',
      'i.phone_index',
      'i.contact_id',
    ]);
}

export type HappyCallRow = Awaited<ReturnType<typeof listOpenHappyCalls>>[number];

export function findHappyCall(db: Db, id: string): Promise<HappyCallRow | undefined> {
  return happyCallColumns(db.selectFrom('survey_invitations as i').where('i.channel', '=', 'call')).where('i.id', '=', id).executeTakeFirst();
}

/**
 * The agent takes a happy call: only an open one that nobody else holds (or whose holder left it more than the claim
 * time ago). False when another agent has it or it is no longer open: two agents never call the same citizen.
 */
export async function claimHappyCall(
  db: Db,
  id: string,
  agentId: string,
  now: string,
  expiredBefore: string,
  staleBefore: string,
  /** The ACD contact the agent answered; without it, only a call the ACD has not queued (the list's 맡기) or his own. */
  viaContact: string | null = null,
): Promise<boolean> {
  const r = await db
    .updateTable('survey_invitations')
    .set({ claimed_by: agentId, claimed_at: now })
    .where('id', '=', id)
    .where('channel', '=', 'call')
    .where('status', '=', 'scheduled')
    .where('due_at', '<=', now)
    .where('due_at', '>', expiredBefore)
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
    .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', agentId), eb('claimed_at', '<', staleBefore)]))
    // (PostgreSQL: contact_id is a uuid, so the contact is compared only when there is one.)
    .where((eb) => eb.or([eb('contact_id', 'is', null), eb('claimed_by', '=', agentId), ...(viaContact ? [eb('contact_id', '=', viaContact)] : [])]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The happy call was answered: scheduled → answered, only by the agent who holds it. */
export async function markHappyCallAnswered(db: Db, id: string, agentId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('survey_invitations')
    .set((eb) => ({ status: 'answered', answered_at: at, sent_at: eb.fn.coalesce('sent_at', eb.val(at)), call_attempts: eb('call_attempts', '+', 1) }))
    .where('id', '=', id)
    .where('channel', '=', 'call')
    .where('status', '=', 'scheduled')
    .where('claimed_by', '=', agentId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A happy call's try that got no answers, as written: the tries counted, the next one's time, and why it closed (null: tried again). */
export type HappyCallStep = { attempts: number; nextAttemptAt: string | null; closedFor: HappyCallClosing | null };

/**
 * The row after a try with no answers: counted, the next try's time, released by whoever held it (agent or ACD
 * contact), first asked at `at` unless asked before, and skipped with its reason when that was the last try.
 */
function happyCallStepSet(step: HappyCallStep, at: string) {
  return (eb: ExpressionBuilder<Database, 'survey_invitations'>) => ({
    call_attempts: step.attempts,
    next_attempt_at: step.nextAttemptAt,
    claimed_by: null,
    claimed_at: null,
    contact_id: null,
    sent_at: eb.fn.coalesce('sent_at', eb.val(at)),
    ...(step.closedFor ? { status: 'skipped' as const, skip_reason: step.closedFor } : {}),
  });
}

/** A call that got no answers: counted, released for the next try, or closed (skipped with its reason). */
export async function recordHappyCallAttempt(db: Db, id: string, agentId: string, at: string, step: HappyCallStep): Promise<boolean> {
  const r = await db
    .updateTable('survey_invitations')
    .set(happyCallStepSet(step, at))
    .where('id', '=', id)
    .where('channel', '=', 'call')
    .where('status', '=', 'scheduled')
    .where('claimed_by', '=', agentId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Happy calls nobody made while they were owed (older than the link expiry): closed, not counted as asked. */
export async function closeExpiredHappyCalls(db: Db, expiredBefore: string): Promise<number> {
  const r = await db
    .updateTable('survey_invitations')
    .set({ status: 'skipped', skip_reason: 'expired', claimed_by: null, claimed_at: null })
    .where('channel', '=', 'call')
    .where('status', '=', 'scheduled')
    .where('due_at', '<=', expiredBefore)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A survey owed by phone, whatever its state. */
export function findCallInvitation(db: Db, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('survey_invitations').selectAll().where('id', '=', id).where('channel', '=', 'call').executeTakeFirst();
}

/** The caller of a call (interaction): blind index and sealed number, for consent recorded during the call. */
export function findInteractionCaller(db: Db, interactionId: string) {
  return db.selectFrom('interactions').select(['id', 'caller_index', 'caller_number_sealed']).where('id', '=', interactionId).executeTakeFirst();
}

/** Keypad surveys (ARS) due to be placed, oldest first. */
export function listDueKeypadInvitations(db: Db, now: string, limit: number): Promise<InvitationRow[]> {
  return db
    .selectFrom('survey_invitations')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('channel', '=', 'keypad')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

/** scheduled → sent for a keypad survey call, with its call id and the dialogue's start; false when already placed. */
export async function markKeypadCallPlaced(db: Db, id: string, callId: string, state: string, at: string, expiresAt: string): Promise<boolean> {
  const r = await db
    .updateTable('survey_invitations')
    .set({ status: 'sent', keypad_call_id: callId, keypad_state: state, sent_at: at, expires_at: expiresAt })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function findKeypadInvitation(db: Db, callId: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('survey_invitations').selectAll().where('keypad_call_id', '=', callId).executeTakeFirst();
}

/** The keypad dialogue moves on, only from the state it was read in (a repeated event does not move it twice). */
export async function saveKeypadState(db: Db, id: string, before: string, after: string): Promise<boolean> {
  const r = await db.updateTable('survey_invitations').set({ keypad_state: after }).where('id', '=', id).where('status', '=', 'sent').where('keypad_state', '=', before).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ——————————————————————————————— happy calls offered by the ACD (the outbound happy-call queue) ———————————————————————————————

/**
 * Happy calls the ACD may queue now: open (due, not waiting for their next try, not expired), not queued already, not
 * held by an agent who took it from the list (unless that hold lapsed). The longest owed first.
 */
export function listHappyCallsToQueue(db: Db, now: string, expiredBefore: string, staleBefore: string, limit: number) {
  return openHappyCalls(db, now, expiredBefore)
    .where('i.contact_id', 'is', null)
    .where((eb) => eb.or([eb('i.claimed_by', 'is', null), eb('i.claimed_at', '<', staleBefore)]))
    .leftJoin('cases as c', 'c.id', 'i.case_id')
    .leftJoin('interactions as ia', 'ia.id', 'c.interaction_id')
    .select(['i.id', 'i.phone_index', 'ia.citizen_id'])
    .orderBy('i.due_at')
    .orderBy('i.id')
    .limit(limit)
    .execute();
}

/** The ACD's contact is this happy call's try (in the ACD's transaction that writes the contact); only once. */
export async function linkHappyCallContact(db: Db, id: string, contactId: string): Promise<void> {
  await db.updateTable('survey_invitations').set({ contact_id: contactId }).where('id', '=', id).where('status', '=', 'scheduled').where('contact_id', 'is', null).execute();
}

/** Happy calls whose try the ACD was given and nobody reported yet. */
export function listHappyCallsInCall(db: Db) {
  return db
    .selectFrom('survey_invitations')
    .select(['id', 'contact_id', 'call_attempts'])
    .where('channel', '=', 'call')
    .where('status', '=', 'scheduled')
    .where('contact_id', 'is not', null)
    .execute() as Promise<Array<{ id: string; contact_id: string; call_attempts: number }>>;
}

/** The happy calls of these ACD contacts, whatever their state. */
export async function listHappyCallsOfContacts(
  db: Db,
  contactIds: readonly string[],
): Promise<Array<{ id: string; contact_id: string | null; status: InvitationRow['status']; phone_index: string }>> {
  if (contactIds.length === 0) return [];
  return db.selectFrom('survey_invitations').select(['id', 'contact_id', 'status', 'phone_index']).where('contact_id', 'in', contactIds).execute();
}

/** The happy call whose try is this ACD contact. */
export function findHappyCallOfContact(db: Db, contactId: string): Promise<HappyCallRow | undefined> {
  return happyCallColumns(db.selectFrom('survey_invitations as i').where('i.channel', '=', 'call')).where('i.contact_id', '=', contactId).executeTakeFirst();
}

/**
 * A try the ACD no longer holds and nobody reported (the agent finished without writing anything down, the citizen
 * never picked up and the offer was withdrawn, a restart mid-call): counted as 부재, compare-and-set on its contact.
 */
export async function recordUnreportedHappyCall(db: Db, id: string, contactId: string, at: string, step: HappyCallStep): Promise<boolean> {
  const r = await db
    .updateTable('survey_invitations')
    .set(happyCallStepSet(step, at))
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
