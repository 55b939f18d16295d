import type {
  AccessRecord,
  AccessRecordPage,
  AccessRecordQuery,
  CaseExportBody,
  ChainVerification,
  MonthlyReview,
  UnmaskBody,
  UnmaskResult,
} from '../../../core/contracts/privacy';
import { isNightAccess, kstDayOf, kstDayRange, kstMonthRange, summariseUserVolumes } from '../../../core/domain/access-review';
import { formatPhone } from '../../../core/domain/phone';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import { findCitizen } from '../calls/calls.repository';
import { accessBy, type Viewer } from './access-context';
import { verifyAccessChain } from './access-chain';
import {
  appendAccessRecords,
  countUnmasksSince,
  listRecordsByIds,
  listRecordsOfActions,
  listReviewRows,
  lockAccessChain,
  searchAccessRecords,
  type AccessRecordRow,
} from './access-records.repository';
import { casesToCsv, casesToXlsx, type ExportLine } from './case-export';
import { decideNeedToKnow, refuseNeedToKnow } from './need-to-know';
import { presentCitizenField } from './citizen-data.presenter';
import { isCitizenOfDepartment, listCasesForExport } from './privacy.repository';
import { TERMS_KO } from '../../../core/glossary';

/** Korean labels of the reasons (what the record and the review show). */
export const REASON_LABELS: Record<UnmaskBody['reasonCode'], string> = {
  identity_check: '본인 확인',
  callback: '회신 전화',
  handoff_work: '이관 민원 처리',
  citizen_request: '정보주체 요청',
  legal_request: '법령에 따른 요청',
  statistics: '통계·보고',
  other: '기타',
};

const reasonOf = (code: UnmaskBody['reasonCode'], text: string) => `${REASON_LABELS[code]}: ${text}`;

/** Night-access list cap in the monthly report (the per-user counts stay exact). */
const NIGHT_LIST_MAX = 500;

/**
 * 마스킹 해제 (PI-OUT-2): reveals one field of one citizen to this user, with a reason, within the role's daily
 * allowance (KST day). The count, the read and the access record share one transaction under the chain lock, so two
 * requests cannot both take the last allowance. A refusal for the limit is recorded too (result 'denied'). An agent
 * unmasks only a citizen he may see (privacy/need-to-know.ts): served, or opened today with a recorded reason.
 */
export async function unmaskCitizenField(deps: AppDeps, viewer: Viewer, body: UnmaskBody): Promise<UnmaskResult> {
  const limit = deps.config.privacy.unmaskLimits[viewer.role];
  if (limit <= 0) throw new AppError('FORBIDDEN', '이 역할은 개인정보 마스킹을 해제할 수 없습니다.');
  if (viewer.role === 'official') {
    if (!viewer.departmentId || !(await isCitizenOfDepartment(deps.db, body.citizenId, viewer.departmentId))) {
      // Like a hand-off of another department: its existence is not the official's business.
      throw new AppError('NOT_FOUND', '민원인 정보를 찾을 수 없습니다.');
    }
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const dayStart = kstDayRange(kstDayOf(now)).from;
  const reason = reasonOf(body.reasonCode, body.reasonText);
  const target = `citizen:${body.citizenId}.${body.field}`;

  const outcome = await deps.db.transaction().execute(async (trx) => {
    const citizen = await findCitizen(trx, deps.vault, body.citizenId);
    if (!citizen) throw new AppError('NOT_FOUND', '민원인 정보를 찾을 수 없습니다.');
    // Need-to-know: an agent unmasks only a citizen he served or opened today with a recorded reason.
    if (!(await decideNeedToKnow(trx, viewer, now, citizen.id)).isGranted) return { needToKnow: true as const };
    await lockAccessChain(trx);
    const used = await countUnmasksSince(trx, viewer.id, dayStart);
    if (used >= limit) {
      await appendAccessRecords(trx, [accessBy(viewer, at, 'unmask', [body.citizenId], target, 0, { reason, result: 'denied' })]);
      return { denied: true as const };
    }
    await appendAccessRecords(trx, [accessBy(viewer, at, 'unmask', [citizen.id], target, 1, { reason })]);
    const value = body.field === 'phone' ? formatPhone(citizen.phone) : citizen.name;
    return { denied: false as const, value, remaining: limit - used - 1 };
  });
  if ('needToKnow' in outcome) return refuseNeedToKnow(deps, viewer, body.citizenId, 'unmask', target);
  if (outcome.denied) {
    throw new AppError('UNMASK_LIMIT', `오늘 마스킹 해제 한도(${limit}건)를 모두 사용했습니다. 관리자에게 문의하세요.`, { limit });
  }
  return { citizenId: body.citizenId, field: body.field, value: outcome.value, remainingToday: outcome.remaining };
}

export type ExportFile = { filename: string; contentType: string; body: Buffer; rows: number };

// The screens' words (core/glossary.ts), so a download reads like the app.
const OUTCOME_KO: Record<string, string> = TERMS_KO.outcome;
const STATUS_KO: Record<string, string> = TERMS_KO.caseStatus;
const HANDOFF_KO: Record<string, string> = TERMS_KO.handOffStatus;
const kstText = (iso: string | null) => (iso ? new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '');

/**
 * 상담이력 다운로드 (제8조② 다운로드 사유, 제12조 PI-OUT-3): the cases of a KST period as CSV or XLSX, citizens'
 * values masked for the exporting role, recorded as an 'export' access record with the reason in the same
 * transaction as the read.
 */
export async function exportCases(deps: AppDeps, viewer: Viewer, body: CaseExportBody): Promise<ExportFile> {
  const from = kstDayRange(body.from).from;
  const to = kstDayRange(body.to).to;
  const max = deps.config.privacy.exportMaxRows;
  const now = deps.clock.now();
  const reason = reasonOf(body.reasonCode, body.reasonText);
  const rows = await deps.db.transaction().execute(async (trx) => {
    const found = await listCasesForExport(trx, deps.vault, from, to, max + 1);
    if (found.length > max) throw new AppError('VALIDATION_FAILED', `한 번에 ${max}건까지 내려받을 수 있습니다. 기간을 줄이세요.`, { field: 'to', max });
    await appendAccessRecords(trx, [
      accessBy(viewer, now.toISOString(), 'export', found.map((r) => r.citizen_id), `cases:export:${body.format}:${body.from}..${body.to}`, found.length, { reason }),
    ]);
    return found;
  });
  const lines: ExportLine[] = rows.map((r) => ({
    number: r.number,
    createdAt: kstText(r.created_at),
    categoryPath: r.category_path ?? '',
    summary: r.summary,
    outcome: r.outcome ? (OUTCOME_KO[r.outcome] ?? r.outcome) : '',
    status: STATUS_KO[r.status] ?? r.status,
    agentName: r.agent_name ?? '',
    citizenName: presentCitizenField(viewer.role, 'name', r.citizen_name) ?? '',
    callerNumber: presentCitizenField(viewer.role, 'phone', r.citizen_phone ? formatPhone(r.citizen_phone) : null) ?? '',
    departmentName: r.department_name ?? '',
    handOffStatus: r.handoff_status ? (HANDOFF_KO[r.handoff_status] ?? r.handoff_status) : '',
    dueAt: kstText(r.due_at),
  }));
  const base = `onecall-cases-${body.from.replaceAll('-', '')}-${body.to.replaceAll('-', '')}`;
  if (body.format === 'csv') return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: casesToCsv(lines), rows: lines.length };
  const xlsx = await casesToXlsx(lines, { userLogin: viewer.login, at: `${kstText(now.toISOString())} KST`, reason, createdAt: now });
  return { filename: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: xlsx, rows: lines.length };
}

