import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
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
import type { PresenceState } from '../../core/domain/duty-directory';
import type { TransferStatus } from '../../core/domain/transfer-attempt';

/**
 * The database as Kysely sees it, written by hand (house style). Times are ISO-8601 UTC strings on both dialects
 * (text on SQLite, timestamptz on PostgreSQL with a type parser that returns ISO strings). Booleans are 0/1
 * integers so that one query serves both dialects.
 */
export interface Database {
  departments: DepartmentTable;
  users: UserTable;
  sessions: SessionTable;
  sign_in_challenges: SignInChallengeTable;
  sign_in_throttles: SignInThrottleTable;
  security_events: SecurityEventTable;
  duties: DutyTable;
  categories: CategoryTable;
  citizens: CitizenTable;
  interactions: InteractionTable;
  cases: CaseTable;
  case_articles: CaseArticleTable;
  case_counters: CaseCounterTable;
  handoffs: HandOffTable;
  handoff_additions: HandOffAdditionTable;
  handoff_notices: HandOffNoticeTable;
  contact_events: ContactEventTable;
  articles: ArticleTable;
  article_versions: ArticleVersionTable;
  acd_queues: AcdQueueTable;
  acd_queue_routes: AcdQueueRouteTable;
  agent_skills: AgentSkillTable;
  agent_states: AgentStateTable;
  agent_state_changes: AgentStateChangeTable;
  acd_contacts: AcdContactTable;
  acd_business_hours: AcdBusinessHoursTable;
  acd_closed_days: AcdClosedDayTable;
  telephony_webhook_events: TelephonyWebhookEventTable;
  destruction_log: DestructionLogTable;
  access_records: AccessRecordTable;
  editor_changes: EditorChangeTable;
  access_record_anchors: AccessRecordAnchorTable;
  transfer_attempts: TransferAttemptTable;
  search_synonyms: SearchSynonymTable;
  search_feedback: SearchFeedbackTable;
  outbox_messages: OutboxMessageTable;
  notification_templates: NotificationTemplateTable;
  reply_preferences: ReplyPreferenceTable;
  callback_tasks: CallbackTaskTable;
  directory_duties: DirectoryDutyTable;
  directory_duty_categories: DirectoryDutyCategoryTable;
  directory_duty_officials: DirectoryDutyOfficialTable;
  official_presence: OfficialPresenceTable;
  official_presence_changes: OfficialPresenceChangeTable;
  protection_settings: ProtectionSettingsTable;
  queue_notices: QueueNoticeTable;
  protection_warnings: ProtectionWarningTable;
  protection_incidents: ProtectionIncidentTable;
  protection_recoveries: ProtectionRecoveryTable;
  protection_requests: ProtectionRequestTable;
  caller_flags: CallerFlagTable;
  break_plans: BreakPlanTable;
  agent_breaks: AgentBreakTable;
  stat_rollups: StatRollupTable;
  stat_callbacks: StatCallbackTable;
  stat_dispositions: StatDispositionTable;
  agent_state_rollups: AgentStateRollupTable;
  agent_state_month_rollups: AgentStateMonthRollupTable;
  handoff_rollups: HandOffRollupTable;
  handoff_wait_months: HandOffWaitMonthTable;
  connector_lookups: ConnectorLookupTable;
  survey_templates: SurveyTemplateTable;
  survey_settings: SurveySettingsTable;
  survey_consents: SurveyConsentTable;
  survey_opt_outs: SurveyOptOutTable;
  survey_polls: SurveyPollTable;
  survey_invitations: SurveyInvitationTable;
  survey_responses: SurveyResponseTable;
  survey_followups: SurveyFollowUpTable;
  survey_cursor: SurveyCursorTable;
  case_system_settings: CaseSystemSettingsTable;
  case_system_links: CaseSystemLinkTable;
  case_system_inbound: CaseSystemInboundTable;
  recordings: RecordingTable;
}

