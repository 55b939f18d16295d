import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { createAppDeps } from '../deps';
import { KeyRingError } from '../lib/key-ring';
import { VaultError } from '../lib/vault';
import { verifyAccessChain } from '../modules/privacy/access-chain';
import { FileChainHeadStore } from '../ports/chain-head/file.adapter';
import { systemClock } from '../ports/clock/system.adapter';

/**
 * npm run audit:verify [-- --accept-head]
 * Walks the keyed hash chain of the access records (개인정보 접속기록, 제8조③) with the audit keys of the key ring,
 * checks the prune anchors' signatures and ages, and compares the newest record with the head kept outside the
 * database (ACCESS_CHAIN_HEAD_FILE, default DATA_DIR/access-chain-head.json). Names the first broken link: its position
 * (seq), id and what is wrong. Exit code 0 when the chain is whole, 1 when it is broken. A whole chain's head is kept.
 *
 * --accept-head: after restoring a database backup the database is legitimately behind the kept head; verify the
 * chain without the kept head and replace the copy with the verified head (both heads are printed for the record).
 */
async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--accept-head');
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(' ')}\nusage: npm run audit:verify [-- --accept-head]`);
    return 2;
  }
  const acceptHead = args.includes('--accept-head');
  const config = loadConfig();
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db);
    const headStore = new FileChainHeadStore(config.privacy.chainHeadFile);
    createAppDeps(config, handle, systemClock, undefined, { chainHeadStore: headStore });
    const result = await verifyAccessChain(handle.db, { acceptHead });
    const anchor = result.anchor ? ` (이전 기록은 seq ${result.anchor.lastSeq}까지 보존기간 경과로 파기됨 / pruned up to seq ${result.anchor.lastSeq})` : '';
    const kept = result.keptHead ? `seq ${result.keptHead.seq} ${result.keptHead.hash} (${result.keptHead.at})` : 'none yet';
    if (result.ok) {
      console.log(`접속기록 해시 체인 정상: ${result.checked}건 확인${anchor} / access-record chain OK: ${result.checked} records checked`);
      if (result.head) console.log(`head: seq ${result.head.seq} ${result.head.hash}`);
      console.log(`kept head (${headStore.describe}) before this check: ${kept}${acceptHead ? ' — replaced by the head above (--accept-head)' : ''}`);
      return 0;
    }
    const b = result.broken!;
    console.error(`접속기록 해시 체인 손상 / access-record chain BROKEN${anchor}`);
    console.error(`  first broken link: seq ${b.seq}, id ${b.id ?? '-'}, ${b.problem}: ${b.message}`);
    console.error(`  records verified before it: ${result.checked}`);
    console.error(`  kept head (${headStore.describe}): ${kept}`);
    if (b.problem === 'head_mismatch') {
      console.error('  If a database backup was restored on purpose, run npm run audit:verify -- --accept-head to keep the restored head.');
    }
    return 1;
  } catch (err) {
    if (err instanceof KeyRingError || err instanceof VaultError) {
      console.error(`audit:verify needs the key ring (the chain is keyed): ${err.message}`);
      return 2;
    }
    throw err;
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
