import { kstDayOf } from '../../core/domain/access-review';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { createAppDeps } from '../deps';
import { monthlyReview } from '../modules/privacy/privacy.service';
import { FileChainHeadStore } from '../ports/chain-head/file.adapter';
import { systemClock } from '../ports/clock/system.adapter';

/**
 * npm run audit:review -- [YYYY-MM] [--json]
 * 월간 접속기록 점검 보고서 (제8조②) for the privacy officer: per-user volumes with the unusual ones flagged
 * (more than REVIEW_VOLUME_FACTOR × the median of the same role), night access (KST), every download with its reason,
 * every unmask with its reason, and the hash-chain check. Default month: the previous KST month.
 */
async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const asJson = args.includes('--json');
  const today = kstDayOf(new Date());
  const [y, m] = today.split('-').map(Number) as [number, number];
  const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const month = args.find((a) => /^\d{4}-(0[1-9]|1[0-2])$/.test(a)) ?? previous;
  const config = loadConfig();
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db);
    // The chain is keyed (audit keys of the key ring) and its head kept outside the database: the check uses both.
    createAppDeps(config, handle, systemClock, undefined, { chainHeadStore: new FileChainHeadStore(config.privacy.chainHeadFile) });
    const r = await monthlyReview(handle.db, config.privacy.review, month);
    if (asJson) {
      console.log(JSON.stringify(r, null, 2));
      return r.chain.ok ? 0 : 1;
    }
    const kst = (iso: string) => new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    console.log(`월간 접속기록 점검 ${month} (KST) — 기록 ${r.total}건`);
    console.log(`해시 체인: ${r.chain.ok ? `정상 (${r.chain.checked}건)` : `손상 — seq ${r.chain.broken?.seq}: ${r.chain.broken?.message}`}`);
    // The head goes on the signed report too: a third copy, outside both the database and the server's disk.
    if (r.chain.head) console.log(`체인 head (보고서에 기록·서명 보관) / chain head: seq ${r.chain.head.seq} ${r.chain.head.hash}`);
    console.log(`\n사용자별 (과다: 같은 역할 중앙값의 ${r.rules.volumeFactor}배 초과, 야간 ${r.rules.nightStartHour}:00–${r.rules.nightEndHour}:00)`);
    for (const u of r.users) {
      console.log(`  ${u.isUnusualVolume ? '⚠' : ' '} ${u.userLogin.padEnd(16)} ${u.role.padEnd(10)} ${String(u.total).padStart(6)}건  야간 ${u.night}  중앙값 ${u.roleMedian}  ${JSON.stringify(u.byAction)}`);
    }
    console.log(`\n다운로드 ${r.exports.length}건`);
    for (const e of r.exports) console.log(`  ${kst(e.at)} ${e.userLogin} ${e.target} ${e.recordCount}건 — ${e.reason ?? ''}`);
    console.log(`\n마스킹 해제 ${r.unmasks.length}건`);
    for (const e of r.unmasks) console.log(`  ${kst(e.at)} ${e.userLogin} ${e.target} ${e.result} — ${e.reason ?? ''}`);
    console.log(`\n야간 접속 ${r.nightAccess.length}건`);
    for (const e of r.nightAccess) console.log(`  ${kst(e.at)} ${e.userLogin} ${e.action} ${e.target}`);
    return r.chain.ok ? 0 : 1;
  } finally {
    await handle.close();
  }
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