function toAccessRecord(r: AccessRecordRow): AccessRecord {
  return {
    id: r.id,
    seq: r.seq,
    at: r.at,
    userId: r.user_id,
    userLogin: r.user_login,
    role: r.role,
    ip: r.ip,
    action: r.action as AccessRecord['action'],
    subject: r.subject,
    target: r.target,
    recordCount: r.record_count,
    reason: r.reason,
    result: r.result,
  };
}

/** The privacy officer's search of access records, newest first. */
export async function searchRecords(deps: AppDeps, query: AccessRecordQuery): Promise<AccessRecordPage> {
  const rows = await searchAccessRecords(deps.db, {
    from: query.from ? kstDayRange(query.from).from : undefined,
    to: query.to ? kstDayRange(query.to).to : undefined,
    login: query.login || undefined,
    action: query.action,
    subject: query.subject,
    beforeSeq: query.beforeSeq,
    limit: query.limit,
  });
  const last = rows[rows.length - 1];
  return { items: rows.map(toAccessRecord), nextBeforeSeq: rows.length === query.limit && last ? last.seq : null };
}

/** Verifies the hash chain (also `npm run audit:verify`). */
export async function verifyRecords(db: Db): Promise<ChainVerification> {
  return verifyAccessChain(db);
}

/** 월간 접속기록 점검 보고서 for a KST month: volumes with the unusual ones flagged, night access, exports, unmasks. */
export async function monthlyReview(db: Db, rules: AppDeps['config']['privacy']['review'], month: string): Promise<MonthlyReview> {
  const { from, to } = kstMonthRange(month);
  const rows = await listReviewRows(db, from, to);
  const users = summariseUserVolumes(
    rows.map((r) => ({ userId: r.user_id, userLogin: r.user_login, role: r.role, at: r.at, action: r.action, recordCount: Number(r.record_count) })),
    rules,
  );
  const nightIds = rows.filter((r) => isNightAccess(r.at, rules.nightStartHour, rules.nightEndHour)).slice(0, NIGHT_LIST_MAX).map((r) => r.id);
  const [night, exportsAndUnmasks, chain] = await Promise.all([
    listRecordsByIds(db, nightIds),
    listRecordsOfActions(db, from, to, ['export', 'unmask']),
    verifyAccessChain(db),
  ]);
  const event = (r: AccessRecordRow) => {
    const { id, at, userLogin, role, action, subject, target, recordCount, reason, result } = toAccessRecord(r);
    return { id, at, userLogin, role, action, subject, target, recordCount, reason, result };
  };
  return {
    month,
    from,
    to,
    total: rows.length,
    rules,
    users: users.map((u) => ({ ...u, role: u.role as MonthlyReview['users'][number]['role'] })),
    nightAccess: night.map(event),
    exports: exportsAndUnmasks.filter((r) => r.action === 'export').map(event),
    unmasks: exportsAndUnmasks.filter((r) => r.action === 'unmask').map(event),
    chain,
  };
}
