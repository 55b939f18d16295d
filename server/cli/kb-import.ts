import fs from 'node:fs';
import path from 'node:path';
import { isAppError } from '../../core/errors';
import { createAppDeps } from '../deps';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { parseImportFile } from '../modules/kb/kb-import';
import { importKnowledgeBase } from '../modules/kb/kb.service';

/**
 * npm run kb:import -- FILE.json|FILE.csv
 * Imports a city's own consultation manual and taxonomy: articles (JSON array, or CSV category,title,body[,keywords]),
 * categories (the JSON tree, or CSV code,name[,parent,department,complaint_type,deadline_days]), or a JSON object
 * with departments, categories and articles. A file with any problem is refused whole, each problem by line.
 */
async function run(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npm run kb:import -- FILE.json|FILE.csv');
    return 2;
  }
  const text = fs.readFileSync(file, 'utf8');
  const config = loadConfig();
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle.db);
    const bundle = parseImportFile(path.basename(file), text);
    const deps = createAppDeps(config, handle);
    const n = await importKnowledgeBase(deps, bundle, null);
    console.log(`가져오기 완료: 부서 ${n.departments}, 분류 ${n.categories}, 상담 자료 ${n.articles}건, 검색 사전 ${n.synonyms}개 / imported ${n.departments} departments, ${n.categories} categories, ${n.articles} articles, ${n.synonyms} dictionary entries from ${file}`);
    return 0;
  } catch (err) {
    if (isAppError(err)) {
      console.error(err.message);
      const problems = (err.details as { problems?: Array<{ line: number; message: string }> } | undefined)?.problems ?? [];
      for (const p of problems) console.error(`  line ${p.line}: ${p.message}`);
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
