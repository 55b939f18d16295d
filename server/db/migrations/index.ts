import type { Migration } from 'kysely';
import * as createCoreTables from './2026_11_27_0001_create-core-tables';
import * as createArticleSearch from './2026_11_27_0002_create-article-search';
import * as addSignInLockout from './2026_11_28_0003_add-sign-in-lockout';
import * as encryptPersonalData from './2026_11_28_0004_encrypt-personal-data';
import * as addTwoFactorAndSessionSecurity from './2026_11_28_0005_add-two-factor-and-session-security';
import * as createAccessRecords from './2026_11_28_0006_create-access-records';
import * as createAcdTables from './2026_11_28_0007_create-acd-tables';
import * as keyAccessChain from './2026_12_05_0008_key-access-chain';
import * as createDutyDirectory from './2026_12_05_0009_create-duty-directory';
import * as createNotificationOutbox from './2026_12_05_0010_create-notification-outbox';
import * as createTransferAttempts from './2026_12_05_0012_create-transfer-attempts';
import * as addSearchSynonyms from './2026_12_05_0013_add-search-synonyms';
import * as createSignInThrottles from './2026_12_05_0014_create-sign-in-throttles';
import * as handoffLifecycle from './2026_12_05_0015_handoff-lifecycle';
import * as handoffChase from './2026_12_05_0016_handoff-chase';
import * as statsRollups from './2026_12_05_0018_stats-rollups';
import * as addCallbackTaskAttempts from './2026_12_05_0019_add-callback-task-attempts';
import * as agentProtection from './2026_12_05_0020_agent-protection';
import * as passwordChangeRequired from './2026_12_05_0021_password-change-required';
import * as displaySessions from './2026_12_05_0022_display-sessions';
import * as connectorLookups from './2026_12_05_0023_connector-lookups';
import * as caseLocation from './2026_12_05_0024_case-location';
import * as surveys from './2026_12_05_0026_surveys';
import * as caseSystem from './2026_12_05_0027_case-system';
import * as agentBreaks from './2026_12_05_0028_agent-breaks';
import * as editors from './2026_12_05_0025_editors';
import * as agentStateMonthRollups from './2026_12_05_0031_agent-state-month-rollups';
import * as editorChangesAndPendingLogout from './2026_12_06_0032_editor-changes-and-pending-logout';
import * as surveyHappyCalls from './2026_12_05_0033_survey-happy-calls';
import * as lookupClientCertificates from './2026_12_06_0034_lookup-client-certificates';
import * as handOffReportIndexes from './2026_12_06_0036_handoff-report-indexes';
import * as recordings from './2026_12_06_0037_recordings';
import * as surveyOverallQuestionAndKeypad from './2026_12_06_0038_survey-overall-question-and-keypad';
import * as handOffRollups from './2026_12_06_0039_handoff-rollups';
import * as happyCallContacts from './2026_12_06_0040_happy-call-contacts';
import * as handOffWaitMonths from './2026_12_06_0041_handoff-wait-months';

/** Every migration, in order. Landed migrations are never edited: add a new file and list it here. */
export const MIGRATIONS: Record<string, Migration> = {
  '2026_11_27_0001_create-core-tables': createCoreTables,
  '2026_11_27_0002_create-article-search': createArticleSearch,
  '2026_11_28_0003_add-sign-in-lockout': addSignInLockout,
  '2026_11_28_0004_encrypt-personal-data': encryptPersonalData,
  '2026_11_28_0005_add-two-factor-and-session-security': addTwoFactorAndSessionSecurity,
  '2026_11_28_0006_create-access-records': createAccessRecords,
  '2026_11_28_0007_create-acd-tables': createAcdTables,
  '2026_12_05_0008_key-access-chain': keyAccessChain,
  '2026_12_05_0009_create-duty-directory': createDutyDirectory,
  '2026_12_05_0010_create-notification-outbox': createNotificationOutbox,
  '2026_12_05_0012_create-transfer-attempts': createTransferAttempts,
  '2026_12_05_0013_add-search-synonyms': addSearchSynonyms,
  '2026_12_05_0014_create-sign-in-throttles': createSignInThrottles,
  '2026_12_05_0015_handoff-lifecycle': handoffLifecycle,
  '2026_12_05_0016_handoff-chase': handoffChase,
  '2026_12_05_0018_stats-rollups': statsRollups,
  '2026_12_05_0019_add-callback-task-attempts': addCallbackTaskAttempts,
  '2026_12_05_0020_agent-protection': agentProtection,
  '2026_12_05_0021_password-change-required': passwordChangeRequired,
  '2026_12_05_0022_display-sessions': displaySessions,
  '2026_12_05_0023_connector-lookups': connectorLookups,
  '2026_12_05_0024_case-location': caseLocation,
  '2026_12_05_0026_surveys': surveys,
  '2026_12_05_0027_case-system': caseSystem,
  '2026_12_05_0028_agent-breaks': agentBreaks,
  '2026_12_05_0025_editors': editors,
  '2026_12_05_0031_agent-state-month-rollups': agentStateMonthRollups,
  '2026_12_06_0032_editor-changes-and-pending-logout': editorChangesAndPendingLogout,
  '2026_12_05_0033_survey-happy-calls': surveyHappyCalls,
  '2026_12_06_0034_lookup-client-certificates': lookupClientCertificates,
  '2026_12_06_0036_handoff-report-indexes': handOffReportIndexes,
  '2026_12_06_0037_recordings': recordings,
  '2026_12_06_0038_survey-overall-question-and-keypad': surveyOverallQuestionAndKeypad,
  '2026_12_06_0039_handoff-rollups': handOffRollups,
  '2026_12_06_0040_happy-call-contacts': happyCallContacts,
  '2026_12_06_0041_handoff-wait-months': handOffWaitMonths,
};
