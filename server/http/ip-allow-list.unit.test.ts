import { describe, expect, it } from 'vitest';
import { isAdminOnly } from './access';
import { parseIpAllowList } from './ip-allow-list';

describe('parseIpAllowList', () => {
  const list = parseIpAllowList(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::1', '::ffff:198.51.100.0/120']);

  it.each([
    ['10.255.1.1', true],
    ['11.0.0.1', false],
    ['192.0.2.7', true],
    ['192.0.2.8', false],
    ['2001:db8:1::5', true],
    ['2001:db9::1', false],
    ['::1', true],
    ['::ffff:10.1.1.1', true],
    ['198.51.100.20', true],
    ['198.51.101.20', false],
    ['not-an-ip', false],
    ['', false],
  ])('%s → %s', (ip, allowed) => {
    expect(list.allows(ip)).toBe(allowed);
  });

  it('refuses a malformed entry, naming it', () => {
    expect(() => parseIpAllowList(['10.0.0.0/8', '10.0.0/33'])).toThrow('"10.0.0/33"');
    expect(() => parseIpAllowList(['localhost'])).toThrow('"localhost"');
  });

  it('an empty list allows nobody', () => {
    expect(parseIpAllowList([]).allows('127.0.0.1')).toBe(false);
  });
});

describe('isAdminOnly: which routes the allow-list guards', () => {
  it.each([
    [['admin'] as const, true],
    [['supervisor', 'admin'] as const, false],
    ['signed-in' as const, false],
    ['public' as const, false],
    [[] as const, false],
  ])('%j → %s', (access, guarded) => {
    expect(isAdminOnly(access)).toBe(guarded);
  });
});
