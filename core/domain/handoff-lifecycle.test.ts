import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { allowedHandOffActions, assertExtensionAllowed, assertHandOffOpenFor, endOfWorkingDay, latestExtendedDueAt, transitionHandOff } from './handoff-lifecycle';
import { allowedCaseActions, initialCaseStatus, transitionCase } from './case-lifecycle';

describe('hand-off lifecycle', () => {
  it.each([
    ['pending', 'acknowledge', 'acknowledged'],
    ['acknowledged', 'start', 'in_progress'],
    ['acknowledged', 'answer', 'answered'],
    ['in_progress', 'answer', 'answered'],
    ['answered', 'close', 'closed'],
    ['pending', 'return', 'returned'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(transitionHandOff(from, action)).toBe(to);
  });

  it.each([
    ['pending', 'answer'],
    ['answered', 'acknowledge'],
    ['closed', 'return'],
    ['returned', 'acknowledge'],
  ] as const)('refuses %s --%s-->', (from, action) => {
    expect(() => transitionHandOff(from, action)).toThrowError(AppError);
    try {
      transitionHandOff(from, action);
    } catch (e) {
      expect((e as AppError).code).toBe('INVALID_TRANSITION');
    }
  });

  it('lists the allowed actions for the UI', () => {
    expect(allowedHandOffActions('pending')).toEqual(['acknowledge', 'return']);
    expect(allowedHandOffActions('acknowledged')).toEqual(['start', 'answer', 'return']);
    expect(allowedHandOffActions('closed')).toEqual([]);
  });
});

describe('case lifecycle', () => {
  it('closes resolved cases at once and keeps hand-offs open', () => {
    expect(initialCaseStatus('resolved')).toBe('closed');
    expect(initialCaseStatus('handed_off')).toBe('open');
    expect(initialCaseStatus('transferred')).toBe('closed'); // 3자통화: the official answered on the call
    expect(transitionCase('open', 'close')).toBe('closed');
    expect(() => transitionCase('closed', 'close')).toThrowError(AppError);
    expect(allowedCaseActions('closed')).toEqual(['reopen']);
  });
});

describe('hand-off return, re-route and extension (issue #11 §3)', () => {
  const HOLIDAYS = new Set(['2026-05-25', '2026-06-03', '2026-06-06']);
  const isHoliday = (d: string) => HOLIDAYS.has(d);
  const kst = (s: string) => new Date(`${s}+09:00`);
  const rule7 = { unit: 'days', amount: 7, basis: '질의민원 7일' } as const;
  const base = { status: 'acknowledged', dueAt: kst('2026-05-27T18:00'), extendedAt: null, rule: rule7, now: kst('2026-05-26T10:00'), isHoliday } as const;
  const codeOf = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return [(e as AppError).code, ((e as AppError).details as { reason?: string } | undefined)?.reason];
    }
    return ['ok'];
  };

  it('returned → reroute → pending; a returned hand-off cannot be returned again', () => {
    expect(transitionHandOff('returned', 'reroute')).toBe('pending');
    expect(codeOf(() => transitionHandOff('returned', 'return'))).toEqual(['INVALID_TRANSITION', undefined]);
    expect(codeOf(() => transitionHandOff('pending', 'reroute'))).toEqual(['INVALID_TRANSITION', undefined]);
    expect(allowedHandOffActions('returned')).toEqual(['reroute']);
  });

  it('allows one extension by up to the original period again (7 working days after the due day, 06-03 선거일 and 06-06 skipped)', () => {
    expect(latestExtendedDueAt(base.dueAt, rule7, isHoliday)).toEqual(kst('2026-06-08T18:00'));
    expect(latestExtendedDueAt(kst('2026-03-04T10:30'), { unit: 'hours', amount: 3, basis: '즉시' }, isHoliday)).toEqual(kst('2026-03-04T14:30'));
  });

  it.each([
    ['the last day allowed', { newDueAt: endOfWorkingDay('2026-06-08') }, ['ok']],
    ['one day too far', { newDueAt: endOfWorkingDay('2026-06-09') }, ['HANDOFF_EXTENSION_INVALID', 'beyond_limit']],
    ['a 선거일', { newDueAt: endOfWorkingDay('2026-06-03') }, ['HANDOFF_EXTENSION_INVALID', 'not_working_day']],
    ['not later than now due', { newDueAt: kst('2026-05-27T17:00') }, ['HANDOFF_EXTENSION_INVALID', 'not_later']],
    ['after the due time passed', { now: kst('2026-05-27T18:01'), newDueAt: endOfWorkingDay('2026-06-01') }, ['HANDOFF_EXTENSION_INVALID', 'past_due']],
    ['a second extension', { extendedAt: kst('2026-05-20T10:00'), newDueAt: endOfWorkingDay('2026-06-01') }, ['HANDOFF_EXTENSION_USED', undefined]],
    ['a returned hand-off', { status: 'returned', newDueAt: endOfWorkingDay('2026-06-01') }, ['INVALID_TRANSITION', undefined]],
  ] as const)('%s', (_name, over, expected) => {
    expect(codeOf(() => assertExtensionAllowed({ ...base, ...over }))).toEqual(expected);
  });

  it('delegation only while open in the department', () => {
    expect(() => assertHandOffOpenFor('in_progress', 'delegate')).not.toThrow();
    expect(codeOf(() => assertHandOffOpenFor('answered', 'delegate'))).toEqual(['INVALID_TRANSITION', undefined]);
  });
});
