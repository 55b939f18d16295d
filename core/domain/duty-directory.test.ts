import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEPARTMENT_HOURS,
  buildDirectoryIndex,
  candidateIdsFor,
  effectivePresence,
  isDepartmentAtWork,
  proposeTransferTargets,
  type DeclaredPresence,
  type DirectoryOfficial,
  type PresenceFacts,
  type PresenceState,
} from './duty-directory';

const at = (iso: string) => Date.parse(iso);
// Friday 2026-11-27 10:00 KST.
const NOW = at('2026-11-27T01:00:00Z');
const YESTERDAY = at('2026-11-26T02:00:00Z');
const EARLIER_TODAY = at('2026-11-27T00:05:00Z');
const declared = (state: PresenceState, since = EARLIER_TODAY, leaveUntil: string | null = null): DeclaredPresence => ({ state, since, leaveUntil });

describe('effectivePresence', () => {
  it.each<[string, PresenceFacts, boolean, PresenceState, boolean, string]>([
    ['nothing declared, at work', { declared: null, onCallByPhone: false }, true, 'available', true, 'default'],
    ['nothing declared, after hours', { declared: null, onCallByPhone: false }, false, 'off_duty', false, 'hours'],
    ['declared available today', { declared: declared('available'), onCallByPhone: false }, true, 'available', true, 'declared'],
    ['declared in a meeting today', { declared: declared('in_meeting'), onCallByPhone: false }, true, 'in_meeting', false, 'declared'],
    ['declared away today', { declared: declared('away'), onCallByPhone: false }, true, 'away', false, 'declared'],
    ['declared off duty today', { declared: declared('off_duty'), onCallByPhone: false }, true, 'off_duty', false, 'declared'],
    ['declared on a call (button) today', { declared: declared('on_call'), onCallByPhone: false }, true, 'on_call', false, 'declared'],
    ['a meeting declared yesterday is over', { declared: declared('in_meeting', YESTERDAY), onCallByPhone: false }, true, 'available', true, 'default'],
    ['off duty declared yesterday: a new day starts at work', { declared: declared('off_duty', YESTERDAY), onCallByPhone: false }, true, 'available', true, 'default'],
    ['the phone says on a call', { declared: null, onCallByPhone: true }, true, 'on_call', false, 'telephony'],
    ['on a call beats a declared meeting', { declared: declared('in_meeting'), onCallByPhone: true }, true, 'on_call', false, 'telephony'],
    ['after hours beats the phone', { declared: null, onCallByPhone: true }, false, 'off_duty', false, 'hours'],
    ['after hours beats a declared available', { declared: declared('available'), onCallByPhone: false }, false, 'off_duty', false, 'hours'],
    ['on leave until today', { declared: declared('on_leave', YESTERDAY, '2026-11-27'), onCallByPhone: false }, true, 'on_leave', false, 'leave'],
    ['on leave until next week, after hours too', { declared: declared('on_leave', YESTERDAY, '2026-12-04'), onCallByPhone: false }, false, 'on_leave', false, 'leave'],
    ['on leave beats the phone', { declared: declared('on_leave', YESTERDAY, '2026-12-04'), onCallByPhone: true }, true, 'on_leave', false, 'leave'],
    ['a leave that ended yesterday is over', { declared: declared('on_leave', YESTERDAY, '2026-11-26'), onCallByPhone: false }, true, 'available', true, 'default'],
    ['a leave without a last day counts as nothing', { declared: declared('on_leave', EARLIER_TODAY, null), onCallByPhone: false }, true, 'available', true, 'default'],
  ])('%s', (_name, facts, atWork, state, reachable, source) => {
    const p = effectivePresence(facts, NOW, atWork);
    expect(p).toMatchObject({ state, reachable, source });
  });

  it('keeps the leave’s last day', () => {
    expect(effectivePresence({ declared: declared('on_leave', YESTERDAY, '2026-12-04'), onCallByPhone: false }, NOW, true).leaveUntil).toBe('2026-12-04');
  });

  it('a declaration just before KST midnight ends at midnight (KST day, not UTC day)', () => {
    const lateEvening = at('2026-11-26T14:59:00Z'); // 23:59 KST Thursday
    const earlyMorning = at('2026-11-26T15:01:00Z'); // 00:01 KST Friday: same UTC day, next KST day
    expect(effectivePresence({ declared: declared('away', lateEvening), onCallByPhone: false }, earlyMorning, true).state).toBe('available');
  });
});

describe('isDepartmentAtWork (09:00–18:00 KST working days)', () => {
  const noHoliday = () => false;
  it.each([
    ['Friday 10:00', '2026-11-27T01:00:00Z', noHoliday, true],
    ['Friday 08:59', '2026-11-26T23:59:00Z', noHoliday, false],
    ['Friday 18:00', '2026-11-27T09:00:00Z', noHoliday, false],
    ['Saturday 10:00', '2026-11-28T01:00:00Z', noHoliday, false],
    ['a 공휴일 (성탄절, Friday) 10:00', '2026-12-25T01:00:00Z', (d: string) => d === '2026-12-25', false],
  ])('%s', (_name, iso, isHoliday, expected) => {
    expect(isDepartmentAtWork(at(iso), DEFAULT_DEPARTMENT_HOURS, isHoliday)).toBe(expected);
  });
});

