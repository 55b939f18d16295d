import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { KeyRingError } from '../lib/key-ring';
import { VaultError } from '../lib/vault';
import { rotateKeys } from '../modules/privacy/rotate-keys';

/**
 * npm run keys:rotate [-- --index-key]
 * Adds a new encryption key (and with --index-key a new blind-index key), re-encrypts every sealed value under it and
 * removes the old keys from the key file once nothing uses them. Stop the application first; back up the new key
 * file afterwards (docs/OPERATIONS.md). Safe to run again after a crash: it finishes the interrupted rotation.
 */
async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--index-key');
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(' ')}\nusage: npm run keys:rotate [-- --index-key]`);
    return 2;
  }
  const config = loadConfig();
  if (config.keys.keysJson) {
    console.error('The keys come from the ONECALL_KEYS setting, which this command cannot rewrite. Put them in a key file (ONECALL_KEY_FILE) and unset ONECALL_KEYS, then rotate.');
    return 2;
  }
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db);
    const r = await rotateKeys(handle.db, { keyFile: config.keys.keyFile, newIndexKey: args.includes('--index-key') });
    if (r.resumed) console.log('중단된 키 교체를 마무리했습니다 / finished an interrupted rotation (run again for a new key).');
    console.log(`암호화 키 교체 완료 / keys rotated: current key ${r.keyId}${r.indexKeyChanged ? ', new blind-index key' : ''}`);
    console.log(`  re-encrypted: ${Object.entries(r.resealed).map(([t, n]) => `${t} ${n}`).join(', ')}; plain values sealed: ${r.plaintextSealed}`);
    if (r.unlisted.length > 0) {
      console.error(`  old keys KEPT: these columns still hold values of an old key and are not in server/modules/privacy/sealed-columns.ts: ${r.unlisted.join(', ')}`);
      console.error('  add them to the list and run the command again.');
      return 1;
    }
    if (r.retiredKeyIds.length > 0) console.log(`  retired keys removed from ${config.keys.keyFile}: ${r.retiredKeyIds.join(', ')}`);
    console.log('  새 키 파일을 지금 백업하십시오(데이터베이스 백업과 분리). Back up the key file now, apart from the database backups;');
    console.log('  database backups taken before this rotation need the previous key file.');
    return 0;
  } catch (err) {
    if (err instanceof KeyRingError || err instanceof VaultError) {
      console.error(`key rotation failed: ${err.message}`);
      return 1;
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
    process.exit(1);
  },
);
