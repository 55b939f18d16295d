import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { allowedHandOffActions, transitionHandOff } from './handoff-lifecycle';
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