type Time = string;

export interface DepartmentTable {
  id: string;
  code: string;
  name: string;
  phone: string | null;
  location: string | null;
  created_at: Time;
  /** 0 once deactivated by the admin (a department still referenced is never deleted; migration 0025). */
  is_active: Generated<number>;
  /** 민원 응대 시간, free text (migration 0025). */
  hours: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** TOTP secret sealed by the vault (server/lib/vault.ts); null until 2FA is enabled. */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled_at: ColumnType<Time | null, Time | null | undefined, Time | null>;
  /** The last accepted TOTP time step: a code of this step or earlier is refused (no replay). */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  /** A sealed secret being enrolled from the security page, until its first code confirms it. */
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>;
  password_changed_at: ColumnType<Time | null, Time | null | undefined, Time | null>;
  /** 부서장: told when a hand-off of the department is overdue (migration 0015). */
  is_department_head: Generated<number>;
  /** A temporary password (set by the admin, or the demo password in production) to change at the next sign-in (0021). */
  must_change_password: Generated<number>;
}

/** The step between a right password and a right TOTP code (or a first enrolment); never a session. */
export interface SignInChallengeTable {
  /** SHA-256 of the challenge token. */
  id: string;
  user_id: string;
  purpose: 'totp' | 'enrol' | 'password';
  /** For 'enrol': the sealed secret shown to the user, enabled once a code of it is right. */
  pending_secret: string | null;
  created_at: Time;
  expires_at: Time;
  ip: string | null;
  user_agent: string | null;
}

/** Failed sign-ins counted per (login, client address), per address, and per user on the password form (migration 0014). */
export interface SignInThrottleTable {
  scope: 'login' | 'ip' | 'password';
  /** login: the login's blind index; ip: ''; password: the user id. */
  subject: string;
  /** The client address (an IPv6 client's /64); '' for the password form. */
  ip: string;
  failures: number;
  last_failure_at: Time;
  locked_until: Time | null;
}

/** Append-only record of account-security actions (unlock, 2FA reset, revocations, password change). */
export interface SecurityEventTable {
  id: string;
  occurred_at: Time;
  user_id: string;
  actor_id: string | null;
  action: string;
  ip: string | null;
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
  /** 'user', or 'display': a wall TV showing the wallboard only, never idle-signed-out (migration 0022). */
  kind: Generated<'user' | 'display'>;
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
  /** E.164 number sealed by the vault (server/lib/vault.ts); never plain (migration 0004). */
  phone_sealed: string;
  /** Name sealed by the vault, or null. */
  name_sealed: string | null;
  /** vault.phoneIndex(E.164): the only way to find a citizen by number. Null only before the start-up sealing step. */
  phone_index: string | null;
  /** nameIndex (server/modules/privacy/name-index.ts) of the normalised full name (migration 0025): the only way to find a citizen by name. */
  name_index: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Time;
}

export interface InteractionTable {
  id: string;
  channel: Channel;
  direction: 'inbound' | 'outbound';
  /** Caller's E.164 number sealed by the vault; '' once erased by the retention job. */
  caller_number_sealed: string;
  /** vault.phoneIndex of the caller's number; null only before the start-up sealing step, '' once erased. */
  caller_index: string | null;
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
  /** 위치: where a field problem is (migration 0024); erased when the case is anonymised. */
  location: string | null;
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
  /** How the citizen was told the answer (sms | email | callback | declined) and when (migration 0010); closes it. */
  told_channel: ColumnType<string | null, string | null | undefined, string | null>;
  told_at: ColumnType<Time | null, Time | null | undefined, Time | null>;
  /** 독촉 (migration 0016): repeat calls about it while open, and the last one's time. */
  chase_count: Generated<number>;
  last_chased_at: ColumnType<Time | null, Time | null | undefined, Time | null>;
  /** 반려 (migration 0015): who returned it from which department, when and why; it waits for a supervisor's 재지정. */
  returned_at: ColumnType<Time | null, Time | null | undefined, Time | null>;
  returned_by: ColumnType<string | null, string | null | undefined, string | null>;
  return_reason: ColumnType<string | null, string | null | undefined, string | null>;
  returned_from_department_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** 연장 (migration 0015): the one extension; original_due_at is the due time before it. */
  extended_at: ColumnType<Time | null, Time | null | undefined, Time | null>;
  extended_by: ColumnType<string | null, string | null | undefined, string | null>;
  extension_reason: ColumnType<string | null, string | null | undefined, string | null>;
  original_due_at: ColumnType<Time | null, Time | null | undefined, Time | null>;
}

