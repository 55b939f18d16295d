import { describe, expect, it } from 'vitest';
import { throttleAddressOf } from './sign-in-throttle';

describe('throttleAddressOf', () => {
  it.each([
    ['203.0.113.5', '203.0.113.5'],
    ['::ffff:192.168.1.5', '192.168.1.5'],
    ['2001:db8:5:6::1', '2001:db8:5:6::/64'],
    ['2001:0db8:0005:0006:abcd:ef01:2345:6789', '2001:db8:5:6::/64'],
    ['::1', '::/64'],
    ['fe80::1', 'fe80::/64'],
    ['', 'unknown'],
    [null, 'unknown'],
    ['not-an-ip', 'unknown'],
  ])('%s → %s', (ip, expected) => {
    expect(throttleAddressOf(ip)).toBe(expected);
  });
});
