import { describe, expect, it } from 'vitest';
import { applyCaseMapping, checkCaseMapping, DEFAULT_CASE_MAPPING, inboundActions, SAMPLE_CASE_SOURCE } from './case-system';

describe('case-system mapping', () => {
  it('accepts the default mapping and fills fields, constants, templates and nested targets', () => {
    expect(checkCaseMapping(DEFAULT_CASE_MAPPING)).toEqual([]);
    const body = applyCaseMapping(DEFAULT_CASE_MAPPING, { ...SAMPLE_CASE_SOURCE, notes: null });
    expect(body).toMatchObject({
      externalRef: '2026-1205-0042',
      channel: '120 민원콜센터',
      applicant: { name: '홍길동', phone: '010-1234-5678' },
    });
    expect(body.body).toBe('한빛로 12 앞 보도블록 파손, 보행 중 걸려 넘어질 위험\n위치: 한빛로 12 (한빛시청 맞은편)\n메모: ');
    expect(applyCaseMapping({ urgent: { const: false }, n: { const: 3 } }, SAMPLE_CASE_SOURCE)).toEqual({ urgent: false, n: 3 });
  });

  it('refuses every misconfiguration with the target and a Korean reason', () => {
    const reasons = (m: unknown) => checkCaseMapping(m).map((p) => `${p.target}|${p.message}`);
    expect(reasons(null)[0]).toContain('JSON 객체');
    expect(reasons([])[0]).toContain('JSON 객체');
    expect(reasons({})[0]).toContain('하나 이상');
    expect(reasons({ title: { field: 'nickname' } })[0]).toMatch(/^title\|.*nickname/);
    expect(reasons({ title: { template: '{{summary}} {{ssn}}' } })[0]).toContain('{{ssn}}');
    expect(reasons({ title: { template: '' } })[0]).toContain('비어 있지 않은');
    expect(reasons({ title: { const: { a: 1 } } })[0]).toContain('고정값');
    expect(reasons({ title: { field: 'summary', const: 'x' } })[0]).toContain('정확히 하나');
    expect(reasons({ title: 'summary' })[0]).toContain('중 하나');
    expect(reasons({ '1bad': { const: 1 } })[0]).toContain('이름');
    expect(reasons({ 'a.b.c.d.e': { const: 1 } })[0]).toContain('4단계');
    expect(reasons({ a: { const: 1 }, 'a.b': { const: 2 } })[0]).toContain('하위 항목');
    expect(reasons(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, { const: i }])))[0]).toContain('50개');
  });
});

describe('inbound reports on the hand-off lifecycle', () => {
  const answer = { eventId: 'e', caseNo: 'c', kind: 'answer', text: 't' } as const;
  const status = (s: 'acknowledged' | 'in_progress') => ({ eventId: 'e', caseNo: 'c', kind: 'status', status: s }) as const;
  it('takes a hand-off nobody took before answering it, as an official does', () => {
    expect(inboundActions('pending', answer)).toEqual(['acknowledge', 'answer']);
    expect(inboundActions('acknowledged', answer)).toEqual(['answer']);
    expect(inboundActions('in_progress', answer)).toEqual(['answer']);
    expect(inboundActions('pending', status('in_progress'))).toEqual(['acknowledge', 'start']);
    expect(inboundActions('pending', status('acknowledged'))).toEqual(['acknowledge']);
  });
  it('ignores a late or repeated report and refuses one that does not fit', () => {
    expect(inboundActions('answered', answer)).toEqual([]);
    expect(inboundActions('closed', status('acknowledged'))).toEqual([]);
    expect(inboundActions('in_progress', status('acknowledged'))).toEqual([]);
    expect(inboundActions('returned', answer)).toBeNull();
  });
});
