import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * Happy calls (만족도 조사 전화, issue #15): a survey owed by phone (channel 'call') is a task agents take from the desk.
 * An invitation remembers who took it and when (a claim that lapses if the agent leaves it), how many calls did not
 * reach the citizen and when to try again. A response remembers how it was given (web, call, keypad) and which agent
 * wrote it down, so answers read out on the phone stay apart from the citizen's own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema.alterTable('survey_invitations').addColumn('call_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('survey_invitations').addColumn('claimed_by', id).execute();
  await db.schema.alterTable('survey_invitations').addColumn('claimed_at', time).execute();
  await db.schema.alterTable('survey_invitations').addColumn('next_attempt_at', time).execute();
  await db.schema.createIndex('survey_invitations_channel_idx').on('survey_invitations').columns(['channel', 'status', 'due_at']).execute();
  await db.schema.alterTable('survey_responses').addColumn('channel', 'varchar(10)', (c) => c.notNull().defaultTo('web')).execute();
  await db.schema.alterTable('survey_responses').addColumn('recorded_by', id).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['recorded_by', 'channel']) await db.schema.alterTable('survey_responses').dropColumn(column).execute();
  await db.schema.dropIndex('survey_invitations_channel_idx').execute();
  for (const column of ['next_attempt_at', 'claimed_at', 'claimed_by', 'call_attempts']) await db.schema.alterTable('survey_invitations').dropColumn(column).execute();
}
