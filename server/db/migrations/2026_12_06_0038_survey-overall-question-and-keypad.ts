import type { Kysely } from 'kysely';

/*
 * Surveys (issue #15), three things:
 * - The overall question is named, not guessed: until now the overall score (전반적 만족도, the one that drives mean
 *   CSAT, the 만족 share and low-score follow-ups) was the template's LAST 1–5 question by position, so a 1–5 question
 *   added at the end silently took its place. Each template version now names it (overall_question_id). Existing
 *   survey versions keep their meaning: the question with id 'overall' (the defaults' 전반적 만족도) when it is a 1–5
 *   question, otherwise the last 1–5 question, as before. Polls have none.
 * - Keypad surveys after the call (ARS): the phone system's id of the survey call and the dialogue so far (the
 *   question being asked, whether it was asked again, the digits accepted) on the invitation.
 * - Happy calls: how many tries and how long between them are settings, no longer constants (3 and 60 minutes).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey_templates').addColumn('overall_question_id', 'varchar(20)').execute();
  const rows = await db.selectFrom('survey_templates').select(['id', 'questions']).where('audience', '=', 'survey').execute();
  for (const r of rows as Array<{ id: string; questions: string }>) {
    const questions = JSON.parse(r.questions) as Array<{ id: string; type: string }>;
    const csat = questions.filter((q) => q.type === 'csat');
    const overall = csat.find((q) => q.id === 'overall') ?? csat.at(-1);
    if (overall) await db.updateTable('survey_templates').set({ overall_question_id: overall.id }).where('id', '=', r.id).execute();
  }

  await db.schema.alterTable('survey_invitations').addColumn('keypad_call_id', 'varchar(128)').execute();
  await db.schema.alterTable('survey_invitations').addColumn('keypad_state', 'text').execute();
  await db.schema.createIndex('survey_invitations_keypad_call_idx').on('survey_invitations').column('keypad_call_id').execute();

  await db.schema.alterTable('survey_settings').addColumn('happy_call_max_attempts', 'integer', (c) => c.notNull().defaultTo(3)).execute();
  await db.schema.alterTable('survey_settings').addColumn('happy_call_retry_minutes', 'integer', (c) => c.notNull().defaultTo(60)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['happy_call_retry_minutes', 'happy_call_max_attempts']) await db.schema.alterTable('survey_settings').dropColumn(column).execute();
  await db.schema.dropIndex('survey_invitations_keypad_call_idx').execute();
  for (const column of ['keypad_state', 'keypad_call_id']) await db.schema.alterTable('survey_invitations').dropColumn(column).execute();
  await db.schema.alterTable('survey_templates').dropColumn('overall_question_id').execute();
}
