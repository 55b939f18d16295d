import { LookupSaveBodySchema, type LookupSaveBody } from '../../../core/contracts/connectors';
import type { AppDeps } from '../../deps';
import { STANDIN_API_KEY, STANDIN_BASIC, STANDIN_WEBHOOK_SECRET } from '../../cli/standin';
import { CaseSettingsBodySchema, type CaseSettingsBody } from '../../../core/contracts/case-system';
import { DEFAULT_CASE_MAPPING } from '../../../core/domain/case-system';
import { saveCaseSettings } from './case-system.service';
import { createLookup } from './lookups.service';

/**
 * The demo city's look-ups (issue #16 §2), pointing at the stand-in (server/cli/standin.ts, `npm run standin`) on
 * `baseUrl`. Fictional data only; the stand-in's demo key and password are sealed like any secret.
 */
export function demoLookups(baseUrl: string): LookupSaveBody[] {
  const base = baseUrl.replace(/\/$/, '');
  const desk = ['agent', 'supervisor'] as const;
  return [
    {
      name: '지방세 부과·납부 현황',
      identifierLabel: '납세번호 또는 차량번호',
      identifierPattern: '\\d{2}-\\d{6}|\\d{2,3}[가-힣]\\d{4}',
      identifierExample: '11-000123',
      urlTemplate: `${base}/lookups/local-tax/{identifier}`,
      authKind: 'api_key',
      authName: 'X-Api-Key',
      authSecret: STANDIN_API_KEY,
      resultPath: 'data.items',
      notFoundPath: 'notFound',
      fields: [
        { label: '세목', path: 'taxItem', format: 'text' },
        { label: '과세연도', path: 'year', format: 'text' },
        { label: '부과액', path: 'levied', format: 'won' },
        { label: '납부액', path: 'paid', format: 'won' },
        { label: '미납액', path: 'unpaid', format: 'won' },
        { label: '납기', path: 'dueDate', format: 'date' },
      ],
      roles: [...desk],
    },
    {
      name: '상하수도 요금',
      identifierLabel: '고객번호',
      identifierPattern: '\\d{4}-\\d{4}',
      identifierExample: '1234-5678',
      urlTemplate: `${base}/lookups/water/{identifier}`,
      authKind: 'basic',
      authName: STANDIN_BASIC.user,
      authSecret: STANDIN_BASIC.password,
      resultPath: 'bill',
      notFoundPath: 'notFound',
      fields: [
        { label: '사용처', path: 'customer', format: 'text' },
        { label: '사용월', path: 'month', format: 'text' },
        { label: '사용량(㎥)', path: 'usageM3', format: 'text' },
        { label: '요금', path: 'amount', format: 'won' },
        { label: '납부 여부', path: 'paid', format: 'text' },
        { label: '납기', path: 'dueDate', format: 'date' },
      ],
      roles: [...desk],
    },
    {
      name: '주정차 과태료 처분 현황',
      identifierLabel: '고지서번호',
      identifierPattern: '\\d{10}',
      identifierExample: '2026110001',
      urlTemplate: `${base}/lookups/parking-fine/{identifier}`,
      resultPath: 'fine',
      notFoundPath: 'notFound',
      fields: [
        { label: '차량', path: 'vehicle', format: 'text' },
        { label: '위반 장소', path: 'place', format: 'text' },
        { label: '과태료', path: 'amount', format: 'won' },
        { label: '처분 단계', path: 'stage', format: 'text' },
        { label: '의견 제출 기한', path: 'objectionUntil', format: 'date' },
      ],
      roles: [...desk],
    },
    {
      name: '여권 교부 준비',
      identifierLabel: '접수번호',
      identifierPattern: 'P\\d{4}-\\d{4}',
      identifierExample: 'P2026-1101',
      urlTemplate: `${base}/lookups/passport`,
      method: 'POST',
      requestTemplate: '{"receiptNo":"{identifier}"}',
      resultPath: 'passport',
      notFoundPath: 'notFound',
      fields: [
        { label: '진행 상태', path: 'status', format: 'text' },
        { label: '교부 가능일', path: 'readySince', format: 'date' },
        { label: '완료 예정일', path: 'expectedOn', format: 'date' },
        { label: '교부 장소', path: 'office', format: 'text' },
        { label: '지참물', path: 'bring', format: 'text' },
      ],
      roles: [...desk],
    },
  ].map((d) => LookupSaveBodySchema.parse(d));
}

/**
 * Seeds the demo look-ups and the case-system link to the stand-in's 민원처리시스템 (an empty database's demo seed): a
 * hand-off recorded in the demo is registered there (GET {standin}/_standin lists it) and its answer comes back by the
 * stand-in's signed webhook.
 */
export async function seedDemoLookups(deps: AppDeps, baseUrl: string): Promise<void> {
  for (const body of demoLookups(baseUrl)) await createLookup(deps, null, body);
  await saveCaseSettings(deps, null, demoCaseSystem(baseUrl));
}

/** The demo's case-system settings (the stand-in's case system; its fictional webhook secret sealed like any secret). */
export function demoCaseSystem(baseUrl: string): CaseSettingsBody {
  return CaseSettingsBodySchema.parse({
    isEnabled: true,
    baseUrl: `${baseUrl.replace(/\/$/, '')}/case-system`,
    inboundMode: 'webhook',
    mapping: DEFAULT_CASE_MAPPING,
    webhookSecret: STANDIN_WEBHOOK_SECRET,
  });
}
