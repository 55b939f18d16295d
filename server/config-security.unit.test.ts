import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('access-control settings (issue 3 layer 3)', () => {
  it('defaults: 2FA for supervisors and admins, 30 idle minutes, loopback and private ranges for admin functions', () => {
    const config = loadConfig({});
    expect(config.totpRequiredFor).toBe('privileged');
    expect(config.idleTimeoutMs).toBe(30 * 60_000);
    expect(config.adminAllowedIps).toEqual(['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']);
  });

  it('reads TOTP_REQUIRED_FOR, IDLE_TIMEOUT_MINUTES and a comma-separated ADMIN_ALLOWED_IPS', () => {
    const config = loadConfig({ TOTP_REQUIRED_FOR: 'all', IDLE_TIMEOUT_MINUTES: '15', ADMIN_ALLOWED_IPS: ' 203.0.113.0/24 ,, 2001:db8::1 ' });
    expect(config.totpRequiredFor).toBe('all');
    expect(config.idleTimeoutMs).toBe(15 * 60_000);
    expect(config.adminAllowedIps).toEqual(['203.0.113.0/24', '2001:db8::1']);
  });

  it('refuses values it cannot use', () => {
    expect(() => loadConfig({ TOTP_REQUIRED_FOR: 'nobody' })).toThrow('TOTP_REQUIRED_FOR');
    expect(() => loadConfig({ IDLE_TIMEOUT_MINUTES: '0' })).toThrow('IDLE_TIMEOUT_MINUTES');
  });
});

describe('where the server listens (#18 item 16)', () => {
  it('on loopback while demo data carries the shared demo password, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
  it('on every interface once the demo password is changed, demo data is off, or in production', () => {
    expect(loadConfig({ DEMO_PASSWORD: 'a-city-secret-1' }).host).toBe('0.0.0.0');
    expect(loadConfig({ SEED_DEMO: 'false' }).host).toBe('0.0.0.0');
  });
});
