import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);

  await db.schema
    .createTable('departments')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('code', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('phone', 'varchar(32)')
    .addColumn('location', 'varchar(200)')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('login', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('department_id', id, (c) => c.references('departments.id'))
    .addColumn('title', 'varchar(50)')
    .addColumn('extension', 'varchar(16)')
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_seen_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(300)')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('categories')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('parent_id', id, (c) => c.references('categories.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('code', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('path', 'varchar(300)', (c) => c.notNull())
    .addColumn('department_id', id, (c) => c.references('departments.id'))
    .addColumn('complaint_type', 'varchar(20)')
    .addColumn('deadline_days', 'integer')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('categories_parent_idx').on('categories').column('parent_id').execute();

  await db.schema
    .createTable('duties')
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('category_id', id, (c) => c.notNull().references('categories.id'))
    .addPrimaryKeyConstraint('duties_pk', ['user_id', 'category_id'])
    .execute();

  await db.schema
    .createTable('citizens')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('phone', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(100)')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('interactions')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('direction', 'varchar(16)', (c) => c.notNull())
    .addColumn('caller_number', 'varchar(32)', (c) => c.notNull())
    .addColumn('dialled_number', 'varchar(32)', (c) => c.notNull())
    .addColumn('citizen_id', id, (c) => c.references('citizens.id'))
    .addColumn('agent_id', id, (c) => c.references('users.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('started_at', time, (c) => c.notNull())
    .addColumn('answered_at', time)
    .addColumn('ended_at', time)
    .execute();
  await db.schema.createIndex('interactions_citizen_idx').on('interactions').columns(['citizen_id', 'started_at']).execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('category_id', id, (c) => c.references('categories.id'))
    .addColumn('department_id', id, (c) => c.references('departments.id'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('review_by', 'varchar(10)')
    .addColumn('created_by', id, (c) => c.references('users.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_category_idx').on('articles').column('category_id').execute();

  await db.schema
    .createTable('article_versions')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('article_id', id, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('edited_by', id, (c) => c.references('users.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addUniqueConstraint('article_versions_unique', ['article_id', 'version'])
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('number', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('interaction_id', id, (c) => c.references('interactions.id'))
    .addColumn('citizen_id', id, (c) => c.references('citizens.id'))
    .addColumn('agent_id', id, (c) => c.references('users.id'))
    .addColumn('category_id', id, (c) => c.references('categories.id'))
    .addColumn('complaint_type', 'varchar(20)')
    .addColumn('summary', 'varchar(200)', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('outcome', 'varchar(16)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('closed_at', time)
    .execute();
  await db.schema.createIndex('cases_citizen_idx').on('cases').columns(['citizen_id', 'created_at']).execute();
  await db.schema.createIndex('cases_created_idx').on('cases').column('created_at').execute();

  // Per-day counter of 접수번호 (case numbers read out to citizens: 20261127-00042).
  await db.schema
    .createTable('case_counters')
    .addColumn('day', 'varchar(8)', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_articles')
    .addColumn('case_id', id, (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('article_id', id, (c) => c.notNull().references('articles.id'))
    .addPrimaryKeyConstraint('case_articles_pk', ['case_id', 'article_id'])
    .execute();

  await db.schema
    .createTable('handoffs')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('case_id', id, (c) => c.notNull().references('cases.id'))
    .addColumn('department_id', id, (c) => c.notNull().references('departments.id'))
    .addColumn('assignee_id', id, (c) => c.references('users.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('complaint_type', 'varchar(20)', (c) => c.notNull())
    .addColumn('deadline_basis', 'varchar(200)', (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .addColumn('due_at', time, (c) => c.notNull())
    .addColumn('acknowledged_at', time)
    .addColumn('answered_at', time)
    .addColumn('closed_at', time)
    .addColumn('answer', 'text')
    .addColumn('created_by', id, (c) => c.references('users.id'))
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handoffs_department_idx').on('handoffs').columns(['department_id', 'status', 'due_at']).execute();
  await db.schema.createIndex('handoffs_case_idx').on('handoffs').column('case_id').execute();

  await db.schema
    .createTable('contact_events')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('interaction_id', id, (c) => c.references('interactions.id'))
    .addColumn('case_id', id, (c) => c.references('cases.id'))
    .addColumn('handoff_id', id, (c) => c.references('handoffs.id'))
    .addColumn('actor_id', id, (c) => c.references('users.id'))
    .addColumn('detail', 'text')
    .addColumn('data', 'text')
    .execute();
  await db.schema.createIndex('contact_events_case_idx').on('contact_events').columns(['case_id', 'at']).execute();
  await db.schema.createIndex('contact_events_at_idx').on('contact_events').column('at').execute();
  await db.schema.createIndex('contact_events_interaction_idx').on('contact_events').column('interaction_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'contact_events',
    'handoffs',
    'case_articles',
    'case_counters',
    'cases',
    'article_versions',
    'articles',
    'interactions',
    'citizens',
    'duties',
    'categories',
    'sessions',
    'users',
    'departments',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
