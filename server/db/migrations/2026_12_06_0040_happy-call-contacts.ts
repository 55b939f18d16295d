import type { Kysely } from 'kysely';
import { idType } from './helpers';

/*
 * Happy calls offered by the ACD (만족도 조사 전화, issue #15): a due happy call is queued on the ACD's outbound happy-call
 * queue and offered to an available agent like a call. The invitation remembers the ACD contact of its current try
 * (written in the ACD's own transaction with the contact), so a restart neither loses nor repeats a try, and the
 * agent's desk finds the questionnaire of the contact it holds.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey_invitations').addColumn('contact_id', idType(db)).execute();
  await db.schema.createIndex('survey_invitations_acd_contact_idx').on('survey_invitations').column('contact_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('survey_invitations_acd_contact_idx').execute();
  await db.schema.alterTable('survey_invitations').dropColumn('contact_id').execute();
}
