import type { Config } from '../../config';

/**
 * What the retention job destroys, how, and after how long (PIPA 제21조 파기; 시행령 제16조; 고시 제13조;
 * privacy-security-kr.md §6 and §8). Periods come from configuration (server/config.ts, RETENTION_*).
 * Access records (접속기록, 제8조: 2 years) belong to the access-record module: it adds its own entry to
 * RETENTION_HOOKS in retention.service.ts.
 */
export type RetentionKind = 'cases' | 'call_numbers' | 'citizens' | 'sessions' | 'sign_in_challenges';

export type RetentionMethod = 'delete' | 'anonymise';

export type RetentionRule = { kind: string; method: RetentionMethod; days: number; basis: string };

export function retentionRules(config: Pick<Config, 'retention'>): RetentionRule[] {
  const r = config.retention;
  return [
    // Citizens first: their last contact is read from calls and cases before those are anonymised.
    { kind: 'citizens', method: 'delete', days: r.citizensDays, basis: 'PIPA 제21조: no contact for the period and no open case → 파기' },
    { kind: 'cases', method: 'anonymise', days: r.casesDays, basis: "city's records schedule (⚠ confirm); text kept for statistics, personal data removed" },
    { kind: 'call_numbers', method: 'anonymise', days: r.callsDays, basis: "call metadata: the caller's number erased, times kept for KPIs" },
    { kind: 'sessions', method: 'delete', days: r.sessionsDays, basis: 'sign-in sessions (IP, browser) after expiry' },
    { kind: 'sign_in_challenges', method: 'delete', days: r.sessionsDays, basis: 'unfinished two-factor sign-ins after expiry' },
  ];
}
