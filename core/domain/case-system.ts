/**
 * The administrative case system link (issue #16 §1), the pure part: the admin's field mapping (check, apply,
 * preview against a sample hand-off), what OneCall tells the external system about a hand-off, and how a status or
 * answer coming back from it moves the hand-off along the same lifecycle an official's action would.
 * No I/O, no clock.
 */
import type { HandOffStatus } from '../contracts/enums';
import { HANDOFF_TRANSITIONS, type HandOffAction } from './handoff-lifecycle';

/** The hand-off fields a mapping may read (values as text; null when the hand-off has none). */
export const CASE_SOURCE_FIELDS = [
  'caseNumber',
  'handOffId',
  'departmentName',
  'categoryPath',
  'complaintType',
  'summary',
  'notes',
  'location',
  'receivedAt',
  'dueAt',
  'citizenName',
  'callerNumber',
  'agentName',
] as const;
export type CaseSourceField = (typeof CASE_SOURCE_FIELDS)[number];
export type CaseSource = Record<CaseSourceField, string | null>;

/** One target field: a hand-off field, a constant, or a template with {{field}} placeholders. */
export type CaseFieldSpec = { field: CaseSourceField } | { const: string | number | boolean | null } | { template: string };
/** target path (dots nest: "applicant.name") → where its value comes from. */
export type CaseMapping = Record<string, CaseFieldSpec>;

export type MappingProblem = { target: string; message: string };

const TARGET_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}(?:\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,3}$/;
const PLACEHOLDER_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const MAX_TARGETS = 50;
const MAX_TEMPLATE = 2000;
const isSource = (name: string): name is CaseSourceField => (CASE_SOURCE_FIELDS as readonly string[]).includes(name);

/**
 * Every problem of a mapping (empty: it can be saved), each naming its target and a Korean reason. Accepts anything
 * (the admin's JSON as parsed) so a wrong shape is a reason, never an exception.
 */
export function checkCaseMapping(mapping: unknown): MappingProblem[] {
  if (mapping === null || typeof mapping !== 'object' || Array.isArray(mapping)) {
    return [{ target: '', message: '연계 항목 매핑은 {"대상 항목": {...}} 형태의 JSON 객체여야 합니다.' }];
  }
  const entries = Object.entries(mapping as Record<string, unknown>);
  if (entries.length === 0) return [{ target: '', message: '매핑할 항목이 하나 이상 있어야 합니다.' }];
  if (entries.length > MAX_TARGETS) return [{ target: '', message: `매핑 항목은 ${MAX_TARGETS}개까지입니다.` }];
  const problems: MappingProblem[] = [];
  const targets = entries.map(([t]) => t);
  for (const [target, spec] of entries) {
    const say = (message: string) => problems.push({ target, message });
    if (!TARGET_RE.test(target)) say(`대상 항목 이름 '${target}'이(가) 올바르지 않습니다 (영문·숫자·_ , 점으로 4단계까지).`);
    else if (targets.some((t) => t.startsWith(`${target}.`))) say(`'${target}'은(는) 값과 하위 항목을 함께 가질 수 없습니다.`);
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
      say('값은 {"field": …}, {"const": …}, {"template": …} 중 하나여야 합니다.');
      continue;
    }
    const keys = Object.keys(spec);
    if (keys.length !== 1 || !['field', 'const', 'template'].includes(keys[0]!)) {
      say('값은 {"field": …}, {"const": …}, {"template": …} 중 정확히 하나여야 합니다.');
      continue;
    }
    const s = spec as Record<string, unknown>;
    if ('field' in s && (typeof s.field !== 'string' || !isSource(s.field))) say(`이관 항목 '${String(s.field)}'은(는) 없습니다. 사용할 수 있는 항목: ${CASE_SOURCE_FIELDS.join(', ')}`);
    if ('const' in s && s.const !== null && !['string', 'number', 'boolean'].includes(typeof s.const)) say('고정값은 문자, 숫자, 참/거짓 또는 null이어야 합니다.');
    if ('template' in s) {
      if (typeof s.template !== 'string' || s.template.length === 0) say('서식은 비어 있지 않은 문자열이어야 합니다.');
      else if (s.template.length > MAX_TEMPLATE) say(`서식은 ${MAX_TEMPLATE}자까지입니다.`);
      else {
        const unknown = [...s.template.matchAll(PLACEHOLDER_RE)].map((m) => m[1]!).filter((n) => !isSource(n));
        if (unknown.length > 0) say(`서식의 {{${unknown[0]}}}은(는) 없는 이관 항목입니다.`);
      }
    }
  }
  return problems;
}

