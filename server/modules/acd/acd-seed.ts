import type { Db } from '../../db/database';
import { newId } from '../../lib/ids';

/**
 * Demo ACD of 한빛시 (SAMPLE data): the representative number 120 with an IVR — 1 세무 (local tax), 2 민원·증명
 * (passports, certificates), 3 교통·차량 (traffic) — and a general queue for callers who choose nothing; each demo
 * agent a specialist (level 1) in one field and a generalist (level 2–3) in the others. The demo centre is open around
 * the clock, every day (00:00–24:00), so that whoever tries OneCall at night or at the weekend reaches an agent; a
 * city sets its own hours on the ACD settings screen (Gimpo: weekdays 08:30–18:30).
 */
export async function seedAcdDemo(db: Db, at: string): Promise<void> {
  const fields = await db.selectFrom('categories').select(['id', 'code']).where('level', '=', 1).where('code', 'in', ['01', '02', '03']).execute();
  const field = new Map(fields.map((f) => [f.code, f.id]));
  const queues = [
    { code: 'TAX', name: '세무 상담', skill: field.get('01') ?? null, ivr: '1' },
    { code: 'CIVIL', name: '민원·증명 상담', skill: field.get('02') ?? null, ivr: '2' },
    { code: 'TRAFFIC', name: '교통·차량 상담', skill: field.get('03') ?? null, ivr: '3' },
    { code: 'GENERAL', name: '일반 상담', skill: null, ivr: '' },
  ];
  for (const q of queues) {
    const id = newId();
    await db
      .insertInto('acd_queues')
      .values({ id, code: q.code, name: q.name, skill: q.skill, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: at, updated_at: at })
      .execute();
    await db.insertInto('acd_queue_routes').values({ id: newId(), queue_id: id, dialled_number: '120', ivr_choice: q.ivr }).execute();
  }
  await db
    .insertInto('acd_business_hours')
    .values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' })))
    .execute();

  const agents = await db.selectFrom('users').select(['id', 'login', 'role']).where('role', 'in', ['agent', 'supervisor']).orderBy('login').execute();
  const skillIds = ['01', '02', '03'].map((c) => field.get(c)).filter((x): x is string => Boolean(x));
  const rows: { user_id: string; skill: string; level: number }[] = [];
  agents.forEach((a, i) => {
    skillIds.forEach((skill, k) => {
      const level = a.role === 'supervisor' ? 3 : k === i % skillIds.length ? 1 : k === (i + 1) % skillIds.length ? 2 : 3;
      rows.push({ user_id: a.id, skill, level });
    });
  });
  if (rows.length) await db.insertInto('agent_skills').values(rows).execute();
}
