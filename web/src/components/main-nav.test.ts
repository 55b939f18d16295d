import { describe, expect, it } from 'vitest';
import { AREA_ROLES } from '../features/auth/roles';
import { MAIN_NAV, navFor, type NavItem } from './main-nav';

const labels = (role: Parameters<typeof navFor>[0]) => navFor(role).map((e) => ('group' in e ? `${e.group}[${e.items.map((i) => i.to).join(' ')}]` : e.to));

/** Each role sees only what it can use (issue #18 item 10). */
describe('the main menu by role', () => {
  it('agents and officials see their own screens and statistics (officials also their department\u2019s articles)', () => {
    expect(labels('agent')).toEqual(['/agent', '/cases', '/stats']);
    expect(labels('official')).toEqual(['/official', '/stats', '/kb/articles']);
  });
  it('supervisors get the operations menu, and of administration only the knowledge base they own (articles, search dictionary)', () => {
    expect(labels('supervisor')).toEqual([
      '/agent',
      '/official',
      '/cases',
      'nav.groupOperations[/supervisor /supervisor/wallboard /supervisor/rerouting /supervisor/overdue /supervisor/protection /supervisor/staffing /supervisor/surveys /supervisor/recordings]',
      '/stats',
      'nav.groupAdmin[/kb/articles /admin/kb-search]',
    ]);
  });
  it('the admin gets operations and administration', () => {
    expect(labels('admin')).toEqual([
      '/official',
      'nav.groupOperations[/supervisor /supervisor/wallboard /supervisor/overdue /supervisor/protection /supervisor/staffing /supervisor/surveys /supervisor/recordings]',
      '/stats',
      'nav.groupAdmin[/admin /admin/org /admin/directory /admin/notifications /admin/connectors /kb/articles /admin/kb-search]',
    ]);
  });
  it('never offers an area its route guard refuses', () => {
    const items: NavItem[] = MAIN_NAV.flatMap((e) => ('group' in e ? [...e.items] : [e]));
    const areaOf = (to: string) => (to.startsWith('/stats') ? 'statistics' : to === '/admin/kb-search' ? 'kbOwner' : to === '/kb/articles' ? 'kbEditor' : to === '/cases' ? 'cases' : (to.split('/')[1] as keyof typeof AREA_ROLES));
    for (const item of items) for (const role of item.roles) expect(AREA_ROLES[areaOf(item.to)] as readonly string[], `${role} → ${item.to}`).toContain(role);
  });
});