describe('proposeTransferTargets', () => {
  const official = (id: string, name: string, departmentId = 'D1', isActive = true): DirectoryOfficial => ({ id, name, title: null, departmentId, extension: `2${id}`, isActive });
  const officials = [
    official('101', '가주무'),
    official('102', '나백업'),
    official('103', '다백업'),
    official('104', '라동료'),
    official('105', '마동료'),
    official('106', '바퇴직', 'D1', false),
    official('201', '사타부서', 'D2'),
  ];
  const categories = [
    { id: 'field', parentId: null, departmentId: null },
    { id: 'task', parentId: 'field', departmentId: 'D1' },
    { id: 'detail', parentId: 'task', departmentId: 'D1' },
    { id: 'lonely', parentId: 'field', departmentId: 'D1' },
  ];
  const index = buildDirectoryIndex({
    duties: [{ id: 'duty', code: 'W-01', name: '자동차세', departmentId: 'D1', categoryIds: ['task'], officialIds: ['101', '102', '106', '103'] }],
    officials,
    categories,
  });
  const propose = (categoryId: string, states: Record<string, PresenceState> = {}, atWork = true) =>
    proposeTransferTargets(index, categoryId, {
      now: NOW,
      facts: (id) => (states[id] ? { declared: declared(states[id], EARLIER_TODAY, '2026-12-31'), onCallByPhone: false } : undefined),
      isAtWork: () => atWork,
    });
  const ids = (list: { officialId: string }[]) => list.map((c) => c.officialId);

  it.each<[string, Record<string, PresenceState>, string | null, string[], string[]]>([
    ['everyone at work: the 주 담당자', {}, '101', ['102', '103'], ['104', '105']],
    ['the 주 담당자 in a meeting: the first backup', { '101': 'in_meeting' }, '102', ['101', '103'], ['104', '105']],
    ['the first two away: the third on the list', { '101': 'away', '102': 'on_leave' }, '103', ['101', '102'], ['104', '105']],
    ['nobody on the duty list reachable: nobody proposed', { '101': 'away', '102': 'on_call', '103': 'off_duty' }, null, ['101', '102', '103'], ['104', '105']],
    ['colleagues who are not reachable are left out', { '104': 'in_meeting' }, '101', ['102', '103'], ['105']],
  ])('%s', (_name, states, proposed, backups, others) => {
    const p = propose('task', states);
    expect(p.proposed?.officialId ?? null).toBe(proposed);
    expect(ids(p.backups)).toEqual(backups);
    expect(ids(p.othersInDepartment)).toEqual(others);
  });

  it('keeps the ranks of the duty list (an inactive official leaves a gap, not a shift)', () => {
    const p = propose('task');
    expect(p.proposed?.rank).toBe(1);
    expect(p.backups.map((b) => b.rank)).toEqual([2, 4]);
    expect(p.backups[0]?.presence.reachable).toBe(true);
  });

  it('a detail (세부) falls back to its task’s duty', () => {
    const p = propose('detail');
    expect(p.duty?.code).toBe('W-01');
    expect(p.proposed?.officialId).toBe('101');
  });

  it('a category without a duty proposes nobody but lists its department, and everyone needs a reason', () => {
    const p = propose('lonely');
    expect(p).toMatchObject({ duty: null, departmentId: 'D1', proposed: null, backups: [] });
    expect(ids(p.othersInDepartment)).toEqual(['101', '102', '103', '104', '105']);
    expect(p.needsReason('101')).toBe(true);
  });

  it('needs a reason only for someone off the duty list', () => {
    const p = propose('task');
    expect(['101', '102', '103', '104', '201'].map(p.needsReason)).toEqual([false, false, false, true, true]);
  });

  it('after the department’s hours nobody is reachable', () => {
    const p = propose('task', {}, false);
    expect(p.proposed).toBeNull();
    expect(p.backups.every((b) => b.presence.state === 'off_duty')).toBe(true);
    expect(p.othersInDepartment).toEqual([]);
  });

  it('asks each department’s hours once per proposal', () => {
    let calls = 0;
    proposeTransferTargets(index, 'task', { now: NOW, facts: () => undefined, isAtWork: () => (calls++, true) });
    expect(calls).toBe(1);
  });

  it('an unknown category proposes nobody', () => {
    expect(propose('nope')).toMatchObject({ duty: null, departmentId: null, proposed: null, backups: [], othersInDepartment: [] });
  });

  it('lists the officials whose presence a proposal needs', () => {
    expect(candidateIdsFor(index, 'detail').sort()).toEqual(['101', '102', '103', '104', '105', '106']);
  });

  it('a category on two duties keeps the first duty', () => {
    const twice = buildDirectoryIndex({
      duties: [
        { id: 'a', code: 'A', name: 'A', departmentId: 'D1', categoryIds: ['task'], officialIds: ['101'] },
        { id: 'b', code: 'B', name: 'B', departmentId: 'D1', categoryIds: ['task'], officialIds: ['102'] },
      ],
      officials,
      categories,
    });
    expect(proposeTransferTargets(twice, 'task', { now: NOW, facts: () => undefined, isAtWork: () => true }).duty?.code).toBe('A');
  });
});
