/**
 * Department look-ups (issue #16 §2), the pure part: checking an admin's definition (dry parse), validating the
 * identifier, building the request, mapping the answer to labelled fields, masking the identifier for the access
 * record, and the circuit breaker's transitions. No I/O, no clock: time comes in as milliseconds.
 */

export type DefinitionProblem = { field: string; message: string };

type DefinitionLike = {
  identifierPattern: string;
  urlTemplate: string;
  method: 'GET' | 'POST';
  requestTemplate: string | null;
  authKind: 'none' | 'api_key' | 'basic';
  authName: string | null;
  resultPath: string;
  notFoundPath: string;
  fields: readonly { label: string; path: string }[];
};

const PLACEHOLDER = '{identifier}';
const HEADER_NAME_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'content-type', 'cookie', 'connection', 'transfer-encoding']);

/** Parses a JSON path like `data.items[0].amount` (dots and [n]); undefined when it is not one. */
export function parseJsonPath(path: string): (string | number)[] | undefined {
  if (path === '') return [];
  const parts: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/y;
  let i = 0;
  let expectDot = false;
  while (i < path.length) {
    if (expectDot) {
      if (path[i] === '.') i++;
      else if (path[i] !== '[') return undefined;
    }
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return undefined;
    parts.push(m[1] !== undefined ? m[1] : Number(m[2]));
    i = re.lastIndex;
    expectDot = true;
  }
  return parts.length > 0 && !path.endsWith('.') ? parts : undefined;
}

/** The value at a parsed path, or undefined. Only own properties are read. */
export function readJsonPath(value: unknown, parts: readonly (string | number)[]): unknown {
  let at: unknown = value;
  for (const p of parts) {
    if (at === null || typeof at !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(at, p)) return undefined;
    at = (at as Record<string | number, unknown>)[p];
  }
  return at;
}

/** The regular expression of an identifier, anchored; undefined when the admin's pattern does not compile. */
export function identifierRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}

/** Every problem of a definition, each with the field it belongs to and a Korean reason (empty: it can be saved). */
export function checkLookupDefinition(d: DefinitionLike): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!identifierRegExp(d.identifierPattern))
    problems.push({
      field: 'identifierPattern',
      message: '식별번호 형식(정규식)이 올바르지 않습니다.',
    });
  const sample = d.urlTemplate.replaceAll(PLACEHOLDER, 'x');
  let url: URL | undefined;
  try {
    url = new URL(sample);
  } catch {
    problems.push({
      field: 'urlTemplate',
      message: '주소(URL)가 올바르지 않습니다.',
    });
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:')
    problems.push({
      field: 'urlTemplate',
      message: '주소는 http:// 또는 https:// 로 시작해야 합니다.',
    });
  if (url && (url.username || url.password))
    problems.push({
      field: 'urlTemplate',
      message: '주소에 계정 정보를 넣지 말고 인증 방식에서 설정하세요.',
    });
  if (/\{(?!identifier\})/.test(d.urlTemplate)) {
    problems.push({
      field: 'urlTemplate',
      message: '주소에는 {identifier} 외의 중괄호 자리표시를 쓸 수 없습니다.',
    });
  }
  const inUrl = d.urlTemplate.includes(PLACEHOLDER);
  const inBody = d.method === 'POST' && (d.requestTemplate ?? '').includes(PLACEHOLDER);
  if (!inUrl && !inBody)
    problems.push({
      field: 'urlTemplate',
      message: '주소 또는 요청 본문에 {identifier} 자리가 있어야 합니다.',
    });
  if (d.method === 'GET' && d.requestTemplate)
    problems.push({
      field: 'requestTemplate',
      message: 'GET 조회에는 요청 본문을 쓸 수 없습니다.',
    });
  if (d.method === 'POST' && d.requestTemplate) {
    try {
      JSON.parse(d.requestTemplate);
    } catch {
      problems.push({
        field: 'requestTemplate',
        message: '요청 본문이 올바른 JSON이 아닙니다.',
      });
    }
  }
  if (d.authKind !== 'none') {
    const name = d.authName ?? '';
    if (d.authKind === 'api_key' && (!HEADER_NAME_RE.test(name) || FORBIDDEN_HEADERS.has(name.toLowerCase()))) {
      problems.push({
        field: 'authName',
        message: 'API 키를 보낼 헤더 이름이 올바르지 않습니다.',
      });
    }
    if (d.authKind === 'basic' && (name === '' || name.includes(':')))
      problems.push({
        field: 'authName',
        message: '기본 인증의 사용자 이름이 올바르지 않습니다.',
      });
  }
  if (parseJsonPath(d.resultPath) === undefined)
    problems.push({
      field: 'resultPath',
      message: `결과 위치 '${d.resultPath}'를 해석할 수 없습니다.`,
    });
  if (parseJsonPath(d.notFoundPath) === undefined)
    problems.push({
      field: 'notFoundPath',
      message: `없음 표시 위치 '${d.notFoundPath}'를 해석할 수 없습니다.`,
    });
  const labels = new Set<string>();
  d.fields.forEach((f, i) => {
    const parts = parseJsonPath(f.path);
    if (!parts || parts.length === 0)
      problems.push({
        field: `fields.${i}.path`,
        message: `항목 '${f.label}'의 위치 '${f.path}'를 해석할 수 없습니다.`,
      });
    if (labels.has(f.label))
      problems.push({
        field: `fields.${i}.label`,
        message: `항목 이름 '${f.label}'이(가) 두 번 있습니다.`,
      });
    labels.add(f.label);
  });
  return problems;
}

