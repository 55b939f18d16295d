import fs from 'node:fs';
import path from 'node:path';
import { isAppError } from '../../core/errors';
import { createCaches } from '../deps';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { parseArticleFile } from '../modules/kb/kb-import';
import { importArticles } from '../modules/kb/kb.service';
import { createKbSearch } from '../modules/kb/search/kb-search';
import { systemClock } from '../ports/clock/system.adapter';
import { KoreanHolidayCalendar } from '../ports/holidays/holidays-kr.adapter';

/**
 * npm run kb:import -- FILE.json|FILE.csv
 * Imports a city's own consultation manual: a JSON array or CSV with the columns category,title,body[,keywords]
 * (category = a category code of the taxonomy). A file with any bad row is refused whole, each problem by line.
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
    const rows = parseArticleFile(path.basename(file), text);
    const deps = {
      config,
      db: handle.db,
      dialect: handle.dialect,
      clock: systemClock,
      holidays: new KoreanHolidayCalendar(),
      kbSearch: createKbSearch(handle.db, handle.dialect),
    caches: createCaches(),
    };
    const count = await importArticles(deps, rows, null);
    console.log(`${count}건의 상담 자료를 가져왔습니다. / imported ${count} articles from ${file}`);
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
