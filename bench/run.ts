// npm run bench [-- --quick] [-- --only NAME]: runs every benchmark and writes docs/PERFORMANCE.md.
import fs from 'node:fs';
import os from 'node:os';
import type { Bench, BenchSection } from './types';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const BENCHES: Record<string, () => Promise<{ run: Bench }>> = {
  search: () => import('./search.bench'),
  'case-recording': () => import('./case-recording.bench'),
};

const sections: BenchSection[] = [];
for (const [name, load] of Object.entries(BENCHES)) {
  if (only && only !== name) continue;
  console.log(`▶ ${name}${quick ? ' (quick)' : ''}`);
  const started = performance.now();
  const { run } = await load();
  const result = await run({ quick });
  console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const s of result) console.log(`\n## ${s.title}\n\n${s.markdown}\n`);
  sections.push(...result);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const doc = [
  '# Performance',
  '',
  `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
  'Numbers vary ±15% run to run on this class of machine; targets come from the issues that set them.',
  '',
  '| benchmark | targets met |',
  '|---|---|',
  ...sections.map((s) => `| ${s.title} | ${s.targetsMet ? 'yes' : '**no**'} |`),
  '',
  ...sections.flatMap((s) => [`## ${s.title}`, '', s.markdown, '']),
].join('\n');
if (!only) fs.writeFileSync('docs/PERFORMANCE.md', doc);
else console.log('(--only: docs/PERFORMANCE.md not rewritten)');
