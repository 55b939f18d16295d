import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * Satisfaction surveys and policy polls (issue #15). Templates are versioned: (key, version) is unique and a row never
 * changes once written (editing writes the next version). Consent and opt-out are kept by the citizen's number's
 * blind index, never the number; an opt-out row is never deleted. An invitation is one survey owed to one citizen
 * (source_key unique: a contact is never surveyed twice), with the SHA-256 of its link's token (the token itself is
 * only in the sealed outbox message). A response is linked to its invitation (unique: one answer per link), its
 * free text masked before it is stored. Low scores open follow-ups for supervisors. The scheduler's position in the
 * contact events is kept in survey_cursor. Sample rates are per mille (integers on both dialects).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema
    .createTable('survey_templates')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('key', 'varchar(40)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('audience', 'varchar(10)', (c) => c.notNull())
    .addColumn('questions', 'text', (c) => c.notNull())
    .addColumn('published_at', time, (c) => c.notNull())
    .addColumn('published_by', id)
    .addUniqueConstraint('survey_templates_key_version', ['key', 'version'])
    .execute();

  await db.schema
    .createTable('survey_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('call_sample_permille', 'integer', (c) => c.notNull())
    .addColumn('handoff_sample_permille', 'integer', (c) => c.notNull())
    .addColumn('quiet_days', 'integer', (c) => c.notNull())
    .addColumn('delay_minutes', 'integer', (c) => c.notNull())
    .addColumn('expiry_hours', 'integer', (c) => c.notNull())
    .addColumn('low_score', 'integer', (c) => c.notNull())
    .addColumn('call_template_key', 'varchar(40)', (c) => c.notNull())
    .addColumn('handoff_template_key', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', id)
    .execute();

  await db.schema
    .createTable('survey_consents')
    .addColumn('phone_index', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('surveys', 'integer', (c) => c.notNull())
    .addColumn('polls', 'integer', (c) => c.notNull())
    .addColumn('channel', 'varchar(10)', (c) => c.notNull())
    .addColumn('address_sealed', 'text')
    .addColumn('district', 'varchar(40)')
    .addColumn('age_band', 'varchar(8)')
    .addColumn('case_id', id)
    .addColumn('recorded_by', id)
    .addColumn('recorded_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('survey_opt_outs')
    .addColumn('phone_index', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('via', 'varchar(20)', (c) => c.notNull())
    .addColumn('at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('survey_polls')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('template_id', id, (c) => c.notNull().references('survey_templates.id'))
    .addColumn('channel', 'varchar(10)', (c) => c.notNull())
    .addColumn('districts', 'text', (c) => c.notNull())
    .addColumn('age_bands', 'text', (c) => c.notNull())
    .addColumn('closes_at', time, (c) => c.notNull())
    .addColumn('public_results', 'integer', (c) => c.notNull())
    .addColumn('created_by', id)
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('survey_invitations')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('source_key', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('trigger', 'varchar(10)', (c) => c.notNull())
    .addColumn('template_id', id, (c) => c.notNull().references('survey_templates.id'))
    .addColumn('poll_id', id, (c) => c.references('survey_polls.id'))
    .addColumn('case_id', id)
    .addColumn('handoff_id', id)
    .addColumn('agent_id', id)
    .addColumn('department_id', id)
    .addColumn('category_id', id)
    .addColumn('phone_index', 'varchar(128)', (c) => c.notNull())
    .addColumn('channel', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(12)', (c) => c.notNull())
    .addColumn('skip_reason', 'varchar(20)')
    .addColumn('contact_at', time, (c) => c.notNull())
    .addColumn('due_at', time, (c) => c.notNull())
    .addColumn('sent_at', time)
    .addColumn('expires_at', time)
    .addColumn('answered_at', time)
    .addColumn('token_hash', 'varchar(64)', (c) => c.unique())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_invitations_due_idx').on('survey_invitations').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('survey_invitations_phone_idx').on('survey_invitations').columns(['phone_index', 'due_at']).execute();
  await db.schema.createIndex('survey_invitations_contact_idx').on('survey_invitations').columns(['contact_at']).execute();
  await db.schema.createIndex('survey_invitations_poll_idx').on('survey_invitations').columns(['poll_id']).execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('invitation_id', id, (c) => c.notNull().unique().references('survey_invitations.id'))
    .addColumn('template_id', id, (c) => c.notNull().references('survey_templates.id'))
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('csat', 'integer')
    .addColumn('resolved', 'integer')
    .addColumn('nps', 'integer')
    .addColumn('comment', 'text')
    .addColumn('answered_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('survey_followups')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('invitation_id', id, (c) => c.notNull().unique().references('survey_invitations.id'))
    .addColumn('case_id', id)
    .addColumn('reason', 'varchar(100)', (c) => c.notNull())
    .addColumn('score', 'integer')
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('done_at', time)
    .addColumn('done_by', id)
    .execute();
  await db.schema.createIndex('survey_followups_status_idx').on('survey_followups').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('survey_cursor')
    .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('at', time, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['survey_cursor', 'survey_followups', 'survey_responses', 'survey_invitations', 'survey_polls', 'survey_opt_outs', 'survey_consents', 'survey_settings', 'survey_templates']) {
    await db.schema.dropTable(t).execute();
  }
}
