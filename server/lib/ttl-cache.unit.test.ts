import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('expires entries after the ttl and evicts the least recently set beyond its size', () => {
    const cache = new TtlCache<number>(2, 1000);
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    expect(cache.get('a', 999)).toBe(1);
    expect(cache.get('a', 1000)).toBeUndefined();
    cache.set('c', 3, 0);
    cache.set('d', 4, 0);
    expect(cache.get('b', 10)).toBeUndefined();
    expect(cache.get('d', 10)).toBe(4);
    cache.delete('d');
    expect(cache.get('d', 10)).toBeUndefined();
  });
});
