import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { verifyAccessChain } from '../modules/privacy/access-chain';

/**
 * npm run audit:verify
 * Walks the hash chain of the access records (개인정보 접속기록, 제8조③) and names the first broken link: its
 * position (seq), id and what is wrong. Exit code 0 when the chain is whole, 1 when it is broken. Prints the head
 * (newest position and hash): keep it elsewhere, so that a later rewrite of the whole chain shows too.
 */
async function run(): Promise<number> {
  const config = loadConfig();
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db);
    const result = await verifyAccessChain(handle.db);
    const anchor = result.anchor ? ` (이전 기록은 seq ${result.anchor.lastSeq}까지 보존기간 경과로 파기됨 / pruned up to seq ${result.anchor.lastSeq})` : '';
    if (result.ok) {
      console.log(`접속기록 해시 체인 정상: ${result.checked}건 확인${anchor} / access-record chain OK: ${result.checked} records checked`);
      if (result.head) console.log(`head: seq ${result.head.seq} ${result.head.hash}`);
      return 0;
    }
    const b = result.broken!;
    console.error(`접속기록 해시 체인 손상 / access-record chain BROKEN${anchor}`);
    console.error(`  first broken link: seq ${b.seq}, id ${b.id ?? '-'}, ${b.problem}: ${b.message}`);
    console.error(`  records verified before it: ${result.checked}`);
    return 1;
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
