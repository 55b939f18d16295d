import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId (UUIDv7)', () => {
  it('is a version-7, RFC-variant UUID carrying the millisecond timestamp', () => {
    const at = Date.parse('2026-11-27T01:00:00.000Z');
    const id = newId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(at);
  });

  it('is strictly increasing, also within one millisecond and past the 12-bit counter', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => newId(1_795_000_000_000 + Math.floor(i / 5000)));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('never goes back when the clock does', () => {
    const a = newId(1_800_000_000_000);
    const b = newId(1_799_999_999_000);
    expect(b > a).toBe(true);
  });
});
