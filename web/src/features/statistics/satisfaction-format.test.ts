import { describe, expect, it } from 'vitest';
import { csatText, satisfactionCells, shareWithInterval, surveyQueryOf } from './satisfaction-format';

describe('satisfaction figures in the statistics screens (issue #15 §3)', () => {
  it('asks the surveys results for the same KST days as the statistics period', () => {
    expect(surveyQueryOf({ fromDay: '2026-11-01', toDay: '2026-11-30' })).toEqual({ from: '2026-11-01', to: '2026-11-30', groupBy: 'department' });
    expect(surveyQueryOf({ fromDay: '2026-11-27', toDay: '2026-11-27' })).toEqual({ from: '2026-11-27', to: '2026-11-27', groupBy: 'department' });
  });

  it('writes a share with its 95% interval, and a dash when nobody answered', () => {
    expect(shareWithInterval({ share: 0.82, low: 0.7412, high: 0.8823, n: 100 })).toBe('82.0% (74.1–88.2%)');
    expect(shareWithInterval({ share: 1, low: 0.2066, high: 1, n: 1 })).toBe('100.0% (20.7–100.0%)');
    expect(shareWithInterval({ share: null, low: null, high: null, n: 0 })).toBe('–');
    expect(shareWithInterval({ share: 0.5, low: null, high: null, n: 2 })).toBe('50.0%');
  });

  it('writes the mean CSAT with two decimals and the response rate with answered/sent', () => {
    expect(csatText(4.5)).toBe('4.50');
    expect(csatText(null)).toBe('–');
    const cells = satisfactionCells({
      key: 'total',
      label: '전체',
      invited: 1200,
      answered: 300,
      responseRate: 0.25,
      csatMean: 4.12,
      satisfied: { share: 0.8, low: 0.7516, high: 0.8412, n: 300 },
      resolved: { share: null, low: null, high: null, n: 0 },
      nps: 10,
    });
    expect(cells).toEqual({ responseRate: '25.0%', answered: '300/1,200', csat: '4.12', satisfied: '80.0% (75.2–84.1%)', resolved: '–' });
  });
});
