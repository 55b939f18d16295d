import { DAY_MS } from '../../../core/domain/kst';
import type { AppDeps } from '../../deps';
import type { Db } from '../../db/database';
import { newId } from '../../lib/ids';
import { eraseCallbackNumbersBefore } from '../acd/acd.repository';
import { pruneAccessRecordsBefore } from '../privacy/access-chain';
import { eraseReplyContactsBefore } from '../notifications/outbox.repository';
import { eraseSurveyContactsBefore } from '../surveys/surveys.repository';
import { destroyRecordingsBefore } from '../recordings/recordings.service';
import { retentionRules, type RetentionMethod } from './retention-policy';
import {
  anonymiseExpiredCases,
  deleteExpiredSessions,
  deleteExpiredSignInChallenges,
  deleteInactiveCitizens,
  eraseExpiredCallerNumbers,
  insertDestructionLog,
} from './retention.repository';

/**
 * One kind of data the job destroys: its rule (kind, method, days) and the query that applies it. The built-in kinds
 * are below; other modules add theirs to RETENTION_HOOKS (the access-record module: 접속기록 after 2 years).
 */
export type RetentionHook = {
  kind: string;
  method: RetentionMethod;
  days: (deps: Pick<AppDeps, 'config'>) => number;
  /** Destroys (or in a dry run counts) what is older than the cutoff; returns how many records. */
  apply: (db: Db, cutoff: string, dryRun: boolean, now: Date) => Promise<number>;
};

/**
 * Hooks of other modules, run after the built-in kinds, each in its own transaction with its destruction-log row.
 * The ACD's callback numbers go with callers' numbers (RETENTION_CALLS_DAYS). Access records (접속기록) are kept 2 years (제8조①, ACCESS_RECORD_RETENTION_DAYS ≥ 730) and pruned from the oldest
 * end with an anchor, so that the remaining chain still verifies (server/modules/privacy/access-chain.ts).
 */
export const RETENTION_HOOKS: RetentionHook[] = [
  // Callback numbers the ACD kept (sealed) for calls it has since made: erased like callers' numbers (1 year).
  { kind: 'callback_numbers', method: 'anonymise', days: (deps) => deps.config.retention.callsDays, apply: (db, cutoff, dryRun) => eraseCallbackNumbersBefore(db, cutoff, dryRun) },
  // The citizen's reply address and the outbox's sealed messages (issue #11 §4): erased like callers' numbers (1 year).
  { kind: 'reply_contacts', method: 'anonymise', days: (deps) => deps.config.retention.callsDays, apply: (db, cutoff, dryRun) => eraseReplyContactsBefore(db, cutoff, dryRun) },
  // Surveys (issue #15): the number's blind index and the link's hash on invitations, like callers' numbers; the
  // answers (free text masked at entry) stay for the statistics, and opt-outs are kept for ever.
  { kind: 'survey_contacts', method: 'anonymise', days: (deps) => deps.config.retention.callsDays, apply: (db, cutoff, dryRun) => eraseSurveyContactsBefore(db, cutoff, dryRun) },
  // Call recordings (issue #17 §3): deleted with their sealed data keys after RECORDING_RETENTION_DAYS (60 by default,
  // the city's rule), then their files; with TELEPHONY not sip the default period applies.
  { kind: 'recordings', method: 'delete', days: (deps) => deps.config.sip?.recording.retentionDays ?? 60, apply: (db, cutoff, dryRun) => destroyRecordingsBefore(db, cutoff, dryRun) },
  {
    kind: 'access_records',
    method: 'delete',
    days: (deps) => deps.config.privacy.accessRecordRetentionDays,
    apply: async (db, cutoff, dryRun, now) => {
      if (dryRun) {
        const row = await db.selectFrom('access_records').select((eb) => eb.fn.countAll<number>().as('n')).where('at', '<', cutoff).executeTakeFirstOrThrow();
        return Number(row.n);
      }
      return (await pruneAccessRecordsBefore(db, new Date(cutoff), now)).pruned;
    },
  },
];

const APPLY: Record<string, RetentionHook['apply']> = {
  citizens: deleteInactiveCitizens,
  cases: anonymiseExpiredCases,
  call_numbers: eraseExpiredCallerNumbers,
  sessions: deleteExpiredSessions,
  sign_in_challenges: deleteExpiredSignInChallenges,
};

function builtInHooks(deps: Pick<AppDeps, 'config'>): RetentionHook[] {
  return retentionRules(deps.config).map((rule) => ({ kind: rule.kind, method: rule.method, days: () => rule.days, apply: APPLY[rule.kind]! }));
}

export type RetentionRunResult = {
  runId: string;
  at: string;
  dryRun: boolean;
  actor: string;
  items: Array<{ kind: string; method: RetentionMethod; cutoff: string; count: number }>;
};

/**
 * 파기: destroys or anonymises every kind of data past its retention period. Each kind runs in one transaction
 * together with its destruction-log row (what, how many, when, how, by whom), so a record is never destroyed without
 * its proof, nor the proof written without the destruction. A dry run changes and records nothing.
 */
export async function runRetention(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config'>,
  options: { actor: string; dryRun?: boolean; hooks?: readonly RetentionHook[] },
): Promise<RetentionRunResult> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const runId = newId();
  const dryRun = options.dryRun ?? false;
  const items: RetentionRunResult['items'] = [];
  for (const hook of [...builtInHooks(deps), ...(options.hooks ?? RETENTION_HOOKS)]) {
    const cutoff = new Date(now.getTime() - hook.days(deps) * DAY_MS).toISOString();
    const count = dryRun
      ? await hook.apply(deps.db, cutoff, true, now)
      : await deps.db.transaction().execute(async (trx) => {
          const n = await hook.apply(trx, cutoff, false, now);
          await insertDestructionLog(trx, { id: newId(), run_id: runId, at, kind: hook.kind, method: hook.method, count: n, cutoff, actor: options.actor });
          return n;
        });
    items.push({ kind: hook.kind, method: hook.method, cutoff, count });
  }
  return { runId, at, dryRun, actor: options.actor, items };
}
