import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArticleImportRowSchema } from '../../../core/contracts/kb';
import { computeDueAt, deadlineRuleFor } from '../../../core/domain/deadlines';
import { normalizePhone } from '../../../core/domain/phone';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { hashPassword } from '../../modules/auth/passwords';
import { insertCitizen, insertInteraction } from '../../modules/calls/calls.repository';
import { nextCaseSequence } from '../../modules/cases/cases.repository';
import { caseNumberOf, kstDayKey } from '../../modules/cases/cases.service';
import { addArticles } from '../../modules/kb/kb.service';
import { SynonymInputSchema, upsertSynonyms } from '../../modules/kb/search/synonyms';
import type { ContactEventInput } from '../../modules/events/events.repository';
import { appendEvents, dispositionEvent, findCallerKey } from '../../modules/events/events.repository';
import { seedAcdDemo } from '../../modules/acd/acd-seed';
import { saveDuty, syncFlatDuties } from '../../modules/directory/directory.repository';
import type { Db } from '../database';
import { flattenCategoryTree, upsertTaxonomy } from '../../modules/org/taxonomy';
import { handOffFactOf, keepHandOffRollups } from '../../modules/statistics/handoff-rollups.repository';
import { CategoryFileSchema, CitizenFileSchema, DepartmentFileSchema, StaffFileSchema } from './seed-data';

const DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

function readData(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(DATA_DIR, name), 'utf8'));
}

/** Every demo login, for the console banner. */
export type DemoLogins = { role: string; login: string; name: string; department?: string }[];

/** True when the database has no users yet (a first start). */
export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Loads the SAMPLE data of the fictional city 한빛시: departments, the 분야 → 업무 → 세부 taxonomy, officials with
 * duties, agents, supervisors, an admin, the knowledge base, and demo callers with earlier cases and open hand-offs.
 * One transaction: a failed seed leaves an empty database.
 */
