import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as migration from '../../db/migrations/2026_12_06_0038_survey-overall-question-and-keypad';
import { newId } from '../../lib/ids';
import { createTestDb } from '../../test/test-db';

/*
 * Migration 0038 names the overall question of every survey template already published, so that each keeps the
 * meaning it had (the defaults: their 'overall' question; any other: the last 1–5 question, the old rule) and a
 * poll has none. Run against a database that has the templates as 0026/0033 left them.
 */
describe('migration 0038: the overall question of existing templates', () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  let db: Kysely<any>;
  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db as unknown as Kysely<any>;
    await migration.down(db);
  });
  afterAll(async () => handle.close());

  const csat = (id: string) => ({ id, type: 'csat', text: `${id}?`, required: true });
  const template = async (key: string, audience: 'survey' | 'poll', questions: object[]) => {
    const id = newId();
    await db
      .insertInto('survey_templates')
      .values({ id, key, version: 1, title: key, intro: '', audience, questions: JSON.stringify(questions), published_at: '2026-12-01T00:00:00.000Z', published_by: null })
      .execute();
    return id;
  };

  it("names 'overall' where the defaults had it (even with a 1–5 question after it), else the last 1–5 question; none for polls", async () => {
    const edited = await template('call', 'survey', [csat('kind'), { id: 'resolved', type: 'resolved', text: '?', required: true }, csat('overall'), csat('q6')]);
    const own = await template('own', 'survey', [csat('first'), csat('second'), { id: 'c', type: 'text', text: '?', required: false }]);
    const noCsat = await template('yesno', 'survey', [{ id: 'resolved', type: 'resolved', text: '?', required: true }]);
    const poll = await template('poll', 'poll', [{ id: 'need', type: 'single', text: '?', required: true, options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }] }]);
    await migration.up(db);
    const rows = await db.selectFrom('survey_templates').select(['id', 'overall_question_id']).execute();
    const overall = new Map(rows.map((r: { id: string; overall_question_id: string | null }) => [r.id, r.overall_question_id]));
    expect(overall.get(edited)).toBe('overall');
    expect(overall.get(own)).toBe('second');
    expect(overall.get(noCsat)).toBeNull();
    expect(overall.get(poll)).toBeNull();
    // The new settings start at the old constants.
    await db.insertInto('survey_settings').values({ id: 1, call_sample_permille: 200, handoff_sample_permille: 1000, quiet_days: 30, delay_minutes: 30, expiry_hours: 72, low_score: 2, call_template_key: 'call', handoff_template_key: 'handoff', updated_at: '2026-12-01T00:00:00.000Z', updated_by: null }).execute();
    expect(await db.selectFrom('survey_settings').select(['happy_call_max_attempts', 'happy_call_retry_minutes']).executeTakeFirst()).toEqual({ happy_call_max_attempts: 3, happy_call_retry_minutes: 60 });
  });
});
