import type { CallConnected, CallerCard, Interaction, SimulateCallBody } from '../../../core/contracts/calls';
import { formatPhone, normalizePhone } from '../../../core/domain/phone';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { SessionUser } from '../../http/access';
import type { InteractionRow } from '../../db/tables';
import { newId } from '../../lib/ids';
import { toCaseSummaries } from '../cases/cases.presenter';
import {
  countCitizenCases,
  listCitizenCases,
  listCitizenOpenHandOffCases,
  listHandOffsOfCases,
} from '../cases/cases.repository';
import { appendEvents } from '../events/events.repository';
import { endInteraction, findCitizen, findCitizenByPhone, findInteraction, findPreviousContactAt, insertCitizen, insertInteraction } from './calls.repository';

const RECENT_CASES = 10;

function toInteraction(row: InteractionRow): Interaction {
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
export async function connectSimulatedCall(deps: AppDeps, user: SessionUser, body: SimulateCallBody): Promise<CallConnected> {
  const phone = normalizePhone(body.callerNumber);
  if (!phone) throw new AppError('VALIDATION_FAILED', '전화번호 형식이 올바르지 않습니다.', { field: 'callerNumber' });
  const at = deps.clock.now().toISOString();
  const interactionId = newId();

  const citizenId = await deps.db.transaction().execute(async (trx) => {
    const existing = await findCitizenByPhone(trx, phone);
    const id = existing?.id ?? newId();
    if (!existing) await insertCitizen(trx, { id, phone, name: null, created_at: at });
    await insertInteraction(trx, {
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

  const interaction = await findInteraction(deps.db, interactionId);
  if (!interaction) throw new AppError('INTERNAL_ERROR', 'interaction not readable after insert');
  deps.caches.calls.set(interactionId, interaction, deps.clock.now().getTime());
  return { interaction: toInteraction(interaction), callerCard: await getCallerCard(deps, citizenId, interactionId) };
}

/** Who is calling and what happened before: earlier cases and open hand-offs, so nobody explains twice. */
export async function getCallerCard(deps: AppDeps, citizenId: string, currentInteractionId: string | null = null): Promise<CallerCard> {
  const citizen = await findCitizen(deps.db, citizenId);
  if (!citizen) throw new AppError('NOT_FOUND', '민원인 정보를 찾을 수 없습니다.');
  const [recent, open, total, lastContactAt] = await Promise.all([
    listCitizenCases(deps.db, citizenId, RECENT_CASES),
    listCitizenOpenHandOffCases(deps.db, citizenId),
    countCitizenCases(deps.db, citizenId),
    findPreviousContactAt(deps.db, citizenId, currentInteractionId),
  ]);
  const handOffs = await listHandOffsOfCases(deps.db, [...new Set([...recent, ...open].map((c) => c.id))]);
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
export async function endCall(deps: AppDeps, user: SessionUser, interactionId: string): Promise<Interaction> {
  const interaction = await findInteraction(deps.db, interactionId);
  if (!interaction) throw new AppError('NOT_FOUND', '통화 정보를 찾을 수 없습니다.');
  if (user.role === 'agent' && interaction.agent_id !== user.id) throw new AppError('FORBIDDEN', '본인이 받은 통화만 종료할 수 있습니다.');
  if (interaction.status !== 'ended') {
    const at = deps.clock.now().toISOString();
    await deps.db.transaction().execute(async (trx) => {
      await endInteraction(trx, interactionId, at);
      await appendEvents(trx, [{ type: 'call_ended', at, interactionId, actorId: user.id }]);
    });
  }
  const after = await findInteraction(deps.db, interactionId);
  return toInteraction(after ?? interaction);
}
