import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION } from '../../../core/domain/routing';
import { Queues } from './queues';
import { contactFixture } from './rooms.fixtures';

const q = (id: string, code: string, over: Partial<{ is_active: number; priority: number }> = {}) => ({ id, code, name: code, skill: null, strategy: 'longest_idle' as const, escalation: null, priority: 0, is_active: 1, ...over });

describe('Queues (the queues and the one line across them)', () => {
  it('routes a dialled number and IVR choice to its queue, the default without a choice, never to an inactive queue', () => {
    const queues = new Queues(DEFAULT_ESCALATION);
    queues.configure([q('tax', 'TAX'), q('civil', 'CIVIL'), q('old', 'OLD', { is_active: 0 })], [
      { dialled_number: '120', ivr_choice: '1', queue_id: 'tax' },
      { dialled_number: '120', ivr_choice: '', queue_id: 'civil' },
      { dialled_number: '121', ivr_choice: '', queue_id: 'old' },
    ]);
    expect(queues.routeOf('120', '1')?.id).toBe('tax');
    expect(queues.routeOf('120', null)?.id).toBe('civil');
    expect(queues.routeOf('121', null)).toBeUndefined();
    expect(queues.active().map((x) => x.id)).toEqual(['tax', 'civil']);
  });

  it('keeps the line indexed: enter, leave from the middle, positions and line order (priority, then place)', () => {
    const queues = new Queues(DEFAULT_ESCALATION);
    const a = contactFixture({ id: 'a', enteredAt: 1, virtualStartAt: 1 });
    const b = contactFixture({ id: 'b', enteredAt: 2, virtualStartAt: 2 });
    const c = contactFixture({ id: 'c', enteredAt: 3, virtualStartAt: 3, priority: 5 });
    // A callback keeps its caller's place (virtual start before a and b).
    const cb = contactFixture({ id: 'cb', kind: 'callback', enteredAt: 4, virtualStartAt: 0 });
    for (const x of [a, b, c, cb]) queues.enter(x);
    queues.enter(a); // entering again keeps one place
    expect(queues.line).toHaveLength(4);
    expect(queues.ordered().map((w) => w.id)).toEqual(['c', 'cb', 'a', 'b']);
    expect(queues.positionOf(b)).toBe(4);
    queues.leave(a);
    expect(a.waiting).toBeNull();
    expect(queues.positionOf(a)).toBeNull();
    expect(queues.line.map((w) => w.id).sort()).toEqual(['b', 'c', 'cb']);
    queues.leave(cb);
    queues.leave(cb);
    expect(queues.positionOf(b)).toBe(2);
  });

  it('keeps the available agents indexed (adding twice and removing one not there change nothing)', () => {
    const queues = new Queues(DEFAULT_ESCALATION);
    const agent = (id: string) => ({ id, status: 'available' as const, skills: {}, idleSince: 0 });
    queues.addAvailable(agent('x'));
    queues.addAvailable(agent('y'));
    queues.addAvailable(agent('x'));
    queues.removeAvailable('nobody');
    expect(queues.available.map((r) => r.id)).toEqual(['x', 'y']);
    queues.removeAvailable('x');
    queues.addAvailable(agent('z'));
    expect(queues.available.map((r) => r.id)).toEqual(['y', 'z']);
    queues.clear();
    expect(queues.available).toHaveLength(0);
  });
});
