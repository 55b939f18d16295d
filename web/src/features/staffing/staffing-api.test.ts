import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { STAFFING_PARAM_DEFAULTS, apiQuery, invalidFields, paramsFromSearch } from './staffing-api';

describe('인력 산정 inputs in the URL', () => {
  it("reads what the URL says and defaults the rest (80/20, 30% shrinkage, 4 weeks, the seed centre's 12 agents)", () => {
    expect(paramsFromSearch(new URLSearchParams(''))).toEqual(STAFFING_PARAM_DEFAULTS);
    expect(paramsFromSearch(new URLSearchParams('agents=30&targetSl=90&day=3&date=2026-11-30'))).toEqual({
      ...STAFFING_PARAM_DEFAULTS,
      agents: '30',
      targetSl: '90',
      date: '2026-11-30',
    });
  });

  it('asks the API with every non-empty input, leaving the date to the server (today, KST) when empty', () => {
    expect(apiQuery(STAFFING_PARAM_DEFAULTS)).toBe('weeks=4&targetSl=80&targetSeconds=20&shrinkage=30&agents=12');
    expect(apiQuery(paramsFromSearch(new URLSearchParams('date=2026-11-30&agents=%2030%20')))).toBe('date=2026-11-30&weeks=4&targetSl=80&targetSeconds=20&shrinkage=30&agents=30');
  });

  it('passes a bad value on as typed, so the server names it (400) rather than the page guessing', () => {
    expect(apiQuery(paramsFromSearch(new URLSearchParams('targetSl=100')))).toContain('targetSl=100');
  });

  it('marks the inputs a 400 names: zod fields or the service field (a future date)', () => {
    expect([...invalidFields(new ApiError(400, 'VALIDATION_FAILED', 'x', { issues: [], fields: ['targetSl', 'agents'] }))]).toEqual(['targetSl', 'agents']);
    expect([...invalidFields(new ApiError(400, 'VALIDATION_FAILED', 'x', { field: 'date', reason: 'future' }))]).toEqual(['date']);
    expect(invalidFields(new ApiError(403, 'FORBIDDEN', 'x')).size).toBe(0);
    expect(invalidFields(null).size).toBe(0);
  });
});
