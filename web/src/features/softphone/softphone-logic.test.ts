import { describe, expect, it } from 'vitest';
import { fill, softphoneEn, softphoneKo, softphoneText } from './softphone-i18n';
import { mediaProblem, registrationView, renewDelayMs, retryDelayMs, SoftphoneCredentialsSchema, targetUri } from './softphone-logic';

describe('registrationView (등록됨 / 연결 중 / 연결 끊김)', () => {
  it.each([
    [{ transport: 'connected', registered: true, gaveUp: false }, 'registered'],
    [{ transport: 'connected', registered: false, gaveUp: false }, 'connecting'],
    [{ transport: 'connecting', registered: false, gaveUp: false }, 'connecting'],
    [{ transport: 'disconnected', registered: false, gaveUp: false }, 'disconnected'],
    [{ transport: 'connected', registered: false, gaveUp: true }, 'disconnected'],
    [{ transport: 'connected', registered: true, gaveUp: true }, 'registered'],
  ] as const)('%o → %s', (input, view) => expect(registrationView(input)).toBe(view));
});

describe('mediaProblem: getUserMedia failures in words the agent can act on', () => {
  const err = (name: string) => Object.assign(new Error(name), { name });
  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'noDevice'],
    ['OverconstrainedError', 'noDevice'],
    ['NotReadableError', 'inUse'],
    ['AbortError', 'inUse'],
    ['NoMediaDevices', 'insecure'],
    ['TypeError', 'other'],
  ])('%s → %s', (name, problem) => expect(mediaProblem(err(name))).toBe(problem));
  it('anything else is other', () => {
    expect(mediaProblem('boom')).toBe('other');
    expect(mediaProblem(null)).toBe('other');
  });
  it('each problem has a Korean and an English message', () => {
    for (const p of ['denied', 'noDevice', 'inUse', 'insecure', 'other'] as const) {
      expect(softphoneKo.media[p]).toMatch(/[가-힣]/);
      expect(softphoneEn.media[p]).not.toMatch(/[가-힣]/);
    }
    expect(softphoneKo.media.denied).toContain('권한');
    expect(softphoneKo.media.inUse).toContain('다른 프로그램');
  });
});

describe('renewDelayMs', () => {
  const now = Date.parse('2026-12-05T22:00:00Z');
  it('at 80 % of a 12 h credential', () => {
    expect(renewDelayMs('2026-12-06T10:00:00Z', now)).toBe(34_560_000);
  });
  it('a minute before a short one expires (or 80 %, if sooner)', () => {
    expect(renewDelayMs('2026-12-05T22:02:00Z', now)).toBe(60_000);
    expect(renewDelayMs('2026-12-05T22:10:00Z', now)).toBe(480_000);
  });
  it('never sooner than 5 s (expired or unreadable)', () => {
    expect(renewDelayMs('2026-12-05T21:00:00Z', now)).toBe(5_000);
    expect(renewDelayMs('not a date', now)).toBe(5_000);
  });
});

describe('retryDelayMs', () => {
  it('2, 4, 8, 16, then 30 s', () => expect([1, 2, 3, 4, 5, 9].map(retryDelayMs)).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000]));
});

describe('targetUri', () => {
  it('an extension or a department number on the SIP domain', () => {
    expect(targetUri('2301', 'onecall.local')).toBe('sip:2301@onecall.local');
    expect(targetUri(' 02-120-3 ', 'onecall.local')).toBe('sip:02-120-3@onecall.local');
    expect(targetUri('a b;c', 'd')).toBe('sip:abc@d');
  });
  it('a SIP address stays as given', () => expect(targetUri('sip:official01@onecall.local', 'x')).toBe('sip:official01@onecall.local'));
});

describe('credentials contract', () => {
  it('reads the route service answer (iceServers defaults to none)', () => {
    const c = SoftphoneCredentialsSchema.parse({
      wsUrl: 'ws://127.0.0.1:5066',
      sipDomain: 'onecall.local',
      aor: 'sip:agent07@onecall.local',
      authorizationUsername: '1796043200:agent07',
      password: 'x',
      expiresAt: '2026-12-06T10:40:00.000Z',
    });
    expect(c.iceServers).toEqual([]);
    expect(() => SoftphoneCredentialsSchema.parse({ ...c, aor: 'agent07' })).toThrow();
  });
});

describe('strings', () => {
  it('in the desk language, placeholders filled', () => {
    expect(softphoneText('ko').registration).toEqual({
      connecting: '연결 중',
      registered: '등록됨',
      disconnected: '연결 끊김',
    });
    expect(softphoneText('en-US').registration.registered).toBe('Registered');
    expect(fill(softphoneKo.retryIn, { seconds: 4 })).toBe('4초 뒤 다시 연결');
    expect(fill('{{a}} {{b}}', { a: 1 })).toBe('1 {{b}}');
  });
});
