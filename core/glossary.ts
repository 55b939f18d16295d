/**
 * One glossary for the centre's words (issue #18 item 14), used by the web's i18n files and the server's exports so
 * a word means one thing everywhere:
 * - 대기 is only ever a call waiting in line (대기 호, 대기열, 대기 시간, 최장 대기). A hand-off no department has
 *   acknowledged yet is 미접수; a list filter of what is still owed is 미처리; a message not yet sent is 발송 예정
 *   (전송 예정 for a system-to-system message).
 * - 접수 is the department's acknowledgement (a status and an action); the moment something came in is 접수 일시.
 *   A case's number is 접수번호 everywhere (what the citizen is told, the exports, the case system), never 상담번호.
 * - 관리자 is the supervisor (the centre's floor manager); the account and system administrator is 시스템 관리자.
 * - A call the agent settled is 상담 완료; a hand-off the department answered is 회신 완료; 종결 closes a case.
 *   (처리 완료 and 상담완료 are not used.)
 * - Particles after a value are chosen for the value (web/src/i18n/josa.ts, es-hangul), never written as 을(를).
 * - A required field says so on its label (필수), not only in its placeholder.
 * web/src/i18n/glossary.test.ts checks every Korean string against these rules.
 */
export const TERMS_KO = {
  role: { agent: '상담사', official: '담당공무원', supervisor: '관리자', admin: '시스템 관리자' },
  handOffStatus: { pending: '미접수', acknowledged: '접수', in_progress: '처리 중', answered: '회신 완료', closed: '종결', returned: '반려' },
  caseStatus: { open: '진행 중', closed: '종결' },
  outcome: { resolved: '상담 완료', transferred: '3자통화 연결', handed_off: '부서 이관', callback: '회신 예약', abandoned: '포기 호' },
  openFilter: '미처리',
  receivedAt: '접수 일시',
  caseNumber: '접수번호',
  notYetSent: '발송 예정',
  required: '필수',
};

/** The same words in English (the types are the Korean ones: every term has its English). */
export const TERMS_EN: typeof TERMS_KO = {
  role: { agent: 'Agent', official: 'Official', supervisor: 'Supervisor', admin: 'System administrator' },
  handOffStatus: { pending: 'Not yet acknowledged', acknowledged: 'Acknowledged', in_progress: 'In progress', answered: 'Answered', closed: 'Closed', returned: 'Returned' },
  caseStatus: { open: 'Open', closed: 'Closed' },
  outcome: { resolved: 'Resolved', transferred: 'Connected to the official (3-way)', handed_off: 'Handed off', callback: 'Callback', abandoned: 'Abandoned' },
  openFilter: 'Still open',
  receivedAt: 'Received at',
  caseNumber: 'Case number',
  notYetSent: 'To be sent',
  required: 'required',
};

/** Which `대기` phrases are allowed: each is about a call waiting in line. */
export const WAITING_CALL_PHRASES = [
  '대기열',
  '대기 호',
  '대기 시간',
  '응답 대기',
  '최장 대기',
  '예상 대기',
  '대기 폭증',
  '콜백 대기',
  '대기 중인 전화',
  '민원인은 대기 중',
  '대기 {{',
] as const;