/** The body registered in the external system for a hand-off: each target filled from the (checked) mapping. */
export function applyCaseMapping(mapping: CaseMapping, source: CaseSource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [target, spec] of Object.entries(mapping)) {
    const value =
      'field' in spec ? source[spec.field] : 'const' in spec ? spec.const : spec.template.replace(PLACEHOLDER_RE, (_, name: string) => (isSource(name) ? (source[name] ?? '') : ''));
    const parts = target.split('.');
    let at = out;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]!] = value;
  }
  return out;
}

/** A fictional hand-off of the demo city 한빛시 for the admin's preview. */
export const SAMPLE_CASE_SOURCE: CaseSource = {
  caseNumber: '2026-1205-0042',
  handOffId: '019ae9c0-0000-7000-8000-000000000042',
  departmentName: '도로과',
  categoryPath: '도로·교통 > 도로 파손',
  complaintType: 'grievance',
  summary: '한빛로 12 앞 보도블록 파손, 보행 중 걸려 넘어질 위험',
  notes: '오전 통화, 사진은 없음',
  location: '한빛로 12 (한빛시청 맞은편)',
  receivedAt: '2026-12-05T01:12:00.000Z',
  dueAt: '2026-12-12T09:00:00.000Z',
  citizenName: '홍길동',
  callerNumber: '010-1234-5678',
  agentName: '상담사 김한빛',
};

/** The default mapping a city starts from (and the demo uses). */
export const DEFAULT_CASE_MAPPING: CaseMapping = {
  externalRef: { field: 'caseNumber' },
  channel: { const: '120 민원콜센터' },
  department: { field: 'departmentName' },
  category: { field: 'categoryPath' },
  title: { template: '[콜센터 {{caseNumber}}] {{summary}}' },
  body: { template: '{{summary}}\n위치: {{location}}\n메모: {{notes}}' },
  'applicant.name': { field: 'citizenName' },
  'applicant.phone': { field: 'callerNumber' },
  receivedAt: { field: 'receivedAt' },
  dueAt: { field: 'dueAt' },
};

/** What OneCall tells the external system about one hand-off, in order (one outbox message each). */
export type CaseSystemEvent = { event: 'created' } | { event: 'status'; status: HandOffStatus; at: string } | { event: 'answered'; answer: string; at: string };

/** A status or answer the external system reports for a registered case (webhook or polling). */
export type InboundCaseEvent = { eventId: string; caseNo: string; kind: 'status'; status: 'acknowledged' | 'in_progress' } | { eventId: string; caseNo: string; kind: 'answer'; text: string };

/**
 * The lifecycle actions that bring a hand-off in `status` to what the external system reports, in order (an answer
 * to a hand-off nobody took yet is taken first: 접수 then 회신, as an official does it). Empty: nothing to do (already
 * there or past it: a late or repeated report). null: the report does not fit the lifecycle (e.g. an answer to a
 * hand-off that was returned to the centre).
 */
export function inboundActions(status: HandOffStatus, e: InboundCaseEvent): HandOffAction[] | null {
  const target: HandOffStatus = e.kind === 'answer' ? 'answered' : e.status;
  const path: Record<string, HandOffAction[]> = {
    acknowledged: ['acknowledge'],
    in_progress: ['acknowledge', 'start'],
    answered: ['acknowledge', 'answer'],
  };
  const order: HandOffStatus[] = ['pending', 'acknowledged', 'in_progress', 'answered', 'closed'];
  if (!order.includes(status)) return null;
  if (order.indexOf(status) >= order.indexOf(target)) return [];
  let at = status;
  const actions: HandOffAction[] = [];
  for (const a of path[target]!) {
    if (!HANDOFF_TRANSITIONS[a].from.includes(at)) continue;
    actions.push(a);
    at = HANDOFF_TRANSITIONS[a].to;
  }
  return at === target ? actions : null;
}
