import { describe, expect, it } from 'vitest';
import {
  breakerAfterFailure,
  breakerDecision,
  breakerView,
  buildLookupRequest,
  checkLookupDefinition,
  closedBreaker,
  mapLookupAnswer,
  maskIdentifier,
  parseJsonPath,
} from './connectors';

const base = {
  identifierPattern: '\\d{4}',
  urlTemplate: 'https://tax.example/api/{identifier}',
  method: 'GET' as const,
  requestTemplate: null,
  authKind: 'none' as const,
  authName: null,
  resultPath: '',
  notFoundPath: '',
  fields: [{ label: '금액', path: 'amount' }],
};

describe('parseJsonPath', () => {
  it('reads dots and indexes and refuses anything else', () => {
    expect(parseJsonPath('')).toEqual([]);
    expect(parseJsonPath('data.items[0].amount')).toEqual(['data', 'items', 0, 'amount']);
    expect(parseJsonPath('[1]')).toEqual([1]);
    for (const bad of ['a..b', 'a.', '.a', 'a[x]', 'a[0', 'a]']) expect(parseJsonPath(bad), bad).toBeUndefined();
  });
});

describe('checkLookupDefinition', () => {
  it('accepts a good definition and names each problem of a bad one', () => {
    expect(checkLookupDefinition(base)).toEqual([]);
    expect(
      checkLookupDefinition({
        ...base,
        urlTemplate: 'https://x/{id}/{identifier}',
      }).map((p) => p.field),
    ).toEqual(['urlTemplate']);
    expect(
      checkLookupDefinition({
        ...base,
        urlTemplate: 'https://u:p@x/{identifier}',
      })[0]!.message,
    ).toContain('계정 정보');
    expect(
      checkLookupDefinition({
        ...base,
        method: 'POST',
        urlTemplate: 'https://x/p',
        requestTemplate: '{"no":"{identifier}"}',
      }),
    ).toEqual([]);
    expect(checkLookupDefinition({ ...base, requestTemplate: '{}' }).map((p) => p.field)).toEqual(['requestTemplate']);
    expect(
      checkLookupDefinition({
        ...base,
        authKind: 'basic',
        authName: 'a:b',
      }).map((p) => p.field),
    ).toEqual(['authName']);
    expect(
      checkLookupDefinition({
        ...base,
        fields: [{ label: 'x', path: '' }],
      }).map((p) => p.field),
    ).toEqual(['fields.0.path']);
  });
});

describe('buildLookupRequest', () => {
  it('URL-encodes the identifier and keeps it inside its JSON string', () => {
    expect(buildLookupRequest(base, '12가3456').url).toBe('https://tax.example/api/12%EA%B0%803456');
    const post = buildLookupRequest(
      {
        method: 'POST',
        urlTemplate: 'https://x/p',
        requestTemplate: '{"q":{"no":"{identifier}"},"n":1}',
      },
      'a","x":"b',
    );
    expect(JSON.parse(post.body!)).toEqual({ q: { no: 'a","x":"b' }, n: 1 });
  });
});

describe('mapLookupAnswer', () => {
  const d = {
    resultPath: 'data.items',
    notFoundPath: 'notFound',
    fields: [
      { label: '금액', path: 'amount', format: 'won' as const },
      { label: '납기', path: 'due', format: 'date' as const },
    ],
  };
  it('maps a list to rows, formats won and dates, and marks missing values', () => {
    expect(
      mapLookupAnswer(d, {
        data: {
          items: [{ amount: 145600, due: '2026-12-31' }, { amount: '0' }],
        },
      }),
    ).toEqual({
      found: true,
      rows: [
        [
          { label: '금액', value: '145,600원' },
          { label: '납기', value: '2026. 12. 31.' },
        ],
        [
          { label: '금액', value: '0원' },
          { label: '납기', value: '—' },
        ],
      ],
    });
  });
  it('says not found, and refuses an answer the mapping does not fit', () => {
    expect(mapLookupAnswer(d, { notFound: true })).toEqual({
      found: false,
      rows: [],
    });
    expect(mapLookupAnswer(d, { data: { items: [] } })).toEqual({
      found: false,
      rows: [],
    });
    expect(mapLookupAnswer(d, { data: { items: [1, 2] } })).toHaveProperty('error');
    expect(mapLookupAnswer(d, { data: { items: [{ other: 1 }] } })).toHaveProperty('error');
    expect(mapLookupAnswer({ ...d, resultPath: '' }, null)).toHaveProperty('error');
  });
  it('never reads inherited properties', () => {
    expect(
      mapLookupAnswer(
        {
          resultPath: '',
          notFoundPath: '',
          fields: [
            { label: 'p', path: 'constructor' },
            { label: 'a', path: 'a' },
          ],
        },
        { a: 1 },
      ),
    ).toEqual({
      found: true,
      rows: [
        [
          { label: 'p', value: '—' },
          { label: 'a', value: '1' },
        ],
      ],
    });
  });
});

describe('maskIdentifier', () => {
  it('keeps the first two and last two characters and the dashes', () => {
    expect(maskIdentifier('11-000123')).toBe('11-****23');
    expect(maskIdentifier('12가3456')).toBe('12***56');
    expect(maskIdentifier('1234')).toBe('****');
  });
});

describe('circuit breaker', () => {
  const p = { failuresToOpen: 3, coolDownMs: 30_000 };
  it('opens after N failures in a row, refuses during the cool-down, then allows one trial', () => {
    let s = closedBreaker();
    s = breakerAfterFailure(s, 0, p, 'x');
    s = breakerAfterFailure(s, 1, p, 'x');
    expect(breakerDecision(s, 2, p)).toBe('run');
    s = breakerAfterFailure(s, 2, p, 'HTTP 503');
    expect(breakerDecision(s, 3, p)).toBe('refuse');
    expect(breakerView(s, 3, p)).toEqual({ state: 'down', retryAtMs: 30_002 });
    expect(breakerDecision(s, 30_002, p)).toBe('trial');
    expect(breakerView(s, 30_002, p).state).toBe('half_open');
    expect(breakerDecision({ ...s, trialInFlight: true }, 30_002, p)).toBe('refuse');
    const failedTrial = breakerAfterFailure(s, 30_002, p, 'x');
    expect(breakerDecision(failedTrial, 30_003, p)).toBe('refuse');
  });
});