/** Reminders, overdue and escalation notices of hand-offs, once each per (hand-off, kind, due time) (migration 0015). */
export interface HandOffNoticeTable {
  id: string;
  handoff_id: string;
  /** half | d1 | overdue | escalated */
  kind: string;
  due_at: Time;
  department_id: string;
  /** Whom it is for; null = the department's officials (no assignee yet). */
  user_id: string | null;
  at: Time;
  read_at: ColumnType<Time | null, Time | null | undefined, Time | null>;
}

/** 추가 민원 (migration 0016): the case of a repeat call that added to an open hand-off (one hand-off per case). */
export interface HandOffAdditionTable {
  id: string;
  handoff_id: string;
  case_id: string;
  added_at: Time;
  added_by: string | null;
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
  /** 담당자 (migration 0025); the 담당 부서 is department_id. */
  owner_id: ColumnType<string | null, string | null | undefined, string | null>;
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

/** 파기 기록 (고시 제13조): one row per kind of data per run of the retention job. */
export interface DestructionLogTable {
  id: string;
  run_id: string;
  at: Time;
  /** Kind of data (server/modules/retention/retention-policy.ts). */
  kind: string;
  method: 'delete' | 'anonymise';
  count: number;
  /** Records older than this were destroyed. */
  cutoff: Time;
  /** 'system:retention-job' or 'cli:<os user>'. */
  actor: string;
}

/** An ACD queue (issue #4): the skill its callers need and its routing rule. */
export interface AcdQueueTable {
  id: string;
  code: string;
  name: string;
  /** Category id the callers need as a skill; null = any agent. */
  skill: string | null;
  strategy: 'longest_idle' | 'round_robin' | 'fewest_calls';
  /** JSON array of escalation steps; null = the centre's default. */
  escalation: string | null;
  priority: number;
  is_active: number;
  created_at: Time;
  updated_at: Time;
}

/** Dialled number + IVR choice ('' = the number's default) → queue. */
export interface AcdQueueRouteTable {
  id: string;
  queue_id: string;
  dialled_number: string;
  ivr_choice: string;
}

export interface AgentSkillTable {
  user_id: string;
  /** Category id. */
  skill: string;
  /** 1 best. */
  level: number;
}

/** One agent's current ACD state (core/domain/agent-state.ts AgentSnapshot + routing counters). */
export interface AgentStateTable {
  user_id: string;
  status: string;
  reason: string | null;
  since: Time;
  missed_offers: number;
  pending_not_ready: string | null;
  /** 1: log out when the after-call work ends (issue #19, migration 0032). */
  pending_logout: Generated<number>;
  timer_ends_at: Time | null;
  contact_id: string | null;
  last_offered_at: Time | null;
  calls_handled: number;
  /** KST day calls_handled counts for. */
  calls_day: string | null;
  updated_at: Time;
}

/** 변경 이력 of the org and article editors (issue #18 item 13, migration 0032): append-only, who, when, what. */
export interface EditorChangeTable {
  id: string;
  at: Time;
  actor_id: string | null;
  /** department | category | article. */
  entity: string;
  entity_id: string;
  /** create | update | deactivate | activate | delete | publish | archive. */
  action: string;
  /** The record's name or title when the change was made (readable after a delete). */
  label: string;
  /** JSON: the changed fields, { field: [before, after] }. */
  detail: string | null;
}

/** Append-only agent state log (occupancy and the reconciliation audit read it). */
export interface AgentStateChangeTable {
  id: string;
  user_id: string;
  at: Time;
  status: string;
  reason: string | null;
  /** agent | supervisor | system | reconciliation | telephony. */
  source: string;
  contact_id: string | null;
}

/** A contact the ACD holds: waiting call, callback task, or call being handled (restart rebuilds from these). */
export interface AcdContactTable {
  id: string;
  kind: 'call' | 'callback';
  /** The telephony adapter the call came through. */
  source: string;
  external_call_id: string;
  queue_id: string;
  skill: string | null;
  priority: number;
  dialled_number: string;
  ivr_choice: string | null;
  entered_at: Time;
  virtual_start_at: Time;
  ready_at: Time | null;
  status: string;
  agent_id: string | null;
  offered_at: Time | null;
  offer_expires_at: Time | null;
  answered_at: Time | null;
  ended_at: Time | null;
  excluded_agents: string | null;
  callback_number_sealed: string | null;
  origin_id: string | null;
  updated_at: Time;
}

/** Opening hours per ISO weekday (1 = Monday), KST "HH:MM". */
export interface AcdBusinessHoursTable {
  weekday: number;
  opens: string;
  closes: string;
}

export interface AcdClosedDayTable {
  day: string;
  reason: string;
  created_by: string | null;
  created_at: Time;
}

/** 개인정보 접속기록 (제8조): append-only and hash-chained (migration 0006; server/modules/privacy). */
export interface AccessRecordTable {
  id: string;
  /** Position in the hash chain, 1, 2, 3 … without gaps. */
  seq: number;
  at: Time;
  user_id: string;
  user_login: string;
  role: Role;
  ip: string | null;
  action: string;
  /** Whose data: a citizen id, or the citizen ids of a list, comma-separated. */
  subject: string | null;
  target: string;
  record_count: number;
  reason: string | null;
  result: 'success' | 'denied';
  prev_hash: string;
  hash: string;
  /** The audit key whose HMAC `hash` is ('legacy-sha256': plain SHA-256, records from before migration 0008). */
  key_id: string;
}

/** Where the chain resumes after records past their keeping period were pruned. */
export interface AccessRecordAnchorTable {
  id: string;
  at: Time;
  pruned_before: Time;
  last_seq: number;
  last_hash: string;
  pruned_count: number;
  /** The audit key of `signature`; null only for an unsigned (forged or pre-0008) anchor, which fails verification. */
  key_id: string | null;
  /** Time of the newest record the anchor covers (signed: verification checks it is past the keeping period). */
  last_at: Time | null;
  /** HMAC-SHA256 (hex) over the anchor's fields (server/modules/privacy/access-chain.ts). */
  signature: string | null;
}

export interface TelephonyWebhookEventTable {
  event_id: string;
  received_at: Time;
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

/** One warm-transfer attempt (3자통화, issue #11 §2); status per core/domain/transfer-attempt.ts. */
export interface TransferAttemptTable {
  id: string;
  interaction_id: string;
  agent_id: string;
  official_id: string;
  department_id: string | null;
  category_id: string;
  summary: string;
  notes: string;
  outside_duty_reason: string | null;
  status: TransferStatus;
  decline_reason: string | null;
  created_at: Time;
  ring_deadline_at: Time;
  accepted_at: Time | null;
  ended_at: Time | null;
  case_id: string | null;
  handoff_id: string | null;
}

/** 업무분장 (issue #11 §1, migration 0009): a duty covers categories and belongs to a department. */
export interface DirectoryDutyTable {
  id: string;
  code: string;
  name: string;
  department_id: string;
  created_at: Time;
  updated_at: Time;
}

/** The categories of a duty; a category belongs to one duty at most. */
export interface DirectoryDutyCategoryTable {
  duty_id: string;
  category_id: string;
}

/** The officials of a duty in order: rank 1 = 주 담당자, then the backups (부 담당자). */
export interface DirectoryDutyOfficialTable {
  duty_id: string;
  user_id: string;
  rank: number;
}

/** An official's declared presence and what the phone system says of the extension (one row per official). */
export interface OfficialPresenceTable {
  user_id: string;
  /** The last declared state (core/domain/duty-directory.ts PresenceState), null when never declared. */
  state: PresenceState | null;
  /** For 휴가: the last day of leave, KST YYYY-MM-DD inclusive. */
  leave_until: string | null;
  declared_at: Time | null;
  /** 1 while the phone system reports the official's extension on a call. */
  on_call_by_phone: number;
  phone_changed_at: Time | null;
}

/** Every presence change (declared or from the phone system), for counting. */
export interface OfficialPresenceChangeTable {
  id: string;
  user_id: string;
  at: Time;
  state: PresenceState;
  leave_until: string | null;
  source: 'official' | 'telephony';
}

/** One message of the outbox (issue #11 §4, migration 0010): generic over kinds and channels. */
export interface OutboxMessageTable {
  id: string;
  /** What it is about, e.g. 'handoff_answer' (server/modules/notifications/outbox-kinds.ts). */
  kind: string;
  channel: 'sms' | 'email' | 'case_system';
  /** JSON of the message (address, text, subject) sealed by the vault. */
  payload_sealed: string;
  idempotency_key: string;
  /** 'skipped': the admin let a failed message go (the case system's next message of that hand-off may follow). */
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  max_attempts: number;
  next_attempt_at: Time | null;
  /** A worker's lease on the message while it sends it. */
  claimed_until: Time | null;
  last_error: string | null;
  case_id: string | null;
  handoff_id: string | null;
  created_at: Time;
  updated_at: Time;
  sent_at: Time | null;
}

/** An admin's edited template; a key without a row uses its default (core/domain/notifications.ts). */
export interface NotificationTemplateTable {
  key: string;
  subject: string | null;
  body: string;
  updated_at: Time;
  updated_by: string | null;
}

/** How the citizen of a case wants the answer, with consent; the address sealed by the vault. */
export interface ReplyPreferenceTable {
  id: string;
  case_id: string;
  channel: 'sms' | 'email' | 'callback' | 'none';
  consent: number;
  address_sealed: string | null;
  recorded_by: string | null;
  recorded_at: Time;
}

/** A task for an agent: call the citizen back and read the department's answer. */
export interface CallbackTaskTable {
  id: string;
  case_id: string;
  handoff_id: string | null;
  outbox_message_id: string | null;
  reason: 'chosen' | 'no_preference' | 'delivery_failed';
  /** gave_up (0019): the last attempt did not reach the citizen. */
  status: 'open' | 'done' | 'cancelled' | 'gave_up';
  created_at: Time;
  done_at: Time | null;
  done_by: string | null;
  /** 0019: attempts that did not reach the citizen, when the next may start, the ACD contact of the one under way. */
  attempts: Generated<number>;
  next_attempt_at: Time | null;
  last_attempt_at: Time | null;
  contact_id: string | null;
}

/** search_synonyms (0013): the city's synonym dictionary; expansions is a JSON array of the manual's words. */
export interface SearchSynonymTable {
  id: string;
  term: string;
  expansions: string;
  note: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/** search_feedback (0013): 'open' | 'use' | 'none' (nothing found) | 'missing' (recorded as a missing article). */
export interface SearchFeedbackTable {
  id: string;
  kind: string;
  query: string;
  query_key: string;
  article_id: string | null;
  user_id: string | null;
  created_at: string;
}

/** Counters of the statistics per grain × bucket (epoch ms) × dimension (migration 0018, statistics/rollups.ts). */
export interface StatRollupTable {
  grain: string;
  bucket: number;
  dim: string;
  offered: number;
  answered: number;
  answered_in_sl: number;
  abandoned: number;
  short_abandoned: number;
  abandoned_after_sl: number;
  callbacks: number;
  callbacks_answered: number;
  callbacks_answered_in_sl: number;
  wait_ms: number;
  callback_wait_ms: number;
  after_hours: number;
  handled: number;
  resolved: number;
  handed_on: number;
  handle_ms: number;
  acw_ms: number;
  fcr_contacts: number;
  fcr_resolved: number;
  fcr_unidentified: number;
}

export interface StatCallbackTable {
  interaction_id: string;
  callback_id: string | null;
  queued_at_ms: number | null;
  delay_ms: number | null;
}

export interface StatDispositionTable {
  interaction_id: string;
  at_ms: number;
  caller_key: string | null;
  category_id: string | null;
  outcome: string | null;
}

export interface AgentStateRollupTable {
  day: number;
  user_id: string;
  status: string;
  reason: string;
  ms: number;
}

/** The same time per KST month (migration 0031): long by-agent reports read whole months here. */
export interface AgentStateMonthRollupTable {
  month: number;
  user_id: string;
  status: string;
  reason: string;
  ms: number;
}

/** 부서별 per KST day and department (migration 0039, core/domain/handoff-rollups.ts); waits: answer times in ms, comma-separated. */
export interface HandOffRollupTable {
  day: number;
  department_id: string;
  received: number;
  acknowledged: number;
  answered: number;
  returned: number;
  due: number;
  on_time: number;
  waits: string;
}

/** 부서별's answer times per KST month received, department and bucket (migration 0041, core/domain/handoff-rollups.ts waitBucketOf); n: how many. */
export interface HandOffWaitMonthTable {
  month: number;
  department_id: string;
  bucket: number;
  n: number;
  waits: string;
}

// 감정노동 보호 (issue #14, migration 0020). Warnings, incidents and recoveries are append-only (database triggers).

/** The protocol's settings as JSON (core/domain/protection.ts ProtectionSettings); one row, id 'default'. */
export interface ProtectionSettingsTable {
  id: string;
  settings: string;
  updated_at: Time;
  updated_by: string | null;
}

/** The recording + no-abuse notice a queue plays on entry. */
export interface QueueNoticeTable {
  queue_id: string;
  text: string;
  audio_id: string | null;
  is_enabled: number;
  updated_at: Time;
  updated_by: string | null;
}

export interface ProtectionWarningTable {
  id: string;
  interaction_id: string;
  agent_id: string;
  type: string;
  step: number;
  text: string;
  at: Time;
}

/** One version of an incident; a correction is a new row with the same incident_id and the next version. */
export interface ProtectionIncidentTable {
  id: string;
  incident_id: string;
  version: number;
  interaction_id: string | null;
  agent_id: string;
  type: string;
  end_kind: string;
  warnings_given: number;
  call_answered_at: Time | null;
  first_warning_at: Time | null;
  ended_at: Time | null;
  recording_ref: string | null;
  notes: string | null;
  caller_index: string | null;
  correction_reason: string | null;
  recorded_by: string;
  recorded_at: Time;
}

export interface ProtectionRecoveryTable {
  id: string;
  agent_id: string;
  incident_id: string | null;
  kind: 'started' | 'extended';
  seconds: number;
  at: Time;
  ends_at: Time;
  by_user: string;
  reason: string | null;
}

export interface ProtectionRequestTable {
  id: string;
  agent_id: string;
  incident_id: string | null;
  kind: string;
  status: string;
  note: string | null;
  outcome: string | null;
  created_at: Time;
  updated_at: Time;
  updated_by: string;
}

/** A repeat caller, by blind index only. */
export interface CallerFlagTable {
  id: string;
  caller_index: string;
  incident_id: string | null;
  reason: string;
  mode: string;
  flagged_by: string;
  flagged_at: Time;
  expires_at: Time;
  cleared_at: Time | null;
  cleared_by: string | null;
  clear_reason: string | null;
}

/** Scheduled breaks (issue #14 §4, migration 0028): one agent's plan, or the centre's default (id 'default'), as JSON. */
export interface BreakPlanTable {
  id: string;
  agent_id: string | null;
  plan: string;
  updated_at: Time;
  updated_by: string | null;
}

/** One scheduled break of an agent on a KST day: due → on_break → taken, or missed. */
export interface AgentBreakTable {
  id: string;
  agent_id: string;
  day: string;
  slot: string;
  kind: string;
  minutes: number;
  due_at: Time;
  status: string;
  started_at: Time | null;
  ended_at: Time | null;
  updated_at: Time;
}

/** A department look-up an admin defined (issue #16 §2); definition is the JSON of core/contracts/connectors.ts. */
export interface ConnectorLookupTable {
  id: string;
  name: string;
  definition: string;
  auth_secret_sealed: string | null;
  /** PEM certificate + key (+ CA) as JSON, sealed (mutual TLS, migration 0034). */
  client_cert_sealed: string | null;
  is_enabled: number;
  created_at: Time;
  updated_at: Time;
  updated_by: string | null;
}

/** The administrative case system link's settings (one row, id 'default'; migration 0027). */
export interface CaseSystemSettingsTable {
  id: string;
  is_enabled: number;
  base_url: string;
  inbound_mode: 'webhook' | 'poll';
  /** The admin's field mapping (core/domain/case-system.ts) as JSON. */
  mapping: string;
  auth_kind: 'none' | 'api_key' | 'basic';
  auth_name: string | null;
  auth_secret_sealed: string | null;
  /** PEM client certificate + key (JSON { cert, key, ca? }) sealed; used for mutual TLS. */
  client_cert_sealed: string | null;
  webhook_secret_sealed: string | null;
  timeout_ms: number;
  poll_cursor: string | null;
  updated_at: Time;
  updated_by: string | null;
}

/** A hand-off registered in the external case system: its case number there. */
export interface CaseSystemLinkTable {
  handoff_id: string;
  external_case_no: string;
  registered_at: Time;
}

/** An inbound report already applied (a repeat is ignored). */
export interface CaseSystemInboundTable {
  event_id: string;
  handoff_id: string | null;
  kind: string;
  via: 'webhook' | 'poll';
  outcome: string;
  received_at: Time;
}

/** Survey templates (migration 0026): a (key, version) row never changes; questions is JSON (core/contracts/surveys.ts). */
export interface SurveyTemplateTable {
  id: string;
  key: string;
  version: number;
  title: string;
  intro: string;
  audience: 'survey' | 'poll';
  questions: string;
  published_at: Time;
  published_by: string | null;
  /** The question that is the 전반적 만족도 (0038); null for polls. */
  overall_question_id: string | null;
}

/** 조사 설정 (one row, id 1): sample rates per mille, quiet period, delay after the contact, link expiry, low score. */
export interface SurveySettingsTable {
  id: number;
  call_sample_permille: number;
  handoff_sample_permille: number;
  quiet_days: number;
  delay_minutes: number;
  expiry_hours: number;
  low_score: number;
  call_template_key: string;
  handoff_template_key: string;
  updated_at: Time;
  updated_by: string | null;
  /** Happy calls (0038): tries before closing as 부재, minutes between two tries. */
  happy_call_max_attempts: number;
  happy_call_retry_minutes: number;
}

/** The citizen's consent to surveys / polls by blind index; an e-mail address sealed by the vault. */
export interface SurveyConsentTable {
  phone_index: string;
  surveys: number;
  polls: number;
  channel: 'sms' | 'email' | 'call' | 'keypad';
  address_sealed: string | null;
  district: string | null;
  age_band: string | null;
  case_id: string | null;
  recorded_by: string | null;
  recorded_at: Time;
}

/** An opt-out by blind index: honoured for ever, never deleted. */
export interface SurveyOptOutTable {
  phone_index: string;
  via: string;
  at: Time;
}

/** A policy poll (정책 여론조사): districts and age_bands are JSON arrays ([] = everyone who consented to polls). */
export interface SurveyPollTable {
  id: string;
  title: string;
  template_id: string;
  channel: 'sms' | 'email';
  districts: string;
  age_bands: string;
  closes_at: Time;
  public_results: number;
  created_by: string | null;
  created_at: Time;
}

/** One survey owed to one citizen; token_hash = SHA-256 of the link's token (the token is never stored). */
export interface SurveyInvitationTable {
  id: string;
  source_key: string;
  trigger: 'call' | 'handoff' | 'poll';
  template_id: string;
  poll_id: string | null;
  case_id: string | null;
  handoff_id: string | null;
  agent_id: string | null;
  department_id: string | null;
  category_id: string | null;
  phone_index: string;
  channel: 'sms' | 'email' | 'call' | 'keypad';
  status: 'scheduled' | 'sent' | 'answered' | 'skipped';
  skip_reason: string | null;
  contact_at: Time;
  due_at: Time;
  sent_at: Time | null;
  expires_at: Time | null;
  answered_at: Time | null;
  token_hash: string | null;
  created_at: Time;
  /** Happy calls (0033): calls that did not reach the citizen, who took the task and when, the next try. */
  call_attempts: Generated<number>;
  claimed_by: string | null;
  claimed_at: Time | null;
  next_attempt_at: Time | null;
  /** Keypad surveys (0038): the phone system's id of the survey call, and the dialogue so far (JSON). */
  keypad_call_id: string | null;
  keypad_state: string | null;
  /** Happy calls offered by the ACD (0040): the ACD contact of the current try. */
  contact_id: string | null;
}

/** A citizen's answers (JSON, free text masked) and the figures read from them. */
export interface SurveyResponseTable {
  id: string;
  invitation_id: string;
  template_id: string;
  answers: string;
  csat: number | null;
  resolved: number | null;
  nps: number | null;
  comment: string | null;
  answered_at: Time;
  /** How the answers came (0033): 'web' (the link), 'call' (read out to an agent), 'keypad' (DTMF after a call). */
  channel: Generated<'web' | 'call' | 'keypad'>;
  recorded_by: string | null;
}

/** A low score's follow-up for the supervisors. */
export interface SurveyFollowUpTable {
  id: string;
  invitation_id: string;
  case_id: string | null;
  reason: string;
  score: number | null;
  status: 'open' | 'done';
  created_at: Time;
  done_at: Time | null;
  done_by: string | null;
}

/** The survey scheduler's position in the contact events. */
export interface SurveyCursorTable {
  name: string;
  at: Time;
}

/** A call recording (0037, issue #17 §3): the sealed file of one recorded SIP call, destroyed after retain_until. */
export interface RecordingTable {
  id: string;
  /** The contact (interaction) the call belongs to. */
  interaction_id: string;
  /** The SIP Call-ID (rtpengine's call). */
  call_id: string;
  /** recording: rtpengine is recording; sealed: the file is sealed at rest; failed: no file (see failure). */
  status: 'recording' | 'sealed' | 'failed';
  /** Path of the sealed file (iv | AES-256-GCM ciphertext | tag); null until sealed. */
  file_ref: string | null;
  /** The file's data key, sealed by the vault (destroying it crypto-shreds the file). */
  key_sealed: string | null;
  size_bytes: ColumnType<number | string | null, number | null, number | null>;
  started_at: Time;
  ended_at: Time | null;
  sealed_at: Time | null;
  retain_until: Time;
  failure: string | null;
}

/** A database handle or an open transaction: repositories take either (here, not in database.ts, so prepared.ts needs no cycle). */
export type Db = Kysely<Database> | Transaction<Database>;
