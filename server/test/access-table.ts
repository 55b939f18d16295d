import type { Role } from '../../core/contracts/enums';

/**
 * The access table the authorization tests check the app against (server/http/access-matrix.int.test.ts and
 * route-access-variants.int.test.ts): who may call each route of the OpenAPI document.
 */
export const ROLES: Role[] = ['agent', 'official', 'supervisor', 'admin'];
const ALL = ROLES;
export const ID = '0190f5a2-8c1e-7b6a-9d3e-123456789abc';

/** The ACD's role groups (issue #4): who takes calls, who watches the wallboard. */
const DESK: Role[] = ['agent', 'supervisor'];
const WATCH: Role[] = ['supervisor', 'admin'];

/**
 * Who may call what. Every route in the OpenAPI document must be listed here, so a new endpoint without a rule
 * fails this test. 'signed': no session; the route checks its own HMAC signature (the CTI webhook), so everyone
 * without one gets the same refusal.
 */
export const ACCESS: Record<string, Role[] | 'public' | 'signed'> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': ALL,
  'GET /api/auth/me': ALL,
  'POST /api/auth/login/totp': 'public',
  'POST /api/auth/session/keep-alive': ALL,
  'GET /api/auth/security': ALL,
  'DELETE /api/auth/sessions/{id}': ALL,
  'POST /api/auth/password': ALL,
  'POST /api/auth/totp/enrolment': ALL,
  'POST /api/auth/totp/enrolment/confirm': ALL,
  'GET /api/admin/security/users': ['admin'],
  'GET /api/admin/security/users/{id}/sessions': ['admin'],
  'DELETE /api/admin/security/users/{id}/sessions': ['admin'],
  'POST /api/admin/security/users/{id}/unlock': ['admin'],
  'DELETE /api/admin/security/users/{id}/totp': ['admin'],
  'GET /api/departments': ALL,
  'GET /api/categories': ALL,
  'GET /api/kb/search': ALL,
  'GET /api/kb/articles/{id}': ALL,
  'GET /api/kb/synonyms': ['supervisor', 'admin'],
  'POST /api/kb/synonyms': ['supervisor', 'admin'],
  'POST /api/kb/synonyms/import': ['supervisor', 'admin'],
  'PUT /api/kb/synonyms/{id}': ['supervisor', 'admin'],
  'DELETE /api/kb/synonyms/{id}': ['supervisor', 'admin'],
  'POST /api/calls/simulate': ['agent', 'supervisor'],
  'POST /api/calls/{id}/end': ['agent', 'supervisor'],
  'GET /api/citizens/{id}/card': ['agent', 'supervisor'],
  'POST /api/cases': ['agent', 'supervisor'],
  'GET /api/cases': ['supervisor', 'admin'],
  'GET /api/cases/{id}': ALL,
  'GET /api/handoffs': ['official', 'supervisor', 'admin'],
  'GET /api/handoffs/counts': ['official', 'supervisor', 'admin'],
  'GET /api/handoffs/{id}': ['official', 'supervisor', 'admin'],
  'POST /api/handoffs/{id}/acknowledge': ['official', 'supervisor'],
  'POST /api/handoffs/{id}/answer': ['official', 'supervisor'],
  // The citizen hears back (issue #11 §4)
  'PUT /api/cases/{id}/reply-preference': ['agent', 'supervisor'],
  'GET /api/cases/{id}/delivery': ALL,
  'GET /api/callback-tasks': ['agent', 'supervisor'],
  'POST /api/callback-tasks/{id}/done': ['agent', 'supervisor'],
  'GET /api/admin/notification-templates': ['admin'],
  'PUT /api/admin/notification-templates/{key}': ['admin'],
  'GET /api/admin/outbox': ['admin'],
  'POST /api/admin/outbox/{id}/retry': ['admin'],
  'POST /api/privacy/unmask': ALL,
  'POST /api/cases/export': ['supervisor', 'admin'],
  'GET /api/privacy/access-records': ['admin'],
  'GET /api/privacy/access-records/verify': ['admin'],
  'GET /api/privacy/monthly-review': ['admin'],
  // ACD (issue #4)
  'GET /api/acd/me': DESK,
  'POST /api/acd/agent/state': DESK,
  'POST /api/acd/agent/wrap-up/end': DESK,
  'POST /api/acd/agent/wrap-up/extend': DESK,
  'POST /api/acd/contacts/{id}/answer': DESK,
  'POST /api/acd/contacts/{id}/reject': DESK,
  'POST /api/acd/contacts/{id}/hold': DESK,
  'POST /api/acd/contacts/{id}/resume': DESK,
  'POST /api/acd/contacts/{id}/end': DESK,
  'POST /api/acd/contacts/{id}/transfer': DESK,
  'POST /api/acd/contacts/{id}/conference': DESK,
  'POST /api/acd/contacts/{id}/transfer/complete': DESK,
  'POST /api/acd/contacts/{id}/transfer/cancel': DESK,
  'POST /api/acd/simulate-call': DESK,
  'GET /api/acd/wallboard': WATCH,
  'GET /api/acd/waiting': WATCH,
  'POST /api/acd/agents/{id}/state': ['supervisor'],
  'GET /api/acd/queues': WATCH,
  'POST /api/acd/queues': ['admin'],
  'PUT /api/acd/queues/{id}': ['admin'],
  'GET /api/acd/agents/{id}/skills': WATCH,
  'PUT /api/acd/agents/{id}/skills': ['admin'],
  'GET /api/acd/business-hours': WATCH,
  'PUT /api/acd/business-hours': ['admin'],
  'GET /api/acd/closed-days': WATCH,
  'POST /api/acd/closed-days': ['admin'],
  'DELETE /api/acd/closed-days/{day}': ['admin'],
  // Warm transfer (issue #11)
  'POST /api/transfers': DESK,
  'GET /api/transfers/incoming': ['official'],
  'GET /api/transfers/{id}': ['agent', 'official', 'supervisor'],
  'POST /api/transfers/{id}/accept': ['official'],
  'POST /api/transfers/{id}/decline': ['official'],
  'POST /api/transfers/{id}/connect': DESK,
  'POST /api/transfers/{id}/cancel': DESK,
  // 업무분장 and officials' presence (issue #11 §1)
  'GET /api/directory': WATCH,
  'POST /api/directory/duties': ['admin'],
  'PUT /api/directory/duties/{id}': ['admin'],
  'DELETE /api/directory/duties/{id}': ['admin'],
  'POST /api/directory/import': ['admin'],
  'GET /api/directory/export': WATCH,
  'GET /api/directory/presence': ['agent', 'supervisor', 'admin'],
  'GET /api/directory/presence/me': ['official'],
  'PUT /api/directory/presence/me': ['official'],
  'GET /api/directory/proposal': DESK,
  'GET /api/realtime': ['agent', 'official', 'supervisor', 'admin'],
  // Statistics (issue #12 §1): officials their own department, agents themselves (the service checks which).
  'GET /api/stats/by-task': ['official', 'supervisor', 'admin'],
  'GET /api/stats/by-period': WATCH,
  'GET /api/stats/by-department': ['official', 'supervisor', 'admin'],
  'GET /api/stats/by-agent': ['agent', 'supervisor', 'admin'],
  'GET /api/stats/service': WATCH,
  'GET /api/stats/headline': WATCH,
  'GET /api/stats/rising': WATCH,
  'GET /api/staffing/plan': WATCH,
  'GET /api/staffing/what-if': WATCH,
  'POST /api/telephony/events': 'signed',
};