export async function seedDemoData(
  deps: Pick<AppDeps, 'db' | 'clock' | 'holidays' | 'kbSearch' | 'vault'>,
  password: string,
  options: { passwordIsTemporary?: boolean } = {},
): Promise<DemoLogins> {
  const departments = DepartmentFileSchema.parse(readData('departments.json'));
  const categories = CategoryFileSchema.parse(readData('categories.json'));
  const staff = StaffFileSchema.parse(readData('staff.json'));
  const citizens = CitizenFileSchema.parse(readData('citizens.json'));
  const articleFiles = fs.readdirSync(DATA_DIR).filter((f) => /^articles-.*\.json$/.test(f)).sort();
  const articles = articleFiles.flatMap((f) => (readData(f) as unknown[]).map((a, i) => ({ line: i + 1, row: ArticleImportRowSchema.parse(a) })));

  // One argon2id hash shared by the demo accounts: they share one demo password anyway, and seeding stays fast.
  const passwordHash = await hashPassword(password);
  const now = deps.clock.now();
  const at = now.toISOString();
  const logins: DemoLogins = [];

  await deps.db.transaction().execute(async (trx) => {
    const taxonomy = await upsertTaxonomy(trx, at, departments, flattenCategoryTree(categories));
    if (taxonomy.problems.length > 0) throw new Error(`demo taxonomy invalid: ${JSON.stringify(taxonomy.problems)}`);
    const deptRows = await trx.selectFrom('departments').select(['id', 'code', 'name']).execute();
    const deptId = new Map(deptRows.map((d) => [d.code, d.id]));
    const deptName = new Map(deptRows.map((d) => [d.code, d.name]));
    const cat = new Map(
      (await trx.selectFrom('categories').select(['id', 'code', 'path', 'department_id', 'complaint_type', 'deadline_days']).execute()).map((c) => [
        c.code,
        { id: c.id, path: c.path, departmentId: c.department_id, complaintType: c.complaint_type, deadlineDays: c.deadline_days },
      ]),
    );

    // In production the shared demo password is a temporary one: each user replaces it at the first sign-in.
    const mustChange = options.passwordIsTemporary ? 1 : 0;
    const userId = new Map<string, string>();
    const addUser = async (p: { login: string; name: string }, role: 'agent' | 'official' | 'supervisor' | 'admin', extra: { department?: string; title?: string; extension?: string } = {}) => {
      const id = newId();
      userId.set(p.login, id);
      await trx
        .insertInto('users')
        .values({ id, login: p.login, password_hash: passwordHash, name: p.name, role, department_id: extra.department ? (deptId.get(extra.department) ?? null) : null, title: extra.title ?? null, extension: extra.extension ?? null, is_active: 1, created_at: at, must_change_password: mustChange })
        .execute();
      logins.push({ role, login: p.login, name: p.name, ...(extra.department ? { department: deptName.get(extra.department) ?? '' } : {}) });
    };
    for (const a of staff.admins) await addUser(a, 'admin');
    for (const s of staff.supervisors) await addUser(s, 'supervisor');
    for (const a of staff.agents) await addUser(a, 'agent');
    for (const o of staff.officials) {
      await addUser(o, 'official', o);
      const duties = o.duties.map((code) => cat.get(code)?.id).filter((x): x is string => Boolean(x));
      if (duties.length) await trx.insertInto('duties').values(duties.map((category_id) => ({ user_id: userId.get(o.login) as string, category_id }))).execute();
    }
    // 부서장 (issue #11 §3): each department's 팀장 is told when one of its hand-offs is overdue.
    await trx.updateTable('users').set({ is_department_head: 1 }).where('role', '=', 'official').where('title', '=', '팀장').execute();
    // 업무분장 (issue #11 §1): one duty per 업무 of the officials' duties; the 주무관 first (file order), the 계장·팀장 as
    // backups after them, so 담당자 연결 proposes the working-level official.
    const dutyOfficials = new Map<string, { lead: string[]; staff: string[] }>();
    for (const o of staff.officials) {
      for (const code of o.duties) {
        const entry = dutyOfficials.get(code) ?? { lead: [], staff: [] };
        (o.title === '주무관' ? entry.staff : entry.lead).push(userId.get(o.login) as string);
        dutyOfficials.set(code, entry);
      }
    }
    for (const [code, { lead, staff: workers }] of [...dutyOfficials].sort(([a], [b]) => a.localeCompare(b))) {
      const task = cat.get(code);
      if (!task?.departmentId) throw new Error(`demo duty category unknown or without department: ${code}`);
      const name = task.path.split(' > ').pop() ?? code;
      await saveDuty(trx, newId(), { code, name, departmentId: task.departmentId, categoryIds: [task.id], officialIds: [...workers, ...lead] }, at, true);
    }
    await syncFlatDuties(trx);

    // ACD demo (issue #4): queues on 120 with an IVR, agents' skills, business hours.
    await seedAcdDemo(trx, at);

    await addArticles(deps, trx, articles, { createdBy: userId.get(staff.admins[0]?.login ?? '') ?? null, reviewBy: null });
    // The starter search dictionary (issue #13): callers' words → the manual's words; KB owners edit it.
    await upsertSynonyms(trx, SynonymInputSchema.array().parse(readData('search-synonyms.json')), at, null);

    // Demo callers: history spread over the last two months, on weekdays, during opening hours (KST).
    let n = 0;
    for (const c of citizens) {
      const phone = normalizePhone(c.phone);
      if (!phone) throw new Error(`demo citizen phone invalid: ${c.phone}`);
      const citizenId = newId();
      const history = c.cases.map((k) => ({ k, when: demoTime(now, k.daysAgo, n++) })).sort((a, b) => a.when.getTime() - b.when.getTime());
      // Sealed like every citizen (layer 1): the demo numbers and names never reach the database in plain text.
      await insertCitizen(trx, deps.vault, { id: citizenId, phone, name: c.name ?? null, created_at: history[0]?.when.toISOString() ?? at });
      for (const { k, when } of history) {
        const category = cat.get(k.category);
        const agentId = userId.get(k.agent) ?? null;
        if (!category) throw new Error(`demo case category unknown: ${k.category}`);
        const t0 = when.toISOString();
        const tEnd = new Date(when.getTime() + 4 * 60_000).toISOString();
        const interactionId = newId();
        const caseId = newId();
        await insertInteraction(trx, deps.vault, { id: interactionId, channel: 'phone', direction: 'inbound', caller_number: phone, dialled_number: '120', citizen_id: citizenId, agent_id: agentId, status: 'ended', started_at: t0, answered_at: t0, ended_at: tEnd });
        const complaintType = category.complaintType ?? 'other';
        const ho = k.outcome === 'handed_off' ? (k.handoff ?? { status: 'pending' as const }) : null;
        const closedAt = ho ? (ho.status === 'answered' ? answeredTime(now, when) : null) : tEnd;
        await trx
          .insertInto('cases')
          .values({ id: caseId, number: caseNumberOf(kstDayKey(when), await nextCaseSequence(trx, kstDayKey(when))), interaction_id: interactionId, citizen_id: citizenId, agent_id: agentId, category_id: category.id, complaint_type: complaintType, summary: k.summary, notes: k.notes, outcome: k.outcome, status: closedAt ? 'closed' : 'open', created_at: tEnd, closed_at: closedAt })
          .execute();
        const events: ContactEventInput[] = [
          { type: 'call_offered', at: t0, interactionId },
          { type: 'call_answered', at: t0, interactionId, actorId: agentId },
          { type: 'call_ended', at: tEnd, interactionId, actorId: agentId },
          { type: 'case_opened', at: tEnd, caseId, interactionId, actorId: agentId, detail: category.path },
        ];
        // How the agent closed the call, as a recorded case writes it: the demo's 통계 (업무별, 직접처리율, FCR) has the
        // last two months to show.
        if (agentId) {
          events.push(dispositionEvent({ at: tEnd, caseId, interactionId, actorId: agentId, outcome: k.outcome, categoryId: category.id, callerKey: await findCallerKey(trx, interactionId) }));
        }
        if (ho && category.departmentId) {
          const handOffId = newId();
          const rule = deadlineRuleFor(complaintType, category.deadlineDays, category.path);
          const official = ho.official ? (userId.get(ho.official) ?? null) : null;
          const ackAt = ho.status !== 'pending' ? new Date(Math.min(when.getTime() + 50 * 60_000, now.getTime())).toISOString() : null;
          const handOff = { id: handOffId, case_id: caseId, department_id: category.departmentId, assignee_id: official, status: ho.status, complaint_type: complaintType, deadline_basis: rule.basis, received_at: t0, due_at: computeDueAt(when, rule, (d) => deps.holidays.isHoliday(d)).toISOString(), acknowledged_at: ackAt, answered_at: closedAt, closed_at: null, answer: ho.answer ?? null, created_by: agentId, updated_at: closedAt ?? ackAt ?? tEnd };
          await trx.insertInto('handoffs').values(handOff).execute();
          await keepHandOffRollups(trx, [], [handOffFactOf(handOff)]);
          const deptLabel = departments.find((d) => deptId.get(d.code) === category.departmentId)?.name ?? null;
          events.push({ type: 'case_handed_off', at: tEnd, caseId, handOffId, actorId: agentId, detail: deptLabel });
          if (ackAt) events.push({ type: 'handoff_acknowledged', at: ackAt, caseId, handOffId, actorId: official });
          if (closedAt && ho.status === 'answered') {
            events.push({ type: 'handoff_answered', at: closedAt, caseId, handOffId, actorId: official, detail: ho.answer ?? null });
            events.push({ type: 'case_closed', at: closedAt, caseId, actorId: official });
          }
        } else {
          events.push({ type: 'case_resolved', at: tEnd, caseId, actorId: agentId });
        }
        await appendEvents(trx, events);
      }
    }
  });
  return logins;
}

/** A weekday moment `daysAgo` days before now, between 09:10 and 17:40 KST, never in the future. */
function demoTime(now: Date, daysAgo: number, salt: number): Date {
  const day = new Date(now.getTime() - daysAgo * 86_400_000);
  const kst = new Date(day.getTime() + 9 * 3_600_000);
  const weekday = kst.getUTCDay();
  if (weekday === 0) kst.setUTCDate(kst.getUTCDate() - 2);
  if (weekday === 6) kst.setUTCDate(kst.getUTCDate() - 1);
  const minutes = 9 * 60 + 10 + ((salt * 97) % (8 * 60 + 30));
  kst.setUTCHours(Math.floor(minutes / 60), minutes % 60, 0, 0);
  const t = new Date(kst.getTime() - 9 * 3_600_000);
  return t.getTime() > now.getTime() ? new Date(now.getTime() - (salt + 5) * 60_000) : t;
}

function answeredTime(now: Date, when: Date): string {
  return new Date(Math.min(when.getTime() + 26 * 3_600_000, now.getTime() - 60_000)).toISOString();
}
