import type { CallConnected, CallerCard, Interaction, SimulateCallBody } from '../../../core/contracts/calls';
import { formatPhone, normalizePhone } from '../../../core/domain/phone';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import { accessBy, type Viewer } from '../privacy/access-context';
import { appendAccessRecords } from '../privacy/access-records.repository';
import { decideNeedToKnow, refuseNeedToKnow } from '../privacy/need-to-know';
import { newId } from '../../lib/ids';
import { toCaseSummaries } from '../cases/cases.presenter';
import {
  countCitizenCases,
  listCitizenCases,
  listCitizenOpenHandOffCases,
  listHandOffsOfCases,
} from '../cases/cases.repository';
import { appendEvents } from '../events/events.repository';
import {
  endInteraction,
  findCitizen,
  findCitizenByPhone,
  findInteraction,
  findPreviousContactAt,
  insertCitizen,
  insertInteraction,
  setCitizenName,
  type CitizenRecord,
  type InteractionRecord,
} from './calls.repository';

const RECENT_CASES = 10;

function toInteraction(row: InteractionRecord): Interaction {
  return {
    id: row.id,
    callerNumber: formatPhone(row.caller_number),
    dialledNumber: row.dialled_number,
    status: row.status,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
  };
}

/**
 * A call offered to and answered by this agent (the simulator's path; the telephony port of issue #4 takes it over):
 * finds or creates the citizen by number, records the interaction with its raw events, and returns the caller card.
 */
export async function connectSimulatedCall(deps: AppDeps, user: Viewer, body: SimulateCallBody): Promise<CallConnected> {
  const phone = normalizePhone(body.callerNumber);
  if (!phone) throw new AppError('VALIDATION_FAILED', '전화번호 형식이 올바르지 않습니다.', { field: 'callerNumber' });
  const at = deps.clock.now().toISOString();
  const interactionId = newId();

  const citizenId = await deps.db.transaction().execute(async (trx) => {
    const existing = await findCitizenByPhone(trx, deps.vault, phone);
    const id = existing?.id ?? newId();
    if (!existing) await insertCitizen(trx, deps.vault, { id, phone, name: null, created_at: at });
    await insertInteraction(trx, deps.vault, {
      id: interactionId,
      channel: 'phone',
      direction: 'inbound',
      caller_number: phone,
      dialled_number: body.dialledNumber,
      citizen_id: id,
      agent_id: user.id,
      status: 'connected',
      started_at: at,
      answered_at: at,
      ended_at: null,
    });
    await appendEvents(trx, [
      { type: 'call_offered', at, interactionId, data: { dialled: body.dialledNumber } },
      { type: 'call_answered', at, interactionId, actorId: user.id },
    ]);
    return id;
  });

  const interaction = await findInteraction(deps.db, deps.vault, interactionId);
  if (!interaction) throw new AppError('INTERNAL_ERROR', 'interaction not readable after insert');
  // Only the immutable facts are cached, never the caller's number.
  const { id, agent_id, citizen_id, started_at } = interaction;
  deps.caches.calls.set(interactionId, { id, agent_id, citizen_id, started_at }, deps.clock.now().getTime());
  return { interaction: toInteraction(interaction), callerCard: await getCallerCard(deps, citizenId, interactionId, user) };
}

/**
 * Who is calling and what happened before: earlier cases and open hand-offs, so nobody explains twice. With a viewer,
 * the card's access record is written in the same transaction; callers that show the card to a user must pass one
 * (and mask it with privacy/citizen-data.presenter.ts). The ACD's offer and answer call this for the call in hand;
 * a card asked for by its id goes through {@link openCallerCard}.
 */
export async function getCallerCard(deps: AppDeps, citizenId: string, currentInteractionId: string | null = null, user: Viewer | null = null): Promise<CallerCard> {
  // Read and recorded in one transaction (제8조: a failed access record fails the request).
  return deps.db.transaction().execute(async (db) => {
    const citizen = await findCitizen(db, deps.vault, citizenId);
    if (!citizen) throw new AppError('NOT_FOUND', '민원인 정보를 찾을 수 없습니다.');
    const card = await readCallerCard(db, citizen, currentInteractionId);
    if (user) await appendAccessRecords(db, [accessBy(user, deps.clock.now().toISOString(), 'view', [citizen.id], 'caller-card', 1)]);
    return card;
  });
}

/**
 * GET /api/citizens/:id/card: the card of any citizen, under need-to-know (privacy/need-to-know.ts): an agent who
 * never served the citizen gets it only with a reason, recorded with the view; otherwise 403 NEED_TO_KNOW.
 */