/** The request of a look-up for a valid identifier: the URL (identifier URL-encoded) and the JSON body (POST). */
export function buildLookupRequest(
  d: Pick<DefinitionLike, 'urlTemplate' | 'method' | 'requestTemplate'>,
  identifier: string,
): { url: string; body: string | null } {
  const url = d.urlTemplate.replaceAll(PLACEHOLDER, encodeURIComponent(identifier));
  if (d.method !== 'POST' || !d.requestTemplate) return { url, body: null };
  // Replaced inside the parsed JSON's strings, so an identifier can never break out of its string.
  const fill = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replaceAll(PLACEHOLDER, identifier)
      : Array.isArray(v)
        ? v.map(fill)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
          : v;
  return { url, body: JSON.stringify(fill(JSON.parse(d.requestTemplate))) };
}

export type MappedRow = { label: string; value: string }[];
export type MappedResult = { found: boolean; rows: MappedRow[] } | { error: string };

type FieldFormat = 'text' | 'won' | 'date';

function formatValue(v: unknown, format: FieldFormat): string {
  if (v === undefined || v === null || v === '') return '—';
  if (format === 'won' && (typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v)))) return `${Number(v).toLocaleString('ko-KR')}원`;
  if (format === 'date' && typeof v === 'string' && /^\d{4}-?\d{2}-?\d{2}/.test(v)) {
    const digits = v.replaceAll('-', '');
    return `${digits.slice(0, 4)}. ${Number(digits.slice(4, 6))}. ${Number(digits.slice(6, 8))}.`;
  }
  if (typeof v === 'boolean') return v ? '예' : '아니요';
  if (typeof v === 'object') return JSON.stringify(v).slice(0, 200);
  return String(v).slice(0, 500);
}

const MAX_ROWS = 20;

/** Maps a parsed answer to labelled rows (a list at `resultPath` gives one row per record, at most 20). */
export function mapLookupAnswer(
  d: {
    resultPath: string;
    notFoundPath: string;
    fields: readonly { label: string; path: string; format?: FieldFormat }[];
  },
  answer: unknown,
): MappedResult {
  if (d.notFoundPath && readJsonPath(answer, parseJsonPath(d.notFoundPath) ?? []) === true) return { found: false, rows: [] };
  const at = readJsonPath(answer, parseJsonPath(d.resultPath) ?? []);
  if (at === undefined || at === null) return d.resultPath ? { found: false, rows: [] } : { error: '응답이 비어 있습니다.' };
  const records = Array.isArray(at) ? at.slice(0, MAX_ROWS) : [at];
  if (records.some((r) => r === null || typeof r !== 'object')) return { error: '응답의 결과가 목록이나 객체가 아닙니다.' };
  const rows = records.map((r) =>
    d.fields.map((f) => ({
      label: f.label,
      value: formatValue(readJsonPath(r, parseJsonPath(f.path) ?? []), f.format ?? 'text'),
    })),
  );
  const anyValue = rows.some((row) => row.some((c) => c.value !== '—'));
  if (rows.length > 0 && !anyValue)
    return {
      error: '응답에 설정된 항목이 하나도 없습니다. 응답 매핑을 확인하세요.',
    };
  return { found: rows.length > 0, rows };
}

/** The identifier as an access record keeps it: the first two and last two characters, the rest as *. */
export function maskIdentifier(identifier: string): string {
  const chars = [...identifier];
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return chars.map((c, i) => (i < 2 || i >= chars.length - 2 || c === '-' ? c : '*')).join('');
}

/** The circuit breaker of one look-up. */
export type BreakerState = {
  consecutiveFailures: number;
  openedAtMs: number | null;
  lastError: string | null;
  trialInFlight: boolean;
};
export type BreakerPolicy = { failuresToOpen: number; coolDownMs: number };

export const DEFAULT_BREAKER: BreakerPolicy = {
  failuresToOpen: 3,
  coolDownMs: 30_000,
};
export const closedBreaker = (): BreakerState => ({
  consecutiveFailures: 0,
  openedAtMs: null,
  lastError: null,
  trialInFlight: false,
});

/** What the breaker says about a call now: run it, run it as the one trial (half-open), or refuse at once. */
export function breakerDecision(s: BreakerState, nowMs: number, p: BreakerPolicy): 'run' | 'trial' | 'refuse' {
  if (s.openedAtMs === null) return 'run';
  if (nowMs - s.openedAtMs < p.coolDownMs || s.trialInFlight) return 'refuse';
  return 'trial';
}

export function breakerAfterSuccess(): BreakerState {
  return closedBreaker();
}

/** After a failure: counted; the N-th in a row (or a failed trial) opens the breaker from now. */
export function breakerAfterFailure(s: BreakerState, nowMs: number, p: BreakerPolicy, error: string): BreakerState {
  const failures = s.consecutiveFailures + 1;
  const open = s.openedAtMs !== null || failures >= p.failuresToOpen;
  return {
    consecutiveFailures: failures,
    openedAtMs: open ? nowMs : null,
    lastError: error,
    trialInFlight: false,
  };
}

/** The breaker as shown: up, down until retryAt, or half-open (the next call is the trial). */
export function breakerView(s: BreakerState, nowMs: number, p: BreakerPolicy): { state: 'up' | 'down' | 'half_open'; retryAtMs: number | null } {
  if (s.openedAtMs === null) return { state: 'up', retryAtMs: null };
  const retryAtMs = s.openedAtMs + p.coolDownMs;
  return {
    state: nowMs < retryAtMs || s.trialInFlight ? 'down' : 'half_open',
    retryAtMs,
  };
}
