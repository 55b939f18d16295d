import { describe, expect, it } from 'vitest';
import { trunkTarget } from './callback-dial';

describe('trunkTarget: the callback number at the carrier trunk', () => {
  it('puts the number in national digits as the user part, keeping the port and parameters', () => {
    expect(trunkTarget('sip:gw.carrier.example:5060', '+821055501234')).toBe('sip:01055501234@gw.carrier.example:5060');
    expect(trunkTarget('sip:10.0.0.5;transport=tcp', '031-123-4567')).toBe('sip:0311234567@10.0.0.5;transport=tcp');
    expect(trunkTarget('sips:trunk.example', '02-1234-5678')).toBe('sips:0212345678@trunk.example');
  });

  it('refuses what is not a phone number (nothing is dialled)', () => {
    expect(trunkTarget('sip:gw.carrier.example', 'anonymous')).toBeNull();
    expect(trunkTarget('sip:gw.carrier.example', '12')).toBeNull();
    expect(trunkTarget('sip:gw.carrier.example', '01055501234@evil.example')).toBeNull();
  });
});
