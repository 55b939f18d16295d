import type { Role } from '../contracts/enums';

/*
 * 표시 제한 by role (안전성 확보조치 기준 제12조, PI-OUT-1/PI-OUT-2; reference privacy-security-kr.md §2, §7):
 * every role sees citizens' names and phone numbers masked by default. Unmasking one value is a separate, audited
 * action with a reason, limited per role per day (server/config.ts UNMASK_LIMIT_*: agent 20, official 10,
 * supervisor 50, admin 0). The system administrator reviews
 * access records and has no duty that needs a citizen's identity, so by default he cannot unmask.
 */

/** The citizen fields shown in API answers and exports. */
export type CitizenField = 'phone' | 'name';

/** How a role sees each citizen field by default. */
export const DISPLAY_POLICY: Record<Role, Record<CitizenField, 'masked'>> = {
  agent: { phone: 'masked', name: 'masked' },
  official: { phone: 'masked', name: 'masked' },
  supervisor: { phone: 'masked', name: 'masked' },
  admin: { phone: 'masked', name: 'masked' },
};