export async function openCallerCard(deps: AppDeps, viewer: Viewer, citizenId: string, reasonText?: string): Promise<CallerCard> {
  const now = deps.clock.now();
  const card = await deps.db.transaction().execute(async (db) => {
    const citizen = await findCitizen(db, deps.vault, citizenId);
    if (!citizen) throw new AppError('NOT_FOUND', '민원인 정보를 찾을 수 없습니다.');
    const basis = await decideNeedToKnow(db, viewer, now, citizen.id, { reasonText });
    if (!basis.isGranted) return null;
    const found = await readCallerCard(db, citizen, null);
    await appendAccessRecords(db, [accessBy(viewer, now.toISOString(), 'view', [citizen.id], 'caller-card', 1, { reason: basis.reason })]);
    return found;
  });
  return card ?? refuseNeedToKnow(deps, viewer, citizenId, 'view', 'caller-card');
}

/**
 * 민원인 이름 (issue #18 item 6): the agent writes down the name an unknown caller gives, or corrects one, under
 * need-to-know (a citizen he is serving or served; supervisors too). Sealed at rest; the change is an access record
 * ('update', the field, never the value).
 */
export async function nameCitizen(deps: AppDeps, viewer: Viewer, citizenId: string, name: string): Promise<void> {
  const now = deps.clock.now();
  const target = `citizen:${citizenId}.name`;
  const granted = await deps.db.transaction().execute(async (db) => {
    if (!(await findCitizen(db, deps.vault, citizenId))) throw new AppError('NOT_FOUND', '민원인 정보를 찾을 수 없습니다.');
    if (!(await decideNeedToKnow(db, viewer, now, citizenId)).isGranted) return false;
    await setCitizenName(db, deps.vault, citizenId, name);
    await appendAccessRecords(db, [accessBy(viewer, now.toISOString(), 'update', [citizenId], target, 1)]);
    return true;
  });
  if (!granted) await refuseNeedToKnow(deps, viewer, citizenId, 'update', target);
}

async function readCallerCard(db: Db, citizen: CitizenRecord, currentInteractionId: string | null): Promise<CallerCard> {
  const [recent, open, total, lastContactAt] = await Promise.all([
    listCitizenCases(db, citizen.id, RECENT_CASES),
    listCitizenOpenHandOffCases(db, citizen.id),
    countCitizenCases(db, citizen.id),
    findPreviousContactAt(db, citizen.id, currentInteractionId),
  ]);
  const handOffs = await listHandOffsOfCases(db, [...new Set([...recent, ...open].map((c) => c.id))]);
  return {
    citizenId: citizen.id,
    phone: formatPhone(citizen.phone),
    name: citizen.name,
    isKnown: total > 0 || citizen.name !== null,
    totalCases: total,
    lastContactAt,
    openHandOffs: toCaseSummaries(open, handOffs),
    recentCases: toCaseSummaries(recent, handOffs),
  };
}

/** The agent hangs up. Ending an ended call is a no-op (idempotent). */
/** The ACD, for calls it routes: it ends them itself (agent state, hang-up command, its events). */
export type HandledCallEnder = { endIfHandled(interactionId: string): Promise<boolean> };

export async function endCall(deps: AppDeps, user: Viewer, interactionId: string, acd?: HandledCallEnder): Promise<Interaction> {
  const interaction = await findInteraction(deps.db, deps.vault, interactionId);
  if (!interaction) throw new AppError('NOT_FOUND', '통화 정보를 찾을 수 없습니다.');
  if (user.role === 'agent' && interaction.agent_id !== user.id) throw new AppError('FORBIDDEN', '본인이 받은 통화만 종료할 수 있습니다.');
  // A call the ACD routes is ended by the ACD (otherwise its agent would stay "on call" until reconciliation).
  const endedByAcd = interaction.status !== 'ended' && acd ? await acd.endIfHandled(interactionId) : false;
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    if (interaction.status !== 'ended' && !endedByAcd) {
      await endInteraction(trx, interactionId, at);
      await appendEvents(trx, [{ type: 'call_ended', at, interactionId, actorId: user.id }]);
    }
    // The answer shows the caller's (masked) number.
    await appendAccessRecords(trx, [accessBy(user, at, interaction.status !== 'ended' ? 'update' : 'view', [interaction.citizen_id], `call:${interactionId}`, 1)]);
  });
  const after = await findInteraction(deps.db, deps.vault, interactionId);
  return toInteraction(after ?? interaction);
}
