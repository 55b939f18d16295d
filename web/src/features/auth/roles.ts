import type { Role } from '../../../../core/contracts/enums';

/** The screen each role lands on after signing in. */
export const HOME_OF: Record<Role, string> = {
  agent: '/agent',
  official: '/official',
  supervisor: '/supervisor',
  admin: '/admin',
};

/** Who may open each area (mirrors the API's access rules; the server enforces them). */
export const AREA_ROLES = {
  agent: ['agent', 'supervisor'],
  official: ['official', 'supervisor', 'admin'],
  supervisor: ['supervisor', 'admin'],
  admin: ['admin'],
  /** The search dictionary and search gaps (검색 관리): the KB owners. */
  kbOwner: ['supervisor', 'admin'],
  /** 상담 자료 관리: the KB owners edit every article, officials their department's (the server decides each one). */
  kbEditor: ['official', 'supervisor', 'admin'],
  /** 상담 이력 검색: agents and supervisors. */
  cases: ['agent', 'supervisor'],
  /** 내 보안 설정: everyone's own. */
  security: ['agent', 'official', 'supervisor', 'admin'],
  /** 통계: everyone, each within their scope (agents their own figures, officials their department). */
  statistics: ['agent', 'official', 'supervisor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Area = keyof typeof AREA_ROLES;

export function canOpen(area: Area, role: Role): boolean {
  return (AREA_ROLES[area] as readonly Role[]).includes(role);
}
