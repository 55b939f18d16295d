import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  ArticleStatus,
  CaseOutcome,
  CaseStatus,
  Channel,
  ComplaintType,
  ContactEventType,
  HandOffStatus,
  Role,
} from '../../core/contracts/enums';

/**
 * The database as Kysely sees it, written by hand (house style). Times are ISO-8601 UTC strings on both dialects
 * (text on SQLite, timestamptz on PostgreSQL with a type parser that returns ISO strings). Booleans are 0/1
 * integers so that one query serves both dialects.
 */
export interface Database {
  departments: DepartmentTable;
  users: UserTable;
  sessions: SessionTable;
  duties: DutyTable;
  categories: CategoryTable;
  citizens: CitizenTable;
  interactions: InteractionTable;
  cases: CaseTable;
  case_articles: CaseArticleTable;
  case_counters: CaseCounterTable;
  handoffs: HandOffTable;
  contact_events: ContactEventTable;
  articles: ArticleTable;
  article_versions: ArticleVersionTable;
}

type Time = string;

export interface DepartmentTable {
  id: string;
  code: string;
  name: string;
  phone: string | null;
  location: string | null;
  created_at: Time;
}

export interface UserTable {
  id: string;
  login: string;
  password_hash: string;
  name: string;
  role: Role;
  department_id: string | null;
  title: string | null;
  extension: string | null;
  is_active: number;
  created_at: Time;
  /** Consecutive failed sign-ins since the last success or lock (개인정보 안전성 확보조치 기준 제5조⑥). */
  failed_sign_ins: Generated<number>;
  /** Sign-in is refused until this time; null when not locked. */
  locked_until: ColumnType<Time | null, Time | null | undefined, Time | null>;
}

export interface SessionTable {
  /** SHA-256 of the session token; the token itself only lives in the user's cookie. */
  id: string;
  user_id: string;
  created_at: Time;
  last_seen_at: Time;
  expires_at: Time;
  ip: string | null;
  user_agent: string | null;
}

export interface DutyTable {
  user_id: string;
  category_id: string;
}

export interface CategoryTable {
  id: string;
  parent_id: string | null;
  level: number;
  code: string;
  name: string;
  path: string;
  department_id: string | null;
  complaint_type: ComplaintType | null;
  /** A task's own legal deadline in days, when its law sets one (법정민원). */
  deadline_days: number | null;
  sort_order: number;
  is_active: number;
}

export interface CitizenTable {
  id: string;
  /** E.164. Encrypted with a blind index in the privacy issue (#3). */
  phone: string;
  name: string | null;
  created_at: Time;
}

export interface InteractionTable {
  id: string;
  channel: Channel;
  direction: 'inbound' | 'outbound';
  caller_number: string;
  dialled_number: string;
  citizen_id: string | null;
  agent_id: string | null;
  status: 'offered' | 'connected' | 'ended';
  started_at: Time;
  answered_at: Time | null;
  ended_at: Time | null;
}

export interface CaseTable {
  id: string;
  number: string;
  interaction_id: string | null;
  citizen_id: string | null;
  agent_id: string | null;
  category_id: string | null;
  complaint_type: ComplaintType | null;
  summary: string;
  notes: string;
  outcome: CaseOutcome | null;
  status: CaseStatus;
  created_at: Time;
  closed_at: Time | null;
}

export interface CaseCounterTable {
  /** KST day YYYYMMDD. */
  day: string;
  last: number;
}

export interface CaseArticleTable {
  case_id: string;
  article_id: string;
}

export interface HandOffTable {
  id: string;
  case_id: string;
  department_id: string;
  assignee_id: string | null;
  status: HandOffStatus;
  complaint_type: ComplaintType;
  deadline_basis: string;
  received_at: Time;
  due_at: Time;
  acknowledged_at: Time | null;
  answered_at: Time | null;
  closed_at: Time | null;
  answer: string | null;
  created_by: string | null;
  updated_at: Time;
}

export interface ContactEventTable {
  id: string;
  at: Time;
  type: ContactEventType;
  interaction_id: string | null;
  case_id: string | null;
  handoff_id: string | null;
  actor_id: string | null;
  detail: string | null;
  /** JSON text. */
  data: string | null;
}

export interface ArticleTable {
  id: string;
  /** Small integer key of the search index (FTS5 rowid on SQLite). */
  seq: number;
  category_id: string | null;
  department_id: string | null;
  title: string;
  body: string;
  /** JSON array text. */
  keywords: string;
  status: ArticleStatus;
  version: number;
  use_count: ColumnType<number, number | undefined, number>;
  review_by: string | null;
  created_by: string | null;
  created_at: Time;
  updated_at: Time;
}

export interface ArticleVersionTable {
  id: string;
  article_id: string;
  version: number;
  title: string;
  body: string;
  keywords: string;
  edited_by: string | null;
  created_at: Time;
}

export type DepartmentRow = Selectable<DepartmentTable>;
export type UserRow = Selectable<UserTable>;
export type CategoryRow = Selectable<CategoryTable>;
export type CitizenRow = Selectable<CitizenTable>;
export type InteractionRow = Selectable<InteractionTable>;
export type CaseRow = Selectable<CaseTable>;
export type HandOffRow = Selectable<HandOffTable>;
export type ArticleRow = Selectable<ArticleTable>;
export type NewContactEvent = Insertable<ContactEventTable>;
export type HandOffUpdate = Updateable<HandOffTable>;
