import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router';
import type { ParseKeys } from 'i18next';
import type { Role } from '../../../core/contracts/enums';

/** One screen of the menu: where it goes, its label (i18n key) and who may open it (as the API allows). */
export type NavItem = { to: string; label: ParseKeys; roles: readonly Role[]; end?: boolean };
type NavEntry = NavItem | { group: ParseKeys; items: readonly NavItem[] };

const WATCH: readonly Role[] = ['supervisor', 'admin'];

/**
 * The main menu (issue #18 item 10): each role sees only the screens it can use, and the many operations and
 * administration screens sit in two menus instead of a row that no longer fits.
 */
export const MAIN_NAV: readonly NavEntry[] = [
  { to: '/agent', label: 'nav.agent', roles: ['agent', 'supervisor'], end: true },
  { to: '/official', label: 'nav.official', roles: ['official', 'supervisor', 'admin'], end: true },
  { to: '/cases', label: 'nav.caseSearch', roles: ['agent', 'supervisor'] },
  {
    group: 'nav.groupOperations',
    items: [
      { to: '/supervisor', label: 'nav.supervisor', roles: WATCH, end: true },
      { to: '/supervisor/wallboard', label: 'wallboard.link', roles: WATCH },
      { to: '/supervisor/rerouting', label: 'handoffLife.rerouting.link', roles: ['supervisor'] },
      { to: '/supervisor/overdue', label: 'handoffLife.overdue.link', roles: WATCH },
      { to: '/supervisor/protection', label: 'protection.link', roles: WATCH },
      { to: '/supervisor/staffing', label: 'staffing.link', roles: WATCH },
      { to: '/supervisor/surveys', label: 'surveys.link', roles: WATCH },
      { to: '/supervisor/recordings', label: 'recordings.link', roles: WATCH },
    ],
  },
  { to: '/stats', label: 'nav.statistics', roles: ['agent', 'official', 'supervisor', 'admin'] },
  {
    group: 'nav.groupAdmin',
    items: [
      { to: '/admin', label: 'nav.admin', roles: ['admin'], end: true },
      { to: '/admin/org', label: 'editors.orgLink', roles: ['admin'] },
      { to: '/admin/directory', label: 'directory.link', roles: ['admin'] },
      { to: '/admin/notifications', label: 'notify.adminLink', roles: ['admin'] },
      { to: '/admin/connectors', label: 'connectors.admin.link', roles: ['admin'] },
      { to: '/kb/articles', label: 'editors.kbLink', roles: ['official', 'supervisor', 'admin'] },
      { to: '/admin/kb-search', label: 'kbAdmin.link', roles: WATCH },
    ],
  },
];

/** The entries a role sees: items it may open; a group with one item left becomes that item. */
export function navFor(role: Role, nav: readonly NavEntry[] = MAIN_NAV): NavEntry[] {
  return nav.flatMap((entry): NavEntry[] => {
    if (!('group' in entry)) return entry.roles.includes(role) ? [entry] : [];
    const items = entry.items.filter((i) => i.roles.includes(role));
    if (items.length === 0) return [];
    return items.length === 1 ? [items[0]!] : [{ group: entry.group, items }];
  });
}

const linkClass = ({ isActive }: { isActive: boolean }) => `topnav__link${isActive ? ' is-active' : ''}`;

export function MainNav({ role }: { role: Role }) {
  const { t } = useTranslation();
  const entries = navFor(role);
  if (entries.length <= 1) return null;
  return (
    <nav className="topnav" aria-label={t('app.mainNav')}>
      {entries.map((entry) =>
        'group' in entry ? (
          <NavMenu key={entry.group} label={t(entry.group)} items={entry.items} />
        ) : (
          <NavLink key={entry.to} to={entry.to} end={entry.end} className={linkClass}>
            {t(entry.label)}
          </NavLink>
        ),
      )}
    </nav>
  );
}

/** A menu button with its screens: opens on click or ↓, closes on Esc, a choice or a click elsewhere. */
function NavMenu({ label, items }: { label: string; items: readonly NavItem[] }) {
  const { t } = useTranslation();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const listId = useId();
  const active = items.some((i) => (i.end ? location.pathname === i.to : location.pathname === i.to || location.pathname.startsWith(`${i.to}/`)));
  const current = items.find((i) => location.pathname === i.to);

  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return undefined;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const menuLinks = () => [...(root.current?.querySelectorAll<HTMLAnchorElement>('.topnav__menu a') ?? [])];
  const focusItem = (index: number) => {
    const links = menuLinks();
    if (links.length > 0) links[(index + links.length) % links.length]?.focus();
  };

  return (
    <div
      className="topnav__group"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          button.current?.focus();
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const at = menuLinks().indexOf(document.activeElement as HTMLAnchorElement);
          if (!open) {
            setOpen(true);
            requestAnimationFrame(() => focusItem(0));
          } else focusItem(at + (e.key === 'ArrowDown' ? 1 : -1));
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={`topnav__link topnav__button${active ? ' is-active' : ''}`}
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
        {current && !current.end ? <span className="topnav__current"> · {t(current.label)}</span> : null}
        <span aria-hidden="true" className="topnav__caret">
          ▾
        </span>
      </button>
      {open && (
        <ul id={listId} className="topnav__menu" role="list">
          {items.map((i) => (
            <li key={i.to}>
              <NavLink to={i.to} end={i.end} className={linkClass} onClick={() => setOpen(false)}>
                {t(i.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
