import type {
  Directory,
  DirectoryImportBody,
  DirectoryImportResult,
  Duty,
  DutyBody,
  OfficialPresence,
  SetPresenceBody,
  TransferCandidateAnswer,
  TransferProposalAnswer,
  TransferTarget,
} from '../../../core/contracts/directory';
import { phoneKey } from '../../../core/domain/masking';
import { kstDay, type OpeningHours } from '../../../core/domain/business-hours';
import {
  DEFAULT_DEPARTMENT_HOURS,
  buildDirectoryIndex,
  candidateIdsFor,
  effectivePresence,
  isDepartmentAtWork,
  proposeTransferTargets,
  type DirectoryIndex,
  type PresenceFacts,
  type TransferCandidate,
} from '../../../core/domain/duty-directory';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { SessionUser } from '../../http/access';
import { newId } from '../../lib/ids';
import { forgetCityPhones } from './city-phones';
import { DirectoryImportBodySchema } from '../../../core/contracts/directory';
import { directoryToCsv, directoryToXlsx, planDirectory, readDirectoryFile, type DirectoryExportRow, type DirectoryLookups } from './directory-file';
import {
  allDutyIdsByCode,
  appendPresenceChange,
  clearDutyCategories,
  deleteDuties,
  dutiesHoldingCategories,
  findDuty,
  findDutyByCode,
  findExtensionHolder,
  findOfficialByExtension,
  listDepartmentNumbers,
  listDuties,
  listOfficials,
  loadIndexInput,
  loadLookupRows,
  presenceRows,
  saveDeclaredPresence,
  saveDuty,
  savePhoneOnCall,
  setExtensions,
  syncFlatDuties,
  type PresenceRow,
} from './directory.repository';
import { withParticle } from '../../../core/domain/josa';

export type DirectoryOptions = {
  /** The departments' hours (KST); 09:00–18:00 on working days by default. 공휴일 from deps.holidays. */
  departmentHours?: readonly OpeningHours[];
  /** How long another node's directory change may take to reach this process's proposals (ms). */
  indexTtlMs?: number;
};

type CachedIndex = { index: DirectoryIndex; departments: Map<string, string>; builtAt: number };

const factsOf = (row: PresenceRow | undefined): PresenceFacts | undefined =>
  row && {
    declared: row.state && row.declared_at ? { state: row.state, since: Date.parse(row.declared_at), leaveUntil: row.leave_until } : null,
    onCallByPhone: row.on_call_by_phone === 1,
  };

/**
 * 업무분장 and presence (issue #11 §1) and the proposal of "담당자 연결" (§2). One transaction per use case; the
 * proposal index is built once and rebuilt after a change here (or after `indexTtlMs` for changes on other nodes).
 */
export class DirectoryService {
  private cached: CachedIndex | null = null;
  private readonly hours: readonly OpeningHours[];
  private readonly ttlMs: number;

  constructor(
    private readonly deps: AppDeps,
    options: DirectoryOptions = {},
  ) {
    this.hours = options.departmentHours ?? DEFAULT_DEPARTMENT_HOURS;
    this.ttlMs = options.indexTtlMs ?? 60_000;
  }

  /** After a change: the proposal index and the city's numbers for masking are read again. */
  private forget(): void {
    this.cached = null;
    forgetCityPhones(this.deps.db);
  }

  /** Whether a department is at work at `at` (its hours, 공휴일 from the holiday port). */
  private isAtWork(at: number): boolean {
    return isDepartmentAtWork(at, this.hours, (d) => this.deps.holidays.isHoliday(d));
  }

  async list(): Promise<Directory> {
    return { duties: await listDuties(this.deps.db) };
  }

  async create(body: DutyBody): Promise<Duty> {
    return this.write(null, body);
  }

  async update(id: string, body: DutyBody): Promise<Duty> {
    return this.write(id, body);
  }

