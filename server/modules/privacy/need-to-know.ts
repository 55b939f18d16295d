import { z } from 'zod';
import { requiredText } from '../../../core/contracts/common';
import { kstDayOf, kstDayRange } from '../../../core/domain/access-review';
import type { AccessAction } from '../../../core/contracts/privacy';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { Db } from '../../db/database';
import { accessBy, type Viewer } from './access-context';
import { appendAccessRecords } from './access-records.repository';
import { findNeedToKnowReason, hasServedCitizen } from './need-to-know.repository';

/*
 * Need-to-know for agents (issue #10 finding 9; 개인정보 보호법 제29조, 안전성 확보조치 기준 제5조: access only as the
 * duty needs). An agent opens a caller card, a case or unmasks a citizen only when he served that citizen (a call or
 * a case of his with him, or a call the ACD offers or has connected to him now), or when he states why: the reason
 * goes into the access record of that view, and it covers that citizen for the rest of the KST day (the card's cases,
 * unmasking). Otherwise 403 NEED_TO_KNOW, recorded as a denied access. Officials keep their department wall;
 * supervisors and admins keep the wider view.
 */

/** The start of every access-record reason given for need-to-know: how a later request finds it. */
export const NEED_TO_KNOW_REASON_PREFIX = '업무상 필요: ';

/** `?reason=` of the GET routes that serve a citizen's data: why an agent opens a citizen he did not serve. */
export const NeedToKnowQuerySchema = z.object({ reason: requiredText(200).pipe(z.string().min(2)).optional() });

/** Granted with the reason to record (null when the agent served the citizen or the role needs none), or refused. */
export type NeedToKnow = { isGranted: true; reason: string | null } | { isGranted: false };

/**
 * Decides, inside the use case's transaction, whether the viewer may see the citizen's data. `isOwnRecord`: the
 * agent's own case (a case of an anonymous caller has no citizen to have served). `reasonText` is the reason the
 * agent gives now; without it, one he gave for this citizen earlier the same KST day counts.
 */
export async function decideNeedToKnow(
  db: Db,
  viewer: Viewer,
  now: Date,
  citizenId: string | null,
  options: { reasonText?: string | undefined; isOwnRecord?: boolean } = {},
): Promise<NeedToKnow> {
  if (viewer.role !== 'agent' || options.isOwnRecord) return { isGranted: true, reason: null };
  if (citizenId && (await hasServedCitizen(db, viewer.id, citizenId))) return { isGranted: true, reason: null };
  if (options.reasonText) return { isGranted: true, reason: `${NEED_TO_KNOW_REASON_PREFIX}${options.reasonText.trim()}` };
  if (citizenId) {
    const earlier = await findNeedToKnowReason(db, viewer.id, citizenId, kstDayRange(kstDayOf(now)).from, NEED_TO_KNOW_REASON_PREFIX);
    if (earlier) return { isGranted: true, reason: earlier };
  }
  return { isGranted: false };
}

/**
 * Records the refused access (result 'denied', in its own transaction: the use case's was rolled back or never
 * wrote) and throws NEED_TO_KNOW. The message tells the agent what to do.
 */
export async function refuseNeedToKnow(deps: AppDeps, viewer: Viewer, citizenId: string | null, action: AccessAction, target: string): Promise<never> {
  await deps.db.transaction().execute(async (trx) => {
    await appendAccessRecords(trx, [accessBy(viewer, deps.clock.now().toISOString(), action, [citizenId], target, 0, { result: 'denied' })]);
  });
  const message =
    action === 'unmask'
      ? '상담한 적이 없는 민원인입니다. 먼저 업무상 필요한 사유를 적어 민원인 정보를 연 뒤 마스킹을 해제하세요.'
      : '상담한 적이 없는 민원인의 정보입니다. 업무상 필요한 사유를 적으면 열람할 수 있으며, 사유는 접속기록에 남습니다.';
  throw new AppError('NEED_TO_KNOW', message, { needsReason: action !== 'unmask' });
}
