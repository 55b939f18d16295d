import { describe, expect, it } from 'vitest';
import { sortByUrgency } from './handoff-order';

const item = (id: string, status: 'pending' | 'acknowledged' | 'answered', dueAt: string, answeredAt: string | null = null) => ({
  id,
  status,
  dueAt,
  answeredAt,
  receivedAt: '2026-11-20T00:00:00Z',
});

describe('sortByUrgency', () => {
  it('puts open hand-offs first by deadline, then answered ones newest first', () => {
    const sorted = sortByUrgency([
      item('answered-old', 'answered', '2026-11-21T00:00:00Z', '2026-11-21T00:00:00Z'),
      item('due-later', 'pending', '2026-12-01T00:00:00Z'),
      item('answered-new', 'answered', '2026-11-22T00:00:00Z', '2026-11-25T00:00:00Z'),
      item('overdue', 'acknowledged', '2026-11-24T00:00:00Z'),
    ]);
    expect(sorted.map((i) => i.id)).toEqual(['overdue', 'due-later', 'answered-new', 'answered-old']);
  });
});
