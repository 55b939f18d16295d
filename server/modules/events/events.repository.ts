import type { CaseOutcome, ContactEventType } from '../../../core/contracts/enums';
import type { Insertable } from 'kysely';
import type { Db } from '../../db/database';
import { prepared, preparedRows, slotsOf } from '../../db/prepared';
import type { ContactEventTable } from '../../db/tables';
import { newId } from '../../lib/ids';
import { keepContactRollups } from '../statistics/rollups.repository';

export type ContactEventInput = {
  type: ContactEventType;
  at: string;
  interactionId?: string | null;
  caseId?: string | null;
  handOffId?: string | null;
  actorId?: string | null;
  detail?: string | null;
  data?: Record<string, unknown> | null;
};

const EVENT_COLUMNS = ['id', 'at', 'type', 'interaction_id', 'case_id', 'handoff_id', 'actor_id', 'detail', 'data'] as const;

const insertEventRows = preparedRows<Insertable<ContactEventTable>>('contact_events.insert', (db, rows) =>
  db.insertInto('contact_events').values(rows.map((r) => slotsOf(r, EVENT_COLUMNS))),
);

/**
 * Appends contact events (statements built once, multi-row: the call path appends a few per use case). The table is
 * append-only: nothing in OneCall updates or deletes its rows. The statistics' rollups are kept in step first, in the
 * same transaction. `createdInteractions`: interactions created in this same transaction (a call that just arrived),
 * whose earlier events the rollups need not read: there are none.
 */
export async function appendEvents(db: Db, events: readonly ContactEventInput[], createdInteractions?: ReadonlySet<string>): Promise<void> {
  if (events.length === 0) return;
  const rows = contactEventRows(events);
  // The statistics' rollups move with the log, in the same transaction (statistics/rollups.repository.ts).
  const inserted = await keepContactRollups(db, rows, createdInteractions);
  await insertEventRows(db, rows);
  inserted?.();
}

/** The rows of contact events as stored (a new id each; data as JSON): appendEvents, and simulated history's bulk path. */
export function contactEventRows(events: readonly ContactEventInput[]): ContactEventTable[] {
  return events.map(
    (e): ContactEventTable => ({
      id: newId(),
      at: e.at,
      type: e.type,
      interaction_id: e.interactionId ?? null,
      case_id: e.caseId ?? null,
      handoff_id: e.handOffId ?? null,
      actor_id: e.actorId ?? null,
      detail: e.detail ?? null,
      data: e.data ? JSON.stringify(e.data) : null,
    }),
  );
}

/** A case's events in order, with who did each. */
export async function listCaseEvents(db: Db, caseId: string) {
  return db
    .selectFrom('contact_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.type', 'e.at', 'e.detail', 'u.name as actor_name', 'u.role as actor_role'])
    .where((eb) =>
      eb.or([
        eb('e.case_id', '=', caseId),
        eb('e.interaction_id', 'in', eb.selectFrom('cases').select('interaction_id').where('id', '=', caseId)),
      ]),
    )
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

const callerKeyOf = prepared<{ id: string }, { caller_index: string | null }>('interactions.caller_index', (db, p) =>
  db.selectFrom('interactions').select('caller_index').where('id', '=', p.id),
);

/**
 * The blind index of a call's number (HMAC, never the number): the `callerKey` of `call_dispositioned`, so a repeat
 * call from the same caller can be recognised for first-contact resolution without storing plain numbers.
 */
export async function findCallerKey(db: Db, interactionId: string): Promise<string | null> {
  const [row] = await callerKeyOf(db, { id: interactionId });
  return row?.caller_index ?? null;
}

/**
 * `call_dispositioned`: how the agent closed the call (issue #12 §0), written with the case in its transaction. The
 * detail is the outcome word (the timeline shows it in words); the data carries what the statistics read
 * (core/domain/kpi.ts: outcome, categoryId, callerKey).
 */
export function dispositionEvent(d: {
  at: string;
  caseId: string;
  interactionId: string;
  actorId: string;
  outcome: CaseOutcome;
  categoryId: string;
  callerKey: string | null;
}): ContactEventInput {
  return {
    type: 'call_dispositioned',
    at: d.at,
    caseId: d.caseId,
    interactionId: d.interactionId,
    actorId: d.actorId,
    detail: d.outcome,
    data: { outcome: d.outcome, categoryId: d.categoryId, callerKey: d.callerKey },
  };
}