  async remove(id: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await findDuty(trx, id))) throw new AppError('NOT_FOUND', '업무를 찾을 수 없습니다.');
      await deleteDuties(trx, [id]);
      await syncFlatDuties(trx);
    });
    this.forget();
  }

  private async write(id: string | null, body: DutyBody): Promise<Duty> {
    const at = this.deps.clock.now().toISOString();
    const dutyId = id ?? newId();
    const userIds = body.officials.map((o) => o.userId);
    if (new Set(userIds).size !== userIds.length) throw invalid('같은 담당자가 두 번 있습니다.', 'officials');
    if (new Set(body.categoryIds).size !== body.categoryIds.length) throw invalid('같은 분류가 두 번 있습니다.', 'categoryIds');
    await this.deps.db.transaction().execute(async (trx) => {
      if (id && !(await findDuty(trx, id))) throw new AppError('NOT_FOUND', '업무를 찾을 수 없습니다.');
      const lookups = await loadLookupRows(trx);
      const department = lookups.departments.find((d) => d.id === body.departmentId);
      if (!department) throw invalid('부서를 찾을 수 없습니다.', 'departmentId');
      const categories = new Map(lookups.categories.map((c) => [c.id, c]));
      if (body.categoryIds.some((c) => !categories.get(c)?.is_active)) throw invalid('없거나 사용하지 않는 분류가 있습니다.', 'categoryIds');
      const users = new Map(lookups.users.map((u) => [u.id, u]));
      for (const o of body.officials) {
        const u = users.get(o.userId);
        if (!u || u.role !== 'official' || u.is_active !== 1) throw invalid('담당자는 사용 중인 부서 담당자(공무원) 계정이어야 합니다.', 'officials');
        if (u.department_id !== body.departmentId) throw invalid(`${withParticle(u.name, '은/는')} ${department.name} 소속이 아닙니다.`, 'officials');
      }
      const sameCode = await findDutyByCode(trx, body.code);
      if (sameCode && sameCode.id !== id) throw new AppError('CONFLICT', `이미 있는 업무코드입니다: ${body.code}`, { field: 'code' });
      const held = await dutiesHoldingCategories(trx, body.categoryIds, id);
      if (held.length > 0) {
        const codes = held.map((h) => categories.get(h.category_id)?.code ?? h.category_id);
        throw new AppError('CONFLICT', `분류 ${withParticle(codes.join(', '), '은/는')} 다른 업무(${held.map((h) => h.code).join(', ')})에 있습니다.`, { field: 'categoryIds' });
      }
      const extensions = new Map<string, string>();
      for (const o of body.officials) {
        if (!o.extension) continue;
        const holder = await findExtensionHolder(trx, o.extension, o.userId);
        if (holder || [...extensions.values()].includes(o.extension)) throw new AppError('CONFLICT', `내선 ${withParticle(o.extension, '은/는')} 다른 직원이 쓰고 있습니다.`, { field: 'officials' });
        extensions.set(o.userId, o.extension);
      }
      await saveDuty(trx, dutyId, { code: body.code, name: body.name, departmentId: body.departmentId, categoryIds: body.categoryIds, officialIds: userIds }, at, id === null);
      await setExtensions(trx, extensions);
      await syncFlatDuties(trx);
    });
    this.forget();
    const [duty] = await listDuties(this.deps.db, dutyId);
    if (!duty) throw new AppError('NOT_FOUND', '업무를 찾을 수 없습니다.');
    return duty;
  }

  /**
   * Replaces the whole directory with a CSV or XLSX file, or refuses it whole: IMPORT_INVALID with every problem by
   * line (details.problems). Duties keep their ids by 업무코드; duties not in the file are removed.
   */
  async importFile(input: DirectoryImportBody): Promise<DirectoryImportResult> {
    const body = DirectoryImportBodySchema.parse(input);
    const read = await readDirectoryFile(body.format, body.content);
    if (read.problems.length > 0) throw refused(read.problems);
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const lookups = toLookups(await loadLookupRows(trx));
      const plan = planDirectory(read.rows, lookups);
      if (plan.problems.length > 0) throw refused(plan.problems);
      if (body.dryRun) return { dryRun: true, duties: plan.duties.length, rows: plan.rows };
      const at = this.deps.clock.now().toISOString();
      const existing = await allDutyIdsByCode(trx);
      const keep = new Set(plan.duties.map((d) => d.code));
      await deleteDuties(
        trx,
        [...existing].filter(([code]) => !keep.has(code)).map(([, id]) => id),
      );
      await clearDutyCategories(trx);
      for (const d of plan.duties) {
        const id = existing.get(d.code);
        await saveDuty(trx, id ?? newId(), d, at, id === undefined);
      }
      await setExtensions(trx, plan.extensions);
      await syncFlatDuties(trx);
      return { dryRun: false, duties: plan.duties.length, rows: plan.rows };
    });
    if (!result.dryRun) this.forget();
    return result;
  }

  /** The directory as a file in the import's format (one row per official of a duty), so export → import round-trips. */
  async exportFile(format: 'csv' | 'xlsx'): Promise<{ body: Buffer; contentType: string; filename: string }> {
    const duties = await listDuties(this.deps.db);
    const rows: DirectoryExportRow[] = duties.flatMap((d) =>
      d.officials.map((o) => ({
        code: d.code,
        name: d.name,
        categories: d.categories.map((c) => c.code).join(', '),
        department: d.departmentName,
        rank: String(o.rank),
        official: o.name,
        login: o.login,
        extension: o.extension ?? '',
      })),
    );
    const now = this.deps.clock.now();
    const day = kstDay(now.getTime()).replaceAll('-', '');
    return format === 'csv'
      ? { body: directoryToCsv(rows), contentType: 'text/csv; charset=utf-8', filename: `onecall-directory-${day}.csv` }
      : {
          body: await directoryToXlsx(rows, now),
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          filename: `onecall-directory-${day}.xlsx`,
        };
  }

  /** Officials' presence now (optionally of one department), for the desk and the supervisors. */
  async presenceList(filter: { departmentId?: string; userId?: string } = {}): Promise<OfficialPresence[]> {
    const officials = await listOfficials(this.deps.db, filter);
    const rows = new Map((await presenceRows(this.deps.db, filter.userId ? [filter.userId] : undefined)).map((r) => [r.user_id, r]));
    const now = this.deps.clock.now().getTime();
    const atWork = this.isAtWork(now);
    return officials.map((o) => {
      const row = rows.get(o.id);
      return {
        officialId: o.id,
        name: o.name,
        title: o.title,
        departmentId: o.department_id,
        departmentName: o.department_name,
        extension: o.extension,
        presence: effectivePresence(factsOf(row) ?? { declared: null, onCallByPhone: false }, now, atWork),
        declared: row?.state && row.declared_at ? { state: row.state, at: row.declared_at, leaveUntil: row.leave_until } : null,
      };
    });
  }

  async myPresence(user: SessionUser): Promise<OfficialPresence> {
    const [mine] = await this.presenceList({ userId: user.id });
    if (!mine) throw new AppError('FORBIDDEN', '사용 중인 부서 담당자 계정만 상태를 정할 수 있습니다.');
    return mine;
  }

  /** The official sets his own state (one click); 휴가 with its last day, which may not have passed. */
  async setMyPresence(user: SessionUser, body: SetPresenceBody): Promise<OfficialPresence> {
    const now = this.deps.clock.now();
    const leaveUntil = body.state === 'on_leave' ? (body.leaveUntil ?? null) : null;
    if (leaveUntil !== null && leaveUntil < kstDay(now.getTime())) throw invalid('휴가 마지막 날이 이미 지났습니다.', 'leaveUntil');
    const at = now.toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await saveDeclaredPresence(trx, user.id, body.state, leaveUntil, at);
      await appendPresenceChange(trx, { userId: user.id, at, state: body.state, leaveUntil, source: 'official' });
    });
    return this.myPresence(user);
  }

  /**
   * Where a blind transfer may go (호 전환, issue #11 §3): every active official with an extension (with presence now)
   * and every department's number, from the directory.
   */
  async transferTargets(): Promise<TransferTarget[]> {
    const [officials, departments] = await Promise.all([this.presenceList(), listDepartmentNumbers(this.deps.db)]);
    return [
      ...departments.map((d): TransferTarget => ({ kind: 'department', target: d.phone, name: d.name, title: null, departmentId: d.id, departmentName: d.name, presence: null })),
      ...officials.flatMap((o): TransferTarget[] =>
        o.extension
          ? [{ kind: 'official', target: o.extension, name: o.name, title: o.title, departmentId: o.departmentId, departmentName: o.departmentName, presence: o.presence }]
          : [],
      ),
    ];
  }

  /**
   * The directory's own form of a blind-transfer target: an active official's extension, or a department's number
   * in any layout (031-5180-2101, 03151802101). Anything else (a department's name, a typo) is refused.
   */
  async resolveTransferTarget(target: string): Promise<string> {
    const wanted = target.trim();
    const official = await findOfficialByExtension(this.deps.db, wanted);
    if (official) return wanted;
    const key = phoneKey(wanted);
    const department = key ? (await listDepartmentNumbers(this.deps.db)).find((d) => phoneKey(d.phone) === key) : undefined;
    if (department) return department.phone;
    throw new AppError('TRANSFER_TARGET_UNKNOWN', '업무분장에 없는 전환 대상입니다. 목록에서 담당자 내선이나 부서 번호를 고르세요.', { field: 'target' });
  }

  /**
   * The phone system's hook: the official's extension started (onCall) or ended a call. Returns false when the
   * extension is no active official's or nothing changed. The change is logged with the resulting presence.
   */
  async markExtensionOnCall(extension: string, onCall: boolean): Promise<boolean> {
    const official = await findOfficialByExtension(this.deps.db, extension);
    if (!official) return false;
    const now = this.deps.clock.now();
    const at = now.toISOString();
    return this.deps.db.transaction().execute(async (trx) => {
      if (!(await savePhoneOnCall(trx, official.id, onCall, at))) return false;
      const [row] = await presenceRows(trx, [official.id]);
      const after = effectivePresence(factsOf(row) ?? { declared: null, onCallByPhone: onCall }, now.getTime(), this.isAtWork(now.getTime()));
      await appendPresenceChange(trx, { userId: official.id, at, state: after.state, leaveUntil: after.leaveUntil, source: 'telephony' });
      return true;
    });
  }

  private async index(): Promise<CachedIndex> {
    const now = Date.now();
    if (this.cached && now - this.cached.builtAt < this.ttlMs) return this.cached;
    const input = await loadIndexInput(this.deps.db);
    this.cached = { index: buildDirectoryIndex(input), departments: input.departments, builtAt: now };
    return this.cached;
  }

  /** Whom "담당자 연결" proposes for a category now (issue #11 §2). */
  async propose(categoryId: string): Promise<TransferProposalAnswer> {
    const { index, departments } = await this.index();
    if (!index.categories.has(categoryId)) throw new AppError('NOT_FOUND', '분류를 찾을 수 없습니다.');
    const rows = new Map((await presenceRows(this.deps.db, candidateIdsFor(index, categoryId))).map((r) => [r.user_id, r]));
    const now = this.deps.clock.now().getTime();
    const atWork = this.isAtWork(now);
    const p = proposeTransferTargets(index, categoryId, { now, facts: (id) => factsOf(rows.get(id)), isAtWork: () => atWork });
    const answer = (c: TransferCandidate): TransferCandidateAnswer => ({
      ...c,
      departmentName: c.departmentId ? (departments.get(c.departmentId) ?? null) : null,
      needsReason: p.needsReason(c.officialId),
    });
    return {
      duty: p.duty,
      departmentId: p.departmentId,
      proposed: p.proposed && answer(p.proposed),
      backups: p.backups.map(answer),
      othersInDepartment: p.othersInDepartment.map(answer),
    };
  }
}

const invalid = (message: string, field: string) => new AppError('VALIDATION_FAILED', message, { fields: [field] });

const refused = (problems: readonly { line: number; message: string }[]) =>
  new AppError('IMPORT_INVALID', `파일에 문제가 ${problems.length}건 있어 가져오지 않았습니다. 고친 뒤 다시 올리세요.`, { problems });

function toLookups(rows: Awaited<ReturnType<typeof loadLookupRows>>): DirectoryLookups {
  const byName = new Map(rows.departments.map((d) => [d.name, d]));
  const byCode = new Map(rows.departments.map((d) => [d.code, d]));
  const extensionHolder = new Map<string, string>();
  for (const u of rows.users) if (u.extension) extensionHolder.set(u.extension, u.id);
  return {
    categoryByCode: new Map(rows.categories.map((c) => [c.code, { id: c.id, isActive: c.is_active === 1 }])),
    department: (s) => byName.get(s) ?? byCode.get(s),
    userByLogin: new Map(rows.users.map((u) => [u.login, { id: u.id, name: u.name, role: u.role, departmentId: u.department_id, isActive: u.is_active === 1, extension: u.extension }])),
    extensionHolder,
  };
}
