import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook.adapter';

const SECRET = 'unit-secret-0123456789abcdef';
const NOW = Date.parse('2026-11-27T01:00:00Z');
const TS = String(NOW / 1000);
const BODY = '{"eventId":"e1"}';

const codeOf = (f: () => void): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code?: string }).code ?? 'thrown';
  }
};

describe('webhook signature', () => {
  it('is v1= hex HMAC-SHA256 over "<timestamp>.<body>" (a known vector)', () => {
    // printf '%s' '1796000000.{"a":1}' | openssl dgst -sha256 -hmac key
    expect(signWebhook('key', '1796000000', '{"a":1}')).toBe('v1=b1194e4cade88dbd9a4a2406d21baa24fcc01fb31b5a88730c6a1ada8dc89fa4');
    expect(signWebhook(SECRET, TS, BODY)).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('accepts a fresh, correct signature', () => {
    expect(codeOf(() => verifyWebhook(SECRET, TS, signWebhook(SECRET, TS, BODY), BODY, NOW + 299_000))).toBeNull();
  });

  it.each([
    ['missing timestamp', undefined, 'sig', BODY, NOW, 'WEBHOOK_SIGNATURE_INVALID'],
    ['missing signature', TS, undefined, BODY, NOW, 'WEBHOOK_SIGNATURE_INVALID'],
    ['non-numeric timestamp', 'yesterday', 'v1=00', BODY, NOW, 'WEBHOOK_SIGNATURE_INVALID'],
    ['body changed after signing', TS, signWebhook(SECRET, TS, BODY), BODY + ' ', NOW, 'WEBHOOK_SIGNATURE_INVALID'],
    ['timestamp changed after signing', String(NOW / 1000 + 1), signWebhook(SECRET, TS, BODY), BODY, NOW, 'WEBHOOK_SIGNATURE_INVALID'],
    ['older than 5 minutes', TS, signWebhook(SECRET, TS, BODY), BODY, NOW + 301_000, 'WEBHOOK_STALE'],
    ['more than 5 minutes ahead', TS, signWebhook(SECRET, TS, BODY), BODY, NOW - 301_000, 'WEBHOOK_STALE'],
  ])('refuses %s', (_name, ts, sig, body, now, code) => {
    expect(codeOf(() => verifyWebhook(SECRET, ts, sig, body, now))).toBe(code);
  });
});
